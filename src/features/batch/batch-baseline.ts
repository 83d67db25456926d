import cooccurrenceTable from '../../../models/baselines/cooccurrence.json' with { type: 'json' };
import { cooccurrenceFromTable } from '../../clinical/baselines/cooccurrence.ts';
import type { CDrugRedRecord } from '../../clinical/record.ts';

/**
 * The bundled co-occurrence baseline's own prediction (drugs ≥ its tuned cut-off, at least the
 * top one) — the same predict() `npm run predict --method cooccurrence` uses with this table.
 * Names only: the batch keeps nothing else per record.
 */
let recommender: ReturnType<typeof cooccurrenceFromTable> | null = null;

export function predictWithBaseline(record: CDrugRedRecord): string[] {
  recommender ??= cooccurrenceFromTable(cooccurrenceTable);
  return recommender.predict(record);
}
