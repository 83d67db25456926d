/**
 * The batch screen's time estimate, from what was measured in this run: no fixed guess per record.
 * Pure, so it is unit-tested (eta.test.ts); the screen feeds it the store's progress updates.
 */
/** How many records the estimate needs before it says anything (the first ones include warm-up). */
export const ETA_MIN_RECORDS = 3;

export interface Sample {
  done: number;
  at: number;
}

/**
 * Seconds left, from the measured time per record over the later half of the records done so far:
 * the first records of a model run are slower (JIT, caches), so the mean from the start
 * over-estimates a long run. Null until ETA_MIN_RECORDS records are done.
 */
export function measuredEta(samples: readonly Sample[], total: number): { seconds: number; perRecordMs: number; basis: number } | null {
  const last = samples[samples.length - 1];
  if (!last || last.done < ETA_MIN_RECORDS) return null;
  const half = last.done / 2;
  // The latest sample at or before the halfway record (the first sample is the start: done 0).
  let from = samples[0] as Sample;
  for (const s of samples) if (s.done <= half) from = s;
  const basis = last.done - from.done;
  if (basis <= 0 || last.at <= from.at) return null;
  const perRecordMs = (last.at - from.at) / basis;
  return { seconds: (perRecordMs * (total - last.done)) / 1000, perRecordMs, basis };
}

