/**
 * Initialises onnxruntime-web in this worker ahead of the model's session: the first
 * InferenceSession.create of a worker fetches, compiles and instantiates the runtime's wasm
 * (~17 MB, JSPI build) and starts the runtime, and that does not depend on the model. A session
 * over a one-node model (./identity-model.ts) does all of it; the model's own session, created
 * later by transformers.js, then finds the runtime ready. Run once per worker, after the host has
 * set env.backends.onnx.wasm (wasmPaths, numThreads).
 */
import { IDENTITY_MODEL } from './identity-model.ts';
import { InferenceSession } from './ort-runtime.ts';

let ready: Promise<void> | null = null;
/** The early compile of precompileOrtWasm (and its URL), held until the runtime has instantiated it. */
let early: Promise<WebAssembly.Module | null> | null = null;
let earlyUrl = '';

/**
 * Starts compiling the runtime's wasm at the start of a load, while the host reads IndexedDB, so
 * that V8's background threads compile what the runtime's start-up runs before it runs it; the
 * runtime then instantiates this Module instead of fetching and compiling the bytes again.
 *
 * Why (issue #10, measured in Chromium traces of warm loads): onnxruntime's static constructors
 * are one wasm function of 958 kB (`__wasm_call_ctors`). V8 compiles a function on its first call,
 * on the calling thread, and its code cache keeps only optimised code, which a run-once function
 * never gets; so every load spent 0.1–0.5 s of CPU (0.4–0.66 s wall on a busy machine) compiling
 * that one function on the worker thread as the runtime started. On a code-cache hit, though, V8
 * marks the functions the last session ran and compiles them on background threads as soon as it
 * has read the cache. Compiling here starts that before the IndexedDB read and the calibration
 * files instead of after them: in the traces the worker thread then compiled none or part of the
 * constructors (0–76 ms of CPU). Handing this Module to the runtime (withPrecompiledModule below)
 * matters as much: a second streaming compile of the same 17 MB cost the worker thread about as
 * much as it saved.
 *
 * A failure here is ignored: the runtime then fetches and compiles the wasm itself, and reports
 * any real problem.
 */
export function precompileOrtWasm(url: string): void {
  if (early || ready || typeof WebAssembly.compileStreaming !== 'function') return;
  earlyUrl = url;
  early = WebAssembly.compileStreaming(fetch(url, { credentials: 'same-origin' })).catch(() => null);
}

type InstantiateStreaming = (source: Response | PromiseLike<Response>, imports?: WebAssembly.Imports) => Promise<WebAssembly.WebAssemblyInstantiatedSource>;

/**
 * Runs `work` (the runtime's first session) with `WebAssembly.instantiateStreaming` answering the
 * runtime's request for `url` with the early Module. The runtime's emscripten loader offers no
 * other way in (its `instantiateWasm` hook is not reachable through onnxruntime-web's options, and
 * `wasmBinary` would compile from a buffer, which V8 never caches). Only this worker, only during
 * `work`, only that URL: anything else goes to the real function, which is put back afterwards.
 */
async function withPrecompiledModule<T>(work: () => Promise<T>): Promise<T> {
  const module = await (early ?? Promise.resolve(null));
  const url = earlyUrl;
  if (!module) return work();
  const api = WebAssembly as unknown as { instantiateStreaming: InstantiateStreaming };
  const original = api.instantiateStreaming;
  api.instantiateStreaming = async (source, imports) => {
    const response = await source;
    if (response.url !== url) return original.call(WebAssembly, response, imports);
    // The loader fetched the bytes again; the early compile already read them.
    void response.body?.cancel().catch(() => undefined);
    return { module, instance: await WebAssembly.instantiate(module, imports) };
  };
  try {
    return await work();
  } finally {
    api.instantiateStreaming = original;
  }
}

export function initOrtRuntime(): Promise<void> {
  ready ??= withPrecompiledModule(async () => {
    const session = await InferenceSession.create(IDENTITY_MODEL, { executionProviders: ['wasm'] });
    await session.release();
  }).finally(() => {
    // The runtime holds its own reference to the module now.
    early = null;
  });
  return ready;
}
