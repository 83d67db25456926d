/**
 * One decoding policy for every consumer — the Node CLI, the browser page, calibration and the
 * parity tests: search the drug list once WITHOUT stopping early (stopThreshold 0, up to
 * maxDrugs), then cut it with the stop threshold and confidence floor (applyThresholds).
 *
 * Why: calibration simulates exactly this cut on exactly these searches, so the dev score it
 * reports is what users get; the page can move the cut ("fewer ↔ more drugs") without running
 * the model again; and Node, WASM and WebGPU agree because they run the same two steps. (A beam
 * search that stops at the threshold would explore differently and break all three.)
 */
import { applyThresholds } from './threshold.ts';
import type { DecodedDrug } from './types.ts';

/** Cut when a model has no calibrated threshold: P(stop) > 0.5, the decoder's own eos-vs-separator choice. */
export const FALLBACK_STOP_THRESHOLD = 0.5;
/** Search length when a model's decoding.json records no maxDrugs (uncalibrated model). */
export const UNCALIBRATED_MAX_DRUGS = 12;
export const DEFAULT_BEAM_WIDTH = 4;

/** The calibrated settings a model folder may carry (decoding.json), all optional. */
export interface PolicyConfig {
  beamWidth?: number | undefined;
  stopThreshold?: number | undefined;
  minConfidence?: number | undefined;
  minDrugs?: number | undefined;
  maxDrugs?: number | undefined;
}

export interface SearchOptions {
  beamWidth: number;
  stopThreshold: 0;
  minConfidence: 0;
  minDrugs: number;
  maxDrugs: number;
}

export interface CutSettings {
  stopThreshold: number;
  minConfidence: number;
  minDrugs: number;
}

export function searchOptions(config: PolicyConfig | null): SearchOptions {
  return {
    beamWidth: config?.beamWidth ?? DEFAULT_BEAM_WIDTH,
    stopThreshold: 0,
    minConfidence: 0,
    minDrugs: config?.minDrugs ?? 1,
    maxDrugs: config?.maxDrugs ?? UNCALIBRATED_MAX_DRUGS,
  };
}

export function cutSettings(config: PolicyConfig | null): CutSettings {
  return {
    stopThreshold: config?.stopThreshold ?? FALLBACK_STOP_THRESHOLD,
    minConfidence: config?.minConfidence ?? 0,
    minDrugs: config?.minDrugs ?? 1,
  };
}

/** The final list: the searched trajectory cut at `cut`. */
export function cutTrajectory<D extends Pick<DecodedDrug, 'name' | 'confidence'>>(
  searched: { trajectory: readonly D[]; stopProbabilities: readonly number[] },
  cut: CutSettings,
): D[] {
  return applyThresholds(searched.trajectory, searched.stopProbabilities, cut);
}
