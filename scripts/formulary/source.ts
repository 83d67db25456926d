/**
 * Builds the bundled FormularyFile (src/clinical/data/formulary.json) from the compact drug
 * lines in drug-lines.ts plus the safety facts below. Pure: no I/O (write.ts writes the file),
 * so the unit test can check that the committed JSON is in sync.
 *
 * Safety facts are deliberately conservative: only facts stated in a current Chinese label
 * (NMPA 药品说明书) or in the cited guideline are recorded; when unsure, the fact is omitted.
 */
import type {
  Contraindication,
  FormularyDrug,
  FormularyFile,
  FormularySource,
  Interaction,
  TherapeuticArea,
} from '../../src/clinical/formulary-types.ts';
import { DRUG_LINES } from './drug-lines.ts';

export const FORMULARY_VERSION = '2026.12-1';

export const SOURCES: FormularySource[] = [
  { id: 'label', citation: '国家药品监督管理局(NMPA)批准的药品说明书(相应品种现行版本)【禁忌】【药物相互作用】【注意事项】项' },
  { id: 'cds2020', citation: '中华医学会糖尿病学分会. 中国2型糖尿病防治指南(2020年版). 中华糖尿病杂志, 2021, 13(4): 315-409.' },
  { id: 'htn2018', citation: '中国高血压防治指南修订委员会, 等. 中国高血压防治指南(2018年修订版). 中国心血管杂志, 2019, 24(1): 24-56.' },
  { id: 'lipid2023', citation: '中国血脂管理指南修订联合专家委员会. 中国血脂管理指南(2023年). 中华心血管病杂志, 2023, 51(3): 221-255.' },
  { id: 'gout2019', citation: '中华医学会内分泌学分会. 中国高尿酸血症与痛风诊疗指南(2019). 中华内分泌代谢杂志, 2020, 36(1): 1-13.' },
  { id: 'kdigo2022', citation: 'Kidney Disease: Improving Global Outcomes (KDIGO) Diabetes Work Group. KDIGO 2022 Clinical Practice Guideline for Diabetes Management in Chronic Kidney Disease. Kidney Int, 2022, 102(5S): S1-S127.' },
  { id: 'op2022', citation: '中华医学会骨质疏松和骨矿盐疾病分会. 原发性骨质疏松症诊疗指南(2022). 中华骨质疏松和骨矿盐疾病杂志, 2022, 15(6): 573-611.' },
  { id: 'thyroid2022', citation: '中华医学会内分泌学分会, 等. 中国甲状腺功能亢进症和其他原因所致甲状腺毒症诊治指南. 中华内分泌代谢杂志, 2022, 38(8): 700-748.' },
  { id: 'fda_metformin_2016', citation: 'U.S. FDA Drug Safety Communication (2016-04-08): FDA revises warnings regarding use of the diabetes medicine metformin in certain patients with reduced kidney function.' },
  { id: 'fda_clopidogrel_ppi_2009', citation: 'U.S. FDA Information for Healthcare Professionals (2009-11-17): Update to the labeling of clopidogrel bisulfate (Plavix) to alert healthcare professionals about a drug interaction with omeprazole (Prilosec).' },
  { id: 'fda_febuxostat_2019', citation: 'U.S. FDA Drug Safety Communication (2019-02-21): FDA adds Boxed Warning for increased risk of death with gout medicine Uloric (febuxostat).' },
  { id: 'fda_simvastatin_2011', citation: 'U.S. FDA Drug Safety Communication (2011-06-08): New restrictions, contraindications, and dose limitations for Zocor (simvastatin) to reduce the risk of muscle injury.' },
  { id: 'fda_fluoroquinolone_2018', citation: 'U.S. FDA Drug Safety Communication (2018-07-10): FDA reinforces safety information about serious low blood sugar levels and mental health side effects with fluoroquinolone antibiotics.' },
];

const AREAS: readonly TherapeuticArea[] = [
  'diabetes', 'hypertension', 'lipids', 'antithrombotic', 'cardiac', 'gout', 'thyroid',
  'osteoporosis', 'renal', 'neuropathy', 'liver', 'gastrointestinal', 'anti-infective',
  'respiratory', 'neuro-psych', 'urology', 'other',
];

// ---- fact constructors ---------------------------------------------------------------
type Src = string;
const egfr = (value: number, note: string, source: Src = 'label'): Contraindication => ({ kind: 'egfr_below', value, note, source });
const preg = (note: string, source: Src = 'label'): Contraindication => ({ kind: 'pregnancy', note, source });
const cond = (keywords: string[], note: string, source: Src = 'label'): Contraindication => ({ kind: 'condition', keywords, note, source });
const allergy = (keywords: string[], note: string, source: Src = 'label'): Contraindication => ({ kind: 'allergy', keywords, note, source });
const kplus = (value: number, note: string, source: Src = 'label'): Contraindication => ({ kind: 'potassium_at_least', value, note, source });
/** A 慎用 fact: warned about, never withheld (src/clinical/withhold.ts). */
const caution = (c: Contraindication): Contraindication => ({ ...c, caution: true });
/**
 * Allergy keyword standing for every member of the group the fact belongs to (expanded by the
 * builder into their canonical names): an allergy to one member withholds the class, where
 * class cross-reactivity is standard (sulfonylureas, penicillins, cephalosporins, quinolones,
 * macrolides; ACEI, whose cough and angio-oedema are class effects).
 */
const MEMBERS = '@members';
const ix = (withName: string, severity: 'major' | 'moderate', note: string, source: Src = 'label'): Interaction => ({ with: withName, severity, note, source });

interface Facts { ci?: Contraindication[]; ix?: Interaction[] }

const GLP1_MTC = cond(['甲状腺髓样癌', '多发性内分泌腺瘤病2型', 'MEN2', 'MEN 2'], '有甲状腺髓样癌既往史或家族史、2型多发性内分泌腺瘤病患者禁用');
/**
 * A condition that holds only while it lasts (ketoacidosis, active bleeding, shock): a drug the
 * note restarts or prescribes at discharge after it is warned about, not withheld.
 */
const acute = (c: Contraindication): Contraindication => ({ ...c, acute: true });
/** Glucocorticoid replacement: what treats adrenal insufficiency. */
const GLUCOCORTICOIDS = ['氢化可的松', '泼尼松', '泼尼松龙', '甲泼尼龙', '地塞米松'];
const DKA = acute(cond(['酮症酸中毒', 'DKA'], '糖尿病酮症酸中毒时禁用(需胰岛素治疗)'));
const ACTIVE_BLEEDING = acute(cond(['活动性出血', '消化道出血', '颅内出血', '脑出血'], '活动性病理性出血者禁用'));
const RAS_PREGNANCY = preg('妊娠期禁用(胎儿毒性)', 'htn2018');
const RAS_HYPERKALAEMIA = kplus(5.5, '血钾≥5.5 mmol/L(高钾血症)时禁用, 应停用并纠正血钾', 'htn2018');
const T1DM_NOT_INDICATED = (note: string, source: Src = 'label'): Contraindication => cond(['1型糖尿病'], note, source);
/** Premixed and basal insulin: src/clinical/formulary-types.ts EXCLUSIVE_FAMILIES 'family:premix-basal'. */
const PREMIX_WITH_BASAL = '预混胰岛素已含基础(中效/长效)成分, 与基础胰岛素联用重复提供基础胰岛素, 低血糖风险增加, 不推荐联用';
const THYROXINE_SPACING = '可减少左甲状腺素吸收, 两药至少间隔4小时服用';

/** Facts shared by every member of a duplication group (including combinations in the group). */
const GROUP_FACTS: Record<string, Facts> = {
  sulfonylurea: {
    ci: [
      allergy(['磺胺', '磺脲', MEMBERS], '对磺胺类/磺脲类药物过敏者禁用'),
      cond(['1型糖尿病'], '1型糖尿病患者不宜使用(胰岛素缺乏)', 'cds2020'),
      DKA,
    ],
  },
  glinide: { ci: [cond(['1型糖尿病'], '1型糖尿病患者不宜单用', 'label'), DKA] },
  basal_insulin: { ix: [ix('group:premixed_insulin', 'major', PREMIX_WITH_BASAL, 'cds2020')] },
  premixed_insulin: { ix: [ix('group:basal_insulin', 'major', PREMIX_WITH_BASAL, 'cds2020')] },
  agi: {
    ci: [
      cond(['肠梗阻', '炎症性肠病', '溃疡性结肠炎', '克罗恩病'], '明显消化吸收障碍的慢性胃肠功能紊乱、肠梗阻或有肠梗阻倾向者禁用'),
    ],
  },
  tzd: {
    ci: [
      T1DM_NOT_INDICATED('不用于1型糖尿病'),
      cond(['心力衰竭', '心衰', 'NYHA III', 'NYHA IV'], '心功能Ⅲ–Ⅳ级(NYHA)心力衰竭患者禁用(水钠潴留)', 'cds2020'),
      cond(['活动性肝病', '转氨酶升高'], '活动性肝病或转氨酶>2.5倍正常上限者禁用', 'cds2020'),
    ],
  },
  sglt2i: {
    ci: [
      DKA,
      cond(['1型糖尿病'], '不用于1型糖尿病(酮症酸中毒风险)'),
    ],
  },
  glp1ra: {
    ci: [cond(['胰腺炎'], '有胰腺炎病史者不推荐使用'), T1DM_NOT_INDICATED('不用于1型糖尿病(不能替代胰岛素)')],
    ix: [ix('group:dpp4i', 'major', 'GLP-1受体激动剂与DPP-4抑制剂同作用于GLP-1通路, 联用无额外降糖获益, 不推荐联用', 'cds2020')],
  },
  dpp4i: {
    ci: [T1DM_NOT_INDICATED('不用于1型糖尿病'), DKA],
    ix: [ix('group:glp1ra', 'major', 'DPP-4抑制剂与GLP-1受体激动剂同作用于GLP-1通路, 联用无额外降糖获益, 不推荐联用', 'cds2020')],
  },
  acei: {
    ci: [
      RAS_PREGNANCY,
      cond(['血管神经性水肿', '血管性水肿'], '既往使用ACEI发生血管神经性水肿者禁用', 'htn2018'),
      cond(['双侧肾动脉狭窄'], '双侧肾动脉狭窄者禁用', 'htn2018'),
      cond(['高钾血症'], '高钾血症者禁用', 'htn2018'),
      RAS_HYPERKALAEMIA,
      allergy([MEMBERS], '对ACEI过敏或不耐受(干咳、血管神经性水肿)者不宜再用同类药物, 可换用ARB', 'htn2018'),
    ],
    ix: [
      ix('group:arb', 'major', 'ACEI与ARB(含沙库巴曲缬沙坦)联用为双重RAS阻断, 高钾血症和急性肾损伤风险增加, 不推荐; 沙库巴曲缬沙坦须停用ACEI 36小时后使用', 'htn2018'),
      ix('螺内酯', 'moderate', '联用增加高钾血症风险, 需监测血钾和肾功能'),
      ix('非奈利酮', 'moderate', '联用增加高钾血症风险, 需监测血钾'),
      ix('氯化钾', 'moderate', '联用补钾剂增加高钾血症风险, 需监测血钾'),
    ],
  },
  arb: {
    ci: [
      RAS_PREGNANCY,
      cond(['双侧肾动脉狭窄'], '双侧肾动脉狭窄者禁用', 'htn2018'),
      cond(['高钾血症'], '高钾血症者禁用', 'htn2018'),
      RAS_HYPERKALAEMIA,
    ],
    ix: [
      ix('group:acei', 'major', 'ARB(含沙库巴曲缬沙坦)与ACEI联用为双重RAS阻断, 高钾血症和急性肾损伤风险增加, 不推荐', 'htn2018'),
      ix('螺内酯', 'moderate', '联用增加高钾血症风险, 需监测血钾和肾功能'),
      ix('非奈利酮', 'moderate', '联用增加高钾血症风险, 需监测血钾'),
      ix('氯化钾', 'moderate', '联用补钾剂增加高钾血症风险, 需监测血钾'),
    ],
  },
  ccb_nondhp: {
    ci: [
      cond(['二度房室传导阻滞', '三度房室传导阻滞', 'II度房室传导阻滞', 'III度房室传导阻滞', 'Ⅱ度房室传导阻滞', 'Ⅲ度房室传导阻滞', '病态窦房结综合征'], '二至三度房室传导阻滞、病态窦房结综合征禁用', 'htn2018'),
      cond(['射血分数降低的心力衰竭', 'HFrEF', '心力衰竭'], '心力衰竭(尤其射血分数降低者)禁用', 'htn2018'),
    ],
    ix: [ix('group:beta_blocker', 'moderate', '与β受体阻滞剂联用可致严重心动过缓、房室传导阻滞和心功能抑制')],
  },
  beta_blocker: {
    ci: [
      cond(['支气管哮喘', '哮喘'], '支气管哮喘患者禁用(非选择性尤甚)', 'htn2018'),
      cond(['二度房室传导阻滞', '三度房室传导阻滞', 'II度房室传导阻滞', 'III度房室传导阻滞', 'Ⅱ度房室传导阻滞', 'Ⅲ度房室传导阻滞', '病态窦房结综合征'], '二至三度房室传导阻滞、病态窦房结综合征禁用', 'htn2018'),
    ],
  },
  thiazide: {
    ci: [
      allergy(['磺胺'], '对磺胺类药物过敏者禁用(磺酰胺结构交叉过敏)'),
      cond(['痛风'], '痛风患者禁用噻嗪类利尿剂', 'htn2018'),
    ],
  },
  loop_diuretic: {
    ci: [caution(allergy(['磺胺'], '对磺胺类药物过敏者可能交叉过敏, 慎用'))],
  },
  mra: {
    ci: [cond(['高钾血症'], '高钾血症者禁用'), kplus(5.5, '血钾≥5.5 mmol/L时禁用(高钾血症)')],
  },
  alpha_blocker: {
    ci: [cond(['体位性低血压', '直立性低血压'], '体位性低血压者禁用/慎用', 'htn2018')],
  },
  statin: {
    ci: [
      cond(['活动性肝病', '失代偿期肝硬化', '急性肝衰竭'], '活动性肝病或不明原因持续转氨酶升高者禁用'),
      preg('妊娠期及哺乳期禁用'),
    ],
  },
  fibrate: {
    ci: [
      cond(['胆囊疾病', '胆石症'], '胆囊疾病患者禁用'),
      cond(['严重肝功能不全', '肝功能衰竭'], '严重肝功能不全者禁用'),
    ],
  },
  pcsk9i: {},
  antiplatelet_p2y12: { ci: [ACTIVE_BLEEDING] },
  antiplatelet_cox: { ci: [ACTIVE_BLEEDING] },
  vka_doac: {
    ci: [ACTIVE_BLEEDING],
    ix: [
      ix('阿司匹林', 'major', '抗凝药与阿司匹林联用出血风险显著增加, 仅在明确适应证下短期联用'),
      ix('group:antiplatelet_p2y12', 'major', '抗凝药与P2Y12受体拮抗剂联用出血风险显著增加, 需评估适应证和疗程'),
      ix('group:nsaid', 'moderate', '与非甾体抗炎药联用增加出血(尤其消化道出血)风险'),
    ],
  },
  parenteral_anticoagulant: { ci: [ACTIVE_BLEEDING] },
  nitrate: {
    ci: [acute(cond(['严重低血压', '休克'], '严重低血压或休克时禁用'))],
    ix: [
      ix('西地那非', 'major', '与PDE5抑制剂合用可致严重低血压, 禁止合用'),
      ix('他达拉非', 'major', '与PDE5抑制剂合用可致严重低血压, 禁止合用'),
      ix('维立西呱', 'major', '与sGC刺激剂合用可致低血压, 不推荐合用'),
    ],
  },
  xanthine_oxidase_inhibitor: {
    ix: [
      ix('硫唑嘌呤', 'major', '黄嘌呤氧化酶抑制剂抑制硫唑嘌呤/巯嘌呤代谢, 致严重骨髓抑制'),
    ],
  },
  bisphosphonate: {
    ci: [cond(['低钙血症'], '低钙血症者禁用(需先纠正)', 'op2022')],
  },
  calcium: {
    ci: [cond(['高钙血症'], '高钙血症者禁用')],
  },
  active_vitamin_d: { ci: [cond(['高钙血症', '维生素D中毒'], '高钙血症或维生素D中毒者禁用')] },
  oral_iron: {
    ci: [cond(['血色病', '含铁血黄素沉着症'], '铁负荷过多者禁用')],
  },
  fluoroquinolone: {
    ci: [
      cond(['重症肌无力'], '可加重重症肌无力, 有重症肌无力病史者避免使用'),
      preg('孕妇禁用'),
      allergy(['喹诺酮', '沙星', MEMBERS], '对喹诺酮类药物过敏者禁用'),
    ],
    ix: [
      ix('group:sulfonylurea', 'moderate', '喹诺酮类可致严重低血糖或高血糖, 与磺脲类合用时低血糖风险增加, 需监测血糖', 'fda_fluoroquinolone_2018'),
      ix('group:prandial_insulin', 'moderate', '喹诺酮类可致血糖紊乱, 与胰岛素合用需监测血糖', 'fda_fluoroquinolone_2018'),
      ix('group:basal_insulin', 'moderate', '喹诺酮类可致血糖紊乱, 与胰岛素合用需监测血糖', 'fda_fluoroquinolone_2018'),
      ix('group:premixed_insulin', 'moderate', '喹诺酮类可致血糖紊乱, 与胰岛素合用需监测血糖', 'fda_fluoroquinolone_2018'),
    ],
  },
  penicillin: { ci: [allergy(['青霉素', MEMBERS], '青霉素类过敏者禁用')] },
  cephalosporin: {
    ci: [allergy(['头孢', MEMBERS], '对头孢菌素类过敏者禁用; 青霉素过敏者慎用(交叉过敏)')],
  },
  macrolide: { ci: [allergy(['大环内酯', '红霉素', MEMBERS], '对大环内酯类过敏者禁用')] },
  tetracycline: { ci: [preg('孕妇不宜使用(影响胎儿牙齿和骨骼发育)')] },
  nitroimidazole: {},
  benzodiazepine: {
    ci: [cond(['重症肌无力', '睡眠呼吸暂停', '呼吸衰竭'], '重症肌无力、严重呼吸功能不全或睡眠呼吸暂停者禁用')],
  },
  nsaid: {
    ci: [
      cond(['活动性消化性溃疡', '消化道出血', '消化道溃疡出血'], '活动性消化道溃疡/出血者禁用'),
      cond(['重度心力衰竭'], '重度心力衰竭患者禁用'),
      allergy(['阿司匹林', '非甾体抗炎药', 'NSAID'], '对阿司匹林或其他非甾体抗炎药过敏(哮喘、荨麻疹)者禁用'),
    ],
  },
  ppi: {},
  potassium: { ci: [cond(['高钾血症'], '高钾血症者禁用'), kplus(5.5, '血钾≥5.5 mmol/L时禁用(高钾血症)')] },
};

/** Drug-specific facts (the most common discharge drugs first). */
const DRUG_FACTS: Record<string, Facts> = {
  二甲双胍: {
    ci: [
      egfr(30, 'eGFR<30 ml/min/1.73m²禁用; eGFR 30–45不建议起始、已用者减量', 'cds2020'),
      acute(cond(['乳酸酸中毒', '代谢性酸中毒', '酮症酸中毒'], '急性或慢性代谢性酸中毒(包括糖尿病酮症酸中毒)禁用')),
      acute(cond(['休克', '呼吸衰竭', '严重感染', '急性心肌梗死'], '可造成组织缺氧的急性疾病(休克、严重感染、呼吸衰竭等)时禁用', 'cds2020')),
      T1DM_NOT_INDICATED('1型糖尿病不宜使用(不能替代胰岛素; 说明书不用于1型糖尿病单药治疗)', 'cds2020'),
    ],
  },
  格列本脲: {
    ci: [egfr(60, 'eGFR<60 ml/min/1.73m²禁用(低血糖风险)', 'cds2020')],
  },
  瑞格列奈: {
    ix: [
      ix('吉非罗齐', 'major', '吉非罗齐(CYP2C8抑制)显著升高瑞格列奈浓度, 致严重低血糖, 禁止合用'),
      ix('氯吡格雷', 'moderate', '氯吡格雷(CYP2C8抑制)升高瑞格列奈暴露, 增加低血糖风险, 需减量并监测'),
      ix('克拉霉素', 'moderate', '克拉霉素(CYP3A4抑制)升高瑞格列奈浓度, 注意低血糖'),
    ],
  },
  阿卡波糖: { ci: [egfr(25, '严重肾功能损害(肌酐清除率<25 ml/min)禁用')] },
  吡格列酮: {
    ci: [cond(['膀胱癌'], '现患膀胱癌或有膀胱癌病史者禁用')],
  },
  达格列净: {
    ci: [egfr(25, 'eGFR<25 ml/min/1.73m²不建议起始治疗(降糖疗效有限); 已用于心肾保护者可继续', 'label')],
  },
  恩格列净: { ci: [egfr(20, 'KDIGO 2022: eGFR≥20时起始SGLT2抑制剂; eGFR<20不建议起始', 'kdigo2022')] },
  卡格列净: { ci: [egfr(20, 'KDIGO 2022: eGFR≥20时起始SGLT2抑制剂; eGFR<20不建议起始', 'kdigo2022')] },
  艾托格列净: { ci: [egfr(30, 'eGFR<30 ml/min/1.73m²不推荐使用')] },
  利拉鲁肽: { ci: [GLP1_MTC, preg('妊娠期不应使用')] },
  司美格鲁肽: { ci: [GLP1_MTC, preg('妊娠期不应使用, 计划妊娠应至少提前2个月停药')] },
  度拉糖肽: { ci: [GLP1_MTC] },
  替尔泊肽: { ci: [GLP1_MTC] },
  德谷胰岛素利拉鲁肽: { ci: [GLP1_MTC] },
  艾塞那肽: { ci: [egfr(30, '严重肾功能损害(肌酐清除率<30 ml/min)不推荐使用')] },
  利司那肽: { ci: [egfr(30, '严重肾功能损害(肌酐清除率<30 ml/min)不推荐使用')] },
  消渴丸: {
    ci: [
      allergy(['磺胺', '磺脲', '格列本脲'], '含格列本脲, 对磺胺类/磺脲类过敏者禁用'),
    ],
  },
  沙库巴曲缬沙坦: {
    ci: [cond(['血管神经性水肿', '血管性水肿'], '既往有ACEI或ARB相关血管神经性水肿病史者禁用')],
  },
  螺内酯: {
    ix: [ix('氯化钾', 'major', '保钾利尿剂与补钾剂合用可致严重高钾血症, 一般避免合用')],
  },
  非奈利酮: {
    ci: [egfr(25, 'eGFR<25 ml/min/1.73m²不建议起始治疗')],
    ix: [
      ix('克拉霉素', 'major', '强效CYP3A4抑制剂显著升高非奈利酮暴露, 禁止合用'),
      ix('伊曲康唑', 'major', '强效CYP3A4抑制剂显著升高非奈利酮暴露, 禁止合用'),
    ],
  },
  依普利酮: { ix: [ix('克拉霉素', 'major', '强效CYP3A4抑制剂显著升高依普利酮浓度, 禁止合用')] },
  辛伐他汀: {
    ix: [
      ix('克拉霉素', 'major', '强效CYP3A4抑制剂使辛伐他汀浓度大幅升高, 横纹肌溶解风险, 禁止合用', 'fda_simvastatin_2011'),
      ix('伊曲康唑', 'major', '强效CYP3A4抑制剂使辛伐他汀浓度大幅升高, 横纹肌溶解风险, 禁止合用', 'fda_simvastatin_2011'),
      ix('胺碘酮', 'moderate', '合用时辛伐他汀每日不超过20 mg', 'fda_simvastatin_2011'),
      ix('氨氯地平', 'moderate', '合用时辛伐他汀每日不超过20 mg', 'fda_simvastatin_2011'),
      ix('地尔硫䓬', 'moderate', '合用时辛伐他汀每日不超过10 mg', 'fda_simvastatin_2011'),
      ix('维拉帕米', 'moderate', '合用时辛伐他汀每日不超过10 mg', 'fda_simvastatin_2011'),
    ],
  },
  洛伐他汀: {
    ix: [
      ix('克拉霉素', 'major', '强效CYP3A4抑制剂使洛伐他汀浓度大幅升高, 肌病风险, 禁止合用'),
      ix('伊曲康唑', 'major', '强效CYP3A4抑制剂使洛伐他汀浓度大幅升高, 肌病风险, 禁止合用'),
    ],
  },
  阿托伐他汀: {
    ix: [ix('克拉霉素', 'moderate', '克拉霉素升高阿托伐他汀浓度, 合用时阿托伐他汀剂量不宜超过20 mg/日')],
  },
  吉非罗齐: {
    ix: [ix('group:statin', 'major', '吉非罗齐与他汀合用肌病/横纹肌溶解风险显著增加, 避免合用(需联用贝特时优选非诺贝特)', 'lipid2023')],
  },
  阿司匹林: {
    ci: [
      allergy(['阿司匹林', '水杨酸', '非甾体抗炎药'], '对阿司匹林或其他水杨酸盐过敏(含阿司匹林哮喘)者禁用'),
      cond(['活动性消化性溃疡', '消化性溃疡出血'], '活动性消化性溃疡者禁用'),
    ],
    ix: [ix('布洛芬', 'moderate', '布洛芬可干扰低剂量阿司匹林的抗血小板作用, 需要时应错开服用时间')],
  },
  氯吡格雷: {
    ix: [
      ix('奥美拉唑', 'moderate', '奥美拉唑抑制CYP2C19, 降低氯吡格雷活性代谢物和抗血小板作用, 避免合用(可换用泮托拉唑等)', 'fda_clopidogrel_ppi_2009'),
      ix('艾司奥美拉唑', 'moderate', '艾司奥美拉唑抑制CYP2C19, 降低氯吡格雷抗血小板作用, 避免合用', 'fda_clopidogrel_ppi_2009'),
    ],
  },
  替格瑞洛: {
    ci: [cond(['颅内出血史', '脑出血史', '重度肝功能损害'], '有颅内出血病史或中重度肝损害者禁用')],
    ix: [
      ix('克拉霉素', 'major', '强效CYP3A4抑制剂显著升高替格瑞洛浓度, 禁止合用'),
      ix('伊曲康唑', 'major', '强效CYP3A4抑制剂显著升高替格瑞洛浓度, 禁止合用'),
    ],
  },
  西洛他唑: { ci: [cond(['心力衰竭', '心衰'], '充血性心力衰竭患者禁用'), ACTIVE_BLEEDING] },
  华法林: {
    ci: [preg('妊娠期禁用(致畸、胎儿出血)')],
    ix: [
      ix('胺碘酮', 'major', '胺碘酮抑制华法林代谢, INR显著升高, 需减量并密切监测INR'),
      ix('甲硝唑', 'major', '甲硝唑增强华法林抗凝作用, 出血风险, 需监测INR'),
      ix('复方磺胺甲噁唑', 'major', '增强华法林抗凝作用, INR升高, 需监测'),
      ix('氟康唑', 'major', '氟康唑抑制CYP2C9, 增强华法林作用, 需监测INR'),
    ],
  },
  利伐沙班: {
    ci: [egfr(15, '肌酐清除率<15 ml/min不建议使用'), preg('妊娠期禁用')],
    ix: [ix('伊曲康唑', 'major', '强效CYP3A4和P-gp抑制剂显著升高利伐沙班浓度, 不建议合用')],
  },
  阿哌沙班: { ci: [egfr(15, '肌酐清除率<15 ml/min不建议使用')] },
  艾多沙班: { ci: [egfr(15, '肌酐清除率<15 ml/min不建议使用')] },
  达比加群酯: {
    ci: [egfr(30, '重度肾功能不全(肌酐清除率<30 ml/min)禁用')],
    ix: [ix('伊曲康唑', 'major', '强效P-gp抑制剂升高达比加群浓度, 禁止合用')],
  },
  地高辛: {
    ci: [cond(['预激综合征', '梗阻性肥厚型心肌病', '室性心动过速', '洋地黄中毒'], '洋地黄中毒、室性心动过速、梗阻性肥厚型心肌病、预激综合征伴房颤者禁用')],
    ix: [
      ix('胺碘酮', 'major', '胺碘酮升高地高辛血药浓度, 合用时地高辛应减量并监测血药浓度'),
      ix('克拉霉素', 'moderate', '克拉霉素(P-gp抑制)升高地高辛浓度, 需监测'),
      ix('维拉帕米', 'moderate', '维拉帕米升高地高辛浓度并加重房室传导抑制'),
    ],
  },
  胺碘酮: {
    ci: [
      allergy(['碘'], '对碘过敏者禁用'),
      cond(['甲状腺功能亢进', '甲亢', '病态窦房结综合征'], '甲状腺功能异常、病态窦房结综合征(无起搏器)者禁用'),
      preg('妊娠期禁用'),
    ],
  },
  伊伐布雷定: {
    ci: [
      cond(['病态窦房结综合征', '三度房室传导阻滞', 'Ⅲ度房室传导阻滞', '心源性休克'], '病态窦房结综合征、三度房室传导阻滞、心源性休克者禁用'),
      preg('妊娠期禁用'),
    ],
    ix: [
      ix('克拉霉素', 'major', '强效CYP3A4抑制剂显著升高伊伐布雷定浓度, 禁止合用'),
      ix('地尔硫䓬', 'major', '与地尔硫䓬合用进一步减慢心率, 禁止合用'),
      ix('维拉帕米', 'major', '与维拉帕米合用进一步减慢心率, 禁止合用'),
    ],
  },
  曲美他嗪: {
    ci: [
      cond(['帕金森病', '帕金森综合征', '不宁腿综合征'], '帕金森病、帕金森综合征、震颤、不宁腿综合征及其他运动障碍者禁用'),
      egfr(30, '严重肾功能损害(肌酐清除率<30 ml/min)禁用'),
    ],
  },
  雷诺嗪: { ix: [ix('克拉霉素', 'major', '强效CYP3A4抑制剂升高雷诺嗪浓度, 禁止合用')] },
  尼可地尔: {
    ci: [cond(['心源性休克', '严重低血压'], '心源性休克、严重低血压者禁用')],
    ix: [
      ix('西地那非', 'major', '与PDE5抑制剂合用可致严重低血压, 禁止合用'),
      ix('他达拉非', 'major', '与PDE5抑制剂合用可致严重低血压, 禁止合用'),
    ],
  },
  维立西呱: {
    ci: [preg('妊娠期禁用')],
    ix: [
      ix('西地那非', 'moderate', '与PDE5抑制剂合用可致低血压, 不推荐合用'),
      ix('他达拉非', 'moderate', '与PDE5抑制剂合用可致低血压, 不推荐合用'),
    ],
  },
  别嘌醇: {
    ci: [
      cond(['HLA-B*5801阳性', 'HLA-B*58:01阳性', 'HLA-B5801阳性'], 'HLA-B*5801阳性者发生严重超敏反应(SJS/TEN)风险高, 不推荐使用', 'gout2019'),
      allergy(['别嘌醇', '别嘌呤醇'], '对别嘌醇过敏者禁用'),
    ],
  },
  非布司他: {
    ci: [
      caution(cond(['冠心病', '心肌梗死', '心血管疾病', '脑卒中', '脑梗死', '心力衰竭'], '合并心血管疾病者使用非布司他心血管死亡风险增加(黑框警告), 慎用', 'fda_febuxostat_2019')),
    ],
  },
  苯溴马隆: {
    ci: [
      egfr(20, 'eGFR<20 ml/min/1.73m²禁用', 'gout2019'),
      cond(['肾结石', '尿酸性肾结石', '泌尿系结石'], '合并尿酸性肾结石者禁用', 'gout2019'),
      preg('孕妇禁用'),
    ],
  },
  丙磺舒: { ci: [cond(['肾结石', '尿酸性肾结石'], '尿酸性肾结石者禁用')] },
  秋水仙碱: {
    ci: [egfr(30, '说明书: 骨髓增生低下及肝肾功能不全者禁用; eGFR<30时应避免使用')],
    ix: [
      ix('克拉霉素', 'major', '强效CYP3A4/P-gp抑制剂致秋水仙碱中毒(可致死), 禁止合用或大幅减量'),
      ix('伊曲康唑', 'major', '强效CYP3A4抑制剂致秋水仙碱中毒, 禁止合用或大幅减量'),
      ix('阿托伐他汀', 'moderate', '与他汀合用增加肌病风险, 需监测'),
      ix('辛伐他汀', 'moderate', '与他汀合用增加肌病风险, 需监测'),
    ],
  },
  左甲状腺素: {
    ci: [
      // "未经治疗的": a note that replaces glucocorticoids treats it, so it is warned about, not withheld.
      { kind: 'condition', keywords: ['未纠正的肾上腺皮质功能减退', '肾上腺皮质功能不全'], note: '未经治疗的肾上腺皮质功能不全禁用(先行糖皮质激素替代)', source: 'label', treatedBy: GLUCOCORTICOIDS },
      cond(['急性心肌梗死', '甲状腺毒症'], '急性心肌梗死、未经治疗的甲状腺毒症禁用'),
    ],
    ix: [
      ix('碳酸钙', 'moderate', THYROXINE_SPACING),
      ix('碳酸钙D3', 'moderate', THYROXINE_SPACING),
      ix('铝碳酸镁', 'moderate', THYROXINE_SPACING),
      ix('司维拉姆', 'moderate', THYROXINE_SPACING),
      ix('碳酸镧', 'moderate', THYROXINE_SPACING),
      ix('维D钙', 'moderate', THYROXINE_SPACING),
      ix('醋酸钙', 'moderate', THYROXINE_SPACING),
      ix('琥珀酸亚铁', 'moderate', THYROXINE_SPACING),
      ix('硫酸亚铁', 'moderate', THYROXINE_SPACING),
      ix('多糖铁复合物', 'moderate', THYROXINE_SPACING),
    ],
  },
  甲巯咪唑: {
    ci: [
      cond(['粒细胞缺乏'], '既往用药后发生粒细胞缺乏者禁用', 'thyroid2022'),
      // Mild neutropenia before treatment (often from Graves' disease itself) calls for monitoring, not avoidance.
      caution(cond(['中性粒细胞减少'], '中性粒细胞减少者慎用, 用药前后监测血常规', 'thyroid2022')),
      preg('妊娠早期(T1期)有致畸风险, 首选丙硫氧嘧啶', 'thyroid2022'),
    ],
  },
  丙硫氧嘧啶: {
    ci: [
      cond(['肝衰竭', '急性肝损伤', '严重肝功能损害'], '严重肝功能损害者禁用(肝毒性)', 'thyroid2022'),
      cond(['粒细胞缺乏'], '既往用药后发生粒细胞缺乏者禁用', 'thyroid2022'),
    ],
  },
  阿仑膦酸钠: {
    ci: [
      egfr(35, '肌酐清除率<35 ml/min不推荐使用'),
      cond(['食管狭窄', '食管弛缓不能', '食管排空延迟'], '导致食管排空延迟的食管异常(狭窄、弛缓不能)者禁用'),
    ],
  },
  阿仑膦酸钠维D3: {
    ci: [
      cond(['食管狭窄', '食管弛缓不能', '食管排空延迟'], '导致食管排空延迟的食管异常(狭窄、弛缓不能)者禁用'),
    ],
  },
  利塞膦酸钠: { ci: [egfr(30, '严重肾功能损害(肌酐清除率<30 ml/min)不推荐使用')] },
  伊班膦酸钠: { ci: [egfr(30, '严重肾功能损害(肌酐清除率<30 ml/min)不推荐使用')] },
  唑来膦酸: {
    ci: [egfr(35, '肌酐清除率<35 ml/min禁用'), preg('妊娠期禁用')],
  },
  地舒单抗: { ci: [cond(['低钙血症'], '低钙血症者禁用(需先纠正)'), preg('妊娠期禁用')] },
  特立帕肽: {
    ci: [
      cond(['高钙血症', '骨肉瘤', '变形性骨炎', 'Paget病', '骨骼放疗史', '骨转移'], '高钙血症、Paget病、既往骨骼放疗、骨恶性肿瘤或骨转移者禁用'),
      egfr(30, '严重肾功能不全者禁用'),
      preg('妊娠期禁用'),
    ],
  },
  雷洛昔芬: {
    ci: [
      cond(['深静脉血栓', '肺栓塞', '视网膜静脉血栓', '静脉血栓栓塞'], '有静脉血栓栓塞病史者禁用'),
      preg('妊娠期禁用'),
    ],
  },
  碳酸钙: { ci: [cond(['高钙尿症', '含钙肾结石'], '高钙尿症或含钙肾结石者慎用/禁用')] },
  司维拉姆: { ci: [cond(['肠梗阻'], '肠梗阻者禁用')] },
  碳酸镧: { ci: [cond(['肠梗阻'], '肠梗阻者禁用')] },
  醋酸钙: { ci: [cond(['高钙血症'], '高钙血症者禁用')] },
  西那卡塞: { ci: [cond(['低钙血症'], '低钙血症者不应起始治疗')] },
  罗沙司他: { ci: [preg('妊娠期禁用')] },
  重组人促红素: { ci: [cond(['未控制的高血压', '难以控制的高血压'], '未控制的重度高血压者禁用')] },
  氯化钾: { ci: [cond(['少尿', '无尿', '急性肾功能衰竭', '急性肾衰竭'], '少尿/无尿或急慢性肾功能衰竭时禁用(高钾风险)')] },
  度洛西汀: {
    ci: [
      egfr(30, '严重肾功能损害(肌酐清除率<30 ml/min)不推荐使用'),
      cond(['未控制的闭角型青光眼', '闭角型青光眼'], '未经控制的闭角型青光眼者禁用'),
    ],
  },
  多潘立酮: {
    ci: [cond(['QT间期延长', '心律失常', '严重肝功能损害'], 'QT间期延长、严重肝功能损害者禁用')],
    ix: [
      ix('克拉霉素', 'major', '强效CYP3A4抑制剂升高多潘立酮浓度并延长QT间期, 禁止合用'),
      ix('伊曲康唑', 'major', '强效CYP3A4抑制剂升高多潘立酮浓度并延长QT间期, 禁止合用'),
    ],
  },
  伊曲康唑: { ci: [cond(['充血性心力衰竭', '心力衰竭'], '有充血性心力衰竭证据或病史者不应使用'), preg('妊娠期禁用(治疗甲真菌病时)')] },
  复方磺胺甲噁唑: {
    ci: [allergy(['磺胺'], '磺胺类过敏者禁用')],
  },
  利奈唑胺: { ix: [ix('group:ssri', 'major', '利奈唑胺为非选择性单胺氧化酶抑制剂, 与SSRI合用可致5-羟色胺综合征')] },
  西地那非: { ci: [cond(['近期心肌梗死', '近期脑卒中', '严重低血压'], '近期心肌梗死/脑卒中或低血压者禁用')] },
  他达拉非: { ci: [cond(['近期心肌梗死', '近期脑卒中', '严重低血压'], '近期心肌梗死/脑卒中或低血压者禁用')] },
  非那雄胺: { ci: [preg('孕妇及可能怀孕的妇女禁用(致男性胎儿畸形), 不得接触碎片')] },
  度他雄胺: { ci: [preg('孕妇禁用, 不得接触破损胶囊')] },
  奥利司他: { ci: [cond(['慢性吸收不良综合征', '胆汁淤积'], '慢性吸收不良综合征或胆汁淤积症者禁用'), preg('妊娠期不宜使用')] },
  塞来昔布: { ci: [allergy(['磺胺'], '对磺胺过敏者禁用'), cond(['冠状动脉旁路移植术'], '冠状动脉旁路移植术(CABG)围手术期禁用')] },
  依托考昔: { ci: [cond(['未控制的高血压', '缺血性心脏病', '脑血管疾病'], '高血压未控制、确诊缺血性心脏病或脑血管病者禁用')] },
  布洛芬: { ci: [preg('妊娠晚期禁用')] },
  右美沙芬: { ci: [cond(['服用单胺氧化酶抑制剂'], '正在服用单胺氧化酶抑制剂者禁用')] },
  曲马多: { ix: [ix('group:ssri', 'moderate', '与SSRI合用增加5-羟色胺综合征和癫痫发作风险')] },
  唑吡坦: { ci: [cond(['严重呼吸功能不全', '睡眠呼吸暂停', '重症肌无力', '严重肝功能不全'], '严重呼吸功能不全、睡眠呼吸暂停、重症肌无力、严重肝功能不全者禁用')] },
  泼尼松: { ix: [ix('group:nsaid', 'moderate', '与非甾体抗炎药合用增加消化道溃疡和出血风险')] },
  甲泼尼龙: { ix: [ix('group:nsaid', 'moderate', '与非甾体抗炎药合用增加消化道溃疡和出血风险')] },
  溴隐亭: { ci: [cond(['未控制的高血压', '妊娠高血压'], '未控制的高血压、妊娠期高血压疾病者禁用')] },
};

// ---- parsing ---------------------------------------------------------------------------
interface Line {
  name: string;
  atc: string;
  cls: string;
  group: string;
  salts: string[];
  forms: string[];
  aliases: string[];
  components: string[];
  area: TherapeuticArea;
}

const list = (s: string | undefined): string[] =>
  (s ?? '').split(',').map((x) => x.trim()).filter((x) => x.length > 0);

export function parseDrugLines(text: string): Line[] {
  const out: Line[] = [];
  let area: TherapeuticArea | null = null;
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (!line) return;
    if (line.startsWith('## ')) {
      const a = line.slice(3).trim() as TherapeuticArea;
      if (!AREAS.includes(a)) throw new Error(`drug-lines line ${i}: unknown area '${a}'`);
      area = a;
      return;
    }
    const f = line.split('|');
    if (f.length < 7 || f.length > 8) throw new Error(`drug-lines line ${i}: expected 7 or 8 fields, got ${f.length}: ${line}`);
    if (!area) throw new Error(`drug-lines line ${i}: no area header before first drug`);
    const [name, atc, cls, group, salts, forms, aliases, components] = f.map((x) => x.trim());
    if (!name || !cls) throw new Error(`drug-lines line ${i}: name and class are required: ${line}`);
    out.push({
      name,
      atc: atc ?? '',
      cls,
      group: group ?? '',
      salts: list(salts),
      forms: list(forms),
      aliases: list(aliases),
      components: list(components),
      area,
    });
  });
  return out;
}

function expandAliases(l: Line): string[] {
  const bases = [l.name, ...l.salts.map((s) => (s.startsWith('~') ? l.name + s.slice(1) : s + l.name))];
  const out: string[] = [];
  const seen = new Set<string>([l.name]);
  const add = (a: string): void => {
    if (!seen.has(a)) {
      seen.add(a);
      out.push(a);
    }
  };
  for (const b of bases) {
    add(b);
    for (const form of l.forms) add(b + form);
  }
  for (const a of l.aliases) add(a.replace(/^\?/, ''));
  return out;
}

/** GROUP_FACTS with the MEMBERS allergy keyword replaced by the group's canonical names. */
function expandMembers(lines: readonly Line[]): Record<string, Facts> {
  const out: Record<string, Facts> = {};
  for (const [group, facts] of Object.entries(GROUP_FACTS)) {
    const members = lines.filter((l) => l.group === group).map((l) => l.name);
    const ci = facts.ci?.map((c) =>
      c.kind === 'allergy' && c.keywords.includes(MEMBERS)
        ? { ...c, keywords: [...new Set(c.keywords.flatMap((k) => (k === MEMBERS ? members : [k])))] }
        : c,
    );
    out[group] = { ...facts, ...(ci ? { ci } : {}) };
  }
  return out;
}

function dedupe<T>(items: T[]): T[] {
  const seen = new Set<string>();
  return items.filter((x) => {
    const k = JSON.stringify(x);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

export function buildFormularyFile(): FormularyFile {
  const lines = parseDrugLines(DRUG_LINES);
  const byName = new Map(lines.map((l) => [l.name, l]));
  for (const name of Object.keys(DRUG_FACTS)) {
    if (!byName.has(name)) throw new Error(`DRUG_FACTS names unknown drug '${name}'`);
  }
  const groupFacts = expandMembers(lines);
  const ownFacts = (l: Line): Required<Facts> => {
    const g = l.group ? groupFacts[l.group] : undefined;
    const d = DRUG_FACTS[l.name];
    return { ci: [...(g?.ci ?? []), ...(d?.ci ?? [])], ix: [...(g?.ix ?? []), ...(d?.ix ?? [])] };
  };
  const drugs: FormularyDrug[] = lines.map((l) => {
    const facts = ownFacts(l);
    for (const c of l.components) {
      const comp = byName.get(c);
      if (!comp) throw new Error(`${l.name}: unknown component '${c}'`);
      const cf = ownFacts(comp);
      facts.ci.push(...cf.ci);
      facts.ix.push(...cf.ix);
    }
    const drug: FormularyDrug = {
      name: l.name,
      aliases: expandAliases(l),
      atc: l.atc,
      class: l.cls,
      area: l.area,
    };
    const ambiguous = l.aliases.filter((a) => a.startsWith('?')).map((a) => a.slice(1));
    if (ambiguous.length) drug.ambiguousAliases = ambiguous;
    if (l.group) drug.duplicationGroup = l.group;
    const componentGroups = [...new Set(l.components.map((c) => byName.get(c)!.group).filter((g) => g && g !== l.group))];
    if (componentGroups.length) drug.componentGroups = componentGroups;
    const ci = dedupe(facts.ci);
    const ixs = dedupe(facts.ix).filter(
      (x) => x.with !== l.name && !l.components.includes(x.with) && !(l.group && x.with === `group:${l.group}`),
    );
    if (ci.length) drug.contraindications = ci;
    if (ixs.length) drug.interactions = ixs;
    return drug;
  });
  return {
    version: FORMULARY_VERSION,
    description:
      'DischargeRx 演示用出院带药候选列表(代谢性疾病住院患者)。名称为不含盐基和剂型的通用名; 安全性信息摘自公开的指南和药品说明书, 仅供演示, 不是经过验证的临床知识库。',
    sources: SOURCES,
    drugs,
  };
}

/** The committed JSON layout: one source / one drug per line, so diffs stay readable. */
export function serializeFormulary(file: FormularyFile): string {
  const rows = (xs: unknown[]): string => xs.map((x) => '    ' + JSON.stringify(x)).join(',\n');
  return (
    '{\n' +
    `  "version": ${JSON.stringify(file.version)},\n` +
    `  "description": ${JSON.stringify(file.description)},\n` +
    `  "sources": [\n${rows(file.sources)}\n  ],\n` +
    `  "drugs": [\n${rows(file.drugs)}\n  ]\n` +
    '}\n'
  );
}
