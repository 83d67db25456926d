import cooccurrenceTable from '../../../models/baselines/cooccurrence.json' with { type: 'json' };
import { cooccurrenceFromTable } from '../../clinical/baselines/cooccurrence.ts';
import { Formulary } from '../../clinical/formulary.ts';
import type { CDrugRedRecord } from '../../clinical/record.ts';
import type { RecommendedDrug } from '../../state/note-store.ts';

// Built lazily and once: the table and formulary are static data bundled with the app.
let recommender: ReturnType<typeof cooccurrenceFromTable> | null = null;
let formulary: Formulary | null = null;

/** Diagnosis→drug co-occurrence baseline, fitted offline on the synthetic training split. */
export function recommendWithBaseline(record: CDrugRedRecord): RecommendedDrug[] {
  formulary ??= Formulary.bundled();
  recommender ??= cooccurrenceFromTable(cooccurrenceTable);
  const scores = new Map(recommender.scores(record).map((s) => [s.name, s.score] as const));
  return recommender.predict(record).map((name) => ({
    name,
    drugClass: formulary?.get(name)?.class ?? '',
    score: scores.get(name) ?? 0,
  }));
}
