/**
 * The batch on an engine pool, over REAL engines: ModelEngine instances in Node decoding the
 * shipped model (models/dischargerx-small, q8, onnxruntime-node — the worker runs the same class
 * in the browser). Two engines decoding side by side must give the rows one engine gives one
 * record at a time, in input order; a cancel stops every engine; an engine that cannot load
 * leaves the pool without losing a row. (Messages, crashes and restarts of the workers are the
 * EngineClient's: src/engine/engine-pool.test.ts.) Every engine is kept (adapt: false): the
 * throughput check would depend on this machine's load.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CDrugRedRecord } from '../../clinical/record.ts';
import { EnginePool, type PoolMember } from '../../engine/engine-pool.ts';
import { ModelEngine } from '../../engine/model-engine.ts';
import { nodeHost } from '../../engine/node-host.ts';
import type { EngineInfo } from '../../engine/protocol.ts';
import { runBatch, type BatchRow, type RecommendFn } from './batch-runner.ts';

const ROOT = resolve(import.meta.dirname, '..', '..', '..');
const MODELS = join(ROOT, 'models');
const spec = { modelId: 'dischargerx-small', baseUrl: '', backend: 'wasm' as const, dtype: 'q8' as const, skipWarmup: true };
const RECORDS: CDrugRedRecord[] = readFileSync(join(ROOT, 'training/tests/fixtures/tiny/test.jsonl'), 'utf8')
  .split('\n')
  .filter((l) => l.trim())
  .slice(0, 8)
  .map((l) => JSON.parse(l) as CDrugRedRecord);

const engines: ModelEngine[] = [];

/** A pool member over a ModelEngine that loads `modelId`; counts the records it decodes. */
function member(engine: ModelEngine, modelId = spec.modelId): PoolMember & { decoded: string[]; released: boolean; calls: Promise<unknown>[] } {
  let loading: Promise<EngineInfo> | null = null;
  const m = {
    decoded: [] as string[],
    released: false,
    /** Every decode the pool started here, settled or not (each resolves to 'decoded' or the error). */
    calls: [] as Promise<unknown>[],
    ensureLoaded: () => (engine.info ? Promise.resolve(engine.info) : (loading ??= engine.load({ ...spec, modelId }, { signal: new AbortController().signal, onProgress: () => undefined }))),
    recommend: (params: { record: Record<string, unknown>; safety?: boolean }, options: { signal?: AbortSignal }) => {
      const call = engine.recommend(params.record, { safety: params.safety !== false, ...(options.signal ? { signal: options.signal } : {}) }).then((r) => {
        m.decoded.push(String(params.record['就诊标识']));
        return r;
      });
      m.calls.push(call.then(() => 'decoded', (e: unknown) => e));
      return call;
    },
    release: () => {
      m.released = true;
    },
  };
  return m;
}

function poolRecommend(pool: EnginePool): RecommendFn {
  return async (record, signal) => {
    const r = await pool.recommend({ record: record as unknown as Record<string, unknown> }, { signal });
    return { drugs: r.drugs.map((d) => d.name), withheld: (r.withheld ?? []).map((w) => ({ drug: w.drug, reason: w.reason })) };
  };
}

async function rowsOf(recommend: RecommendFn, concurrency: number, signal = new AbortController().signal, onRow?: (row: BatchRow) => void) {
  const rows: BatchRow[] = [];
  const outcome = await runBatch({
    records: RECORDS,
    recommend,
    signal,
    concurrency,
    yieldToPage: () => Promise.resolve(),
    onRow: (row) => {
      rows.push(row);
      onRow?.(row);
    },
  });
  return { rows, outcome };
}

/** The reference: one engine, one record at a time (the batch before the pool). */
let reference: BatchRow[] = [];

beforeAll(async () => {
  for (let i = 0; i < 2; i++) {
    const e = new ModelEngine(nodeHost(MODELS));
    await e.load(spec, { signal: new AbortController().signal, onProgress: () => undefined });
    engines.push(e);
  }
  const one = member(engines[0]!);
  const pool = new EnginePool([one], { depth: 1 });
  reference = (await rowsOf(poolRecommend(pool), 1)).rows;
  pool.close();
}, 300_000);

afterAll(async () => {
  for (const e of engines) await e.dispose();
});

describe('a batch on a pool of real engines (shipped model, onnxruntime-node)', () => {
  it('two engines side by side give the same rows as one engine one record at a time, in input order', async () => {
    expect(reference.map((r) => r.id)).toEqual(RECORDS.map((r) => r.就诊标识));
    expect(reference.some((r) => r.predicted.length > 0)).toBe(true);
    expect(reference.every((r) => r.error === null)).toBe(true);
    const members = engines.map((e) => member(e));
    const pool = new EnginePool(members, { adapt: false });
    const { rows, outcome } = await rowsOf(poolRecommend(pool), pool.capacity);
    pool.close();
    expect(outcome).toEqual({ status: 'done', done: RECORDS.length, errors: 0 });
    expect(rows).toEqual(reference);
    // Both engines decoded records (otherwise this would only test one engine again).
    expect(members.map((m) => m.decoded.length).every((n) => n > 0)).toBe(true);
    expect(members[0]!.decoded.length + members[1]!.decoded.length).toBe(RECORDS.length);
  }, 300_000);

  it('a cancel stops every engine: the batch ends cancelled with the finished rows, in order, and nothing decodes after', async () => {
    const members = engines.map((e) => member(e));
    const pool = new EnginePool(members, { adapt: false });
    const ac = new AbortController();
    const { rows, outcome } = await rowsOf(poolRecommend(pool), pool.capacity, ac.signal, (row) => {
      if (row.index === 1) ac.abort(new DOMException('batch cancelled by the user', 'AbortError'));
    });
    pool.close();
    expect(outcome.status).toBe('cancelled');
    expect(rows).toEqual(reference.slice(0, 2));
    // The records in flight at the cancel were stopped inside both engines: every decode the pool
    // started has ended, the ones after the cancel with 'aborted', and no record past them was sent.
    const ends = await Promise.all(members.flatMap((m) => m.calls));
    const aborted = ends.filter((x) => x !== 'decoded');
    expect(aborted.length).toBeGreaterThan(0);
    for (const x of aborted) expect(x).toMatchObject({ code: 'aborted' });
    expect(ends.length).toBeLessThan(RECORDS.length);
    // The engines still work afterwards.
    const again = new EnginePool(engines.map((e) => member(e)), { adapt: false });
    expect((await rowsOf(poolRecommend(again), again.capacity)).rows).toEqual(reference);
    again.close();
  }, 300_000);

  it('an engine that cannot load (its model is missing) leaves the pool; the batch finishes on the other with the same rows', async () => {
    const broken = member(new ModelEngine(nodeHost(MODELS)), 'no-such-model');
    const good = member(engines[1]!);
    const pool = new EnginePool([broken, good], { adapt: false });
    const { rows, outcome } = await rowsOf(poolRecommend(pool), pool.capacity);
    expect(outcome).toEqual({ status: 'done', done: RECORDS.length, errors: 0 });
    expect(rows).toEqual(reference);
    expect(broken.released).toBe(true);
    expect(broken.decoded).toEqual([]);
    expect(pool.size).toBe(1);
    pool.close();
  }, 300_000);
});
