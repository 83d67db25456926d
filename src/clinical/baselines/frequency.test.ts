import { describe, expect, it } from 'vitest';
import { Formulary } from '../formulary.ts';
import { MINI_FORMULARY } from '../__fixtures__/mini-formulary.ts';
import { fitFrequency } from './frequency.ts';
import { rec } from './test-helpers.ts';

const formulary = Formulary.fromJson(MINI_FORMULARY, 'mini');

// Counts: 二甲双胍 4, 阿卡波糖 2, 氨氯地平 2, 阿托伐他汀 1; mean label size 9/4 = 2.25.
const train = [
  rec('a', { 出院带药列表: ['二甲双胍片', '阿卡波糖'] }),
  rec('b', { 出院带药列表: ['二甲双胍', '阿托伐他汀钙片', '未收录的药'] }),
  rec('c', { 出院带药列表: ['二甲双胍', '氨氯地平'] }),
  rec('d', { 出院带药列表: ['盐酸二甲双胍片', '阿卡波糖片', '苯磺酸氨氯地平片'] }),
  rec('unlabelled'),
];

describe('frequency baseline', () => {
  it('predicts the top round(mean size) drugs, ties broken by code point', () => {
    const r = fitFrequency(train, formulary);
    expect(r.k).toBe(2);
    // 氨 (U+6C28) sorts before 阿 (U+963F)
    expect(r.predict(rec('x'))).toEqual(['二甲双胍', '氨氯地平']);
    expect(r.ranking.map((x) => x.name)).toEqual(['二甲双胍', '氨氯地平', '阿卡波糖', '阿托伐他汀']);
    expect(r.ranking[0]!.p).toBe(1);
  });

  it('tunes k on the training data (hand-computed: k=3 maximises the score)', () => {
    // scores: k=1 .5417, k=2 .6417, k=3 .6979, k=4 .6384
    expect(fitFrequency(train, formulary, { k: 'tune' }).k).toBe(3);
  });

  it('accepts a fixed k, clamped to the vocabulary', () => {
    expect(fitFrequency(train, formulary, { k: 1 }).predict(rec('x'))).toEqual(['二甲双胍']);
    expect(fitFrequency(train, formulary, { k: 99 }).k).toBe(4);
  });

  it('outputs only canonical candidate names', () => {
    for (const n of fitFrequency(train, formulary, { k: 99 }).predict(rec('x'))) expect(formulary.has(n)).toBe(true);
  });

  it('requires labelled training data', () => {
    expect(() => fitFrequency([rec('u')], formulary)).toThrow(/no labelled training records/);
  });
});
