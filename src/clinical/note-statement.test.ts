import { describe, expect, it } from 'vitest';
import { Formulary } from './formulary.ts';
import { extractNoteFacts } from './note-facts.ts';
import { statementParts, statementText } from './note-statement.ts';
import type { CDrugRedRecord } from './record.ts';
import { contraindicationsFor } from './safety.ts';
import { withheldDrugs } from './withhold.ts';

const CJK = /[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]/;
const f = Formulary.bundled();

function record(fields: Partial<CDrugRedRecord>): CDrugRedRecord {
  return { 就诊标识: 'v', 患者序号: 'p', 性别: '', 出生日期: '', 民族: '', BMI: null, 就诊时间: '', 主诉: '', 现病史: '', 既往史: '', 入院情况: '', 诊疗过程描述: '', 出院诊断: ['2型糖尿病'], ...fields } as CDrugRedRecord;
}

describe('the note’s own statements, in both languages', () => {
  it('a withheld drug stopped by the note carries its statement; the Chinese note is its zh wording', () => {
    const r = record({ 现病史: '既往服用格列美脲，1年前停用格列美脲。' });
    const w = withheldDrugs(r, ['格列美脲'], f).find((x) => x.drug === '格列美脲');
    expect(w?.statement).toEqual({ kind: 'stopped', drug: '格列美脲' });
    expect(w?.note).toBe(statementText(w!.statement!, 'zh'));
    expect(statementText(w!.statement!, 'en')).toBe('The note records that 格列美脲 was stopped and not restarted');
  });

  it('a deferred start is withheld as deferred, with the note’s clause; an avoidance word keeps "not to use"', () => {
    const r = record({ 诊疗过程描述: '3月后复查血脂再决定是否启用非诺贝特。' });
    const w = withheldDrugs(r, ['非诺贝特'], f).find((x) => x.drug === '非诺贝特');
    expect(w?.statement).toEqual({ kind: 'defer', drug: '非诺贝特', quote: '3月后复查血脂再决定是否启用非诺贝特' });
    expect(w?.note).toBe('病历写明暂不启用非诺贝特，以后再定（3月后复查血脂再决定是否启用非诺贝特）');
    expect(statementText(w!.statement!, 'en')).toBe('The note leaves 非诺贝特 for a later decision (“3月后复查血脂再决定是否启用非诺贝特”)');
    const avoid = withheldDrugs(record({ 诊疗过程描述: '暂不加用非诺贝特。' }), ['非诺贝特'], f).find((x) => x.drug === '非诺贝特');
    expect(avoid?.statement?.kind).toBe('avoid');
  });

  it('a drug a switch to a stronger one of its class replaces is withheld as superseded, with the note’s clause', () => {
    const r = record({ 既往史: '长期服用辛伐他汀片20mg qn。', 诊疗过程描述: 'LDL-C未达标，改为高强度他汀强化降脂。' });
    const w = withheldDrugs(r, ['辛伐他汀'], f).find((x) => x.drug === '辛伐他汀');
    expect(w?.statement).toEqual({ kind: 'superseded', drug: '辛伐他汀', quote: '改为高强度他汀强化降脂' });
    expect(w?.note).toBe('病历计划换药（改为高强度他汀强化降脂），新方案不含辛伐他汀');
    expect(statementText(w!.statement!, 'en')).toBe('The note switches the regimen (“改为高强度他汀强化降脂”), and the new one leaves out 辛伐他汀');
  });

  it('an allergy to the drug itself: English words outside the data parts, the note’s words inside them', () => {
    const r = record({ 既往史: '对阿卡波糖过敏。' });
    const hit = contraindicationsFor('阿卡波糖', extractNoteFacts(r), f).find((x) => x.reason === 'allergy-self');
    expect(hit?.statement?.kind).toBe('allergy');
    const parts = statementParts(hit!.statement!, 'en');
    expect(parts.filter((p) => !p.data).some((p) => CJK.test(p.text))).toBe(false);
    expect(parts.filter((p) => p.data).map((p) => p.text).join('')).toContain('阿卡波糖');
    expect(hit?.note).toBe(statementText(hit!.statement!, 'zh'));
  });

  it('every kind: the English wording has no Chinese outside the data parts', () => {
    for (const s of [
      { kind: 'avoid', drug: '非布司他', quote: '不选用非布司他' },
      { kind: 'defer', drug: '非诺贝特', quote: '再决定是否启用非诺贝特' },
      { kind: 'stopped', drug: '二甲双胍' },
      { kind: 'superseded', drug: '辛伐他汀', quote: '改为高强度他汀强化降脂' },
      { kind: 'intolerance', drug: '二甲双胍' },
      { kind: 'allergy', substance: '别嘌醇', reaction: '全身皮疹' },
      { kind: 'allergy', substance: '别嘌醇' },
    ] as const) {
      const parts = statementParts(s, 'en');
      expect(parts.filter((p) => !p.data).map((p) => p.text).join(''), s.kind).not.toMatch(CJK);
    }
  });
});
