/**
 * Evidence for a recommended drug: the note's own words that support it.
 *
 *  - diagnoses: the 出院诊断 entries the drug treats, by the formulary `area` (and a few
 *    `duplicationGroup`s with extra indications, e.g. SGLT2i → 心力衰竭 / 慢性肾脏病) mapped to
 *    diagnosis keywords;
 *  - mentions: where the history / course names the drug (Formulary.findMentions via the mention
 *    baseline's cue analysis), each labelled positive / negated / stopped / inpatient, in time
 *    order, with the current status decided by the latest taking-or-stopped statement;
 *  - supported: whether the note backs the drug at all (else it comes from the model's priors).
 *
 * Pure; heuristics for display, not a clinical indication check.
 */
import { analyzeText, MENTION_FIELD_ORDER, type MentionStatus } from './baselines/mention.ts';
import type { Formulary } from './formulary.ts';
import type { TherapeuticArea } from './formulary-types.ts';
import type { CDrugRedRecord } from './record.ts';

export const AREA_DIAGNOSIS: Record<TherapeuticArea, RegExp | null> = {
  diabetes: /糖尿病|血糖|DM|糖耐量|胰岛素抵抗|LADA/i,
  hypertension: /高血压|血压/,
  lipids: /血脂|高脂|胆固醇|甘油三酯|脂代谢|动脉粥样硬化|斑块/,
  antithrombotic: /冠心病|冠状动脉|心绞痛|心肌梗|PCI|支架|脑梗|卒中|腔隙|房颤|心房颤动|血栓|栓塞|动脉粥样硬化|斑块|闭塞/,
  cardiac: /冠心病|冠状动脉|心绞痛|心肌梗|心力衰竭|心衰|心功能|房颤|心房颤动|心律失常|早搏|心动过速|心肌病/,
  gout: /痛风|尿酸/,
  thyroid: /甲状腺|甲亢|甲减|桥本|Graves/i,
  osteoporosis: /骨质疏松|骨量减少|骨折|维生素D缺乏|低钙|骨痛/,
  renal: /肾|CKD|蛋白尿|肾性贫血|贫血|高磷|甲状旁腺|高钾|DKD/i,
  neuropathy: /神经病变|周围神经|麻木|DPN|神经痛|末梢神经/i,
  liver: /肝|胆汁|乙型肝炎|乙肝/,
  gastrointestinal: /胃|十二指肠|消化|便秘|腹泻|反流|幽门|肠炎|肠道|溃疡/,
  'anti-infective': /感染|肺炎|支气管炎|结核|真菌|病毒|细菌|脓|尿路|蜂窝织炎|足溃疡|坏疽/,
  respiratory: /肺|支气管|哮喘|咳嗽|COPD|慢阻肺|呼吸道|鼻炎/i,
  'neuro-psych': /失眠|睡眠|焦虑|抑郁|癫痫|帕金森|痴呆|认知|头痛|头晕|眩晕|神经痛|疼痛/,
  urology: /前列腺|膀胱|尿失禁|尿频|勃起|排尿/,
  other: null,
};

/** Kidney disease an ACEI / ARB / SGLT2i treats: not every word with 肾 (肾性贫血, 肾结石, 肾囊肿 are not). */
const KIDNEY_DISEASE = /糖尿病肾|肾病|肾脏病|慢性肾|肾功能不全|肾衰|CKD|DKD|蛋白尿/i;
const HEART_FAILURE = /心力衰竭|心衰|心功能不全|心功能[ⅡⅢⅣ234IV]+级|NYHA/i;

/** Indications of some groups beyond their area (SGLT2i → 心力衰竭 / 慢性肾脏病 …). */
const GROUP_DIAGNOSIS: Record<string, RegExp[]> = {
  sglt2i: [HEART_FAILURE, KIDNEY_DISEASE],
  glp1ra: [/肥胖|超重|冠心病|动脉粥样硬化/],
  statin: [/冠心病|冠状动脉|脑梗|卒中|动脉粥样硬化|斑块/],
  acei: [HEART_FAILURE, KIDNEY_DISEASE, /冠心病|心肌梗/],
  arb: [HEART_FAILURE, KIDNEY_DISEASE],
  beta_blocker: [HEART_FAILURE, /冠心病|冠状动脉|心绞痛|心肌梗|房颤|心房颤动|心律失常|心动过速/],
  loop_diuretic: [HEART_FAILURE, /水肿|肾病综合征|腹水|肝硬化/],
  mra: [HEART_FAILURE, /醛固酮|腹水|肝硬化|水肿|低钾/],
  antiplatelet_cox: [/糖尿病.*(?:大血管|动脉)|动脉粥样硬化|斑块/],
};

/**
 * Groups whose own indications are listed BEFORE the area's keywords: a β-blocker, loop
 * diuretic or MRA in a heart-failure patient is there for the heart failure, an ACEI / ARB in a
 * diabetic-kidney patient for the kidney, even when 高血压 is also a diagnosis. (An SGLT2i stays a
 * diabetes drug first.)
 */
const GROUP_FIRST = new Set(['acei', 'arb', 'beta_blocker', 'loop_diuretic', 'mra']);

/**
 * Groups whose area keywords (hypertension) count only when no specific indication is present:
 * a loop diuretic is not a first-line antihypertensive, so with heart failure or oedema in the
 * note the 高血压 entry is not its indication.
 */
const AREA_ONLY_AS_FALLBACK = new Set(['loop_diuretic']);

export interface MentionEvidence {
  field: string;
  /** The matched surface text (alias as written). */
  alias: string;
  /** The clause around the mention. */
  snippet: string;
  status: MentionStatus;
}

export interface DrugEvidence {
  drug: string;
  /** 出院诊断 entries the drug treats, the group's specific indications first. */
  diagnoses: string[];
  /** Mentions in time order (主诉 → 既往史 → 现病史 → 入院情况 → 诊疗过程描述, then position). */
  mentions: MentionEvidence[];
  /**
   * What the note says now: its LAST taking (positive / discharge plan) or stopped statement
   * decides, so "停用二甲双胍 … 恢复二甲双胍" is taking and "服用X … 后停用X" is stopped; null when
   * the note has neither (only negated or in-hospital mentions, or none).
   */
  current: 'taking' | 'stopped' | null;
  /** True when the note supports the drug (a diagnosis it treats, or a taking statement). */
  supported: boolean;
}

function clause(text: string, start: number, end: number): string {
  const B = /[。；;，,\n]/;
  let s = start;
  while (s > 0 && !B.test(text[s - 1] ?? '') && start - s < 40) s--;
  let e = end;
  while (e < text.length && !B.test(text[e] ?? '') && e - end < 40) e++;
  return text.slice(s, e).trim();
}

/** Diagnoses of the record a drug treats: group-specific indications first, then area keywords. */
export function diagnosesTreated(drug: string, record: CDrugRedRecord, formulary: Formulary): string[] {
  const d = formulary.get(drug);
  if (!d) return [];
  const dx = record.出院诊断.map((x) => ({ x, n: x.normalize('NFKC') }));
  const out: string[] = [];
  const take = (r: RegExp) => {
    for (const { x, n } of dx) if (r.test(n) && !out.includes(x)) out.push(x);
  };
  const group = d.duplicationGroup ?? '';
  const own = GROUP_DIAGNOSIS[group] ?? [];
  const area = AREA_DIAGNOSIS[d.area];
  if (GROUP_FIRST.has(group)) {
    own.forEach(take);
    if (area && !(AREA_ONLY_AS_FALLBACK.has(group) && out.length > 0)) take(area);
  } else {
    if (area) take(area);
    own.forEach(take);
  }
  return out;
}

/** Mentions of a drug in the history / course, each with its negation / stop status. */
export function drugMentions(drug: string, record: CDrugRedRecord, formulary: Formulary): MentionEvidence[] {
  const out: MentionEvidence[] = [];
  for (const field of MENTION_FIELD_ORDER) {
    const text = record[field] ?? '';
    if (!text) continue;
    for (const m of analyzeText(text, field, formulary)) {
      if (m.name !== drug) continue;
      out.push({ field, alias: text.slice(m.start, m.end), snippet: clause(text, m.start, m.end), status: m.status });
    }
  }
  return out;
}

/** The last taking-or-stopped statement decides (the rule withhold.ts and the mention baseline use). */
export function currentStatus(mentions: readonly Pick<MentionEvidence, 'status'>[]): DrugEvidence['current'] {
  let current: DrugEvidence['current'] = null;
  for (const m of mentions) {
    if (m.status === 'positive' || m.status === 'discharge') current = 'taking';
    else if (m.status === 'stopped') current = 'stopped';
  }
  return current;
}

export function drugEvidence(drug: string, record: CDrugRedRecord, formulary: Formulary): DrugEvidence {
  const diagnoses = diagnosesTreated(drug, record, formulary);
  const mentions = drugMentions(drug, record, formulary);
  const current = currentStatus(mentions);
  return { drug, diagnoses, mentions, current, supported: diagnoses.length > 0 || current === 'taking' };
}
