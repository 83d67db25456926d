/**
 * Which therapeutic areas a note gives a reason for: a diagnosis, a finding or a lab of the area
 * itself ("高脂血症", "LDL-C 4.2", "房颤", "骨密度 T值-2.8"), not negated ("否认冠心病"). The evidence
 * fusion (src/decoding/evidence-fusion.ts) uses it for the drugs a note never names: a statin the
 * language model suggests for a note that says nothing about lipids or atherosclerosis is its
 * prior talking, not the note.
 *
 * Why a keyword table and not the model: a 2.6M-parameter model trained on one generator learns
 * that generator's habit of adding unnamed drugs, and on hand-written notes most of its unnamed
 * additions were drugs of areas the note never mentions. Whether a note mentions an area is a
 * plain, inspectable reading of the text; the weight it gets is fitted (npm run fit-fusion).
 *
 * One keyword matcher (./note-facts.ts findCondition: NFKC + case folding, clause negation).
 * Areas without an entry (`other`) are never called unsupported.
 */
import type { TherapeuticArea } from './formulary-types.ts';
import { findCondition, noteTexts } from './note-facts.ts';
import type { CDrugRedRecord } from './record.ts';

/**
 * Words that give a reason for an area's drugs. Written from clinical usage (diagnoses, findings
 * and labs a chart would name), not from any evaluation note; a drug of an area with several
 * indications lists them all (an ACE inhibitor for heart failure or proteinuria).
 */
export const AREA_REASONS: Readonly<Partial<Record<TherapeuticArea, readonly string[]>>> = {
  diabetes: ['糖尿病', 'DM', '血糖', '酮症', '糖化血红蛋白', 'HbA1c', '胰岛素', '低血糖', '糖耐量'],
  hypertension: ['高血压', '血压', '心衰', '心力衰竭', 'HFrEF', 'HFpEF', '蛋白尿', '肾病', '醛固酮'],
  // No bare 'TG': matching is case-folded, and "Tg" (thyroglobulin) is in every thyroid-cancer
  // follow-up; a lipid panel names LDL or 甘油三酯 anyway.
  lipids: ['血脂', '高脂', '胆固醇', '甘油三酯', 'LDL', '冠心病', '动脉粥样', '脑梗', '心梗', '心肌梗死', 'ASCVD', 'PCI', '支架', '斑块', '缺血性脑卒中'],
  antithrombotic: ['冠心病', '心绞痛', '脑梗', '心梗', '心肌梗死', '房颤', '心房颤动', 'PCI', '支架', '血栓', '栓塞', '动脉粥样', '斑块', 'ASCVD', '缺血性脑卒中', '瓣膜置换'],
  cardiac: ['心衰', '心力衰竭', '冠心病', '心绞痛', '房颤', '心房颤动', '心律', '心动过速', '早搏', '心梗', '心肌梗死', '心悸', '甲亢', '甲状腺功能亢进'],
  gout: ['痛风', '尿酸', '高尿酸'],
  thyroid: ['甲状腺', '甲亢', '甲减', 'TSH', 'FT4', 'FT3', 'Graves', '桥本'],
  osteoporosis: ['骨质疏松', '骨量减少', '骨折', '骨密度', '维生素D', '低钙', '甲状旁腺', '肾性骨病'],
  renal: ['肾', 'eGFR', '蛋白尿', '肌酐', 'CKD', '透析', '酸中毒', '高钾', '高磷'],
  neuropathy: ['神经病变', '周围神经', '麻木', '感觉减退', 'DPN'],
  liver: ['肝', 'ALT', 'AST', '转氨酶', '胆'],
  gastrointestinal: ['胃', '消化', '反流', '便秘', '腹泻', '十二指肠', '幽门', '腹胀', '恶心', '呕吐', '消化道出血', '肠'],
  // An infection, not any 炎: "桥本甲状腺炎" and "关节炎" give no reason for an antibiotic (RULE-1210g).
  'anti-infective': ['感染', '肺炎', '支气管炎', '膀胱炎', '肾盂肾炎', '胆囊炎', '阑尾炎', '蜂窝织炎', '咽炎', '扁桃体炎', '鼻窦炎', '中耳炎', '骨髓炎', '肠炎', '前列腺炎', '脓', '发热', '结核', '菌'],
  respiratory: ['肺', '咳', '痰', '哮喘', 'COPD', '支气管', '气促', '喘'],
  'neuro-psych': ['失眠', '睡眠', '焦虑', '抑郁', '眩晕', '头晕', '痴呆', '阿尔茨海默', '认知', '帕金森', '癫痫', '脑梗', '脑卒中', '头痛'],
  urology: ['前列腺', '尿路', '膀胱', '排尿', '尿频', '尿急'],
};

/** The areas with a table entry that the note gives a reason for. */
export function supportedAreas(record: CDrugRedRecord): Set<TherapeuticArea> {
  const facts = { texts: noteTexts(record) };
  const out = new Set<TherapeuticArea>();
  for (const [area, words] of Object.entries(AREA_REASONS) as [TherapeuticArea, readonly string[]][]) {
    if (words.some((w) => findCondition(facts, w) !== null)) out.add(area);
  }
  return out;
}

/** True when the area has a table entry and the note gives no reason for it. */
export function isUnsupportedArea(area: TherapeuticArea, supported: ReadonlySet<TherapeuticArea>): boolean {
  return AREA_REASONS[area] !== undefined && !supported.has(area);
}
