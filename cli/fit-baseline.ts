/**
 * npm run fit-baseline -- --train TRAIN.jsonl [--dev DEV.jsonl] --out models/baselines/cooccurrence.json [--candidates LIST.json]
 *
 * Fits the diagnosis→drug co-occurrence baseline and writes it as a plain JSON table, which
 * the browser app loads instead of training records (nothing patient-level is shipped: the
 * table holds only per-diagnosis drug frequencies).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fitCooccurrenceTable } from '../src/clinical/baselines/cooccurrence.ts';
import { isMain, loadCandidates, optionalFlag, parseFlags, readRecordsFile, requireFlag, runCli } from './cli-support.ts';

export const FIT_BASELINE_USAGE =
  'npm run fit-baseline -- --train TRAIN.jsonl [--dev DEV.jsonl] --out FILE.json [--candidates LIST.json]';

export async function main(argv: string[]): Promise<number> {
  const flags = parseFlags(argv, {
    train: { type: 'string' },
    dev: { type: 'string' },
    out: { type: 'string' },
    candidates: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (flags['help']) {
    process.stdout.write(FIT_BASELINE_USAGE + '\n');
    return 0;
  }
  const trainPath = requireFlag(flags, 'train');
  const outPath = requireFlag(flags, 'out');
  const devPath = optionalFlag(flags, 'dev');
  const formulary = await loadCandidates(optionalFlag(flags, 'candidates'));
  const train = (await readRecordsFile(trainPath)).map((x) => x.record);
  const dev = devPath ? (await readRecordsFile(devPath)).map((x) => x.record) : undefined;
  const table = fitCooccurrenceTable(train, formulary, dev ? { dev } : {});
  await mkdir(dirname(outPath), { recursive: true });
  await writeFile(outPath, JSON.stringify(table) + '\n', 'utf8');
  process.stderr.write(
    `fit-baseline: ${table.trainedOn.visits} visits, ${Object.keys(table.conditional).length} diagnosis keys, cutoff ${table.cutoff} → ${outPath}\n`,
  );
  return 0;
}

if (isMain(import.meta.url)) runCli(main, FIT_BASELINE_USAGE);
