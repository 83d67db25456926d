/**
 * Test utility: the page side of the engine without a browser. A FakeWorker stands where the
 * engine worker would be (EngineClient's WorkerLike): it records what the client posts, and the
 * test answers (or crashes it) with the protocol's real messages.
 */
import type { WorkerLike } from './client.ts';
import type { EngineInfo, EngineRequest, EngineResponse } from './protocol.ts';

/** A fake Worker: records posted requests; the test answers them (or crashes it). */
export class FakeWorker implements WorkerLike {
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  onmessageerror: ((ev: unknown) => void) | null = null;
  readonly posted: EngineRequest[] = [];
  terminated = false;
  postMessage(message: unknown): void {
    this.posted.push(structuredClone(message) as EngineRequest);
  }
  terminate(): void {
    this.terminated = true;
  }
  reply(msg: EngineResponse): void {
    this.onmessage?.({ data: structuredClone(msg) });
  }
  last<T extends EngineRequest['type']>(type: T): Extract<EngineRequest, { type: T }> {
    const m = [...this.posted].reverse().find((p) => p.type === type);
    if (!m) throw new Error(`no ${type} posted`);
    return m as Extract<EngineRequest, { type: T }>;
  }
}


/** A loaded engine's info as a worker reports it (WASM, q8), for answering `load` requests. */
export const TEST_ENGINE_INFO: EngineInfo = {
  modelId: 'm',
  backend: 'wasm',
  dtype: 'q8',
  reason: { code: 'forced-wasm' },
  adapter: null,
  numThreads: 1,
  runtime: 'onnxruntime-web (JSPI)',
  loadMs: 1,
  warmupMs: 1,
  loadPhases: {},
  bytes: 10,
  decoding: {},
  calibrated: false,
  excludedCandidates: 0,
};
