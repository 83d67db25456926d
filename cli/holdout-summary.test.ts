import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HOLDOUT_RECORDS, holdoutSummaryText, readHoldoutSummary } from './holdout-summary.ts';

const report = (sets: unknown[]) => JSON.stringify({ model: 'runs/x', sets });
const set = (name: string, visits: number, jaccard: number, families: unknown[] | null = null) => ({
  name,
  visits,
  rows: [
    { method: 'mention', jaccard: 0.3, predTrueRatio: 0.5 },
    { method: 'model', jaccard, predTrueRatio: 0.95 },
  ],
  families,
});

describe('style hold-out summary (recorded runs)', () => {
  it('reads the committed records and reports each gap against the in-style figure', async () => {
    const s = await readHoldoutSummary();
    expect(s.family).toBe('long-course');
    expect(s.runs).toHaveLength(HOLDOUT_RECORDS.heldOut.length);
    for (const r of s.runs) expect(r.heldOut.visits).toBe(300);
    expect(s.inStyle.visits).toBeGreaterThan(0);
    const text = holdoutSummaryText(s);
    expect(text).toContain('recorded, not recomputed');
    expect(text).toContain((s.inStyle.jaccard - s.runs[0]!.heldOut.jaccard).toFixed(4));
  });

  it('computes the gap from the files it is given, and says when the target is not met', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'holdout-'));
    const held = join(dir, 'h.json');
    const inStyle = join(dir, 'i.json');
    await writeFile(held, report([set('heldout', 300, 0.4), set('synthetic-test', 500, 0.58, [{ family: 'terse', n: 40, jaccard: { model: 0.52 } }])]));
    await writeFile(inStyle, report([set('synthetic-test', 500, 0.6, [{ family: 'terse', n: 49, jaccard: { model: 0.5 } }])]));
    const s = await readHoldoutSummary({ family: 'terse', heldOut: [held], inStyle });
    expect(s.runs[0]).toMatchObject({ heldOut: { visits: 300, jaccard: 0.4 }, ownTest: { visits: 500, jaccard: 0.58, family: 0.52 } });
    expect(s.inStyle).toMatchObject({ visits: 49, jaccard: 0.5 });
    const text = holdoutSummaryText(s);
    expect(text).toContain('| 0.1000 |');
    expect(text).toContain('not met');
  });

  it('a missing set or family is a clear error naming the file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'holdout-'));
    const held = join(dir, 'h.json');
    await writeFile(held, report([set('synthetic-test', 500, 0.58)]));
    await expect(readHoldoutSummary({ family: 'terse', heldOut: [held], inStyle: held })).rejects.toThrow(`${held}: no "heldout" set`);
    await expect(readHoldoutSummary({ family: 'terse', heldOut: [], inStyle: held })).rejects.toThrow('no "terse" family score');
  });
});
