import { describe, expect, it } from 'vitest';
import { Formulary } from './formulary.ts';
import { continuedRegimens, deferredRegimens, regimenCovers, statedRegimens, switchedGlucoseRegimen } from './stated-regimens.ts';

const course = (text: string) => statedRegimens({ 诊疗过程描述: text });

describe('statedRegimens', () => {
  it('reads a regimen sentence of the course as closing its area', () => {
    expect(course('1.降压：ARB加至最大剂量（300mg qd），CCB同前。2.加用SGLT2抑制剂。4.降糖：基础胰岛素及GLP-1RA周制剂同前。')).toEqual(new Set(['pressure', 'glucose']));
    expect(course('停用贝那普利及螺内酯，降压改为CCB+袢利尿剂口服。')).toEqual(new Set(['pressure']));
    expect(course('停用格列本脲，降糖改为DPP-4抑制剂单药。')).toEqual(new Set(['glucose']));
    expect(course('调脂方案调整为瑞舒伐他汀联合依折麦布。')).toEqual(new Set(['lipids']));
    expect(course('降尿酸治疗为非布司他。抗血小板改为氯吡格雷。')).toEqual(new Set(['urate', 'antiplatelet']));
  });

  it('does not read an area word without a statement verb, a deferred or conditional plan, or another field', () => {
    expect(course('以降压为主，监测血压。予降糖、调脂治疗。')).toEqual(new Set());
    expect(course('降压方案暂不调整。降糖方案未改为胰岛素。')).toEqual(new Set());
    expect(course('若血压仍高，必要时降压改为ARB+CCB。')).toEqual(new Set());
    expect(course('')).toEqual(new Set());
    // 现病史's "降糖方案为…" is the home regimen before admission: not read (the course alone is).
    expect(statedRegimens({ 诊疗过程描述: '予胰岛素泵强化降糖。', 现病史: '降糖方案为二甲双胍0.5g bid。' } as never)).toEqual(new Set());
  });

  it('a condition in an earlier clause does not reach a later statement', () => {
    expect(course('若血钾升高则复查，降压改为CCB。')).toEqual(new Set(['pressure']));
  });

  it('a regimen sentence decides the drugs its area word is about, not its whole formulary area', () => {
    const f = Formulary.bundled();
    const covers = (scope: Parameters<typeof regimenCovers>[0], name: string) => regimenCovers(scope, f.get(name)!);
    expect(covers('glucose', '西格列汀')).toBe(true);
    expect(covers('lipids', '依折麦布')).toBe(true);
    expect(covers('pressure', '氨氯地平')).toBe(true);
    expect(covers('pressure', '氢氯噻嗪')).toBe(true);
    // given for rate, angina, heart failure or oedema as often as for pressure
    for (const name of ['美托洛尔', '地尔硫䓬', '呋塞米', '螺内酯']) expect(covers('pressure', name), name).toBe(false);
    expect(covers('urate', '非布司他')).toBe(true);
    expect(covers('urate', '苯溴马隆')).toBe(true);
    // prophylaxis and alkalinisation go with a urate-lowering start
    expect(covers('urate', '秋水仙碱')).toBe(false);
    expect(covers('urate', '碳酸氢钠')).toBe(false);
    expect(covers('antiplatelet', '氯吡格雷')).toBe(true);
    expect(covers('antiplatelet', '利伐沙班')).toBe(false);
  });
});

describe('deferredRegimens (RULE-1209h)', () => {
  const deferred = (text: string) => [...deferredRegimens({ 诊疗过程描述: text })].sort();
  it('reads an area the course defers in so many words', () => {
    expect(deferred('LDL-C 3.9（甲减相关），暂不调脂，甲功正常后复查。')).toEqual(['lipids']);
    expect(deferred('血脂升高考虑与甲减相关，暂不加用调脂药。')).toEqual(['lipids']);
    expect(deferred('无症状高尿酸血症，暂不予降尿酸药物治疗。')).toEqual(['urate']);
    expect(deferred('降脂同前，降压改为CCB。')).toEqual([]);
    // a condition earlier in the clause is no deferral yet
    expect(deferred('若血压稳定可暂缓降压。')).toEqual([]);
  });
});

describe('continuedRegimens', () => {
  const continued = (text: string) => continuedRegimens({ 诊疗过程描述: text });

  it('reads one or several area words that go on unchanged', () => {
    expect(continued('降糖方案不变。')).toEqual(new Set(['glucose']));
    expect(continued('出院BP 128/80mmHg，降压同前。')).toEqual(new Set(['pressure']));
    expect(continued('降压、调脂方案不变，监测血压。')).toEqual(new Set(['pressure', 'lipids']));
    expect(continued('抗血小板及降糖方案同前。')).toEqual(new Set(['antiplatelet', 'glucose']));
    expect(continued('降尿酸、降压、降糖方案同前')).toEqual(new Set(['urate', 'pressure', 'glucose']));
    expect(continued('降压药物继续。')).toEqual(new Set(['pressure']));
  });

  it('does not read a change, a condition, a bare area word or another field', () => {
    expect(continued('降压改为CCB+袢利尿剂。予降糖、调脂治疗。')).toEqual(new Set());
    expect(continued('若血压控制可则降压方案同前。')).toEqual(new Set());
    expect(continuedRegimens({ 诊疗过程描述: '予胰岛素泵强化降糖。', 现病史: '降糖方案同前。' } as never)).toEqual(new Set());
    // A stated regimen is not a continued one (each reader its own sentences).
    expect(statedRegimens({ 诊疗过程描述: '降糖方案不变。' })).toEqual(new Set());
  });
});

describe('switchedGlucoseRegimen (RULE-1208e)', () => {
  const formulary = Formulary.bundled();
  const switched = (course: string) => switchedGlucoseRegimen({ 诊疗过程描述: course }, formulary);
  it('a switch to two or more glucose agents states the regimen', () => {
    expect(switched('3天后TG降至4.6mmol/L，改为基础胰岛素联合二甲双胍，血糖控制于6-9mmol/L。')).toBe(true);
    expect(switched('出院改为来得时睡前18U+诺和锐三餐前6-6-6U皮下注射；')).toBe(true);
    expect(switched('血糖平稳后改为基础胰岛素每日一次，联合不需按肾功能调整剂量的DPP-4抑制剂。')).toBe(true);
  });
  it('a switch to one agent, to an unnamed part, on a condition, or agents not joined to the switch do not', () => {
    expect(switched('调整为预混胰岛素每日两次皮下注射，予双胍类治疗。')).toBe(false);
    expect(switched('调整为基础胰岛素联合口服药降糖。')).toBe(false);
    expect(switched('必要时改为基础胰岛素联合二甲双胍。')).toBe(false);
    expect(switched('格列美脲改为利格列汀。')).toBe(false);
  });
});
