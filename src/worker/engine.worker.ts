/// <reference lib="webworker" />
/**
 * The model worker: a thin router. Typed messages (src/engine/protocol.ts) go to one ModelEngine
 * (src/engine/model-engine.ts, unit-tested in Node) over the browser host (./browser-host.ts).
 * load / recommend / candidates / inspect / dispose run one at a time in arrival order; `abort`
 * and `ping` are handled at once (the decoder yields between model calls, so a ping is answered
 * mid-decode — the client's liveness check). Errors cross as EngineError data; progress, cache
 * notices and logs travel on the one `event` channel.
 */
// First: its clock reading is taken before the other modules below are evaluated.
import { SCRIPT_START_MS } from './boot-clock.ts';
import { EngineError, toEngineError } from '../engine/errors.ts';
import { ModelEngine } from '../engine/model-engine.ts';
import type { EngineEvent, EngineRequest, EngineResponse } from '../engine/protocol.ts';
import { browserHost } from './browser-host.ts';

declare const self: DedicatedWorkerGlobalScope;

/** Every import above has been evaluated (transformers.js, onnxruntime-web, the engine). */
const MODULES_READY_MS = performance.now();

function post(msg: EngineResponse): void {
  self.postMessage(msg);
}

const emit = (event: EngineEvent) => post({ type: 'event', event });
const engine = new ModelEngine(browserHost(emit, { scriptStartMs: SCRIPT_START_MS, modulesReadyMs: MODULES_READY_MS }), emit);
const controllers = new Map<number, AbortController>();
let queue: Promise<void> = Promise.resolve();

async function handle(msg: Exclude<EngineRequest, { type: 'abort' | 'ping' }>, signal: AbortSignal): Promise<void> {
  try {
    if (signal.aborted) throw new EngineError('aborted', 'aborted before start');
    switch (msg.type) {
      case 'load': {
        const { type: _t, id, ...spec } = msg;
        const info = await engine.load(spec, { signal, onProgress: (progress) => post({ type: 'event', id, event: { kind: 'progress', progress } }) });
        return post({ type: 'loaded', id, info });
      }
      case 'recommend': {
        const result = await engine.recommend(msg.record, { safety: msg.safety !== false, signal });
        return post({ type: 'result', id: msg.id, result });
      }
      case 'candidates':
        return post({ type: 'inspected', id: msg.id, report: engine.setCandidates(msg.candidates) });
      case 'inspect':
        return post({ type: 'inspected', id: msg.id, report: engine.inspect(msg.candidates) });
      case 'dispose':
        await engine.dispose();
        return post({ type: 'disposed', id: msg.id });
    }
  } catch (e) {
    const err = signal.aborted && !(e instanceof EngineError) ? new EngineError('aborted', 'aborted') : toEngineError(e, msg.type === 'load' ? 'load-failed' : 'inference-failed');
    post({ type: 'error', id: msg.id, error: err.toData() });
  } finally {
    controllers.delete(msg.id);
  }
}

self.onmessage = (ev: MessageEvent<EngineRequest>) => {
  const msg = ev.data;
  if (!msg || typeof msg !== 'object' || typeof msg.id !== 'number') return;
  if (msg.type === 'ping') return post({ type: 'pong', id: msg.id });
  if (msg.type === 'abort') return controllers.get(msg.target)?.abort(new DOMException('aborted', 'AbortError'));
  const controller = new AbortController();
  controllers.set(msg.id, controller);
  queue = queue.then(() => handle(msg, controller.signal));
};
