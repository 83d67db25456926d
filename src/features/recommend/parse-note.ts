import { parseFreeText, looksLikeJson } from '../../clinical/free-text.ts';
import { parseRecordsText } from '../../clinical/read-records.ts';
import type { CDrugRedRecord } from '../../clinical/record.ts';
import type { NoteInputKind } from '../../state/note-store.ts';

export type ParsedNote =
  | { ok: true; record: CDrugRedRecord; kind: NoteInputKind; unrecognised: string[] }
  | { ok: false; reason: 'empty' | 'invalid'; message: string };

/**
 * Turns whatever the clinician pasted into one record: a CDrugRed JSON record (or a one-element
 * array / JSONL line) when it looks like JSON, otherwise a sectioned free-text note.
 */
export function parseNote(text: string): ParsedNote {
  if (text.trim() === '') return { ok: false, reason: 'empty', message: '' };
  if (!looksLikeJson(text)) {
    const { record, unrecognised } = parseFreeText(text);
    return { ok: true, record, kind: 'text', unrecognised };
  }
  try {
    const records = parseRecordsText(text, '粘贴的 JSON');
    const first = records[0];
    if (!first) return { ok: false, reason: 'invalid', message: '粘贴的 JSON 中没有记录' };
    return { ok: true, record: first, kind: 'json', unrecognised: [] };
  } catch (e) {
    return { ok: false, reason: 'invalid', message: e instanceof Error ? e.message : String(e) };
  }
}
