/**
 * A batch's engines: several independent engine workers, each running the same model with the
 * same decoding on its own records. onnxruntime-web's small per-call work scales poorly with WASM
 * threads inside one session (docs/benchmark.md), but independent single-threaded sessions on
 * separate cores do not wait on each other, so a batch of notes goes about N times as fast.
 *
 * Each member is an EngineClient (./client.ts) over its own worker, so ids, abort, typed errors,
 * the heartbeat and crash recovery are the client's, unchanged. The pool only queues requests and
 * hands each to the member with the fewest in flight (up to `depth` each: the next record waits
 * in the worker, so a worker never idles while the page handles a result).
 *
 * Failures, as with the app's single engine: a request that fails (its worker crashed, hung, or
 * the decode failed) rejects with the client's EngineError, and the member reloads its model
 * before its next request. A member whose (re)load fails leaves the pool, its queue going to the
 * others; the last member stays, so each later request retries the load and reports its error.
 *
 * Whether a second engine pays depends on free cores, which the page cannot see (another program
 * may hold them). So unless the caller fixed the count (`adapt: false`), the pool measures: once
 * every engine is loaded, the first engine decodes SOLO_SAMPLES records alone (the extras wait,
 * loaded and idle, so nothing else of the batch competes with it), then all decode side by side;
 * unless together they finish at least MIN_GAIN (15%) more records per second than the first did
 * alone, the extras go: an engine that only breaks even still holds memory and a core.
 *
 * The pool decides no results: whichever member runs a record, the record's answer is the same
 * (same weights, decoding and candidate list); the caller puts answers back in record order.
 */
import { EngineError } from './errors.ts';
import type { CallOptions, EngineClient, LoadParams, RecommendParams } from './client.ts';
import type { Backend, EngineInfo, RecommendResult } from './protocol.ts';

/** One engine of the pool. */
export interface PoolMember {
  /** Makes sure the member's model is loaded: at once when it is, a (re)load otherwise. */
  ensureLoaded(): Promise<EngineInfo>;
  recommend(params: RecommendParams, options: CallOptions): Promise<RecommendResult>;
  /** Frees the member's worker when the batch ends (the app's own engine: nothing to free). */
  release(): void;
}

/**
 * A member over its own EngineClient that loads `load` (the app's engine's load, on its backend
 * and weights) whenever the client has nothing loaded: at the start, and after a crash or a failed
 * decode replaced its worker. Released = the worker terminated.
 */
export function clientMember(client: EngineClient, load: LoadParams): PoolMember {
  let loading: Promise<EngineInfo> | null = null;
  return {
    ensureLoaded: () => {
      if (client.loaded) return Promise.resolve(client.loaded);
      loading ??= client.load(load).finally(() => {
        loading = null;
      });
      return loading;
    },
    recommend: (params, options) => client.recommend(params, options),
    release: () => client.terminate(),
  };
}

export interface PoolOptions {
  /** Requests one member holds at once (running + waiting in its worker); default 2. */
  depth?: number;
  /**
   * Let the extra engines go when they do not add throughput (see `extraEnginesHelp`); default
   * true. False keeps every engine (an explicit engine count, e.g. the bench's).
   */
  adapt?: boolean;
  /** Hears the throughput check's outcome (median decode ms alone and per engine side by side). */
  onCheck?: (check: { soloMs: number; togetherMs: number[]; kept: boolean }) => void;
}

/** Decode times the throughput check needs: the first engine alone, and each engine side by side. */
export const SOLO_SAMPLES = 2;
export const TOGETHER_SAMPLES = 3;
/**
 * How much faster than one engine alone the engines together must be to stay: a second engine
 * that only breaks even still costs its memory and competes with the page for the cores (measured
 * on a saturated 2-core machine: decode times side by side exactly twice the lone one, and the
 * batch 26% slower end to end), and one record's decode time varies by about 10% run to run.
 */
export const MIN_GAIN = 1.15;

function median(xs: readonly number[]): number {
  const v = [...xs].sort((a, b) => a - b);
  const mid = v.length >> 1;
  return v.length % 2 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2;
}

/**
 * Whether several engines decode enough more records per second (MIN_GAIN) than the first one did alone: the sum of
 * each engine's rate (1 / its median decode time side by side) against the lone engine's rate
 * (the others loaded and idle). Null until there are enough samples. Cores taken by other
 * work (another program, a busy machine) make engines side by side slower than one alone; then
 * the extras only cost memory and time.
 */
export function extraEnginesHelp(solo: readonly number[], together: readonly (readonly number[])[]): boolean | null {
  if (solo.length < SOLO_SAMPLES || together.length < 2 || together.some((t) => t.length < TOGETHER_SAMPLES)) return null;
  const poolRate = together.reduce((sum, t) => sum + 1 / Math.max(1e-3, median(t)), 0);
  return poolRate > MIN_GAIN / Math.max(1e-3, median(solo));
}

interface Job {
  params: RecommendParams;
  signal: AbortSignal | undefined;
  resolve: (r: RecommendResult) => void;
  reject: (e: unknown) => void;
  onAbort: () => void;
}

interface Slot {
  member: PoolMember;
  /** 'retiring': takes no new request, released once its requests in flight are answered. */
  state: 'loading' | 'ready' | 'retiring' | 'retired';
  inFlight: number;
  /** Decode times (RecommendResult.inferenceMs) of requests sent while every engine was ready. */
  together: number[];
}

export class EnginePool {
  private readonly slots: Slot[];
  private readonly depth: number;
  private queue: Job[] = [];
  private closed = false;
  private readonly adapt: boolean;
  private readonly onCheck: PoolOptions['onCheck'];
  /** Decode times of the first engine alone, every engine loaded. */
  private readonly solo: number[] = [];
  /**
   * The throughput check (see the file comment): 'loading' until every engine is loaded (the first
   * works alone meanwhile, unmeasured: the others' loads compete with it), then 'solo' (only the
   * first engine gets requests, measured), 'together' (all, measured), and 'decided' — also at
   * once when there is nothing to decide or an engine left early.
   */
  private phase: 'loading' | 'solo' | 'together' | 'decided' = 'loading';

  constructor(members: readonly PoolMember[], options: PoolOptions = {}) {
    if (members.length === 0) throw new EngineError('invalid-request', 'an engine pool needs at least one engine');
    this.depth = Math.max(1, Math.floor(options.depth ?? 2));
    this.adapt = options.adapt ?? true;
    this.onCheck = options.onCheck;
    if (!this.adapt || members.length < 2) this.phase = 'decided';
    this.slots = members.map((member) => ({ member, state: 'loading', inFlight: 0, together: [] }));
    // Members load side by side; requests go to whichever is ready first.
    for (const slot of this.slots) this.load(slot);
  }

  /** Engines in the pool now (retired ones not counted). */
  get size(): number {
    return this.slots.filter((s) => s.state !== 'retired').length;
  }

  /** Requests the pool runs at once when every member is ready: what a caller should keep in flight. */
  get capacity(): number {
    return this.size * this.depth;
  }

  /** One recommendation on whichever engine is free first. */
  recommend(params: RecommendParams, options: CallOptions = {}): Promise<RecommendResult> {
    const { signal } = options;
    if (this.closed) return Promise.reject(new EngineError('aborted', 'the batch engines were released'));
    if (signal?.aborted) return Promise.reject(new EngineError('aborted', 'aborted'));
    return new Promise<RecommendResult>((resolve, reject) => {
      const job: Job = {
        params,
        signal,
        resolve,
        reject,
        // Still queued: dropped at once. Already sent: the member's client aborts it in its worker.
        onAbort: () => {
          const at = this.queue.indexOf(job);
          if (at < 0) return;
          this.queue.splice(at, 1);
          reject(new EngineError('aborted', 'aborted'));
        },
      };
      signal?.addEventListener('abort', job.onAbort, { once: true });
      this.queue.push(job);
      this.dispatch();
    });
  }

  /**
   * Ends the pool: queued requests reject with 'aborted' and every member is released (the
   * extra workers terminated, which also stops what they were decoding).
   */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    const queued = this.queue;
    this.queue = [];
    for (const job of queued) this.settle(job, () => job.reject(new EngineError('aborted', 'the batch engines were released')));
    for (const slot of this.slots) {
      slot.state = 'retired';
      slot.member.release();
    }
  }

  private load(slot: Slot): void {
    slot.member.ensureLoaded().then(
      () => {
        if (slot.state !== 'loading') return;
        slot.state = 'ready';
        this.review();
        this.dispatch();
      },
      () => {
        if (slot.state !== 'loading') return;
        // Left out, or (the last one) kept: its requests then retry the load one by one.
        slot.state = 'ready';
        this.loadFailed(slot);
      },
    );
  }

  /**
   * A member that cannot load leaves the pool (its worker released, the queue going to the
   * others), unless it is the last one: then it stays, and each request tries the load again and
   * fails with its error, as the app's single engine does.
   */
  private loadFailed(slot: Slot): void {
    if (slot.state === 'retired' || !this.slots.some((s) => s !== slot && s.state !== 'retired')) return;
    slot.state = 'retired';
    slot.member.release();
    this.phase = 'decided'; // the lone-vs-together comparison no longer describes this pool
    this.dispatch();
  }

  private freest(): Slot | null {
    let best: Slot | null = null;
    // While the first engine is measured alone, the others wait.
    const open = this.phase === 'solo' ? this.slots.slice(0, 1) : this.slots;
    for (const s of open) {
      if (s.state === 'ready' && s.inFlight < this.depth && (!best || s.inFlight < best.inFlight)) best = s;
    }
    return best;
  }

  private dispatch(): void {
    for (;;) {
      const job = this.queue[0];
      if (!job) return;
      const slot = this.freest();
      if (!slot) return;
      this.queue.shift();
      this.run(slot, job);
    }
  }

  private run(slot: Slot, job: Job): void {
    slot.inFlight++;
    // What this request's decode time says, for the throughput check: the first engine alone, or
    // every engine side by side.
    const sample = this.phase === 'solo' || this.phase === 'together' ? this.phase : null;
    const options: CallOptions = job.signal ? { signal: job.signal } : {};
    // After a crash or a failed decode the member's client has no loaded model: load it first
    // (at once when it is loaded), as the app's engine does before each recommendation.
    slot.member
      .ensureLoaded()
      .then(
        () => slot.member.recommend(job.params, options),
        (e: unknown) => {
          this.loadFailed(slot);
          throw e;
        },
      )
      .then(
        (r) => {
          if (sample === 'solo') this.solo.push(r.inferenceMs);
          else if (sample === 'together') slot.together.push(r.inferenceMs);
          this.settle(job, () => job.resolve(r));
        },
        (e: unknown) => {
          // A failing engine says nothing about speed: no check, every engine keeps working.
          if (sample !== null) this.phase = 'decided';
          this.settle(job, () => job.reject(e));
        },
      )
      .finally(() => {
        slot.inFlight--;
        if (slot.state === 'retiring' && slot.inFlight === 0) {
          slot.state = 'retired';
          slot.member.release();
        }
        this.review();
        this.dispatch();
      });
  }

  /** Once enough decode times are in: the extra engines go if they do not add throughput. */
  private review(): void {
    if (this.phase === 'loading' && this.slots.every((s) => s.state === 'ready')) this.phase = 'solo';
    if (this.phase === 'solo' && this.solo.length >= SOLO_SAMPLES) this.phase = 'together';
    if (this.phase !== 'together') return;
    const verdict = extraEnginesHelp(
      this.solo,
      this.slots.map((s) => s.together),
    );
    if (verdict === null) return;
    this.phase = 'decided';
    this.onCheck?.({ soloMs: median(this.solo), togetherMs: this.slots.map((s) => median(s.together)), kept: verdict });
    if (verdict) return;
    for (const s of this.slots.slice(1)) {
      if (s.state !== 'ready') continue;
      s.state = 'retiring';
      if (s.inFlight === 0) {
        s.state = 'retired';
        s.member.release();
      }
    }
  }

  private settle(job: Job, how: () => void): void {
    job.signal?.removeEventListener('abort', job.onAbort);
    how();
  }
}

/** Never more engines than this for a batch (each holds the model and a core). */
export const MAX_BATCH_ENGINES = 2;
/** What an explicit request (`?batchWorkers=N`, the bench) may ask for. */
export const MAX_REQUESTED_BATCH_ENGINES = 4;
/**
 * Device memory (navigator.deviceMemory, GiB) per engine: an engine worker holds the runtime, the
 * weights and the decoder's cache (about 0.1 GiB measured with the shipped q8 model); the rest
 * stays for the browser, the page and everything else a small device runs.
 */
export const DEVICE_GIB_PER_ENGINE = 1;

export interface PoolSizeContext {
  /** What the app's engine runs on. */
  backend: Backend;
  /** WASM threads one engine uses (EngineInfo.numThreads). */
  threadsPerEngine: number;
  /** navigator.hardwareConcurrency (0 / undefined when hidden). */
  hardwareConcurrency?: number | undefined;
  /** navigator.deviceMemory in GiB (Chromium only; undefined elsewhere). */
  deviceMemoryGiB?: number | undefined;
  /** An explicit choice (≥ 1), e.g. the bench's `?batchWorkers=N`. */
  requested?: number | undefined;
}

/**
 * How many engines a batch uses. WebGPU: one (a second session would share the same GPU and
 * double its memory). WASM: as many as the cores can run side by side — each engine runs
 * `threadsPerEngine` threads — and the device memory can hold, at most MAX_BATCH_ENGINES.
 */
export function batchPoolSize(ctx: PoolSizeContext): number {
  if (ctx.backend !== 'wasm') return 1;
  if (ctx.requested !== undefined && Number.isFinite(ctx.requested) && ctx.requested >= 1) {
    return Math.min(MAX_REQUESTED_BATCH_ENGINES, Math.floor(ctx.requested));
  }
  const cores = ctx.hardwareConcurrency && ctx.hardwareConcurrency > 0 ? ctx.hardwareConcurrency : 1;
  const byCores = Math.floor(cores / Math.max(1, ctx.threadsPerEngine));
  const byMemory = ctx.deviceMemoryGiB && ctx.deviceMemoryGiB > 0 ? Math.floor(ctx.deviceMemoryGiB / DEVICE_GIB_PER_ENGINE) : MAX_BATCH_ENGINES;
  return Math.max(1, Math.min(MAX_BATCH_ENGINES, byCores, byMemory));
}
