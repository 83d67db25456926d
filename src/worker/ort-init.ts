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

export function initOrtRuntime(): Promise<void> {
  ready ??= (async () => {
    const session = await InferenceSession.create(IDENTITY_MODEL, { executionProviders: ['wasm'] });
    await session.release();
  })();
  return ready;
}
