/**
 * The batch screen's plain data, held by the batch store (./batch-store.ts) and produced by
 * src/features/batch/batch-runner.ts: defined here so the store never imports a feature.
 */
import type { DrugStats } from '../clinical/metrics.ts';

export interface BatchRow {
  /** 0-based position in the input file. */
  index: number;
  id: string;
  predicted: string[];
  /** Gold discharge drugs (出院带药列表); null when the record has no label. */
  gold: string[] | null;
  /** Per-visit scores after normalisation; null without a label. */
  jaccard: number | null;
  f1: number | null;
  /** Why this record failed (its prediction is then empty); null when it ran. */
  error: string | null;
  /** Drugs the note rules out that the method withheld (safety filter on), with the reason code. */
  withheld: { drug: string; reason: string }[];
  /** Predicted drugs that break a safety rule for this note (0 with the safety filter on). */
  ruleHits: string[];
}

/** The four per-visit metrics averaged, and the CHIP score. */
export interface ScoreSummary {
  jaccard: number;
  precision: number;
  recall: number;
  f1: number;
  score: number;
}

/** Top-level scores are exact (names compared as exact strings, as the official CHIP scorer). */
export interface BatchMetrics {
  n: number;
  jaccard: number;
  precision: number;
  recall: number;
  f1: number;
  score: number;
  meanPred: number;
  meanGold: number;
  /** meanPred / meanGold (0 when there is no gold drug). */
  ratio: number;
  /** The same scores with names normalised (spelling variants count as one drug); null without `normalize`. */
  normalised: ScoreSummary | null;
  /** Per-drug stats (normalised names when `normalize` is given). */
  perDrug: DrugStats[];
}
