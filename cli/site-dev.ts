/**
 * A site's own labelled notes used next to the synthetic dev set by `fit-fusion` and `calibrate`
 * (--site-dev FILE[,FILE…] [--site-weight W]). One rule for both: every labelled record of the files is
 * used, and each counts W times, by default W = synthetic dev visits / site visits, so the two
 * sources weigh the same in total. Why: how completely notes name the discharge drugs is a habit
 * of whoever writes them, and the synthetic generator's habit alone should not set how much an
 * unnamed drug means or where the list is cut.
 */
import { requireLabels } from '../src/clinical/parse-record.ts';
import type { CDrugRedRecord } from '../src/clinical/record.ts';
import { CliError, readRecordsFile } from './cli-support.ts';

export interface SiteRecords {
  records: CDrugRedRecord[];
  weight: number;
}

export function parseSiteWeight(value: string | undefined, devVisits: number, siteVisits: number): number {
  if (value === undefined) return devVisits / siteVisits;
  const w = Number(value);
  if (!Number.isFinite(w) || w <= 0) throw new CliError(`--site-weight must be a positive number, got "${value}"`);
  return w;
}

/** The files of a --site-dev value: one path, or several joined by commas (a site's sets, read as one). */
export function sitePaths(value: string): string[] {
  const paths = value.split(',').map((p) => p.trim());
  if (paths.some((p) => p === '')) throw new CliError(`--site-dev has an empty path: "${value}"`);
  return paths;
}

export async function readSiteRecords(value: string, devVisits: number, weightFlag: string | undefined): Promise<SiteRecords> {
  const records: CDrugRedRecord[] = [];
  for (const path of sitePaths(value)) {
    const all = await readRecordsFile(path);
    requireLabels(all);
    if (all.length === 0) throw new CliError(`${path}: no records`);
    records.push(...all.map((x) => x.record));
  }
  return { records, weight: parseSiteWeight(weightFlag, devVisits, records.length) };
}
