import { describe, expect, it } from 'vitest';
import { toSimplified } from './traditional.ts';
import { parseFreeText } from './free-text.ts';

const SIMPLIFIED_NOTE = `主诉：口干、多饮、多尿8年。\n现病史：长期口服盐酸二甲双胍片0.5g tid、拜糖平50mg tid。\n出院诊断：1.2型糖尿病 2.高血压病2级（高危）`;

const TRADITIONAL_NOTE = `主訴：口乾多飲多尿5年。
現病史：長期服用二甲雙胍0.5g tid，血糖控制不佳。
出院診斷：1.2型糖尿病 2.高血壓病`;

describe('toSimplified', () => {
  it('converts a traditional note and counts the changed characters', () => {
    const r = toSimplified('主訴：頭暈。出院診斷：2型糖尿病。二甲雙胍');
    expect(r.text).toBe('主诉：头晕。出院诊断：2型糖尿病。二甲双胍');
    expect(r.changed).toBe(6);
  });
  it('leaves simplified text (including 著名, 显著) and ASCII untouched', () => {
    for (const s of [SIMPLIFIED_NOTE, '显著改善，著名医院', 'BMI 27.3', '']) {
      expect(toSimplified(s)).toEqual({ text: s, changed: 0 });
    }
  });
  it('makes the headings of a traditional note parse', () => {
    const before = parseFreeText(TRADITIONAL_NOTE).record;
    expect(before.出院诊断).toEqual([]);
    const after = parseFreeText(toSimplified(TRADITIONAL_NOTE).text).record;
    expect(after.主诉).toBe('口干多饮多尿5年。');
    expect(after.现病史).toContain('二甲双胍0.5g tid');
    expect(after.出院诊断).toEqual(['2型糖尿病', '高血压病']);
  });
});
