import { describe, expect, it } from 'vitest';
import { evaluate, normalizeSet, roundMetrics, scoreSets } from './metrics.ts';

const S = (...x: string[]) => new Set(x);

describe('scoreSets', () => {
  it('computes jaccard/precision/recall/f1 on a hand example', () => {
    // G = {A,B,C}, P = {B,C,D,E}: tp = 2, union = 5
    const s = scoreSets(S('A', 'B', 'C'), S('B', 'C', 'D', 'E'));
    expect(s.jaccard).toBeCloseTo(2 / 5, 12);
    expect(s.precision).toBeCloseTo(2 / 4, 12);
    expect(s.recall).toBeCloseTo(2 / 3, 12);
    expect(s.f1).toBeCloseTo((2 * 0.5 * (2 / 3)) / (0.5 + 2 / 3), 12); // 4/7
    expect(s.f1).toBeCloseTo(4 / 7, 12);
  });
  it('applies the empty-set conventions', () => {
    expect(scoreSets(S(), S())).toEqual({ jaccard: 1, precision: 1, recall: 1, f1: 1 });
    expect(scoreSets(S('A'), S())).toEqual({ jaccard: 0, precision: 0, recall: 0, f1: 0 });
    expect(scoreSets(S(), S('A'))).toEqual({ jaccard: 0, precision: 0, recall: 0, f1: 0 });
  });
  it('no overlap gives zeros, identical sets give ones', () => {
    expect(scoreSets(S('A'), S('B')).f1).toBe(0);
    expect(scoreSets(S('A', 'B'), S('B', 'A'))).toEqual({ jaccard: 1, precision: 1, recall: 1, f1: 1 });
  });
});

// A toy normaliser: strip dosage-form suffixes; names starting with "X" are unknown.
const normalize = (n: string): string | null => (n.startsWith('X') ? null : n.replace(/(缓释片|肠溶片|片|胶囊)$/, '').replace(/^盐酸/, ''));

describe('evaluate', () => {
  const gold = new Map([
    ['v1', ['二甲双胍片', '阿卡波糖片', '阿托伐他汀钙片']],
    ['v2', ['氨氯地平片']],
    ['v3', []],
    ['v4', ['格列美脲片']],
  ]);
  const pred = new Map([
    ['v1', ['盐酸二甲双胍缓释片', '二甲双胍', '阿卡波糖', '瑞格列奈']], // → {二甲双胍, 阿卡波糖, 瑞格列奈}: tp 2
    ['v2', ['X未知药']], // unknown, kept raw: tp 0
    ['v3', []], // both empty → 1
    // v4 missing → empty prediction → 0
    ['zz', ['二甲双胍']], // not in gold: ignored, counted
  ]);

  it('macro-averages over gold visits (hand-computed)', () => {
    const r = evaluate(gold, pred, { normalize });
    // v1: G={二甲双胍,阿卡波糖,阿托伐他汀钙}, P={二甲双胍,阿卡波糖,瑞格列奈}: J=2/4, P=2/3, R=2/3, F=2/3
    const j = (0.5 + 0 + 1 + 0) / 4;
    const p = (2 / 3 + 0 + 1 + 0) / 4;
    const f = (2 / 3 + 0 + 1 + 0) / 4;
    expect(r.n).toBe(4);
    expect(r.jaccard).toBeCloseTo(j, 12);
    expect(r.precision).toBeCloseTo(p, 12);
    expect(r.recall).toBeCloseTo(p, 12);
    expect(r.f1).toBeCloseTo(f, 12);
    expect(r.score).toBeCloseTo((j + f) / 2, 12);
    expect(r.mean_gold).toBeCloseTo((3 + 1 + 0 + 1) / 4, 12);
    expect(r.mean_pred).toBeCloseTo((3 + 1 + 0 + 0) / 4, 12);
    expect(r.extra_ids).toBe(1);
    expect(r.missing_ids).toBe(1);
    expect(r.unknown_pred).toBe(1);
    expect(r.unknown_gold).toBe(0);
  });

  it('without a normaliser compares trimmed raw names', () => {
    const r = evaluate(new Map([['a', ['二甲双胍片']]]), new Map([['a', ['二甲双胍']]]));
    expect(r.score).toBe(0);
  });

  it('accepts iterables of pairs and handles an empty gold set', () => {
    expect(evaluate([['a', ['x']]], [['a', [' x ']]]).score).toBe(1);
    expect(evaluate([], [['a', ['x']]])).toMatchObject({ n: 0, score: 0, extra_ids: 1 });
  });

  it('reports per-drug support, precision and recall', () => {
    const r = evaluate(gold, pred, { normalize, perDrug: true });
    const byName = new Map(r.per_drug!.map((d) => [d.name, d]));
    expect(byName.get('二甲双胍')).toMatchObject({ support: 1, predicted: 1, tp: 1, precision: 1, recall: 1, f1: 1 });
    expect(byName.get('瑞格列奈')).toMatchObject({ support: 0, predicted: 1, tp: 0, precision: 0, recall: 0 });
    expect(byName.get('格列美脲')).toMatchObject({ support: 1, predicted: 0, tp: 0, recall: 0 });
    // drugs of the ignored extra id are not counted
    expect(byName.get('二甲双胍')!.predicted).toBe(1);
    expect(r.per_drug![0]!.support).toBeGreaterThanOrEqual(r.per_drug![r.per_drug!.length - 1]!.support);
    expect(evaluate(gold, pred, { normalize }).per_drug).toBeUndefined();
  });

  it('normalizeSet de-duplicates after normalisation and counts unknowns', () => {
    const { set, unknown } = normalizeSet(['二甲双胍片', '盐酸二甲双胍', 'X1', ' '], normalize);
    expect([...set]).toEqual(['二甲双胍', 'X1']);
    expect(unknown).toBe(1);
  });

  it('roundMetrics rounds numbers only', () => {
    expect(roundMetrics({ a: 1 / 3, b: 'x', n: 4 }, 4)).toEqual({ a: 0.3333, b: 'x', n: 4 });
  });
});
