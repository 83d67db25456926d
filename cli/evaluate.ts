/**
 * npm run evaluate -- --gold GOLD.jsonl --pred PRED.json [--candidates LIST.json] [--per-drug]
 *
 * Prints ONE JSON line to stdout:
 *   {"n","jaccard","precision","recall","f1","score","mean_pred","mean_gold","extra_ids","missing_ids",
 *    "exact": {...}, "normalised": {...}}
 * (4 decimals). Gold: CDrugRed records (JSON/JSONL) with 出院带药列表. Pred: CHIP submission.
 * Two score kinds, side by side (src/clinical/metrics.ts):
 *   "exact"      — names compared as exact strings after trimming, as the official CHIP scorer
 *                  does; the top-level metric keys repeat these (backward compatible);
 *   "normalised" — names compared after the candidate list's normalisation (氨氯地平片 = 氨氯地平).
 * See src/clinical/metrics.ts for the averaging and empty-set conventions. With --per-drug a
 * "per_drug" array (normalised names) is added.
 */
import { requireLabels } from '../src/clinical/parse-record.ts';
import { parseSubmission, submissionToMap } from '../src/clinical/submission.ts';
import { evaluateExactAndNormalised, type EvaluationResult } from '../src/clinical/metrics.ts';
import { loadCandidates, optionalFlag, parseFlags, readRecordsFile, readTextFile, requireFlag, round, runCli, isMain } from './cli-support.ts';

export const EVALUATE_USAGE = 'npm run evaluate -- --gold GOLD.jsonl --pred PRED.json [--candidates LIST.json] [--per-drug]';

export async function main(argv: string[]): Promise<number> {
  const flags = parseFlags(argv, {
    gold: { type: 'string' },
    pred: { type: 'string' },
    candidates: { type: 'string' },
    'per-drug': { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (flags['help']) {
    process.stdout.write(EVALUATE_USAGE + '\n');
    return 0;
  }
  const goldPath = requireFlag(flags, 'gold');
  const predPath = requireFlag(flags, 'pred');
  const formulary = await loadCandidates(optionalFlag(flags, 'candidates'));
  const gold = await readRecordsFile(goldPath);
  requireLabels(gold);
  const pred = parseSubmission(await readTextFile(predPath), predPath);

  const { exact: m, normalised } = evaluateExactAndNormalised(
    new Map(gold.map(({ record }) => [record.就诊标识, record.出院带药列表 ?? []] as const)),
    submissionToMap(pred),
    { normalize: (n) => formulary.normalize(n), perDrug: flags['per-drug'] === true },
  );
  const scores = (r: EvaluationResult) => ({
    jaccard: round(r.jaccard),
    precision: round(r.precision),
    recall: round(r.recall),
    f1: round(r.f1),
    score: round(r.score),
    mean_pred: round(r.mean_pred),
    mean_gold: round(r.mean_gold),
  });
  const out: Record<string, unknown> = {
    n: m.n,
    ...scores(m),
    extra_ids: m.extra_ids,
    missing_ids: m.missing_ids,
    exact: scores(m),
    normalised: { ...scores(normalised), unknown_gold: normalised.unknown_gold, unknown_pred: normalised.unknown_pred },
  };
  if (normalised.per_drug) {
    out['per_drug'] = normalised.per_drug.map((d) => ({ ...d, precision: round(d.precision), recall: round(d.recall), f1: round(d.f1) }));
  }
  process.stdout.write(JSON.stringify(out) + '\n');
  if (m.extra_ids > 0) process.stderr.write(`evaluate: ${m.extra_ids} predicted IDs are not in ${goldPath} (ignored)\n`);
  if (m.missing_ids > 0) process.stderr.write(`evaluate: ${m.missing_ids} gold visits have no prediction (scored as empty)\n`);
  return 0;
}

if (isMain(import.meta.url)) runCli(main, EVALUATE_USAGE);
