/**
 * Imported first by engine.worker.ts, so it runs before the bundle's other modules (transformers.js,
 * onnxruntime-web, the engine): the worker clock when the worker's script started running. The
 * worker clock starts when the page creates the worker, so this is the time to fetch and compile
 * the bundle (the 'workerStart' load phase).
 */
export const SCRIPT_START_MS = performance.now();
