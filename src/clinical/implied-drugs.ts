/**
 * Drugs that standard practice adds to one the note starts, though the note may not write them.
 * One today: low-dose colchicine prophylaxis when urate-lowering therapy is started in gout
 * (中国高尿酸血症与痛风诊疗指南 2019: 3–6 months of flare prophylaxis from the start of
 * urate-lowering therapy; docs/decision-rules/RULE-1205f.md).
 *
 * The evidence fusion (src/decoding/evidence-fusion.ts) takes each as it takes a planned class's
 * usual drug: it joins the list unless the note says anything about it or the safety plan blocks
 * it (colchicine at eGFR < 30, a strong CYP3A4 inhibitor).
 *
 * Why a reading rule and not the model: the synthetic generator adds colchicine only where it
 * names it, so a model trained on it never learns the prophylaxis a clinician writes without
 * thinking of it.
 */
import { AVOID_WORDS, CONDITION_WORDS, DEFER_WORDS, takenOrPlanned, type MentionStatus } from './baselines/mention.ts';
import type { ClassPlan } from './class-plans.ts';
import type { Formulary } from './formulary.ts';
import type { CDrugRedRecord } from './record.ts';

const URATE_LOWERING_GROUPS = new Set(['xanthine_oxidase_inhibitor', 'uricosuric']);
const PROPHYLAXIS = '秋水仙碱';

/**
 * A start word before the drug in its clause: "加用非布司他", "启动降尿酸：非布司他", "予苯溴马隆".
 * Narrower than the mention analyser's START_WORDS: 继续/恢复/已用 take a drug, they do not start it.
 */
const INITIATED_BEFORE = /(?:加用|起始|开始|启动|启用|予以?|给予|加)(?:小剂量)?(?:降尿酸(?:治疗)?[：:，,]?\s*)?$/;
/** A start word after the drug's dose in its clause: "非布司他20mg qd起始", "20mg qd起，4w后加量". */
const INITIATED_AFTER = /^[^，,。；;\n]{0,16}?(?:起始|开始|起(?![效病]))/;
/** A condition or a later time before the start: "待急性期后加用", "若UA不达标则加用". */
const CONDITIONAL = new RegExp(CONDITION_WORDS);
/** A clause that avoids, defers or conditions the start ("暂不启动降尿酸", "门诊评估是否加用"). */
const notNow = (clause: string) => AVOID_WORDS.test(clause) || DEFER_WORDS.test(clause) || CONDITIONAL.test(clause);
const CLAUSE_END = /[，,。；;\n]/;

/** The prophylaxis plans this note implies (see the file comment), as class plans of one drug. */
export function impliedPlans(record: CDrugRedRecord, formulary: Formulary, statuses: ReadonlyMap<string, MentionStatus>): ClassPlan[] {
  if (statuses.has(PROPHYLAXIS) || !record.出院诊断.some((d) => d.includes('痛风'))) return [];
  const lowersUrate = (name: string) => URATE_LOWERING_GROUPS.has(formulary.get(name)?.duplicationGroup ?? '');
  // A urate-lowering drug of the history is a home drug the course continues or restarts, not a start;
  // one the note no longer has taken (an allopurinol rash, "终身禁用") leaves the course's next drug a
  // new start (RULE-1210a).
  const history = `${record.现病史 ?? ''}\n${record.既往史 ?? ''}`;
  if (formulary.findMentions(history).some((m) => lowersUrate(m.name) && takenOrPlanned(statuses.get(m.name)))) return [];
  const course = record.诊疗过程描述 ?? '';
  const started = formulary.findMentions(course).some((m) => {
    if (!lowersUrate(m.name) || !takenOrPlanned(statuses.get(m.name))) return false;
    const before = course.slice(0, m.start).split(CLAUSE_END).pop() ?? '';
    if (notNow(before)) return false;
    return INITIATED_BEFORE.test(before) || INITIATED_AFTER.test(course.slice(m.end));
  });
  return started ? [{ key: 'urateLoweringProphylaxis', drugs: [PROPHYLAXIS], usual: PROPHYLAXIS }] : [];
}
