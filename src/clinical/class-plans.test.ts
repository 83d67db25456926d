import { describe, expect, it } from 'vitest';
import { MINI_FORMULARY } from './__fixtures__/mini-formulary.ts';
import { classStatuses, openClassPlans } from './class-plans.ts';
import { CLASS_WORDS, unnamedPicks } from './class-words.ts';
import { Formulary } from './formulary.ts';
import { recordFromObject, withheldDrugs } from './withhold.ts';

const formulary = Formulary.fromJson(MINI_FORMULARY, 'mini');
const note = (诊疗过程描述: string, 既往史 = '') => ({ 既往史, 诊疗过程描述 });
const planned = (r: Record<string, unknown>) => openClassPlans(r, formulary).map((p) => [p.key, p.drugs, p.usual]);

describe('class-level plans', () => {
  it('a class the note plans without naming a drug of it is an open plan: its drugs and its usual one', () => {
    const r = note('HbA1c 8.4%，加用SGLT2抑制剂护肾，予甲状腺激素替代。');
    expect(classStatuses(r, formulary)).toEqual(new Map([['sglt2', 'positive'], ['thyroxine', 'positive']]));
    expect(planned(r)).toEqual([
      ['sglt2', ['达格列净'], '达格列净'],
      ['thyroxine', ['左甲状腺素'], '左甲状腺素'],
    ]);
    expect(planned(note('他汀强化降脂。'))).toEqual([['statinHigh', ['阿托伐他汀', '瑞舒伐他汀'], '阿托伐他汀']]);
    expect(planned(note('加用他汀降脂。'))).toEqual([['statin', ['阿托伐他汀', '瑞舒伐他汀'], '阿托伐他汀']]);
  });

  it('a class whose drug the note names is no open plan: the named drug is the plan', () => {
    const r = note('他汀强化降脂。', '口服瑞舒伐他汀10mg qn。');
    expect(classStatuses(r, formulary).get('statinHigh')).toBe('positive');
    expect(planned(r)).toEqual([]);
  });

  it('a switch from a daily GLP-1 RA to a weekly one plans semaglutide and replaces the daily drug', () => {
    const bundled = Formulary.bundled();
    const r = { 现病史: '利拉鲁肽1.2mg qd皮下注射1年，常漏打。', 诊疗过程描述: 'GLP-1受体激动剂由日制剂改为周制剂，二甲双胍同前。' };
    expect(openClassPlans(r, bundled).map((p) => [p.key, p.usual])).toContainEqual(['glp1Weekly', '司美格鲁肽']);
    expect(withheldDrugs(recordFromObject(r), ['利拉鲁肽', '司美格鲁肽'], bundled).map((w) => w.drug)).toEqual(['利拉鲁肽']);
    // a weekly insulin is no GLP-1 RA plan
    expect(openClassPlans({ 诊疗过程描述: '基础胰岛素改为胰岛素周制剂。' }, bundled).map((p) => p.key)).not.toContain('glp1Weekly');
    // without the switch the named daily drug is the plan
    expect(openClassPlans({ 现病史: '利拉鲁肽1.2mg qd。', 诊疗过程描述: 'GLP-1受体激动剂同前。' }, bundled)).toEqual([]);
  });

  it('a switch from a human premix to a premixed analogue plans aspart 30 and replaces the human premix', () => {
    const bundled = Formulary.bundled();
    const r = { 现病史: '使用精蛋白生物合成人胰岛素注射液(预混30R)早20U、晚16U。', 诊疗过程描述: '调整降糖：改为预混胰岛素类似物每日两次。' };
    expect(openClassPlans(r, bundled).map((p) => [p.key, p.usual])).toContainEqual(['premixAnalogue', '门冬胰岛素30']);
    expect(withheldDrugs(recordFromObject(r), ['精蛋白生物合成人胰岛素(预混30R)', '门冬胰岛素30'], bundled).map((w) => w.drug)).toEqual(['精蛋白生物合成人胰岛素(预混30R)']);
    // a premixed analogue the note names answers the plan; without a switch the human premix stays
    expect(openClassPlans({ 现病史: '诺和锐30早16U晚12U。', 诊疗过程描述: '预混胰岛素类似物同前。' }, bundled)).toEqual([]);
    expect(withheldDrugs(recordFromObject({ 现病史: '诺和灵30R早20U晚16U。', 诊疗过程描述: '预混人胰岛素同前，未改为预混胰岛素类似物（费用原因）。' }), ['精蛋白生物合成人胰岛素(预混30R)'], bundled)).toEqual([]);
  });

  it('high-intensity statin therapy on a moderate-intensity statin plans atorvastatin', () => {
    const bundled = Formulary.bundled();
    const plans = (r: Record<string, unknown>) => openClassPlans(r, bundled).map((p) => [p.key, p.usual]);
    expect(plans(note('改为高强度他汀强化降脂。', '长期服用辛伐他汀片20mg qn。'))).toEqual([['statinHigh', '阿托伐他汀']]);
    expect(plans(note('改为高强度他汀强化降脂。', '长期服用阿托伐他汀钙片20mg qn。'))).toEqual([]);
    // another class planned first in the note does not hide the switch
    expect(plans(note('加用SGLT2抑制剂，改为高强度他汀强化降脂。', '长期服用辛伐他汀片20mg qn。'))).toEqual([
      ['sglt2', '达格列净'],
      ['statinHigh', '阿托伐他汀'],
    ]);
    // without a switch the named statin answers the plan
    expect(plans(note('他汀强化降脂。', '长期服用辛伐他汀片20mg qn。'))).toEqual([]);
  });

  it('the new class words plan their usual drug: ARNI, loop diuretic, uricosuric, ARB + thiazide single pill', () => {
    const bundled = Formulary.bundled();
    const plans = (t: string) => openClassPlans(note(t), bundled).map((p) => [p.key, p.usual]);
    expect(plans('缬沙坦换为ARNI，加用口服袢利尿剂。')).toEqual([['arni', '沙库巴曲缬沙坦'], ['loopDiuretic', '呋塞米']]);
    expect(plans('选用促尿酸排泄药+碱化尿液。')).toEqual([['uricosuric', '苯溴马隆'], ['alkali', '碳酸氢钠']]);
    expect(plans('选用ARB+噻嗪单片复方制剂。')).toEqual([['arbDiuretic', '缬沙坦氢氯噻嗪']]);
    expect(plans('选用ARB降压。')).toEqual([['arb', '缬沙坦']]);
    expect(plans('降压选用兼有促尿酸排泄作用的ARB，联合二氢吡啶类CCB。')).toEqual([['arbUricosuric', '氯沙坦'], ['ccb', '氨氯地平']]);
    expect(plans('停用氢氯噻嗪，加用兼有降尿酸作用的ARB。')).toEqual([['arbUricosuric', '氯沙坦']]);
    expect(plans('出院方案：双联抗血小板12月。')).toEqual([['p2y12Dual', '氯吡格雷'], ['antiplatelet', '阿司匹林']]);
    expect(plans('加用抗血小板。')).toEqual([['antiplatelet', '阿司匹林']]);
    // urate-lowering drugs as a whole make no plan for one of them
    expect(plans('启动降尿酸治疗。')).toEqual([]);
    expect(plans('加用GLP-1受体激动剂。')).toEqual([['glp1', '司美格鲁肽']]);
    expect(plans('加用GLP-1受体激动剂周制剂。')).toEqual([['glp1Weekly', '司美格鲁肽']]);
    expect(plans('加用GLP-1受体激动剂（每日一次，0.6mg起始）。')).toEqual([['glp1Daily', '利拉鲁肽']]);
    // thyroid cancer after surgery: TSH suppression is levothyroxine
    expect(plans('甲状腺全切术后，予TSH抑制治疗。')).toEqual([['thyroxine', '左甲状腺素']]);
    // a class a note only ever rules out plans nothing when it is named
    expect(plans('痛风发作时予NSAIDs止痛。')).toEqual([]);
  });

  it('PCSK9 inhibitors, nitrates and oral iron plan their usual drug; a named drug of the class is the plan', () => {
    const bundled = Formulary.bundled();
    const plans = (t: string) => openClassPlans(note(t), bundled).map((p) => [p.key, p.usual]);
    expect(plans('LDL-C仍未达标，加用PCSK9抑制剂。')).toEqual([['pcsk9', '依洛尤单抗']]);
    expect(plans('加用硝酸酯类改善心肌供血，予口服铁剂纠正贫血。')).toEqual([['nitrate', '单硝酸异山梨酯'], ['iron', '琥珀酸亚铁']]);
    expect(plans('加用PCSK9抑制剂（依洛尤单抗140mg q2w）。')).toEqual([]);
    // a nitrate's own name holds no class word
    expect(plans('单硝酸异山梨酯缓释片40mg qd，硝酸甘油舌下含服备用。')).toEqual([]);
    // iron given on the ward is no plan
    expect(plans('予蔗糖铁静滴补铁。')).toEqual([]);
  });

  it('a class the note stops, defers or denies is not planned, and a drug name is no class word', () => {
    expect(planned(note('停用磺脲类，暂不加用他汀，否认使用DPP-4抑制剂。'))).toEqual([]);
    expect(planned(note('3月后复查血脂再决定是否启用他汀。'))).toEqual([]);
    expect(planned(note('3月后复查血脂，启用他汀。'))).toEqual([['statin', ['阿托伐他汀', '瑞舒伐他汀'], '阿托伐他汀']]);
    expect(classStatuses(note('停用磺脲类，暂不加用他汀。'), formulary)).toEqual(new Map([['sulfonylurea', 'stopped'], ['statin', 'stopped']]));
    // the 他汀 of 瑞舒伐他汀 is the drug, not the class; a thyroid-hormone test is not a therapy
    expect(classStatuses(note('予瑞舒伐他汀10mg qn，复查甲状腺激素水平。'), formulary)).toEqual(new Map());
  });

  it('the latest statement about a class wins, as for a drug', () => {
    expect(planned(note('因尿路感染停用SGLT2抑制剂。感染控制后出院后继续SGLT2抑制剂。'))).toEqual([['sglt2', ['达格列净'], '达格列净']]);
  });

  it("each class word's usual drug is a bundled formulary drug of that class", () => {
    const bundled = Formulary.bundled();
    for (const w of CLASS_WORDS.filter((c) => c.usual !== undefined)) expect([w.key, w.classes.includes(bundled.drugs.find((d) => d.name === w.usual)?.class ?? '')]).toEqual([w.key, true]);
    for (const w of CLASS_WORDS) for (const n of w.members ?? []) expect([w.key, n, w.classes.includes(bundled.drugs.find((d) => d.name === n)?.class ?? '')]).toEqual([w.key, n, true]);
    // what a switch to the word replaces may lie outside its class (a premix, for basal insulin)
    for (const w of CLASS_WORDS) for (const n of w.supersedes ?? []) expect([w.key, n, bundled.has(n)]).toEqual([w.key, n, true]);
    for (const w of CLASS_WORDS.filter((c) => c.instead)) expect([w.key, w.classes.includes(bundled.drugs.find((d) => d.name === w.instead!.usual)?.class ?? '')]).toEqual([w.key, true]);
  });

  it('with kidney disease or eGFR < 45 a DPP-4 plan means linagliptin; otherwise the usual one', () => {
    const bundled = Formulary.bundled();
    const usual = (r: Record<string, unknown>) => openClassPlans(r, bundled).find((p) => p.key === 'dpp4')?.usual;
    expect(usual({ 诊疗过程描述: '加用DPP-4抑制剂。' })).toBe('西格列汀');
    expect(usual({ 诊疗过程描述: 'eGFR 42ml/min/1.73m²，加用DPP-4抑制剂。' })).toBe('利格列汀');
    expect(usual({ 诊疗过程描述: 'eGFR 88，加用DPP-4抑制剂。' })).toBe('西格列汀');
    // sitagliptin needs no dose change at eGFR 45-60
    expect(usual({ 诊疗过程描述: 'eGFR 54ml/min/1.73m²，降糖改为DPP-4抑制剂单药。' })).toBe('西格列汀');
    expect(usual({ 诊疗过程描述: '加用DPP-4抑制剂。', 出院诊断: ['2型糖尿病', '糖尿病肾病'] })).toBe('利格列汀');
    expect(usual({ 诊疗过程描述: '加用DPP-4抑制剂。', 既往史: '否认慢性肾脏病。' })).toBe('西格列汀');
  });

  it('in thyrotoxicosis a β-blocker plan means propranolol; otherwise metoprolol', () => {
    const bundled = Formulary.bundled();
    const usual = (r: Record<string, unknown>) => openClassPlans(r, bundled).find((p) => p.key === 'beta')?.usual;
    expect(usual({ 诊疗过程描述: '予甲巯咪唑抗甲状腺，β受体阻滞剂控制心率。', 出院诊断: ['Graves病', '甲状腺功能亢进症'] })).toBe('普萘洛尔');
    expect(usual({ 诊疗过程描述: '甲亢未控制，加用β受体阻滞剂控制心率。' })).toBe('普萘洛尔');
    expect(usual({ 诊疗过程描述: '加用β受体阻滞剂控制心率。', 出院诊断: ['冠心病'] })).toBe('美托洛尔');
    expect(usual({ 诊疗过程描述: '加用β受体阻滞剂控制心率。', 既往史: '否认甲亢病史。' })).toBe('美托洛尔');
  });
});

describe('basal-bolus spelled with a plus (RULE-1209d)', () => {
  const bundled = Formulary.bundled();
  it('"改为基础+三餐前速效胰岛素方案" plans both classes and replaces the premix', () => {
    const r = { 现病史: '长期门冬胰岛素30注射液早18U、晚14U ih。', 诊疗过程描述: '出院改为基础+三餐前速效胰岛素方案（基础12U qn，餐时4-5-5U）。' };
    expect(openClassPlans(r, bundled).map((p) => p.usual).sort()).toEqual(['甘精胰岛素', '门冬胰岛素'].sort());
    expect(withheldDrugs(recordFromObject(r), ['门冬胰岛素30'], bundled).map((w) => w.drug)).toEqual(['门冬胰岛素30']);
    // "基础" alone is no class word
    expect(classStatuses({ 诊疗过程描述: '基础代谢率正常，予胰岛素泵。' }, bundled).size).toBe(0);
  });
});

describe('unnamed picks (RULE-1209c)', () => {
  const bundled = Formulary.bundled();
  it('takes an unnamed statin as atorvastatin, only while the note names no statin, and no other class', () => {
    const picks = unnamedPicks(bundled.drugs, () => false);
    expect(picks.get('瑞舒伐他汀')).toBe('阿托伐他汀');
    expect(picks.get('辛伐他汀')).toBe('阿托伐他汀');
    expect(picks.has('阿托伐他汀')).toBe(false);
    expect(new Set(picks.values())).toEqual(new Set(['阿托伐他汀']));
    expect(unnamedPicks(bundled.drugs, (n) => n === '瑞舒伐他汀').size).toBe(0);
    expect(unnamedPicks(bundled.drugs, (n) => n === '阿托伐他汀').size).toBe(0);
  });
});
