/**
 * Drugs a note leaves no room for as suggestions: drugs it never names that the model may still
 * propose on its prior. The evidence fusion (src/decoding/evidence-fusion.ts) leaves them out of the
 * list; a drug the note names keeps its own status, and a class the note plans keeps its usual drug.
 *
 *  - A course that states a regimen (./stated-regimens.ts: "降糖：…同前", "降压改为CCB+袢利尿剂") closes
 *    what its area word is about: the regimen is what the sentence says (docs/decision-rules/RULE-1204y.md,
 *    -zg.md). One that continues it ("降糖方案不变", "降压、调脂同前") does so where the note names a drug
 *    of it as taken or planned (RULE-1205c); one that defers it ("暂不调脂") closes it too (RULE-1209h). So does a switch to a glucose regimen of two or more named
 *    agents ("改为基础胰岛素联合二甲双胍", RULE-1208e).
 *  - A drug given only for a documented finding is not suggested without it: a potassium supplement
 *    needs low potassium in the note (docs/decision-rules/RULE-1204z.md), a fibrate a lipid finding
 *    (RULE-1204za), ketoanalogues (复方α-酮酸) reduced kidney function
 *    (RULE-1205a), dapagliflozin a reason the SGLT2 class is preferred for (RULE-1206l), a hepatitis-B
 *    antiviral hepatitis B (RULE-1207d).
 *  - A second choice of its class (desiccated thyroid, alfacalcidol) only where the note names it
 *    (RULE-1206m), nor an omega-3 ethyl ester, an acid suppressant or a liver drug (RULE-1207p, q,
 *    r); no second urate-lowering drug where the note names or plans one (RULE-1207o); no statin beside a
 *    fibrate, no antiplatelet beside an anticoagulant the note takes or plans (RULE-1208f).
 *  - A drug of an area the note gives no reason for (./area-support.ts: no diagnosis, finding or lab
 *    of it) is not suggested: no statin for a note that never mentions lipids or atherosclerosis
 *    (RULE-1205b).
 *
 * Why reading rules and not the model: the synthetic generator never writes a regimen sentence in
 * the course, and its labels never hold an unnamed potassium supplement either; the rules say what
 * a clinician reads in the note, and each was measured on dev notes before it shipped.
 */
import { takenOrPlanned, type MentionStatus } from './baselines/mention.ts';
import { isUnsupportedArea } from './area-support.ts';
import type { FormularyDrug, TherapeuticArea } from './formulary-types.ts';
import type { Formulary } from './formulary.ts';
import { labValuesOf } from './lab-values.ts';
import { noteTexts } from './note-facts.ts';
import { continuedRegimens, deferredRegimens, regimenCovers, statedRegimens, switchedGlucoseRegimen, type RegimenScope } from './stated-regimens.ts';
import type { CDrugRedRecord } from './record.ts';

/** Low potassium documented in words; a serum potassium below 3.5 mmol/L counts too (./lab-values.ts). */
const HYPOKALAEMIA_WORDS = /低钾|低血钾|血钾偏低|血钾低|钾偏低|补钾/;

/**
 * A lipid finding, for the triglyceride-lowering drugs. Upper-case TG only: "Tg" is thyroglobulin
 * in every thyroid-cancer follow-up.
 */
const LIPID_FINDING = /甘油三酯|三酰甘油|TG|高脂|血脂/;

/**
 * Chronic kidney disease stage 3–5, the setting of ketoanalogues with a low-protein diet
 * (中国慢性肾脏病营养治疗临床实践指南 2021); an eGFR below 60 counts too (./lab-values.ts). Read on
 * NFKC text, where a Roman numeral character (Ⅳ) is already the letters IV.
 */
const REDUCED_KIDNEY_FUNCTION =
  /CKD\s*(?:[3-5]|I{3}|IV|V)[ab]?\s*期|慢性肾脏?病\s*(?:[3-5]|I{3}|IV|V)[ab]?\s*期|糖尿病肾病\s*(?:[45]|IV|V)\s*期|肾功能不全|肾衰|尿毒症|透析|低蛋白饮食/i;

/** Hepatitis B, for its antivirals: a fatty liver or a raised ALT gives a reason for a liver drug, not for them. */
const HEPATITIS_B = /乙肝|乙型(?:病毒性)?肝炎|HBV|HBsAg|HBeAg|大三阳|小三阳/i;

type Finding = (text: string, record: CDrugRedRecord) => boolean;

/** Duplication groups whose drugs are given only for a documented finding, and the finding. */
const FINDING_BOUND_GROUPS: Readonly<Record<string, Finding>> = {
  potassium: (text, record) => HYPOKALAEMIA_WORDS.test(text) || labValuesOf(record, 'k').some((k) => k < 3.5),
  fibrate: (text) => LIPID_FINDING.test(text),
  nucleoside_hbv: (text) => HEPATITIS_B.test(text),
};

/**
 * Second choices of their class, taken when the note names them and never started as a suggestion:
 * desiccated thyroid (levothyroxine is the usual) and alfacalcidol (calcitriol is the usual).
 */
const NAMED_ONLY: ReadonlySet<string> = new Set(['甲状腺片', '阿法骨化醇']);
/**
 * Duplication groups taken when the note names them (or plans their class), never started as a
 * suggestion: omega-3 ethyl esters, an add-on for residual hypertriglyceridaemia (RULE-1207p), and
 * acid suppressants, a gastroprotection the note writes ("加用泮托拉唑护胃", RULE-1207q).
 */
const NAMED_ONLY_GROUPS: ReadonlySet<string> = new Set(['omega3', 'ppi']);
/** Classes taken when the note names them: liver drugs for raised transaminases (RULE-1207r). */
const NAMED_ONLY_CLASSES: ReadonlySet<string> = new Set(['保肝药', '中成药(保肝)']);
const namedOnly = (d: FormularyDrug): boolean =>
  NAMED_ONLY.has(d.name) || NAMED_ONLY_CLASSES.has(d.class) || (d.duplicationGroup !== undefined && NAMED_ONLY_GROUPS.has(d.duplicationGroup));

/** The reasons guidelines prefer an SGLT2 inhibitor for (CDS 2020), or the class named. */
const SGLT2_REASON = /SGLT|列净|心衰|心力衰竭|蛋白尿|ACR|白蛋白|肾病|减重|肥胖|BMI|冠心病|心肌梗|动脉粥样|PCI|支架/i;

/** Drugs (one, not their whole group) given only for a documented finding or reason. */
const FINDING_BOUND_DRUGS: Readonly<Record<string, Finding>> = {
  '达格列净': (text) => SGLT2_REASON.test(text),
  '复方α-酮酸': (text, record) => REDUCED_KIDNEY_FUNCTION.test(text) || labValuesOf(record, 'egfr').some((v) => v < 60),
};

/**
 * Urate-lowering drugs: one is the therapy; a second on top (xanthine-oxidase inhibitor plus
 * uricosuric) is a second-line combination a note writes out (RULE-1207o).
 */
const URATE_LOWERING: ReadonlySet<string> = new Set(['别嘌醇', '非布司他', '苯溴马隆', '丙磺舒']);

/**
 * A therapy the note takes or plans leaves no room for an unnamed drug that would combine with it at
 * a known risk, a combination a note writes out when it means it (RULE-1208f): a fibrate and a statin
 * (myopathy), an anticoagulant and an antiplatelet (bleeding).
 */
const CHOSEN_EXCLUDES: readonly { chosen: string; excludes: ReadonlySet<string> }[] = [
  { chosen: 'fibrate', excludes: new Set(['statin']) },
  { chosen: 'vka_doac', excludes: new Set(['antiplatelet_cox', 'antiplatelet_p2y12']) },
];

/**
 * The candidate drugs this note leaves no room for as unnamed suggestions (see the file comment).
 * `statuses`: the note's named drugs (they are never in the set); `planned`: the usual drugs of the
 * classes it plans (neither); `supported`: the areas the note gives a reason for (supportedAreas).
 */
export function unsuggestedDrugs(
  record: CDrugRedRecord,
  formulary: Formulary,
  statuses: ReadonlyMap<string, MentionStatus>,
  planned: ReadonlySet<string>,
  supported: ReadonlySet<TherapeuticArea>,
): Set<string> {
  const namesRegimen = (scope: RegimenScope) => formulary.drugs.some((d) => regimenCovers(scope, d) && takenOrPlanned(statuses.get(d.name)));
  // A continued regimen ("降糖方案不变") closes its scope only where the note names that regimen.
  const stated = [
    ...statedRegimens(record),
    ...deferredRegimens(record),
    ...[...continuedRegimens(record)].filter(namesRegimen),
    ...(switchedGlucoseRegimen(record, formulary) ? (['glucose'] as const) : []),
  ];
  // Where a finding may stand: every text of the note, the discharge diagnoses included ("高甘油三酯血症").
  const text = noteTexts(record)
    .map((t) => t.text)
    .join('\n')
    .normalize('NFKC');
  const lacking = (bound: Readonly<Record<string, Finding>>) => new Set(Object.entries(bound).filter(([, has]) => !has(text, record)).map(([key]) => key));
  const lackingGroups = lacking(FINDING_BOUND_GROUPS);
  const lackingDrugs = lacking(FINDING_BOUND_DRUGS);
  const urateLoweringChosen = [...URATE_LOWERING].some((n) => planned.has(n) || takenOrPlanned(statuses.get(n)));
  const chosenGroups = new Set(formulary.drugs.filter((d) => planned.has(d.name) || takenOrPlanned(statuses.get(d.name))).map((d) => d.duplicationGroup));
  const excludedGroups = new Set(CHOSEN_EXCLUDES.filter((c) => chosenGroups.has(c.chosen)).flatMap((c) => [...c.excludes]));
  const out = new Set<string>();
  for (const d of formulary.drugs) {
    if (statuses.has(d.name) || planned.has(d.name)) continue;
    const unfounded =
      namedOnly(d) ||
      (urateLoweringChosen && URATE_LOWERING.has(d.name)) ||
      (d.duplicationGroup !== undefined && excludedGroups.has(d.duplicationGroup)) ||
      isUnsupportedArea(d.area, supported) ||
      lackingDrugs.has(d.name) ||
      (d.duplicationGroup !== undefined && lackingGroups.has(d.duplicationGroup));
    if (unfounded || stated.some((scope) => regimenCovers(scope, d))) out.add(d.name);
  }
  return out;
}
