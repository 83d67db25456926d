/**
 * A module worker that parses a long paste (parse-note.ts `parseNote`: traditional → simplified,
 * JSON or free text), so a megabyte pasted by mistake does not freeze the page. It only routes
 * typed messages; the parser is the same one the main thread runs for short notes.
 */
import { parseNote } from '../parse-note.ts';
import type { ParseReply, ParseRequest } from './protocol.ts';

self.onmessage = (e: MessageEvent<ParseRequest>) => {
  const { id, text } = e.data;
  const started = performance.now();
  let reply: ParseReply;
  try {
    reply = { id, ok: true, result: parseNote(text), ms: performance.now() - started };
  } catch (err) {
    reply = { id, ok: false, error: err instanceof Error ? err.message : String(err) };
  }
  self.postMessage(reply);
};
