/**
 * Free-text clinical note → CDrugRedRecord.
 *
 * Clinicians paste notes whose sections are introduced by headings — `主诉：`, `现病史:`,
 * `【既往史】`, `[诊疗经过]`, optionally numbered (`一、主诉`) or letter-spaced (`主 诉：`) —
 * in any order, some missing, each on its own line or inline after the previous section.
 * Header fields (`性别：男 年龄：56岁 BMI：26.1`) may sit on one line.
 *
 * Rules (documented because they are heuristics):
 *  - A *section* heading (table SECTION_HEADINGS) is recognised anywhere it follows a line
 *    start, whitespace or punctuation (，。；、) — never glued to a preceding CJK character,
 *    so "患者主诉：" inside prose is not a heading. Several headings may map to one field
 *    (查体/辅助检查 → 入院情况, 个人史 → 既往史); for those marked keepLabel the heading is kept
 *    as a prefix ("查体：…") so nothing is lost. Repeated sections are joined with newlines.
 *  - A *header field* (HEADER_FIELDS: 性别, 年龄, BMI, 就诊时间/入院日期, 住院号 …) is recognised
 *    before the first section, after an unknown heading, or at the start of any line. Its value
 *    is a short token (a date with optional time, a number with unit, 男/女 …); the text after
 *    it continues the current section. Inside a section's prose (e.g. "…体重75kg，BMI：26…")
 *    it is not extracted and stays in the text.
 *  - An *unknown heading* is `【任意】`, or `标签：` at a line start where the label is 2–8
 *    CJK/Latin letters and either the line has nothing after the colon, the label ends like a
 *    section name (史/情况/诊断/检查/经过/记录/医嘱/建议/计划/结果/意见), or we are not inside
 *    a known section. Its text goes to 其他[label] and to `unrecognised`.
 *  - Text before the first heading goes to 其他['未分段文本'] and to `unrecognised`.
 *  - 出院医嘱 / 出院建议 / 出院指导 (diet, follow-up) go to 其他[heading], not to 出院带药列表.
 *  - 出院诊断 / 出院带药 sections become arrays: numbered items ("1.2型糖尿病 2.高血压病3级"),
 *    lines and 、，,;； separate items; numbering is stripped.
 *  - Sex, age, BMI and the admission date are also read from common prose phrasings when no
 *    header gave them (findDemographics: "患者女，72岁", "男性，65岁", "BMI 27.3kg/m²",
 *    "体重指数27.3", "于2021-03-05入院", "2021年3月5日入院"); the text itself is left as it is.
 *  - 就诊标识: the note's own (就诊标识/就诊号) if present, else options.defaultId, else 'note-1'.
 *
 * Browser-safe: no Node imports.
 */
import type { CDrugRedRecord, TextField } from './record.ts';
import { readBmi, splitList, type BmiProblem } from './parse-record.ts';

export interface FreeTextResult {
  record: CDrugRedRecord;
  /** Raw snippets that could not be assigned to a CDrugRed field (also kept in record.其他). */
  unrecognised: string[];
  /** Set when the note gave a BMI that was not used (negative, implausible, unreadable). */
  bmiProblem?: { problem: BmiProblem; raw: string };
}

export interface FreeTextOptions {
  /** Visit id to use when the note has none (default 'note-1'). */
  defaultId?: string;
}

/** '其他': a recognised section with no CDrugRed field (kept under 其他[label], not as unrecognised). */
type SectionTarget = TextField | '出院诊断' | '出院带药列表' | '其他';
type HeaderTarget = '性别' | '出生日期' | '年龄' | '民族' | 'BMI' | '就诊时间' | '患者序号' | '就诊标识';

interface SectionHeading {
  label: string;
  target: SectionTarget;
  /** Keep the heading text as a prefix because it carries information (查体, 个人史 …). */
  keepLabel?: boolean;
}

/** Known section headings → record field. */
export const SECTION_HEADINGS: readonly SectionHeading[] = [
  { label: '主诉', target: '主诉' },
  { label: '现病史', target: '现病史' },
  { label: '既往史', target: '既往史' },
  { label: '既往病史', target: '既往史' },
  { label: '既往史及个人史', target: '既往史' },
  { label: '既往史及家族史', target: '既往史' },
  { label: '个人史', target: '既往史', keepLabel: true },
  { label: '家族史', target: '既往史', keepLabel: true },
  { label: '婚育史', target: '既往史', keepLabel: true },
  { label: '月经史', target: '既往史', keepLabel: true },
  { label: '过敏史', target: '既往史', keepLabel: true },
  { label: '用药史', target: '既往史', keepLabel: true },
  { label: '入院情况', target: '入院情况' },
  { label: '入院时情况', target: '入院情况' },
  { label: '入院时病情', target: '入院情况' },
  { label: '查体', target: '入院情况', keepLabel: true },
  { label: '入院查体', target: '入院情况', keepLabel: true },
  { label: '体格检查', target: '入院情况', keepLabel: true },
  { label: '专科检查', target: '入院情况', keepLabel: true },
  { label: '辅助检查', target: '入院情况', keepLabel: true },
  { label: '实验室检查', target: '入院情况', keepLabel: true },
  { label: '诊疗经过', target: '诊疗过程描述' },
  { label: '诊疗过程', target: '诊疗过程描述' },
  { label: '诊疗过程描述', target: '诊疗过程描述' },
  { label: '住院经过', target: '诊疗过程描述' },
  { label: '治疗经过', target: '诊疗过程描述' },
  { label: '住院诊疗经过', target: '诊疗过程描述' },
  { label: '住院期间诊疗经过', target: '诊疗过程描述' },
  { label: '出院诊断', target: '出院诊断' },
  { label: '出院时诊断', target: '出院诊断' },
  { label: '出院带药', target: '出院带药列表' },
  { label: '出院带药列表', target: '出院带药列表' },
  { label: '出院用药', target: '出院带药列表' },
  // Discharge advice (diet, follow-up, sometimes drugs among them) is not the drug list: kept
  // under 其他 so nothing is lost, and never mixed into the label.
  { label: '出院医嘱', target: '其他' },
  { label: '出院建议', target: '其他' },
  { label: '出院指导', target: '其他' },
];

interface HeaderField {
  label: string;
  target: HeaderTarget;
}

/** Known header (key: value) fields. 年龄 has no CDrugRed field and goes to 其他.年龄. */
export const HEADER_FIELDS: readonly HeaderField[] = [
  { label: '性别', target: '性别' },
  { label: '出生日期', target: '出生日期' },
  { label: '年龄', target: '年龄' },
  { label: '民族', target: '民族' },
  { label: 'BMI', target: 'BMI' },
  { label: '体重指数', target: 'BMI' },
  { label: '就诊时间', target: '就诊时间' },
  { label: '就诊日期', target: '就诊时间' },
  { label: '入院日期', target: '就诊时间' },
  { label: '入院时间', target: '就诊时间' },
  { label: '患者序号', target: '患者序号' },
  { label: '住院号', target: '患者序号' },
  { label: '病案号', target: '患者序号' },
  { label: '就诊标识', target: '就诊标识' },
  { label: '就诊号', target: '就诊标识' },
];

/** Key under record.其他 for text before the first heading. */
export const UNSECTIONED_KEY = '未分段文本';

const SP = '[ \\t\\u3000]*';
const NUMBERING = `(?:(?:[一二三四五六七八九十]{1,3}|\\d{1,2})${SP}[、.．]${SP})?`;
const BOUNDARY = '(?<![^\\s，,。；;、|])';

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
function labelPattern(labels: readonly string[]): string {
  return [...labels]
    .sort((a, b) => b.length - a.length)
    .map((l) => [...l].map(escapeRe).join(SP))
    .join('|');
}
function headingRegex(labels: readonly string[]): RegExp {
  const L = labelPattern(labels);
  return new RegExp(
    `${BOUNDARY}${NUMBERING}(?:【${SP}(${L})${SP}】${SP}[：:]?|\\[${SP}(${L})${SP}\\]${SP}[：:]?|(${L})${SP}[：:])`,
    'gi',
  );
}

const SECTION_RE = headingRegex(SECTION_HEADINGS.map((h) => h.label));
const HEADER_RE = headingRegex(HEADER_FIELDS.map((h) => h.label));
const UNKNOWN_RE = new RegExp(
  `^${SP}${NUMBERING}(?:【${SP}([^】\\n]{1,12}?)${SP}】${SP}[：:]?|([\\u4e00-\\u9fffA-Za-z]{2,8})${SP}[：:])`,
  'gm',
);
const SECTIONISH_LABEL = /(史|情况|诊断|检查|经过|记录|医嘱|建议|计划|结果|意见|指导|签名|签字|医师|医生|日期)$/;

const squash = (s: string): string => s.replace(/[ \t\u3000]/g, '');

function findSection(label: string): SectionHeading | undefined {
  const l = squash(label);
  return SECTION_HEADINGS.find((h) => h.label === l);
}
function findHeader(label: string): HeaderField | undefined {
  const l = squash(label).toUpperCase();
  return HEADER_FIELDS.find((h) => h.label.toUpperCase() === l);
}

type Candidate =
  | { kind: 'section'; start: number; end: number; heading: SectionHeading; lineStart: boolean }
  | { kind: 'header'; start: number; end: number; field: HeaderField; lineStart: boolean }
  | { kind: 'unknown'; start: number; end: number; label: string; bracketed: boolean };

function isLineStart(text: string, idx: number): boolean {
  for (let i = idx - 1; i >= 0; i--) {
    const ch = text[i];
    if (ch === '\n') return true;
    if (ch !== ' ' && ch !== '\t' && ch !== '\u3000') return false;
  }
  return true;
}

function collectCandidates(text: string): Candidate[] {
  const out: Candidate[] = [];
  for (const m of text.matchAll(SECTION_RE)) {
    const heading = findSection(m[1] ?? m[2] ?? m[3] ?? '');
    if (!heading) continue;
    out.push({ kind: 'section', start: m.index, end: m.index + m[0].length, heading, lineStart: isLineStart(text, m.index) });
  }
  for (const m of text.matchAll(HEADER_RE)) {
    const field = findHeader(m[1] ?? m[2] ?? m[3] ?? '');
    if (!field) continue;
    out.push({ kind: 'header', start: m.index, end: m.index + m[0].length, field, lineStart: isLineStart(text, m.index) });
  }
  for (const m of text.matchAll(UNKNOWN_RE)) {
    const label = squash(m[1] ?? m[2] ?? '');
    if (!label || findSection(label) || findHeader(label)) continue;
    // The match may include leading indentation; start at the label's line position.
    out.push({ kind: 'unknown', start: m.index, end: m.index + m[0].length, label, bracketed: m[1] !== undefined });
  }
  // Earliest first; at equal start prefer known headings, then the longer match.
  const rank = { section: 0, header: 1, unknown: 2 } as const;
  out.sort((a, b) => a.start - b.start || rank[a.kind] - rank[b.kind] || b.end - a.end);
  return out;
}

const DATE_VALUE =
  /^\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}(?:\s*日)?(?:[ T]+\d{1,2}[:：]\d{2}(?:[:：]\d{2})?)?/;
const VALUE_PATTERNS: Partial<Record<HeaderTarget, RegExp>> = {
  性别: /^(?:男性?|女性?|male|female|[MF](?![A-Za-z]))/i,
  年龄: /^\d{1,3}\s*(?:周岁|岁|个月|月|天)?/,
  BMI: /^\d+(?:[.．]\d+)?\s*(?:kg\/m2|kg\/m²|kg\/㎡|kg\/m\^2)?/i,
  出生日期: DATE_VALUE,
  就诊时间: DATE_VALUE,
};
const TOKEN_VALUE = /^[^\s，,。；;、|]+/;

function normalizeSex(v: string): string {
  if (v === '') return '';
  if (/^(男|male|M)/i.test(v)) return '男';
  if (/^(女|female|F)/i.test(v)) return '女';
  return v;
}

/** Index of the newline ending the line that contains `from` (t.length on the last line). */
function lineEndAt(t: string, from: number): number {
  const nl = t.indexOf('\n', from);
  return nl < 0 ? t.length : nl;
}

type State = { kind: 'preamble' } | { kind: 'section'; heading: SectionHeading } | { kind: 'unknown'; label: string };

interface Piece {
  state: State;
  text: string;
  /** A section resumed after a one-line unknown heading (no label prefix again). */
  resumed?: boolean;
}

/** Split a free-text note into a CDrugRed record. Never throws on any string input. */
export function parseFreeText(text: string, options: FreeTextOptions = {}): FreeTextResult {
  const t = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const candidates = collectCandidates(t);

  const pieces: Piece[] = [];
  const headers: Partial<Record<HeaderTarget, string>> = {};
  let state: State = { kind: 'preamble' };
  let current: Piece = { state, text: '' };
  pieces.push(current);
  let pos = 0;
  // An unknown heading with its value on the same line ("姓名：张某") only lasts to the end of
  // that line; then the state before it resumes.
  let scoped: { lineEnd: number; resume: State } | null = null;
  const closeScope = (upTo: number): void => {
    if (!scoped || upTo <= scoped.lineEnd) return;
    if (pos < scoped.lineEnd) {
      current.text += t.slice(pos, scoped.lineEnd);
      pos = scoped.lineEnd;
    }
    state = scoped.resume;
    current = { state, text: '', resumed: true };
    pieces.push(current);
    scoped = null;
  };

  for (const c of candidates) {
    closeScope(c.start);
    if (c.start < pos) continue;
    const inSection = state.kind === 'section';
    if (c.kind === 'header') {
      if (inSection && !c.lineStart) continue;
      current.text += t.slice(pos, c.start);
      // Only the rest of this line is looked at (slicing to the end of the note for every
      // heading made a 1 MB paste quadratic: seconds on the main thread).
      let valueStart = c.end;
      while (valueStart < t.length && /[ \t\u3000]/.test(t[valueStart] ?? '')) valueStart++;
      const skipped = valueStart - c.end;
      const line = t.slice(valueStart, lineEndAt(t, valueStart));
      const m = (VALUE_PATTERNS[c.field.target]?.exec(line) ?? TOKEN_VALUE.exec(line));
      const value = m ? m[0].trim() : '';
      if (headers[c.field.target] === undefined || headers[c.field.target] === '') headers[c.field.target] = value;
      pos = c.end + skipped + (m ? m[0].length : 0);
      continue;
    }
    if (c.kind === 'unknown') {
      const restOfLine = t.slice(c.end, lineEndAt(t, c.end)).trim();
      const accept =
        c.bracketed || !inSection || restOfLine === '' || SECTIONISH_LABEL.test(c.label);
      if (!accept) continue;
      current.text += t.slice(pos, c.start);
      const resume: State = scoped ? scoped.resume : state;
      state = { kind: 'unknown', label: c.label };
      if (restOfLine !== '') {
        const nl = t.indexOf('\n', c.end);
        scoped = { lineEnd: nl < 0 ? t.length : nl, resume };
      } else {
        scoped = null;
      }
    } else {
      current.text += t.slice(pos, c.start);
      state = { kind: 'section', heading: c.heading };
      scoped = null;
    }
    current = { state, text: '' };
    pieces.push(current);
    pos = c.end;
  }
  closeScope(t.length + 1);
  current.text += t.slice(pos);

  // Assemble.
  const sections = new Map<SectionTarget, string[]>();
  const other: Record<string, string> = {};
  const unrecognised: string[] = [];
  const addOther = (key: string, value: string): void => {
    other[key] = other[key] ? `${other[key]}\n${value}` : value;
  };
  for (const p of pieces) {
    const body = p.text.trim();
    const s = p.state;
    if (s.kind === 'section' && s.heading.target === '其他') {
      if (body) addOther(s.heading.label, body);
    } else if (s.kind === 'section') {
      const list = sections.get(s.heading.target) ?? [];
      sections.set(s.heading.target, list);
      const label = s.heading.keepLabel && !p.resumed;
      if (body || label) list.push(label ? `${s.heading.label}：${body}` : body);
    } else if (s.kind === 'unknown') {
      if (p.resumed && !body) continue;
      addOther(s.label, body);
      unrecognised.push(`${s.label}：${body}`);
    } else if (body) {
      addOther(UNSECTIONED_KEY, body);
      unrecognised.push(body);
    }
  }
  const joined = (f: SectionTarget): string => (sections.get(f) ?? []).filter((x) => x !== '').join('\n');

  const prose = findDemographics(t);
  const age = headers.年龄 || prose.age;
  if (age) other['年龄'] = age;
  const bmiRaw = headers.BMI || prose.bmi || '';
  const bmi = readBmi(bmiRaw);
  const record: CDrugRedRecord = {
    患者序号: headers.患者序号 ?? '',
    就诊标识: headers.就诊标识 || options.defaultId || 'note-1',
    性别: normalizeSex(headers.性别 || prose.sex || ''),
    出生日期: headers.出生日期 ?? '',
    民族: headers.民族 ?? '',
    BMI: bmi.bmi,
    就诊时间: headers.就诊时间 || prose.visitDate || '',
    诊疗过程描述: joined('诊疗过程描述'),
    入院情况: joined('入院情况'),
    现病史: joined('现病史'),
    既往史: joined('既往史'),
    主诉: joined('主诉'),
    出院诊断: splitList(joined('出院诊断')),
  };
  if (sections.has('出院带药列表')) record.出院带药列表 = splitList(joined('出院带药列表'));
  if (Object.keys(other).length > 0) record.其他 = other;
  const result: FreeTextResult = { record, unrecognised };
  if (bmi.problem) result.bmiProblem = { problem: bmi.problem, raw: bmiRaw };
  return result;
}

// ---------------------------------------------------------------------------------------
// Demographics written as prose

/** Before a prose phrase: a line start, punctuation, or the subject (患者/病人/患儿). */
const PHRASE_START = '(?<=^|[\\s，,。；;、：:（(]|患者|病人|患儿)';
const SEX_AGE_RE = new RegExp(`${PHRASE_START}(男|女)性?${SP}[，,、]?${SP}(\\d{1,3})${SP}(?:周岁|岁)`, 'm');
const AGE_SEX_RE = new RegExp(`${PHRASE_START}(\\d{1,3})${SP}(?:周岁|岁)${SP}[，,、]?${SP}(男|女)性?(?!儿|婴|童)`, 'm');
const SEX_ONLY_RE = /(?:患者|病人|患儿)[ \t\u3000]*[，,、：:]?[ \t\u3000]*(男|女)性?(?=[，,。；;、\s]|$)/m;
const BMI_PROSE_RE = /(?:BMI|体重指数)[ \t\u3000]*(?:[：:=＝]|为|是)?[ \t\u3000]*([-−]?[ \t]*\d+(?:[.．]\d+)?)/i;
const DATE_IN_PROSE = '(\\d{4})[ \\t]*[-/.年][ \\t]*(\\d{1,2})[ \\t]*[-/.月][ \\t]*(\\d{1,2})[ \\t]*日?';
/** A date followed, within the same clause, by being admitted ("于2021-03-05因…入院", "收入我科"). */
const ADMISSION_RE = new RegExp(`${DATE_IN_PROSE}[^。；;\\n]{0,24}?(?:入院|入我院|入住我院|收入|收住)`, 'g');

interface ProseDemographics {
  sex?: string;
  age?: string;
  /** The BMI as written ("27.3", "-23.5"), for readBmi. */
  bmi?: string;
  /** YYYY-MM-DD. */
  visitDate?: string;
}

const pad2 = (s: string): string => s.padStart(2, '0');

/**
 * Sex, age, BMI and the admission date written as prose. When a note names several admission
 * dates (an earlier stay in 现病史), the latest is this visit's.
 */
export function findDemographics(text: string): ProseDemographics {
  const out: ProseDemographics = {};
  const sa = SEX_AGE_RE.exec(text);
  const as = AGE_SEX_RE.exec(text);
  if (sa && (!as || sa.index <= as.index)) {
    out.sex = sa[1] ?? '';
    out.age = `${sa[2]}岁`;
  } else if (as) {
    out.sex = as[2] ?? '';
    out.age = `${as[1]}岁`;
  } else {
    const s = SEX_ONLY_RE.exec(text);
    if (s) out.sex = s[1] ?? '';
  }
  const b = BMI_PROSE_RE.exec(text);
  if (b) out.bmi = (b[1] ?? '').replace(/\s/g, '');
  let latest = '';
  for (const m of text.matchAll(ADMISSION_RE)) {
    const month = Number(m[2]);
    const day = Number(m[3]);
    if (month < 1 || month > 12 || day < 1 || day > 31) continue;
    const date = `${m[1]}-${pad2(m[2] ?? '')}-${pad2(m[3] ?? '')}`;
    if (date > latest) latest = date;
  }
  if (latest) out.visitDate = latest;
  return out;
}

/**
 * Whether pasted text should go to the JSON/JSONL parser rather than parseFreeText: it
 * starts with `{`, or with `[` followed by `{`, `]`, `"` or whitespace (so a note starting
 * with a `[主诉]` heading is not JSON), or it parses as JSON.
 */
export function looksLikeJson(text: string): boolean {
  const t = text.replace(/^\uFEFF/, '').trimStart();
  if (t.startsWith('{')) return true;
  if (/^\[\s*(?:[{\]"]|$)/.test(t)) return true;
  if (t.startsWith('[')) {
    try {
      JSON.parse(t);
      return true;
    } catch {
      return false;
    }
  }
  return false;
}
