import { create } from 'zustand';
import type { CDrugRedRecord } from '../clinical/record.ts';
import type { InputAssessment } from '../clinical/input-sufficiency.ts';
import type { BmiProblem } from '../clinical/parse-record.ts';
import type { WithheldDrug } from '../clinical/withhold.ts';

/** A recommended drug as the UI shows it: plain data only (no engine objects in the store). */
export interface RecommendedDrug {
  name: string;
  drugClass: string;
  /** 0..1: the recommender's score for this drug (the model's confidence, or the baseline's score). */
  score: number;
}

export type RecommendationSource = 'model' | 'baseline';

export type NoteInputKind = 'json' | 'text';

/**
 * One recommender run, kept undecided so the page can re-threshold it ("fewer ↔ more drugs")
 * without running the model again.
 */
export interface RecommendRun {
  source: RecommendationSource;
  /** Model: the best hypothesis decoded with stopThreshold 0. Baseline: every scored drug, best first. */
  ranked: RecommendedDrug[];
  /** Model only: P(stop) at each drug boundary of `ranked` (length ranked.length + 1). */
  stopProbabilities: number[] | null;
  /** The calibrated default cut: the model's stop threshold, or the baseline's score cut-off. */
  defaultCut: number;
  /** Model only: the loaded decoding's confidence floor and minimum list length. */
  minConfidence: number;
  minDrugs: number;
  /** Beam width the trajectory was decoded with (re-thresholding is exact only for 1). */
  beamWidth: number;
  /** The record this run was made for (after the clinician's edits). */
  record: CDrugRedRecord;
  /** Drugs the note rules out, kept out of `ranked` by the safety filter (src/clinical/withhold.ts). */
  withheld?: WithheldDrug[];
}

/** Something the user should know about a parse that worked (plain data; worded by the UI). */
export type ParseNotice =
  /** Traditional characters were converted to simplified ones before parsing. */
  | { kind: 'converted'; changed: number }
  /** A BMI was given but not used (`record`: which record of a multi-record paste, 0-based). */
  | { kind: 'bmi'; problem: BmiProblem; raw: string; record?: number }
  /** A JSON array / JSONL paste held several records; `used` (0-based) is the one shown. */
  | { kind: 'records'; count: number; used: number }
  /** A very long paste (characters). */
  | { kind: 'large'; chars: number };

/** Why the note cannot be recommended from (plain data; worded by the UI in the user's language). */
export type ParseProblem =
  | { kind: 'empty' }
  /** JSON that does not parse: where, and the JSON engine's own words as a technical detail. */
  | { kind: 'json-syntax'; line?: number; column?: number; nearField?: string; truncated: boolean; detail: string }
  /** JSON that parses but is not a usable record (a field of the wrong type, no visit id …). */
  | { kind: 'record'; line?: number; index?: number; field?: string; reason: string }
  /** Too little content to recommend from (src/clinical/input-sufficiency.ts). */
  | { kind: 'thin'; assessment: InputAssessment; unrecognised: number };

export interface ParsedNote {
  record: CDrugRedRecord;
  kind: NoteInputKind;
  unrecognised: string[];
  /** The note text this was parsed from: edits apply while the paste is unchanged. */
  fromText: string;
  /** True once the clinician edited a field. */
  edited: boolean;
  /** Increases with every parse (editable inputs are reset from the new record). */
  parseId: number;
  notices?: ParseNotice[];
  /** Every record of a multi-record JSON paste (absent for one record or a free-text note). */
  records?: CDrugRedRecord[];
}

interface NoteState {
  /** Exactly what the user typed; never cleared by a failed parse or by field edits. */
  noteText: string;
  parsed: ParsedNote | null;
  error: string | null;
  /** Why the last parse or recommend was refused (shown under the note, in the user's language). */
  problem: ParseProblem | null;
  run: RecommendRun | null;
  /**
   * The fewer ↔ more control's position, in steps from the calibrated default (negative = fewer;
   * src/features/recommend/final-list.ts `cutLadder` / `atStep`). Kept here so the screen and the
   * print sheet show the same list.
   */
  cutOffset: number;
  /** Drugs the clinician accepted (pinned: the slider does not drop them). */
  accepted: string[];
  /** Drugs the clinician removed from the list. */
  removed: string[];
  /** Drugs the clinician added from the candidate list, in order. */
  added: string[];
  /** Recommend requests sent to the model worker from this screen (the slider never sends one). */
  modelRequests: number;
  /** Bumped whenever saved cases change (the saved-cases panel re-reads IndexedDB). */
  casesRevision: number;
  setNoteText: (text: string) => void;
  setParsed: (parsed: Omit<ParsedNote, 'edited' | 'parseId'> | null) => void;
  editField: <K extends keyof CDrugRedRecord>(field: K, value: CDrugRedRecord[K]) => void;
  setError: (error: string | null) => void;
  /** A refusal drops any shown recommendation (no drugs for a note that cannot be used). */
  setProblem: (problem: ParseProblem | null) => void;
  /** Shows another record of a multi-record paste (field edits are dropped). */
  pickRecord: (index: number) => void;
  /** A new run (or null while one is pending): resets the cut and the clinician's decisions. */
  setRun: (run: RecommendRun | null) => void;
  setCutOffset: (offset: number) => void;
  accept: (name: string) => void;
  remove: (name: string) => void;
  restore: (name: string) => void;
  add: (name: string) => void;
  countModelRequest: () => void;
  bumpCases: () => void;
  /** Puts a saved case's note back into the editor (derived state is dropped until re-parse). */
  loadNote: (text: string) => void;
}

let parseCounter = 0;
const without = (list: string[], name: string) => list.filter((n) => n !== name);

export const useNoteStore = create<NoteState>((set) => ({
  noteText: '',
  parsed: null,
  error: null,
  problem: null,
  run: null,
  cutOffset: 0,
  accepted: [],
  removed: [],
  added: [],
  modelRequests: 0,
  casesRevision: 0,
  // Editing the note invalidates what was derived from it, but keeps it visible until re-parse.
  setNoteText: (noteText) => set({ noteText }),
  setParsed: (parsed) =>
    set({ parsed: parsed ? { ...parsed, edited: false, parseId: ++parseCounter } : null, error: null, problem: null }),
  setProblem: (problem) => set(problem ? { problem, run: null } : { problem: null }),
  pickRecord: (index) =>
    set((s) => {
      const record = s.parsed?.records?.[index];
      if (!s.parsed || !record) return {};
      const notices = (s.parsed.notices ?? []).map((n) => (n.kind === 'records' ? { ...n, used: index } : n));
      return { parsed: { ...s.parsed, record, notices, edited: false, parseId: ++parseCounter }, run: null, problem: null };
    }),
  editField: (field, value) =>
    set((s) => (s.parsed ? { parsed: { ...s.parsed, record: { ...s.parsed.record, [field]: value }, edited: true } } : {})),
  setError: (error) => set({ error, run: null }),
  setRun: (run) => set({ run, cutOffset: 0, accepted: [], removed: [], added: [] }),
  setCutOffset: (cutOffset) => set({ cutOffset }),
  accept: (name) => set((s) => ({ accepted: s.accepted.includes(name) ? without(s.accepted, name) : [...s.accepted, name], removed: without(s.removed, name) })),
  remove: (name) => set((s) => ({ removed: [...without(s.removed, name), name], accepted: without(s.accepted, name), added: without(s.added, name) })),
  restore: (name) => set((s) => ({ removed: without(s.removed, name) })),
  add: (name) => set((s) => ({ added: s.added.includes(name) ? s.added : [...s.added, name], removed: without(s.removed, name) })),
  countModelRequest: () => set((s) => ({ modelRequests: s.modelRequests + 1 })),
  bumpCases: () => set((s) => ({ casesRevision: s.casesRevision + 1 })),
  loadNote: (noteText) => set({ noteText, parsed: null, error: null, problem: null, run: null, cutOffset: 0, accepted: [], removed: [], added: [] }),
}));
