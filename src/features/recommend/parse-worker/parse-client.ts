/**
 * Where a paste is parsed. A note of ordinary length is parsed on the main thread (a few ms; no
 * worker round trip); one of at least OFF_THREAD_CHARS goes to the parse
 * worker. When the worker cannot be started or fails, the paste is parsed on the main thread as
 * before: the size notice (parse-note.ts LARGE_NOTE_CHARS) still tells the user what happened.
 */
import { parseNote, type ParsedNote } from '../parse-note.ts';
import type { ParseReply, ParseRequest } from './protocol.ts';

/** From this many characters a paste is parsed off the main thread (~20 ms of parsing in Chromium). */
export const OFF_THREAD_CHARS = 50_000;

let worker: Worker | null = null;
let broken = false;
let nextId = 1;
const pending = new Map<number, (r: ParseReply) => void>();

function startWorker(): Worker | null {
  if (worker || broken) return worker;
  if (typeof Worker === 'undefined') {
    broken = true;
    return null;
  }
  try {
    worker = new Worker(new URL('./parse.worker.ts', import.meta.url), { type: 'module', name: 'dischargerx-parse' });
  } catch {
    broken = true;
    return null;
  }
  worker.onmessage = (e: MessageEvent<ParseReply>) => {
    pending.get(e.data.id)?.(e.data);
    pending.delete(e.data.id);
  };
  worker.onerror = (e) => {
    // A worker that cannot load (blocked, failed import): every waiting parse falls back.
    e.preventDefault();
    broken = true;
    worker?.terminate();
    worker = null;
    for (const [id, done] of pending) done({ id, ok: false, error: e.message || 'parse worker failed' });
    pending.clear();
  };
  return worker;
}

function inWorker(w: Worker, text: string): Promise<ParseReply> {
  const id = nextId++;
  return new Promise((resolve) => {
    pending.set(id, resolve);
    w.postMessage({ id, text } satisfies ParseRequest);
  });
}

/** The paste parsed (by parse-note.ts `parseNote`), and where: 'worker' or 'main'. */
export async function parsePaste(text: string): Promise<{ result: ParsedNote; where: 'worker' | 'main' }> {
  const w = text.length >= OFF_THREAD_CHARS ? startWorker() : null;
  if (w) {
    const started = performance.now();
    const reply = await inWorker(w, text);
    if (reply.ok) {
      // Page-side wall time of the off-thread parse (e2e/parsing.spec.ts logs it).
      performance.measure('drx:parse-note-worker', { start: started });
      return { result: reply.result, where: 'worker' };
    }
  }
  const started = performance.now();
  const result = parseNote(text);
  // A named measure, so a slow paste can be told apart from slow rendering (e2e/parsing.spec.ts).
  performance.measure('drx:parse-note', { start: started });
  return { result, where: 'main' };
}
