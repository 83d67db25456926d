/**
 * Over-prescribing control: the list-stopping threshold and the per-drug confidence floor,
 * applied to a decoded trajectory, and their calibration on a dev set without re-running the
 * model. See docs/decoding.md.
 */

import type { DecodedDrug } from './types.ts';

export interface ThresholdSettings {
  /** Continue the list at boundary k only if 1 − stopProbabilities[k] ≥ t. undefined = no cut. */
  stopThreshold?: number | undefined;
  /** Drop drugs with confidence < minConfidence. Default 0. */
  minConfidence?: number;
  /** Boundaries k < minDrugs never stop; the confidence floor keeps at least min(minDrugs, 1) drug. Default 1. */
  minDrugs?: number;
}

/** What the decoder records for one visit (a DecodeResult satisfies it). */
export interface RecordedTrajectory {
  trajectory: readonly Pick<DecodedDrug, 'name' | 'confidence'>[];
  stopProbabilities: readonly number[];
  settings?: { stopThreshold: number | undefined; beamWidth?: number };
}

/**
 * Apply the stop rule then the confidence floor to a trajectory. The single implementation
 * used both by the decoder (post-hoc) and by calibration (simulation), so they cannot drift.
 *
 * 1. Truncate at the first boundary k ≥ minDrugs (k < n) with 1 − stopProbabilities[k] < t.
 * 2. Drop drugs with confidence < minConfidence; if that empties a list and minDrugs ≥ 1, keep
 *    the single most confident drug (an empty list scores 0 on a visit that has any drug).
 */
export function applyThresholds<D extends Pick<DecodedDrug, 'name' | 'confidence'>>(
  trajectory: readonly D[],
  stopProbabilities: readonly number[],
  settings: ThresholdSettings,
): D[] {
  const minDrugs = settings.minDrugs ?? 1;
  const t = settings.stopThreshold;
  let n = trajectory.length;
  if (t !== undefined) {
    for (let k = Math.max(0, minDrugs); k < n; k++) {
      const pStop = stopProbabilities[k];
      if (pStop !== undefined && 1 - pStop < t) {
        n = k;
        break;
      }
    }
  }
  const kept = trajectory.slice(0, n);
  const minConf = settings.minConfidence ?? 0;
  if (minConf <= 0) return kept;
  const filtered = kept.filter((d) => d.confidence >= minConf);
  if (filtered.length === 0 && minDrugs >= 1 && kept.length > 0) {
    let best = kept[0]!;
    for (const d of kept) if (d.confidence > best.confidence) best = d;
    return [best];
  }
  return filtered;
}

/** Per-visit CHIP 2025 Task 2 score: (Jaccard + F1) / 2 over normalised name sets. */
export function visitScore(predicted: readonly string[], gold: readonly string[]): number {
  const p = new Set(predicted);
  const g = new Set(gold);
  if (p.size === 0 && g.size === 0) return 1;
  let inter = 0;
  for (const x of p) if (g.has(x)) inter++;
  const union = p.size + g.size - inter;
  const jaccard = union === 0 ? 0 : inter / union;
  const f1 = p.size + g.size === 0 ? 0 : (2 * inter) / (p.size + g.size);
  return (jaccard + f1) / 2;
}

export interface CalibrationOptions {
  /** Stop thresholds to try. Default 0, 0.02, …, 0.98. */
  stopThresholds?: readonly number[];
  /** Confidence floors to try. Default 0, 0.05, …, 0.5. */
  minConfidences?: readonly number[];
  /** Must match the decoder's minDrugs. Default 1. */
  minDrugs?: number;
  /**
   * Per-visit weights (default 1 each): a visit of weight w counts as w copies in the mean score,
   * the mean list size and the mean gold size. Used to let a site's few own notes count as much
   * as the larger synthetic dev set (cli/calibrate.ts --site-dev).
   */
  weights?: readonly number[];
}

export interface CalibrationPoint {
  stopThreshold: number;
  minConfidence: number;
  /** Mean per-visit CHIP score. */
  score: number;
  meanPredicted: number;
}

export interface CalibrationResult {
  stopThreshold: number;
  minConfidence: number;
  score: number;
  meanPredicted: number;
  meanGold: number;
  /** meanPredicted / meanGold at the chosen point (≈1 = no over/under-prescribing). */
  ratio: number;
  /**
   * True when every trajectory was recorded with stopThreshold 0 and beam width 1, where the
   * simulation equals re-decoding exactly; false = approximation (see docs/decoding.md).
   */
  exact: boolean;
  /** Every grid point, in grid order. */
  curve: CalibrationPoint[];
}

function grid(from: number, to: number, step: number): number[] {
  const out: number[] = [];
  for (let i = 0; from + i * step <= to + 1e-9; i++) out.push(Math.round((from + i * step) * 1e6) / 1e6);
  return out;
}

/**
 * Sweep (stopThreshold × minConfidence) on recorded dev trajectories and return the pair that
 * maximises the mean CHIP score. Record the trajectories by decoding once with
 * `stopThreshold: 0` (never stop early) and a generous maxDrugs; each grid point is then
 * simulated by `applyThresholds` without touching the model.
 *
 * Ties (within 1e-9) go to the point whose mean predicted count is closest to the mean gold
 * count, then to the lower threshold / floor.
 */
export function calibrateThreshold(
  devPredictions: readonly RecordedTrajectory[],
  gold: readonly (readonly string[])[],
  normalize: (name: string) => string = (s) => s.trim(),
  options: CalibrationOptions = {},
): CalibrationResult {
  if (devPredictions.length !== gold.length) {
    throw new Error(`calibrateThreshold: ${devPredictions.length} predictions but ${gold.length} gold lists`);
  }
  if (devPredictions.length === 0) throw new Error('calibrateThreshold: empty dev set');
  const minDrugs = options.minDrugs ?? 1;
  const ts = options.stopThresholds ?? grid(0, 0.98, 0.02);
  const cs = options.minConfidences ?? grid(0, 0.5, 0.05);
  const goldSets = gold.map((g) => [...new Set(g.map(normalize))]);
  const normPred = devPredictions.map((p) => ({
    trajectory: p.trajectory.map((d) => ({ name: normalize(d.name), confidence: d.confidence })),
    stopProbabilities: p.stopProbabilities,
  }));
  const weights = options.weights ?? goldSets.map(() => 1);
  if (weights.length !== goldSets.length || weights.some((w) => !(w >= 0))) {
    throw new Error(`calibrateThreshold: ${weights.length} weights for ${goldSets.length} visits (each ≥ 0)`);
  }
  const totalWeight = weights.reduce((a, w) => a + w, 0);
  if (!(totalWeight > 0)) throw new Error('calibrateThreshold: the weights sum to 0');
  const meanGold = goldSets.reduce((a, g, i) => a + weights[i]! * g.length, 0) / totalWeight;
  const exact = devPredictions.every(
    (p) => p.settings !== undefined && p.settings.stopThreshold === 0 && (p.settings.beamWidth ?? 1) === 1,
  );

  const curve: CalibrationPoint[] = [];
  let best: CalibrationPoint | null = null;
  const better = (a: CalibrationPoint, b: CalibrationPoint): boolean => {
    if (a.score > b.score + 1e-9) return true;
    if (a.score < b.score - 1e-9) return false;
    const da = Math.abs(a.meanPredicted - meanGold);
    const db = Math.abs(b.meanPredicted - meanGold);
    if (da < db - 1e-9) return true;
    if (da > db + 1e-9) return false;
    if (a.stopThreshold !== b.stopThreshold) return a.stopThreshold < b.stopThreshold;
    return a.minConfidence < b.minConfidence;
  };
  for (const t of ts) {
    for (const c of cs) {
      let total = 0;
      let count = 0;
      normPred.forEach((p, i) => {
        const kept = applyThresholds(p.trajectory, p.stopProbabilities, { stopThreshold: t, minConfidence: c, minDrugs });
        const names = kept.map((d) => d.name);
        count += weights[i]! * new Set(names).size;
        total += weights[i]! * visitScore(names, goldSets[i]!);
      });
      const point: CalibrationPoint = {
        stopThreshold: t,
        minConfidence: c,
        score: total / totalWeight,
        meanPredicted: count / totalWeight,
      };
      curve.push(point);
      if (best === null || better(point, best)) best = point;
    }
  }
  const b = best!;
  return {
    stopThreshold: b.stopThreshold,
    minConfidence: b.minConfidence,
    score: b.score,
    meanPredicted: b.meanPredicted,
    meanGold,
    ratio: meanGold === 0 ? Number.NaN : b.meanPredicted / meanGold,
    exact,
    curve,
  };
}
