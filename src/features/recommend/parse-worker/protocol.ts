import type { ParsedNote } from '../parse-note.ts';

/** Page → parse worker: one paste to parse (parse-note.ts `parseNote`). */
export interface ParseRequest {
  id: number;
  text: string;
}

/** Parse worker → page: the same result `parseNote` returns on the main thread (plain data). */
export type ParseReply = { id: number; ok: true; result: ParsedNote; ms: number } | { id: number; ok: false; error: string };
