/**
 * Types of the constrained decoder. Pure: no transformers.js import, so the same core runs in
 * the Node CLI, the browser worker and the unit tests (with a fake model).
 *
 * See docs/decoding.md for the design.
 */

/** One row of next-token scores (raw logits or log-probs; the decoder renormalises). */
export type LogitsRow = ArrayLike<number>;

/** What a model call returns: one logits row per beam, and the cache after the call. */
export interface StepOutput<C> {
  /** `logits[i]` = scores of the token following row i of the cache. Length = number of rows. */
  logits: LogitsRow[];
  cache: C;
}

/**
 * A causal LM seen as "a batch of beams over one shared prompt". A beam is one row of the
 * cache (for a KV-cache model: one batch slice of every past key/value tensor). All beams
 * always have the same length (the decoder feeds the same number of tokens to every live beam
 * in a call), so no padding / attention masking is ever needed.
 *
 * Ownership: `step` and `selectBeams` consume the cache passed in (an implementation may
 * dispose it); the decoder calls `release` on the last cache it holds.
 */
export interface StepModel<C = unknown> {
  /** Run the prompt once (batch 1). Returns 1 logits row and a 1-row cache. */
  start(promptIds: readonly number[]): Promise<StepOutput<C>>;
  /** Append `tokenIds[i]` to row i (tokenIds.length = rows in cache); logits for each row. */
  step(cache: C, tokenIds: readonly number[]): Promise<StepOutput<C>>;
  /**
   * Append the tokens `tokenIds[i]` (every row the same number T ≥ 1 of tokens) to row i in ONE
   * call; logits after the last appended token of each row. Optional: without it the decoder
   * calls `step` T times (same result, more calls). Used by jump-forward (docs/decoding.md).
   */
  stepMany?(cache: C, tokenIds: readonly (readonly number[])[]): Promise<StepOutput<C>>;
  /**
   * New cache whose row j is the old row `indices[j]` (gather: reorder, duplicate, drop).
   * `indices.length` may differ from the old row count (1 → B expansion after the prompt).
   */
  selectBeams(cache: C, indices: readonly number[]): Promise<C>;
  /** Free resources held by a cache (GPU buffers). Optional. */
  release?(cache: C): Promise<void> | void;
}

/** Special token ids of the output format `NAME sep NAME sep ... NAME eos`. */
export interface FormatTokens {
  /** Token between two drug names. */
  separatorId: number;
  /** Token ending the list. */
  eosId: number;
}

export interface DecodeOptions extends FormatTokens {
  /** Beam width; 1 = greedy. Default 4. */
  beamWidth?: number;
  /**
   * List-stopping rule. `undefined` (default): natural mode — separator and eos are ordinary
   * allowed tokens and the search picks by probability. A number t in [0, 1]: threshold mode —
   * at each drug boundary the decoder continues the list iff P(continue) = 1 − P(stop) ≥ t,
   * else it ends it. t = 0 never stops early (used to record trajectories for calibration).
   */
  stopThreshold?: number;
  /** Post-hoc: drop drugs whose confidence < minConfidence. Default 0. */
  minConfidence?: number;
  /** The list gets at least this many drugs (eos masked before; when possible). Default 1. */
  minDrugs?: number;
  /** Hard cap on drugs per list. Default 30. */
  maxDrugs?: number;
  /** Hard cap on generated tokens (safety net). Default 512. */
  maxTokens?: number;
  /**
   * Final ranking of finished hypotheses by score / (tokens ^ lengthPenalty). Default 0
   * (pure sum of log-probs = most probable sequence).
   */
  lengthPenalty?: number;
  /** How many alternative finished hypotheses to report (best first). Default = beamWidth. */
  numAlternatives?: number;
  /** Checked between model steps; aborting rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Candidates closed to the search (safety: withheld drugs, one drug per duplication group). */
  mask?: CandidateMask;
  /**
   * Jump-forward (default true): a token the trie forces (the only allowed continuation) is
   * scored without a model call (its constrained log-prob is exactly 0) and fed together with
   * the next token that needs logits, in one multi-token call. Same search, same scores, fewer
   * calls; false = one call per token (the previous decoder, kept for the bench comparison).
   */
  jumpForward?: boolean;
}

/**
 * Names the search may not write, by candidate index (the trie's index space). Masking is
 * structural, like duplicate prevention: a closed name is treated as already emitted.
 */
export interface CandidateMask {
  /** Never emitted (e.g. drugs the note rules out, src/clinical/withhold.ts). */
  blocked?: readonly number[];
  /**
   * Per candidate index, its exclusive group or groups (or null): once a name is emitted, every
   * other name sharing one of its groups is closed in that hypothesis (dynamic, per beam). A
   * fixed-dose combination has several (its own and its components').
   */
  groups?: readonly (string | readonly string[] | null | undefined)[];
}

/** The exclusive groups of candidate `index` under a mask (none when it has no group). */
export function maskGroupsAt(mask: CandidateMask | undefined, index: number): readonly string[] {
  const g = mask?.groups?.[index];
  if (g === null || g === undefined) return [];
  return typeof g === 'string' ? [g] : g;
}

/** One decoded drug. */
export interface DecodedDrug {
  /** Exact entry of the candidate list. */
  name: string;
  /** Index into the candidate list. */
  index: number;
  /**
   * P(this drug | prefix, a drug is emitted here): product of its token probabilities
   * renormalised over continuations of not-yet-emitted names, times P(name ends here).
   */
  confidence: number;
  /** Position in the decoded trajectory (0-based), before any post-hoc filtering. */
  position: number;
}

export interface DecodeAlternative {
  names: string[];
  score: number;
}

export type FinishReason = 'eos' | 'threshold' | 'maxDrugs' | 'exhausted' | 'maxTokens';

export interface DecodeResult {
  /** Final list after thresholds (stop rule + minConfidence). Every name is a candidate entry. */
  drugs: { name: string; confidence: number }[];
  /** Full decoded list of the best hypothesis before post-hoc filtering. */
  trajectory: DecodedDrug[];
  /**
   * stopProbabilities[k] = P(stop | k drugs emitted) at the k-th drug boundary of the best
   * hypothesis: k = 0 is before the first drug (P(eos) vs P(any name start)); k ≥ 1 is right
   * after drug k ends (P(eos) / (P(eos) + P(separator))). Length = trajectory.length + 1
   * (or less when the search was cut by maxTokens).
   */
  stopProbabilities: number[];
  /** Number of model calls (start + steps). */
  steps: number;
  /** Tokens fed per beam row over all calls after the prompt (tokens per call = fedTokens / (steps − 1)). */
  fedTokens: number;
  /** Generated token ids of the best hypothesis (names, separators, eos). */
  tokens: number[];
  /** Score of the best hypothesis (sum of constrained log-probs). */
  score: number;
  finishReason: FinishReason;
  /** Other finished hypotheses (distinct drug sets), best first, best included. */
  alternatives: DecodeAlternative[];
  /** Settings the result was produced with (calibration checks stopThreshold === 0). */
  settings: { beamWidth: number; stopThreshold: number | undefined; minConfidence: number; minDrugs: number; maxDrugs: number };
}
