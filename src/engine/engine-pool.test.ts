/**
 * EnginePool over real EngineClients (each over a FakeWorker that the test answers with the
 * protocol's messages, as in client.test.ts): which engine gets which request, abort, a worker
 * crash and a failed load. The pool over real engines decoding the shipped model, and the rows it
 * gives the batch, are tested in src/features/batch/batch-pool.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { EngineClient } from './client.ts';
import { batchPoolSize, clientMember, EnginePool, extraEnginesHelp, MAX_BATCH_ENGINES } from './engine-pool.ts';
import type { EngineInfo, RecommendResult } from './protocol.ts';
import { FakeWorker, TEST_ENGINE_INFO } from './worker-test-utils.ts';

const info: EngineInfo = { ...TEST_ENGINE_INFO, warmupMs: 0 };

const result = (name: string, inferenceMs = 3): RecommendResult => ({
  drugs: [{ name, confidence: 0.5 }],
  trajectory: [{ name, confidence: 0.5 }],
  stopProbabilities: [0.1, 0.9],
  applied: { stopThreshold: undefined, minConfidence: 0, minDrugs: 1 },
  backend: 'wasm',
  dtype: 'q8',
  inferenceMs,
  steps: 4,
  finishReason: 'eos',
  promptTokens: 9,
  candidates: { modelId: 'm', total: 1, usable: 1, unk: 0, excluded: 0, examples: [] },
});

const load = { modelId: 'm', baseUrl: 'http://x/', backend: 'wasm' as const, dtype: 'q8' as const, skipWarmup: true };
const tick = () => new Promise((r) => setTimeout(r, 0));

/** `n` engines, each an EngineClient over its own FakeWorkers (a restarted worker is appended). */
function engines(n: number) {
  const workers: FakeWorker[][] = [];
  const clients = Array.from({ length: n }, (_, i) => {
    workers[i] = [];
    return new EngineClient(
      () => {
        const w = new FakeWorker();
        workers[i]!.push(w);
        return w;
      },
      { heartbeatMs: 0 },
    );
  });
  const current = (i: number) => workers[i]!.at(-1)!;
  /** Answers engine i's pending load. */
  const loaded = async (i: number) => {
    const w = current(i);
    w.reply({ type: 'loaded', id: w.last('load').id, info });
    await tick();
  };
  /** Recommend requests engine i's current worker got, by the record's 主诉. */
  const got = (i: number) => current(i).posted.flatMap((m) => (m.type === 'recommend' ? [String(m.record['主诉'])] : []));
  /** Answers engine i's request for `note` with a drug named after it. */
  const answer = async (i: number, note: string, decodeMs = 3) => {
    const w = current(i);
    const req = w.posted.find((m) => m.type === 'recommend' && m.record['主诉'] === note);
    if (!req) throw new Error(`engine ${i} has no request for ${note}`);
    w.reply({ type: 'result', id: req.id, result: result(`drug-${note}`, decodeMs) });
    await tick();
  };
  return { clients, workers, current, loaded, got, answer };
}

const ask = (pool: EnginePool, note: string, signal?: AbortSignal) =>
  pool.recommend({ record: { 主诉: note } }, signal ? { signal } : {}).then((r) => r.drugs[0]!.name);

/** A pool over the test's engines, each member loading `load`. */
const poolOf = (e: { clients: EngineClient[] }, options: ConstructorParameters<typeof EnginePool>[1]) => new EnginePool(e.clients.map((c) => clientMember(c, load)), options);

describe('EnginePool', () => {
  it('hands each request to the engine with the fewest in flight, up to `depth` each; the rest wait for a free slot', async () => {
    const e = engines(2);
    const pool = poolOf(e, { depth: 2, adapt: false });
    expect(pool.size).toBe(2);
    expect(pool.capacity).toBe(4);
    await e.loaded(0);
    await e.loaded(1);
    const answers = ['a', 'b', 'c', 'd', 'e'].map((n) => ask(pool, n));
    await tick();
    expect(e.got(0)).toEqual(['a', 'c']);
    expect(e.got(1)).toEqual(['b', 'd']); // 'e' waits: both engines hold two
    await e.answer(1, 'd');
    expect(e.got(1)).toEqual(['b', 'd', 'e']);
    for (const [i, n] of [[0, 'a'], [0, 'c'], [1, 'b'], [1, 'e']] as const) await e.answer(i, n);
    // Each caller gets its own record's answer, whichever engine ran it and in whatever order.
    expect(await Promise.all(answers)).toEqual(['drug-a', 'drug-b', 'drug-c', 'drug-d', 'drug-e']);
    pool.close();
  });

  it('an engine still loading takes no request; the loaded one works meanwhile, and the other joins once loaded', async () => {
    const e = engines(2);
    const pool = poolOf(e, { depth: 1, adapt: false });
    await e.loaded(0);
    const answers = ['a', 'b', 'c'].map((n) => ask(pool, n));
    await tick();
    expect(e.got(0)).toEqual(['a']);
    expect(e.got(1)).toEqual([]);
    expect(e.current(1).last('load')).toMatchObject({ modelId: 'm', backend: 'wasm', dtype: 'q8', skipWarmup: true });
    await e.loaded(1);
    expect(e.got(1)).toEqual(['b']);
    await e.answer(0, 'a');
    expect(e.got(0)).toEqual(['a', 'c']);
    await e.answer(1, 'b');
    await e.answer(0, 'c');
    expect(await Promise.all(answers)).toEqual(['drug-a', 'drug-b', 'drug-c']);
    pool.close();
  });

  it('abort: a queued request rejects at once; a sent one is aborted in its own worker', async () => {
    const e = engines(2);
    const pool = poolOf(e, { depth: 1, adapt: false });
    await e.loaded(0);
    await e.loaded(1);
    const ac = new AbortController();
    const answers = ['a', 'b', 'c'].map((n) => ask(pool, n, ac.signal).catch((err: unknown) => err));
    await tick();
    const sent = [e.current(0).last('recommend').id, e.current(1).last('recommend').id];
    ac.abort();
    for (const a of await Promise.all(answers)) expect(a).toMatchObject({ code: 'aborted' });
    // Every worker was told to stop the request it runs; 'c' never reached one.
    expect([e.current(0).last('abort').target, e.current(1).last('abort').target]).toEqual(sent);
    expect([...e.got(0), ...e.got(1)]).toEqual(['a', 'b']);
    await expect(ask(pool, 'd', ac.signal)).rejects.toMatchObject({ code: 'aborted' });
    pool.close();
  });

  it('a worker crash fails only that engine’s requests; it reloads on a fresh worker before its next one', async () => {
    const e = engines(2);
    const pool = poolOf(e, { depth: 1, adapt: false });
    await e.loaded(0);
    await e.loaded(1);
    const a = ask(pool, 'a').catch((err: unknown) => err);
    const b = ask(pool, 'b');
    await tick();
    e.current(0).onerror?.({ message: 'RangeError: Array buffer allocation failed' });
    expect(await a).toMatchObject({ code: 'worker-crashed' });
    expect(e.workers[0]![0]!.terminated).toBe(true);
    const c = ask(pool, 'c');
    await tick();
    // Engine 0 starts a fresh worker and loads it before taking 'c'.
    expect(e.workers[0]).toHaveLength(2);
    expect(e.got(0)).toEqual([]);
    await e.loaded(0);
    expect(e.got(0)).toEqual(['c']);
    await e.answer(1, 'b');
    await e.answer(0, 'c');
    expect([await b, await c]).toEqual(['drug-b', 'drug-c']);
    pool.close();
  });

  it('an engine whose load fails leaves the pool (released) and the others take its share; the last one stays and reports its error per request', async () => {
    const e = engines(2);
    const pool = poolOf(e, { depth: 1, adapt: false });
    await e.loaded(0);
    const w1 = e.current(1);
    w1.reply({ type: 'error', id: w1.last('load').id, error: { code: 'load-failed', message: 'IndexedDB read failed' } });
    await tick();
    expect(pool.size).toBe(1);
    expect(w1.terminated).toBe(true);
    const answers = ['a', 'b'].map((n) => ask(pool, n));
    await tick();
    await e.answer(0, 'a');
    await e.answer(0, 'b');
    expect(await Promise.all(answers)).toEqual(['drug-a', 'drug-b']);
    // The last engine crashes and cannot load again: each request gets the load's error.
    e.current(0).onerror?.({ message: 'gone' });
    const c = ask(pool, 'c').catch((err: unknown) => err);
    await tick();
    const w = e.current(0);
    w.reply({ type: 'error', id: w.last('load').id, error: { code: 'model-not-found', message: '404 config.json' } });
    expect(await c).toMatchObject({ code: 'model-not-found' });
    expect(pool.size).toBe(1);
    pool.close();
  });

  it('an engine that cannot reload after a crash leaves the pool; its next request fails with the load error and the rest go to the others', async () => {
    const e = engines(2);
    const pool = poolOf(e, { depth: 1, adapt: false });
    await e.loaded(0);
    await e.loaded(1);
    e.current(0).onerror?.({ message: 'gone' });
    const a = ask(pool, 'a').catch((err: unknown) => err);
    await tick();
    const w = e.current(0);
    w.reply({ type: 'error', id: w.last('load').id, error: { code: 'load-failed', message: 'out of memory' } });
    expect(await a).toMatchObject({ code: 'load-failed' });
    expect(pool.size).toBe(1);
    expect(w.terminated).toBe(true);
    const b = ask(pool, 'b');
    await tick();
    await e.answer(1, 'b');
    expect(await b).toBe('drug-b');
    pool.close();
  });

  it('close() rejects what is queued, releases every engine (workers terminated), and refuses later requests', async () => {
    const e = engines(2);
    const pool = poolOf(e, { depth: 1, adapt: false });
    await e.loaded(0);
    const answers = ['a', 'b'].map((n) => ask(pool, n).catch((err: unknown) => err));
    await tick();
    pool.close();
    for (const a of await Promise.all(answers)) expect(a).toMatchObject({ code: 'aborted' });
    expect(e.workers.map((ws) => ws.every((w) => w.terminated))).toEqual([true, true]);
    expect(e.clients.map((c) => c.running)).toEqual([false, false]);
    await expect(ask(pool, 'c')).rejects.toMatchObject({ code: 'aborted' });
  });
});

describe('the extra engines stay only while they add throughput', () => {
  it('a failed decode while measuring ends the check: every engine keeps working', async () => {
    const e = engines(2);
    const pool = poolOf(e, { depth: 1 });
    await e.loaded(0);
    await e.loaded(1);
    const s1 = ask(pool, 's1').catch((err: unknown) => err);
    const s2 = ask(pool, 's2');
    await tick();
    expect(e.got(1)).toEqual([]);
    const w = e.current(0);
    w.reply({ type: 'error', id: w.last('recommend').id, error: { code: 'inference-failed', message: 'OOM' } });
    expect(await s1).toMatchObject({ code: 'inference-failed' });
    // No longer measured: engine 0 reloads for 's2', and the extra engine takes the next record at once.
    const s3 = ask(pool, 's3');
    await tick();
    expect(e.got(1)).toEqual(['s3']);
    await e.loaded(0);
    expect(e.got(0)).toEqual(['s2']);
    await e.answer(0, 's2');
    await e.answer(1, 's3');
    expect([await s2, await s3]).toEqual(['drug-s2', 'drug-s3']);
    pool.close();
  });

  it('extraEnginesHelp: engines side by side against the first one alone; null until enough samples', () => {
    expect(extraEnginesHelp([300], [[350, 350, 350], [350, 350, 350]])).toBeNull();
    expect(extraEnginesHelp([300, 300], [[350, 350], [350, 350, 350]])).toBeNull();
    // Two engines at 350 ms each: 5.7 records/s against 3.3 alone.
    expect(extraEnginesHelp([300, 300], [[350, 350, 350], [350, 360, 340]])).toBe(true);
    // Cores busy with other work: each engine 2.5× slower side by side, so fewer records/s than one alone.
    expect(extraEnginesHelp([300, 300], [[750, 750, 750], [750, 760, 740]])).toBe(false);
    // Breaking even is not enough: side by side each at twice the lone time.
    expect(extraEnginesHelp([873, 873], [[1749, 1749, 1749], [1730, 1730, 1730]])).toBe(false);
    // Medians: one slow first record (the extra's compile) does not decide.
    expect(extraEnginesHelp([300, 320, 310], [[350, 350, 350], [2_000, 350, 350]])).toBe(true);
  });

  /** Both engines loaded; engine 0 decodes two records alone at 300 ms, then both decode three each at `togetherMs`. */
  async function run(togetherMs: number, adapt = true) {
    const e = engines(2);
    const pool = poolOf(e, { depth: 1, adapt });
    /** Answers `note` on whichever engine holds it. */
    const answer = (note: string, ms: number) => e.answer(e.got(0).includes(note) ? 0 : 1, note, ms);
    await e.loaded(0);
    await e.loaded(1);
    const solo = ['s1', 's2'].map((n) => ask(pool, n));
    await tick();
    // Measured alone: the extra engine, loaded, waits.
    expect(e.got(1)).toEqual(adapt ? [] : ['s2']);
    await answer('s1', 300);
    await answer('s2', 300);
    await Promise.all(solo);
    const together = ['a', 'b', 'c', 'd', 'e', 'f'].map((n) => ask(pool, n));
    await tick();
    // Answered as sent, so each engine takes every other record.
    for (const n of ['a', 'b', 'c', 'd', 'e', 'f']) await answer(n, togetherMs);
    await Promise.all(together);
    const after = ['x', 'y'].map((n) => ask(pool, n));
    await tick();
    return { e, pool, after };
  }

  it('they help: both engines keep decoding', async () => {
    const { e, pool, after } = await run(350);
    expect(e.got(1)).toEqual(['b', 'd', 'f', 'y']);
    expect(pool.size).toBe(2);
    expect(e.got(0).at(-1)).toBe('x');
    expect(e.got(1).at(-1)).toBe('y');
    await e.answer(0, 'x');
    await e.answer(1, 'y');
    await Promise.all(after);
    pool.close();
  });

  it('they do not: the extra engine is released and the first one takes every later record', async () => {
    const { e, pool, after } = await run(900);
    expect(e.got(1)).toEqual(['b', 'd', 'f']);
    expect(pool.size).toBe(1);
    expect(e.current(1).terminated).toBe(true);
    expect(e.got(0).slice(-1)).toEqual(['x']);
    await e.answer(0, 'x');
    expect(e.got(0).slice(-1)).toEqual(['y']);
    await e.answer(0, 'y');
    expect(await Promise.all(after)).toEqual(['drug-x', 'drug-y']);
    pool.close();
  });

  it('an explicit engine count (adapt: false) keeps every engine whatever the times', async () => {
    const { e, pool, after } = await run(900, false);
    expect(pool.size).toBe(2);
    expect(e.current(1).terminated).toBe(false);
    await e.answer(0, 'x');
    await e.answer(1, 'y');
    await Promise.all(after);
    pool.close();
  });
});

describe('batchPoolSize', () => {
  it('WASM: one engine per core its threads can have, at most MAX_BATCH_ENGINES; WebGPU: one', () => {
    expect(batchPoolSize({ backend: 'wasm', threadsPerEngine: 1, hardwareConcurrency: 2 })).toBe(2);
    expect(batchPoolSize({ backend: 'wasm', threadsPerEngine: 1, hardwareConcurrency: 1 })).toBe(1);
    expect(batchPoolSize({ backend: 'wasm', threadsPerEngine: 3, hardwareConcurrency: 4 })).toBe(1);
    expect(batchPoolSize({ backend: 'wasm', threadsPerEngine: 4, hardwareConcurrency: 16 })).toBe(MAX_BATCH_ENGINES);
    expect(batchPoolSize({ backend: 'wasm', threadsPerEngine: 1, hardwareConcurrency: undefined })).toBe(1);
    expect(batchPoolSize({ backend: 'webgpu', threadsPerEngine: 1, hardwareConcurrency: 8 })).toBe(1);
  });

  it('device memory caps it; an explicit request overrides, within its own limit', () => {
    expect(batchPoolSize({ backend: 'wasm', threadsPerEngine: 1, hardwareConcurrency: 8, deviceMemoryGiB: 1 })).toBe(1);
    expect(batchPoolSize({ backend: 'wasm', threadsPerEngine: 1, hardwareConcurrency: 8, deviceMemoryGiB: 0.5 })).toBe(1);
    expect(batchPoolSize({ backend: 'wasm', threadsPerEngine: 1, hardwareConcurrency: 8, deviceMemoryGiB: 8 })).toBe(2);
    expect(batchPoolSize({ backend: 'wasm', threadsPerEngine: 1, hardwareConcurrency: 2, requested: 1 })).toBe(1);
    expect(batchPoolSize({ backend: 'wasm', threadsPerEngine: 1, hardwareConcurrency: 2, requested: 3 })).toBe(3);
    expect(batchPoolSize({ backend: 'wasm', threadsPerEngine: 1, hardwareConcurrency: 2, requested: 99 })).toBe(4);
    expect(batchPoolSize({ backend: 'webgpu', threadsPerEngine: 1, hardwareConcurrency: 2, requested: 3 })).toBe(1);
  });
});
