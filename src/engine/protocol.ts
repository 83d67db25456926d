/**
 * Messages between the page (EngineClient, ./client.ts) and the model worker
 * (src/worker/engine.worker.ts). Plain structured-cloneable data only.
 *
 * Every request carries a numeric `id`; every reply to it carries the same id. `abort` names the
 * id of the request to stop. One event channel (`type: 'event'`) carries load progress (with the
 * load's id), cache notices and logs. The candidate list travels once: with `load`, or in a
 * `candidates` message when the selection changes — never with each recommendation. `ping` is
 * answered at once (`pong`): the client's liveness check (src/engine/client.ts).
 */
import type { WithheldDrug } from '../clinical/withhold.ts';

/**
 * What the user / URL asks for. 'auto' = WebGPU on a hardware adapter, else WASM (a software
 * adapter such as SwiftShader counts as no GPU: WASM is much faster than WebGPU emulated on the CPU).
 */
export type BackendPreference = 'auto' | 'webgpu' | 'wasm';
/** What actually runs. */
export type Backend = 'webgpu' | 'wasm';
// The model-folder format (dtype → file) lives at the bottom of the house; re-exported here for
// the engine's callers.
export { DTYPE_FILE, MODEL_DTYPES, type ModelDtype } from '../model-folder/format.ts';
import type { ModelDtype } from '../model-folder/format.ts';
import type { CacheNotice } from '../storage/notices.ts';

/**
 * Why the backend / dtype that runs was chosen. Not errors: the engine always falls back to
 * WASM. The UI shows a sentence for each.
 */
export type BackendReasonCode =
  | 'webgpu-ok' // WebGPU adapter found and the session works
  | 'webgpu-software' // WebGPU asked for explicitly and running on a software adapter (no GPU; slow)
  | 'forced-wasm' // the user / URL asked for WASM
  | 'software-adapter' // auto: the only WebGPU adapter is a software / fallback one (no GPU), so WASM
  | 'no-webgpu-api' // navigator.gpu is missing (browser or flags)
  | 'no-adapter' // requestAdapter() returned null or threw
  | 'webgpu-session-failed' // creating the WebGPU session or the warm-up failed
  | 'device-lost' // the GPU device was lost; reloaded on WASM
  | 'no-webgpu-weights'; // the model folder has no weights file WebGPU can run

export interface BackendReason {
  code: BackendReasonCode;
  /** Technical detail (error message, adapter description) for the tooltip / logs. */
  detail?: string;
}

/** One entry of the worker's backend plan (src/worker/backend-plan.ts): what to try and why. */
export interface BackendAttempt {
  backend: Backend;
  dtype: ModelDtype;
  reason: BackendReason;
}

/** A WebGPU adapter as probed (./capabilities.ts). */
export interface AdapterSummary {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  shaderF16: boolean;
  /** True for software adapters (SwiftShader, "fallback adapter"). */
  isFallback: boolean;
}

/** Decoder settings a request may override (defaults: the model's decoding.json, else the decoder's). */
export interface DecodeSettings {
  beamWidth?: number;
  stopThreshold?: number;
  minConfidence?: number;
  minDrugs?: number;
  maxDrugs?: number;
}

// ---- requests (page → worker) -----------------------------------------------------------

export interface LoadRequest {
  type: 'load';
  id: number;
  /**
   * Folder name under `<baseUrl>models/` (a bundled model), or `site:<name>` for a site's own
   * model imported into IndexedDB (then `site` is set and nothing is fetched).
   */
  modelId: string;
  /** A site's own model: the stored version to load (src/storage/site-models.ts). */
  site?: { version: string };
  /** Candidate names for the warm-up and the load's candidate report; default: the bundled formulary. */
  candidates?: string[];
  /** Absolute URL of the app root (ends with '/'): models/ and ort/ are resolved against it. */
  baseUrl: string;
  backend: BackendPreference;
  /** Force a weights variant on every backend (parity checks); default: q4 on WebGPU, q8 on WASM. */
  dtype?: ModelDtype;
  /** Files the model folder ships (bundled-models list), used to pick an available dtype. */
  files?: string[];
  /** Sizes of those files (bytes), for the progress bar when the server sends no Content-Length. */
  fileSizes?: Record<string, number>;
  /**
   * Set by the client when it reloads on WASM after WebGPU failed in another worker: the reason
   * the loaded info reports.
   */
  fallbackReason?: BackendReason;
  /** Skip the warm-up decode (tests). */
  skipWarmup?: boolean;
  /**
   * WASM threads to ask onnxruntime-web for (`?threads=N`: the bench and the tests); default: the
   * worker's own choice (src/runtime-options.ts). Honoured only on a cross-origin-isolated page,
   * and only by a worker's first load: the runtime fixes its thread pool when it starts.
   */
  wasmThreads?: number;
}

/**
 * One recommendation with the engine's one decoding policy (src/decoding/policy.ts: search
 * without stopping early, then cut with the model's calibrated settings), over the candidate
 * list set at load / by `candidates`. No decoding settings: the page only re-cuts the returned
 * trajectory.
 */
export interface RecommendRequest {
  type: 'recommend';
  id: number;
  /** A CDrugRed record (or any object with its fields); the engine builds the prompt. */
  record: Record<string, unknown>;
  /** Safety masking (src/clinical/withhold.ts); default true. false = research (no mask). */
  safety?: boolean;
}

/** Replaces the engine's candidate list (null: the bundled formulary); answered with `inspected`. */
export interface CandidatesRequest {
  type: 'candidates';
  id: number;
  candidates: string[] | null;
}

/** Liveness: answered at once with `pong`, even while a decode runs (it yields between model calls). */
export interface PingRequest {
  type: 'ping';
  id: number;
}

export interface AbortRequest {
  type: 'abort';
  id: number;
  /** Id of the request to stop. */
  target: number;
}

export interface DisposeRequest {
  type: 'dispose';
  id: number;
}

/** Which names of a list (default: the engine's current list) the loaded model's tokenizer can write. */
export interface InspectRequest {
  type: 'inspect';
  id: number;
  candidates?: string[];
}

export type EngineRequest = LoadRequest | RecommendRequest | AbortRequest | DisposeRequest | InspectRequest | CandidatesRequest | PingRequest;

// ---- replies and events (worker → page) ----------------------------------------------------

export type LoadPhase = 'probe' | 'download' | 'session' | 'warmup';

export interface LoadProgress {
  phase: LoadPhase;
  /** File being downloaded (download phase). */
  file?: string;
  /** Bytes received so far over all files of this load. */
  loaded: number;
  /** Expected bytes over all files (0 when unknown). */
  total: number;
  /** Backend being tried in this phase. */
  backend?: Backend;
}

/**
 * Steps of one model load timed in the worker (EngineInfo.loadPhases), in the order they first
 * start. Durations, not a partition: some overlap (the tokenizer loads while the session is
 * created; the runtime may initialise while IndexedDB is read), and the probe / boot ones are
 * absent when they did not run (a WASM choice skips the probe; only a worker's first load pays
 * its boot).
 */
export const TIMED_LOAD_PHASES = [
  'workerStart', // the worker was created → its script starts running (fetch + compile of the bundle)
  'runtimeImport', // evaluating the bundle's modules (transformers.js, onnxruntime-web, the app's)
  'probe', // the WebGPU adapter probe
  'idbRead', // IndexedDB: open, manifest, file records (the integrity pass and the model's read); on WASM the runtime's wasm compiles alongside
  'integrity', // SHA-256 of the weights read from IndexedDB or downloaded
  'download', // fetching model files from the server (a cold load)
  'calibration', // decoding.json + fusion.json
  'runtimeInit', // onnxruntime-web: the rest of its wasm compile (started with the load), instantiate, runtime init
  'modelRead', // transformers.js reading config + weights into memory (from the cache or network)
  'session', // onnxruntime session creation for the model
  'tokenizer', // tokenizer load (alongside modelRead + session)
  'trie', // candidate trie over the candidate list
  'warmup', // the warm-up decode
] as const;
export type TimedLoadPhase = (typeof TIMED_LOAD_PHASES)[number];
/** ms per timed phase (see TIMED_LOAD_PHASES); a phase that did not run is absent. */
export type LoadPhaseTimings = Partial<Record<TimedLoadPhase, number>>;

export interface EngineInfo {
  modelId: string;
  backend: Backend;
  dtype: ModelDtype;
  reason: BackendReason;
  adapter: AdapterSummary | null;
  /** WASM threads (1 unless the page is crossOriginIsolated). */
  numThreads: number;
  /** The onnxruntime build that runs the model, e.g. "onnxruntime-web (JSPI)" or "onnxruntime-node". */
  runtime: string;
  /** Wall time of download + session creation, ms. */
  loadMs: number;
  /** Wall time of the warm-up decode, ms (0 when skipped). */
  warmupMs: number;
  /** The load, step by step (worker clock). */
  loadPhases: LoadPhaseTimings;
  /** Bytes downloaded during the load. */
  bytes: number;
  /** Effective decoder defaults (decoding.json merged over the decoder's). */
  decoding: DecodeSettings;
  /** True when the folder came with a decoding.json. */
  calibrated: boolean;
  /** Number of candidates that cannot be written by the model (unk chars, duplicates). */
  excludedCandidates: number;
  /** The same, in detail, for the load's candidates. */
  candidateReport?: CandidateReport;
}

/**
 * How a candidate list fits the loaded model's tokenizer (the trie is built with it): names it
 * cannot write are left out of the search, and the page tells the user.
 */
export interface CandidateReport {
  modelId: string;
  /** Names sent. */
  total: number;
  /** Names in the trie (the decoder can produce them). */
  usable: number;
  /** Names whose encoding contains the tokenizer's unknown token. */
  unk: number;
  /** Every name left out (unk, duplicates, empty, a format token inside). */
  excluded: number;
  /** Up to 8 left-out names, unknown-token ones first. */
  examples: { name: string; reason: string }[];
}

export interface RecommendedByModel {
  name: string;
  confidence: number;
}

export interface RecommendResult {
  drugs: RecommendedByModel[];
  /**
   * The best hypothesis before the stop threshold / confidence floor were applied, with the stop
   * probability at each drug boundary: the page re-applies another threshold to these ("fewer ↔
   * more drugs") without running the model again (see src/decoding/threshold.ts).
   */
  trajectory: RecommendedByModel[];
  stopProbabilities: number[];
  /** The stop threshold / confidence floor the worker applied to produce `drugs`. */
  applied: { stopThreshold: number | undefined; minConfidence: number; minDrugs: number };
  backend: Backend;
  dtype: ModelDtype;
  /** Decode wall time in the worker, ms. */
  inferenceMs: number;
  /** Model calls. */
  steps: number;
  finishReason: string;
  /** Prompt length in tokens. */
  promptTokens: number;
  /** How the candidate list of this request fits the tokenizer. */
  candidates: CandidateReport;
  /**
   * Candidates the note rules out, masked from the search (src/clinical/withhold.ts); empty with
   * safety off. Always set by this worker (optional only for stubs in tests).
   */
  withheld?: WithheldDrug[];
}

export type EngineErrorCode =
  | 'model-not-found' // a required model file answered 404
  | 'load-failed' // the model or tokenizer could not be loaded (corrupt file, no backend worked)
  | 'not-loaded' // recommend before a successful load
  | 'inference-failed'
  | 'invalid-request'
  | 'aborted'
  | 'worker-crashed' // the worker died, closed itself or stopped answering pings (client side only)
  | 'site-model-unavailable' // a site's own model is not in IndexedDB (removed) or fails verification
  | 'candidate-list-missing' // the selected site candidate list cannot be read (removed / corrupt)
  | 'no-candidates' // the model's tokenizer can write none of the candidate names
  /**
   * Internal, never shown: WebGPU failed (session, device lost, kernel error). transformers.js
   * chains every session creation / run of a worker on one promise, so after a failure that
   * worker cannot load or run anything; the client restarts it and loads on WASM.
   */
  | 'webgpu-failed';

export interface EngineErrorData {
  code: EngineErrorCode;
  message: string;
  /**
   * With 'webgpu-failed': the plan's WASM attempt (src/worker/backend-plan.ts), its reason saying
   * why WebGPU was left. The client loads exactly this in a fresh worker; it decides nothing.
   */
  fallback?: BackendAttempt;
}

export type EngineEvent =
  | { kind: 'progress'; progress: LoadProgress }
  | { kind: 'cache'; notice: Omit<CacheNotice, 'at'> }
  | { kind: 'backend-changed'; backend: Backend; dtype: ModelDtype; reason: BackendReason }
  | { kind: 'log'; level: 'info' | 'warn'; message: string };

export type EngineResponse =
  /** `id`: the request the event belongs to (a load's progress); absent for unsolicited events. */
  | { type: 'event'; id?: number; event: EngineEvent }
  | { type: 'pong'; id: number }
  | { type: 'loaded'; id: number; info: EngineInfo }
  | { type: 'result'; id: number; result: RecommendResult }
  | { type: 'disposed'; id: number }
  /** Reply to `inspect` and `candidates` (null: the list was set, no model is loaded to check it). */
  | { type: 'inspected'; id: number; report: CandidateReport | null }
  | { type: 'error'; id: number; error: EngineErrorData };

/** Narrowing guard for messages arriving from a worker (structured data, untrusted shape). */
export function isEngineResponse(x: unknown): x is EngineResponse {
  if (typeof x !== 'object' || x === null) return false;
  const t = (x as { type?: unknown }).type;
  if (t === 'event') return typeof (x as { event?: unknown }).event === 'object';
  return (
    (t === 'pong' || t === 'loaded' || t === 'result' || t === 'disposed' || t === 'inspected' || t === 'error') &&
    typeof (x as { id?: unknown }).id === 'number'
  );
}
