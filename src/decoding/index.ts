/**
 * Pure constrained-decoding core (no transformers.js import). The transformers.js adapter is
 * imported separately from './causal-lm.ts' (and the loader from './load-causal-lm.ts').
 */
export type {
  DecodeAlternative,
  DecodedDrug,
  DecodeOptions,
  DecodeResult,
  FinishReason,
  FormatTokens,
  LogitsRow,
  StepModel,
  StepOutput,
} from './types.ts';
export {
  buildCandidateTrie,
  createTrieCache,
  hasOpenName,
  openChildren,
  type BuildTrieOptions,
  type CandidateTrie,
  type EncodeFn,
  type ExcludedName,
  type ExclusionReason,
  type TrieNode,
} from './trie.ts';
export { constrainedLogSoftmax, decodeDrugList } from './constrained-decoder.ts';
export {
  applyThresholds,
  calibrateThreshold,
  visitScore,
  type CalibrationOptions,
  type CalibrationPoint,
  type CalibrationResult,
  type RecordedTrajectory,
  type ThresholdSettings,
} from './threshold.ts';
export { createRecomputeModel, type RecomputeStepModel, type SequenceScorer } from './reference-model.ts';
