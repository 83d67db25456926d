/**
 * How many WASM threads onnxruntime-web should use. Pure (no DOM access), so the worker — or
 * whatever creates the session — passes in what it sees: `self.crossOriginIsolated`,
 * `navigator.hardwareConcurrency`, and an optional explicit request (e.g. the bench's
 * `?threads=N`).
 *
 * Why these numbers: threads need SharedArrayBuffer, which only a cross-origin-isolated page has
 * (COOP/COEP, vite.config.ts ISOLATION_HEADERS, public/coi-headers.js), so 1 otherwise. The
 * decoder's calls are small (a few MFLOP, docs/benchmark.md), so more than 4 threads only adds
 * synchronisation. One core is always left to the page and the rest of the machine: the
 * measured 1 vs 2 thread difference on a 2-core machine was inside the run-to-run noise
 * (docs/benchmark.md), and a 2-core machine running the page, Chromium and two compute threads
 * was slower to load in the browser tests. An explicit request overrides this (the bench).
 */
export const MAX_WASM_THREADS = 4;

export interface ThreadContext {
  crossOriginIsolated: boolean;
  /** navigator.hardwareConcurrency (0 or undefined when the browser hides it). */
  hardwareConcurrency?: number | undefined;
  /** An explicit choice (≥ 1); honoured up to MAX_WASM_THREADS when isolated. */
  requested?: number | undefined;
}

export function wasmThreads(ctx: ThreadContext): number {
  if (!ctx.crossOriginIsolated) return 1;
  const clamp = (n: number) => Math.max(1, Math.min(MAX_WASM_THREADS, Math.floor(n)));
  if (ctx.requested !== undefined && Number.isFinite(ctx.requested) && ctx.requested >= 1) return clamp(ctx.requested);
  const cores = ctx.hardwareConcurrency && ctx.hardwareConcurrency > 0 ? ctx.hardwareConcurrency : 1;
  return clamp(cores - 1);
}
