/**
 * Typed input errors. Everything that goes wrong because of the *data* a user supplied
 * (a record file, a submission, a candidate list) is reported as a RecordError whose
 * message names the file, the line or element, and the field — one line, no stack trace
 * needed — e.g. `test.jsonl line 17, field 就诊标识: missing visit id`.
 *
 * Browser-safe: no Node imports.
 */

/** Where a value came from: a file (or UI label), and a 1-based line and/or 0-based element index. */
export interface RecordLocation {
  source: string;
  /** 1-based line number in the source text (JSONL, or the start of a JSON value). */
  line?: number;
  /** 0-based index in a JSON array. */
  index?: number;
}

/** `test.jsonl line 17`, `test.json[3]`, `test.json[3] (line 40)`, or just `test.json`. */
export function formatLocation(where: RecordLocation, field?: string): string {
  let s = where.source;
  if (where.index !== undefined) s += `[${where.index}]`;
  if (where.line !== undefined) s += where.index !== undefined ? ` (line ${where.line})` : ` line ${where.line}`;
  if (field !== undefined) s += `, field ${field}`;
  return s;
}

/** A problem with user-supplied data, located precisely. `message` is a single line. */
export class RecordError extends Error {
  override readonly name = 'RecordError';
  readonly source: string;
  readonly line?: number;
  readonly index?: number;
  readonly field?: string;
  /** The problem without the location prefix, e.g. `missing visit id`. */
  readonly reason: string;

  constructor(reason: string, where: RecordLocation, field?: string) {
    super(oneLine(`${formatLocation(where, field)}: ${reason}`));
    this.reason = oneLine(reason);
    this.source = where.source;
    if (where.line !== undefined) this.line = where.line;
    if (where.index !== undefined) this.index = where.index;
    if (field !== undefined) this.field = field;
  }
}

export function isRecordError(e: unknown): e is RecordError {
  return e instanceof RecordError;
}

/** Collapse newlines/tabs so an error always prints as one line. */
export function oneLine(s: string): string {
  return s.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

/** Short description of a JSON value's type for messages: `array`, `null`, `number`… */
export function describeType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}
