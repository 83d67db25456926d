/**
 * Drugs a note leaves no room for as suggestions: drugs it never names that the model may still
 * propose on its prior. The evidence fusion (src/decoding/evidence-fusion.ts) leaves them out of the
 * list; a drug the note names keeps its own status, and a class the note plans keeps its usual drug.
 *
 *  - A course that states an area's regimen (./stated-regimens.ts: "降糖：…同前", "降压改为CCB+袢利尿剂")
 *    closes the area: the regimen is what the sentence says (docs/decision-rules/RULE-1204y.md).
 *  - A drug given only for a documented finding is not suggested without it: a potassium supplement
 *    needs low potassium in the note (docs/decision-rules/RULE-1204z.md), a fibrate or an omega-3
 *    ethyl ester a lipid finding (RULE-1204za).
 *
 * Why reading rules and not the model: the synthetic generator never writes a regimen sentence in
 * the course, and its labels never hold an unnamed potassium supplement either; the rules say what
 * a clinician reads in the note, and each was measured on dev notes before it shipped.
 */
import type { MentionStatus } from './baselines/mention.ts';
import type { Formulary } from './formulary.ts';
import { statedRegimenAreas } from './stated-regimens.ts';
import type { CDrugRedRecord } from './record.ts';

/** Low potassium documented in words, or a serum potassium below 3.5 mmol/L ("K 3.1", "血钾2.9mmol/L"). */
const HYPOKALAEMIA_WORDS = /低钾|低血钾|血钾偏低|血钾低|钾偏低|补钾/;
const LOW_POTASSIUM_VALUE = /(?:血清钾|血钾|钾离子|(?<![A-Za-z])K\+?)\s*(?:[:：=]|为|约|降至|仅)?\s*([0-3]\.\d+|[0-3])(?![\d.])/gi;

/**
 * A lipid finding, for the triglyceride-lowering drugs. Upper-case TG only: "Tg" is thyroglobulin
 * in every thyroid-cancer follow-up.
 */
const LIPID_FINDING = /甘油三酯|三酰甘油|TG|高脂|血脂/;

/** Duplication groups whose drugs are given only for a documented finding, and the finding. */
const FINDING_BOUND_GROUPS: Readonly<Record<string, (text: string) => boolean>> = {
  potassium: (text) => HYPOKALAEMIA_WORDS.test(text) || [...text.matchAll(LOW_POTASSIUM_VALUE)].some((m) => Number(m[1]) < 3.5),
  fibrate: (text) => LIPID_FINDING.test(text),
  omega3: (text) => LIPID_FINDING.test(text),
};

/** Where a finding may stand: the text fields and the discharge diagnoses ("高甘油三酯血症"). */
const TEXT_FIELDS = ['主诉', '现病史', '既往史', '入院情况', '诊疗过程描述'] as const;

/**
 * The candidate drugs this note leaves no room for as unnamed suggestions (see the file comment).
 * `statuses`: the note's named drugs (they are never in the set); `planned`: the usual drugs of the
 * classes it plans (neither).
 */
export function unsuggestedDrugs(
  record: CDrugRedRecord,
  formulary: Formulary,
  statuses: ReadonlyMap<string, MentionStatus>,
  planned: ReadonlySet<string>,
): Set<string> {
  const closedAreas = statedRegimenAreas(record);
  const text = [...TEXT_FIELDS.map((f) => record[f] ?? ''), ...(record.出院诊断 ?? [])].join('\n').normalize('NFKC');
  const lacking = new Set(Object.entries(FINDING_BOUND_GROUPS).filter(([, has]) => !has(text)).map(([group]) => group));
  const out = new Set<string>();
  for (const d of formulary.drugs) {
    if (statuses.has(d.name) || planned.has(d.name)) continue;
    if (closedAreas.has(d.area) || (d.duplicationGroup !== undefined && lacking.has(d.duplicationGroup))) out.add(d.name);
  }
  return out;
}
