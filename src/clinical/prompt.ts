/**
 * Prompt construction for the discharge-medication model.
 *
 * The only implementation of the template in ./prompt-spec.json: Python training gets its
 * prompts from this module through training/node/build-prompts.ts, so training and inference
 * cannot drift apart. Every length is counted in Unicode code points (Array.from), never UTF-16
 * units. training/tests/fixtures/prompt_parity.json pins prompts and token ids across languages.
 *
 * v3 puts a style-independent fact block first, read from the *whole* record (not only the
 * part that fits the budget), so a chart written in any style reaches the model in one shape:
 *  - 【诊断】 the discharge diagnoses;
 *  - 【检验】 the key labs (./lab-values.ts): eGFR, K, HbA1c, lipids, urate, thyroid, ALT, BNP…;
 *  - 【警示】 drug allergies and pregnancy (./note-facts.ts);
 *  - 【用药】 every candidate-drug mention normalised to candidate names by the formulary's
 *    lexicon, with its final status (latest statement wins): discharge plan, taken, stopped,
 *    inpatient only, denied/allergic. A small model cannot learn 1,600 trade names and salt
 *    forms from a few thousand notes; the lexicon already knows them;
 *  - 【计划】 the last plan sentences of the course ("加用SGLT2抑制剂", "降压方案同前"), which
 *    carry class-level plans no lexicon can normalise.
 * The raw text fields fill whatever budget is left.
 */
import { analyzeRecord, type MentionStatus } from './baselines/mention.ts';
import type { DrugLexicon } from './baselines/types.ts';
import { Formulary } from './formulary.ts';
import { extractLabs, labsText } from './lab-values.ts';
import { extractNoteFacts } from './note-facts.ts';
import type { CDrugRedRecord } from './record.ts';
import specJson from './prompt-spec.json';

export interface PromptTextField {
  key: string;
  label: string;
  budget: number;
  allPriority: boolean;
}

export interface PromptSpec {
  version: string;
  whitespace: string[];
  lineSeparator: string;
  totalBudget: number;
  demographics: {
    label: string;
    male: string;
    female: string;
    sexUnknown: string;
    agePrefix: string;
    ageSuffix: string;
    ageUnknown: string;
    bmiPrefix: string;
    bmiUnknown: string;
    bmiMin: number;
    bmiMax: number;
    ageMax: number;
    joiner: string;
  };
  diagnosis: { key: string; label: string; budget: number; joiner: string };
  mentions: {
    key: string;
    label: string;
    budget: number;
    joiner: string;
    groupJoiner: string;
    groups: { status: MentionStatus; prefix: string }[];
  };
  labs: { key: string; label: string; budget: number; joiner: string };
  alerts: { key: string; label: string; budget: number; joiner: string; allergyPrefix: string; pregnancy: string };
  plan: { key: string; label: string; budget: number; fields: string[]; cues: string[]; clauseDelimiters: string[]; joiner: string };
  textFields: PromptTextField[];
  /** Fact lines in the order they take budget (before any raw text). */
  factOrder: string[];
  lineOrder: string[];
  selectionOrder: string[];
  sentenceDelimiters: string[];
  minPartial: number;
  priorityDigits: string;
  priorityKeywords: string[];
  answerCue: string;
  target: { separator: string; end: string };
  specialTokens: { pad: string; unk: string; bos: string; eos: string; sep: string };
}

export const PROMPT_SPEC: PromptSpec = specJson as PromptSpec;
export const PROMPT_SPEC_VERSION: string = PROMPT_SPEC.version;

/** A record-like object: the CDrugRed fields, loosely typed (raw JSON is accepted too). */
export type PromptRecord = { [key: string]: unknown };

const DATE_FULL = /([0-9]{4})[^0-9]{1,3}([0-9]{1,2})[^0-9]{1,3}([0-9]{1,2})/u;
const DATE_YEAR = /([0-9]{4})/u;
const BMI_STR = /^[0-9]+(\.[0-9]+)?$/u;

const cpLen = (s: string): number => Array.from(s).length;
const cpSlice = (s: string, n: number): string => Array.from(s).slice(0, n).join('');

export function normalizeText(value: unknown, spec: PromptSpec = PROMPT_SPEC): string {
  if (typeof value !== 'string') return '';
  const ws = new Set(spec.whitespace);
  const out: string[] = [];
  let pendingSpace = false;
  for (const ch of value) {
    if (ws.has(ch)) {
      pendingSpace = true;
      continue;
    }
    if (pendingSpace && out.length > 0) out.push(' ');
    pendingSpace = false;
    out.push(ch);
  }
  return out.join('');
}

type YMD = [number, number, number];

function parseDate(value: unknown): YMD | null {
  if (typeof value !== 'string') return null;
  const m = DATE_FULL.exec(value);
  if (m) return [Number(m[1]), Number(m[2]), Number(m[3])];
  const y = DATE_YEAR.exec(value);
  if (y) return [Number(y[1]), 0, 0];
  return null;
}

export function computeAge(birth: unknown, visit: unknown, spec: PromptSpec = PROMPT_SPEC): number | null {
  const b = parseDate(birth);
  const v = parseDate(visit);
  if (!b || !v) return null;
  let age = v[0] - b[0];
  if (b[1] !== 0 && v[1] !== 0 && (v[1] < b[1] || (v[1] === b[1] && v[2] < b[2]))) age -= 1;
  if (age < 0 || age > spec.demographics.ageMax) return null;
  return age;
}

export function formatBmi(value: unknown, spec: PromptSpec = PROMPT_SPEC): string {
  const d = spec.demographics;
  let x: number | null = null;
  if (typeof value === 'number') {
    x = value;
  } else if (typeof value === 'string') {
    const s = normalizeText(value, spec);
    if (BMI_STR.test(s)) x = Number(s);
  }
  if (x === null || !Number.isFinite(x) || x < d.bmiMin || x > d.bmiMax) return d.bmiUnknown;
  const n = Math.floor(x * 10 + 0.5);
  return `${Math.floor(n / 10)}.${n % 10}`;
}

export function demographicsLine(record: PromptRecord, spec: PromptSpec = PROMPT_SPEC): string {
  const d = spec.demographics;
  const sexRaw = normalizeText(record['性别'], spec);
  const sex = sexRaw.includes(d.male) ? d.male : sexRaw.includes(d.female) ? d.female : d.sexUnknown;
  const age = computeAge(record['出生日期'], record['就诊时间'], spec);
  const ageText = age === null ? d.ageUnknown : `${d.agePrefix}${age}${d.ageSuffix}`;
  const bmiText = d.bmiPrefix + formatBmi(record['BMI'], spec);
  return d.label + [sex, ageText, bmiText].join(d.joiner);
}

export function diagnosisItems(record: PromptRecord, spec: PromptSpec = PROMPT_SPEC): string[] {
  let raw = record[spec.diagnosis.key];
  if (typeof raw === 'string') raw = [raw];
  if (!Array.isArray(raw)) raw = [];
  const items: string[] = [];
  for (const it of raw as unknown[]) {
    const t = normalizeText(it, spec);
    if (t && !items.includes(t)) items.push(t);
  }
  return items;
}

export function splitSentences(text: string, spec: PromptSpec = PROMPT_SPEC): string[] {
  const delims = new Set(spec.sentenceDelimiters);
  const out: string[] = [];
  let cur = '';
  for (const ch of text) {
    cur += ch;
    if (delims.has(ch)) {
      out.push(cur);
      cur = '';
    }
  }
  if (cur) out.push(cur);
  return out;
}

export function isPrioritySentence(sentence: string, spec: PromptSpec = PROMPT_SPEC): boolean {
  for (const ch of sentence) if (spec.priorityDigits.includes(ch)) return true;
  return spec.priorityKeywords.some((kw) => sentence.includes(kw));
}

const MENTION_TEXT_FIELDS = ['主诉', '现病史', '既往史', '入院情况', '诊疗过程描述'] as const;

/**
 * Each mentioned candidate drug with one status: the last discharge-plan, still-taken or
 * stopped mention decides (a later plain mention does not demote a discharge plan); a drug only
 * ever given in hospital is inpatient; one only denied is negated. Drugs keep the order of
 * their first mention.
 */
export function mentionStatuses(record: PromptRecord, lexicon: DrugLexicon): Map<string, MentionStatus> {
  const texts: Partial<CDrugRedRecord> = {};
  for (const f of MENTION_TEXT_FIELDS) {
    const v = record[f];
    if (typeof v === 'string') texts[f] = v;
  }
  const status = new Map<string, MentionStatus>();
  for (const m of analyzeRecord(texts as CDrugRedRecord, lexicon)) {
    const prev = status.get(m.name);
    if (m.status === 'positive' && prev === 'discharge') continue;
    if (m.status === 'positive' || m.status === 'stopped' || m.status === 'discharge') status.set(m.name, m.status);
    else if (prev === undefined) status.set(m.name, m.status);
    else if (m.status === 'inpatient' && prev === 'negated') status.set(m.name, 'inpatient');
  }
  return status;
}

/** The 【用药】 line's text (without label), whole drug names while they fit `budget`. */
export function mentionText(statuses: Map<string, MentionStatus>, budget: number, spec: PromptSpec = PROMPT_SPEC): string {
  const m = spec.mentions;
  let text = '';
  for (const group of m.groups) {
    const names = [...statuses].filter(([, s]) => s === group.status).map(([n]) => n);
    let part = '';
    for (const name of names) {
      const head = text ? text + m.groupJoiner : '';
      const cand = part ? head + part + m.joiner + name : head + group.prefix + name;
      if (cpLen(cand) > budget) break;
      part = part ? part + m.joiner + name : group.prefix + name;
    }
    if (part) text = text ? text + m.groupJoiner + part : part;
  }
  return text;
}

/** Whole items joined while they fit `budget` (the first item is cut to fit when alone). */
function fitItems(items: readonly string[], joiner: string, budget: number): string {
  let text = '';
  for (const it of items) {
    const cand = text ? text + joiner + it : it;
    if (cpLen(cand) <= budget) text = cand;
    else {
      if (!text) text = cpSlice(it, budget);
      break;
    }
  }
  return text;
}

/** Allergies and pregnancy, as 【警示】 items. */
export function alertItems(record: PromptRecord, spec: PromptSpec = PROMPT_SPEC): string[] {
  const a = spec.alerts;
  const str = (k: string) => (typeof record[k] === 'string' ? (record[k] as string) : '');
  const facts = extractNoteFacts({
    患者序号: '',
    就诊标识: '',
    性别: str('性别'),
    出生日期: '',
    民族: '',
    BMI: null,
    就诊时间: '',
    诊疗过程描述: str('诊疗过程描述'),
    入院情况: str('入院情况'),
    现病史: str('现病史'),
    既往史: str('既往史'),
    主诉: str('主诉'),
    出院诊断: diagnosisItems(record, spec),
  });
  const items = facts.allergies.map((x) => a.allergyPrefix + normalizeText(x.substance, spec));
  if (facts.pregnancy) items.push(a.pregnancy);
  return items;
}

/**
 * The plan clauses of the record: clauses of `spec.plan.fields` that carry a plan cue, taken
 * from the end of each field backwards (plans close a course) while they fit, and shown in
 * chart order. Clauses, not sentences: one chart sentence often runs on for a whole course.
 */
export function planText(record: PromptRecord, budget: number, spec: PromptSpec = PROMPT_SPEC): string {
  const p = spec.plan;
  const delims = new Set(p.clauseDelimiters);
  const picked: string[] = [];
  let left = budget;
  for (const field of p.fields) {
    const clauses: string[] = [];
    let cur = '';
    for (const ch of normalizeText(record[field], spec)) {
      if (delims.has(ch)) {
        if (cur.trim()) clauses.push(cur.trim());
        cur = '';
      } else cur += ch;
    }
    if (cur.trim()) clauses.push(cur.trim());
    const fromField: string[] = [];
    for (let i = clauses.length - 1; i >= 0; i--) {
      const c = clauses[i]!;
      if (!p.cues.some((cue) => c.includes(cue))) continue;
      const cost = cpLen(c) + (picked.length + fromField.length > 0 ? cpLen(p.joiner) : 0);
      if (cost > left) break;
      fromField.unshift(c);
      left -= cost;
    }
    picked.push(...fromField);
  }
  return picked.join(p.joiner);
}

/**
 * Builds the model prompt (without the BOS token, which the tokenizer's post-processor adds).
 * `lexicon` finds drug mentions; the bundled formulary unless a caller knows better.
 */
export function buildPrompt(record: PromptRecord, spec: PromptSpec = PROMPT_SPEC, lexicon: DrugLexicon = Formulary.bundled()): string {
  const sep = spec.lineSeparator;
  const demo = demographicsLine(record, spec);
  const fields = spec.textFields;
  const texts = new Map<string, string>(fields.map((f) => [f.key, normalizeText(record[f.key], spec)]));
  const diags = diagnosisItems(record, spec);
  const labs = labsText(extractLabs(record), spec.labs.joiner);
  const alerts = alertItems(record, spec);
  const statuses = mentionStatuses(record, lexicon);
  const planAvailable = spec.plan.fields.some((f) => normalizeText(record[f], spec) !== '');

  const labelOf: Record<string, string> = {
    [spec.diagnosis.key]: spec.diagnosis.label,
    [spec.labs.key]: spec.labs.label,
    [spec.alerts.key]: spec.alerts.label,
    [spec.mentions.key]: spec.mentions.label,
    [spec.plan.key]: spec.plan.label,
  };
  // Labels of lines that may appear are reserved up front, so the budget is never overrun.
  const present: Record<string, boolean> = {
    [spec.diagnosis.key]: diags.length > 0,
    [spec.labs.key]: labs !== '',
    [spec.alerts.key]: alerts.length > 0,
    [spec.mentions.key]: statuses.size > 0,
    [spec.plan.key]: planAvailable,
  };
  let fixed = cpLen(demo) + cpLen(sep) + cpLen(spec.answerCue);
  for (const key of spec.factOrder) if (present[key]) fixed += cpLen(labelOf[key] ?? '') + cpLen(sep);
  for (const f of fields) if (texts.get(f.key)) fixed += cpLen(f.label) + cpLen(sep);
  let remaining = Math.max(0, spec.totalBudget - fixed);

  const factText = new Map<string, string>();
  for (const key of spec.factOrder) {
    if (!present[key]) continue;
    let text = '';
    if (key === spec.diagnosis.key) text = fitItems(diags, spec.diagnosis.joiner, Math.min(spec.diagnosis.budget, remaining));
    else if (key === spec.labs.key) text = fitItems(labs.split(spec.labs.joiner), spec.labs.joiner, Math.min(spec.labs.budget, remaining));
    else if (key === spec.alerts.key) text = fitItems(alerts, spec.alerts.joiner, Math.min(spec.alerts.budget, remaining));
    else if (key === spec.mentions.key) text = mentionText(statuses, Math.min(spec.mentions.budget, remaining), spec);
    else if (key === spec.plan.key) text = planText(record, Math.min(spec.plan.budget, remaining), spec);
    remaining -= cpLen(text);
    factText.set(key, text);
  }
  // A reserved label whose line came out empty gives its characters back to the raw text.
  for (const key of spec.factOrder) if (present[key] && !factText.get(key)) remaining += cpLen(labelOf[key] ?? '') + cpLen(sep);

  const sents = new Map<string, string[]>(fields.map((f) => [f.key, splitSentences(texts.get(f.key) ?? '', spec)]));
  const fieldLeft = new Map<string, number>(fields.map((f) => [f.key, f.budget]));
  const allPrio = new Map<string, boolean>(fields.map((f) => [f.key, Boolean(f.allPriority)]));
  const chosen = new Map<string, Map<number, string>>(fields.map((f) => [f.key, new Map()]));
  const minPartial = spec.minPartial;
  for (const tier of [1, 2]) {
    for (const key of spec.selectionOrder) {
      const list = sents.get(key) ?? [];
      const picked = chosen.get(key);
      if (!picked) continue;
      list.forEach((s, i) => {
        const prio = (allPrio.get(key) ?? false) || isPrioritySentence(s, spec);
        if ((tier === 1) !== prio) return;
        const left = fieldLeft.get(key) ?? 0;
        const room = Math.min(left, remaining);
        const len = cpLen(s);
        if (len <= room) {
          picked.set(i, s);
          fieldLeft.set(key, left - len);
          remaining -= len;
        } else if (room >= minPartial) {
          picked.set(i, cpSlice(s, room));
          fieldLeft.set(key, left - room);
          remaining -= room;
        }
      });
    }
  }

  // lines: demographics first, then spec.lineOrder (facts last = closest to the answer cue)
  const byKey = new Map<string, string>();
  for (const [key, text] of factText) if (text) byKey.set(key, (labelOf[key] ?? '') + text);
  for (const f of fields) {
    const picked = chosen.get(f.key);
    if (picked && picked.size > 0) {
      const idx = [...picked.keys()].sort((a, b) => a - b);
      byKey.set(f.key, f.label + idx.map((i) => picked.get(i) ?? '').join(''));
    }
  }
  const lines = [demo];
  for (const key of spec.lineOrder) {
    const line = byKey.get(key);
    if (line !== undefined) lines.push(line);
  }
  lines.push(spec.answerCue);
  return lines.join(sep);
}

/**
 * Target text: drugs deduplicated, sorted by their position in `order` (names missing from
 * `order` keep their input order, after the known ones), joined by the separator token and
 * terminated by the end token. The model folder's drug_order.json is the training order.
 */
export function formatTarget(drugs: readonly string[], order?: readonly string[], spec: PromptSpec = PROMPT_SPEC): string {
  let seen: string[] = [];
  for (const d of drugs) if (typeof d === 'string' && d && !seen.includes(d)) seen.push(d);
  if (order) {
    const rank = new Map<string, number>();
    order.forEach((name, i) => {
      if (!rank.has(name)) rank.set(name, i);
    });
    const big = rank.size;
    seen = seen
      .map((d, i) => ({ d, i, r: rank.get(d) ?? big }))
      .sort((a, b) => a.r - b.r || a.i - b.i)
      .map((x) => x.d);
  }
  return seen.join(spec.target.separator) + spec.target.end;
}
