/**
 * The page's engine session (app-wide glue under the screens, above the stores and the engine —
 * see src/architecture.test.ts): the app's one EngineClient (module-level singleton, outside React and zustand) and the calls
 * the UI makes: ensureModelLoaded(), recommendWithModel(), checkCandidates(), forgetModel().
 * Status goes to the plain engine store; the worker, model and tokenizer never leave the worker.
 *
 * The selected model may be a site's own (`site:<name>`, stored in IndexedDB: its stored
 * version and file list go with the load request) and the selected candidate list a site's own
 * (`list:<name>`: its names become the client's default candidates, so every recommendation —
 * single or batch — is constrained to it).
 */
import { useEngineStore } from '../state/engine-store.ts';
import { useUiStore, type EngineSettings } from '../state/ui-store.ts';
import { recordCacheNotice } from '../state/cache-status-store.ts';
import { isSiteModelId } from '../storage/db.ts';
import { loadCandidateNames } from '../storage/site-lists.ts';
import { getSiteModel, type SiteModelSummary } from '../storage/site-models.ts';
import { availableDtypes, BUNDLED_MODELS, DEFAULT_MODEL_ID, downloadSize, findBundledModel } from '../engine/bundled-models.ts';
import { describeAdapter } from '../engine/capabilities.ts';
import { EngineClient, EngineError, toEngineError, type WorkerLike } from '../engine/client.ts';
import { batchPoolSize, clientMember, EnginePool, type PoolMember } from '../engine/engine-pool.ts';
import type { CandidateReport, EngineInfo, RecommendResult } from '../engine/protocol.ts';

let client: EngineClient | null = null;
let loading: { key: string; promise: Promise<EngineInfo> } | null = null;
let loadedKey: string | null = null;

function createWorker(name = 'dischargerx-engine'): WorkerLike {
  return new Worker(new URL('../worker/engine.worker.ts', import.meta.url), { type: 'module', name }) as unknown as WorkerLike;
}

export function getEngineClient(): EngineClient {
  if (!client) {
    client = new EngineClient(() => createWorker());
    client.onEvent((e) => {
      if (e.kind === 'backend-changed') {
        useEngineStore.getState().patch({ backend: e.backend, dtype: e.dtype, reason: e.reason });
      } else if (e.kind === 'cache') {
        recordCacheNotice({ ...e.notice, at: Date.now() });
        // Also in the console, for whoever debugs a load (the notice travels once, as an event).
        const level = e.notice.kind === 'hit' || e.notice.kind === 'cached' ? 'info' : 'warn';
        console[level](`[engine] model cache: ${e.notice.kind}${e.notice.detail ? ` (${e.notice.detail})` : ''}`);
      } else if (e.kind === 'log') {
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

type LoadSettings = Pick<EngineSettings, 'backend' | 'dtype' | 'modelId'> & { listId?: string | null };

function loadKeyOf(s: LoadSettings): string {
  return JSON.stringify([s.modelId ?? DEFAULT_MODEL_ID, s.backend, s.dtype]);
}

/** The selected candidate list: the settings' own, else the UI store's (null = bundled formulary). */
function listIdOf(s: LoadSettings): string | null {
  return s.listId !== undefined ? s.listId : useUiStore.getState().listId;
}

function reportError(err: EngineError): EngineError {
  useEngineStore.getState().patch({ error: { code: err.code, message: err.message } });
  return err;
}

let syncedListId: string | null = null;

/**
 * Makes the selected list the engine's candidate list (null: the bundled formulary): sent once,
 * with the load or in one `candidates` message when it changes. A selected site list that cannot
 * be read is an error, never a silent fallback.
 */
async function syncCandidates(listId: string | null): Promise<void> {
  const c = getEngineClient();
  if (listId === null) {
    syncedListId = null;
    storeReport((await c.setCandidates(null)) ?? undefined);
    return;
  }
  if (listId === syncedListId && c.candidateList) return;
  let names: string[] | null;
  try {
    names = await loadCandidateNames(listId);
  } catch (e) {
    throw reportError(new EngineError('candidate-list-missing', `${listId}: ${e instanceof Error ? e.message : String(e)}`));
  }
  if (!names) throw reportError(new EngineError('candidate-list-missing', `${listId} is not stored or failed its SHA-256 check; import it again`));
  syncedListId = listId;
  storeReport((await c.setCandidates(names)) ?? undefined);
}

function storeReport(report: CandidateReport | undefined): void {
  if (report) useEngineStore.getState().patch({ candidateReport: { ...report, listId: syncedListId } });
}

/**
 * Loads the model for these settings once; later calls with the same settings return at once.
 * Also makes the selected candidate list the one every recommendation uses.
 */
export async function ensureModelLoaded(settings: LoadSettings): Promise<EngineInfo> {
  await syncCandidates(listIdOf(settings));
  return loadModel(settings);
}

function loadModel(settings: LoadSettings): Promise<EngineInfo> {
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
  const site = isSiteModelId(modelId);
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
  // A site's own model: its stored version and files (IndexedDB), read before the load.
  const siteModel: Promise<SiteModelSummary | null> = site ? getSiteModel(modelId) : Promise.resolve(null);
  const promise = siteModel
    .then((stored) => {
      if (site) {
        if (!stored || !stored.complete) {
          throw new EngineError('site-model-unavailable', `${modelId} is not stored in this browser${stored ? ' completely' : ''}; import the folder again`);
        }
        useEngineStore.getState().patch({ modelVersion: stored.version, fixture: stored.meta.fixture });
      }
      return c.load(
        {
          modelId,
          baseUrl: appBaseUrl(),
          backend: settings.backend,
          ...requestedWasmThreads(),
          ...(settings.dtype ? { dtype: settings.dtype } : {}),
          ...(stored
            ? { site: { version: stored.version }, files: stored.files.map((f) => f.path) }
            : bundled
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
      );
    })
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
        storeReport(info.candidateReport);
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
  settings: LoadSettings,
  onSend?: () => void,
): Promise<{ result: RecommendResult; info: EngineInfo }> {
  current?.abort(new DOMException('superseded by a newer request', 'AbortError'));
  const controller = new AbortController();
  current = controller;
  const t0 = performance.now();
  useEngineStore.getState().patch({ running: true, error: null });
  try {
    // 取消 returns control at once, also while a (re)load is still running.
    const info = await untilAborted(ensureModelLoaded(settings), controller.signal);
    onSend?.();
    // The engine searches and cuts with the model's one policy (src/engine/decode-policy.ts);
    // the page only re-cuts the returned trajectory.
    const result = await getEngineClient().recommend({ record, safety: useUiStore.getState().safety }, { signal: controller.signal });
    useEngineStore.getState().patch({
      inferenceMs: result.inferenceMs,
      totalMs: performance.now() - t0,
      backend: result.backend,
      dtype: result.dtype,
    });
    storeReport(result.candidates);
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

/**
 * Loads the selected model (if needed) and reports which names of the selected candidate list its
 * tokenizer cannot write (the report also lands in the engine store).
 */
export async function checkCandidates(settings: LoadSettings): Promise<CandidateReport> {
  await ensureModelLoaded(settings);
  try {
    const report = await getEngineClient().inspect();
    storeReport(report);
    return report;
  } catch (e) {
    throw reportError(toEngineError(e, 'invalid-request'));
  }
}

/**
 * A model was removed (or replaced by a new import): if it is the loaded one, free it in the
 * worker and forget it, so the next recommendation loads what is selected then.
 */
export async function forgetModel(modelId: string): Promise<void> {
  const c = getEngineClient();
  const loadedId = c.loaded?.modelId ?? null;
  const keyed = loadedKey !== null && (JSON.parse(loadedKey) as unknown[])[0] === modelId;
  if (loadedId !== modelId && !keyed) return;
  loadedKey = null;
  if (useEngineStore.getState().modelId === modelId) useEngineStore.getState().reset();
  try {
    await c.dispose();
  } catch {
    /* the worker may be gone; nothing is loaded either way */
  }
}

/** `?threads=N` in the URL: WASM threads for the engine (the bench and the tests; LoadRequest.wasmThreads). */
function requestedWasmThreads(): { wasmThreads?: number } {
  const asked = Number(new URLSearchParams(location.search).get('threads') ?? NaN);
  return Number.isInteger(asked) && asked >= 1 ? { wasmThreads: asked } : {};
}

/**
 * The engines a batch runs on: the app's engine, loaded with these settings, plus extra engine
 * workers where the device has the cores and memory (src/engine/engine-pool.ts batchPoolSize;
 * `?batchWorkers=N` in the URL overrides, for the bench and the tests). The extras load the same model, backend,
 * weights and candidate list as the app's engine — the weights from the IndexedDB cache it just
 * filled, so nothing is downloaded twice — and run the warm-up decode like the app's engine: the
 * pool's throughput check times the engines side by side right after they load, and should not
 * time an engine's first decodes, while the browser is still compiling a fresh worker's WASM to
 * optimised code on the same cores. (On a 2-core machine the check stays at the mercy of whatever
 * else runs: docs/benchmark.md.) The caller closes the pool when the batch ends: the extras'
 * workers are terminated then.
 */
export async function openBatchEngines(settings: LoadSettings): Promise<EnginePool> {
  const info = await ensureModelLoaded(settings);
  const main = getEngineClient();
  const asked = Number(new URLSearchParams(location.search).get('batchWorkers') ?? NaN);
  const requested = Number.isFinite(asked) && asked >= 1 ? asked : null;
  const size = batchPoolSize({
    backend: info.backend,
    threadsPerEngine: info.numThreads,
    hardwareConcurrency: navigator.hardwareConcurrency,
    deviceMemoryGiB: (navigator as Navigator & { deviceMemory?: number }).deviceMemory,
    ...(requested !== null ? { requested } : {}),
  });
  const members: PoolMember[] = [
    {
      ensureLoaded: () => ensureModelLoaded(settings),
      recommend: (params, options) => main.recommend(params, options),
      release: () => undefined, // the app's engine stays for the recommend screen
    },
  ];
  const params = main.loadParams;
  for (let i = 1; i < size && params; i++) {
    const extra = new EngineClient(() => createWorker(`dischargerx-engine-batch-${i}`));
    // The selected candidate list is the client's state (it goes with the load), not a load parameter.
    await extra.setCandidates(main.candidateList);
    const { candidates: _list, ...rest } = params;
    const load = { ...rest, backend: info.backend, dtype: info.dtype };
    extra.onEvent((e) => {
      if (e.kind === 'cache' && e.notice.kind !== 'hit') console.warn(`[engine] batch engine ${i}: model cache: ${e.notice.kind}${e.notice.detail ? ` (${e.notice.detail})` : ''}`);
      else if (e.kind === 'log' && e.level === 'warn') console.warn(`[engine] batch engine ${i}: ${e.message}`);
    });
    members.push(clientMember(extra, load));
  }
  // The app's own choice is checked against what the engines really deliver (a machine whose cores
  // are taken by other work gains nothing from a second engine); an explicit count is kept.
  return new EnginePool(members, {
    adapt: requested === null,
    onCheck: ({ soloMs, togetherMs, kept }) =>
      console.info(
        `[engine] batch: one engine alone ${Math.round(soloMs)} ms/record, ${togetherMs.length} side by side ${togetherMs.map(Math.round).join(' / ')} ms: ${kept ? 'all kept' : 'the extra engines are released'}`,
      ),
  });
}

/** `promise`, or an 'aborted' EngineError as soon as `signal` aborts (the promise runs on). */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new EngineError('aborted', 'aborted'));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new EngineError('aborted', 'aborted'));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** Cancels the running recommendation, if any. */
export function cancelRecommendation(): void {
  current?.abort(new DOMException('cancelled by the user', 'AbortError'));
}

export { BUNDLED_MODELS };
