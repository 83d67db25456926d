/**
 * The onnxruntime-web build the worker runs, chosen once per worker: the JSPI build where the
 * browser has JavaScript Promise Integration (Chromium 137+), else the asyncify build that
 * transformers.js imports by default. Both carry the WASM and the WebGPU execution providers.
 *
 * Why: asyncify instruments the whole runtime so WebGPU calls can suspend, and every WASM kernel
 * pays for it. Measured with onnxruntime-web alone on the shipped q8 model (docs/benchmark.md,
 * issue #10): the JSPI build prefilled a 330-token prompt in 120–136 ms against 463–663 ms, and
 * ran a 4-beam step in 4–10 ms against 8–19 ms, on the same busy machine in the same run.
 *
 * vite.config.ts (ortRuntimeRedirect) points transformers.js' `import * as ONNX from
 * 'onnxruntime-web/webgpu'` here, so transformers.js and the worker share one runtime; it reads
 * `InferenceSession`, `Tensor` and `env` from it. Both builds' JavaScript is in the worker bundle
 * (about 120 kB each); only the chosen build's wasm is fetched.
 */
import * as asyncify from 'onnxruntime-web/webgpu';
import * as jspi from 'onnxruntime-web/jspi';
import asyncifyWasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';
import jspiWasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.jspi.wasm?url';
import asyncifyMjsUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.mjs?url';
import jspiMjsUrl from 'onnxruntime-web/ort-wasm-simd-threaded.jspi.mjs?url';

export type OrtFlavour = 'jspi' | 'asyncify';

/** JSPI: WebAssembly.Suspending and WebAssembly.promising (shipped in Chromium 137). */
export function hasJspi(wasm: unknown = (globalThis as { WebAssembly?: unknown }).WebAssembly): boolean {
  const w = wasm as { Suspending?: unknown; promising?: unknown } | undefined;
  return typeof w?.Suspending === 'function' && typeof w?.promising === 'function';
}

export const ORT_FLAVOUR: OrtFlavour = hasJspi() ? 'jspi' : 'asyncify';

const runtime = ORT_FLAVOUR === 'jspi' ? jspi : asyncify;

/** The chosen build's binary, self-hosted under assets/ (no CDN). */
export const ORT_WASM_URL: string = ORT_FLAVOUR === 'jspi' ? jspiWasmUrl : asyncifyWasmUrl;

/**
 * The chosen build's Emscripten glue as a file of its own, self-hosted under assets/. Used only
 * with WASM threads: each thread is a worker started from the glue's own URL, and the copy
 * embedded in the worker bundle would start the whole engine worker instead, which never
 * answers the runtime (the engine hung before "download" with 2 threads).
 */
export const ORT_MJS_URL: string = ORT_FLAVOUR === 'jspi' ? jspiMjsUrl : asyncifyMjsUrl;

const BaseSession = runtime.InferenceSession;
type CreateSession = (...args: unknown[]) => ReturnType<typeof BaseSession.create>;
let createMs = 0;

/** Time this worker has spent in InferenceSession.create so far, ms (the 'session' load phase). */
export function sessionCreateMs(): number {
  return createMs;
}

/**
 * The runtime's InferenceSession with `create` timed. transformers.js calls only `create`
 * (read once, when it is imported); everything else is the runtime's own.
 */
export const InferenceSession: typeof BaseSession = Object.assign(Object.create(BaseSession) as typeof BaseSession, {
  async create(...args: unknown[]) {
    const t0 = performance.now();
    try {
      return await (BaseSession.create as CreateSession)(...args);
    } finally {
      createMs += performance.now() - t0;
    }
  },
});
export const Tensor = runtime.Tensor;
export const env = runtime.env;
