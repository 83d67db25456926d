/**
 * The recommend screen's parse step, store side: parse the note as typed, keep the result (or
 * why it failed) in the note store, and refuse to recommend from too little. The note text is
 * never touched here: a refusal leaves everything the user typed in place.
 */
import { assessInput } from '../../clinical/input-sufficiency.ts';
import type { CDrugRedRecord } from '../../clinical/record.ts';
import { useNoteStore } from '../../state/note-store.ts';
import { parsePaste } from './parse-worker/parse-client.ts';

/**
 * Parses the current note into the store (dropping field edits); the record, or null after storing
 * why not. A long paste is parsed off the main thread (parse-worker/parse-client.ts); if the note
 * changed meanwhile, that result is stale and dropped (null, nothing stored).
 */
export async function parseIntoStore(): Promise<CDrugRedRecord | null> {
  const text = useNoteStore.getState().noteText;
  const { result } = await parsePaste(text);
  const store = useNoteStore.getState();
  if (store.noteText !== text) return null;
  if (!result.ok) {
    store.setProblem(result.problem);
    return null;
  }
  const { record, kind, unrecognised, notices, records } = result;
  store.setParsed({ record, kind, unrecognised, notices, fromText: text, ...(records ? { records } : {}) });
  return record;
}

/**
 * The gate before any recommendation (model or baseline): true, with the reason stored and any
 * shown list dropped, when the record (after the clinician's edits) is too thin to recommend from.
 */
export function blockThinInput(record: CDrugRedRecord): boolean {
  const assessment = assessInput(record);
  const store = useNoteStore.getState();
  if (assessment.sufficient) {
    if (store.problem) store.setProblem(null);
    return false;
  }
  store.setProblem({ kind: 'thin', assessment, unrecognised: store.parsed?.unrecognised.length ?? 0 });
  return true;
}
