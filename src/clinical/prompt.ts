/**
 * Prompt construction for the discharge-medication model.
 *
 * The only implementation of the template in ./prompt-spec.json: Python training gets its
 * prompts from this module through training/node/build-prompts.ts, so training and inference
 * cannot drift apart. Every length is counted in Unicode code points (Array.from), never UTF-16
 * units. training/tests/fixtures/prompt_parity.json pins prompts and token ids across languages.
 *
 * The 【用药】 line summarises every candidate-drug mention in the *whole* record (not only the
 * part that fits the budget), normalised to candidate names by the formulary's lexicon and
 * grouped by the status the mention analyser gives it: still taken, stopped, inpatient only,
 * denied/allergic. A small model cannot learn 1,600 trade names and salt forms from a few
 * thousand notes; the lexicon already knows them.
 */
import { analyzeRecord, type MentionStatus } from './baselines/mention.ts';
import type { DrugLexicon } from './baselines/types.ts';
import { Formulary } from './formulary.ts';
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
  textFields: PromptTextField[];
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
 * Each mentioned candidate drug with one status: the last still-taken-or-stopped mention
 * decides; a drug only ever given in hospital is inpatient; one only denied is negated.
 * Drugs keep the order of their first mention.
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
    if (m.status === 'positive' || m.status === 'stopped') status.set(m.name, m.status);
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
  const dlabel = spec.diagnosis.label;
  const statuses = mentionStatuses(record, lexicon);

  let fixed = cpLen(demo) + cpLen(sep) + cpLen(spec.answerCue);
  if (diags.length > 0) fixed += cpLen(dlabel) + cpLen(sep);
  if (statuses.size > 0) fixed += cpLen(spec.mentions.label) + cpLen(sep);
  for (const f of fields) if (texts.get(f.key)) fixed += cpLen(f.label) + cpLen(sep);
  let remaining = Math.max(0, spec.totalBudget - fixed);

  const dbudget = Math.min(spec.diagnosis.budget, remaining);
  const joiner = spec.diagnosis.joiner;
  let dtext = '';
  for (const it of diags) {
    const cand = dtext ? dtext + joiner + it : it;
    if (cpLen(cand) <= dbudget) {
      dtext = cand;
    } else {
      if (!dtext) dtext = cpSlice(it, dbudget);
      break;
    }
  }
  remaining -= cpLen(dtext);

  const mtext = mentionText(statuses, Math.min(spec.mentions.budget, remaining), spec);
  remaining -= cpLen(mtext);

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

  // lines: demographics first, then spec.lineOrder (diagnoses last = closest to the answer cue)
  const byKey = new Map<string, string>();
  if (dtext) byKey.set(spec.diagnosis.key, dlabel + dtext);
  if (mtext) byKey.set(spec.mentions.key, spec.mentions.label + mtext);
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
