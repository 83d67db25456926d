/**
 * ModelEngine: the whole inference contract in one class, with no DOM, no React and no worker
 * globals, so it runs (and is unit-tested) in Node over the real shipped model:
 *
 * - load: the backend plan (src/worker/backend-plan.ts, the ONE plan, WASM fallback included),
 *   then the host opens the weights (browser: IndexedDB cache + integrity check; Node: the
 *   folder, verified against its manifest), the candidate trie and a warm-up decode;
 * - the candidate list: set at load or by `setCandidates`, never sent with a request;
 * - recommend: the one decoding policy (./decode-policy.ts: search, then cut with the model's
 *   calibrated settings) with safety masking; the result carries the trajectory so a page can
 *   re-cut it without running the model;
 * - inspect, dispose.
 *
 * One attempt per engine: after a failed WebGPU session transformers.js' init chain stays
 * rejected, so a WebGPU failure is an EngineError('webgpu-failed') carrying the plan's WASM
 * attempt; the client loads exactly that in a fresh worker (src/engine/client.ts).
 * Every error thrown is an EngineError (./errors.ts).
 */
import { Formulary } from '../clinical/formulary.ts';
import { candidateMappingFor } from '../clinical/candidate-list.ts';
import { PROMPT_SPEC } from '../clinical/prompt.ts';
import { candidateTrieFor, resolveFormatTokens, type ForwardModel, type TokenizerLike } from '../decoding/causal-lm.ts';
import type { DecodingConfig } from '../decoding/decoding-config.ts';
import type { FusionWeights } from '../decoding/evidence-fusion.ts';
import { decodingModel, type LoadedCausalLm } from '../decoding/load-causal-lm.ts';
import type { CandidateTrie } from '../decoding/trie.ts';
import { classifyLoadError, fallbackAttempt, planBackends } from './backend-plan.ts';
import type { WebGpuProbe } from './capabilities.ts';
import { decodeWithPolicy } from './decode-policy.ts';
import { EngineError, errorMessage } from './errors.ts';
import { PhaseClock } from './load-phases.ts';
import type {
  BackendAttempt,
  CandidateReport,
  DecodeSettings,
  EngineEvent,
  EngineInfo,
  LoadProgress,
  LoadRequest,
  RecommendResult,
} from './protocol.ts';

export type LoadSpec = Omit<LoadRequest, 'type' | 'id'>;

export interface OpenedModel {
  lm: LoadedCausalLm;
  /** The folder's decoding.json, parsed; null when it has none (uncalibrated). */
  decoding: DecodingConfig | null;
  /** The folder's fusion.json (evidence fusion), checked; null when it has none. */
  fusion: FusionWeights | null;
  /** Bytes read for this load (downloaded or from a cache). */
  bytes: number;
  /** Called once: true after the whole load (warm-up included) worked, false when it failed. */
  settle?(ok: boolean): Promise<void>;
}

export interface LoadContext {
  signal: AbortSignal;
  onProgress: (p: LoadProgress) => void;
}

/** What the host's open() gets: the load's context and the clock its steps are timed on. */
export interface OpenContext extends LoadContext {
  phases: PhaseClock;
}

/** What differs between the browser worker and Node: probing, opening weights, threads. */
export interface EngineHost {
  /** WebGPU probe; null where there is no WebGPU API (Node). */
  probe(): Promise<WebGpuProbe | null>;
  /**
   * Opens tokenizer + model for `attempt`; throws on a missing / altered / unloadable folder.
   * Times its steps on ctx.phases (EngineInfo.loadPhases).
   */
  open(attempt: BackendAttempt, spec: LoadSpec, ctx: OpenContext): Promise<OpenedModel>;
  numThreads(): number;
  /** The onnxruntime build, for EngineInfo.runtime. */
  runtime(): string;
  /** Wraps the model so queued messages (abort, ping) are handled between model calls (worker). */
  wrapModel?(model: ForwardModel): ForwardModel;
  /** Resolves with a detail when the WebGPU device is lost (worker on WebGPU only). */
  deviceLost?(): Promise<string>;
}

interface Loaded {
  spec: LoadSpec;
  lm: LoadedCausalLm;
  attempt: BackendAttempt;
  plan: BackendAttempt[];
  decoding: DecodingConfig | null;
  fusion: FusionWeights | null;
  info: EngineInfo;
  deviceLost: string | null;
}

/** A short made-up record: compiles the shaders / wasm paths once before the first user request. */
const WARMUP_RECORD = { 性别: '男', 出生日期: '1960-01-01', 就诊时间: '2023-01-01', 主诉: '口干多饮', 出院诊断: ['2型糖尿病'] };

function checkAborted(signal: AbortSignal, what: string): void {
  if (signal.aborted) throw new EngineError('aborted', `${what} aborted`);
}

function checkList(list: unknown): asserts list is string[] {
  if (!Array.isArray(list) || !list.every((c) => typeof c === 'string')) {
    throw new EngineError('invalid-request', 'candidates must be an array of strings');
  }
}

/** The decoder defaults the page shows and re-cuts with (decoding.json's settings). */
function settingsOf(cfg: DecodingConfig | null): DecodeSettings {
  if (!cfg) return {};
  const s: DecodeSettings = { stopThreshold: cfg.stopThreshold, minConfidence: cfg.minConfidence, beamWidth: cfg.beamWidth };
  if (cfg.minDrugs !== undefined) s.minDrugs = cfg.minDrugs;
  if (cfg.maxDrugs !== undefined) s.maxDrugs = cfg.maxDrugs;
  return s;
}

export class ModelEngine {
  private current: Loaded | null = null;
  /** null = the bundled formulary. */
  private candidates: readonly string[] | null = null;

  constructor(
    private readonly host: EngineHost,
    /** Unsolicited events: logs, cache notices (the host's), backend changes. */
    private readonly emit: (event: EngineEvent) => void = () => undefined,
  ) {}

  get info(): EngineInfo | null {
    return this.current?.info ?? null;
  }

  private list(): readonly string[] {
    return this.candidates ?? Formulary.bundled().names;
  }

  /** Trie of `list` for this tokenizer (memoised in src/decoding) and its report for the page. */
  private trie(tokenizer: TokenizerLike, list: readonly string[], modelId: string): { trie: CandidateTrie; report: CandidateReport } {
    const format = resolveFormatTokens(tokenizer, PROMPT_SPEC.target);
    // The trie is over the model's names for the list's entries (as the decode searches).
    const trie = candidateTrieFor(tokenizer, candidateMappingFor(list).decodeNames, format);
    const unk = trie.excluded.filter((x) => x.reason === 'unk');
    const examples = [...unk, ...trie.excluded.filter((x) => x.reason !== 'unk')].slice(0, 8).map((x) => ({ name: x.name, reason: x.reason }));
    return {
      trie,
      report: { modelId, total: list.length, usable: trie.included.length, unk: unk.length, excluded: trie.excluded.length, examples },
    };
  }

  async load(spec: LoadSpec, ctx: LoadContext): Promise<EngineInfo> {
    const { signal } = ctx;
    if (spec.candidates !== undefined) {
      checkList(spec.candidates);
      this.candidates = spec.candidates;
    }
    const t0 = performance.now();
    const phases = new PhaseClock();
    let last: LoadProgress = { phase: 'probe', loaded: 0, total: 0 };
    const progress = (p: LoadProgress) => {
      last = p;
      ctx.onProgress(p);
    };
    progress(last);
    const probe = spec.backend === 'wasm' ? null : await phases.time('probe', () => this.host.probe());
    const plan = planBackends({ preference: spec.backend, probe, files: spec.files, dtype: spec.dtype });
    const attempt = plan[0]!;
    let opened: OpenedModel | undefined;
    try {
      opened = await this.host.open(attempt, spec, { signal, onProgress: progress, phases });
      checkAborted(signal, 'load');
      const loadMs = performance.now() - t0;
      const { lm, decoding, fusion } = opened;
      const trieAt = performance.now();
      const { trie, report } = this.trie(lm.tokenizer, this.list(), spec.modelId);
      phases.add('trie', performance.now() - trieAt);
      let warmupMs = 0;
      if (!spec.skipWarmup && trie.included.length > 0) {
        progress({ ...last, phase: 'warmup', backend: attempt.backend });
        const w0 = performance.now();
        // Warm-up only compiles kernels: a short greedy decode, not the policy.
        await decodeWithPolicy({
          model: this.model(lm),
          tokenizer: lm.tokenizer,
          record: WARMUP_RECORD,
          candidates: candidateMappingFor(this.list()).decodeNames,
          config: { beamWidth: 1, maxDrugs: 2 },
          signal,
        });
        warmupMs = performance.now() - w0;
        phases.add('warmup', warmupMs);
      }
      checkAborted(signal, 'load');
      await opened.settle?.(true);
      const info: EngineInfo = {
        modelId: spec.modelId,
        backend: attempt.backend,
        dtype: attempt.dtype,
        reason: spec.fallbackReason ?? attempt.reason,
        adapter: probe?.available ? probe.adapter : null,
        numThreads: this.host.numThreads(),
        runtime: this.host.runtime(),
        loadMs,
        warmupMs,
        loadPhases: phases.snapshot(),
        bytes: opened.bytes,
        decoding: settingsOf(decoding),
        calibrated: decoding !== null,
        excludedCandidates: trie.excluded.length,
        candidateReport: report,
      };
      const old = this.current;
      this.current = { spec, lm, attempt, plan, decoding, fusion, info, deviceLost: null };
      if (old && old.lm !== lm) await disposeLm(old.lm);
      if (attempt.backend === 'webgpu') this.watchDeviceLoss(this.current);
      return info;
    } catch (e) {
      await opened?.settle?.(false).catch(() => undefined);
      if (opened) await disposeLm(opened.lm);
      if (e instanceof EngineError) throw e;
      if (signal.aborted) throw new EngineError('aborted', 'load aborted');
      if (isIntegrityFailure(e)) throw new EngineError('load-failed', errorMessage(e));
      const code = classifyLoadError(e);
      // A missing model file is missing on every backend: stop here.
      if (code === 'model-not-found' || attempt.backend !== 'webgpu') throw new EngineError(code, errorMessage(e));
      this.emit({ kind: 'log', level: 'warn', message: `WebGPU failed, falling back to WASM: ${errorMessage(e)}` });
      throw new EngineError('webgpu-failed', errorMessage(e), fallbackAttempt(plan, { code: 'webgpu-session-failed', detail: errorMessage(e) }));
    }
  }

  /** One decoding model per loaded LM, so the host-KV arenas are reused from note to note. */
  private readonly models = new WeakMap<LoadedCausalLm, ForwardModel>();

  private model(lm: LoadedCausalLm): ForwardModel {
    let m = this.models.get(lm);
    if (!m) {
      m = this.host.wrapModel ? this.host.wrapModel(decodingModel(lm)) : decodingModel(lm);
      this.models.set(lm, m);
    }
    return m;
  }

  private watchDeviceLoss(loaded: Loaded): void {
    void this.host.deviceLost?.().then((detail) => {
      if (this.current !== loaded) return;
      loaded.deviceLost = detail;
      this.emit({ kind: 'log', level: 'warn', message: `WebGPU device lost: ${detail}` });
    });
  }

  private loaded(): Loaded {
    if (!this.current) throw new EngineError('not-loaded', 'the model is not loaded');
    return this.current;
  }

  /** Replaces the candidate list (null: the bundled formulary); reports how it fits the tokenizer. */
  setCandidates(list: readonly string[] | null): CandidateReport | null {
    if (list !== null) checkList(list);
    this.candidates = list;
    return this.current ? this.inspect() : null;
  }

  /** How `list` (default: the current list) fits the loaded model's tokenizer; no decode. */
  inspect(list?: readonly string[]): CandidateReport {
    const l = this.loaded();
    if (list !== undefined) checkList(list);
    return this.trie(l.lm.tokenizer, list ?? this.list(), l.spec.modelId).report;
  }

  /** One recommendation with the one policy over the current candidate list. */
  async recommend(record: Record<string, unknown>, opts: { safety?: boolean; signal?: AbortSignal } = {}): Promise<RecommendResult> {
    const l = this.loaded();
    const signal = opts.signal ?? new AbortController().signal;
    if (l.deviceLost !== null) {
      throw new EngineError('webgpu-failed', `WebGPU device lost: ${l.deviceLost}`, fallbackAttempt(l.plan, { code: 'device-lost', detail: l.deviceLost }));
    }
    if (typeof record !== 'object' || record === null || Array.isArray(record)) {
      throw new EngineError('invalid-request', 'record must be an object');
    }
    const list = this.list();
    const { report } = this.trie(l.lm.tokenizer, list, l.spec.modelId);
    if (report.usable === 0) {
      const eg = report.examples.slice(0, 3).map((x) => x.name).join(', ');
      throw new EngineError('no-candidates', `the model's tokenizer can write none of the ${report.total} candidate names${eg ? ` (e.g. ${eg})` : ''}`);
    }
    // Decode in the model's names, answer in the list's spelling (src/clinical/candidate-list.ts).
    const mapping = candidateMappingFor(list);
    const t0 = performance.now();
    try {
      const r = await decodeWithPolicy({
        model: this.model(l.lm),
        tokenizer: l.lm.tokenizer,
        record,
        candidates: mapping.decodeNames,
        config: l.decoding,
        fusion: l.fusion,
        safety: opts.safety !== false,
        signal,
        toList: (n) => mapping.toList(n) ?? undefined,
      });
      return {
        drugs: r.drugs.map((d) => ({ name: d.name, confidence: d.confidence })),
        trajectory: r.trajectory.map((d) => ({ name: d.name, confidence: d.confidence })),
        stopProbabilities: r.stopProbabilities,
        applied: { stopThreshold: r.cut.stopThreshold, minConfidence: r.cut.minConfidence, minDrugs: r.cut.minDrugs },
        backend: l.attempt.backend,
        dtype: l.attempt.dtype,
        inferenceMs: performance.now() - t0,
        steps: r.steps,
        finishReason: r.finishReason,
        promptTokens: l.lm.tokenizer.encode(r.prompt).length,
        candidates: report,
        withheld: r.withheld,
      };
    } catch (err) {
      if (signal.aborted) throw new EngineError('aborted', 'recommendation aborted');
      if (err instanceof EngineError) throw err;
      if (l.attempt.backend !== 'webgpu') throw new EngineError('inference-failed', errorMessage(err));
      // WebGPU failed mid-run (device lost, out of memory, kernel error): the client reloads on
      // the plan's WASM attempt in a fresh worker and retries once.
      throw new EngineError(
        'webgpu-failed',
        errorMessage(err),
        fallbackAttempt(l.plan, { code: l.deviceLost ? 'device-lost' : 'webgpu-session-failed', detail: l.deviceLost ?? errorMessage(err) }),
      );
    }
  }

  async dispose(): Promise<void> {
    const old = this.current;
    this.current = null;
    await disposeLm(old?.lm);
  }
}

async function disposeLm(lm: LoadedCausalLm | undefined): Promise<void> {
  try {
    await lm?.model.dispose();
  } catch {
    /* best effort */
  }
}

/** IntegrityError from src/model-folder/format.ts, also when transformers.js re-wraps it. */
function isIntegrityFailure(e: unknown): boolean {
  return e instanceof Error && (e.name === 'IntegrityError' || e.message.includes('integrity check failed'));
}
