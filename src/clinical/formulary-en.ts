/**
 * English wording of the Chinese texts the bundled formulary and the usual-dose table show next to
 * a drug (class labels, contraindication / interaction notes, citations, dose notes), from
 * data/formulary-en.json. Keyed by the exact Chinese text rather than by adding fields to
 * formulary.json: that file is generated from scripts/formulary/ and shared with the Python side,
 * and a site's own formulary carries no English anyway. formulary-en.test.ts holds the table to
 * covering every text the two bundled files use. Drug names are not translated.
 */
import table from './data/formulary-en.json' with { type: 'json' };

export interface FormularyEnglish {
  description: string;
  /** formulary.json `class` → English. */
  classes: Record<string, string>;
  /** Contraindication and interaction `note` → English. */
  notes: Record<string, string>;
  /** Chinese source citations (formulary.json and usual-doses.json) → English. */
  citations: Record<string, string>;
  /** usual-doses.json `dose` values with Chinese words → English. */
  doses: Record<string, string>;
  /** usual-doses.json `note` → English. */
  doseNotes: Record<string, string>;
}

export const FORMULARY_EN = table as FormularyEnglish;

export type FormularyTextKind = 'classes' | 'notes' | 'citations' | 'doses' | 'doseNotes';

/** The English of one formulary text, or null when the table has none (e.g. a site's own list). */
export function formularyEnglish(kind: FormularyTextKind, zh: string): string | null {
  return Object.hasOwn(FORMULARY_EN[kind], zh) ? (FORMULARY_EN[kind][zh] ?? null) : null;
}
