import { describe, expect, it } from 'vitest';
import { Formulary } from '../formulary.ts';
import { MINI_FORMULARY } from '../__fixtures__/mini-formulary.ts';
import { evaluate } from '../metrics.ts';
import { CUTOFF_GRID, cleanDiagnosis, cooccurrenceFromTable, diagnosisKeys, fitCooccurrence, fitCooccurrenceTable } from './cooccurrence.ts';
import { TRAIN, rec } from './test-helpers.ts';

const formulary = Formulary.fromJson(MINI_FORMULARY, 'mini');

describe('diagnosisKeys', () => {
  it.each([
    ['2型糖尿病', ['T2DM', 'DM']],
    ['Ⅱ型糖尿病', ['T2DM', 'DM']],
    ['II型糖尿病', ['T2DM', 'DM']],
    ['二型糖尿病', ['T2DM', 'DM']],
    ['T2DM', ['T2DM', 'DM']],
    ['1型糖尿病', ['T1DM', 'DM']],
    ['1.2型糖尿病', ['T2DM', 'DM']],
    ['2型糖尿病性周围神经病变', ['T2DM', 'DM', 'DPN']],
    ['2型糖尿病肾病', ['T2DM', 'DM', 'DKD']],
    ['高血压病3级（极高危）', ['HTN', 'HTN-3']],
    ['高血压病 三级', ['HTN', 'HTN-3']],
    ['高血压', ['HTN']],
    ['慢性肾脏病3期', ['CKD', 'CKD-3']],
    ['CKD 4期', ['CKD', 'CKD-4']],
    ['慢性肾脏病G3a期', ['CKD', 'CKD-3']],
    ['高脂血症', ['LIPID']],
    ['混合型血脂异常', ['LIPID']],
    ['冠状动脉粥样硬化性心脏病', ['CHD', 'ATHERO']],
    ['急性阑尾炎', ['dx:急性阑尾炎']],
    ['', []],
  ])('%s → %j', (dx, keys) => {
    expect(diagnosisKeys(dx)).toEqual(keys);
  });

  it('cleanDiagnosis strips numbering and nested brackets', () => {
    expect(cleanDiagnosis('3、糖尿病肾病（CKD 3期（A2））')).toBe('糖尿病肾病');
    expect(cleanDiagnosis('ｔ２ｄｍ')).toBe('T2DM');
  });
});

describe('cooccurrence baseline', () => {
  it('scores by max P(drug | key) and applies the cut-off (hand-computed)', () => {
    const r = fitCooccurrence(TRAIN, formulary, { cutoff: 0.5 });
    const x = rec('x', { 出院诊断: ['2型糖尿病', '高血压病1级'] });
    // T2DM (4 visits): 二甲双胍 1, 氨氯地平 .5, 阿卡波糖 .25, 阿托伐他汀 .25
    // HTN (3 visits): 氨氯地平 1, 二甲双胍 2/3, 阿司匹林 1/3, 阿托伐他汀 1/3; HTN-1 unseen
    const s = new Map(r.scores(x).map((e) => [e.name, e.score]));
    expect(s.get('二甲双胍')).toBe(1);
    expect(s.get('氨氯地平')).toBe(1);
    expect(s.get('阿卡波糖')).toBe(0.25);
    expect(s.get('阿托伐他汀')).toBe(0.3333); // 1/3, rounded to the table's 4 decimals
    expect(r.predict(x)).toEqual(['二甲双胍', '氨氯地平']);
  });

  it('combines keys by noisy-or when asked', () => {
    const r = fitCooccurrence(TRAIN, formulary, { cutoff: 0.5, combine: 'noisy-or' });
    const s = new Map(r.scores(rec('x', { 出院诊断: ['2型糖尿病', '冠心病'] })).map((e) => [e.name, e.score]));
    // 氨氯地平: T2DM .5, DM .5, CHD .5 → 1 − .5³
    expect(s.get('氨氯地平')).toBeCloseTo(0.875, 12);
  });

  it('ignores keys below minSupport and falls back to the prior, keeping at least one drug', () => {
    const r = fitCooccurrence(TRAIN, formulary, { cutoff: 0.9 });
    // '急性阑尾炎' is unseen → prior: 二甲双胍 4/6, 氨氯地平 3/6, 阿托伐他汀 3/6 … none ≥ .9
    expect(r.predict(rec('y', { 出院诊断: ['急性阑尾炎'] }))).toEqual(['二甲双胍']);
    expect(r.predict(rec('z'))).toEqual(['二甲双胍']);
    const strict = fitCooccurrence(TRAIN, formulary, { cutoff: 0.5, minSupport: 10 });
    expect(strict.scores(rec('x', { 出院诊断: ['冠心病'] }))[0]).toEqual({ name: '二甲双胍', score: 0.6667 }); // 4/6 at 4 decimals
  });

  it('tunes the cut-off to the best CHIP score on the training data', () => {
    const tuned = fitCooccurrence(TRAIN, formulary);
    expect(CUTOFF_GRID).toContain(tuned.cutoff);
    const gold = new Map(TRAIN.map((r) => [r.就诊标识, r.出院带药列表 ?? []] as const));
    const scoreAt = (c: number) => {
      const m = fitCooccurrence(TRAIN, formulary, { cutoff: c });
      return evaluate(gold, new Map(TRAIN.map((r) => [r.就诊标识, m.predict(r)] as const)), {
        normalize: (n) => formulary.normalize(n),
      }).score;
    };
    const best = scoreAt(tuned.cutoff);
    for (const c of CUTOFF_GRID) expect(best).toBeGreaterThanOrEqual(scoreAt(c) - 1e-12);
  });

  it('tunes on a dev set when given one', () => {
    const dev = [rec('d1', { 出院诊断: ['2型糖尿病'], 出院带药列表: ['二甲双胍', '阿卡波糖', '氨氯地平', '阿托伐他汀'] })];
    const r = fitCooccurrence(TRAIN, formulary, { dev });
    // the only way to reach recall 1 on d1 is the lowest cut-off
    expect(r.cutoff).toBe(0.05);
  });

  it('outputs only canonical candidate names', () => {
    const r = fitCooccurrence(TRAIN, formulary, { cutoff: 0.05 });
    for (const t of TRAIN) for (const n of r.predict(t)) expect(formulary.has(n)).toBe(true);
    expect(r.predict(TRAIN[2]!)).not.toContain('某中成药');
  });
});

describe('co-occurrence table (what the browser loads)', () => {
  it('round-trips through JSON and predicts exactly like the fitted recommender', () => {
    const table = fitCooccurrenceTable(TRAIN, formulary);
    const restored = cooccurrenceFromTable(JSON.parse(JSON.stringify(table)));
    const direct = fitCooccurrence(TRAIN, formulary);
    expect(restored.cutoff).toBe(direct.cutoff);
    for (const r of [...TRAIN, rec('u', { 出院诊断: ['急性阑尾炎'] })]) {
      expect(restored.predict(r)).toEqual(direct.predict(r));
      expect(restored.scores(r)).toEqual(direct.scores(r));
    }
  });

  it('rejects a file that is not a co-occurrence table with a clear message', () => {
    expect(() => cooccurrenceFromTable({ drugs: [] } as never)).toThrow(/not a DischargeRx co-occurrence table/);
  });
});
