/**
 * The calibrated decoding settings of a model folder: `models/NAME/decoding.json`, written by
 * `npm run calibrate` and read for defaults by the Node CLI (`predict --method model`,
 * `model-report`) and the browser worker. Pure: no `node:` import — callers read the file and
 * pass the parsed JSON to `parseDecodingConfig`.
 *
 * {
 *   "version": "dischargerx-decoding-1",
 *   "stopThreshold": 0.42,          // continue the list iff P(continue) ≥ t (threshold mode)
 *   "minConfidence": 0.05,          // drop drugs with confidence < this
 *   "beamWidth": 4,
 *   "minDrugs": 1,                  // optional; the value the calibration assumed
 *   "maxDrugs": 14,                 // optional; cap the trajectories were recorded with (decode with the same)
 *   "calibratedOn": { "file", "visits", "dtype", "score", "meanPredicted", "meanGold", … }
 * }
 */

export const DECODING_CONFIG_FILE = 'decoding.json';
export const DECODING_CONFIG_VERSION = 'dischargerx-decoding-1';

export interface CalibrationProvenance {
  /** Dev file the thresholds were tuned on (as given on the command line). */
  file: string;
  /** Number of dev visits decoded. */
  visits: number;
  /** Weights variant decoded (fp32 | q8 | q4 | fp16). */
  dtype: string;
  /** Mean per-visit CHIP score at the chosen point. */
  score: number;
  meanPredicted: number;
  meanGold: number;
  /** meanPredicted / meanGold. */
  ratio?: number;
  /** True when the simulation equals re-decoding (greedy); false for beam search (approximation). */
  exact?: boolean;
  /** maxDrugs used when recording the trajectories. */
  maxDrugs?: number;
  /** The mean_pred/mean_gold band the chosen point was restricted to, if any. */
  ratioBand?: [number, number];
}

export interface DecodingConfig {
  version: string;
  stopThreshold: number;
  minConfidence: number;
  beamWidth: number;
  minDrugs?: number;
  /**
   * Cap on drugs per list the trajectories were recorded with. Decoding with the same cap keeps
   * greedy predictions identical to the calibration simulation (a larger cap lets a list run
   * on where the recorded trajectory was cut).
   */
  maxDrugs?: number;
  calibratedOn?: CalibrationProvenance;
}

export class DecodingConfigError extends Error {
  override readonly name = 'DecodingConfigError';
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/**
 * Validate a parsed decoding.json. Throws DecodingConfigError with a one-line reason; unknown
 * extra fields are ignored (forward compatibility).
 */
export function parseDecodingConfig(json: unknown, source = DECODING_CONFIG_FILE): DecodingConfig {
  const fail = (m: string): never => {
    throw new DecodingConfigError(`${source}: ${m}`);
  };
  if (!isObject(json)) return fail('expected a JSON object');
  const num = (key: string, lo: number, hi: number, integer = false): number => {
    const v = json[key];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < lo || v > hi || (integer && !Number.isInteger(v))) {
      return fail(`"${key}" must be ${integer ? 'an integer' : 'a number'} in [${lo}, ${hi}], got ${JSON.stringify(v)}`);
    }
    return v;
  };
  const version = json['version'];
  if (typeof version !== 'string' || !version.startsWith('dischargerx-decoding-')) {
    fail(`"version" must be "${DECODING_CONFIG_VERSION}", got ${JSON.stringify(version)}`);
  }
  const out: DecodingConfig = {
    version: version as string,
    stopThreshold: num('stopThreshold', 0, 1),
    minConfidence: json['minConfidence'] === undefined ? 0 : num('minConfidence', 0, 1),
    beamWidth: num('beamWidth', 1, 64, true),
  };
  if (json['minDrugs'] !== undefined) out.minDrugs = num('minDrugs', 0, 100, true);
  if (json['maxDrugs'] !== undefined) out.maxDrugs = num('maxDrugs', 1, 1000, true);
  const c = json['calibratedOn'];
  if (c !== undefined) {
    if (!isObject(c)) return fail('"calibratedOn" must be an object');
    const n = (k: string): number => {
      const v = c[k];
      if (typeof v !== 'number' || !Number.isFinite(v)) return fail(`"calibratedOn.${k}" must be a number`);
      return v;
    };
    const s = (k: string): string => {
      const v = c[k];
      if (typeof v !== 'string') return fail(`"calibratedOn.${k}" must be a string`);
      return v;
    };
    const prov: CalibrationProvenance = {
      file: s('file'),
      visits: n('visits'),
      dtype: s('dtype'),
      score: n('score'),
      meanPredicted: n('meanPredicted'),
      meanGold: n('meanGold'),
    };
    if (typeof c['ratio'] === 'number') prov.ratio = c['ratio'];
    if (typeof c['exact'] === 'boolean') prov.exact = c['exact'];
    if (typeof c['maxDrugs'] === 'number') prov.maxDrugs = c['maxDrugs'];
    const band = c['ratioBand'];
    if (Array.isArray(band) && band.length === 2 && band.every((x) => typeof x === 'number')) prov.ratioBand = [band[0] as number, band[1] as number];
    out.calibratedOn = prov;
  }
  return out;
}

/** Serialise (stable key order, 2-space indent, trailing newline). */
export function serializeDecodingConfig(config: DecodingConfig): string {
  const ordered: Record<string, unknown> = {
    version: config.version,
    stopThreshold: config.stopThreshold,
    minConfidence: config.minConfidence,
    beamWidth: config.beamWidth,
  };
  if (config.minDrugs !== undefined) ordered['minDrugs'] = config.minDrugs;
  if (config.maxDrugs !== undefined) ordered['maxDrugs'] = config.maxDrugs;
  if (config.calibratedOn !== undefined) ordered['calibratedOn'] = config.calibratedOn;
  return JSON.stringify(ordered, null, 2) + '\n';
}
