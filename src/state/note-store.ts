import { create } from 'zustand';
import type { CDrugRedRecord } from '../clinical/record.ts';

/** A recommendation as the UI shows it: plain data only (no engine objects in the store). */
export interface RecommendedDrug {
  name: string;
  drugClass: string;
  /** 0..1: the recommender's score for this drug (the model's confidence, or the baseline's score). */
  score: number;
}

export type RecommendationSource = 'model' | 'baseline';

export type NoteInputKind = 'json' | 'text';

interface NoteState {
  /** Exactly what the user typed; never cleared by a failed parse. */
  noteText: string;
  parsed: { record: CDrugRedRecord; kind: NoteInputKind; unrecognised: string[] } | null;
  error: string | null;
  recommendations: RecommendedDrug[] | null;
  recommendationSource: RecommendationSource;
  setNoteText: (text: string) => void;
  setParsed: (parsed: NoteState['parsed']) => void;
  setError: (error: string | null) => void;
  setRecommendations: (recommendations: RecommendedDrug[] | null, source?: RecommendationSource) => void;
}

export const useNoteStore = create<NoteState>((set) => ({
  noteText: '',
  parsed: null,
  error: null,
  recommendations: null,
  recommendationSource: 'baseline',
  // Editing the note invalidates what was derived from it, but keeps it visible until re-parse.
  setNoteText: (noteText) => set({ noteText }),
  setParsed: (parsed) => set({ parsed, error: null }),
  setError: (error) => set({ error, recommendations: null }),
  setRecommendations: (recommendations, source) =>
    set(source ? { recommendations, recommendationSource: source } : { recommendations }),
}));
