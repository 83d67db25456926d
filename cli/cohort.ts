/**
 * npm run cohort -- --seed S --patients N --out DIR [--stats] [--hold-out-family ID]
 * Writes DIR/train.jsonl, dev.jsonl, test.jsonl (patient-disjoint 6:1:3 split) and
 * families.json ({就诊标识: style family} for every written record). With --hold-out-family,
 * visits of that family are removed from train/dev and the test ones also go to holdout.jsonl.
 */
import { writeFileSync } from 'node:fs';
import { assertWritableOutput } from './cli-support.ts';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DEFAULT_PATIENTS, DEFAULT_SEED, generateCohort } from '../cohort/generate.ts';
import { SPLITS, splitByPatient, toJsonl, type SplitName } from '../cohort/split.ts';
import type { GeneratedVisit } from '../cohort/generate.ts';
import { computeStats, formatStats } from '../cohort/stats.ts';
import { FAMILIES, isFamily, type StyleFamily } from '../cohort/families.ts';

const USAGE = `usage: npm run cohort -- --out DIR [--seed S] [--patients N] [--stats] [--no-complete-record] [--hold-out-family ${FAMILIES.join('|')}]`;

export interface CohortArgs {
  seed: number;
  patients: number;
  out: string;
  stats: boolean;
  holdOut: StyleFamily | null;
  /** Draw the complete-record family (default; --no-complete-record: the seven-family cohort of earlier models). */
  completeRecord: boolean;
}

export function parseArgs(argv: string[]): CohortArgs {
  let seed = DEFAULT_SEED;
  let patients = DEFAULT_PATIENTS;
  let out: string | undefined;
  let stats = false;
  let holdOut: StyleFamily | null = null;
  let completeRecord = true;
  const int = (flag: string, v: string | undefined, min: number, max: number): number => {
    if (v === undefined || !/^\d+$/.test(v)) throw new Error(`${flag} needs a non-negative integer, got ${v === undefined ? 'nothing' : JSON.stringify(v)}`);
    const n = Number(v);
    if (n < min || n > max) throw new Error(`${flag} must be between ${min} and ${max}, got ${n}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const [flag, inline] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const val = () => (inline !== undefined ? inline : argv[++i]);
    switch (flag) {
      case '--seed':
        seed = int('--seed', val(), 0, 2 ** 32 - 1);
        break;
      case '--patients':
        patients = int('--patients', val(), 1, 1_000_000);
        break;
      case '--out': {
        const v = val();
        if (!v || v.startsWith('--')) throw new Error('--out needs a directory');
        out = v;
        break;
      }
      case '--hold-out-family': {
        const v = val();
        if (!v || !isFamily(v)) throw new Error(`--hold-out-family needs one of ${FAMILIES.join(', ')}, got ${v === undefined ? 'nothing' : JSON.stringify(v)}`);
        holdOut = v;
        break;
      }
      case '--stats':
        stats = true;
        break;
      case '--complete-record': // the default now; still accepted so earlier commands keep working
        completeRecord = true;
        break;
      case '--no-complete-record':
        completeRecord = false;
        break;
      case '-h':
      case '--help':
        throw new Error(USAGE);
      default:
        throw new Error(`unknown argument ${JSON.stringify(a)}; ${USAGE}`);
    }
  }
  if (!out) throw new Error(`--out DIR is required; ${USAGE}`);
  if (holdOut === 'complete-record' && !completeRecord) throw new Error('--hold-out-family complete-record cannot be combined with --no-complete-record');
  return { seed, patients, out, stats, holdOut, completeRecord };
}

async function main(): Promise<void> {
  let args: CohortArgs;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`cohort: ${(e as Error).message}\n`);
    process.exit(2);
  }
  try {
    // Before generating: the folder exists or can be made (one level at a time: Node's
    // recursive mkdir hangs on paths like /proc/…) and is writable.
    await assertWritableOutput(join(args.out, 'train.jsonl'), []);
  } catch (e) {
    process.stderr.write(`cohort: ${(e as Error).message}\n`);
    process.exit(1);
  }
  const t0 = performance.now();
  const visits = generateCohort({ seed: args.seed, patients: args.patients, completeRecord: args.completeRecord });
  const splits = splitByPatient(visits, args.seed);
  const secs = (performance.now() - t0) / 1000;
  let counts = '';
  try {
    const ho = args.holdOut;
    const written: Record<SplitName, GeneratedVisit[]> = {
      train: ho ? splits.train.filter((v) => v.latent.styleFamily !== ho) : splits.train,
      dev: ho ? splits.dev.filter((v) => v.latent.styleFamily !== ho) : splits.dev,
      test: splits.test,
    };
    for (const k of SPLITS) writeFileSync(join(args.out, `${k}.jsonl`), toJsonl(written[k].map((v) => v.record)), 'utf8');
    if (ho) writeFileSync(join(args.out, 'holdout.jsonl'), toJsonl(splits.test.filter((v) => v.latent.styleFamily === ho).map((v) => v.record)), 'utf8');
    const fam: Record<string, string> = {};
    for (const k of SPLITS) for (const v of written[k]) fam[v.record.就诊标识] = v.latent.styleFamily;
    writeFileSync(join(args.out, 'families.json'), JSON.stringify(fam) + '\n', 'utf8');
    counts = SPLITS.map((k) => `${k} ${written[k].length}`).join(', ') + (ho ? `, holdout ${splits.test.filter((v) => v.latent.styleFamily === ho).length} (${ho})` : '');
  } catch (e) {
    process.stderr.write(`cohort: cannot write to ${args.out}: ${(e as Error).message}\n`);
    process.exit(1);
  }
  if (args.stats) process.stdout.write(formatStats(computeStats(visits, splits), secs) + '\n');
  else process.stdout.write(`cohort: generated ${visits.length} visits in ${secs.toFixed(1)} s; wrote ${counts} to ${args.out}\n`);
}

void main();
