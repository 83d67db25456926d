/**
 * Parsing and validation of one CDrugRed record (a JSON value) into CDrugRedRecord.
 *
 * Lenient where real data is messy:
 *  - BMI: number | null | "" | "24.5" | "24.5kg/m2" | "BMI 24.5" → number | null
 *    (non-numeric, negative or implausible values → null, reported through `onNote`);
 *  - 患者序号 / 就诊标识 given as numbers → strings;
 *  - 出院诊断 / 出院带药列表 given as one string separated by 、，,;； or newlines → array
 *    (bracket-aware, sequential list numbering "1." "2、" stripped, items trimmed, empties dropped);
 *  - missing (or null) text fields → '';  出院带药列表 absent/null → undefined;
 *  - unknown keys kept in 其他 as strings (non-strings JSON-encoded).
 * Strict where it matters:
 *  - the value must be a JSON object;  就诊标识 must be present and non-empty;
 *  - a text field holding an object/array-of-objects is an error, not silently stringified.
 *
 * Browser-safe: no Node imports.
 */
import * as v from 'valibot';
import { CDRUGRED_FIELDS, type CDrugRedRecord } from './record.ts';
import { RecordError, describeType, type RecordLocation } from './errors.ts';
import promptSpec from './prompt-spec.json' with { type: 'json' };

export type { RecordLocation } from './errors.ts';

const KNOWN_FIELDS: ReadonlySet<string> = new Set<string>([...CDRUGRED_FIELDS, '其他']);

/**
 * Plausible BMI range: the prompt's own (prompt-spec.json demographics.bmiMin/bmiMax), so the
 * parser and the prompt agree on what an implausible BMI is (one rule). Values outside become
 * null here, with a note for the user, instead of reaching the prompt as "未知" silently.
 */
export const BMI_MIN: number = promptSpec.demographics.bmiMin;
export const BMI_MAX: number = promptSpec.demographics.bmiMax;

/** Why a BMI value was not used: shown to the user (never silently turned into another number). */
export type BmiProblem = 'negative' | 'implausible' | 'unreadable';

export interface BmiReading {
  bmi: number | null;
  /** Set when a value was given but not used. */
  problem: BmiProblem | null;
}

/**
 * Reads a BMI value and says why one was not used. Takes the first decimal number in a string
 * (full-width digits and `．` accepted). A minus sign directly before the number ("-23.5",
 * "BMI：−23.5") makes it negative (it used to be read as +23.5); a dash glued to a letter
 * ("BMI-23.5") is a separator, not a sign.
 */
export function readBmi(value: unknown): BmiReading {
  let n: number;
  if (value === null || value === undefined || value === '') return { bmi: null, problem: null };
  if (typeof value === 'number') {
    n = value;
  } else if (typeof value === 'string') {
    const s = value.normalize('NFKC').replace(/\u2212/g, '-');
    if (s.trim() === '') return { bmi: null, problem: null };
    const m = /(^|[^A-Za-z])(-\s*)?(\d+(?:\.\d+)?)/.exec(s);
    if (!m) return { bmi: null, problem: 'unreadable' };
    n = Number(m[3]) * (m[2] ? -1 : 1);
  } else {
    return { bmi: null, problem: 'unreadable' };
  }
  if (!Number.isFinite(n)) return { bmi: null, problem: 'unreadable' };
  if (n < 0) return { bmi: null, problem: 'negative' };
  if (n < BMI_MIN || n > BMI_MAX) return { bmi: null, problem: 'implausible' };
  return { bmi: n, problem: null };
}

/** Lenient BMI parsing: the number, or null for missing, unreadable, negative or implausible values. */
export function parseBmi(value: unknown): number | null {
  return readBmi(value).bmi;
}

// ---------------------------------------------------------------------------------------
// List splitting (shared with free-text.ts)

const OPEN_BRACKETS = '（(【[《{〔';
const CLOSE_BRACKETS = '）)】]》}〕';
const LIST_SEPARATORS = '、，,;；\n';

const CN_DIGITS: Record<string, number> = {
  一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9, 十: 10,
};
const CIRCLED = '①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳';

/** A list-numbering marker at `text[pos]`: `1.` `1、` `1)` `(1)` `（1）` `①` `一、`. */
const MARKER_RE =
  /(?:(\d{1,2})\s*[.．、)）]|[（(](\d{1,2})[)）]|([①-⑳])|([一二三四五六七八九十])、)/y;

interface Marker {
  start: number;
  end: number;
  num: number;
}

function markerAt(text: string, pos: number): Marker | null {
  MARKER_RE.lastIndex = pos;
  const m = MARKER_RE.exec(text);
  if (!m) return null;
  let num: number;
  if (m[1] !== undefined) num = Number(m[1]);
  else if (m[2] !== undefined) num = Number(m[2]);
  else if (m[3] !== undefined) num = CIRCLED.indexOf(m[3]) + 1;
  else num = CN_DIGITS[m[4] ?? ''] ?? -1;
  return { start: pos, end: pos + m[0].length, num };
}

/**
 * Split a numbered list "1.2型糖尿病 2.高血压病3级 3.高脂血症" at its markers. A marker is
 * only accepted if it carries the next expected number (1, 2, 3 …) and is not glued to a
 * preceding digit, so decimals such as "0.5g" or "3.5级" are never mistaken for numbering.
 * Returns null if the text does not start with marker 1.
 */
export function splitNumbered(text: string): string[] | null {
  const t = text.trim();
  const first = markerAt(t, 0);
  if (!first || first.num !== 1) return null;
  const items: string[] = [];
  let expected = 2;
  let itemStart = first.end;
  for (let i = first.end; i < t.length; i++) {
    const prev = t[i - 1] ?? '';
    if (/[\d.．]/.test(prev)) continue;
    const m = markerAt(t, i);
    if (m && m.num === expected) {
      items.push(t.slice(itemStart, m.start));
      itemStart = m.end;
      expected++;
      i = m.end - 1;
    }
  }
  items.push(t.slice(itemStart));
  return items;
}

/** Split on separators outside brackets: "糖尿病肾病（CKD3期、蛋白尿），高血压" → 2 items. */
export function splitOutsideBrackets(text: string, separators: string = LIST_SEPARATORS): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of text) {
    if (OPEN_BRACKETS.includes(ch)) depth++;
    else if (CLOSE_BRACKETS.includes(ch)) depth = Math.max(0, depth - 1);
    if (ch === '\n') depth = 0; // a newline always ends an item, even with an unclosed bracket
    if (depth === 0 && separators.includes(ch)) {
      out.push(cur);
      cur = '';
    } else {
      cur += ch;
    }
  }
  out.push(cur);
  return out;
}

/** Strip one leading list marker ("1." "2、" "(3)" "④" "一、") if it is followed by text. */
export function stripNumbering(item: string): string {
  const t = item.trim();
  const m = markerAt(t, 0);
  if (!m) return t;
  const rest = t.slice(m.end).trim();
  // "1.5mg" is not numbering: a decimal point followed by a digit and a unit. Only strip a
  // `N.` marker followed by a digit when the remainder looks like "2型…" (a CJK char follows).
  if (/^\d+[.．]/.test(t) && /^\d/.test(rest) && !/^\d+[\u4e00-\u9fff]/.test(rest)) return t;
  return rest;
}

/**
 * Turn a list given as one string into items: lines and numbered items first, then
 * 、，,;； outside brackets; numbering stripped; trimmed; empties dropped.
 */
export function splitList(text: string): string[] {
  const items: string[] = [];
  for (const line of text.replace(/\r\n?/g, '\n').split('\n')) {
    // A line that starts a numbered list is split at its markers; otherwise its own leading
    // marker ("二、冠心病" on a later line) is removed before splitting on 、 etc.
    const numbered = splitNumbered(line) ?? [stripNumbering(line)];
    for (const chunk of numbered) {
      for (const piece of splitOutsideBrackets(chunk)) {
        const s = stripNumbering(piece).replace(/[。.]+$/u, '').trim();
        if (s) items.push(s);
      }
    }
  }
  return items;
}

// ---------------------------------------------------------------------------------------

// The record's shape, one valibot schema. Each message is "<expected>, got <JSON type>": the
// recommend screen words these reasons in zh/en (features/recommend/parse-messages.ts), so
// their text is part of the interface.

const got = (expected: string) => (issue: v.BaseIssue<unknown>) => `${expected}, got ${describeType(issue.input)}`;

/** Text: a string, a number or boolean, or a list of strings/numbers (one per line); absent → ''. */
const Text = v.pipe(
  v.nullish(v.union([v.string(), v.number(), v.boolean(), v.array(v.union([v.string(), v.number()]))], got('expected text')), ''),
  v.transform((x) => (Array.isArray(x) ? x.map(String).join('\n') : String(x))),
);
const TrimmedText = v.pipe(Text, v.trim());
/** An id: a string (trimmed) or a finite number; absent → ''. */
const Id = v.pipe(
  v.nullish(v.union([v.pipe(v.string(), v.trim()), v.pipe(v.number(), v.finite(got('expected a string or number')))], got('expected a string or number')), ''),
  v.transform(String),
);
/**
 * A list item, checked by a validation rather than a union of item types: the union below
 * then reports the item's own issue (with its index) instead of "expected a list".
 */
const ListItem = v.pipe(v.unknown(), v.check((x) => x == null || typeof x === 'string' || typeof x === 'number', got('expected a string')));
/** A list: an array (null items skipped, items trimmed, empties dropped) or one string split by splitList; absent → undefined. */
const List = v.pipe(
  v.nullish(v.union([v.string(), v.array(ListItem)], got('expected a list of strings'))),
  v.transform((x) => {
    if (x === null || x === undefined) return undefined;
    if (typeof x === 'string') return splitList(x);
    return x.flatMap((item) => {
      const s = item === null || item === undefined ? '' : String(item).trim();
      return s ? [s] : [];
    });
  }),
);

/** Keys matched after trimming whitespace and a BOM (a BOM sticks to the first key of a file). */
function trimKeys(value: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(value)) out[k.replace(/^\uFEFF/, '').trim()] = x;
  return out;
}

/**
 * Fields in the order they are checked (the first problem is reported). Unknown keys are kept
 * (loose) for 其他; BMI is read leniently by readBmi.
 */
const RecordSchema = v.pipe(
  v.custom<Record<string, unknown>>((x) => typeof x === 'object' && x !== null && !Array.isArray(x), got('expected a JSON object (one record)')),
  v.transform(trimKeys),
  v.looseObject({
    就诊标识: v.pipe(Id, v.nonEmpty('missing visit id')),
    患者序号: Id,
    性别: TrimmedText,
    出生日期: TrimmedText,
    民族: TrimmedText,
    就诊时间: TrimmedText,
    出院诊断: List,
    主诉: Text,
    现病史: Text,
    既往史: Text,
    入院情况: Text,
    诊疗过程描述: Text,
    BMI: v.optional(v.unknown()),
    出院带药列表: List,
    其他: v.optional(v.unknown()),
  }),
);

function asText(x: unknown): string {
  return typeof x === 'string' ? x : JSON.stringify(x) ?? String(x);
}

/**
 * Parse one record. Keys are matched after trimming whitespace/BOM. Throws RecordError
 * (with `where` and the offending field) if the value is not an object or has no visit id.
 */
/** Something the parser changed or dropped that the user should be told about (not an error). */
export interface RecordNote {
  where: RecordLocation;
  field: 'BMI';
  problem: BmiProblem;
  /** The value as given. */
  raw: string;
}

export function parseRecord(
  value: unknown,
  where: RecordLocation,
  onNote?: (note: RecordNote) => void,
): CDrugRedRecord {
  const parsed = v.safeParse(RecordSchema, value);
  if (!parsed.success) {
    const issue = parsed.issues[0];
    const [field, item] = issue.path ?? [];
    const reason = item ? `item ${String(item.key)}: ${issue.message}` : issue.message;
    throw new RecordError(reason, where, field === undefined ? undefined : String(field.key));
  }
  const obj = parsed.output;
  const record: CDrugRedRecord = {
    患者序号: obj.患者序号,
    就诊标识: obj.就诊标识,
    性别: obj.性别,
    出生日期: obj.出生日期,
    民族: obj.民族,
    BMI: null,
    就诊时间: obj.就诊时间,
    诊疗过程描述: obj.诊疗过程描述,
    入院情况: obj.入院情况,
    现病史: obj.现病史,
    既往史: obj.既往史,
    主诉: obj.主诉,
    出院诊断: obj.出院诊断 ?? [],
  };
  const bmi = readBmi(obj.BMI);
  record.BMI = bmi.bmi;
  if (bmi.problem && onNote) onNote({ where, field: 'BMI', problem: bmi.problem, raw: asText(obj.BMI) });
  if (obj.出院带药列表 !== undefined) record.出院带药列表 = obj.出院带药列表;

  const other: Record<string, string> = {};
  const given = obj.其他;
  if (given !== undefined && given !== null) {
    if (typeof given === 'object' && !Array.isArray(given)) {
      for (const [k, x] of Object.entries(given as Record<string, unknown>)) other[k] = asText(x);
    } else {
      other['其他'] = asText(given);
    }
  }
  for (const [k, x] of Object.entries(obj)) {
    if (!KNOWN_FIELDS.has(k) && x !== undefined) other[k] = asText(x);
  }
  if (Object.keys(other).length > 0) record.其他 = other;
  return record;
}

/** A parsed record with where it came from (for duplicate reports). */
export interface LocatedRecord {
  record: CDrugRedRecord;
  where: RecordLocation;
}

/** `line 3` / `element [2]` — the short form used when naming the *other* occurrence. */
function shortLocation(where: RecordLocation): string {
  if (where.line !== undefined) return `line ${where.line}`;
  if (where.index !== undefined) return `element [${where.index}]`;
  return where.source;
}

/**
 * Flag duplicate 就诊标识 within one file: throws a RecordError at the second occurrence
 * naming the first, e.g. `a.jsonl line 9, field 就诊标识: duplicate visit id "v1" (first at line 2)`.
 */
export function validateRecords(items: readonly LocatedRecord[]): void {
  const seen = new Map<string, RecordLocation>();
  for (const { record, where } of items) {
    const first = seen.get(record.就诊标识);
    if (first) {
      throw new RecordError(
        `duplicate visit id "${record.就诊标识}" (first at ${shortLocation(first)})`,
        where,
        '就诊标识',
      );
    }
    seen.set(record.就诊标识, where);
  }
}

/** Require the label (出院带药列表) on every record, e.g. for a gold file. */
export function requireLabels(items: readonly LocatedRecord[]): void {
  for (const { record, where } of items) {
    if (record.出院带药列表 === undefined) {
      throw new RecordError('missing discharge drugs (the gold label)', where, '出院带药列表');
    }
  }
}
