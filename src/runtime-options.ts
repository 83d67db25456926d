/**
 * How many WASM threads onnxruntime-web should use. Pure (no DOM access), so the worker — or
 * whatever creates the session — passes in what it sees: `self.crossOriginIsolated`,
 * `navigator.hardwareConcurrency`, and an optional explicit request (e.g. the bench's
 * `?threads=N`).
 *
 * Why these numbers: threads need SharedArrayBuffer, which only a cross-origin-isolated page has
 * (COOP/COEP, vite.config.ts ISOLATION_HEADERS, public/coi-headers.js), so 1 otherwise. The
 * decoder's calls are small (a few MFLOP, docs/benchmark.md), so more than 4 threads only adds
 * synchronisation; on 4+ cores one core is left to the page. On 2–3 cores every core is used:
 * the page is idle while a note decodes.
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
  return clamp(cores >= 4 ? cores - 1 : cores);
}
