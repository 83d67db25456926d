/**
 * The app's one EngineClient (module-level singleton, outside React and zustand) and the two
 * calls the UI makes: ensureModelLoaded() and recommendWithModel(). Status goes to the plain
 * engine store; the worker, model and tokenizer never leave the worker.
 */
import { searchOptions } from '../decoding/policy.ts';
import { useEngineStore } from '../state/engine-store.ts';
import type { EngineSettings } from '../state/ui-store.ts';
import { availableDtypes, BUNDLED_MODELS, DEFAULT_MODEL_ID, downloadSize, findBundledModel } from './bundled-models.ts';
import { describeAdapter } from './capabilities.ts';
import { EngineClient, EngineError, toEngineError, type WorkerLike } from './client.ts';
import type { EngineInfo, RecommendResult } from './protocol.ts';

let client: EngineClient | null = null;
let loading: { key: string; promise: Promise<EngineInfo> } | null = null;
let loadedKey: string | null = null;

function createWorker(): WorkerLike {
  return new Worker(new URL('../worker/engine.worker.ts', import.meta.url), {
    type: 'module',
    name: 'dischargerx-engine',
  }) as unknown as WorkerLike;
}

export function getEngineClient(): EngineClient {
  if (!client) {
    client = new EngineClient(createWorker);
    client.onEvent((e) => {
      if (e.kind === 'backend-changed') {
        useEngineStore.getState().patch({ backend: e.backend, dtype: e.dtype, reason: e.reason });
      } else {
        (e.level === 'warn' ? console.warn : console.info)(`[engine] ${e.message}`);
      }
    });
    client.onCrash((err) => {
      loadedKey = null;
      loading = null;
      useEngineStore.getState().patch({ phase: 'error', running: false, error: { code: err.code, message: err.message } });
    });
  }
  return client;
}

/** Absolute URL of the app root (where models/ and ort/ live), whatever sub-path serves it. */
export function appBaseUrl(): string {
  return new URL(import.meta.env.BASE_URL, document.baseURI).href;
}

function loadKeyOf(s: Pick<EngineSettings, 'backend' | 'dtype' | 'modelId'>): string {
  return JSON.stringify([s.modelId ?? DEFAULT_MODEL_ID, s.backend, s.dtype]);
}

/** Loads the model for these settings once; later calls with the same settings return at once. */
export function ensureModelLoaded(settings: Pick<EngineSettings, 'backend' | 'dtype' | 'modelId'>): Promise<EngineInfo> {
  const c = getEngineClient();
  const key = loadKeyOf(settings);
  if (c.loaded && loadedKey === key) return Promise.resolve(c.loaded);
  if (loading?.key === key) return loading.promise;

  const store = useEngineStore.getState();
  const modelId = settings.modelId ?? DEFAULT_MODEL_ID;
  const bundled = modelId ? findBundledModel(modelId) : undefined;
  if (!modelId) {
    const err = new EngineError('model-not-found', 'no model folder is bundled with this build (models/<id>/)');
    store.patch({ phase: 'error', error: { code: err.code, message: err.message } });
    return Promise.reject(err);
  }
  const dtypes = bundled ? availableDtypes(bundled) : [];
  const guessDtype = settings.dtype ?? (dtypes.includes('q8') ? 'q8' : dtypes[0]);
  store.patch({
    phase: 'loading',
    loadPhase: 'probe',
    bytesLoaded: 0,
    bytesTotal: bundled && guessDtype ? downloadSize(bundled, guessDtype) : 0,
    currentFile: null,
    modelId,
    modelVersion: bundled?.version ?? null,
    fixture: bundled?.fixture ?? false,
    error: null,
  });
  const promise = c
    .load(
      {
        modelId,
        baseUrl: appBaseUrl(),
        backend: settings.backend,
        ...(settings.dtype ? { dtype: settings.dtype } : {}),
        ...(bundled
          ? { files: bundled.files.map((f) => f.path), fileSizes: Object.fromEntries(bundled.files.map((f) => [f.path, f.size])) }
          : {}),
      },
      {
        onProgress: (p) =>
          useEngineStore.getState().patch({
            loadPhase: p.phase,
            bytesLoaded: p.loaded,
            bytesTotal: Math.max(p.total, p.loaded),
            currentFile: p.file ?? null,
            ...(p.backend ? { backend: p.backend } : {}),
          }),
      },
    )
    .then(
      (info) => {
        if (loading?.promise === promise) loading = null;
        loadedKey = key;
        useEngineStore.getState().patch({
          phase: 'ready',
          loadPhase: null,
          backend: info.backend,
          dtype: info.dtype,
          reason: info.reason,
          adapter: info.adapter ? describeAdapter(info.adapter) : null,
          numThreads: info.numThreads,
          loadMs: info.loadMs,
          warmupMs: info.warmupMs,
          calibrated: info.calibrated,
          bytesLoaded: info.bytes,
          bytesTotal: Math.max(info.bytes, useEngineStore.getState().bytesTotal),
        });
        return info;
      },
      (e: unknown) => {
        if (loading?.promise === promise) loading = null;
        const err = toEngineError(e, 'load-failed');
        useEngineStore.getState().patch({ phase: 'error', loadPhase: null, error: { code: err.code, message: err.message } });
        throw err;
      },
    );
  loading = { key, promise };
  return promise;
}

let current: AbortController | null = null;

/**
 * Recommends for one record; a newer call aborts the older one. The worker searches with the
 * shared policy (src/decoding/policy.ts: no early stop, up to the model's maxDrugs) and returns
 * the whole trajectory, so the page applies the calibrated cut itself and can move it without
 * another request. `onSend` runs when the request is actually posted to the worker.
 */
export async function recommendWithModel(
  record: Record<string, unknown>,
  settings: Pick<EngineSettings, 'backend' | 'dtype' | 'modelId'>,
  onSend?: () => void,
): Promise<{ result: RecommendResult; info: EngineInfo }> {
  current?.abort(new DOMException('superseded by a newer request', 'AbortError'));
  const controller = new AbortController();
  current = controller;
  const t0 = performance.now();
  useEngineStore.getState().patch({ running: true, error: null });
  try {
    const info = await ensureModelLoaded(settings);
    if (controller.signal.aborted) throw new EngineError('aborted', 'aborted');
    onSend?.();
    const result = await getEngineClient().recommend(
      { record, settings: searchOptions(info.decoding) },
      { signal: controller.signal },
    );
    useEngineStore.getState().patch({
      inferenceMs: result.inferenceMs,
      totalMs: performance.now() - t0,
      backend: result.backend,
      dtype: result.dtype,
    });
    return { result, info: getEngineClient().loaded ?? info };
  } catch (e) {
    const err = toEngineError(e);
    if (err.code !== 'aborted') useEngineStore.getState().patch({ error: { code: err.code, message: err.message } });
    throw err;
  } finally {
    if (current === controller) {
      current = null;
      useEngineStore.getState().patch({ running: false });
    }
  }
}

/** Cancels the running recommendation, if any. */
export function cancelRecommendation(): void {
  current?.abort(new DOMException('cancelled by the user', 'AbortError'));
}

export { BUNDLED_MODELS };
