export type { Recommender, DrugLexicon, LexiconMention } from './types.ts';
export { canonicalLabels } from './types.ts';
export { fitFrequency, type FrequencyOptions, type FrequencyRecommender } from './frequency.ts';
export {
  fitCooccurrence,
  fitCooccurrenceTable,
  cooccurrenceFromTable,
  type CooccurrenceTable,
  diagnosisKeys,
  cleanDiagnosis,
  recordKeys,
  DIAGNOSIS_KEYWORDS,
  type CooccurrenceOptions,
  type CooccurrenceRecommender,
} from './cooccurrence.ts';
export { fitMention, analyzeRecord, analyzeText, mentionedDrugs, type AnalyzedMention, type MentionStatus } from './mention.ts';
