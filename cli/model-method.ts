/**
 * The trained medication model as a prediction method (`predict --method model`), plus the
 * Node-side helpers shared by `calibrate` and `model-report`: model-folder checks with one-line
 * errors, the decoding.json reader, a timed record-by-record decoder and percentiles.
 *
 * The model runs in Node on onnxruntime-node through transformers.js (device 'cpu'); the
 * prompt is `buildPrompt(record)` and decoding is constrained to the candidate list
 * (`recommendWithCausalLm`), so every name is an exact candidate entry by construction.
 *
 * transformers.js is imported lazily (inside `loadModel`), so registering the method costs the
 * baseline CLIs nothing.
 */
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { CDrugRedRecord } from '../src/clinical/record.ts';
import type { Formulary } from '../src/clinical/formulary.ts';
import { DEFAULT_BEAM_WIDTH } from '../src/decoding/policy.ts';
import type { DecodeResult } from '../src/decoding/types.ts';
import { DTYPE_FILE, REQUIRED_FILES, type ModelDtype as FolderDtype } from '../src/model-folder/format.ts';
import { verifyFolder } from '../src/model-folder/node-folder.ts';
import { safetyFormulary, type WithheldDrug } from '../src/clinical/withhold.ts';
import type { CandidateTrie } from '../src/decoding/trie.ts';
import type { LoadedCausalLm } from '../src/decoding/load-causal-lm.ts';
import type { RecordRecommendation } from '../src/decoding/recommend-record.ts';
import {
  DECODING_CONFIG_FILE,
  DecodingConfigError,
  parseDecodingConfig,
  type DecodingConfig,
} from '../src/decoding/decoding-config.ts';
import { FUSION_FILE, parseFusionWeights, type FusionWeights } from '../src/decoding/evidence-fusion.ts';
import { CliError, UsageError, readJsonFile, round } from './cli-support.ts';
import { registerMethod, type CliRecommender } from './methods.ts';
import { percentile } from './percentile.ts';

export const DEFAULT_MODEL_DIR = 'models/dischargerx-small';
export const DEFAULT_DTYPE: ModelDtype = 'q8';
export const DEFAULT_BEAM = DEFAULT_BEAM_WIDTH;

/** The dtypes the CLI decodes (the folder format knows more: src/model-folder/format.ts). */
export type ModelDtype = Extract<FolderDtype, 'fp32' | 'q8' | 'q4' | 'fp16'>;
export const DTYPES: readonly ModelDtype[] = ['fp32', 'q8', 'q4', 'fp16'];
/** dtype → file under MODEL/onnx/ (from the folder format). */
export const DTYPE_FILES: Readonly<Record<ModelDtype, string>> = Object.fromEntries(
  DTYPES.map((d) => [d, DTYPE_FILE[d].slice('onnx/'.length)]),
) as Record<ModelDtype, string>;

export function parseDtype(value: string): ModelDtype {
  if ((DTYPES as readonly string[]).includes(value)) return value as ModelDtype;
  throw new UsageError(`--dtype must be one of ${DTYPES.join('|')}, got "${value}"`);
}

export function parseBeam(value: string, flag = '--beam'): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new UsageError(`${flag} must be an integer from 1 to 64, got "${value}"`);
  return n;
}

export function parseThreshold(value: string, flag = '--threshold'): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1) throw new UsageError(`${flag} must be a number in [0, 1], got "${value}"`);
  return n;
}

export function parseLimit(value: string, flag = '--limit'): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} must be a positive integer, got "${value}"`);
  return n;
}

/** Size of an ONNX file plus its external-data companion (`X.onnx_data`), in bytes. */
function onnxBytes(path: string): number {
  let bytes = statSync(path).size;
  for (const extra of [`${path}_data`, `${path}.data`]) if (existsSync(extra)) bytes += statSync(extra).size;
  return bytes;
}

export interface ModelFolder {
  /** As given. */
  dir: string;
  /** Absolute path (what transformers.js gets). */
  absDir: string;
  dtype: ModelDtype;
  /** MODEL/onnx/<file> for the dtype. */
  onnxPath: string;
  /** Bytes of the weights file(s) for the dtype. */
  onnxBytes: number;
}

/** dtypes whose ONNX file exists in the folder. */
export function availableDtypes(dir: string): ModelDtype[] {
  return DTYPES.filter((d) => existsSync(join(dir, 'onnx', DTYPE_FILES[d])));
}

/** Check a model folder for `dtype` (config.json, tokenizer.json, onnx file) or throw a one-line CliError. */
export function resolveModelFolder(dir: string, dtype: ModelDtype): ModelFolder {
  if (!existsSync(dir)) throw new CliError(`${dir}: model folder not found`);
  if (!statSync(dir).isDirectory()) throw new CliError(`${dir}: is not a folder (expected a model folder with config.json and onnx/)`);
  if (!existsSync(join(dir, 'config.json'))) throw new CliError(`${dir}: not a model folder (no config.json)`);
  if (!existsSync(join(dir, 'tokenizer.json'))) throw new CliError(`${dir}: not a model folder (no tokenizer.json)`);
  const onnxPath = join(dir, 'onnx', DTYPE_FILES[dtype]);
  if (!existsSync(onnxPath)) {
    const have = availableDtypes(dir);
    throw new CliError(
      `${onnxPath}: not found, no ${dtype} weights in ${dir} (available dtypes: ${have.length ? have.join(', ') : 'none'})`,
    );
  }
  return { dir, absDir: resolve(dir), dtype, onnxPath, onnxBytes: onnxBytes(onnxPath) };
}

/** MODEL/decoding.json parsed, or null when absent. A malformed file is a one-line CliError. */
export async function readDecodingConfig(dir: string): Promise<DecodingConfig | null> {
  const path = join(dir, DECODING_CONFIG_FILE);
  if (!existsSync(path)) return null;
  const json = await readJsonFile(path);
  try {
    return parseDecodingConfig(json, path);
  } catch (e) {
    if (e instanceof DecodingConfigError) throw new CliError(e.message);
    throw e;
  }
}

/** MODEL/fusion.json (evidence-fusion weights, `npm run fit-fusion`), or null when absent. */
export async function readFusionWeights(dir: string): Promise<FusionWeights | null> {
  const path = join(dir, FUSION_FILE);
  if (!existsSync(path)) return null;
  const json = await readJsonFile(path);
  try {
    return parseFusionWeights(json, path);
  } catch (e) {
    throw new CliError((e as Error).message);
  }
}

export interface LoadedModel extends LoadedCausalLm {
  folder: ModelFolder;
  /** from_pretrained wall time (model + tokenizer), ms. */
  loadMs: number;
  dispose(): Promise<void>;
}

/**
 * Load model + tokenizer on onnxruntime-node (device 'cpu'), timed. A folder with a manifest.json
 * (written by training's export) is verified first: the files this load reads must match it in
 * size and SHA-256, or the load stops with a one-line integrity error (altered weights still
 * parse and would silently change every list).
 */
export async function loadModel(folder: ModelFolder): Promise<LoadedModel> {
  try {
    await verifyFolder(folder.dir, [...REQUIRED_FILES, DTYPE_FILE[folder.dtype]]);
  } catch (e) {
    throw new CliError(`${folder.dir}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const { loadCausalLm } = await import('../src/decoding/load-causal-lm.ts');
  const t0 = performance.now();
  let loaded: LoadedCausalLm;
  try {
    loaded = await loadCausalLm(folder.absDir, { dtype: folder.dtype, device: 'cpu' });
  } catch (e) {
    throw new CliError(`${folder.dir}: cannot load the ${folder.dtype} model (${e instanceof Error ? e.message : String(e)})`);
  }
  const loadMs = performance.now() - t0;
  return {
    ...loaded,
    folder,
    loadMs,
    dispose: async () => {
      await loaded.model.dispose();
    },
  };
}

export interface DecodeSettings {
  beamWidth: number;
  /** undefined = natural mode (no threshold). */
  stopThreshold: number | undefined;
  minConfidence: number;
  minDrugs: number;
  maxDrugs?: number;
  /**
   * Safety masking (src/clinical/withhold.ts): drugs the note rules out are never emitted and
   * come back in `withheld`; one drug per duplication group. Default true; `--no-safety` = false.
   */
  safety?: boolean;
  /** Evidence fusion (src/decoding/evidence-fusion.ts); null/absent = the search alone. */
  fusion?: FusionWeights | null;
}

/** Where each decoding setting came from, for the log line. */
export interface SettingsSource {
  beamWidth: string;
  stopThreshold: string;
  minConfidence: string;
}

/**
 * Defaults: flags/options first, then MODEL/decoding.json, then beam 4 / no threshold /
 * no confidence floor.
 */
export function resolveSettings(
  config: DecodingConfig | null,
  overrides: { beamWidth?: number | undefined; stopThreshold?: number | undefined; minConfidence?: number | undefined; maxDrugs?: number | undefined },
): { settings: DecodeSettings; source: SettingsSource } {
  const src = (flag: boolean, fromConfig: boolean) => (flag ? 'flag' : fromConfig ? DECODING_CONFIG_FILE : 'default');
  const settings: DecodeSettings = {
    beamWidth: overrides.beamWidth ?? config?.beamWidth ?? DEFAULT_BEAM,
    stopThreshold: overrides.stopThreshold ?? config?.stopThreshold,
    minConfidence: overrides.minConfidence ?? config?.minConfidence ?? 0,
    minDrugs: config?.minDrugs ?? 1,
  };
  const maxDrugs = overrides.maxDrugs ?? config?.maxDrugs;
  if (maxDrugs !== undefined) settings.maxDrugs = maxDrugs;
  return {
    settings,
    source: {
      beamWidth: src(overrides.beamWidth !== undefined, config !== null),
      stopThreshold: src(overrides.stopThreshold !== undefined, config !== null),
      minConfidence: src(overrides.minConfidence !== undefined, config !== null),
    },
  };
}

export interface TimedDecode {
  /** Each record's cut list, its search before fusion (`search`) and, with fusion, each drug's support. */
  results: (DecodeResult & Pick<RecordRecommendation, 'withheld' | 'search' | 'fusedTrajectory' | 'fused'>)[];
  /** Per-record wall time (prompt build + tokenise + constrained decode), ms. */
  latenciesMs: number[];
  /** The first record decoded once before timing (excluded from latenciesMs), ms; 0 if none. */
  warmupMs: number;
  trie: CandidateTrie | null;
}

/**
 * Decode records one at a time (sequentially, so latencies are per record and not
 * interleaved). With `warmup` the first record is decoded once untimed first, so the
 * one-off session/JIT start-up does not land in the percentiles.
 */
export async function decodeRecords(
  loaded: LoadedModel,
  records: readonly CDrugRedRecord[],
  candidates: readonly string[],
  settings: DecodeSettings,
  opts: { warmup?: boolean; onProgress?: (done: number, total: number) => void; formulary?: Formulary } = {},
): Promise<TimedDecode> {
  const formulary = opts.formulary;
  const { decodeWithPolicy } = await import('../src/engine/decode-policy.ts');
  const { decodingModel } = await import('../src/decoding/load-causal-lm.ts');
  const model = decodingModel(loaded);
  // The one policy (src/engine/decode-policy.ts: search without early stopping, then cut), the
  // same code the browser's ModelEngine runs, so the CLI, the page and the batch agree.
  const one = async (r: CDrugRedRecord) => {
    const res = await decodeWithPolicy({
      model,
      tokenizer: loaded.tokenizer,
      record: r as unknown as Record<string, unknown>,
      safety: settings.safety ?? true,
      fusion: settings.fusion ?? null,
      ...(formulary ? { formulary } : {}),
      candidates,
      config: settings,
    });
    return { ...res, drugs: res.drugs.map((d) => ({ name: d.name, confidence: d.confidence })) };
  };
  let warmupMs = 0;
  if (opts.warmup && records.length > 0) {
    const t0 = performance.now();
    await one(records[0]!);
    warmupMs = performance.now() - t0;
  }
  const results: TimedDecode['results'] = [];
  const latenciesMs: number[] = [];
  let trie: CandidateTrie | null = null;
  for (const [i, r] of records.entries()) {
    const t0 = performance.now();
    const res = await one(r);
    latenciesMs.push(performance.now() - t0);
    trie = res.trie;
    const { trie: _t, prompt: _p, cut: _c, ...rest } = res;
    results.push(rest);
    opts.onProgress?.(i + 1, records.length);
  }
  return { results, latenciesMs, warmupMs, trie };
}

export { percentile };

export function latencySummary(latenciesMs: readonly number[]): { p50: number; p95: number; mean: number; n: number } {
  const n = latenciesMs.length;
  return {
    p50: percentile(latenciesMs, 50),
    p95: percentile(latenciesMs, 95),
    mean: n === 0 ? Number.NaN : latenciesMs.reduce((a, b) => a + b, 0) / n,
    n,
  };
}

export function formatMb(bytes: number): string {
  return (bytes / 1e6).toFixed(bytes < 1e6 ? 3 : 1);
}

/** Progress to stderr every ~10% for runs of more than 20 records. */
export function progressLogger(log: (m: string) => void, what: string): (done: number, total: number) => void {
  let next = -1;
  return (done, total) => {
    if (total <= 20) return;
    const step = Math.max(1, Math.ceil(total / 10));
    if (next < 0) next = step;
    if (done >= next || done === total) {
      log(`${what}: ${done}/${total}`);
      next = done + step;
    }
  };
}

/** A recommender that reports extra run statistics (timings) after predicting. */
export interface ReportingRecommender extends CliRecommender {
  runReport(): string[];
}

export function hasRunReport(r: CliRecommender): r is ReportingRecommender {
  return typeof (r as Partial<ReportingRecommender>).runReport === 'function';
}

/** Keys `predict` forwards from its top-level flags (--model, --dtype, --threshold, --beam). */
export const MODEL_OPTION_KEYS = ['model', 'dtype', 'threshold', 'beam', 'minConfidence', 'maxDrugs', 'fusion'] as const;

registerMethod('model', {
  description:
    'trained medication model (ONNX, constrained decoding over the candidate list); --model DIR, --dtype fp32|q8|q4|fp16, --threshold t, --beam B',
  needsTrain: false,
  options: MODEL_OPTION_KEYS,
  async create(ctx) {
    const o = ctx.options;
    const dir = o['model'] ?? DEFAULT_MODEL_DIR;
    const dtype = o['dtype'] !== undefined ? parseDtype(o['dtype']) : DEFAULT_DTYPE;
    const folder = resolveModelFolder(dir, dtype);
    const config = await readDecodingConfig(dir);
    const { settings, source } = resolveSettings(config, {
      beamWidth: o['beam'] !== undefined ? parseBeam(o['beam']) : undefined,
      stopThreshold: o['threshold'] !== undefined ? parseThreshold(o['threshold']) : undefined,
      minConfidence: o['minConfidence'] !== undefined ? parseThreshold(o['minConfidence'], '--opt minConfidence') : undefined,
      maxDrugs: o['maxDrugs'] !== undefined ? parseBeam(o['maxDrugs'], '--opt maxDrugs') : undefined,
    });
    if (config?.calibratedOn && config.calibratedOn.dtype !== dtype && o['threshold'] === undefined) {
      ctx.log(`note: ${DECODING_CONFIG_FILE} was calibrated on dtype ${config.calibratedOn.dtype}, decoding ${dtype}`);
    }
    settings.safety = ctx.safety !== false;
    if (o['fusion'] !== undefined && o['fusion'] !== 'on' && o['fusion'] !== 'off') throw new UsageError(`--opt fusion must be on or off, not "${o['fusion']}"`);
    settings.fusion = o['fusion'] === 'off' ? null : await readFusionWeights(dir);
    const facts = safetyFormulary(ctx.formulary);
    const loaded = await loadModel(folder);
    const candidates = ctx.formulary.names;
    let timing: TimedDecode | null = null;

    const describe = () =>
      `model ${dir}, dtype ${dtype}, beam ${settings.beamWidth} (${source.beamWidth}), stopThreshold ${settings.stopThreshold ?? 'none'} (${source.stopThreshold}), minConfidence ${settings.minConfidence} (${source.minConfidence})${settings.maxDrugs !== undefined ? `, maxDrugs ${settings.maxDrugs}` : ''}, safety ${settings.safety ? 'on' : 'off (--no-safety)'}, evidence fusion ${settings.fusion ? 'on' : 'off'}`;
    const rec: ReportingRecommender = {
      name: 'model',
      describe,
      async predict(record) {
        const t = await decodeRecords(loaded, [record], candidates, settings, { formulary: facts });
        return t.results[0]!.drugs.map((d) => d.name);
      },
      async predictBatch(records) {
        timing = await decodeRecords(loaded, records, candidates, settings, {
          warmup: records.length > 1,
          onProgress: progressLogger(ctx.log, 'decoded'),
          formulary: facts,
        });
        await loaded.dispose();
        return timing.results.map((r) => r.drugs.map((d) => d.name));
      },
      runReport() {
        const lines = [
          `model ${dir}: dtype ${dtype} (${folder.onnxPath}, ${formatMb(folder.onnxBytes)} MB), load ${round(loaded.loadMs, 0)} ms`,
        ];
        if (timing) {
          const l = latencySummary(timing.latenciesMs);
          lines.push(
            `latency per record: p50 ${round(l.p50, 1)} ms, p95 ${round(l.p95, 1)} ms, mean ${round(l.mean, 1)} ms (n=${l.n}, excluding model load${timing.warmupMs > 0 ? ` and one ${round(timing.warmupMs, 0)} ms warm-up decode` : ''})`,
          );
          const excluded = timing.trie?.excluded.length ?? 0;
          if (excluded > 0) lines.push(`${excluded} of ${candidates.length} candidate names cannot be written by this tokenizer (excluded from decoding)`);
        }
        return lines;
      },
    };
    return rec;
  },
});
