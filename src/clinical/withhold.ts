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
 *    ("暂停氯吡格雷 … 恢复氯吡格雷"), continues it in the course ("二甲双胍、西格列汀继续"), or puts
 *    it in the discharge plan ("出院后：氯吡格雷75mg qd").
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
 * formulary `duplicationGroup` (or of an exclusive family, listGroupsOf) is in the list, the
 * group's other drugs are closed.
 */
import { analyzeRecord, AVOID_WORDS, DEFER_WORDS, inWithPhrase, MENTION_FIELD_ORDER, REPLACED_BY_WORDS, SENTENCE_BOUNDARY, sentenceBefore, START_WORDS, STOP_OR_AVOID, SWITCH_WORDS, takenOrPlanned, type AnalyzedMention } from './baselines/mention.ts';
import { classWordOf, drugsOfClassWord, drugsStoppedWithClassWord, supersededBySwitchTo, withClassWords } from './class-words.ts';
import { Formulary } from './formulary.ts';
import { listGroupsOf } from './formulary-types.ts';
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

/** What a reason quotes for a mention: its clause, through the later clause whose cue decided it ("…增加，不宜选用"). */
function evidenceOf(m: AnalyzedMention, text: string): FactSource {
  return { field: m.field, text: clauseOf(text, m.start, m.decidedUntil ?? m.end) };
}

/** A stop or avoidance cue ending at most 6 characters before a class word in its clause. */
const CUE_BEFORE_CLASS = new RegExp(`(?:${STOP_OR_AVOID.source})([^，,。；;\n]{0,6})$`);
/** A replacement cue after a class word: "ARB换为ARNI" leaves the class. */
const REPLACED_AFTER = new RegExp(`^[^，,。；;\n]{0,4}(?:${SWITCH_WORDS})`);
/** A replacement cue right before a class word: "ARB＋噻嗪类单片复方制剂替换原ARB" stops the ARB. */
const REPLACED_BEFORE = new RegExp(`(?:${REPLACED_BY_WORDS})原?$`);
/** A switch cue, not negated ("未改为…" is no switch). */
const SWITCH_CUE = new RegExp(`(?<![未不没])(?:${SWITCH_WORDS})`);
/** A bare 改 right before the drug or class it switches to ("改高强度他汀", "改氯吡格雷75mg qd"); not 修改/更改. */
const BARE_SWITCH = '(?<![修更未不没])改';
/** A switch cue right before a class word: "改为高强度他汀" replaces what the patient took. */
const SWITCHED_TO = new RegExp(`(?:${SWITCH_CUE.source}[^，,。；;\n]{0,4}|${BARE_SWITCH})$`);
/**
 * A stop cue standing alone at the end of a later clause of the sentence ("磺脲类可加速β细胞功能衰竭，
 * 一并停用"; "磺脲类致反复低血糖，停用，改为基础胰岛素", RULE-1210a): the analyser's bare cue refers back to the class.
 */
const BARE_STOP_LATER = new RegExp(`^[^。；;！!？?\\n]*[，,]\\s*(?:一并|同时|均|亦|也)?(?:${STOP_OR_AVOID.source})\\s*(?:[。；;！!？?\\n，,]|$)`);
/** A start or switch cue right before a class word ("联合预混胰岛素", "恢复他汀", "启用胰岛素", "改为基础胰岛素"). */
const STARTED_BEFORE = new RegExp(`(?:${START_WORDS}|${SWITCH_WORDS})[^，,。；;\n]{0,6}$`);
/** "避免与他汀类合用": a combination is ruled out, not the class. */
const WITH_ANOTHER = /与|和/;
const TOGETHER_AFTER = /^[^，,。；;\n]{0,4}(?:合用|联用|同用|同服|联合使用)/;

/**
 * Antiresorptives given at long intervals (zoledronic acid once a year, denosumab every 6 months):
 * given or planned, they leave no room for an oral bisphosphonate on top (RULE-1207h).
 */
const LONG_INTERVAL_ANTIRESORPTIVES: ReadonlySet<string> = new Set(['唑来膦酸', '地舒单抗']);
const ORAL_BISPHOSPHONATES: readonly string[] = ['阿仑膦酸钠', '阿仑膦酸钠维D3', '利塞膦酸钠', '伊班膦酸钠'];

interface ClassStop {
  at: { field: number; pos: number };
  drugs: Set<string>;
  evidence: FactSource;
  /** A switch to another kind of drug of the class than the named ones ("改为高强度他汀" on simvastatin, "改为周制剂" on liraglutide). */
  superseded?: true;
}

/** The drug named as the former regimen: "原瑞格列奈", "原口服二甲双胍". */
const FORMER_BEFORE = /原(?:用|服用|口服|使用)?$/;
/** How far after the switch cue its target may start ("改为DPP-4抑制剂", "调整为睡前甘精胰岛素"). */
const SWITCH_TARGET_REACH = 8;

/**
 * Former regimens the same sentence switches away from ("原瑞格列奈每日3次，依从性差，降糖改为DPP-4抑制剂
 * 每日一次", RULE-1207k): the drug marked 原 is replaced, unless the switch's target is the drug
 * itself or a class word that holds it. "原" is the tie between the drug and a later clause's switch.
 */
function formerRegimenSwitches(mentions: readonly AnalyzedMention[], record: CDrugRedRecord, formulary: Formulary): ClassStop[] {
  const out: ClassStop[] = [];
  for (const m of mentions) {
    if (classWordOf(m.name) || !takenOrPlanned(m.status)) continue;
    const text = record[m.field] ?? '';
    if (!FORMER_BEFORE.test(text.slice(Math.max(0, m.start - 4), m.start))) continue;
    const cue = SWITCH_CUE.exec(text.slice(m.end).split(SENTENCE_BOUNDARY)[0] ?? '');
    if (!cue) continue;
    const target = switchTarget(mentions, m.field, m.end + cue.index + cue[0].length);
    if (!target || targetHolds(target, m.name, formulary)) continue;
    out.push({ at: { field: MENTION_FIELD_ORDER.indexOf(m.field), pos: target.start }, drugs: new Set([m.name]), evidence: evidenceOf(m, text), superseded: true });
  }
  return out;
}

/** The drug or class word a switch cue ending at `cueEnd` switches to, if one starts right after it. */
function switchTarget(mentions: readonly AnalyzedMention[], field: string, cueEnd: number): AnalyzedMention | undefined {
  return mentions.find((n) => n.field === field && n.start >= cueEnd && n.start - cueEnd <= SWITCH_TARGET_REACH);
}

/** The switch's target is the drug itself, or a class word that holds it: nothing is replaced. */
function targetHolds(target: AnalyzedMention, drug: string, formulary: Formulary): boolean {
  const word = classWordOf(target.name);
  return word ? drugsOfClassWord(word, formulary.drugs).includes(drug) : target.name === drug;
}

/** A clause that opens with nothing but a switch cue ("，改为利格列汀", "，遂改为胰岛素"). */
const SWITCH_OPENS_CLAUSE = new RegExp(`^[，,]\\s*(?:遂|故|因此|则|出院|后)?${SWITCH_CUE.source}`);
/** A clause that itself starts, keeps or doses the drug: the switch after it adds to it. */
const KEPT_IN_CLAUSE = new RegExp(`${START_WORDS}|加量|减量|加至|减至|同前|不变`);

/**
 * A drug that opens its clause with a reason and the next clause switches to another drug of its
 * area ("瑞格列奈依从性差，改为利格列汀5mg qd", "格华止因血糖未达标、患者顾虑孕期用药，改为胰岛素：诺和锐…",
 * RULE-1208c): the drug is replaced. The drug as the clause's subject and the target's area are the
 * tie that a bare later-clause switch lacks (RULE-1205l): "他汀类调脂，调整为预混胰岛素" leaves the
 * statin alone.
 */
function reasonThenSwitches(mentions: readonly AnalyzedMention[], record: CDrugRedRecord, formulary: Formulary): ClassStop[] {
  const out: ClassStop[] = [];
  for (const m of mentions) {
    if (classWordOf(m.name) || !takenOrPlanned(m.status)) continue;
    const area = formulary.get(m.name)?.area;
    const text = record[m.field] ?? '';
    if (area === undefined || (text.slice(0, m.start).split(CLAUSE).pop() ?? '').trim() !== '') continue;
    const rest = text.slice(m.end);
    const clause = rest.split(CLAUSE)[0] ?? '';
    if (KEPT_IN_CLAUSE.test(clause) || mentions.some((n) => n.field === m.field && n.start > m.end && n.start < m.end + clause.length)) continue;
    const cue = SWITCH_OPENS_CLAUSE.exec(rest.slice(clause.length));
    if (!cue) continue;
    const target = switchTarget(mentions, m.field, m.end + clause.length + cue[0].length);
    if (!target || targetHolds(target, m.name, formulary)) continue;
    const word = classWordOf(target.name);
    const targetAreas = word ? drugsOfClassWord(word, formulary.drugs).map((n) => formulary.get(n)?.area) : [formulary.get(target.name)?.area];
    if (!targetAreas.includes(area)) continue;
    out.push({ at: { field: MENTION_FIELD_ORDER.indexOf(m.field), pos: target.start }, drugs: new Set([m.name]), evidence: evidenceOf(m, text), superseded: true });
  }
  return out;
}

/**
 * "第8天停用胰岛素", "感染控制后停用胰岛素", "胰岛素逐渐减量，第5天停": insulin with no kind named is the
 * insulin the course gave before it (RULE-1208g, RULE-1209g). Not the pump or the drip ("停胰岛素泵",
 * "停静脉胰岛素": the route), not a stop the note forbids ("不可自行停用胰岛素"), not a taper planned for
 * after discharge ("出院后胰岛素逐渐减量，2周后停用"), and an insulin the course names again after it is
 * restarted.
 */
const GENERIC_INSULIN_STOP =
  /(?<!(?:不可|不要|勿|切勿|不能|禁止)(?:自行|随意|擅自)?(?:减)?)(?:停用|停)胰岛素(?![泵\u4e00-\u9fffA-Za-z\d])|(?<![\u4e00-\u9fffA-Za-z\d])胰岛素(?:逐渐|逐步)减量[，,]\s*(?:第\s*\d+\s*(?:天|日)|\d+\s*(?:天|日)后)?停(?:用)?(?=[，,。；;\n]|$)/g;
const PLANNED_FOR_HOME = /出院|嘱/;
const COURSE_FIELD = MENTION_FIELD_ORDER.indexOf('诊疗过程描述');

function genericInsulinStops(mentions: readonly AnalyzedMention[], record: CDrugRedRecord, formulary: Formulary): ClassStop[] {
  const course = record['诊疗过程描述'] ?? '';
  const out: ClassStop[] = [];
  for (const stop of course.matchAll(GENERIC_INSULIN_STOP)) {
    if (!stop[0].startsWith('停') && PLANNED_FOR_HOME.test(sentenceBefore(course, stop.index))) continue;
    const given = mentions.filter((m) => m.field === '诊疗过程描述' && m.start < stop.index && !classWordOf(m.name) && /胰岛素/.test(m.name) && formulary.get(m.name)?.area === 'diabetes');
    const drugs = new Set(given.filter((m) => takenOrPlanned(m.status) || m.status === 'inpatient').map((m) => m.name));
    if (drugs.size > 0) out.push({ at: { field: COURSE_FIELD, pos: stop.index }, drugs, evidence: { field: '诊疗过程描述', text: clauseOf(course, stop.index, stop.index + stop[0].length) } });
  }
  return out;
}

/** After a class word: its start ("…从小剂量开始"), or its continuation ("…同前"). */
const STARTED_AFTER = /开始|起始|启用|启动/;
const CLASS_KEPT_AFTER = /同前|不变|继续|维持|照旧/;
/** The history fields: a stop there happened before admission. */
const HISTORY_FIELDS: ReadonlySet<string> = new Set(['现病史', '既往史']);
/** A pause, or a replacement for a while, in the stop's sentence ("停用缬沙坦及氨氯地平，暂改为维拉帕米…"): a hold for a work-up. */
const TEMPORARY_REPLACEMENT = /暂停|暂改|暂换|暂时改|暂用|洗脱/;

/**
 * Drugs stopped in the history, or held in the course for a work-up (RULE-1209e), whose class the
 * course then starts or plans.
 */
function restartedByClass(
  record: CDrugRedRecord,
  formulary: Formulary,
  last: ReadonlyMap<string, { reason: string; field?: string; pos?: number }>,
  classMentions: readonly AnalyzedMention[],
): string[] {
  const course = record['诊疗过程描述'] ?? '';
  const heldAt = (v: { field?: string; pos?: number }): number | null =>
    v.field === '诊疗过程描述' && v.pos !== undefined && TEMPORARY_REPLACEMENT.test(sentenceBefore(course, v.pos) + (course.slice(v.pos).split(SENTENCE_BOUNDARY)[0] ?? '')) ? v.pos : null;
  const stoppedBefore = [...last].filter(([, v]) => v.reason === 'stopped' && v.field !== undefined && (HISTORY_FIELDS.has(v.field) || heldAt(v) !== null));
  if (stoppedBefore.length === 0) return [];
  // A start of the class ("加用…", "甲状腺激素替代从小剂量开始"), not its continuation ("抗血小板同前": the
  // regimen as it was, without the drug stopped before).
  const isStart = (m: AnalyzedMention): boolean => {
    const before = course.slice(0, m.start).split(CLAUSE).pop() ?? '';
    const after = course.slice(m.end).split(CLAUSE)[0] ?? '';
    return !CLASS_KEPT_AFTER.test(after) && (STARTED_BEFORE.test(before) || STARTED_AFTER.test(after));
  };
  const started = classMentions.filter((m) => m.field === '诊疗过程描述' && (m.status === 'positive' || m.status === 'discharge') && classWordOf(m.name));
  // A held drug: any later start of its class, or its class in a discharge plan ("出院降压方案：…+二氢吡啶类CCB").
  const inDischargeSentence = (m: AnalyzedMention): boolean => m.status === 'discharge' || /^\s*出院/.test(sentenceBefore(course, m.start));
  return stoppedBefore
    .filter(([name, v]) => {
      const held = heldAt(v);
      return started.some(
        (m) => (held === null ? isStart(m) : m.start > held && (inDischargeSentence(m) || isStart(m))) && drugsOfClassWord(classWordOf(m.name)!, formulary.drugs).includes(name),
      );
    })
    .map(([name]) => name);
}

function isLater(a: { field: number; pos: number }, b: { field: number; pos: number }): boolean {
  return a.field > b.field || (a.field === b.field && a.pos > b.pos);
}

/**
 * What the note says about whole classes, read from the mention analyser's class words
 * (./class-words.ts), so a class is stopped by the same cues as a drug:
 *  - stopped or ruled out by a cue just before it ("停用磺脲类", "暂不加用他汀", "嘱避免自行服用NSAIDs"),
 *  - by a cue after it in its clause ("餐时胰岛素逐步减停", "抗甲状腺药物今后禁用"),
 *  - or replaced ("ARB换为ARNI");
 *  - and a switch to a class supersedes the drugs it leaves ("改为高强度他汀" on simvastatin, "改为周制剂" on
 *    liraglutide, "调整为基础胰岛素" on a premix).
 * Not a class word that only describes the therapy ("以氯吡格雷替代阿司匹林单药抗血小板": the
 * analyser's forward scope stops it, but no cue stands next to it), nor a combination ruled out
 * ("吉非罗齐避免与他汀类合用").
 */
function classStatements(record: CDrugRedRecord, formulary: Formulary, mentions: readonly AnalyzedMention[]): ClassStop[] {
  const out: ClassStop[] = [];
  /** The latest stop of each class word: a later positive statement of the word lifts it. */
  const stopOf = new Map<string, ClassStop>();
  /** Class words read as positive so far: the replacement of a later "替换原X" is among them. */
  const named: { field: string; start: number; drugs: string[] }[] = [];
  for (const m of mentions) {
    const word = classWordOf(m.name);
    const text = record[m.field] ?? '';
    const before = text.slice(0, m.start).split(CLAUSE).pop() ?? '';
    const at = { field: MENTION_FIELD_ORDER.indexOf(m.field), pos: m.start };
    const evidence = evidenceOf(m, text);
    if (!word) {
      // A switch to a named drug replaces what a switch to its class would ("改为来得时14U qn" on a premix).
      if ((m.status === 'positive' || m.status === 'discharge') && SWITCHED_TO.test(before)) {
        const replaced = supersededBySwitchTo(m.name, formulary.drugs).filter((n) => formulary.has(n));
        if (replaced.length > 0) out.push({ at, drugs: new Set(replaced), evidence, superseded: true });
      }
      if (LONG_INTERVAL_ANTIRESORPTIVES.has(m.name) && (takenOrPlanned(m.status) || m.status === 'inpatient')) {
        const replaced = ORAL_BISPHOSPHONATES.filter((n) => formulary.has(n));
        if (replaced.length > 0) out.push({ at, drugs: new Set(replaced), evidence, superseded: true });
      }
      continue;
    }
    const after = text.slice(m.end).split(CLAUSE)[0] ?? '';
    if (m.status === 'stopped') {
      const cue = CUE_BEFORE_CLASS.exec(before);
      const cueBefore = cue !== null && !WITH_ANOTHER.test(cue[1] ?? '') && !TOGETHER_AFTER.test(after);
      const replacedBefore = REPLACED_BEFORE.test(before);
      if (!cueBefore && !replacedBefore && !STOP_OR_AVOID.test(after) && !REPLACED_AFTER.test(after) && !(BARE_STOP_LATER.test(text.slice(m.end)) && !inWithPhrase(text, m.start))) continue;
      const stop: ClassStop = { at, drugs: new Set(drugsStoppedWithClassWord(word, formulary.drugs)), evidence };
      if (replacedBefore) {
        // "ARB＋噻嗪类单片复方制剂替换原ARB": the replacement named earlier in the sentence stays.
        const sentenceStart = m.start - sentenceBefore(text, m.start).length;
        for (const c of named) if (c.field === m.field && c.start >= sentenceStart) for (const n of c.drugs) stop.drugs.delete(n);
      }
      if (stop.drugs.size > 0) out.push(stop);
      stopOf.set(word.key, stop);
    } else if (m.status === 'positive' || m.status === 'discharge') {
      const classDrugs = drugsStoppedWithClassWord(word, formulary.drugs);
      named.push({ field: m.field, start: m.start, drugs: classDrugs });
      // "停预混人胰岛素30R，联合预混胰岛素类似物": the class goes on. Only a start does that: "既往服用
      // 他汀类药物后出现肌肉酸痛" names the class, it does not restart it.
      if (m.status === 'discharge' || STARTED_BEFORE.test(before)) {
        stopOf.get(word.key)?.drugs.clear();
        // A class started after another class's stop is the switch's target ("ARB改为ARB+噻嗪类单片
        // 复方"): the earlier stop no longer holds for the started class's own drugs.
        for (const s of out) if (!s.superseded && isLater(at, s.at)) for (const n of classDrugs) s.drugs.delete(n);
      }
      const plannedForReason =
        word.supersedesWhenPlanned !== undefined && m.field === '诊疗过程描述' && (m.status === 'discharge' || word.supersedesWhenPlanned.reason.test(text));
      if (word.supersedes && (SWITCHED_TO.test(before) || plannedForReason)) out.push({ at, drugs: new Set(word.supersedes.filter((n) => formulary.has(n))), evidence, superseded: true });
    }
  }
  out.push(...formerRegimenSwitches(mentions, record, formulary), ...reasonThenSwitches(mentions, record, formulary), ...genericInsulinStops(mentions, record, formulary));
  return out;
}

/**
 * Drugs a switch to a stronger drug of their class replaces ("辛伐他汀 … 改为高强度他汀"), unless
 * named positively after it: read by the class plans, for which they no longer answer the plan.
 */
export function supersededInNote(record: CDrugRedRecord, formulary: Formulary): Set<string> {
  const out = new Set<string>();
  for (const [name, stop] of stoppedInNote(record, formulary)) if (stop.superseded) out.add(name);
  return out;
}

/**
 * Words that say an acute event is over ("出血停止后", "止血后", "酮症纠正后", "休克纠正后"),
 * read before a drug in the same sentence: the drug started from then on is the clinician's
 * decision after the event ("出血停止后第7天起以氯吡格雷75mg qd替代阿司匹林").
 */
const ACUTE_RESOLVED_BEFORE =
  /(?:出血|酮症|酸中毒|休克|感染)[^。；;，,\n]{0,6}(?:停止|控制|纠正|好转|缓解|消失)(?:\s*(?:\d+|[一二两三四五六七八九十]+)\s*(?:天|日|周|个月|月|小时|h))?后|止血(?:成功)?后/;

/**
 * The course continues, resumes or switches to the drug in so many words ("恢复拜糖苹", "二甲双胍缓释片、
 * 西格列汀继续", "保留氯吡格雷单药抗血小板", "改为氯吡格雷75mg qd", "单用氯吡格雷"): the clinician's
 * decision, which an acute contraindication does not overrule either.
 */
// An item of a list the cue heads ("恢复二甲双胍0.5g tid及格列美脲2mg qd"), and "因需长期服用阿司匹林" (RULE-1210k).
const CONTINUED_BEFORE = new RegExp(
  `(?:(?:继续|恢复|保留|维持|重新(?:加用|使用|服用|启用)?|重启|单用|${SWITCH_WORDS})(?:[^，,。；;\\n]{0,2}|[^，,。；;\\n]{1,24}[、及和])|需长期(?:服用|使用|口服)|${BARE_SWITCH})$`,
);
// "波立维、可定、潘妥洛克同前" continues them too (RULE-1210c).
const CONTINUED_AFTER = /^[^，,。；;\n]{0,16}?(?:继续|恢复|保留|维持|同前|照旧)(?:原剂量|原方案|使用|服用|口服|应用)?\s*(?:[，,。；;\n]|$)/;

/**
 * Drugs the note resumes after stopping them, puts in its discharge plan, continues or resumes in
 * so many words in the course, or starts in a sentence that first says the acute event is over:
 * the clinician's decision after an acute event, which an `acute` contraindication then does not
 * overrule.
 */
export function resumedInNote(
  record: CDrugRedRecord,
  formulary: Formulary,
  mentions: readonly AnalyzedMention[] = analyzeRecord(record, formulary),
): Set<string> {
  const stoppedBefore = new Set<string>();
  const out = new Set<string>();
  for (const m of mentions) {
    const text = record[m.field] ?? '';
    const afterTheEvent = m.status === 'positive' && ACUTE_RESOLVED_BEFORE.test(sentenceBefore(text, m.start));
    const continued =
      m.status === 'positive' && m.field === '诊疗过程描述' && (CONTINUED_BEFORE.test(text.slice(0, m.start)) || CONTINUED_AFTER.test(text.slice(m.end)));
    if (m.status === 'discharge' || (m.status === 'positive' && stoppedBefore.has(m.name)) || afterTheEvent || continued) out.add(m.name);
    else if (m.status === 'stopped') stoppedBefore.add(m.name);
  }
  return out;
}

/** A drug the note's own words rule out at its end, and where it says so. */
export interface NoteStop {
  reason: 'stopped' | 'intolerance' | 'allergy-self';
  evidence: FactSource;
  /** Ruled out by a switch to a stronger drug of its class ("改为高强度他汀"), not by a stop of its own. */
  superseded?: true;
}

/** The record's own stop / intolerance statements that still hold at the end of the note. */
export function stoppedInNote(
  record: CDrugRedRecord,
  formulary: Formulary,
  mentions: readonly AnalyzedMention[] = analyzeRecord(record, formulary),
): Map<string, NoteStop> {
  return readNoteStops(record, formulary, mentions).stops;
}

/**
 * Drugs the note stopped (before admission, or held in the course for a work-up) and then restarts
 * by their class (RULE-1208h, RULE-1209e): taken, though the note never names them again.
 */
export function restartedInNote(record: CDrugRedRecord, formulary: Formulary): string[] {
  return readNoteStops(record, formulary).restarted;
}

interface NoteStops {
  stops: Map<string, NoteStop>;
  restarted: string[];
}

/**
 * One reading per record and formulary: the safety plan and the fusion's evidence both ask for it
 * on the same parsed record in every decode (src/decoding/recommend-record.ts), and it reads the
 * note twice (drugs, then class words). Records are not mutated after parsing.
 */
const noteStopsRead = new WeakMap<CDrugRedRecord, WeakMap<Formulary, NoteStops>>();

function readNoteStops(record: CDrugRedRecord, formulary: Formulary, mentions?: readonly AnalyzedMention[]): NoteStops {
  const byFormulary = noteStopsRead.get(record) ?? new WeakMap<Formulary, NoteStops>();
  noteStopsRead.set(record, byFormulary);
  const known = byFormulary.get(formulary);
  if (known) return known;
  const read = readNoteStopsOnce(record, formulary, mentions ?? analyzeRecord(record, formulary));
  byFormulary.set(formulary, read);
  return read;
}

function readNoteStopsOnce(record: CDrugRedRecord, formulary: Formulary, mentions: readonly AnalyzedMention[]): NoteStops {
  const last = new Map<string, { reason: 'positive' | NoteStop['reason']; evidence: FactSource; superseded?: true; field?: string; pos?: number }>();
  // The note read once more with class words, for what it says about whole classes.
  const classMentions = analyzeRecord(record, withClassWords(formulary));
  const classStops = classStatements(record, formulary, classMentions);
  for (const m of mentions) {
    const text = record[m.field] ?? '';
    const evidence = evidenceOf(m, text);
    const status: string = m.status;
    const at = { field: MENTION_FIELD_ORDER.indexOf(m.field), pos: m.start };
    // A drug named positively after its class was stopped is restarted: the class stop no longer holds for it.
    if (status === 'positive' || status === 'discharge') for (const c of classStops) if (isLater(at, c.at)) c.drugs.delete(m.name);
    if (status === 'stopped') last.set(m.name, { reason: 'stopped', evidence, field: m.field, pos: m.start });
    else if (status === 'negated') {
      const after = INTOLERANCE_AFTER.exec(text.slice(m.end));
      if (after) last.set(m.name, { reason: after[1] === '过敏' ? 'allergy-self' : 'intolerance', evidence });
    } else if (status === 'positive' || status === 'discharge') last.set(m.name, { reason: 'positive', evidence });
  }
  // A drug the patient had stopped before admission that the course starts again by its class
  // ("…左甲状腺素钠片替代，2年前自行停药" … "甲状腺激素替代从小剂量开始"): restarted (RULE-1208h).
  const restarted = restartedByClass(record, formulary, last, classMentions);
  for (const name of restarted) last.set(name, { reason: 'positive', evidence: last.get(name)!.evidence });
  // A class stopped or ruled out, whose drugs the note did not name positively afterwards.
  for (const c of classStops) {
    for (const name of c.drugs) {
      const prev = last.get(name);
      if (prev === undefined || prev.reason === 'positive') last.set(name, { reason: 'stopped', evidence: c.evidence, ...(c.superseded ? { superseded: true as const } : {}) });
    }
  }
  const stops = new Map<string, NoteStop>();
  for (const [name, { reason, evidence, superseded }] of last) if (reason !== 'positive') stops.set(name, { reason, evidence, ...(superseded ? { superseded } : {}) });
  return { stops, restarted: restarted.filter((n) => !stops.has(n)) };
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
      const statement: NoteStatement = s.superseded
        ? { kind: 'superseded', drug: name, quote: s.evidence.text }
        : s.reason === 'stopped' && DEFER_WORDS.test(s.evidence.text) && !AVOID_WORDS.test(s.evidence.text)
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
   * Per candidate index: the groups of which a list holds one drug (listGroupsOf: its duplication
   * groups and exclusive families); null when none / unknown.
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
    const g = listGroupsOf(n !== null ? formulary.get(n) : undefined);
    return g.length === 0 ? null : g.length === 1 ? g[0]! : g;
  });
  return { withheld, mask: { blocked, groups } };
}

/**
 * The same policy on a ranked list (the baselines): withheld drugs dropped, and of several
 * drugs of one list group (listGroupsOf) only the best-ranked kept. `safety: false` returns the list.
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
    const groups = listGroupsOf(c !== null ? formulary.get(c) : undefined);
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
