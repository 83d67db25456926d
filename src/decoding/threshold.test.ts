import { describe, expect, it } from 'vitest';
import { decodeDrugList } from './constrained-decoder.ts';
import { applyThresholds, calibrateThreshold, visitScore, type RecordedTrajectory } from './threshold.ts';
import { buildCandidateTrie } from './trie.ts';
import { EOS, SEP, UNK, fakeTokenizer, randomModel } from './fake-model.test-utils.ts';

const d = (name: string, confidence = 0.9) => ({ name, confidence });

describe('visitScore', () => {
  it('is (Jaccard + F1) / 2', () => {
    expect(visitScore(['a', 'b'], ['a', 'b'])).toBe(1);
    expect(visitScore([], [])).toBe(1);
    expect(visitScore([], ['a'])).toBe(0);
    // P={a,b}, G={a,c}: J = 1/3, F1 = 1/2
    expect(visitScore(['a', 'b'], ['a', 'c'])).toBeCloseTo((1 / 3 + 1 / 2) / 2);
  });
});

describe('applyThresholds', () => {
  const traj = [d('a', 0.9), d('b', 0.2), d('c', 0.8), d('d', 0.7)];
  const stops = [0.01, 0.1, 0.3, 0.6, 0.9];
  it('truncates at the first boundary with P(continue) < t, never before minDrugs', () => {
    const names = (t: number | undefined, minDrugs = 1) =>
      applyThresholds(traj, stops, { stopThreshold: t, minDrugs }).map((x) => x.name);
    expect(names(undefined)).toEqual(['a', 'b', 'c', 'd']);
    expect(names(0)).toEqual(['a', 'b', 'c', 'd']);
    expect(names(0.5)).toEqual(['a', 'b', 'c']); // boundary 3: 1 − 0.6 = 0.4 < 0.5
    expect(names(0.75)).toEqual(['a', 'b']);
    expect(names(0.95)).toEqual(['a']);
    expect(names(1)).toEqual(['a']);
    expect(names(1, 0)).toEqual([]);
    expect(names(1, 2)).toEqual(['a', 'b']);
  });
  it('drops drugs under the confidence floor but keeps the best one', () => {
    expect(applyThresholds(traj, stops, { minConfidence: 0.75 }).map((x) => x.name)).toEqual(['a', 'c']);
    expect(applyThresholds(traj, stops, { minConfidence: 0.95 }).map((x) => x.name)).toEqual(['a']);
    expect(applyThresholds(traj, stops, { minConfidence: 0.95, minDrugs: 0 })).toEqual([]);
  });
});

describe('calibrateThreshold', () => {
  it('picks a threshold between the continue and stop probabilities on a synthetic dev set', () => {
    // Each visit: 6 recorded drugs, gold = the first g; P(stop) = 0.2 before g, 0.7 at g.
    const preds: RecordedTrajectory[] = [];
    const gold: string[][] = [];
    for (let v = 0; v < 20; v++) {
      const g = 1 + (v % 4);
      const names = Array.from({ length: 6 }, (_, i) => `drug${v}-${i}`);
      preds.push({
        trajectory: names.map((n) => d(n)),
        stopProbabilities: Array.from({ length: 7 }, (_, k) => (k < g ? 0.2 : 0.7)),
        settings: { stopThreshold: 0, beamWidth: 1 },
      });
      gold.push(names.slice(0, g));
    }
    const res = calibrateThreshold(preds, gold);
    expect(res.score).toBeCloseTo(1);
    // continue needs 1 − 0.2 = 0.8 ≥ t, stop needs 1 − 0.7 = 0.3 < t → t ∈ (0.3, 0.8]; lowest grid point wins ties
    expect(res.stopThreshold).toBeCloseTo(0.32);
    expect(res.ratio).toBeCloseTo(1);
    expect(res.exact).toBe(true);
    expect(res.curve.length).toBe(50 * 11);
    // t = 0 over-prescribes (6 drugs per visit)
    const t0 = res.curve.find((p) => p.stopThreshold === 0 && p.minConfidence === 0)!;
    expect(t0.meanPredicted).toBe(6);
    expect(t0.score).toBeLessThan(res.score);
  });

  it('uses the confidence floor and the normaliser', () => {
    const preds: RecordedTrajectory[] = [
      { trajectory: [d(' A '), d('junk', 0.1), d('B')], stopProbabilities: [0, 0, 0, 1] },
      { trajectory: [d('C'), d('junk2', 0.12)], stopProbabilities: [0, 0, 1] },
    ];
    const gold = [['a', 'b'], ['c']];
    const res = calibrateThreshold(preds, gold, (s) => s.trim().toLowerCase());
    expect(res.score).toBeCloseTo(1);
    expect(res.minConfidence).toBeGreaterThan(0.12);
    expect(res.exact).toBe(false); // no settings recorded
  });

  it('a visit of weight w counts as w copies (a site pooled with the dev set)', () => {
    // Source A wants a late stop (gold = 4 drugs), source B an early one (gold = 1 drug).
    const visit = (v: string, g: number): [RecordedTrajectory, string[]] => {
      const names = Array.from({ length: 5 }, (_, i) => `${v}-${i}`);
      return [{ trajectory: names.map((n) => d(n)), stopProbabilities: Array.from({ length: 6 }, (_, k) => (k === 1 ? 0.45 : k < 4 ? 0.3 : 0.9)) }, names.slice(0, g)];
    };
    const a = [visit('a1', 4), visit('a2', 4), visit('a3', 4)];
    const b = [visit('b1', 1)];
    const preds = [...a, ...b].map((x) => x[0]);
    const gold = [...a, ...b].map((x) => x[1]);
    const weighted = calibrateThreshold(preds, gold, undefined, { weights: [1, 1, 1, 3] });
    const copied = calibrateThreshold([...preds, preds[3]!, preds[3]!], [...gold, gold[3]!, gold[3]!]);
    weighted.curve.forEach((p, i) => {
      expect(p.stopThreshold).toBe(copied.curve[i]!.stopThreshold);
      expect(p.score).toBeCloseTo(copied.curve[i]!.score, 12);
      expect(p.meanPredicted).toBeCloseTo(copied.curve[i]!.meanPredicted, 12);
    });
    expect(weighted.meanGold).toBeCloseTo(copied.meanGold);
    expect(weighted.stopThreshold).toBe(copied.stopThreshold);
    // unweighted, the three A visits decide; weighting B moves the cut
    expect(calibrateThreshold(preds, gold).stopThreshold).not.toBe(calibrateThreshold(preds, gold, undefined, { weights: [1, 1, 1, 30] }).stopThreshold);
    expect(() => calibrateThreshold(preds, gold, undefined, { weights: [1, 1] })).toThrow(/weights/);
    expect(() => calibrateThreshold(preds, gold, undefined, { weights: [0, 0, 0, 0] })).toThrow(/sum to 0/);
  });

  it('rejects mismatched inputs', () => {
    expect(() => calibrateThreshold([], [])).toThrow();
    expect(() => calibrateThreshold([{ trajectory: [], stopProbabilities: [] }], [])).toThrow();
  });

  it('end to end with a fake model: the simulated score is what re-decoding achieves (greedy)', async () => {
    const names = ['二甲双胍', '二甲双胍缓释片', '门冬胰岛素', '门冬胰岛素30', '阿托伐他汀', '阿司匹林', '格列齐特'];
    const tok = fakeTokenizer(names.join(''));
    const trie = buildCandidateTrie(names, tok.encode, { unkId: UNK, reservedIds: [SEP, EOS] });
    const opts = { separatorId: SEP, eosId: EOS, beamWidth: 1, maxDrugs: 7 };
    const models = Array.from({ length: 12 }, (_, i) => randomModel(tok.vocab.length, 1000 + i, 3));
    const recorded = [];
    for (const m of models) recorded.push(await decodeDrugList(m, [9], trie, { ...opts, stopThreshold: 0 }));
    // gold: the first 2 recorded drugs plus one the model never ranks first
    const gold = recorded.map((r) => [...r.trajectory.slice(0, 2).map((x) => x.name), 'not-a-candidate']);
    const cal = calibrateThreshold(recorded, gold);
    expect(cal.exact).toBe(true);
    let total = 0;
    for (const [i, m] of models.entries()) {
      const r = await decodeDrugList(m, [9], trie, {
        ...opts,
        stopThreshold: cal.stopThreshold,
        minConfidence: cal.minConfidence,
      });
      total += visitScore(
        r.drugs.map((x) => x.name),
        gold[i]!,
      );
    }
    expect(total / models.length).toBeCloseTo(cal.score, 9);
  });
});
