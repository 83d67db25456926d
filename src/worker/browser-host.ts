/// <reference lib="webworker" />
/**
 * The ModelEngine's host inside the Web Worker (src/engine/model-engine.ts does everything else):
 * transformers.js' `env` (no remote models, onnxruntime-web's wasm from the app's own assets),
 * byte progress from env.fetch, the integrity check of every first download against the
 * manifest the build embedded (src/model-folder/format.ts), the IndexedDB weight caches
 * (src/storage) and their notices, the WebGPU probe, device-loss watch, and a yield between
 * model calls so `abort` and `ping` are handled mid-decode.
 *
 * Nothing is fetched off-origin: models come from `<app>/models/<id>/`. A site's own model
 * (`site:<name>`, imported into IndexedDB by the page) is asked for under
 * `<app>/models/@site/<name>/`: its customCache answers from IndexedDB and env.fetch answers
 * anything else there with a local 404.
 */
import { env } from '@huggingface/transformers';
// The onnxruntime-web binary this worker's runtime uses (JSPI or asyncify); see ort-runtime.ts.
import { ORT_FLAVOUR, ORT_MJS_URL, ORT_WASM_URL, sessionCreateMs } from './ort-runtime.ts';
import { initOrtRuntime, precompileOrtWasm } from './ort-init.ts';
import { DECODING_CONFIG_FILE, parseDecodingConfig, type DecodingConfig } from '../decoding/decoding-config.ts';
import type { ForwardModel } from '../decoding/causal-lm.ts';
import { loadCausalLm } from '../decoding/load-causal-lm.ts';
import { yieldToEvents } from '../event-loop.ts';
import { wasmThreads } from '../runtime-options.ts';
import { FUSION_FILE, parseFusionWeights, type FusionWeights } from '../decoding/evidence-fusion.ts';
import { downloadSize, findBundledModel } from '../engine/bundled-models.ts';
import { probeWebGpu } from '../engine/capabilities.ts';
import { EngineError } from '../engine/errors.ts';
import type { PhaseClock } from '../engine/load-phases.ts';
import type { EngineHost, LoadSpec, OpenedModel } from '../engine/model-engine.ts';
import type { Backend, EngineEvent, LoadProgress, ModelDtype } from '../engine/protocol.ts';
import { checkAgainstManifest, isLoadFile, type ManifestEntry } from '../model-folder/format.ts';
import { isSiteModelId } from '../storage/db.ts';
import { ModelWeightCache } from '../storage/model-cache.ts';
import { SiteModelCache, SiteModelUnavailable, siteFolderSegment } from '../storage/site-model-cache.ts';
import { timedSha256 } from '../storage/verified-store.ts';

/** `<app>/models/` as an origin-relative path (transformers.js' local-file check needs the path form). */
function modelRoot(baseUrl: string): string {
  return new URL('models/', baseUrl).pathname;
}

/** Origin-relative folder path of the model (bundled or a site's own), trailing slash. */
function folderPath(spec: Pick<LoadSpec, 'modelId' | 'baseUrl'>): string {
  const root = modelRoot(spec.baseUrl);
  return isSiteModelId(spec.modelId) ? `${root}${siteFolderSegment(spec.modelId)}` : `${root}${encodeURIComponent(spec.modelId)}/`;
}

function urlOf(input: RequestInfo | URL): URL {
  return new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url, self.location.href);
}

/** One load's byte progress and integrity expectations, fed by env.fetch. */
interface ActiveLoad {
  folder: string;
  expected: ReadonlyMap<string, ManifestEntry>;
  file(path: string, loaded: number, headerTotal: number, done: boolean): void;
  phases: PhaseClock;
}

/** Worker clock readings taken while the worker's script ran (./boot-clock.ts, engine.worker.ts). */
export interface WorkerBoot {
  /** The script started running (the worker was created at 0). */
  scriptStartMs: number;
  /** Every module of the bundle has been evaluated. */
  modulesReadyMs: number;
}

/** The runtime's wasm, absolute: the runtime and the early compile must ask for the same URL. */
function ortWasmHref(): string {
  return new URL(ORT_WASM_URL, self.location.href).href;
}

/**
 * onnxruntime-web's file locations for a thread count: the .wasm alone runs the glue embedded in
 * the bundle (no extra request); threads need the glue's own file (ort-runtime.ts ORT_MJS_URL).
 */
function ortWasmPaths(threads: number): { wasm: string; mjs?: string } {
  const wasm = ortWasmHref();
  return threads > 1 ? { wasm, mjs: new URL(ORT_MJS_URL, self.location.href).href } : { wasm };
}

export function browserHost(emit: (e: EngineEvent) => void, boot?: WorkerBoot): EngineHost {
  /** The worker's boot is part of its first load only. */
  let bootToCount = boot ?? null;
  let configuredBase: string | null = null;
  let siteRoot: string | null = null;
  let active: ActiveLoad | null = null;

  /**
   * env.fetch: the platform fetch; a model file's body is counted for the progress bar and, when
   * the build's manifest lists it, checked (bytes + SHA-256) before transformers.js sees it — the
   * first download is verified, not only the cached copy.
   */
  async function modelFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    const target = urlOf(input);
    // A site's model lives only in IndexedDB: anything else asked for there is missing. Never the network.
    if (siteRoot && target.origin === self.location.origin && target.pathname.startsWith(siteRoot)) {
      return new Response('Not found', { status: 404, statusText: 'Not Found' });
    }
    const fetchAt = performance.now();
    const res = await fetch(input, init);
    const load = active;
    if (!load || !res.ok || !res.body || !target.pathname.startsWith(load.folder)) return res;
    const path = decodeURIComponent(target.pathname.slice(load.folder.length));
    const headerTotal = Number(res.headers.get('content-length')) || 0;
    let loaded = 0;
    const entry = load.expected.get(path);
    // Chunks are kept only for a file the manifest lists: hashed once at the end of the body,
    // and the stream errors (the load fails with the file named) when it differs.
    const chunks: Uint8Array[] | null = entry ? [] : null;
    const counter = new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        loaded += chunk.byteLength;
        chunks?.push(chunk);
        load.file(path, loaded, headerTotal, false);
        controller.enqueue(chunk);
      },
      async flush() {
        if (entry && chunks) {
          checkAgainstManifest(entry, { bytes: loaded });
          const all = new Uint8Array(loaded);
          let at = 0;
          for (const c of chunks) {
            all.set(c, at);
            at += c.byteLength;
          }
          chunks.length = 0;
          const hashed = { hashMs: 0 };
          const sha256 = await timedSha256(all, hashed);
          load.phases.add('integrity', hashed.hashMs);
          load.phases.add('download', performance.now() - fetchAt - hashed.hashMs);
          checkAgainstManifest(entry, { bytes: loaded, sha256 });
        } else load.phases.add('download', performance.now() - fetchAt);
        load.file(path, loaded, headerTotal, true);
      },
    });
    return new Response(res.body.pipeThrough(counter), { status: res.status, statusText: res.statusText, headers: res.headers });
  }

  function configureEnv(baseUrl: string, requestedThreads: number | undefined): void {
    if (configuredBase === baseUrl) return;
    env.allowRemoteModels = false;
    env.allowLocalModels = true;
    env.localModelPath = modelRoot(baseUrl);
    // Caching belongs to src/storage (IndexedDB, manifest + hash, keyed by model version),
    // installed per load as env.customCache; the URL-keyed Cache API would serve a stale model.
    env.useBrowserCache = false;
    env.useWasmCache = false;
    env.useCustomCache = false;
    const onnx = env.backends.onnx as { wasm?: Record<string, unknown>; logLevel?: string };
    if (onnx.wasm) {
      const threads = wasmThreads({ crossOriginIsolated: self.crossOriginIsolated, hardwareConcurrency: navigator.hardwareConcurrency, requested: requestedThreads });
      onnx.wasm['wasmPaths'] = ortWasmPaths(threads);
      onnx.wasm['numThreads'] = threads;
      onnx.wasm['proxy'] = false;
    }
    onnx.logLevel = 'error';
    (env as { fetch: typeof fetch }).fetch = modelFetch;
    siteRoot = `${modelRoot(baseUrl)}@site/`;
    configuredBase = baseUrl;
  }

  /**
   * The IndexedDB cache for this load, installed as env.customCache. Bundled models: the download
   * cache keyed by their build version. A site's own model: its read-only, verified cache.
   */
  async function openCache(spec: LoadSpec, dtype: ModelDtype): Promise<ModelWeightCache | SiteModelCache | null> {
    if (spec.site || isSiteModelId(spec.modelId)) {
      if (!spec.site) throw new SiteModelUnavailable(`${spec.modelId}: no stored version given`);
      const site = await SiteModelCache.open({ modelId: spec.modelId, version: spec.site.version, folderPath: folderPath(spec), dtype });
      env.useCustomCache = true;
      env.customCache = site as unknown as typeof env.customCache;
      return site;
    }
    const bundled = findBundledModel(spec.modelId);
    if (!bundled || typeof indexedDB === 'undefined') return null;
    const cache = await ModelWeightCache.open({
      modelId: bundled.id,
      version: bundled.version,
      folderPath: folderPath(spec),
      expectedSizes: spec.fileSizes ?? Object.fromEntries(bundled.files.map((f) => [f.path, f.size])),
      expectedBytes: downloadSize(bundled, dtype),
      dtype,
      onNotice: (notice) => emit({ kind: 'cache', notice }),
    });
    env.useCustomCache = true;
    env.customCache = cache as unknown as typeof env.customCache;
    return cache;
  }

  /**
   * A calibration file of the folder (decoding.json, fusion.json): through the same cache as the
   * weights (offline loads need them as much), null when the folder has none.
   */
  async function readCalibrationJson(spec: LoadSpec, cache: ModelWeightCache | SiteModelCache | null, file: string): Promise<unknown> {
    if (spec.files && !spec.files.includes(file)) return null;
    const url = new URL(`${folderPath(spec)}${file}`, spec.baseUrl).href;
    const cached = await cache?.match(url);
    if (!cached && spec.site) return null; // a site's model exists only in IndexedDB
    const res = cached ?? (await fetch(url));
    if (res.status === 404) return null;
    if (!res.ok) throw new EngineError('load-failed', `${file}: HTTP ${res.status}`);
    if (!cached && cache) await cache.put(url, res.clone());
    return await res.json();
  }

  async function readDecoding(spec: LoadSpec, cache: ModelWeightCache | SiteModelCache | null): Promise<DecodingConfig | null> {
    const json = await readCalibrationJson(spec, cache, DECODING_CONFIG_FILE);
    return json === null ? null : parseDecodingConfig(json, `${spec.modelId}/${DECODING_CONFIG_FILE}`);
  }

  async function readFusion(spec: LoadSpec, cache: ModelWeightCache | SiteModelCache | null): Promise<FusionWeights | null> {
    const json = await readCalibrationJson(spec, cache, FUSION_FILE);
    if (json === null) return null;
    try {
      return parseFusionWeights(json, `${spec.modelId}/${FUSION_FILE}`);
    } catch (e) {
      throw new EngineError('load-failed', (e as Error).message);
    }
  }

  /** Byte progress of one load (per file, the larger read counted once), throttled to ~10/s. */
  function tracker(spec: LoadSpec, dtype: ModelDtype, backend: Backend, onProgress: (p: LoadProgress) => void) {
    const perFile = new Map<string, { loaded: number; total: number }>();
    const sizes = spec.fileSizes ?? {};
    const expected = Object.entries(sizes)
      .filter(([path]) => isLoadFile(path, dtype))
      .reduce((n, [, size]) => n + size, 0);
    let phase: LoadProgress['phase'] = 'download';
    let lastPost = 0;
    let lastFile: string | undefined;
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
      onProgress({ phase, ...sums(), backend, ...(lastFile ? { file: lastFile } : {}) });
    };
    send(true);
    return {
      bytes: () => sums().loaded,
      file(file: string, loaded: number, headerTotal: number, done: boolean) {
        const prev = perFile.get(file);
        const total = sizes[file] ?? headerTotal;
        if (!prev || loaded >= prev.loaded || done) perFile.set(file, { loaded: Math.max(loaded, prev?.loaded ?? 0), total });
        lastFile = file;
        if (phase === 'download' && done && /\.onnx/.test(file)) phase = 'session';
        send(done);
      },
    };
  }

  return {
    probe: () => probeWebGpu(),
    numThreads: () => (env.backends.onnx as { wasm?: { numThreads?: number } }).wasm?.numThreads ?? 1,
    runtime: () => `onnxruntime-web (${ORT_FLAVOUR === 'jspi' ? 'JSPI' : 'asyncify'})`,

    async open(attempt, spec, ctx): Promise<OpenedModel> {
      const { phases } = ctx;
      if (bootToCount) {
        phases.add('workerStart', bootToCount.scriptStartMs);
        phases.add('runtimeImport', bootToCount.modulesReadyMs - bootToCount.scriptStartMs);
        bootToCount = null;
      }
      configureEnv(spec.baseUrl, spec.wasmThreads);
      // Before the IndexedDB read: V8 compiles the runtime's start-up code meanwhile, and
      // initOrtRuntime below instantiates that module (./ort-init.ts).
      if (attempt.backend === 'wasm') precompileOrtWasm(ortWasmHref());
      const progress = tracker(spec, attempt.dtype, attempt.backend, ctx.onProgress);
      const bundled = spec.site ? undefined : findBundledModel(spec.modelId);
      // Without a callback transformers.js skips its extra size GETs; bytes are counted in env.fetch.
      active = {
        folder: folderPath(spec),
        expected: new Map((bundled?.manifest?.files ?? []).map((f) => [f.path, f])),
        file: progress.file,
        phases,
      };
      let cache: ModelWeightCache | SiteModelCache | null = null;
      try {
        const openAt = performance.now();
        cache = await openCache(spec, attempt.dtype);
        // The open read every cached file and hashed it (the integrity pass): reading is the rest.
        phases.add('idbRead', performance.now() - openAt - (cache?.timing.hashMs ?? 0));
        const calibrationAt = performance.now();
        // decoding.json goes through the same cache (offline loads need it as much as the weights).
        const decoding = await readDecoding(spec, cache);
        const fusion = await readFusion(spec, cache);
        phases.add('calibration', performance.now() - calibrationAt);
        /*
         * onnxruntime's first initialisation in this worker, timed on its own (./ort-init.ts): the
         * rest of its wasm compile (started before the IndexedDB read, above), then its static
         * constructors and OrtInit, which held this thread for about a second while V8 compiled
         * the 958 kB constructor function on first call (now mostly compiled in the background
         * from V8's code cache). Started here, not alongside the IndexedDB read: overlapped, the
         * read's callbacks waited behind that second (the read took ~3 s instead of ~0.2 s), and
         * overlapping only the tokenizer and the model's read gained nothing measurable (issue #10).
         */
        if (attempt.backend === 'wasm') await phases.time('runtimeInit', initOrtRuntime);
        // A site's model is addressed by its folder path (not an id under localModelPath).
        const modelPath = spec.site ? folderPath(spec).replace(/\/$/, '') : spec.modelId;
        const sessionBefore = sessionCreateMs();
        const lm = await loadCausalLm(modelPath, {
          dtype: attempt.dtype,
          device: attempt.backend,
          localModelPath: modelRoot(spec.baseUrl),
          onTimed: (part, ms) => {
            if (part === 'tokenizer') return phases.add('tokenizer', ms);
            // The model's half: reading its files, then its session (timed in ort-runtime.ts).
            const session = sessionCreateMs() - sessionBefore;
            phases.add('session', session);
            phases.add('modelRead', ms - session);
          },
        });
        const opened = cache;
        return {
          lm,
          decoding,
          fusion,
          bytes: progress.bytes(),
          async settle(ok) {
            if (opened instanceof SiteModelCache) {
              if (ok) emit({ kind: 'cache', notice: { kind: 'hit', modelId: spec.modelId, version: opened.manifest.version, detail: `${opened.served.size} file(s) from IndexedDB (site model)`, bytes: opened.servedBytes } });
              opened.close();
            } else if (ok) await opened?.commit(); // manifest last: every file read, session created
            else await opened?.discard();
          },
        };
      } catch (e) {
        if (cache instanceof SiteModelCache) cache.close();
        else await cache?.discard();
        if (e instanceof SiteModelUnavailable) throw new EngineError('site-model-unavailable', e.message);
        throw e;
      } finally {
        // Hashing of files this load stored (a cold load's put) as well as the open's.
        phases.add('integrity', cache?.timing.hashMs ?? 0);
        active = null;
        env.useCustomCache = false;
        env.customCache = null;
      }
    },

    wrapModel(model: ForwardModel): ForwardModel {
      const hostKv = model.hostKv;
      return {
        forward: async (inputs: Record<string, unknown>) => (await yieldToEvents(), model.forward(inputs)),
        hostKv: hostKv ? { ...hostKv, run: async (feeds, fetches) => (await yieldToEvents(), hostKv.run(feeds, fetches)) } : null,
      } as ForwardModel;
    },

    deviceLost() {
      const webgpu = (env.backends.onnx as { webgpu?: { device?: Promise<{ lost?: Promise<{ message?: string; reason?: string }> }> } }).webgpu;
      return new Promise<string>((resolve) => {
        void Promise.resolve(webgpu?.device)
          .then((device) => device?.lost)
          .then((info) => {
            if (info) resolve(info.message || info.reason || 'GPU device lost');
          })
          .catch(() => undefined);
      });
    },
  };
}
