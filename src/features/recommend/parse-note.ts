import { parseFreeText, looksLikeJson } from '../../clinical/free-text.ts';
import { JsonSyntaxError, parseLocatedRecords } from '../../clinical/read-records.ts';
import { isRecordError } from '../../clinical/errors.ts';
import type { RecordNote } from '../../clinical/parse-record.ts';
import type { CDrugRedRecord } from '../../clinical/record.ts';
import { toSimplified } from '../../clinical/traditional.ts';
import type { NoteInputKind, ParseNotice, ParseProblem } from '../../state/note-store.ts';

export type ParsedNote =
  | {
      ok: true;
      record: CDrugRedRecord;
      kind: NoteInputKind;
      unrecognised: string[];
      notices: ParseNotice[];
      /** All records of a multi-record JSON paste (only when there are several). */
      records?: CDrugRedRecord[];
    }
  | { ok: false; reason: 'empty' | 'invalid'; message: string; problem: ParseProblem };

/**
 * A paste longer than this (characters) gets a size notice: a discharge note is a few thousand
 * characters, so 100 000 is almost certainly the wrong text (a whole export, a log).
 */
export const LARGE_NOTE_CHARS = 100_000;

/**
 * A visit id for a note that has none: `note-` + 8 hex digits of a 32-bit FNV-1a hash of the
 * text. Different notes get different ids (so exports no longer all say chip-note-1.json); the
 * same text gets the same id on every parse. The user can edit it in the parsed fields.
 */
export function noteId(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return `note-${(h >>> 0).toString(16).padStart(8, '0')}`;
}

const SOURCE = '粘贴的 JSON';

function problemOf(e: unknown): ParseProblem {
  if (e instanceof JsonSyntaxError) {
    const p: ParseProblem = { kind: 'json-syntax', truncated: e.truncated, detail: e.detail };
    if (e.line !== undefined) p.line = e.line;
    if (e.column !== undefined) p.column = e.column;
    if (e.nearField !== undefined) p.nearField = e.nearField;
    return p;
  }
  if (isRecordError(e)) {
    const p: ParseProblem = { kind: 'record', reason: e.reason };
    if (e.line !== undefined) p.line = e.line;
    if (e.index !== undefined) p.index = e.index;
    if (e.field !== undefined) p.field = e.field;
    return p;
  }
  return { kind: 'record', reason: e instanceof Error ? e.message : String(e) };
}

/**
 * Turns whatever the clinician pasted into one record: a CDrugRed JSON record (the first of an
 * array / JSONL paste, with a notice saying how many there were) when it looks like JSON,
 * otherwise a sectioned free-text note. Traditional characters are converted to simplified ones
 * first (with a notice). Pure: no store, no language; `message` is the parser's English line
 * (for the CLI-style callers), `problem` is what the UI words in the user's language.
 */
export function parseNote(input: string): ParsedNote {
  if (input.trim() === '') return { ok: false, reason: 'empty', message: '', problem: { kind: 'empty' } };
  const notices: ParseNotice[] = [];
  const { text, changed } = toSimplified(input);
  if (changed > 0) notices.push({ kind: 'converted', changed });
  if (input.length > LARGE_NOTE_CHARS) notices.push({ kind: 'large', chars: input.length });

  if (!looksLikeJson(text)) {
    const { record, unrecognised, bmiProblem } = parseFreeText(text, { defaultId: noteId(input) });
    if (bmiProblem) notices.push({ kind: 'bmi', ...bmiProblem });
    return { ok: true, record, kind: 'text', unrecognised, notices };
  }
  try {
    const bmiNotes: RecordNote[] = [];
    const located = parseLocatedRecords(text, SOURCE, (n) => bmiNotes.push(n));
    const first = located[0];
    if (!first) {
      return { ok: false, reason: 'invalid', message: 'no records', problem: { kind: 'record', reason: 'no records' } };
    }
    for (const n of bmiNotes) {
      const record = located.findIndex((l) => l.where === n.where);
      notices.push({ kind: 'bmi', problem: n.problem, raw: n.raw, ...(located.length > 1 ? { record } : {}) });
    }
    const result: ParsedNote = { ok: true, record: first.record, kind: 'json', unrecognised: [], notices };
    if (located.length > 1) {
      notices.push({ kind: 'records', count: located.length, used: 0 });
      result.records = located.map((l) => l.record);
    }
    return result;
  } catch (e) {
    return { ok: false, reason: 'invalid', message: e instanceof Error ? e.message : String(e), problem: problemOf(e) };
  }
}
