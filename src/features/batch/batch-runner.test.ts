import { describe, expect, it } from 'vitest';
import type { CDrugRedRecord } from '../../clinical/record.ts';
import { computeMetrics, etaSeconds, runBatch, submissionText, type BatchRow, type RecommendFn } from './batch-runner.ts';

function rec(id: string, diagnoses: string[], gold?: string[]): CDrugRedRecord {
  return {
    患者序号: 'p' + id,
    就诊标识: id,
    性别: '男',
    出生日期: '1960-01-01',
    民族: '汉族',
    BMI: null,
    就诊时间: '2023-01-01',
    诊疗过程描述: '',
    入院情况: '',
    现病史: '',
    既往史: '',
    主诉: '',
    出院诊断: diagnoses,
    ...(gold ? { 出院带药列表: gold } : {}),
  };
}

const noYield = () => Promise.resolve();

async function collect(records: CDrugRedRecord[], recommend: RecommendFn, signal = new AbortController().signal) {
  const rows: BatchRow[] = [];
  const progress: Array<[number, number]> = [];
  const outcome = await runBatch({
    records,
    recommend,
    signal,
    yieldToPage: noYield,
    onRow: (row, done, total) => {
      rows.push(row);
      progress.push([done, total]);
    },
  });
  return { rows, progress, outcome };
}

describe('runBatch', () => {
  const records = [rec('v1', ['a'], ['A', 'B']), rec('v2', ['b'], ['C']), rec('v3', ['c'], ['D', 'E'])];
  const table: Record<string, string[]> = { v1: ['A', 'B'], v2: ['X'], v3: ['D'] };

  it('processes every record in order and reports progress', async () => {
    const { rows, progress, outcome } = await collect(records, (r) => table[r.就诊标识] ?? []);
    expect(outcome).toEqual({ status: 'done', done: 3, errors: 0 });
    expect(progress).toEqual([[1, 3], [2, 3], [3, 3]]);
    expect(rows.map((r) => r.id)).toEqual(['v1', 'v2', 'v3']);
    expect(rows[0]).toMatchObject({ index: 0, predicted: ['A', 'B'], gold: ['A', 'B'], jaccard: 1, f1: 1, error: null });
    expect(rows[1]?.jaccard).toBe(0);
    expect(rows[2]?.jaccard).toBeCloseTo(0.5, 12);
  });

  it('records an error row and carries on', async () => {
    const { rows, outcome } = await collect(records, (r) => {
      if (r.就诊标识 === 'v2') throw new Error('boom');
      return table[r.就诊标识] ?? [];
    });
    expect(outcome).toEqual({ status: 'done', done: 3, errors: 1 });
    expect(rows[1]).toMatchObject({ id: 'v2', predicted: [], error: 'boom', jaccard: 0 });
    expect(rows[2]?.predicted).toEqual(['D']);
  });

  it('stops within the record in flight on cancel and keeps finished rows', async () => {
    const ac = new AbortController();
    const calls: string[] = [];
    const recommend: RecommendFn = (r, signal) => {
      calls.push(r.就诊标识);
      if (r.就诊标识 === 'v2') {
        // a slow record: cancelled while it runs; the fake honours the signal like the engine
        return new Promise((_, reject) => {
          signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true });
          queueMicrotask(() => ac.abort());
        });
      }
      return table[r.就诊标识] ?? [];
    };
    const { rows, outcome } = await collect(records, recommend, ac.signal);
    expect(outcome.status).toBe('cancelled');
    expect(outcome.done).toBe(1);
    expect(rows.map((r) => r.id)).toEqual(['v1']);
    expect(calls).toEqual(['v1', 'v2']); // v3 never started
  });

  it('with concurrency, sends up to that many records ahead and still makes rows in input order', async () => {
    const recs = ['v1', 'v2', 'v3', 'v4', 'v5'].map((id) => rec(id, ['x'], ['A']));
    const waiting: Array<{ id: string; resolve: (drugs: string[]) => void }> = [];
    let inFlight = 0;
    let most = 0;
    const recommend: RecommendFn = (r) =>
      new Promise<string[]>((resolve) => {
        inFlight++;
        most = Math.max(most, inFlight);
        waiting.push({ id: r.就诊标识, resolve: (d) => (inFlight--, resolve(d)) });
      });
    const rows: BatchRow[] = [];
    const run = runBatch({ records: recs, recommend, signal: new AbortController().signal, concurrency: 3, yieldToPage: noYield, onRow: (row) => rows.push(row) });
    const settle = async () => {
      for (let i = 0; i < 5; i++) await Promise.resolve();
    };
    await settle();
    expect(waiting.map((w) => w.id)).toEqual(['v1', 'v2', 'v3']);
    // Answers come back newest first: no row until v1's.
    waiting[2]!.resolve(['C']);
    waiting[1]!.resolve(['B']);
    await settle();
    expect(rows).toEqual([]);
    waiting[0]!.resolve(['A']);
    await settle();
    expect(rows.map((r) => r.id)).toEqual(['v1', 'v2', 'v3']);
    expect(waiting.map((w) => w.id)).toEqual(['v1', 'v2', 'v3', 'v4', 'v5']);
    for (const w of waiting.slice(3)) w.resolve(['D']);
    expect(await run).toEqual({ status: 'done', done: 5, errors: 0 });
    expect(rows.map((r) => [r.id, r.predicted[0]])).toEqual([['v1', 'A'], ['v2', 'B'], ['v3', 'C'], ['v4', 'D'], ['v5', 'D']]);
    expect(most).toBe(3);
  });

  it('a cancel before the start processes nothing', async () => {
    const ac = new AbortController();
    ac.abort();
    const { rows, outcome } = await collect(records, () => ['A'], ac.signal);
    expect(outcome).toEqual({ status: 'cancelled', done: 0, errors: 0 });
    expect(rows).toEqual([]);
  });

  it('dedupes predictions and leaves scores null without labels', async () => {
    const { rows } = await collect([rec('u1', ['a'])], () => [' A ', 'A', 'B']);
    expect(rows[0]).toMatchObject({ predicted: ['A', 'B'], gold: null, jaccard: null, f1: null });
  });

  it('yields to the page between slices', async () => {
    let yields = 0;
    let t = 0;
    await runBatch({
      records,
      recommend: () => ['A'],
      signal: new AbortController().signal,
      onRow: () => undefined,
      now: () => (t += 10),
      sliceMs: 15,
      yieldToPage: () => {
        yields++;
        return Promise.resolve();
      },
    });
    expect(yields).toBeGreaterThan(0);
  });
});

describe('computeMetrics', () => {
  it('matches the hand-computed macro averages, counts and per-drug stats', async () => {
    const recs = [rec('v1', [], ['A', 'B']), rec('v2', [], ['C']), rec('v3', [], ['A'])];
    const preds: Record<string, string[]> = { v1: ['A'], v2: ['C', 'D'], v3: [] };
    const { rows } = await collect(recs, (r) => preds[r.就诊标识] ?? []);
    const m = computeMetrics(rows);
    expect(m).not.toBeNull();
    if (!m) return;
    // v1: J 1/2, P 1, R 1/2, F1 2/3; v2: J 1/2, P 1/2, R 1, F1 2/3; v3: all 0
    expect(m.n).toBe(3);
    expect(m.jaccard).toBeCloseTo(1 / 3, 12);
    expect(m.precision).toBeCloseTo(0.5, 12);
    expect(m.recall).toBeCloseTo(0.5, 12);
    expect(m.f1).toBeCloseTo(4 / 9, 12);
    expect(m.score).toBeCloseTo((1 / 3 + 4 / 9) / 2, 12);
    expect(m.meanPred).toBeCloseTo(1, 12);
    expect(m.meanGold).toBeCloseTo(4 / 3, 12);
    expect(m.ratio).toBeCloseTo(0.75, 12);
    const a = m.perDrug.find((d) => d.name === 'A');
    expect(a).toMatchObject({ support: 2, predicted: 1, tp: 1, precision: 1, recall: 0.5 });
    expect(m.perDrug[0]?.name).toBe('A'); // most supported first
  });

  it('is null when any row is unlabelled or there are no rows', () => {
    expect(computeMetrics([])).toBeNull();
    const row: BatchRow = { index: 0, id: 'x', predicted: [], gold: null, jaccard: null, f1: null, error: null, withheld: [], ruleHits: [] };
    expect(computeMetrics([row])).toBeNull();
  });

  it('error rows count as empty predictions in metrics and the submission', () => {
    const rows: BatchRow[] = [
      { index: 0, id: 'v1', predicted: ['A'], gold: ['A'], jaccard: 1, f1: 1, error: null, withheld: [], ruleHits: [] },
      { index: 1, id: 'v2', predicted: [], gold: ['B'], jaccard: 0, f1: 0, error: 'boom', withheld: [], ruleHits: [] },
    ];
    expect(computeMetrics(rows)?.jaccard).toBeCloseTo(0.5, 12);
    expect(JSON.parse(submissionText(rows))).toEqual([
      { ID: 'v1', prediction: ['A'] },
      { ID: 'v2', prediction: [] },
    ]);
  });
});

describe('etaSeconds', () => {
  it('extrapolates the mean time per record', () => {
    expect(etaSeconds(0, 10, 1000)).toBeNull();
    expect(etaSeconds(5, 10, 1000)).toBeCloseTo(1, 12);
    expect(etaSeconds(10, 10, 1000)).toBe(0);
  });

  it('carries the withheld drugs a recommender reports and counts predicted drugs that break a safety rule', async () => {
    const records = [
      { 就诊标识: 's1', 诊疗过程描述: '因eGFR<30，停用二甲双胍。', 出院诊断: ['2型糖尿病'], 出院带药列表: ['利格列汀'] },
    ] as unknown as CDrugRedRecord[];
    const rows: BatchRow[] = [];
    const run = (recommend: RecommendFn) =>
      runBatch({ records, recommend, signal: new AbortController().signal, onRow: (r) => rows.push(r), yieldToPage: async () => {} });
    await run(() => ({ drugs: ['利格列汀'], withheld: [{ drug: '二甲双胍', reason: 'stopped' }] }));
    expect(rows[0]).toMatchObject({ predicted: ['利格列汀'], withheld: [{ drug: '二甲双胍', reason: 'stopped' }], ruleHits: [] });
    // a method without the safety filter: the stopped drug is a rule hit
    await run(() => ['二甲双胍', '利格列汀']);
    expect(rows[1]).toMatchObject({ withheld: [], ruleHits: ['二甲双胍'] });
  });
});
