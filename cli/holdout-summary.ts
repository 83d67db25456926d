/**
 * The style hold-out figure for `npm run model-report`. It needs models trained without a family
 * (docs/model-evaluation.md, "Style hold-out protocol"), which are evaluation runs, not shipped
 * files, so the default report cannot recompute it: it prints what those runs recorded, from the
 * committed `model-report --out` files, and says so.
 */
import { readFile } from 'node:fs/promises';
import { CliError } from './cli-support.ts';

/** What the default report reads: the hold-out models' reports and the shipped model's in-style one. */
export const HOLDOUT_RECORDS = {
  family: 'long-course',
  heldOut: ['docs/model-metrics-holdout-long-course.json', 'docs/model-metrics-holdout-long-course-s14.json'],
  inStyle: 'docs/model-metrics-holdout-long-course-instyle.json',
} as const;

/** The slice of a `model-report --out` file this summary reads. */
interface ReportFile {
  model: string;
  sets: { name: string; visits: number; rows: { method: string; jaccard: number; predTrueRatio: number }[]; families: { family: string; n: number; jaccard: Record<string, number> }[] | null }[];
}

export interface HoldoutRun {
  file: string;
  model: string;
  /** The held-out family's visits ("heldout" set), model Jaccard and pred/true. */
  heldOut: { visits: number; jaccard: number; ratio: number };
  /** The same model on its own test split: all visits, and the held-out family's visits in it. */
  ownTest: { visits: number; jaccard: number; family: number | null };
}

export interface HoldoutSummary {
  family: string;
  runs: HoldoutRun[];
  /** The shipped model (fusion fitted the same way) on the family's visits of the test split. */
  inStyle: { file: string; visits: number; jaccard: number };
}

function modelJaccard(set: ReportFile['sets'][number], file: string): { jaccard: number; ratio: number } {
  const row = set.rows.find((r) => r.method === 'model');
  if (!row) throw new CliError(`${file}: set "${set.name}" has no model row`);
  return { jaccard: row.jaccard, ratio: row.predTrueRatio };
}

function setOf(report: ReportFile, name: string, file: string): ReportFile['sets'][number] {
  const set = report.sets.find((s) => s.name === name);
  if (!set) throw new CliError(`${file}: no "${name}" set`);
  return set;
}

function familyOf(set: ReportFile['sets'][number], family: string): { n: number; jaccard: number } | null {
  const f = set.families?.find((x) => x.family === family);
  return f && f.jaccard['model'] !== undefined ? { n: f.n, jaccard: f.jaccard['model'] } : null;
}

async function readReport(file: string): Promise<ReportFile> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as ReportFile;
  } catch (e) {
    throw new CliError(`${file}: cannot read the recorded hold-out report (${e instanceof Error ? e.message : String(e)})`);
  }
}

/** The recorded hold-out runs and the in-style figure they are compared with. */
export async function readHoldoutSummary(records: { family: string; heldOut: readonly string[]; inStyle: string } = HOLDOUT_RECORDS): Promise<HoldoutSummary> {
  const runs: HoldoutRun[] = [];
  for (const file of records.heldOut) {
    const report = await readReport(file);
    const held = setOf(report, 'heldout', file);
    const test = setOf(report, 'synthetic-test', file);
    const h = modelJaccard(held, file);
    runs.push({
      file,
      model: report.model,
      heldOut: { visits: held.visits, jaccard: h.jaccard, ratio: h.ratio },
      ownTest: { visits: test.visits, jaccard: modelJaccard(test, file).jaccard, family: familyOf(test, records.family)?.jaccard ?? null },
    });
  }
  const inStyleReport = await readReport(records.inStyle);
  const fam = familyOf(setOf(inStyleReport, 'synthetic-test', records.inStyle), records.family);
  if (!fam) throw new CliError(`${records.inStyle}: no "${records.family}" family score`);
  return { family: records.family, runs, inStyle: { file: records.inStyle, visits: fam.n, jaccard: fam.jaccard } };
}

const f4 = (x: number): string => x.toFixed(4);

/** The report's paragraph: each run's held-out score, the in-style score, and the gap. */
export function holdoutSummaryText(s: HoldoutSummary): string {
  const lines = [`### Style hold-out (recorded, not recomputed: models trained without the "${s.family}" family are evaluation runs, not shipped files; protocol in docs/model-evaluation.md)`, ''];
  lines.push(`| run | held-out ${s.family} J (visits, pred/true) | in-style J: shipped model, ${s.family} visits of the test split (${s.inStyle.visits}) | gap | hold-out model on those visits | its own test split J |`);
  lines.push('|---|---|---|---|---|---|');
  for (const r of s.runs) {
    const gap = s.inStyle.jaccard - r.heldOut.jaccard;
    lines.push(
      `| ${r.file} | ${f4(r.heldOut.jaccard)} (${r.heldOut.visits}, ${r.heldOut.ratio.toFixed(2)}) | ${f4(s.inStyle.jaccard)} | ${f4(gap)} | ${r.ownTest.family === null ? '—' : f4(r.ownTest.family)} | ${f4(r.ownTest.jaccard)} (${r.ownTest.visits}) |`,
    );
  }
  const worst = Math.max(...s.runs.map((r) => s.inStyle.jaccard - r.heldOut.jaccard));
  lines.push('', `Largest gap ${f4(worst)} (target ≤ 0.05: ${worst <= 0.05 ? 'met' : 'not met'}). In-style figure: ${s.inStyle.file}.`, '');
  return lines.join('\n');
}
