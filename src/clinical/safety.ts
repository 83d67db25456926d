/**
 * Safety warnings for a drug list against the formulary's facts (docs/formulary.md) and the
 * facts read from the note (./note-facts.ts):
 *
 *  - duplication: two listed drugs share a `duplicationGroup`;
 *  - contraindication: an `egfr_below` / `potassium_at_least` / `pregnancy` / `condition` /
 *    `allergy` fact triggered by the note, plus an allergy (or a drug-tied adverse reaction) the
 *    note states to the drug itself (by name or alias);
 *  - interaction: a listed pair with an interaction recorded on EITHER drug (the formulary stores
 *    each pair on one side only; `with` may be `group:<duplicationGroup>`).
 *
 * Pure: same inputs, same warnings, in a stable order. Demonstration facts, not prescribing advice.
 */
import type { Formulary } from './formulary.ts';
import { duplicationGroupsOf, type Contraindication, type FormularyDrug, type Interaction } from './formulary-types.ts';
import { findCondition, type FactSource, type NoteFacts } from './note-facts.ts';
import { statementText, type NoteStatement } from './note-statement.ts';

export interface DuplicationWarning {
  kind: 'duplication';
  group: string;
  drugs: string[];
}

export interface ContraindicationWarning {
  kind: 'contraindication';
  drug: string;
  /** Which formulary fact fired; 'allergy-self' = the note states an allergy to this very drug. */
  reason: Contraindication['kind'] | 'allergy-self';
  /** The formulary's note (or a generated sentence for allergy-self). */
  note: string;
  /** For allergy-self: the note's statement, for wording it in English. */
  statement?: NoteStatement;
  /** Source id and its citation ('' for facts that come from the note alone). */
  source: string;
  citation: string;
  /** What in the note triggered it. */
  evidence: FactSource;
  /** For egfr_below: the note's value and the formulary's limit. */
  egfr?: { value: number; limit: number };
  /** For potassium_at_least: the note's serum potassium (mmol/L) and the formulary's limit. */
  potassium?: { value: number; limit: number };
  /** A 慎用 fact: warned about, not withheld (src/clinical/withhold.ts). */
  caution?: boolean;
  /** A condition that holds only while it lasts: not withheld once the note resumes the drug. */
  acute?: boolean;
}

export interface InteractionWarning {
  kind: 'interaction';
  /** [the drug the fact is recorded on, the other drug]. */
  drugs: [string, string];
  severity: Interaction['severity'];
  note: string;
  source: string;
  citation: string;
}

export type SafetyWarning = DuplicationWarning | ContraindicationWarning | InteractionWarning;

function citationOf(formulary: Formulary, id: string): string {
  return formulary.sources.find((s) => s.id === id)?.citation ?? '';
}

function interactionMatches(i: Interaction, other: FormularyDrug): boolean {
  if (i.with === other.name) return true;
  return duplicationGroupsOf(other).some((g) => i.with === `group:${g}`);
}

/**
 * A clause that dates an event at least three months back, or records it as history: "4年前",
 * "半年前", "3个月前", "既往…", "…出血史". A month or less ("1月前服用阿司匹林后出现黑便", "1周前")
 * may still be the event the admission is about.
 */
const PAST_EVENT = /(?:\d+|[一二两三四五六七八九十半数多]+)\s*年(?:余|多)?前|(?:[3-9]|[1-9]\d|[三四五六七八九十]|十[一二]|数)\s*个?月(?:余|多)?前|早年|既往|史(?:[，,。；;）)]|$)/;

/** A clause that denies or ends the drug before its name: "未予氢化可的松", "停用泼尼松". */
const NOT_TAKEN_BEFORE = /(?:否认|未|无|停|拒)[^。；;，,\n]*$/;

/** The note names one of these drugs taken (not denied or stopped in its clause), in its history or course. */
function treatedInNote(drugs: readonly string[], facts: NoteFacts, formulary: Formulary): boolean {
  return facts.texts.some(
    ({ field, text }) =>
      field !== '出院诊断' &&
      formulary.findMentions(text).some((m) => drugs.includes(m.name) && !NOT_TAKEN_BEFORE.test(text.slice(0, m.start).split(/[。；;，,\n]/).pop() ?? '')),
  );
}

/** Contraindications of one drug triggered by the note. */
export function contraindicationsFor(drug: string, facts: NoteFacts, formulary: Formulary): ContraindicationWarning[] {
  const d = formulary.get(drug);
  if (!d) return [];
  const out: ContraindicationWarning[] = [];
  const base = (c: Contraindication) => ({
    kind: 'contraindication' as const,
    drug: d.name,
    reason: c.kind,
    note: c.note,
    source: c.source,
    citation: citationOf(formulary, c.source),
    ...(c.caution ? { caution: true } : {}),
    ...(c.acute ? { acute: true } : {}),
  });
  // What each allergy names, as canonical drug names where the formulary knows them
  // ("亚莫利" → 格列美脲), so a keyword list of class members matches trade names too.
  const allergyNames = (a: NoteFacts['allergies'][number]): string[] => {
    const n = formulary.normalize(a.substance);
    return n !== null ? [n] : formulary.findMentions(a.substance).map((m) => m.name);
  };
  for (const c of d.contraindications ?? []) {
    switch (c.kind) {
      case 'egfr_below':
        if (facts.egfr && facts.egfr.value < c.value) {
          out.push({ ...base(c), evidence: facts.egfr.source, egfr: { value: facts.egfr.value, limit: c.value } });
        }
        break;
      case 'pregnancy':
        if (facts.pregnancy) out.push({ ...base(c), evidence: facts.pregnancy.source });
        break;
      case 'potassium_at_least':
        if (facts.potassium && facts.potassium.value >= c.value) {
          out.push({ ...base(c), evidence: facts.potassium.source, potassium: { value: facts.potassium.value, limit: c.value } });
        }
        break;
      case 'condition':
        for (const k of c.keywords) {
          const hit = findCondition(facts, k);
          if (hit) {
            // An acute condition the note places months or years back ("4年前有上消化道出血史") is
            // history, not the event the fact is about ("活动性病理性出血者禁用"): warned, not withheld.
            // So is an "untreated" condition the note treats ("…左甲状腺素钠片及氢化可的松替代").
            const past = c.acute && PAST_EVENT.test(hit.text);
            const treated = c.treatedBy !== undefined && treatedInNote(c.treatedBy, facts, formulary);
            out.push({ ...base(c), evidence: hit, ...(past || treated ? { caution: true } : {}) });
            break;
          }
        }
        break;
      case 'allergy': {
        const hit = facts.allergies.find(
          (a) =>
            c.keywords.some((k) => a.substance.includes(k) || (k.length >= 2 && k.includes(a.substance) && a.substance.length >= 2)) ||
            allergyNames(a).some((n) => c.keywords.includes(n)),
        );
        if (hit) out.push({ ...base(c), evidence: hit.source });
        break;
      }
    }
  }
  // An allergy stated to the drug itself ("阿司匹林过敏"), whether or not the formulary records one.
  if (!out.some((w) => w.reason === 'allergy')) {
    const self = facts.allergies.find((a) => allergyNames(a).includes(d.name));
    if (self) {
      const statement: NoteStatement = self.reaction ? { kind: 'allergy', substance: self.substance, reaction: self.reaction } : { kind: 'allergy', substance: self.substance };
      out.push({
        kind: 'contraindication',
        drug: d.name,
        reason: 'allergy-self',
        note: statementText(statement, 'zh'),
        statement,
        source: '',
        citation: '',
        evidence: self.source,
      });
    }
  }
  return out;
}

/** Every warning for a drug list (canonical names; unknown names are ignored). */
export function checkSafety(drugs: readonly string[], facts: NoteFacts, formulary: Formulary): SafetyWarning[] {
  const list = [...new Set(drugs)].map((n) => formulary.get(n)).filter((d): d is FormularyDrug => d !== undefined);
  const out: SafetyWarning[] = [];

  const groups = new Map<string, string[]>();
  for (const d of list) {
    for (const group of duplicationGroupsOf(d)) {
      const g = groups.get(group) ?? [];
      g.push(d.name);
      groups.set(group, g);
    }
  }
  for (const [group, names] of groups) if (names.length > 1) out.push({ kind: 'duplication', group, drugs: names });

  for (const d of list) out.push(...contraindicationsFor(d.name, facts, formulary));

  for (let i = 0; i < list.length; i++) {
    for (let j = i + 1; j < list.length; j++) {
      const a = list[i]!;
      const b = list[j]!;
      const seen = new Set<string>();
      for (const [on, other] of [
        [a, b],
        [b, a],
      ] as const) {
        for (const x of on.interactions ?? []) {
          if (!interactionMatches(x, other) || seen.has(x.note)) continue;
          seen.add(x.note);
          out.push({
            kind: 'interaction',
            drugs: [on.name, other.name],
            severity: x.severity,
            note: x.note,
            source: x.source,
            citation: citationOf(formulary, x.source),
          });
        }
      }
    }
  }
  return out;
}

/** Warnings that involve a given drug. */
export function warningsFor(drug: string, warnings: readonly SafetyWarning[]): SafetyWarning[] {
  return warnings.filter((w) => (w.kind === 'contraindication' ? w.drug === drug : w.drugs.includes(drug)));
}
