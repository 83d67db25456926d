/**
 * Common interface of the baseline recommenders, and the slice of the Formulary they use.
 *
 * `DrugLexicon` is structural so that the real Formulary (src/clinical/formulary.ts)
 * satisfies it without this module importing it.
 */
import type { CDrugRedRecord } from '../record.ts';

export interface Recommender {
  readonly name: string;
  /** Canonical candidate drug names (Formulary names), no duplicates, best first. */
  predict(record: CDrugRedRecord): string[];
}

export interface LexiconMention {
  name: string;
  start: number;
  end: number;
}

/** What the baselines need from a Formulary. */
export interface DrugLexicon {
  readonly names: readonly string[];
  has(name: string): boolean;
  normalize(mention: string): string | null;
  findMentions(text: string): readonly LexiconMention[];
}

/** Normalise a label list to canonical candidate names (unknown names dropped, deduped). */
export function canonicalLabels(names: readonly string[] | undefined, lexicon: DrugLexicon): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const raw of names ?? []) {
    const n = lexicon.normalize(raw.trim());
    if (n !== null && lexicon.has(n) && !seen.has(n)) {
      seen.add(n);
      out.push(n);
    }
  }
  return out;
}

/** Deterministic string order (code points), for tie-breaking. */
export function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
