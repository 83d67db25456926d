import cooccurrenceTable from '../../../models/baselines/cooccurrence.json' with { type: 'json' };
import { cooccurrenceFromTable } from '../../clinical/baselines/cooccurrence.ts';
import { Formulary } from '../../clinical/formulary.ts';
import type { CDrugRedRecord } from '../../clinical/record.ts';
import { applySafetyToRanked } from '../../clinical/withhold.ts';

/**
 * The bundled co-occurrence baseline's own prediction (drugs ≥ its tuned cut-off, at least the
 * top one) — the same predict() `npm run predict --method cooccurrence` uses with this table.
 * Names, plus the drugs the safety filter withheld (shown per row). With `safety` (the default) the
 * product's filter applies as in `predict --method cooccurrence`: withheld drugs dropped, one
 * drug per duplication group (src/clinical/withhold.ts).
 */
let recommender: ReturnType<typeof cooccurrenceFromTable> | null = null;

export function predictWithBaseline(record: CDrugRedRecord, safety = true): { drugs: string[]; withheld: { drug: string; reason: string }[] } {
  recommender ??= cooccurrenceFromTable(cooccurrenceTable);
  const { kept, withheld } = applySafetyToRanked(record, recommender.predict(record), Formulary.bundled(), { safety });
  return { drugs: kept, withheld: withheld.map((w) => ({ drug: w.drug, reason: w.reason })) };
}
