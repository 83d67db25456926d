import { describe, expect, it } from 'vitest';
import type { MentionStatus } from './baselines/mention.ts';
import { Formulary } from './formulary.ts';
import type { CDrugRedRecord } from './record.ts';
import { unsuggestedDrugs as unsuggestedIn } from './unsuggested.ts';
import { AREA_REASONS, supportedAreas } from './area-support.ts';
import type { TherapeuticArea } from './formulary-types.ts';

const f = Formulary.bundled();
const rec = (fields: Partial<CDrugRedRecord>): CDrugRedRecord =>
  ({ 主诉: '', 现病史: '', 既往史: '', 入院情况: '', 诊疗过程描述: '', 出院诊断: [], ...fields }) as CDrugRedRecord;
const none = new Map<string, MentionStatus>();
// Every area counts as supported, so the finding and regimen rules are tested on their own.
const everyArea = new Set(Object.keys(AREA_REASONS) as TherapeuticArea[]);
const unsuggestedDrugs = (r: CDrugRedRecord, fo: Formulary, statuses: ReadonlyMap<string, MentionStatus>, planned: ReadonlySet<string>) =>
  unsuggestedIn(r, fo, statuses, planned, everyArea);

describe('unsuggestedDrugs', () => {
  it('a course that states the diabetes regimen closes the area, except named drugs and a planned class', () => {
    const r = rec({ 诊疗过程描述: '降糖：加用SGLT2抑制剂，二甲双胍同前。' });
    const statuses = new Map<string, MentionStatus>([['二甲双胍', 'positive']]);
    const out = unsuggestedDrugs(r, f, statuses, new Set(['达格列净']));
    expect(out.has('西格列汀')).toBe(true);
    expect(out.has('阿卡波糖')).toBe(true);
    expect(out.has('二甲双胍')).toBe(false); // named
    expect(out.has('达格列净')).toBe(false); // the planned class's usual drug
    expect(out.has('阿托伐他汀')).toBe(false); // another area
    // Without the regimen sentence nothing of the area is closed.
    expect(unsuggestedDrugs(rec({ 诊疗过程描述: '加用SGLT2抑制剂，二甲双胍同前。' }), f, statuses, new Set()).has('西格列汀')).toBe(false);
  });

  it('a potassium supplement needs documented low potassium', () => {
    const potassium = ['氯化钾', '枸橼酸钾', '门冬氨酸钾镁'];
    const without = unsuggestedDrugs(rec({ 诊疗过程描述: '血钾4.2mmol/L，予ARB+CCB降压。' }), f, none, new Set());
    expect(potassium.every((d) => without.has(d))).toBe(true);
    for (const text of ['入院查血钾3.1mmol/L', '低钾血症，予口服补钾', 'K 2.9ｍｍｏｌ/Ｌ↓', '血清钾：3.3']) {
      const out = unsuggestedDrugs(rec({ 入院情况: text }), f, none, new Set());
      expect(potassium.some((d) => out.has(d)), text).toBe(false);
    }
    // A drug name is not a potassium value; a normal or high value is not low.
    for (const text of ['既往服用氯化钾缓释片1g', '血钾3.5mmol/L', '血钾6.1mmol/L', 'CK 2.1']) {
      expect(unsuggestedDrugs(rec({ 入院情况: text }), f, none, new Set()).has('氯化钾'), text).toBe(true);
    }
    // A supplement the note names is never in the set (its own status decides).
    expect(unsuggestedDrugs(rec({}), f, new Map([['氯化钾', 'positive']]), new Set()).has('氯化钾')).toBe(false);
  });

  it('an omega-3 ethyl ester is never an unnamed suggestion, even with a lipid finding; named, its status decides', () => {
    const omega3 = ['二十碳五烯酸乙酯', '多烯酸乙酯'];
    const lipid = unsuggestedDrugs(rec({ 入院情况: 'TG 5.6mmol/L', 出院诊断: ['高甘油三酯血症'] }), f, none, new Set());
    expect(omega3.every((d) => lipid.has(d))).toBe(true);
    expect(lipid.has('非诺贝特')).toBe(false);
    expect(unsuggestedDrugs(rec({ 入院情况: 'TG 5.6mmol/L' }), f, new Map<string, MentionStatus>([['多烯酸乙酯', 'positive']]), new Set()).has('多烯酸乙酯')).toBe(false);
  });

  it('an acid suppressant is no unnamed suggestion; a planned class keeps its usual drug', () => {
    const out = unsuggestedDrugs(rec({ 诊疗过程描述: '予阿司匹林100mg qd。' }), f, new Map<string, MentionStatus>([['阿司匹林', 'positive']]), new Set());
    expect(['泮托拉唑', '奥美拉唑', '雷贝拉唑'].every((d) => out.has(d))).toBe(true);
    expect(unsuggestedDrugs(rec({ 诊疗过程描述: '加用PPI护胃。' }), f, none, new Set(['泮托拉唑'])).has('泮托拉唑')).toBe(false);
    expect(unsuggestedDrugs(rec({}), f, new Map<string, MentionStatus>([['奥美拉唑', 'positive']]), new Set()).has('奥美拉唑')).toBe(false);
  });

  it('a fibrate needs a lipid finding in the note or the diagnoses', () => {
    const tgLowering = ['非诺贝特', '苯扎贝特'];
    const gout = unsuggestedDrugs(rec({ 现病史: '痛风5年，UA 520μmol/L', 出院诊断: ['痛风', '高血压病2级'] }), f, none, new Set());
    expect(tgLowering.every((d) => gout.has(d))).toBe(true);
    expect(gout.has('阿托伐他汀')).toBe(false); // not finding-bound here
    for (const fields of [{ 入院情况: 'TG 5.6mmol/L' }, { 出院诊断: ['高甘油三酯血症'] }, { 现病史: '发现血脂升高3年' }, { 出院诊断: ['混合型高脂血症'] }]) {
      expect(tgLowering.some((d) => unsuggestedDrugs(rec(fields), f, none, new Set()).has(d)), JSON.stringify(fields)).toBe(false);
    }
    // Thyroglobulin is not a triglyceride.
    expect(unsuggestedDrugs(rec({ 入院情况: '甲状腺癌术后，Tg 0.2ng/ml' }), f, none, new Set()).has('非诺贝特')).toBe(true);
  });

  it('a switch to a glucose regimen of two or more agents closes the area (RULE-1208e)', () => {
    const statuses = new Map<string, MentionStatus>([['二甲双胍', 'positive']]);
    const switched = unsuggestedDrugs(rec({ 诊疗过程描述: '改为基础胰岛素联合二甲双胍，血糖控制于6-9mmol/L。' }), f, statuses, new Set(['甘精胰岛素']));
    expect(switched.has('西格列汀')).toBe(true);
    expect(switched.has('甘精胰岛素')).toBe(false); // the switch's planned class
    expect(unsuggestedDrugs(rec({ 诊疗过程描述: '调整为预混胰岛素每日两次。' }), f, none, new Set(['门冬胰岛素30'])).has('西格列汀')).toBe(false);
  });

  it('no statin beside a fibrate, no antiplatelet beside an anticoagulant the note takes or plans (RULE-1208f)', () => {
    expect(unsuggestedDrugs(rec({ 诊疗过程描述: '加用贝特类降TG。' }), f, none, new Set(['非诺贝特'])).has('阿托伐他汀')).toBe(true);
    const onRivaroxaban = new Map<string, MentionStatus>([['利伐沙班', 'positive']]);
    const out = unsuggestedDrugs(rec({ 诊疗过程描述: '利伐沙班同前。' }), f, onRivaroxaban, new Set());
    expect(out.has('阿司匹林')).toBe(true);
    expect(out.has('氯吡格雷')).toBe(true);
    // named itself, its own status decides; a stopped anticoagulant chooses nothing
    expect(unsuggestedDrugs(rec({}), f, new Map<string, MentionStatus>([...onRivaroxaban, ['阿司匹林', 'positive']]), new Set()).has('阿司匹林')).toBe(false);
    expect(unsuggestedDrugs(rec({}), f, new Map<string, MentionStatus>([['利伐沙班', 'stopped']]), new Set()).has('阿司匹林')).toBe(false);
    expect(unsuggestedDrugs(rec({}), f, none, new Set()).has('阿托伐他汀')).toBe(false);
  });

  it('no second urate-lowering drug where the note names or plans one', () => {
    const named = unsuggestedDrugs(rec({ 诊疗过程描述: '予苯溴马隆25mg qd。' }), f, new Map<string, MentionStatus>([['苯溴马隆', 'positive']]), new Set());
    expect(named.has('非布司他')).toBe(true);
    expect(named.has('别嘌醇')).toBe(true);
    expect(named.has('苯溴马隆')).toBe(false); // named: its own status decides
    expect(unsuggestedDrugs(rec({ 诊疗过程描述: '加用促尿酸排泄药。' }), f, none, new Set(['苯溴马隆'])).has('非布司他')).toBe(true);
    // none chosen, or the one named was stopped: the others stay possible
    expect(unsuggestedDrugs(rec({}), f, none, new Set()).has('非布司他')).toBe(false);
    expect(unsuggestedDrugs(rec({}), f, new Map<string, MentionStatus>([['别嘌醇', 'stopped']]), new Set()).has('非布司他')).toBe(false);
  });

  it('a hepatitis-B antiviral needs hepatitis B in the note; a fatty liver or a raised ALT is not it', () => {
    const antivirals = ['恩替卡韦', '替诺福韦二吡呋酯', '丙酚替诺福韦'];
    const fattyLiver = unsuggestedDrugs(rec({ 既往史: '脂肪肝。', 入院情况: 'ALT 68' }), f, none, new Set());
    expect(antivirals.every((d) => fattyLiver.has(d))).toBe(true);
    expect(fattyLiver.has('多烯磷脂酰胆碱')).toBe(true); // a liver drug only when named (RULE-1207r)
    expect(unsuggestedDrugs(rec({ 既往史: '脂肪肝。' }), f, new Map<string, MentionStatus>([['多烯磷脂酰胆碱', 'positive']]), new Set()).has('多烯磷脂酰胆碱')).toBe(false);
    for (const fields of [{ 既往史: '慢性乙型病毒性肝炎10年' }, { 入院情况: 'HBsAg(+)，HBV-DNA 2.1×10^3 IU/ml' }, { 出院诊断: ['慢性乙肝'] }]) {
      expect(antivirals.some((d) => unsuggestedDrugs(rec(fields), f, none, new Set()).has(d)), JSON.stringify(fields)).toBe(false);
    }
  });

  it('ketoanalogues need reduced kidney function: an eGFR below 60 or a CKD stage 3–5 word', () => {
    const normal = unsuggestedDrugs(rec({ 入院情况: 'Scr 68μmol/L，eGFR 98ml/min/1.73m²', 出院诊断: ['痛风', '2型糖尿病'] }), f, none, new Set());
    expect(normal.has('复方α-酮酸')).toBe(true);
    expect(normal.has('司维拉姆')).toBe(false); // not finding-bound here
    for (const fields of [
      { 入院情况: 'eGFR 25ml/min/1.73m²' },
      { 入院情况: '估算肾小球滤过率：6ml/min/1.73m²' },
      { 入院情况: 'eGFR(CKD-EPI)58.' },
      { 出院诊断: ['糖尿病肾病（CKD 4期）'] },
      { 出院诊断: ['慢性肾脏病3b期'] },
      { 出院诊断: ['糖尿病肾病Ⅴ期'] },
      { 出院诊断: ['慢性肾功能不全'] },
      { 诊疗过程描述: '嘱优质低蛋白饮食' },
    ]) {
      expect(unsuggestedDrugs(rec(fields), f, none, new Set()).has('复方α-酮酸'), JSON.stringify(fields)).toBe(false);
    }
    // eGFR 60 and up is not reduced; CKD stage 1–2 is not either.
    for (const fields of [{ 入院情况: 'eGFR 60' }, { 出院诊断: ['慢性肾脏病2期'] }]) {
      expect(unsuggestedDrugs(rec(fields), f, none, new Set()).has('复方α-酮酸'), JSON.stringify(fields)).toBe(true);
    }
    // Named, it keeps its own status.
    expect(unsuggestedDrugs(rec({ 入院情况: 'eGFR 98' }), f, new Map([['复方α-酮酸', 'positive']]), new Set()).has('复方α-酮酸')).toBe(false);
  });

  it('a drug of an area the note gives no reason for is not suggested; a named one keeps its status', () => {
    const own = (r: CDrugRedRecord, statuses = none) => unsuggestedIn(r, f, statuses, new Set(), supportedAreas(r));
    const gout = rec({ 现病史: '反复右足第一跖趾关节红肿痛3年，UA 560μmol/L', 出院诊断: ['痛风性关节炎'] });
    const out = own(gout);
    for (const d of ['阿托伐他汀', '阿司匹林', '甲钴胺']) expect(out.has(d), d).toBe(true);
    expect(out.has('非布司他')).toBe(false); // gout is the note's own area
    for (const diagnosis of ['高脂血症', '冠心病']) {
      expect(own(rec({ ...gout, 出院诊断: ['痛风性关节炎', diagnosis] })).has('阿托伐他汀'), diagnosis).toBe(false);
    }
    expect(own(rec({ ...gout, 出院诊断: ['痛风性关节炎', '糖尿病周围神经病变'] })).has('甲钴胺')).toBe(false);
    // A negated condition gives no reason ("否认冠心病").
    expect(own(rec({ ...gout, 既往史: '否认冠心病、脑梗死病史' })).has('阿司匹林')).toBe(true);
    // Named, a drug keeps its own status whatever the area.
    expect(own(gout, new Map([['阿托伐他汀', 'positive']])).has('阿托伐他汀')).toBe(false);
  });

  it('dapagliflozin needs a reason the class is preferred for (RULE-1206l)', () => {
    expect(unsuggestedDrugs(rec({ 出院诊断: ['2型糖尿病'], 入院情况: 'HbA1c 8.2%' }), f, none, new Set()).has('达格列净')).toBe(true);
    for (const fields of [
      { 出院诊断: ['2型糖尿病', '冠心病'] },
      { 出院诊断: ['2型糖尿病', '慢性心力衰竭'] },
      { 出院诊断: ['2型糖尿病', '糖尿病肾病'] },
      { 入院情况: 'BMI 31.2kg/m²' },
      { 诊疗过程描述: '加用SGLT2抑制剂' },
    ]) {
      expect(unsuggestedDrugs(rec(fields), f, none, new Set()).has('达格列净'), JSON.stringify(fields)).toBe(false);
    }
  });

  it('a second choice of its class is never a suggestion; named, it keeps its status (RULE-1206m)', () => {
    const hypo = rec({ 出院诊断: ['甲状腺功能减退症', '骨质疏松症'] });
    const open = unsuggestedDrugs(hypo, f, none, new Set());
    expect(open.has('甲状腺片')).toBe(true);
    expect(open.has('阿法骨化醇')).toBe(true);
    expect(open.has('左甲状腺素')).toBe(false);
    expect(open.has('骨化三醇')).toBe(false);
    expect(unsuggestedDrugs(hypo, f, new Map([['甲状腺片', 'positive']]), new Set()).has('甲状腺片')).toBe(false);
  });

  it('a continued regimen closes its scope only where the note names a drug of it', () => {
    const statuses = new Map<string, MentionStatus>([['二甲双胍', 'positive']]);
    const withMetformin = unsuggestedDrugs(rec({ 诊疗过程描述: '心室率控制可，降压及降糖方案同前。' }), f, statuses, new Set());
    expect(withMetformin.has('西格列汀')).toBe(true);
    expect(withMetformin.has('二甲双胍')).toBe(false); // named
    // Pressure is continued too, but the note names no antihypertensive: the regimen is unknown.
    expect(withMetformin.has('缬沙坦')).toBe(false);
    // A drug the sentence is not about stays open (β-blockers are given for rate as well).
    expect(unsuggestedDrugs(rec({ 诊疗过程描述: '降压同前。' }), f, new Map([['氨氯地平', 'positive']]), new Set()).has('美托洛尔')).toBe(false);
    // Without the sentence, or with a stopped drug only, nothing is closed.
    expect(unsuggestedDrugs(rec({ 诊疗过程描述: '心室率控制可。' }), f, statuses, new Set()).has('西格列汀')).toBe(false);
    expect(unsuggestedDrugs(rec({ 诊疗过程描述: '降糖方案不变。' }), f, new Map([['格列美脲', 'stopped']]), new Set()).has('西格列汀')).toBe(false);
  });
});
