/**
 * Reading a whole records file (already decoded to a string) into CDrugRedRecord[].
 *
 * Accepted layouts: a single JSON object, a JSON array of objects, or JSONL (one object per
 * line). UTF-8 BOM stripped, CRLF/CR accepted, blank lines ignored. Errors are RecordErrors
 * naming the source and the line (JSONL) or element index (array).
 *
 * decodeUtf8Strict() is the byte-level helper the CLI (and a browser File reader) uses
 * before calling parseRecordsText(), so that a GBK or UTF-16 file fails with a clear message
 * instead of producing mojibake.
 *
 * Browser-safe: no Node imports.
 */
import type { CDrugRedRecord } from './record.ts';
import { RecordError, type RecordLocation } from './errors.ts';
import { parseRecord, validateRecords, type LocatedRecord, type RecordNote } from './parse-record.ts';

/**
 * A JSON syntax error, located. Still a RecordError (same one-line English message for the CLI
 * and the batch screen); the extra fields let a UI say the same thing in the user's language:
 * `detail` is the engine's own wording, `column` the 1-based column, `nearField` the last
 * object key before the problem (the field being written when the JSON broke).
 */
export class JsonSyntaxError extends RecordError {
  readonly detail: string;
  readonly column?: number;
  readonly nearField?: string;
  readonly truncated: boolean;

  constructor(info: JsonErrorInfo, where: RecordLocation) {
    super(info.reason, where);
    this.detail = info.detail;
    this.truncated = info.truncated;
    if (info.column !== undefined) this.column = info.column;
    if (info.nearField !== undefined) this.nearField = info.nearField;
  }
}

export interface JsonErrorInfo {
  /** One-line English reason, e.g. `invalid JSON: Expected ',' … (column 23)`. */
  reason: string;
  line?: number;
  column?: number;
  /** The JSON engine's message without position boilerplate. */
  detail: string;
  /** The last `"key":` before the problem, if any. */
  nearField?: string;
  /** The text ends before the JSON value does. */
  truncated: boolean;
}

/** Remove a leading UTF-8 BOM and normalise line endings to \n. */
export function normalizeText(text: string): string {
  return text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
}

/**
 * Turn a JSON.parse error into a short one-line reason, with the line (and column) of the
 * problem relative to `text`. V8 reports a position for some errors only ("… at position 12");
 * otherwise the position is found by bisection: the shortest prefix of `text` that fails
 * with an error other than "unexpected end" ends at the offending character.
 */
export function describeJsonError(e: unknown, text: string, lineOffset = 0): JsonErrorInfo {
  const raw = e instanceof Error ? e.message : String(e);
  let reason = raw
    .replace(/\s*\(line \d+ column \d+\)\s*$/, '')
    .replace(/,\s*"(?:\.\.\.)?[\s\S]*?(?:\.\.\.)?"\s*is not valid JSON$/, '')
    .replace(/\s*in JSON at position \d+/, '')
    .replace(/^JSON\.parse:\s*/, '')
    .trim();
  const isEof = /Unexpected end of JSON input|Unterminated string/i.test(raw);
  if (/Unexpected end of JSON input/i.test(raw)) reason = 'unexpected end of JSON (truncated?)';
  const m = /at position (\d+)/.exec(raw);
  let pos: number | undefined = m ? Number(m[1]) : undefined;
  if (pos === undefined && !isEof) pos = bisectJsonError(text);
  if (pos === undefined && isEof) pos = text.trimEnd().length;
  if (pos === undefined) return { reason: `invalid JSON: ${reason}`, detail: reason, truncated: isEof };
  const before = text.slice(0, pos);
  const line = before.split('\n').length;
  const column = pos - before.lastIndexOf('\n');
  const info: JsonErrorInfo = {
    reason: `invalid JSON: ${reason} (column ${column})`,
    line: line + lineOffset,
    column,
    detail: reason,
    truncated: isEof,
  };
  const nearField = lastKeyBefore(before);
  if (nearField !== undefined) info.nearField = nearField;
  return info;
}

/** The last object key (`"主诉":`) in `text`, unescaped; undefined if none. */
function lastKeyBefore(text: string): string | undefined {
  let key: string | undefined;
  for (const m of text.matchAll(/"((?:[^"\\\n]|\\.)*)"\s*:/g)) key = m[1];
  if (key === undefined) return undefined;
  try {
    return JSON.parse(`"${key}"`) as string;
  } catch {
    return key;
  }
}

function failsBeforeEnd(prefix: string): boolean {
  try {
    JSON.parse(prefix);
    return false;
  } catch (e) {
    return !/Unexpected end of JSON input|Unterminated string/i.test(e instanceof Error ? e.message : String(e));
  }
}

function bisectJsonError(text: string): number | undefined {
  if (!failsBeforeEnd(text)) return undefined;
  let lo = 0; // failsBeforeEnd(text.slice(0, lo)) is false
  let hi = text.length; // … is true
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (failsBeforeEnd(text.slice(0, mid))) hi = mid;
    else lo = mid;
  }
  return hi - 1;
}

/**
 * Parse records text, keeping each record's location. `onNote` hears about values the parser
 * dropped (an implausible BMI …) so a UI can tell the user.
 */
export function parseLocatedRecords(
  text: string,
  source: string,
  onNote?: (note: RecordNote) => void,
): LocatedRecord[] {
  const t = normalizeText(text);
  if (t.trim() === '') throw new RecordError('file is empty', { source });

  const firstChar = t.trimStart()[0];
  const items: LocatedRecord[] = [];

  if (firstChar === '[') {
    const value = parseWholeJson(t, source);
    if (!Array.isArray(value)) throw new RecordError('expected a JSON array of records', { source });
    if (value.length === 0) throw new RecordError('file contains an empty array (no records)', { source });
    value.forEach((v, index) => {
      const where = { source, index };
      items.push({ record: parseRecord(v, where, onNote), where });
    });
  } else if (firstChar === '{' && isSingleJsonValue(t)) {
    const value = JSON.parse(t) as unknown;
    const line = t.slice(0, t.indexOf('{')).split('\n').length;
    const where = { source, line };
    items.push({ record: parseRecord(value, where, onNote), where });
  } else {
    const lines = t.split('\n');
    lines.forEach((l, i) => {
      const lineNo = i + 1;
      if (l.trim() === '') return;
      let value: unknown;
      try {
        value = JSON.parse(l);
      } catch (e) {
        if (i === firstContentLine(lines) && firstChar === '{') {
          // Probably a pretty-printed (multi-line) JSON object that is malformed:
          // report the whole-document error rather than "line 1: unexpected end".
          parseWholeJson(t, source);
        }
        const info = describeJsonError(e, l);
        throw new JsonSyntaxError(info, { source, line: lineNo });
      }
      const where = { source, line: lineNo };
      items.push({ record: parseRecord(value, where, onNote), where });
    });
  }
  validateRecords(items);
  return items;
}

/** Parse a records file's text: a JSON object, a JSON array or JSONL. */
export function parseRecordsText(
  text: string,
  source: string,
  onNote?: (note: RecordNote) => void,
): CDrugRedRecord[] {
  return parseLocatedRecords(text, source, onNote).map((x) => x.record);
}

function firstContentLine(lines: string[]): number {
  return lines.findIndex((l) => l.trim() !== '');
}

function isSingleJsonValue(t: string): boolean {
  try {
    JSON.parse(t);
    return true;
  } catch {
    return false;
  }
}

function parseWholeJson(t: string, source: string): unknown {
  try {
    return JSON.parse(t) as unknown;
  } catch (e) {
    const info = describeJsonError(e, t);
    throw new JsonSyntaxError(info, info.line === undefined ? { source } : { source, line: info.line });
  }
}

// ---------------------------------------------------------------------------------------
// Bytes → text

/**
 * Decode bytes as UTF-8, failing clearly on anything else. A UTF-8 BOM is stripped.
 * UTF-16 (either BOM) and invalid UTF-8 (typically GBK/GB18030 from Excel or Windows
 * tools) throw RecordError naming the line and byte offset of the first bad byte.
 */
export function decodeUtf8Strict(bytes: Uint8Array, source: string): string {
  if (bytes.length >= 2) {
    const b0 = bytes[0];
    const b1 = bytes[1];
    if ((b0 === 0xff && b1 === 0xfe) || (b0 === 0xfe && b1 === 0xff)) {
      const kind = b0 === 0xff ? 'UTF-16LE' : 'UTF-16BE';
      throw new RecordError(`file is ${kind} (byte-order mark found), not UTF-8: re-save as UTF-8`, { source });
    }
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const offset = firstInvalidUtf8(bytes);
    let line = 1;
    for (let i = 0; i < offset && i < bytes.length; i++) if (bytes[i] === 0x0a) line++;
    throw new RecordError(
      `not valid UTF-8 (GBK? re-save as UTF-8): first bad byte at offset ${offset}`,
      { source, line },
    );
  }
}

/** Byte offset of the first invalid UTF-8 sequence (bytes.length if none). */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  const n = bytes.length;
  while (i < n) {
    const b = bytes[i] ?? 0;
    let need: number;
    let min: number;
    if (b < 0x80) {
      i++;
      continue;
    } else if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else {
      return i;
    }
    let cp = b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return n;
}
