/**
 * Key laboratory values read from a note: the ones that decide a discharge regimen (renal
 * function and potassium for metformin/SGLT2i/RAS blockers/MRA, HbA1c for insulin, lipids for
 * statins and fibrates, urate, thyroid, liver, heart failure).
 *
 * One table of lab definitions, one scanner. Cue-based and conservative: a value is taken only
 * when a known lab name is followed (after an optional bracketed qualifier and a separator) by
 * a number in the lab's plausible range. Each value keeps the clause it came from, so the
 * screen and the safety rules can quote the note.
 */
import type { FactSource } from './fact-source.ts';

export type LabKey = 'egfr' | 'cr' | 'k' | 'hba1c' | 'fpg' | 'ldl' | 'tg' | 'ua' | 'tsh' | 'ft4' | 'alt' | 'bnp' | 'uacr' | 'tscore';

/** Which of several values in one note is reported: the worst for safety, else the first. */
type Pick = 'min' | 'max' | 'first';

interface LabDef {
  key: LabKey;
  /** Short label used in the prompt's fact block. */
  label: string;
  /** Alternatives of the lab's name as charts write it (regex source, no capture groups). */
  names: string;
  /** ASCII names must not be glued to a preceding letter ("CK" is not "K"). */
  asciiGuard: boolean;
  min: number;
  max: number;
  pick: Pick;
  /** Decimal places kept in the prompt. */
  digits: number;
  /** Converts a value written in another unit (detected from the text after the number). */
  convert?: (value: number, unitText: string) => number;
}

const UA_MG_DL = /^\s*mg\s*\/\s*dl/i;
const LIPID_MG_DL = /^\s*mg\s*\/\s*dl/i;

export const LAB_DEFS: readonly LabDef[] = [
  {
    key: 'egfr',
    label: 'eGFR',
    names: 'e?GFR|估算肾小球滤过率|肾小球滤过率|肌酐清除率|Ccr|CrCl',
    asciiGuard: true,
    min: 1,
    max: 200,
    pick: 'min',
    digits: 0,
  },
  { key: 'cr', label: 'Cr', names: '血肌酐|肌酐|Scr|Cr(?!Cl)', asciiGuard: true, min: 20, max: 2000, pick: 'max', digits: 0 },
  { key: 'k', label: 'K', names: '血钾|血清钾|钾离子|钾|K\\+|K', asciiGuard: true, min: 1.5, max: 9, pick: 'max', digits: 1 },
  { key: 'hba1c', label: 'HbA1c', names: '糖化血红蛋白|HbA1c|HBA1C|糖化', asciiGuard: true, min: 3, max: 20, pick: 'first', digits: 1 },
  { key: 'fpg', label: 'FPG', names: '空腹血糖|空腹静脉血糖|FPG|FBG|GLU', asciiGuard: true, min: 1, max: 40, pick: 'first', digits: 1 },
  {
    key: 'ldl',
    label: 'LDL',
    names: '低密度脂蛋白胆固醇|低密度脂蛋白|LDL-C|LDL',
    asciiGuard: true,
    min: 0.3,
    max: 15,
    pick: 'first',
    digits: 1,
    convert: (v, u) => (LIPID_MG_DL.test(u) ? v / 38.67 : v),
  },
  {
    key: 'tg',
    label: 'TG',
    names: '甘油三酯|三酰甘油|TG|TRIG',
    asciiGuard: true,
    min: 0.2,
    max: 60,
    pick: 'first',
    digits: 1,
    convert: (v, u) => (LIPID_MG_DL.test(u) ? v / 88.57 : v),
  },
  {
    key: 'ua',
    label: 'UA',
    names: '血尿酸|尿酸|SUA|UA',
    asciiGuard: true,
    min: 60,
    max: 1500,
    pick: 'max',
    digits: 0,
    // 8.2 mg/dl → 488 μmol/L; the range check runs after conversion.
    convert: (v, u) => (UA_MG_DL.test(u) || v < 25 ? v * 59.48 : v),
  },
  { key: 'tsh', label: 'TSH', names: '促甲状腺激素|TSH', asciiGuard: true, min: 0.001, max: 500, pick: 'first', digits: 2 },
  { key: 'ft4', label: 'FT4', names: '游离甲状腺素|游离T4|FT4', asciiGuard: true, min: 0.5, max: 150, pick: 'first', digits: 1 },
  { key: 'alt', label: 'ALT', names: '谷丙转氨酶|丙氨酸氨基转移酶|ALT|GPT', asciiGuard: true, min: 1, max: 5000, pick: 'max', digits: 0 },
  { key: 'bnp', label: 'BNP', names: 'N端脑钠肽前体|NT-proBNP|proBNP|脑钠肽|BNP', asciiGuard: true, min: 5, max: 70000, pick: 'max', digits: 0 },
  { key: 'uacr', label: 'UACR', names: '尿微量白蛋白/肌酐|尿白蛋白肌酐比|尿白蛋白/肌酐比值|UACR|ACR', asciiGuard: true, min: 1, max: 20000, pick: 'max', digits: 0 },
  { key: 'tscore', label: 'T值', names: '骨密度T值|BMD T值|腰椎T值|股骨颈T值|T值', asciiGuard: true, min: -7, max: 4, pick: 'min', digits: 1 },
];

export interface LabValue {
  key: LabKey;
  value: number;
  source: FactSource;
}

export type LabValues = Partial<Record<LabKey, LabValue>>;

/** Text fields scanned, in chart order. */
const LAB_FIELDS = ['主诉', '现病史', '既往史', '入院情况', '诊疗过程描述'] as const;
const CLAUSE_SPLIT = /[。；;，,\n]/;

function clauseAround(text: string, start: number, end: number): string {
  let s = start;
  while (s > 0 && !CLAUSE_SPLIT.test(text[s - 1] ?? '')) s--;
  let e = end;
  while (e < text.length && !CLAUSE_SPLIT.test(text[e] ?? '')) e++;
  return text.slice(s, e).trim();
}

function patternFor(def: LabDef): RegExp {
  // name, optional (qualifier), optional separator words, optional sign, number.
  return new RegExp(
    `(?:${def.names})\\s*(?:[（(][^）)]{0,20}[）)])?\\s*(?:[:：=]|为|约|是|达|下降至|降至|升至|升高至|仅)?\\s*(?:为|约)?\\s*(-?\\d{1,5}(?:\\.\\d+)?)`,
    'gi',
  );
}

const PATTERNS = new Map<LabKey, RegExp>(LAB_DEFS.map((d) => [d.key, patternFor(d)]));

/** One lab value as written in a note: its definition, value (in the table's unit) and where it stands. */
interface LabMatch {
  def: LabDef;
  value: number;
  field: (typeof LAB_FIELDS)[number];
  /** The field's text as scanned (NFKC) and as written, and the match's place in it. */
  text: string;
  raw: string;
  start: number;
  end: number;
}

/** What the scanner reads of a record: its text fields (a CDrugRed record or any object with them). */
type LabRecord = Readonly<Partial<Record<(typeof LAB_FIELDS)[number], unknown>>>;

/** Every lab value the note writes (of one lab, when `only` names it), in field and text order (the one scanner). */
function* labMatches(record: LabRecord, only?: LabKey): Generator<LabMatch> {
  for (const field of LAB_FIELDS) {
    const raw = record[field];
    if (typeof raw !== 'string' || raw === '') continue;
    const text = raw.normalize('NFKC');
    for (const def of LAB_DEFS) {
      if (only !== undefined && def.key !== only) continue;
      const re = PATTERNS.get(def.key)!;
      re.lastIndex = 0;
      for (const m of text.matchAll(re)) {
        const start = m.index;
        if (def.asciiGuard && /[A-Za-z]/.test(text[start - 1] ?? '') && /^[A-Za-z]/.test(m[0])) continue;
        let value = Number(m[1]);
        if (!Number.isFinite(value)) continue;
        if (def.key !== 'tscore' && value < 0) continue;
        const after = text.slice(start + m[0].length, start + m[0].length + 8);
        if (def.convert) value = def.convert(value, after);
        // "钾" inside another word ("氯化钾缓释片", "枸橼酸钾") is a drug, not a lab.
        if (def.key === 'k' && /(?:化|酸|橼)$/.test(text.slice(Math.max(0, start - 1), start))) continue;
        if (value < def.min || value > def.max) continue;
        yield { def, value, field, text, raw, start, end: start + m[0].length };
      }
    }
  }
}

/** Key lab values of a record (any object with the CDrugRed text fields). */
export function extractLabs(record: { [field: string]: unknown }): LabValues {
  const out: LabValues = {};
  for (const { def, value, field, text, raw, start, end } of labMatches(record)) {
    const prev = out[def.key];
    const better = prev === undefined || (def.pick === 'min' && value < prev.value) || (def.pick === 'max' && value > prev.value);
    // Quote the chart's own characters when NFKC kept the length (the usual case).
    const quoted = text.length === raw.length ? raw : text;
    if (better) out[def.key] = { key: def.key, value, source: { field, text: clauseAround(quoted, start, end) } };
  }
  return out;
}

/** Every value of one lab the note writes (extractLabs reports one of them, by the lab's pick). */
export function labValuesOf(record: LabRecord, key: LabKey): number[] {
  const out: number[] = [];
  for (const m of labMatches(record, key)) out.push(m.value);
  return out;
}

/** "eGFR24；K6.1；HbA1c9.8" — the labs present, in table order, rounded for the prompt. */
export function labsText(labs: LabValues, joiner: string): string {
  const parts: string[] = [];
  for (const def of LAB_DEFS) {
    const v = labs[def.key];
    if (!v) continue;
    // "FT4 8.1", not "FT48.1": a label ending in a digit needs a separator.
    parts.push(def.label + (/\d$/.test(def.label) ? ':' : '') + formatLabNumber(v.value, def.digits));
  }
  return parts.join(joiner);
}

function formatLabNumber(value: number, digits: number): string {
  const f = 10 ** digits;
  const r = Math.round(value * f) / f;
  return digits === 0 ? String(Math.round(r)) : r.toFixed(digits).replace(/\.?0+$/, '') || '0';
}
