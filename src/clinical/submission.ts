/**
 * The CHIP 2025 Task 2 submission format: `[{"ID": "<就诊标识>", "prediction": ["药名", …]}, …]`.
 *
 * toSubmission() builds entries (input order kept, drug names trimmed and de-duplicated in
 * first-seen order); serializeSubmission() writes stable JSON — one entry per line, UTF-8,
 * Chinese not escaped, trailing newline; parseSubmission() reads one back leniently (BOM,
 * CRLF, numeric IDs, `id`/`就诊标识` as aliases of `ID`, a prediction given as one
 * 、/，-separated string, JSONL) and strictly where it matters (every element an object with
 * an ID and a prediction list; no duplicate IDs) with errors naming the element and field.
 *
 * Browser-safe: no Node imports.
 */
import type { SubmissionEntry } from './record.ts';
import { RecordError, describeType, type RecordLocation } from './errors.ts';
import { splitList } from './parse-record.ts';
import { describeJsonError, normalizeText } from './read-records.ts';

export type PredictionInput = ReadonlyMap<string, readonly string[]> | ReadonlyArray<{ id: string; drugs: readonly string[] }>;

function dedupe(names: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const n of names) {
    const s = n.trim();
    if (s && !seen.has(s)) {
      seen.add(s);
      out.push(s);
    }
  }
  return out;
}

/** Build submission entries; throws on a duplicated id in array input. */
export function toSubmission(predictions: PredictionInput): SubmissionEntry[] {
  const pairs: Array<[string, readonly string[]]> =
    predictions instanceof Map
      ? [...(predictions as ReadonlyMap<string, readonly string[]>).entries()]
      : (predictions as ReadonlyArray<{ id: string; drugs: readonly string[] }>).map((p) => [p.id, p.drugs]);
  const seen = new Set<string>();
  return pairs.map(([id, drugs]) => {
    if (seen.has(id)) throw new Error(`duplicate visit id in predictions: ${id}`);
    seen.add(id);
    return { ID: id, prediction: dedupe(drugs) };
  });
}

/** Stable serialisation: `[` newline, one compact entry per line, `]` newline. */
export function serializeSubmission(entries: readonly SubmissionEntry[]): string {
  if (entries.length === 0) return '[]\n';
  const lines = entries.map((e) => '  ' + JSON.stringify({ ID: e.ID, prediction: e.prediction }));
  return `[\n${lines.join(',\n')}\n]\n`;
}

const ID_KEYS = ['ID', 'id', 'Id', '就诊标识'] as const;
const PRED_KEYS = ['prediction', 'predictions', 'Prediction', '出院带药列表'] as const;

function parseEntry(v: unknown, where: RecordLocation): SubmissionEntry {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) {
    throw new RecordError(`expected an object {"ID", "prediction"}, got ${describeType(v)}`, where);
  }
  const o = v as Record<string, unknown>;
  const idKey = ID_KEYS.find((k) => o[k] !== undefined && o[k] !== null);
  const idVal = idKey === undefined ? undefined : o[idKey];
  let id: string;
  if (typeof idVal === 'string') id = idVal.trim();
  else if (typeof idVal === 'number' && Number.isFinite(idVal)) id = String(idVal);
  else if (idVal === undefined) throw new RecordError('missing visit id', where, 'ID');
  else throw new RecordError(`expected a string, got ${describeType(idVal)}`, where, 'ID');
  if (!id) throw new RecordError('missing visit id', where, 'ID');

  const pKey = PRED_KEYS.find((k) => o[k] !== undefined);
  if (pKey === undefined) throw new RecordError('missing prediction list', where, 'prediction');
  const p = o[pKey];
  let prediction: string[];
  if (p === null) prediction = [];
  else if (typeof p === 'string') prediction = splitList(p);
  else if (Array.isArray(p)) {
    prediction = p.map((x, i) => {
      if (typeof x !== 'string') {
        throw new RecordError(`item ${i}: expected a drug name string, got ${describeType(x)}`, where, 'prediction');
      }
      return x;
    });
  } else throw new RecordError(`expected a list of drug names, got ${describeType(p)}`, where, 'prediction');
  return { ID: id, prediction: dedupe(prediction) };
}

/** Parse a submission file's text (JSON array, or JSONL of entries). */
export function parseSubmission(text: string, source: string): SubmissionEntry[] {
  const t = normalizeText(text);
  if (t.trim() === '') throw new RecordError('file is empty', { source });
  const located: Array<{ entry: SubmissionEntry; where: RecordLocation }> = [];
  if (t.trimStart().startsWith('[')) {
    let value: unknown;
    try {
      value = JSON.parse(t);
    } catch (e) {
      const { reason, line } = describeJsonError(e, t);
      throw new RecordError(reason, line === undefined ? { source } : { source, line });
    }
    if (!Array.isArray(value)) throw new RecordError('expected a JSON array', { source });
    value.forEach((v, index) => {
      const where = { source, index };
      located.push({ entry: parseEntry(v, where), where });
    });
  } else {
    t.split('\n').forEach((l, i) => {
      if (l.trim() === '') return;
      const where = { source, line: i + 1 };
      let v: unknown;
      try {
        v = JSON.parse(l);
      } catch (e) {
        throw new RecordError(describeJsonError(e, l).reason, where);
      }
      located.push({ entry: parseEntry(v, where), where });
    });
  }
  const seen = new Map<string, RecordLocation>();
  for (const { entry, where } of located) {
    const first = seen.get(entry.ID);
    if (first) {
      const at = first.line !== undefined ? `line ${first.line}` : `element [${first.index}]`;
      throw new RecordError(`duplicate ID "${entry.ID}" (first at ${at})`, where, 'ID');
    }
    seen.set(entry.ID, where);
  }
  return located.map((x) => x.entry);
}

/** Submission entries → Map ID → prediction. */
export function submissionToMap(entries: readonly SubmissionEntry[]): Map<string, string[]> {
  return new Map(entries.map((e) => [e.ID, e.prediction]));
}
