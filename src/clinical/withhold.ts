/**
 * Drugs the note rules out ("withheld"), and the candidate mask every recommender applies with
 * them. Pure (no React, no model): the decoder, the CLI baselines, the browser worker and the
 * screens all get the same answer for the same note.
 *
 * A candidate is withheld when
 *  - a formulary contraindication fires for this note (src/clinical/safety.ts
 *    `contraindicationsFor`, the one implementation of each rule: eGFR, potassium, pregnancy,
 *    conditions such as type 1 diabetes / HLA-B*5801 / GI bleeding, allergies including class
 *    allergies and drug-tied adverse reactions), except facts marked `caution` (慎用), which are
 *    warned about but not withheld, and `acute` conditions (ketoacidosis, active bleeding, shock)
 *    for a drug the note itself resumes: it stops the drug and names it positively again later
 *    ("暂停氯吡格雷 … 恢复氯吡格雷"), or puts it in the discharge plan ("出院后：氯吡格雷75mg qd").
 *    The note then records the clinician's decision after the acute event; the warnings panel
 *    still shows the fact for the listed drug; or
 *  - the note itself stopped or ruled it out and never restarted it: the mention analyser's
 *    (baselines/mention.ts) last positive-or-stopped statement about the drug is a stop or an
 *    avoidance ("不选用非布司他"), or the last statement is an intolerance / allergy right after
 *    the name ("二甲双胍不耐受"); or the note stops or rules out its whole class ("停用磺脲类",
 *    "避免NSAIDs") and never names the drug positively afterwards.
 * A drug the note merely does not mention is never withheld.
 *
 * The mask (`candidateMask`) adds the per-hypothesis duplication rule: once a drug of a
 * formulary `duplicationGroup` is in the list, the group's other drugs are closed.
 */
import { analyzeRecord, AVOID_WORDS, DEFER_WORDS, MENTION_FIELD_ORDER, SENTENCE_BOUNDARY, STOP_OR_AVOID, type AnalyzedMention } from './baselines/mention.ts';
import { classWordOf, drugsOfClassWord, withClassWords } from './class-words.ts';
import { Formulary } from './formulary.ts';
import { duplicationGroupsOf, type FormularyDrug } from './formulary-types.ts';
import { extractNoteFacts, type FactSource, type NoteFacts } from './note-facts.ts';
import { statementText, type NoteStatement } from './note-statement.ts';
import type { CDrugRedRecord } from './record.ts';
import { contraindicationsFor, type ContraindicationWarning } from './safety.ts';

/** Why a drug is withheld: the formulary fact that fired, or what the note says. */
export type WithholdReason =
  | ContraindicationWarning['reason']
  /** The note stopped it (停用 / 停服 / 改为 another drug) and never restarted it. */
  | 'stopped'
  /** The note says the patient does not tolerate it ("二甲双胍不耐受"). */
  | 'intolerance';

export const WITHHOLD_REASONS: readonly WithholdReason[] = [
  'stopped',
  'intolerance',
  'allergy-self',
  'allergy',
  'egfr_below',
  'potassium_at_least',
  'pregnancy',
  'condition',
];

export interface WithheldDrug {
  /** The candidate name, exactly as in the candidate list. */
  drug: string;
  reason: WithholdReason;
  /** Chinese explanation: the formulary's note, or a sentence about the note's statement. */
  note: string;
  /** When the note's own statement is the reason: that statement, for wording it in English. */
  statement?: NoteStatement;
  /** Where the note says so: the field and its words. */
  evidence: FactSource;
  /** Source id and citation of the formulary fact ('' for the note's own statements). */
  source: string;
  citation: string;
}

/** Options every recommender takes: `safety: false` is the research switch (no filter, no mask). */
export interface SafetyOptions {
  safety?: boolean;
}

const CLAUSE = /[。；;！!？?\n，,]/;
const INTOLERANCE_AFTER = /^[^。；;，,\n]{0,3}(过敏|不耐受)/;

function clauseOf(text: string, start: number, end: number): string {
  let s = start;
  while (s > 0 && !CLAUSE.test(text[s - 1] ?? '') && start - s < 60) s--;
  let e = end;
  while (e < text.length && !CLAUSE.test(text[e] ?? '') && e - end < 60) e++;
  return text.slice(s, e).trim();
}

/**
 * Class words a note uses to stop or rule out a whole class, and the formulary drugs they cover.
 * Only unambiguous class names: a bare "他汀" or "激素" is also part of drug names and phrases.
 */
const CLASS_TERMS: readonly { term: RegExp; covers: (d: FormularyDrug) => boolean }[] = [
  { term: /NSAIDs?|非甾体(?:类)?抗炎药/i, covers: (d) => d.class === '非甾体抗炎药' },
  { term: /磺脲类/, covers: (d) => d.class.startsWith('磺脲') },
  { term: /双胍类/, covers: (d) => d.class === '双胍类' || d.class.endsWith('双胍复方') },
  { term: /他汀类/, covers: (d) => d.class.startsWith('他汀') },
  { term: /ACEI|普利类/, covers: (d) => d.class === 'ACEI' },
  { term: /ARB|沙坦类/, covers: (d) => d.class.startsWith('ARB') },
  { term: /SGLT-?2抑制剂|列净类/i, covers: (d) => d.class.startsWith('SGLT2') },
  { term: /DPP-?4抑制剂|列汀类/i, covers: (d) => d.class.startsWith('DPP-4') },
  { term: /GLP-?1受体激动剂|GLP-?1RA/i, covers: (d) => d.class.includes('GLP-1') },
  { term: /噻唑烷二酮类|格列酮类|TZD/i, covers: (d) => d.class === '噻唑烷二酮类' },
  { term: /β受体阻滞剂|β阻滞剂|洛尔类/, covers: (d) => d.class === 'β受体阻滞剂' || d.class === 'α/β受体阻滞剂' },
  { term: /双膦酸盐/, covers: (d) => d.class === '双膦酸盐' },
];
const CLASS_STATEMENT = new RegExp(`${STOP_OR_AVOID.source}[^，,。；;\n]{0,6}?(${CLASS_TERMS.map((c) => c.term.source).join('|')})`, 'gi');

interface ClassStop {
  at: { field: number; pos: number };
  drugs: Set<string>;
  evidence: FactSource;
}

function isLater(a: { field: number; pos: number }, b: { field: number; pos: number }): boolean {
  return a.field > b.field || (a.field === b.field && a.pos > b.pos);
}

/** "停用磺脲类", "嘱避免自行服用NSAIDs": every formulary drug of the class, with the words. */
function classStatements(record: CDrugRedRecord, formulary: Formulary): ClassStop[] {
  const out: ClassStop[] = [];
  MENTION_FIELD_ORDER.forEach((field, fi) => {
    const text = record[field] ?? '';
    for (const m of text.matchAll(CLASS_STATEMENT)) {
      const word = m[1] ?? '';
      const terms = CLASS_TERMS.filter((c) => c.term.test(word));
      const drugs = new Set(formulary.drugs.filter((d) => terms.some((c) => c.covers(d))).map((d) => d.name));
      if (drugs.size > 0) out.push({ at: { field: fi, pos: m.index }, drugs, evidence: { field, text: clauseOf(text, m.index, m.index + m[0].length) } });
    }
  });
  // A class word stopped by a cue after it in its clause ("餐时胰岛素逐步减停", "抗甲状腺药物（含丙硫
  // 氧嘧啶）今后禁用"), as the mention analyser reads a drug (./class-words.ts). Only that word order:
  // a cue before a class word is read above, and the analyser's forward scope would also take a
  // class word that merely describes the therapy ("以氯吡格雷替代阿司匹林单药抗血小板").
  for (const m of analyzeRecord(record, withClassWords(formulary))) {
    const word = classWordOf(m.name);
    if (!word || m.status !== 'stopped') continue;
    const text = record[m.field] ?? '';
    if (!STOP_OR_AVOID.test(text.slice(m.end).split(CLAUSE)[0] ?? '')) continue;
    const drugs = new Set(drugsOfClassWord(word, formulary.drugs));
    if (drugs.size > 0) out.push({ at: { field: MENTION_FIELD_ORDER.indexOf(m.field), pos: m.start }, drugs, evidence: { field: m.field, text: clauseOf(text, m.start, m.end) } });
  }
  return out;
}

/**
 * Words that say an acute event is over ("出血停止后", "止血后", "酮症纠正后", "休克纠正后"),
 * read before a drug in the same sentence: the drug started from then on is the clinician's
 * decision after the event ("出血停止后第7天起以氯吡格雷75mg qd替代阿司匹林").
 */
const ACUTE_RESOLVED_BEFORE = /(?:出血|酮症|酸中毒|休克|感染)[^。；;，,\n]{0,6}(?:停止|控制|纠正|好转|缓解|消失)后|止血(?:成功)?后/;

/** The text of a mention's sentence up to the mention (reading order within the field). */
function sentenceBefore(text: string, start: number): string {
  let from = start;
  while (from > 0 && !SENTENCE_BOUNDARY.test(text[from - 1]!)) from--;
  return text.slice(from, start);
}

/**
 * Drugs the note resumes after stopping them, puts in its discharge plan, or starts in a sentence
 * that first says the acute event is over: the clinician's decision after an acute event, which
 * an `acute` contraindication then does not overrule.
 */
export function resumedInNote(
  record: CDrugRedRecord,
  formulary: Formulary,
  mentions: readonly AnalyzedMention[] = analyzeRecord(record, formulary),
): Set<string> {
  const stoppedBefore = new Set<string>();
  const out = new Set<string>();
  for (const m of mentions) {
    const afterTheEvent = m.status === 'positive' && ACUTE_RESOLVED_BEFORE.test(sentenceBefore(record[m.field] ?? '', m.start));
    if (m.status === 'discharge' || (m.status === 'positive' && stoppedBefore.has(m.name)) || afterTheEvent) out.add(m.name);
    else if (m.status === 'stopped') stoppedBefore.add(m.name);
  }
  return out;
}

/** The record's own stop / intolerance statements that still hold at the end of the note. */
export function stoppedInNote(
  record: CDrugRedRecord,
  formulary: Formulary,
  mentions: readonly AnalyzedMention[] = analyzeRecord(record, formulary),
): Map<string, { reason: 'stopped' | 'intolerance' | 'allergy-self'; evidence: FactSource }> {
  const last = new Map<string, { reason: 'positive' | 'stopped' | 'intolerance' | 'allergy-self'; evidence: FactSource }>();
  const classStops = classStatements(record, formulary);
  for (const m of mentions) {
    const text = record[m.field] ?? '';
    const evidence = { field: m.field, text: clauseOf(text, m.start, m.end) };
    const status: string = m.status;
    const at = { field: MENTION_FIELD_ORDER.indexOf(m.field), pos: m.start };
    // A drug named positively after its class was stopped is restarted: the class stop no longer holds for it.
    if (status === 'positive' || status === 'discharge') for (const c of classStops) if (isLater(at, c.at)) c.drugs.delete(m.name);
    if (status === 'stopped') last.set(m.name, { reason: 'stopped', evidence });
    else if (status === 'negated') {
      const after = INTOLERANCE_AFTER.exec(text.slice(m.end));
      if (after) last.set(m.name, { reason: after[1] === '过敏' ? 'allergy-self' : 'intolerance', evidence });
    } else if (status === 'positive' || status === 'discharge') last.set(m.name, { reason: 'positive', evidence });
  }
  // A class stopped or ruled out, whose drugs the note did not name positively afterwards.
  for (const c of classStops) {
    for (const name of c.drugs) {
      const prev = last.get(name);
      if (prev === undefined || prev.reason === 'positive') last.set(name, { reason: 'stopped', evidence: c.evidence });
    }
  }
  const out = new Map<string, { reason: 'stopped' | 'intolerance' | 'allergy-self'; evidence: FactSource }>();
  for (const [name, v] of last) if (v.reason !== 'positive') out.set(name, { reason: v.reason, evidence: v.evidence });
  return out;
}

/**
 * The formulary whose safety facts apply: the given one when it carries any (a full formulary
 * file), else the bundled one (a plain list of names has no facts; its names are normalised).
 */
export function safetyFormulary(f: Formulary): Formulary {
  return f.drugs.some((d) => d.contraindications?.length || d.duplicationGroup) ? f : Formulary.bundled();
}

/** Canonical formulary name of a candidate (a site list may spell it with salt / form), or null. */
function canonical(candidate: string, formulary: Formulary): string | null {
  if (formulary.has(candidate)) return candidate;
  const n = formulary.normalize(candidate);
  return n !== null && formulary.has(n) ? n : null;
}

/**
 * Every candidate the note rules out, in candidate-list order, each once with its first reason
 * (the note's own stop / intolerance statement first, then the formulary facts in order).
 */
export function withheldDrugs(
  record: CDrugRedRecord,
  candidates: readonly string[],
  formulary: Formulary,
  facts: NoteFacts = extractNoteFacts(record),
): WithheldDrug[] {
  // One pass of the mention analyser serves both readings of the note.
  const mentions = analyzeRecord(record, formulary);
  const stopped = stoppedInNote(record, formulary, mentions);
  const resumed = resumedInNote(record, formulary, mentions);
  const out: WithheldDrug[] = [];
  const seen = new Set<string>();
  for (const candidate of candidates) {
    if (seen.has(candidate)) continue;
    seen.add(candidate);
    const name = canonical(candidate, formulary);
    if (name === null) continue;
    const s = stopped.get(name);
    if (s) {
      const statement: NoteStatement =
        s.reason === 'stopped' && DEFER_WORDS.test(s.evidence.text) && !AVOID_WORDS.test(s.evidence.text)
          ? { kind: 'defer', drug: name, quote: s.evidence.text }
          : s.reason === 'stopped' && AVOID_WORDS.test(s.evidence.text)
          ? { kind: 'avoid', drug: name, quote: s.evidence.text }
          : s.reason === 'stopped'
            ? { kind: 'stopped', drug: name }
            : s.reason === 'intolerance'
              ? { kind: 'intolerance', drug: name }
              : { kind: 'allergy', substance: name };
      out.push({ drug: candidate, reason: s.reason, note: statementText(statement, 'zh'), statement, evidence: s.evidence, source: '', citation: '' });
      continue;
    }
    const hit = contraindicationsFor(name, facts, formulary).find((w) => !w.caution && !(w.acute && resumed.has(name)));
    if (hit) out.push({ drug: candidate, reason: hit.reason, note: hit.note, evidence: hit.evidence, source: hit.source, citation: hit.citation });
  }
  return out;
}

/** What the constrained decoder needs (src/decoding/types.ts `CandidateMask`), by candidate index. */
export interface CandidateMaskData {
  /** Indices of withheld candidates: never emitted. */
  blocked: number[];
  /**
   * Per candidate index: its formulary duplication group, or its groups for a combination
   * (duplicationGroupsOf); null when none / unknown.
   */
  groups: (string | string[] | null)[];
}

export interface SafetyPlan {
  withheld: WithheldDrug[];
  mask: CandidateMaskData;
}

/**
 * The safety plan for one note over a candidate list: the withheld drugs and the decoder mask.
 * With `safety: false` nothing is withheld and nothing is masked (research scoring).
 */
export function safetyPlan(
  record: CDrugRedRecord,
  candidates: readonly string[],
  formulary: Formulary,
  options: SafetyOptions = {},
): SafetyPlan {
  if (options.safety === false) return { withheld: [], mask: { blocked: [], groups: [] } };
  const withheld = withheldDrugs(record, candidates, formulary);
  const out = new Set(withheld.map((w) => w.drug));
  const blocked: number[] = [];
  const groups = candidates.map((c, i) => {
    if (out.has(c)) blocked.push(i);
    const n = canonical(c, formulary);
    const g = duplicationGroupsOf(n !== null ? formulary.get(n) : undefined);
    return g.length === 0 ? null : g.length === 1 ? g[0]! : g;
  });
  return { withheld, mask: { blocked, groups } };
}

/**
 * The same policy on a ranked list (the baselines): withheld drugs dropped, and of several
 * drugs of one duplicationGroup only the best-ranked kept. `safety: false` returns the list.
 */
export function applySafetyToRanked<T extends string | { name: string }>(
  record: CDrugRedRecord,
  ranked: readonly T[],
  formulary: Formulary,
  options: SafetyOptions = {},
): { kept: T[]; withheld: WithheldDrug[] } {
  if (options.safety === false) return { kept: [...ranked], withheld: [] };
  const nameOf = (x: T): string => (typeof x === 'string' ? x : x.name);
  const withheld = withheldDrugs(record, ranked.map(nameOf), formulary);
  const out = new Set(withheld.map((w) => w.drug));
  const usedGroups = new Set<string>();
  const kept: T[] = [];
  for (const x of ranked) {
    const name = nameOf(x);
    if (out.has(name)) continue;
    const c = canonical(name, formulary);
    const groups = duplicationGroupsOf(c !== null ? formulary.get(c) : undefined);
    if (groups.some((g) => usedGroups.has(g))) continue;
    for (const g of groups) usedGroups.add(g);
    kept.push(x);
  }
  return { kept, withheld };
}

/**
 * A CDrugRed record from any object with its fields (the worker receives plain objects): text
 * fields and 出院诊断 as given, everything else empty. Enough for the note facts and mentions.
 */
export function recordFromObject(obj: Record<string, unknown>): CDrugRedRecord {
  const str = (k: string): string => (typeof obj[k] === 'string' ? (obj[k] as string) : '');
  const dx = obj['出院诊断'];
  const other = obj['其他'];
  const record: CDrugRedRecord = {
    患者序号: str('患者序号'),
    就诊标识: str('就诊标识'),
    性别: str('性别'),
    出生日期: str('出生日期'),
    民族: str('民族'),
    BMI: typeof obj['BMI'] === 'number' ? (obj['BMI'] as number) : null,
    就诊时间: str('就诊时间'),
    诊疗过程描述: str('诊疗过程描述'),
    入院情况: str('入院情况'),
    现病史: str('现病史'),
    既往史: str('既往史'),
    主诉: str('主诉'),
    出院诊断: Array.isArray(dx) ? dx.filter((x): x is string => typeof x === 'string') : typeof dx === 'string' ? [dx] : [],
  };
  if (other && typeof other === 'object' && !Array.isArray(other)) {
    const o: Record<string, string> = {};
    for (const [k, v] of Object.entries(other as Record<string, unknown>)) if (typeof v === 'string') o[k] = v;
    record.其他 = o;
  }
  return record;
}
