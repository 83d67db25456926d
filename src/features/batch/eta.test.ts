import { describe, expect, it } from 'vitest';
import { ETA_MIN_RECORDS, measuredEta, type Sample } from './eta.ts';

/** Progress samples of a run whose i-th record took `msPerRecord(i)`, one sample per record. */
function run(records: number, msPerRecord: (i: number) => number): Sample[] {
  const out: Sample[] = [{ done: 0, at: 1000 }];
  let at = 1000;
  for (let i = 0; i < records; i++) {
    at += msPerRecord(i);
    out.push({ done: i + 1, at });
  }
  return out;
}

describe('measured batch time estimate', () => {
  it('says nothing before a few records are measured', () => {
    expect(measuredEta([], 100)).toBeNull();
    expect(measuredEta(run(ETA_MIN_RECORDS - 1, () => 50), 100)).toBeNull();
    expect(measuredEta(run(ETA_MIN_RECORDS, () => 50), 100)).not.toBeNull();
  });

  it('at a steady pace: the per-record time times the records left', () => {
    const eta = measuredEta(run(20, () => 250), 100);
    expect(eta?.perRecordMs).toBeCloseTo(250);
    expect(eta?.seconds).toBeCloseTo((80 * 250) / 1000);
  });

  it('slow first records (warm-up) do not inflate the estimate: the later half is measured', () => {
    // 10 records at 1 s, then 90 at 0.1 s: the mean from the start (0.19 s) would double the estimate.
    const eta = measuredEta(run(100, (i) => (i < 10 ? 1000 : 100)), 200);
    expect(eta?.perRecordMs).toBeCloseTo(100);
    expect(eta?.basis).toBe(50);
    expect(eta?.seconds).toBeCloseTo(10);
  });

  it('sparse samples (the store flushes several rows at once) still give the measured pace', () => {
    const samples: Sample[] = [
      { done: 0, at: 0 },
      { done: 7, at: 1400 },
      { done: 15, at: 3000 },
      { done: 30, at: 6000 },
    ];
    const eta = measuredEta(samples, 60);
    // From the sample at done 15 (≤ half of 30) to the last: 15 records in 3 s.
    expect(eta?.basis).toBe(15);
    expect(eta?.perRecordMs).toBeCloseTo(200);
    expect(eta?.seconds).toBeCloseTo(6);
  });

  it('zero left when every record is done', () => {
    expect(measuredEta(run(10, () => 30), 10)?.seconds).toBe(0);
  });
});
