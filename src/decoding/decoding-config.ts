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

import * as v from 'valibot';
import { describeIssues } from '../model-folder/format.ts';

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
  /**
   * A site's own labelled notes pooled with the dev file (calibrate --site-dev), each visit
   * counted `weight` times; score, meanPredicted, meanGold and ratio are then the pooled values.
   */
  site?: SiteProvenance;
}

/** A site's own labelled notes used next to the synthetic dev set (calibrate / fit-fusion --site-dev). */
export interface SiteProvenance {
  file: string;
  visits: number;
  weight: number;
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

/** decoding.json does not match its schema; the message names the file and the field. */
export class DecodingConfigError extends Error {
  override readonly name = 'DecodingConfigError';
}

const real = (lo: number, hi: number) => {
  const m = `must be a number in [${lo}, ${hi}]`;
  return v.pipe(v.number(m), v.minValue(lo, m), v.maxValue(hi, m));
};
const int = (lo: number, hi: number) => {
  const m = `must be an integer in [${lo}, ${hi}]`;
  return v.pipe(v.number(m), v.integer(m), v.minValue(lo, m), v.maxValue(hi, m));
};
const num = v.number('must be a number');
const str = v.string('must be a string');

export const SiteSchema = v.object({ file: str, visits: num, weight: num });

const ProvenanceSchema = v.object(
  {
    file: str,
    visits: num,
    dtype: str,
    score: num,
    meanPredicted: num,
    meanGold: num,
    ratio: v.optional(num),
    exact: v.optional(v.boolean('must be true or false')),
    maxDrugs: v.optional(num),
    ratioBand: v.optional(v.tuple([num, num], 'must be [low, high]')),
    site: v.optional(SiteSchema),
  },
);

/** Unknown extra fields are dropped (forward compatibility); the version prefix names the format. */
const DecodingSchema = v.object(
  {
    version: v.pipe(v.string(`must be "${DECODING_CONFIG_VERSION}"`), v.startsWith('dischargerx-decoding-', `must be "${DECODING_CONFIG_VERSION}"`)),
    stopThreshold: real(0, 1),
    minConfidence: v.optional(real(0, 1), 0),
    beamWidth: int(1, 64),
    minDrugs: v.optional(int(0, 100)),
    maxDrugs: v.optional(int(1, 1000)),
    calibratedOn: v.optional(ProvenanceSchema),
  },
);

/** Drops keys whose value is undefined (a parsed optional field that was absent). */
function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, x]) => x !== undefined)) as T;
}

/**
 * Validate a parsed decoding.json. Throws DecodingConfigError with a one-line reason naming the
 * file and the field ("m/decoding.json: calibratedOn.visits: must be a number").
 */
export function parseDecodingConfig(json: unknown, source = DECODING_CONFIG_FILE): DecodingConfig {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new DecodingConfigError(`${source}: expected a JSON object`);
  const r = v.safeParse(DecodingSchema, json);
  if (!r.success) throw new DecodingConfigError(describeIssues(source, r.issues));
  const { calibratedOn, ...rest } = r.output;
  return defined({ ...rest, ...(calibratedOn ? { calibratedOn: defined(calibratedOn) as CalibrationProvenance } : {}) });
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
