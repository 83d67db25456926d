/**
 * Main-thread side of the model engine: id-correlated promise calls over a Worker, AbortSignal →
 * abort message, typed errors, crash recovery. No React, no transformers.js import.
 *
 * Crash handling: when the worker reports an uncaught error (`onerror`), an unreadable message
 * (`onmessageerror`), or goes silent — it closed itself, or a busy loop holds its thread, so it
 * does not answer the heartbeat's pings — every pending call rejects with
 * EngineError('worker-crashed'), the worker is terminated and forgotten, and crash listeners hear
 * of it (the status stops saying "ready"); the next call starts a fresh worker (which must be
 * loaded again — `loaded` is null until then).
 *
 * The candidate list is the client's state: it goes with each load (so a restarted worker gets it
 * too) and, when it changes, once in a `candidates` message — never with a recommendation.
 */
import { EngineError, isEngineError, toEngineError } from './errors.ts';
import {
  isEngineResponse,
  type CandidateReport,
  type EngineErrorCode,
  type EngineEvent,
  type EngineInfo,
  type EngineRequest,
  type EngineResponse,
  type LoadProgress,
  type LoadRequest,
  type RecommendRequest,
  type RecommendResult,
} from './protocol.ts';

/** The slice of `Worker` the client uses (lets tests pass a fake). */
export interface WorkerLike {
  postMessage(message: unknown): void;
  terminate(): void;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  onmessageerror: ((ev: unknown) => void) | null;
}

export { EngineError, isEngineError, toEngineError };

/**
 * After these errors the worker is not reused: transformers.js chains all session creations and
 * runs of a worker on one promise, which stays rejected after a failure.
 */
const TAINTING: ReadonlySet<EngineErrorCode> = new Set(['load-failed', 'inference-failed', 'webgpu-failed']);

interface Pending {
  kind: 'load' | 'recommend' | 'dispose' | 'inspect' | 'candidates';
  resolve: (value: never) => void;
  reject: (error: EngineError) => void;
  onProgress?: (p: LoadProgress) => void;
  cleanup: () => void;
}

export interface CallOptions {
  signal?: AbortSignal;
}

export type LoadParams = Omit<LoadRequest, 'type' | 'id'>;
export type RecommendParams = Omit<RecommendRequest, 'type' | 'id'>;

export interface ClientOptions {
  /** Ping interval, ms; 0 = no heartbeat (fake workers in unit tests). */
  heartbeatMs?: number;
  /** Silence after which the worker counts as dead (closed, or stuck in a loop), ms. */
  unresponsiveMs?: number;
  /** The same while a load runs (session creation may hold the worker's thread for a while), ms. */
  unresponsiveLoadingMs?: number;
}

const DEFAULTS: Required<ClientOptions> = { heartbeatMs: 2_000, unresponsiveMs: 20_000, unresponsiveLoadingMs: 60_000 };

export class EngineClient {
  private worker: WorkerLike | null = null;
  private heartbeat: ReturnType<typeof setInterval> | null = null;
  /** Last time the current worker said anything (any message counts as alive). */
  private lastHeard = 0;
  private readonly opts: Required<ClientOptions>;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Set<(e: EngineEvent) => void>();
  private crashListeners = new Set<(e: EngineError) => void>();
  /** Info of the last successful load on the current worker; null after a crash / before load. */
  loaded: EngineInfo | null = null;
  /** Workers started so far (1 + restarts after crashes / failures). */
  workersStarted = 0;
  /** The current worker hit a failure; the next call starts a fresh one. */
  private tainted = false;
  /** Parameters of the last load, for the automatic WASM reload after a WebGPU failure. */
  private lastLoad: LoadParams | null = null;
  /** The selected candidate list (a site's list); null = the engine's default, the bundled formulary. */
  private candidates: string[] | null = null;

  constructor(
    private readonly createWorker: () => WorkerLike,
    options: ClientOptions = {},
  ) {
    this.opts = { ...DEFAULTS, ...options };
  }

  get candidateList(): string[] | null {
    return this.candidates;
  }

  /**
   * What the last load asked for (after a WebGPU fallback: the WASM load that ran), with the
   * selected candidate list: another client loads the same model with it (a batch's extra engines).
   */
  get loadParams(): LoadParams | null {
    return this.lastLoad ? { ...this.lastLoad } : null;
  }

  /** Starts a worker if none is running. */
  private ensureWorker(): WorkerLike {
    if (this.worker && this.tainted) {
      const old = this.worker;
      this.worker = null;
      this.loaded = null;
      old.terminate();
    }
    this.tainted = false;
    if (this.worker) return this.worker;
    const w = this.createWorker();
    this.workersStarted++;
    w.onmessage = (ev) => this.handleMessage(w, ev.data);
    w.onerror = (ev) => this.crash(w, describeWorkerError(ev));
    w.onmessageerror = () => this.crash(w, 'unreadable message from the engine worker');
    this.worker = w;
    this.startHeartbeat(w);
    return w;
  }

  /**
   * Liveness: a ping every heartbeatMs, answered by the worker at once (also mid-decode: the
   * decoder yields between model calls). A worker that closed itself fires no event at all, and
   * one in a busy loop never answers: after `unresponsiveMs` of silence it is treated as crashed.
   */
  private startHeartbeat(w: WorkerLike): void {
    this.stopHeartbeat();
    this.lastHeard = Date.now();
    if (this.opts.heartbeatMs <= 0) return;
    this.heartbeat = setInterval(() => {
      if (w !== this.worker) return this.stopHeartbeat();
      const loading = [...this.pending.values()].some((p) => p.kind === 'load');
      const limit = loading ? this.opts.unresponsiveLoadingMs : this.opts.unresponsiveMs;
      const silent = Date.now() - this.lastHeard;
      if (silent > limit) {
        this.crash(w, `the engine worker stopped answering (no reply for ${Math.round(silent / 1000)} s): it was closed or is stuck`);
        return;
      }
      try {
        w.postMessage({ type: 'ping', id: this.nextId++ } satisfies EngineRequest);
      } catch {
        /* a closed port: the silence check above ends it */
      }
    }, this.opts.heartbeatMs);
  }

  private stopHeartbeat(): void {
    if (this.heartbeat !== null) clearInterval(this.heartbeat);
    this.heartbeat = null;
  }

  private handleMessage(from: WorkerLike, data: unknown): void {
    if (from !== this.worker) return; // a terminated worker's late message
    this.lastHeard = Date.now();
    if (!isEngineResponse(data)) return;
    const msg: EngineResponse = data;
    if (msg.type === 'pong') return;
    if (msg.type === 'event') {
      const ev = msg.event;
      if (ev.kind === 'progress') {
        if (msg.id !== undefined) this.pending.get(msg.id)?.onProgress?.(ev.progress);
        return;
      }
      if (ev.kind === 'backend-changed' && this.loaded) {
        this.loaded = { ...this.loaded, backend: ev.backend, dtype: ev.dtype, reason: ev.reason };
      }
      for (const l of this.listeners) l(ev);
      return;
    }
    const p = this.pending.get(msg.id);
    if (!p) return; // aborted or already settled
    switch (msg.type) {
      case 'loaded':
        this.loaded = msg.info;
        this.settle(msg.id, p, msg.info);
        return;
      case 'result':
        this.settle(msg.id, p, msg.result);
        return;
      case 'disposed':
        this.loaded = null;
        this.settle(msg.id, p, undefined);
        return;
      case 'inspected':
        this.settle(msg.id, p, msg.report);
        return;
      case 'error':
        if (p.kind === 'load') this.loaded = null;
        // A tainted worker is replaced by a bare one on the next call: nothing is loaded there.
        if (TAINTING.has(msg.error.code)) {
          this.tainted = true;
          this.loaded = null;
        }
        this.fail(msg.id, p, EngineError.fromData(msg.error));
        return;
    }
  }

  private settle(id: number, p: Pending, value: unknown): void {
    this.pending.delete(id);
    p.cleanup();
    (p.resolve as (v: unknown) => void)(value);
  }

  private fail(id: number, p: Pending, error: EngineError): void {
    this.pending.delete(id);
    p.cleanup();
    p.reject(error);
  }

  private crash(w: WorkerLike, message: string): void {
    if (w !== this.worker) return;
    const error = new EngineError('worker-crashed', message);
    this.stopHeartbeat();
    this.worker = null;
    this.loaded = null;
    try {
      w.terminate();
    } catch {
      /* already gone */
    }
    for (const [id, p] of [...this.pending]) this.fail(id, p, error);
    for (const l of this.crashListeners) l(error);
  }

  private call<T>(
    kind: Pending['kind'],
    build: (id: number) => EngineRequest,
    options: CallOptions & { onProgress?: (p: LoadProgress) => void } = {},
  ): Promise<T> {
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(new EngineError('aborted', abortMessage(signal)));
    const w = this.ensureWorker();
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => {
        const p = this.pending.get(id);
        if (!p) return;
        this.fail(id, p, new EngineError('aborted', abortMessage(signal)));
        if (this.worker === w) w.postMessage({ type: 'abort', id: this.nextId++, target: id } satisfies EngineRequest);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.pending.set(id, {
        kind,
        resolve: resolve as (v: never) => void,
        reject,
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
        cleanup: () => signal?.removeEventListener('abort', onAbort),
      });
      try {
        w.postMessage(build(id));
      } catch (e) {
        const p = this.pending.get(id);
        if (p) this.fail(id, p, toEngineError(e, 'invalid-request'));
      }
    });
  }

  /**
   * Loads (or reloads) the model in the worker; resolves with what runs and why. When WebGPU
   * fails, the worker is replaced and the model loaded on the WASM attempt of the worker's plan
   * (src/worker/backend-plan.ts; info.reason says why).
   */
  async load(input: LoadParams, options: CallOptions & { onProgress?: (p: LoadProgress) => void } = {}): Promise<EngineInfo> {
    this.loaded = null;
    const { candidates: _ignored, ...rest } = input;
    // The client's list goes with every load (a restarted worker starts with the bundled list).
    const params: LoadParams = { ...rest, ...(this.candidates ? { candidates: this.candidates } : {}) };
    this.lastLoad = params;
    try {
      return await this.call<EngineInfo>('load', (id) => ({ type: 'load', id, ...params }), options);
    } catch (e) {
      if (!(e instanceof EngineError) || e.code !== 'webgpu-failed') throw e;
      const fallback = planned(params, e);
      return await this.call<EngineInfo>('load', (id) => ({ type: 'load', id, ...fallback }), options);
    }
  }

  /**
   * One recommendation. If WebGPU fails during it (device lost, kernel error), the model is
   * reloaded on WASM in a fresh worker and the request retried once; listeners get a
   * 'backend-changed' event.
   */
  async recommend(params: RecommendParams, options: CallOptions = {}): Promise<RecommendResult> {
    const run = () => this.call<RecommendResult>('recommend', (id) => ({ type: 'recommend', id, ...params }), options);
    try {
      return await run();
    } catch (e) {
      if (!(e instanceof EngineError) || e.code !== 'webgpu-failed' || !this.lastLoad) throw e;
      const fallback = planned(this.lastLoad, e);
      const info = await this.call<EngineInfo>('load', (id) => ({ type: 'load', id, ...fallback, skipWarmup: true }), options);
      this.lastLoad = fallback;
      for (const l of this.listeners) l({ kind: 'backend-changed', backend: info.backend, dtype: info.dtype, reason: info.reason });
      return await run();
    }
  }

  /**
   * Selects the candidate list (null: the bundled formulary). Sent to a loaded worker once, now;
   * otherwise it goes with the next load. Resolves with the report when a model is loaded.
   */
  async setCandidates(list: string[] | null): Promise<CandidateReport | null> {
    const same = list === this.candidates || (list !== null && this.candidates !== null && list.join('\u0000') === this.candidates.join('\u0000'));
    this.candidates = list;
    if (this.lastLoad) this.lastLoad = { ...this.lastLoad, ...(list ? { candidates: list } : {}) };
    if (list === null && this.lastLoad) delete this.lastLoad.candidates;
    if (same || !this.worker || !this.loaded) return null;
    return this.call<CandidateReport>('candidates', (id) => ({ type: 'candidates', id, candidates: list }));
  }

  /** How `candidates` (default: the selected list) fit the loaded model's tokenizer. */
  async inspect(candidates?: string[], options: CallOptions = {}): Promise<CandidateReport> {
    const report = await this.call<CandidateReport | null>('inspect', (id) => ({ type: 'inspect', id, ...(candidates ? { candidates } : {}) }), options);
    if (!report) throw new EngineError('not-loaded', 'the model is not loaded');
    return report;
  }

  /** Frees the model in the worker (the worker keeps running). */
  dispose(): Promise<void> {
    if (!this.worker) return Promise.resolve();
    return this.call<void>('dispose', (id) => ({ type: 'dispose', id }));
  }

  /** Stops the worker; pending calls reject with 'aborted'. */
  terminate(): void {
    this.stopHeartbeat();
    const w = this.worker;
    this.worker = null;
    this.loaded = null;
    w?.terminate();
    for (const [id, p] of [...this.pending]) this.fail(id, p, new EngineError('aborted', 'engine stopped'));
  }

  /** Unsolicited worker events (backend switched after a device loss, logs). */
  onEvent(listener: (e: EngineEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onCrash(listener: (e: EngineError) => void): () => void {
    this.crashListeners.add(listener);
    return () => this.crashListeners.delete(listener);
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  get running(): boolean {
    return this.worker !== null;
  }
}

/**
 * The same load on the fallback the worker's backend plan chose (backend, dtype, reason): the
 * client only relays it. A 'webgpu-failed' error without one is a protocol bug: rethrown.
 */
function planned(params: LoadParams, e: EngineError): LoadParams {
  if (!e.fallback) throw e;
  const { backend, dtype, reason } = e.fallback;
  return { ...params, backend, dtype, fallbackReason: reason };
}

function abortMessage(signal: AbortSignal | undefined): string {
  const r: unknown = signal?.reason;
  if (r instanceof Error) return r.message;
  if (typeof r === 'string') return r;
  return 'aborted';
}

function describeWorkerError(ev: unknown): string {
  if (ev && typeof ev === 'object') {
    const e = ev as { message?: unknown; filename?: unknown; lineno?: unknown };
    if (typeof e.message === 'string' && e.message) {
      return `engine worker crashed: ${e.message}${typeof e.filename === 'string' && e.filename ? ` (${e.filename}:${String(e.lineno ?? '?')})` : ''}`;
    }
  }
  return 'engine worker crashed (it may have run out of memory, or its script failed to load)';
}
