/**
 * Class-level plans: a note that plans a drug class without naming a drug of it ("加用SGLT2抑制剂",
 * "β受体阻滞剂控制心率", "他汀强化降脂"). Charts write plans this way all the time; the lexicon
 * cannot normalise a class to a drug, so the drug the patient goes home on is never named. The
 * evidence fusion (src/decoding/evidence-fusion.ts) uses the plan as evidence for the class's usual
 * drug (the ward default, or the one the note's facts call for), searched or not.
 *
 * A class word is read by the mention analyser's own cue machine (./baselines/mention.ts): the
 * words are offered to it as pseudo-drugs (./class-words.ts, shared with the safety reader), so "停用磺脲类", "暂不加用他汀", "否认…", "出院后继续…"
 * and "latest statement wins" mean for a class what they mean for a drug, with one implementation
 * of those rules.
 */
import { takenOrPlanned, type MentionStatus } from './baselines/mention.ts';
import type { DrugLexicon } from './baselines/types.ts';
import { CLASS_WORD_PREFIX, CLASS_WORDS, drugsOfClassWord, withClassWords, type ClassWord } from './class-words.ts';
import type { Formulary } from './formulary.ts';
import { extractNoteFacts, findCondition, type NoteFacts } from './note-facts.ts';
import { mentionStatuses, type PromptRecord } from './prompt.ts';
import { recordFromObject, supersededInNote } from './withhold.ts';

/** Each class word's key the note uses, with its final status (as mentionStatuses gives a drug's). */
export function classStatuses(record: PromptRecord, lexicon: DrugLexicon): Map<string, MentionStatus> {
  const out = new Map<string, MentionStatus>();
  for (const [name, status] of mentionStatuses(record, withClassWords(lexicon))) if (name.startsWith(CLASS_WORD_PREFIX)) out.set(name.slice(CLASS_WORD_PREFIX.length), status);
  return out;
}

/** A class the note plans without naming a drug of it: the class's formulary drugs and its usual one. */
export interface ClassPlan {
  key: string;
  drugs: string[];
  usual: string;
}

/**
 * Every class the note plans (final status positive or discharge) while it names no drug of that
 * class as taken or planned: "加用SGLT2抑制剂" with no 列净 named is a plan for the SGLT2
 * inhibitors; "他汀强化" after "阿托伐他汀20mg qn" is none (the named statin is the plan).
 * `statuses` are the record's drug statuses (mentionStatuses), passed when the caller has them.
 */
export function openClassPlans(
  record: PromptRecord,
  formulary: Formulary,
  statuses: ReadonlyMap<string, MentionStatus> = mentionStatuses(record, formulary),
): ClassPlan[] {
  const out: ClassPlan[] = [];
  let facts: NoteFacts | undefined;
  let superseded: Set<string> | undefined;
  const applies = (c: NonNullable<ClassWord['instead']>): boolean => {
    facts ??= extractNoteFacts(recordFromObject(record));
    const egfr = facts.egfr?.value;
    return (c.egfrBelow !== undefined && egfr !== undefined && egfr < c.egfrBelow) || c.conditions.some((k) => findCondition(facts!, k) !== null);
  };
  for (const [key, status] of classStatuses(record, formulary)) {
    if (!takenOrPlanned(status)) continue;
    const word = CLASS_WORDS.find((c) => c.key === key)!;
    if (word.usual === undefined) continue;
    const drugs = drugsOfClassWord(word, formulary.drugs);
    // Any drug of the class the note names answers the plan ("他汀强化" on simvastatin keeps it),
    // unless the note switched away from it ("改为高强度他汀") or planned a stronger one for a reason
    // ("LDL-C未达标，他汀强化降脂"; ClassWord.supersedesWhenPlanned).
    let answering = drugs;
    if (word.supersedes) {
      superseded ??= supersededInNote(recordFromObject(record), formulary);
      const replaced = superseded;
      answering = formulary.drugs.filter((d) => word.classes.includes(d.class) && !replaced.has(d.name)).map((d) => d.name);
    }
    if (drugs.length === 0 || answering.some((m) => takenOrPlanned(statuses.get(m)))) continue;
    const usual = word.instead && drugs.includes(word.instead.usual) && applies(word.instead) ? word.instead.usual : word.usual;
    out.push({ key, drugs, usual });
  }
  return out;
}
