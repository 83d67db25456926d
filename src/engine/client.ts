/**
 * Main-thread side of the model engine: id-correlated promise calls over a Worker, AbortSignal →
 * abort message, typed errors, crash recovery. No React, no transformers.js import.
 *
 * Crash handling: when the worker reports an uncaught error (`onerror`) or an unreadable message
 * (`onmessageerror`), every pending call rejects with EngineError('worker-crashed'), the worker is
 * terminated and forgotten; the next call starts a fresh worker (which must be loaded again —
 * `loaded` is null until then).
 */
import {
  isEngineResponse,
  type BackendAttempt,
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

export class EngineError extends Error {
  override readonly name = 'EngineError';
  constructor(
    readonly code: EngineErrorCode,
    message: string,
    /** With 'webgpu-failed': the worker's planned WASM attempt, with why WebGPU was left. */
    readonly fallback?: BackendAttempt,
  ) {
    super(message);
  }
}

/**
 * After these errors the worker is not reused: transformers.js chains all session creations and
 * runs of a worker on one promise, which stays rejected after a failure.
 */
const TAINTING: ReadonlySet<EngineErrorCode> = new Set(['load-failed', 'inference-failed', 'webgpu-failed']);

export function isEngineError(e: unknown): e is EngineError {
  return e instanceof EngineError;
}

/** Any thrown value → EngineError (unknown errors become `fallback`). */
export function toEngineError(e: unknown, fallback: EngineErrorCode = 'inference-failed'): EngineError {
  if (e instanceof EngineError) return e;
  if (e instanceof DOMException && e.name === 'AbortError') return new EngineError('aborted', e.message);
  return new EngineError(fallback, e instanceof Error ? e.message : String(e));
}

interface Pending {
  kind: 'load' | 'recommend' | 'dispose' | 'inspect';
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

export class EngineClient {
  private worker: WorkerLike | null = null;
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
  /**
   * Candidate names a recommend / inspect without its own `candidates` uses (the selected site
   * list); null = the worker's default, the bundled formulary.
   */
  defaultCandidates: string[] | null = null;

  constructor(private readonly createWorker: () => WorkerLike) {}

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
    return w;
  }

  private handleMessage(from: WorkerLike, data: unknown): void {
    if (from !== this.worker) return; // a terminated worker's late message
    if (!isEngineResponse(data)) return;
    const msg: EngineResponse = data;
    if (msg.type === 'event') {
      if (msg.event.kind === 'backend-changed' && this.loaded) {
        this.loaded = { ...this.loaded, backend: msg.event.backend, dtype: msg.event.dtype, reason: msg.event.reason };
      }
      for (const l of this.listeners) l(msg.event);
      return;
    }
    const p = this.pending.get(msg.id);
    if (!p) return; // aborted or already settled
    switch (msg.type) {
      case 'progress':
        p.onProgress?.(msg.progress);
        return;
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
        if (TAINTING.has(msg.error.code)) this.tainted = true;
        this.fail(msg.id, p, new EngineError(msg.error.code, msg.error.message, msg.error.fallback));
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
  async load(params: LoadParams, options: CallOptions & { onProgress?: (p: LoadProgress) => void } = {}): Promise<EngineInfo> {
    this.loaded = null;
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
    const withList: RecommendParams =
      params.candidates === undefined && this.defaultCandidates ? { ...params, candidates: this.defaultCandidates } : params;
    const run = () => this.call<RecommendResult>('recommend', (id) => ({ type: 'recommend', id, ...withList }), options);
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

  /** How `candidates` (default: `defaultCandidates`, else the bundled list) fit the loaded model's tokenizer. */
  inspect(candidates?: string[], options: CallOptions = {}): Promise<CandidateReport> {
    const list = candidates ?? this.defaultCandidates ?? undefined;
    return this.call<CandidateReport>('inspect', (id) => ({ type: 'inspect', id, ...(list ? { candidates: list } : {}) }), options);
  }

  /** Frees the model in the worker (the worker keeps running). */
  dispose(): Promise<void> {
    if (!this.worker) return Promise.resolve();
    return this.call<void>('dispose', (id) => ({ type: 'dispose', id }));
  }

  /** Stops the worker; pending calls reject with 'aborted'. */
  terminate(): void {
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
