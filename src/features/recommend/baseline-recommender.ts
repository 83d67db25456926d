import cooccurrenceTable from '../../../models/baselines/cooccurrence.json' with { type: 'json' };
import { cooccurrenceFromTable } from '../../clinical/baselines/cooccurrence.ts';
import { Formulary } from '../../clinical/formulary.ts';
import type { CDrugRedRecord } from '../../clinical/record.ts';
import { applySafetyToRanked, type WithheldDrug } from '../../clinical/withhold.ts';
import type { RecommendedDrug } from '../../state/note-store.ts';

// Built lazily and once: the table and formulary are static data bundled with the app.
let recommender: ReturnType<typeof cooccurrenceFromTable> | null = null;
let formulary: Formulary | null = null;

/** Longest ranked list kept for the "more drugs" end of the slider. */
const MAX_RANKED = 30;

/**
 * Diagnosis→drug co-occurrence baseline, fitted offline on the synthetic training split: every
 * scored drug, best first, and the tuned cut-off (the page applies the cut, so the slider can
 * move it: drugs scoring ≥ cut-off, at least the top one — the recommender's own predict()).
 */
export function rankWithBaseline(record: CDrugRedRecord, safety = true): { ranked: RecommendedDrug[]; cutoff: number; withheld: WithheldDrug[] } {
  formulary ??= Formulary.bundled();
  recommender ??= cooccurrenceFromTable(cooccurrenceTable);
  const f = formulary;
  const scored = recommender.scores(record).filter((s) => s.score > 0);
  // The product's safety filter (withheld drugs out, one per duplication group), before the cut.
  const { kept, withheld } = applySafetyToRanked(record, scored, f, { safety });
  const ranked = kept.slice(0, MAX_RANKED).map((s) => ({ name: s.name, drugClass: f.get(s.name)?.class ?? '', score: s.score }));
  return { ranked, cutoff: recommender.cutoff, withheld };
}

/** The baseline's own prediction at its tuned cut-off. */
export function recommendWithBaseline(record: CDrugRedRecord): RecommendedDrug[] {
  const { ranked, cutoff } = rankWithBaseline(record);
  const kept = ranked.filter((d) => d.score >= cutoff);
  return kept.length > 0 ? kept : ranked.slice(0, 1);
}
