import { describe, expect, it, vi } from 'vitest';
import { EngineClient, EngineError } from './client.ts';
import type { EngineInfo, EngineRequest, RecommendResult } from './protocol.ts';
import { FakeWorker, TEST_ENGINE_INFO } from './worker-test-utils.ts';

function setup() {
  const workers: FakeWorker[] = [];
  const client = new EngineClient(
    () => {
      const w = new FakeWorker();
      workers.push(w);
      return w;
    },
    { heartbeatMs: 0 },
  );
  return { client, workers };
}

const info: EngineInfo = TEST_ENGINE_INFO;

const result = (names: string[]): RecommendResult => ({
  drugs: names.map((name) => ({ name, confidence: 0.5 })),
  trajectory: names.map((name) => ({ name, confidence: 0.5 })),
  stopProbabilities: [...names.map(() => 0.1), 0.9],
  applied: { stopThreshold: undefined, minConfidence: 0, minDrugs: 1 },
  backend: 'wasm',
  dtype: 'q8',
  inferenceMs: 3,
  steps: 4,
  finishReason: 'eos',
  promptTokens: 9,
  candidates: { modelId: 'm', total: names.length, usable: names.length, unk: 0, excluded: 0, examples: [] },
});

const loadParams = { modelId: 'm', baseUrl: 'http://x/', backend: 'wasm' as const };

describe('EngineClient', () => {
  it('correlates responses with requests by id, whatever the reply order', async () => {
    const { client, workers } = setup();
    const a = client.recommend({ record: { 主诉: 'a' } });
    const b = client.recommend({ record: { 主诉: 'b' } });
    const w = workers[0]!;
    expect(workers).toHaveLength(1);
    const [ra, rb] = w.posted as [EngineRequest, EngineRequest];
    expect(ra.id).not.toBe(rb.id);
    w.reply({ type: 'result', id: rb.id, result: result(['B']) });
    w.reply({ type: 'result', id: ra.id, result: result(['A']) });
    expect((await a).drugs[0]!.name).toBe('A');
    expect((await b).drugs[0]!.name).toBe('B');
    expect(client.pendingCount).toBe(0);
  });

  it('forwards progress events to the load call and resolves with the engine info', async () => {
    const { client, workers } = setup();
    const seen: number[] = [];
    const p = client.load(loadParams, { onProgress: (pr) => seen.push(pr.loaded) });
    const w = workers[0]!;
    const req = w.last('load');
    expect(req).toMatchObject({ modelId: 'm', baseUrl: 'http://x/', backend: 'wasm' });
    w.reply({ type: 'event', id: req.id, event: { kind: 'progress', progress: { phase: 'download', loaded: 5, total: 10 } } });
    w.reply({ type: 'event', id: req.id, event: { kind: 'progress', progress: { phase: 'download', loaded: 10, total: 10 } } });
    w.reply({ type: 'event', id: req.id + 99, event: { kind: 'progress', progress: { phase: 'download', loaded: 77, total: 10 } } });
    w.reply({ type: 'loaded', id: req.id, info });
    await expect(p).resolves.toEqual(info);
    expect(seen).toEqual([5, 10]);
    expect(client.loaded).toEqual(info);
  });

  it('maps worker errors to typed EngineErrors', async () => {
    const { client, workers } = setup();
    const p = client.load(loadParams);
    const w = workers[0]!;
    w.reply({ type: 'error', id: w.last('load').id, error: { code: 'model-not-found', message: '404 config.json' } });
    const err = await p.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EngineError);
    expect((err as EngineError).code).toBe('model-not-found');
    expect(client.loaded).toBeNull();
  });

  it('abort rejects at once with "aborted" and tells the worker which request to stop', async () => {
    const { client, workers } = setup();
    const controller = new AbortController();
    const p = client.recommend({ record: {} }, { signal: controller.signal });
    const w = workers[0]!;
    const req = w.last('recommend');
    controller.abort();
    await expect(p).rejects.toMatchObject({ code: 'aborted' });
    expect(w.last('abort').target).toBe(req.id);
    // The worker's late answer is ignored.
    w.reply({ type: 'error', id: req.id, error: { code: 'aborted', message: 'x' } });
    w.reply({ type: 'result', id: req.id, result: result(['late']) });
    expect(client.pendingCount).toBe(0);
  });

  it('an already-aborted signal never reaches the worker', async () => {
    const { client, workers } = setup();
    const controller = new AbortController();
    controller.abort();
    await expect(client.recommend({ record: {} }, { signal: controller.signal })).rejects.toMatchObject({ code: 'aborted' });
    expect(workers).toHaveLength(0);
  });

  it('a worker crash rejects every pending call, and the next call starts a fresh worker', async () => {
    const { client, workers } = setup();
    const crashes: string[] = [];
    client.onCrash((e) => crashes.push(e.code));
    const l = client.load(loadParams);
    const w1 = workers[0]!;
    w1.reply({ type: 'loaded', id: w1.last('load').id, info });
    await l;
    const r1 = client.recommend({ record: {} });
    const r2 = client.recommend({ record: {} });
    w1.onerror?.({ message: 'RangeError: Array buffer allocation failed', filename: 'engine.worker.js', lineno: 1 });
    await expect(r1).rejects.toMatchObject({ code: 'worker-crashed' });
    await expect(r2).rejects.toThrow(/Array buffer allocation failed/);
    expect(w1.terminated).toBe(true);
    expect(client.loaded).toBeNull();
    expect(client.running).toBe(false);
    expect(crashes).toEqual(['worker-crashed']);
    // Late messages of the dead worker are ignored.
    w1.reply({ type: 'result', id: 999, result: result(['ghost']) });

    const l2 = client.load(loadParams);
    expect(workers).toHaveLength(2);
    const w2 = workers[1]!;
    w2.reply({ type: 'loaded', id: w2.last('load').id, info });
    await expect(l2).resolves.toEqual(info);
    const r3 = client.recommend({ record: {} });
    w2.reply({ type: 'result', id: w2.last('recommend').id, result: result(['ok']) });
    expect((await r3).drugs.map((d) => d.name)).toEqual(['ok']);
    expect(client.workersStarted).toBe(2);
  });

  it('messageerror counts as a crash', async () => {
    const { client, workers } = setup();
    const p = client.recommend({ record: {} });
    workers[0]!.onmessageerror?.({});
    await expect(p).rejects.toMatchObject({ code: 'worker-crashed' });
  });

  it('backend-changed events reach listeners and update the loaded info', async () => {
    const { client, workers } = setup();
    const l = client.load({ ...loadParams, backend: 'auto' });
    const w = workers[0]!;
    w.reply({ type: 'loaded', id: w.last('load').id, info: { ...info, backend: 'webgpu', dtype: 'q4', reason: { code: 'webgpu-ok' } } });
    await l;
    const events: string[] = [];
    client.onEvent((e) => events.push(e.kind));
    w.reply({ type: 'event', event: { kind: 'backend-changed', backend: 'wasm', dtype: 'q8', reason: { code: 'device-lost', detail: 'lost' } } });
    expect(events).toEqual(['backend-changed']);
    expect(client.loaded).toMatchObject({ backend: 'wasm', dtype: 'q8', reason: { code: 'device-lost' } });
  });

  it('ignores malformed messages', () => {
    const { client, workers } = setup();
    void client.recommend({ record: {} }).catch(() => undefined);
    const w = workers[0]!;
    w.onmessage?.({ data: 'garbage' });
    w.onmessage?.({ data: { type: 'result' } });
    expect(client.pendingCount).toBe(1);
    client.terminate();
    expect(client.pendingCount).toBe(0);
  });

  it("WebGPU failing during load → fresh worker, the worker plan's WASM attempt loaded as sent, reason reported", async () => {
    const { client, workers } = setup();
    const p = client.load({ ...loadParams, backend: 'auto', dtype: 'q4f16' });
    const w1 = workers[0]!;
    w1.reply({
      type: 'error',
      id: w1.last('load').id,
      error: {
        code: 'webgpu-failed',
        message: 'protobuf parsing failed',
        // planBackends' WASM entry (GPU-only q4f16 → the WASM default q8), as the worker sends it.
        fallback: { backend: 'wasm', dtype: 'q8', reason: { code: 'webgpu-session-failed', detail: 'protobuf parsing failed' } },
      },
    });
    await Promise.resolve();
    await Promise.resolve();
    expect(workers).toHaveLength(2);
    expect(w1.terminated).toBe(true);
    const w2 = workers[1]!;
    const req = w2.last('load');
    expect(req.backend).toBe('wasm');
    expect(req.dtype).toBe('q8'); // the client decides nothing: the plan's dtype
    expect(req.fallbackReason).toEqual({ code: 'webgpu-session-failed', detail: 'protobuf parsing failed' });
    w2.reply({ type: 'loaded', id: req.id, info: { ...info, reason: req.fallbackReason! } });
    await expect(p).resolves.toMatchObject({ backend: 'wasm', reason: { code: 'webgpu-session-failed' } });
  });

  it("a 'webgpu-failed' without the plan's fallback is rejected as is (the client never invents a fallback)", async () => {
    const { client, workers } = setup();
    const p = client.load({ ...loadParams, backend: 'webgpu' });
    const w1 = workers[0]!;
    w1.reply({ type: 'error', id: w1.last('load').id, error: { code: 'webgpu-failed', message: 'kernel error' } });
    await expect(p).rejects.toMatchObject({ code: 'webgpu-failed' });
    expect(workers).toHaveLength(1);
  });

  it('WebGPU failing during a recommendation → reload on WASM, retry once, backend-changed event', async () => {
    const { client, workers } = setup();
    const l = client.load({ ...loadParams, backend: 'auto' });
    const w1 = workers[0]!;
    w1.reply({ type: 'loaded', id: w1.last('load').id, info: { ...info, backend: 'webgpu', dtype: 'q4', reason: { code: 'webgpu-ok' } } });
    await l;
    const events: string[] = [];
    client.onEvent((e) => events.push(e.kind === 'backend-changed' ? `${e.backend}:${e.reason.code}` : e.kind));
    const r = client.recommend({ record: { 主诉: 'x' } });
    w1.reply({
      type: 'error',
      id: w1.last('recommend').id,
      error: { code: 'webgpu-failed', message: 'device lost', fallback: { backend: 'wasm', dtype: 'q8', reason: { code: 'device-lost', detail: 'destroyed' } } },
    });
    const tick = () => new Promise((res) => setTimeout(res, 0));
    await tick();
    const w2 = workers[1]!;
    const load = w2.last('load');
    expect(load).toMatchObject({ backend: 'wasm', dtype: 'q8', skipWarmup: true, fallbackReason: { code: 'device-lost' } });
    w2.reply({ type: 'loaded', id: load.id, info: { ...info, reason: load.fallbackReason! } });
    await tick();
    w2.reply({ type: 'result', id: w2.last('recommend').id, result: result(['retried']) });
    expect((await r).drugs[0]!.name).toBe('retried');
    expect(events).toEqual(['wasm:device-lost']);
    expect(client.loaded).toMatchObject({ backend: 'wasm' });
  });

  it('after an inference failure the next call runs in a fresh worker', async () => {
    const { client, workers } = setup();
    const l = client.load(loadParams);
    const w1 = workers[0]!;
    w1.reply({ type: 'loaded', id: w1.last('load').id, info });
    await l;
    const r = client.recommend({ record: {} });
    w1.reply({ type: 'error', id: w1.last('recommend').id, error: { code: 'inference-failed', message: 'OOM' } });
    await expect(r).rejects.toMatchObject({ code: 'inference-failed' });
    // Nothing usable is loaded any more: a caller that checks `loaded` reloads before its next request.
    expect(client.loaded).toBeNull();
    void client.load(loadParams);
    expect(workers).toHaveLength(2);
    expect(w1.terminated).toBe(true);
  });

  it('the candidate list is sent once: with the load, or in one `candidates` message when it changes — never with a recommendation', async () => {
    const { client, workers } = setup();
    await client.setCandidates(['甲', '乙']); // nothing loaded: kept for the load
    const l = client.load(loadParams);
    const w = workers[0]!;
    expect(w.last('load').candidates).toEqual(['甲', '乙']);
    w.reply({ type: 'loaded', id: w.last('load').id, info });
    await l;
    const r = client.recommend({ record: {} });
    expect(w.last('recommend')).not.toHaveProperty('candidates');
    w.reply({ type: 'result', id: w.last('recommend').id, result: result(['甲']) });
    await r;
    const report = { modelId: 'm', total: 1, usable: 1, unk: 0, excluded: 0, examples: [] };
    const c = client.setCandidates(['丙']);
    expect(w.last('candidates').candidates).toEqual(['丙']);
    w.reply({ type: 'inspected', id: w.last('candidates').id, report });
    await expect(c).resolves.toEqual(report);
    // The same list again: no message.
    const before = w.posted.length;
    await expect(client.setCandidates(['丙'])).resolves.toBeNull();
    expect(w.posted).toHaveLength(before);
    // A restarted worker gets the list with its load.
    w.onerror?.({ message: 'boom' });
    void client.load(loadParams).catch(() => undefined);
    expect(workers[1]!.last('load').candidates).toEqual(['丙']);
    client.terminate();
  });

  it('a worker that stops answering pings (closed, or a busy loop) is terminated; pending calls fail as worker-crashed', async () => {
    vi.useFakeTimers();
    try {
      const workers: FakeWorker[] = [];
      const client = new EngineClient(
        () => {
          const w = new FakeWorker();
          workers.push(w);
          return w;
        },
        { heartbeatMs: 1_000, unresponsiveMs: 5_000, unresponsiveLoadingMs: 30_000 },
      );
      const crashes: string[] = [];
      client.onCrash((e) => crashes.push(e.code));
      const r = client.recommend({ record: {} });
      const w = workers[0]!;
      // A live worker answers its pings: no crash however long the decode takes.
      for (let i = 0; i < 10; i++) {
        vi.advanceTimersByTime(1_000);
        const ping = w.last('ping');
        w.reply({ type: 'pong', id: ping.id });
      }
      expect(w.terminated).toBe(false);
      // Then silence (the worker called self.close(), or spins).
      vi.advanceTimersByTime(7_000);
      expect(w.terminated).toBe(true);
      await expect(r).rejects.toMatchObject({ code: 'worker-crashed' });
      expect(crashes).toEqual(['worker-crashed']);
      expect(client.loaded).toBeNull();
      // The next call starts a fresh worker.
      void client.recommend({ record: {} }).catch(() => undefined);
      expect(workers).toHaveLength(2);
      client.terminate();
    } finally {
      vi.useRealTimers();
    }
  });
});
