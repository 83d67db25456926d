import { describe, expect, it } from 'vitest';
import { extractLabs, labsText } from './lab-values.ts';

describe('extractLabs', () => {
  it('reads the key labs in common chart spellings, with the clause they came from', () => {
    const labs = extractLabs({
      现病史: '查HbA1c 9.8%，eGFR(CKD-EPI)：24ml/min，血钾6.1mmol/L。LDL-C 3.62mmol/L，TG:2.1，尿酸 560μmol/L↑，TSH 12.3mIU/L，FT4 8.1',
    });
    expect(labs.hba1c?.value).toBe(9.8);
    expect(labs.egfr?.value).toBe(24);
    expect(labs.k?.value).toBe(6.1);
    expect(labs.k?.source).toEqual({ field: '现病史', text: '血钾6.1mmol/L' });
    expect(labs.ldl?.value).toBeCloseTo(3.62);
    expect(labs.ua?.value).toBe(560);
    expect(labsText(labs, '；')).toBe('eGFR24；K6.1；HbA1c9.8；LDL3.6；TG2.1；UA560；TSH12.3；FT4:8.1');
  });

  it('keeps the worst value for safety labs: lowest eGFR, highest potassium', () => {
    const labs = extractLabs({ 入院情况: 'eGFR 52，K 4.1', 诊疗过程描述: '复查eGFR 28，血钾5.8mmol/L，后复查血钾4.6' });
    expect(labs.egfr?.value).toBe(28);
    expect(labs.k?.value).toBe(5.8);
  });

  it('does not read drug names or other tests as labs', () => {
    const labs = extractLabs({ 诊疗过程描述: '予氯化钾缓释片1g tid，枸橼酸钾口服液；CK 120U/L，肌酐清除率未测' });
    expect(labs.k).toBeUndefined();
    expect(labs.cr).toBeUndefined();
  });

  it('converts urate and lipids written in mg/dl and rejects implausible values', () => {
    const labs = extractLabs({ 现病史: '尿酸8.2mg/dl，LDL 140mg/dL，血钾 45' });
    expect(labs.ua?.value).toBeCloseTo(488, 0);
    expect(labs.ldl?.value).toBeCloseTo(3.62, 1);
    expect(labs.k).toBeUndefined();
  });
});
