/// <reference lib="webworker" />
/**
 * The model engine: a dedicated module worker that loads tokenizer + model once with
 * transformers.js, warms up, and answers `recommend` requests with the constrained decoder of
 * src/decoding (the same module and prompt builder as the Node CLI). Protocol:
 * src/engine/protocol.ts. Backend choice and fallback: ./backend-plan.ts.
 *
 * Nothing is fetched off-origin: env.allowRemoteModels = false, models come from
 * `<app>/models/<id>/`, onnxruntime-web's wasm from the app's own assets/ (see vite.config.ts).
 * A site's own model (`site:<name>`, imported into IndexedDB by the page) is asked for under
 * `<app>/models/@site/<name>/`: its customCache (src/storage/site-model-cache.ts) answers from
 * IndexedDB and env.fetch answers anything else there with a local 404, so nothing is fetched.
 */
import { env } from '@huggingface/transformers';
// The one onnxruntime-web binary this build uses (WASM and WebGPU EPs); see vite.config.ts.
import ortWasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';
import { buildPrompt, PROMPT_SPEC } from '../clinical/prompt.ts';
import { Formulary } from '../clinical/formulary.ts';
import { candidateMappingFor } from '../clinical/candidate-list.ts';
import { recommendForRecord } from '../decoding/recommend-record.ts';
import { candidateTrieFor, resolveFormatTokens, type ForwardModel, type TokenizerLike } from '../decoding/causal-lm.ts';
import type { CandidateTrie } from '../decoding/trie.ts';
import { loadCausalLm, type LoadedCausalLm } from '../decoding/load-causal-lm.ts';
import { parseDecodingConfig, DECODING_CONFIG_FILE } from '../decoding/decoding-config.ts';
import { probeWebGpu } from '../engine/capabilities.ts';
import { DTYPE_FILE } from '../engine/protocol.ts';
import { downloadSize, findBundledModel } from '../engine/bundled-models.ts';
import { ModelWeightCache } from '../storage/model-cache.ts';
import { SiteModelCache, SiteModelUnavailable, siteFolderSegment } from '../storage/site-model-cache.ts';
import { isSiteModelId } from '../storage/db.ts';
import { postCacheNotice } from '../storage/notices.ts';
import type {
  AdapterSummary,
  Backend,
  BackendReason,
  CandidateReport,
  DecodeSettings,
  EngineErrorCode,
  EngineInfo,
  EngineRequest,
  EngineResponse,
  LoadProgress,
  LoadRequest,
  ModelDtype,
  RecommendRequest,
  RecommendResult,
} from '../engine/protocol.ts';
import { planBackends, classifyLoadError, fallbackAttempt, type BackendAttempt } from './backend-plan.ts';

declare const self: DedicatedWorkerGlobalScope;

class WorkerError extends Error {
  constructor(
    readonly code: EngineErrorCode,
    message: string,
    /** With 'webgpu-failed': the plan's WASM attempt the client loads next (backend-plan.ts). */
    readonly fallback?: BackendAttempt,
  ) {
    super(message);
  }
}

interface Engine {
  request: LoadRequest;
  lm: LoadedCausalLm;
  backend: Backend;
  dtype: ModelDtype;
  reason: BackendReason;
  /** The load's backend plan: its WASM entry is the fallback when WebGPU fails mid-run. */
  plan: BackendAttempt[];
  adapter: AdapterSummary | null;
  decoding: DecodeSettings;
  calibrated: boolean;
  info: EngineInfo;
  /** Set when the GPU device was lost: the next request reloads on WASM first. */
  deviceLost: string | null;
}

let engine: Engine | null = null;
let configuredBase: string | null = null;
/** `<app>/models/@site/` as an origin-relative path: env.fetch never lets these reach the network. */
let siteRootPath: string | null = null;
const controllers = new Map<number, AbortController>();
/** load / recommend / dispose run one at a time, in arrival order; abort is handled at once. */
let queue: Promise<void> = Promise.resolve();

function post(msg: EngineResponse): void {
  self.postMessage(msg);
}

function configureEnv(baseUrl: string): void {
  if (configuredBase === baseUrl) return;
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.localModelPath = modelRoot(baseUrl);
  // Caching belongs to the storage layer (src/storage: IndexedDB, manifest + hash, keyed by model
  // version), installed per load as env.customCache; the plain URL-keyed Cache API would serve a
  // stale model after an upgrade.
  env.useBrowserCache = false;
  env.useWasmCache = false;
  env.useCustomCache = false;
  const onnx = env.backends.onnx as { wasm?: Record<string, unknown>; logLevel?: string };
  if (onnx.wasm) {
    // Only the .wasm: the bundle's embedded factory is used (no .mjs request).
    onnx.wasm['wasmPaths'] = { wasm: new URL(ortWasmUrl, self.location.href).href };
    onnx.wasm['numThreads'] = self.crossOriginIsolated ? Math.max(1, Math.min(4, (navigator.hardwareConcurrency || 2) - 1)) : 1;
    onnx.wasm['proxy'] = false;
  }
  onnx.logLevel = 'error';
  (env as { fetch: typeof fetch }).fetch = countingFetch;
  siteRootPath = `${modelRoot(baseUrl)}@site/`;
  configuredBase = baseUrl;
}

/**
 * `<app>/models/` as an origin-relative path ("/models/", "/sub/dir/models/"): transformers.js
 * 4.3.1 skips its local-file existence check (get_file_metadata, used for tokenizer_config.json)
 * when localModelPath is a full http URL, so the path form is required.
 */
function modelRoot(baseUrl: string): string {
  return new URL('models/', baseUrl).pathname;
}

/** Origin-relative folder path of the request's model (bundled or a site's own), trailing slash. */
function folderPath(request: Pick<LoadRequest, 'modelId' | 'baseUrl'>): string {
  const root = modelRoot(request.baseUrl);
  return isSiteModelId(request.modelId) ? `${root}${siteFolderSegment(request.modelId)}` : `${root}${encodeURIComponent(request.modelId)}/`;
}

function numThreads(): number {
  const wasm = (env.backends.onnx as { wasm?: { numThreads?: number } }).wasm;
  return wasm?.numThreads ?? 1;
}

/** A MessageChannel round trip: lets queued `abort` messages run between model calls. */
function yieldToEvents(): Promise<void> {
  return new Promise((resolve) => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => {
      ch.port1.close();
      resolve();
    };
    ch.port2.postMessage(null);
  });
}

function yieldingModel(lm: LoadedCausalLm): ForwardModel {
  return {
    forward: async (inputs: Record<string, unknown>) => {
      await yieldToEvents();
      return lm.model.forward(inputs);
    },
  } as ForwardModel;
}

async function fetchDecodingConfig(
  request: LoadRequest,
  cache: ModelWeightCache | SiteModelCache | null,
): Promise<{ settings: DecodeSettings; calibrated: boolean }> {
  if (request.files && !request.files.includes(DECODING_CONFIG_FILE)) return { settings: {}, calibrated: false };
  const url = new URL(`${folderPath(request)}${DECODING_CONFIG_FILE}`, request.baseUrl).href;
  const cached = await cache?.match(url);
  // A site's model exists only in IndexedDB: never ask the network for its files.
  if (!cached && request.site) return { settings: {}, calibrated: false };
  const res = cached ?? (await fetch(url));
  if (res.status === 404) return { settings: {}, calibrated: false };
  if (!res.ok) throw new WorkerError('load-failed', `${DECODING_CONFIG_FILE}: HTTP ${res.status}`);
  if (!cached && cache) await cache.put(url, res.clone());
  const cfg = parseDecodingConfig(await res.json(), `${request.modelId}/${DECODING_CONFIG_FILE}`);
  const settings: DecodeSettings = {
    stopThreshold: cfg.stopThreshold,
    minConfidence: cfg.minConfidence,
    beamWidth: cfg.beamWidth,
  };
  if (cfg.minDrugs !== undefined) settings.minDrugs = cfg.minDrugs;
  // The search length is part of the calibration: the Node CLI searches the same number of drugs.
  if (cfg.maxDrugs !== undefined) settings.maxDrugs = cfg.maxDrugs;
  return { settings, calibrated: true };
}

let bundledNames: readonly string[] | null = null;
function defaultCandidates(): readonly string[] {
  bundledNames ??= Formulary.bundled().names;
  return bundledNames;
}

/** Trie of `candidates` for this tokenizer (memoised in src/decoding) and its report for the page. */
function candidateTrie(tokenizer: TokenizerLike, candidates: readonly string[], modelId: string): { trie: CandidateTrie; report: CandidateReport } {
  const format = resolveFormatTokens(tokenizer, PROMPT_SPEC.target);
  // The trie is over the model's names for the list's entries (as decode() searches).
  const trie = candidateTrieFor(tokenizer, candidateMappingFor(candidates).decodeNames, format);
  const unk = trie.excluded.filter((x) => x.reason === 'unk');
  const examples = [...unk, ...trie.excluded.filter((x) => x.reason !== 'unk')].slice(0, 8).map((x) => ({ name: x.name, reason: x.reason }));
  return {
    trie,
    report: { modelId, total: candidates.length, usable: trie.included.length, unk: unk.length, excluded: trie.excluded.length, examples },
  };
}

function noCandidates(report: CandidateReport): WorkerError {
  const eg = report.examples.slice(0, 3).map((x) => x.name).join(', ');
  return new WorkerError(
    'no-candidates',
    `the model's tokenizer can write none of the ${report.total} candidate names${eg ? ` (e.g. ${eg})` : ''}`,
  );
}

/** A short made-up record: compiles the shaders / wasm paths once before the first user request. */
const WARMUP_RECORD = { 性别: '男', 出生日期: '1960-01-01', 就诊时间: '2023-01-01', 主诉: '口干多饮', 出院诊断: ['2型糖尿病'] };

async function decode(
  e: Pick<Engine, 'lm' | 'decoding'>,
  record: Record<string, unknown>,
  candidates: readonly string[],
  settings: DecodeSettings | undefined,
  signal?: AbortSignal,
  safety = true,
) {
  const prompt = buildPrompt(record);
  // Decode in the model's names, answer in the list's spelling (src/clinical/candidate-list.ts).
  const mapping = candidateMappingFor(candidates);
  // Prompt + safety mask (withheld drugs, one per duplication group) + decode: src/decoding/recommend-record.ts.
  const decoded = await recommendForRecord({
    model: yieldingModel(e.lm),
    tokenizer: e.lm.tokenizer,
    record,
    safety,
    candidates: mapping.decodeNames,
    format: PROMPT_SPEC.target,
    options: { ...e.decoding, ...settings, ...(signal ? { signal } : {}) },
  });
  const spell = <T extends { name: string }>(d: T): T => ({ ...d, name: mapping.toList(d.name) ?? d.name });
  const result = {
    ...decoded,
    drugs: decoded.drugs.map(spell),
    trajectory: decoded.trajectory.map(spell),
    withheld: decoded.withheld.map((w) => ({ ...w, drug: mapping.toList(w.drug) ?? w.drug })),
  };
  return { result, promptTokens: e.lm.tokenizer.encode(prompt).length };
}

async function disposeLm(lm: LoadedCausalLm | undefined): Promise<void> {
  try {
    await lm?.model.dispose();
  } catch {
    /* best effort */
  }
}

function checkAborted(signal: AbortSignal): void {
  if (signal.aborted) throw new WorkerError('aborted', 'load aborted');
}

/** Loads on the first backend of the plan that works (download → session → warm-up). */
async function load(request: LoadRequest, signal: AbortSignal): Promise<EngineInfo> {
  configureEnv(request.baseUrl);
  const t0 = performance.now();
  const progress = makeProgress(request);
  progress.phase('probe');
  const probe = request.backend === 'wasm' ? null : await probeWebGpu();
  const attempts = planBackends({ preference: request.backend, probe, files: request.files, dtype: request.dtype });

  // One attempt per worker: after a failed session transformers.js' init chain stays rejected,
  // so a WebGPU failure is reported as 'webgpu-failed' with the plan's WASM entry, which the
  // client loads in a fresh worker.
  const fallbackReason: BackendReason | null = request.fallbackReason ?? null;
  {
    const attempt = attempts[0]!;
    let lm: LoadedCausalLm | undefined;
    let cache: ModelWeightCache | SiteModelCache | null = null;
    try {
      progress.phase('download', attempt.backend, attempt.dtype);
      // No progress_callback: with one, transformers.js 4.3.1 GETs every weights file an extra
      // time for its size (get_file_metadata). Bytes are counted in env.fetch instead.
      activeProgress = progress;
      cache = await openWeightCache(request, attempt.dtype);
      // decoding.json goes through the same cache (offline loads need it as much as the weights).
      const { settings: decoding, calibrated } = await fetchDecodingConfig(request, cache);
      checkAborted(signal);
      try {
        // A site's model is addressed by its folder path (not an id under localModelPath).
        const modelPath = request.site ? folderPath(request).replace(/\/$/, '') : request.modelId;
        lm = await loadCausalLm(modelPath, {
          dtype: attempt.dtype,
          device: attempt.backend,
          localModelPath: modelRoot(request.baseUrl),
        });
      } finally {
        activeProgress = null;
        env.useCustomCache = false;
        env.customCache = null;
      }
      checkAborted(signal);
      // Manifest last: only now, with every file read and the session created, is it written.
      if (cache instanceof SiteModelCache) {
        postCacheNotice({ kind: 'hit', modelId: request.modelId, version: cache.manifest.version, detail: `${cache.served.size} file(s) from IndexedDB (site model)`, bytes: cache.servedBytes });
        cache.close();
      } else await cache?.commit();
      cache = null;
      const loadMs = performance.now() - t0;
      // Trie + format tokens once with THIS model's tokenizer (memoised in src/decoding), then a warm-up decode.
      const candidates = request.candidates ?? defaultCandidates();
      const { trie, report } = candidateTrie(lm.tokenizer, candidates, request.modelId);
      let warmupMs = 0;
      if (!request.skipWarmup && trie.included.length > 0) {
        progress.phase('warmup', attempt.backend);
        const w0 = performance.now();
        await decode({ lm, decoding }, WARMUP_RECORD, candidates, { beamWidth: 1, maxDrugs: 2 }, signal);
        warmupMs = performance.now() - w0;
      }
      checkAborted(signal);
      const reason = fallbackReason ?? attempt.reason;
      const info: EngineInfo = {
        modelId: request.modelId,
        backend: attempt.backend,
        dtype: attempt.dtype,
        reason,
        adapter: probe?.available ? probe.adapter : null,
        numThreads: numThreads(),
        loadMs,
        warmupMs,
        bytes: progress.bytes(),
        decoding,
        calibrated,
        excludedCandidates: trie.excluded.length,
        candidateReport: report,
      };
      const old = engine;
      engine = {
        request,
        lm,
        backend: attempt.backend,
        dtype: attempt.dtype,
        reason,
        plan: attempts,
        adapter: info.adapter,
        decoding,
        calibrated,
        info,
        deviceLost: null,
      };
      if (old && old.lm !== lm) await disposeLm(old.lm);
      if (attempt.backend === 'webgpu') watchDeviceLoss(engine);
      return info;
    } catch (e) {
      if (cache instanceof SiteModelCache) cache.close();
      else await cache?.discard();
      await disposeLm(lm);
      if (e instanceof SiteModelUnavailable) throw new WorkerError('site-model-unavailable', e.message);
      // WorkerErrors (aborted, a bad decoding.json) are not backend failures.
      if (e instanceof WorkerError) throw e;
      if (signal.aborted) throw new WorkerError('aborted', 'load aborted');
      const code = classifyLoadError(e);
      // A missing model file is missing on every backend: stop here.
      if (code === 'model-not-found' || attempt.backend !== 'webgpu') throw new WorkerError(code, errorMessage(e));
      post({ type: 'event', event: { kind: 'log', level: 'warn', message: `WebGPU failed, falling back to WASM: ${errorMessage(e)}` } });
      throw new WorkerError('webgpu-failed', errorMessage(e), fallbackAttempt(attempts, { code: 'webgpu-session-failed', detail: errorMessage(e) }));
    }
  }
}

/**
 * The IndexedDB weight cache for this load (src/storage/model-cache.ts), installed as
 * transformers.js' env.customCache. Bundled models: the download cache, keyed by their version
 * (from the build-time list). A site's own model: its read-only cache (every file verified first;
 * it exists nowhere else). Notices go to the page on a BroadcastChannel (and the log).
 */
async function openWeightCache(request: LoadRequest, dtype: ModelDtype): Promise<ModelWeightCache | SiteModelCache | null> {
  if (request.site || isSiteModelId(request.modelId)) {
    if (!request.site) throw new SiteModelUnavailable(`${request.modelId}: no stored version given`);
    // Read-only, verified (size + SHA-256 of every file) before transformers.js sees anything.
    const site = await SiteModelCache.open({ modelId: request.modelId, version: request.site.version, folderPath: folderPath(request) });
    env.useCustomCache = true;
    env.customCache = site as unknown as typeof env.customCache;
    return site;
  }
  const bundled = findBundledModel(request.modelId);
  if (!bundled || typeof indexedDB === 'undefined') return null;
  const cache = await ModelWeightCache.open({
    modelId: bundled.id,
    version: bundled.version,
    folderPath: folderPath(request),
    expectedSizes: request.fileSizes ?? Object.fromEntries(bundled.files.map((f) => [f.path, f.size])),
    expectedBytes: downloadSize(bundled, dtype),
    onNotice: (n) => {
      postCacheNotice(n);
      const level = n.kind === 'hit' || n.kind === 'cached' ? 'info' : 'warn';
      post({ type: 'event', event: { kind: 'log', level, message: `model cache: ${n.kind}${n.detail ? ` (${n.detail})` : ''}` } });
    },
  });
  env.useCustomCache = true;
  env.customCache = cache as unknown as typeof env.customCache;
  return cache;
}

function watchDeviceLoss(e: Engine): void {
  const webgpu = (env.backends.onnx as { webgpu?: { device?: Promise<{ lost?: Promise<{ message?: string; reason?: string }> }> } })
    .webgpu;
  void Promise.resolve(webgpu?.device)
    .then((device) => device?.lost)
    .then((info) => {
      if (!info || engine !== e) return;
      e.deviceLost = info.message || info.reason || 'GPU device lost';
      post({ type: 'event', event: { kind: 'log', level: 'warn', message: `WebGPU device lost: ${e.deviceLost}` } });
    })
    .catch(() => undefined);
}

async function recommend(request: RecommendRequest, signal: AbortSignal): Promise<RecommendResult> {
  const e = engine;
  if (!e) throw new WorkerError('not-loaded', 'the model is not loaded');
  if (e.deviceLost !== null) {
    throw new WorkerError('webgpu-failed', `WebGPU device lost: ${e.deviceLost}`, fallbackAttempt(e.plan, { code: 'device-lost', detail: e.deviceLost }));
  }
  if (typeof request.record !== 'object' || request.record === null) {
    throw new WorkerError('invalid-request', 'record must be an object');
  }
  const candidates = request.candidates ?? defaultCandidates();
  if (!Array.isArray(candidates) || !candidates.every((c) => typeof c === 'string')) {
    throw new WorkerError('invalid-request', 'candidates must be an array of strings');
  }
  // The trie is built with the loaded model's own tokenizer: names it cannot write are reported.
  const { report } = candidateTrie(e.lm.tokenizer, candidates, e.request.modelId);
  if (report.usable === 0) throw noCandidates(report);
  const run = async (eng: Engine) => {
    const t0 = performance.now();
    const { result, promptTokens } = await decode(eng, request.record, candidates, request.settings, signal, request.safety !== false);
    return {
      drugs: result.drugs.map((d) => ({ name: d.name, confidence: d.confidence })),
      trajectory: result.trajectory.map((d) => ({ name: d.name, confidence: d.confidence })),
      stopProbabilities: result.stopProbabilities,
      applied: {
        stopThreshold: result.settings.stopThreshold,
        minConfidence: result.settings.minConfidence,
        minDrugs: result.settings.minDrugs,
      },
      backend: eng.backend,
      dtype: eng.dtype,
      inferenceMs: performance.now() - t0,
      steps: result.steps,
      finishReason: result.finishReason,
      promptTokens,
      candidates: report,
      withheld: result.withheld,
    } satisfies RecommendResult;
  };
  try {
    return await run(e);
  } catch (err) {
    if (signal.aborted) throw new WorkerError('aborted', 'recommendation aborted');
    if (e.backend !== 'webgpu') throw new WorkerError('inference-failed', errorMessage(err));
    // WebGPU failed mid-run (device lost, out of memory, kernel error): the client reloads on
    // WASM in a fresh worker and retries once.
    throw new WorkerError(
      'webgpu-failed',
      errorMessage(err),
      fallbackAttempt(e.plan, {
        code: e.deviceLost ? 'device-lost' : 'webgpu-session-failed',
        detail: e.deviceLost ?? errorMessage(err),
      }),
    );
  }
}

function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message;
  if (typeof e === 'number') return `onnxruntime error code ${e}`;
  return String(e);
}

/** Byte progress of one load, fed by `countingFetch`; posts throttled `progress` messages. */
function makeProgress(request: LoadRequest) {
  const perFile = new Map<string, { loaded: number; total: number }>();
  let phase: LoadProgress['phase'] = 'probe';
  let backend: Backend | undefined;
  let expected = 0;
  let lastPost = 0;
  let lastFile: string | undefined;
  const sizes = request.fileSizes ?? {};
  const sums = () => {
    let loaded = 0;
    let total = 0;
    for (const f of perFile.values()) {
      loaded += f.loaded;
      total += Math.max(f.total, f.loaded);
    }
    return { loaded, total: Math.max(total, expected) };
  };
  const send = (force: boolean) => {
    const now = performance.now();
    if (!force && now - lastPost < 100) return;
    lastPost = now;
    const { loaded, total } = sums();
    const p: LoadProgress = { phase, loaded, total };
    if (lastFile) p.file = lastFile;
    if (backend) p.backend = backend;
    post({ type: 'progress', id: request.id, progress: p });
  };
  return {
    phase(next: LoadProgress['phase'], b?: Backend, dtype?: ModelDtype) {
      phase = next;
      backend = b;
      if (next === 'download') {
        perFile.clear();
        // Expected bytes: the weights of this dtype + the folder's top-level JSON files.
        expected = Object.entries(sizes)
          .filter(([path]) => (dtype && (path === DTYPE_FILE[dtype] || path.startsWith(`${DTYPE_FILE[dtype]}_data`))) || /^[^/]+\.json$/.test(path))
          .reduce((n, [, size]) => n + size, 0);
      }
      send(true);
    },
    bytes: () => sums().loaded,
    /** Bytes of `file` (path inside the model folder) read so far; `done` at end of body. */
    file(file: string, loaded: number, headerTotal: number, done: boolean) {
      // The same file may be read twice (config.json); count the larger read once.
      const prev = perFile.get(file);
      const total = sizes[file] ?? headerTotal;
      if (!prev || loaded >= prev.loaded || done) perFile.set(file, { loaded: Math.max(loaded, prev?.loaded ?? 0), total });
      lastFile = file;
      if (phase === 'download' && done && /\.onnx/.test(file)) phase = 'session';
      send(done);
    },
  };
}

let activeProgress: ReturnType<typeof makeProgress> | null = null;

/**
 * env.fetch for transformers.js: the platform fetch, with the response body counted for the
 * load's progress bar (files under models/<id>/ only).
 */
async function countingFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  if (siteRootPath) {
    const target = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url, self.location.href);
    // A site's model lives only in IndexedDB (its customCache answered what exists): anything
    // else transformers.js probes for there (optional files) is missing. Never the network.
    if (target.origin === self.location.origin && target.pathname.startsWith(siteRootPath)) {
      return new Response('Not found', { status: 404, statusText: 'Not Found' });
    }
  }
  const res = await fetch(input, init);
  const tracker = activeProgress;
  if (!tracker || !res.ok || !res.body) return res;
  const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url, self.location.href);
  const m = /\/models\/[^/]+\/(.+)$/.exec(url.pathname);
  if (!m) return res;
  const file = decodeURIComponent(m[1]!);
  const headerTotal = Number(res.headers.get('content-length')) || 0;
  let loaded = 0;
  const counter = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      loaded += chunk.byteLength;
      tracker.file(file, loaded, headerTotal, false);
      controller.enqueue(chunk);
    },
    flush() {
      tracker.file(file, loaded, headerTotal, true);
    },
  });
  return new Response(res.body.pipeThrough(counter), { status: res.status, statusText: res.statusText, headers: res.headers });
}

async function handle(msg: EngineRequest, controller: AbortController): Promise<void> {
  const { signal } = controller;
  try {
    if (signal.aborted) throw new WorkerError('aborted', 'aborted before start');
    switch (msg.type) {
      case 'load': {
        const info = await load(msg, signal);
        post({ type: 'loaded', id: msg.id, info });
        return;
      }
      case 'recommend': {
        const result = await recommend(msg, signal);
        post({ type: 'result', id: msg.id, result });
        return;
      }
      case 'inspect': {
        const e = engine;
        if (!e) throw new WorkerError('not-loaded', 'the model is not loaded');
        const list = msg.candidates ?? defaultCandidates();
        if (!Array.isArray(list) || !list.every((c) => typeof c === 'string')) {
          throw new WorkerError('invalid-request', 'candidates must be an array of strings');
        }
        post({ type: 'inspected', id: msg.id, report: candidateTrie(e.lm.tokenizer, list, e.request.modelId).report });
        return;
      }
      case 'dispose': {
        const old = engine;
        engine = null;
        await disposeLm(old?.lm);
        post({ type: 'disposed', id: msg.id });
        return;
      }
      case 'abort':
        return;
    }
  } catch (e) {
    const code: EngineErrorCode = e instanceof WorkerError ? e.code : signal.aborted ? 'aborted' : msg.type === 'load' ? classifyLoadError(e) : 'inference-failed';
    const fallback = e instanceof WorkerError ? e.fallback : undefined;
    post({ type: 'error', id: msg.id, error: { code, message: errorMessage(e), ...(fallback ? { fallback } : {}) } });
  } finally {
    controllers.delete(msg.id);
  }
}

self.onmessage = (ev: MessageEvent<EngineRequest>) => {
  const msg = ev.data;
  if (!msg || typeof msg !== 'object' || typeof msg.id !== 'number') return;
  if (msg.type === 'abort') {
    controllers.get(msg.target)?.abort(new DOMException('aborted', 'AbortError'));
    return;
  }
  const controller = new AbortController();
  controllers.set(msg.id, controller);
  queue = queue.then(() => handle(msg, controller));
};

export type { BackendAttempt };
