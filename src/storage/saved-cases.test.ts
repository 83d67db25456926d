import { describe, expect, it } from 'vitest';
import { buildCaseRecord, sortCases, summarizeCase, type CaseInput } from './saved-cases.ts';

// The `cases` store itself is exercised in Chromium (e2e/saved-cases.spec.ts).

const input: CaseInput = {
  noteText: '主诉：口干多饮多尿6年，血糖控制不佳2周。\n现病史：6年前诊断2型糖尿病，口服盐酸二甲双胍片0.5g tid。',
  record: { 就诊标识: 'v1', 出院诊断: ['2型糖尿病'] },
  drugs: [
    { name: '二甲双胍', drugClass: '双胍类', score: 0.9, origin: 'recommended', accepted: true },
    { name: '阿卡波糖', drugClass: 'α-糖苷酶抑制剂', score: 0, origin: 'added', accepted: false },
  ],
  source: 'baseline',
  modelId: null,
};

describe('saved cases', () => {
  it('the stored record keeps the note as typed, the fields and the final list', () => {
    const rec = buildCaseRecord(input, 1234, 'case-x');
    expect(rec).toEqual({ id: 'case-x', savedAt: 1234, ...input });
    // A copy: later edits to the screen's objects do not change the stored case.
    (input.record as { 出院诊断: string[] }).出院诊断.push('高血压病');
    expect(rec.record).toEqual({ 就诊标识: 'v1', 出院诊断: ['2型糖尿病'] });
    (input.record as { 出院诊断: string[] }).出院诊断.pop();
  });

  it('ids are unique', () => {
    expect(buildCaseRecord(input).id).not.toBe(buildCaseRecord(input).id);
  });

  it('the summary shows the first 30 characters of the note and the drug count', () => {
    const s = summarizeCase(buildCaseRecord(input, 5, 'a'));
    expect(s.preview).toBe(`${Array.from(input.noteText.replace(/\s+/g, ' ')).slice(0, 30).join('')}…`);
    expect(Array.from(s.preview)).toHaveLength(31);
    expect(s.drugCount).toBe(2);
    expect(summarizeCase(buildCaseRecord({ ...input, noteText: ' 短\n病历 ' }, 5, 'b')).preview).toBe('短 病历');
  });

  it('newest first', () => {
    const a = buildCaseRecord(input, 1, 'a');
    const b = buildCaseRecord(input, 3, 'b');
    const c = buildCaseRecord(input, 2, 'c');
    expect(sortCases([a, b, c]).map((x) => x.id)).toEqual(['b', 'c', 'a']);
  });
});
