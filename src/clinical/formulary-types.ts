/**
 * Schema of the candidate drug list ("formulary"). The bundled file is
 * src/clinical/data/formulary.json; a site may instead supply a plain JSON array of names
 * (e.g. the official 651-drug CHIP list), which the loader turns into entries with no
 * aliases and no safety facts.
 */

export type TherapeuticArea =
  | 'diabetes'
  | 'hypertension'
  | 'lipids'
  | 'antithrombotic'
  | 'cardiac'
  | 'gout'
  | 'thyroid'
  | 'osteoporosis'
  | 'renal'
  | 'neuropathy'
  | 'liver'
  | 'gastrointestinal'
  | 'anti-infective'
  | 'respiratory'
  | 'neuro-psych'
  | 'urology'
  | 'other';

/**
 * A contraindication the app can check against facts extracted from a note. `caution: true`
 * marks a 慎用 fact: it is warned about but does not withhold the drug (src/clinical/withhold.ts).
 * `acute: true` marks a condition that holds only while it lasts (ketoacidosis, active
 * bleeding, shock): a drug the note itself restarts or prescribes at discharge after it is
 * warned about, not withheld, because the note records that the clinician resumed it.
 */
export type Contraindication = (
  | { kind: 'egfr_below'; value: number; note: string; source: string }
  | { kind: 'pregnancy'; note: string; source: string }
  /** Triggered when the note's serum potassium (mmol/L) is at least `value` (e.g. 5.5). */
  | { kind: 'potassium_at_least'; value: number; note: string; source: string }
  /** Triggered when the note mentions one of these condition keywords (e.g. 酮症酸中毒, 心力衰竭). */
  | {
      kind: 'condition';
      keywords: string[];
      note: string;
      source: string;
      /**
       * Drugs that treat the condition ("未经治疗的肾上腺功能不全": 氢化可的松…): when the note names one
       * taken, the condition is treated, so the fact is warned about, not withheld.
       */
      treatedBy?: string[];
    }
  /** Triggered by an allergy to any of these drug names or classes. */
  | { kind: 'allergy'; keywords: string[]; note: string; source: string }
) & { caution?: boolean; acute?: boolean };

export interface Interaction {
  /** Canonical name of the other drug, or `group:<duplicationGroup>` for a whole group. */
  with: string;
  severity: 'major' | 'moderate';
  note: string;
  source: string;
}

export interface FormularyDrug {
  /** Canonical Chinese generic name: what predictions contain, e.g. 二甲双胍. */
  name: string;
  /** Salt forms, dosage-form suffixes, trade names, common abbreviations; never another drug's name. */
  aliases: string[];
  /**
   * Optional subset of `aliases` that are also ordinary words or names (e.g. 可定, 安定):
   * Formulary.normalize() still maps them, and Formulary.findMentions() matches them in free
   * text only where a dose follows ("可定 10mg qn", "可定加至20mg"; not "可定期复查").
   */
  ambiguousAliases?: string[];
  /** WHO ATC code where one exists (e.g. A10BA02), else ''. */
  atc: string;
  /** Chinese pharmacological class label shown in the UI, e.g. 双胍类. */
  class: string;
  area: TherapeuticArea;
  /** Drugs sharing a group are a therapeutic duplication when prescribed together (e.g. 'statin'). */
  duplicationGroup?: string;
  /**
   * A fixed-dose combination's component groups beyond its own (西格列汀二甲双胍: dpp4i, and
   * 'biguanide' here): it duplicates any drug of these groups too, since metformin next to a
   * metformin combination is double metformin. See duplicationGroupsOf.
   */
  componentGroups?: string[];
  contraindications?: Contraindication[];
  interactions?: Interaction[];
}

export interface FormularySource {
  id: string;
  citation: string;
}

export interface FormularyFile {
  version: string;
  description: string;
  sources: FormularySource[];
  drugs: FormularyDrug[];
}

/** Every duplication group a drug belongs to: its own, then its components' (combinations). */
export function duplicationGroupsOf(drug: Pick<FormularyDrug, 'duplicationGroup' | 'componentGroups'> | undefined): string[] {
  if (!drug) return [];
  return [...(drug.duplicationGroup !== undefined ? [drug.duplicationGroup] : []), ...(drug.componentGroups ?? [])];
}

/**
 * Families of duplication groups that no discharge list combines, though their drugs are not
 * duplicates: ACEI with ARB or ARNI is dual RAS blockade (not recommended, 2018 Chinese
 * hypertension guideline; ARNI with ACEI is contraindicated by label); a DPP-4 inhibitor with a
 * GLP-1 receptor agonist acts twice on the GLP-1 pathway for no added effect (not recommended,
 * 2020 Chinese T2DM guideline); a premixed insulin already holds the basal part, so a basal insulin
 * beside it duplicates the basal insulin (the guideline's regimens are basal, premixed or
 * basal-bolus; premixed with a prandial insulin before lunch stays allowed). The formulary also
 * records these pairs as major interactions,
 * which the warnings panel shows; the family keeps them off the list itself.
 */
export const EXCLUSIVE_FAMILIES: Readonly<Record<string, readonly string[]>> = {
  'family:ras-blockade': ['acei', 'arb'],
  'family:incretin': ['dpp4i', 'glp1ra'],
  'family:premix-basal': ['premixed_insulin', 'basal_insulin'],
};

/**
 * The groups of which one discharge list holds at most one drug (the decoder mask, the fusion's
 * pass and the baselines' ranked pass): the drug's duplication groups, then every exclusive family
 * one of them belongs to.
 */
export function listGroupsOf(drug: Pick<FormularyDrug, 'duplicationGroup' | 'componentGroups'> | undefined): string[] {
  const groups = duplicationGroupsOf(drug);
  const families = Object.entries(EXCLUSIVE_FAMILIES)
    .filter(([, members]) => groups.some((g) => members.includes(g)))
    .map(([family]) => family);
  return [...groups, ...families];
}
