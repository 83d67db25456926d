/**
 * npm run fit-fusion -- [--model DIR] [--dev DEV.jsonl] [--skip N] [--limit N] [--site-dev SITE.jsonl[,SITE2.jsonl…] [--site-weight W]] [--dtype q8] [--l2 λ] [--out FILE]
 *
 * Fits the evidence-fusion weights (src/decoding/evidence-fusion.ts) and writes MODEL/fusion.json.
 * The model searches each labelled dev visit once (safety on, no fusion, never stopping early);
 * every drug the search reached or the note names becomes one row (features: the model's
 * confidence and reach, the note's final status), labelled by whether the visit's 出院带药列表
 * holds it; an L2-regularised logistic regression is fitted on the rows.
 *
 * Dev visits only (by default 600 of them: records 401–1000), and not the first 400 that `npm run calibrate` tunes the cut on
 * (--skip 400), so the weights and the cut are chosen on disjoint visits. The hand-written set
 * (eval/handwritten) is never read here. Run calibrate again after fitting: the cut is
 * calibrated on the fused list.
 *
 * --site-dev adds a site's own labelled notes (all of them; e.g. the hand-written development
 * set eval/handwritten-dev, or a pilot site's charts). How much a note names, and so how much an
 * unnamed drug means, is a habit of who writes the notes; one generator's habit should not
 * decide it alone. Each site visit's rows count W times, by default W = dev visits / site visits,
 * so the two sources weigh the same in total.
 */
import { join } from 'node:path';
import { requireLabels } from '../src/clinical/parse-record.ts';
import { calibrateThreshold } from '../src/decoding/threshold.ts';
import { chooseInBand } from './calibrate.ts';
import { canonicalLabels } from '../src/clinical/baselines/types.ts';
import { noteEvidence } from '../src/decoding/recommend-record.ts';
import { recordFromObject, safetyPlan } from '../src/clinical/withhold.ts';
import { FUSION_FEATURES, FUSION_FILE, FUSION_VERSION, fitFusion, fusionRows, type FusionWeights } from '../src/decoding/evidence-fusion.ts';
import { CliError, assertWritableOutput, isMain, loadCandidates, optionalFlag, parseFlags, readRecordsFile, round, runCli, writeOutputAtomically } from './cli-support.ts';
import {
  DEFAULT_BEAM,
  DEFAULT_DTYPE,
  DEFAULT_MODEL_DIR,
  decodeRecords,
  loadModel,
  parseDtype,
  parseLimit,
  progressLogger,
  readDecodingConfig,
  resolveModelFolder,
  type TimedDecode,
} from './model-method.ts';
import type { CDrugRedRecord } from '../src/clinical/record.ts';
import { readSiteRecords, sitePaths } from './site-dev.ts';

export const FIT_FUSION_USAGE =
  'npm run fit-fusion -- [--model DIR] [--dev DEV.jsonl] [--skip N] [--limit N] [--site-dev SITE.jsonl[,SITE2.jsonl…] [--site-weight W]] [--dtype fp32|q8|q4|fp16] [--l2 λ] [--out FILE]';

export async function main(argv: string[]): Promise<number> {
  const flags = parseFlags(argv, {
    model: { type: 'string' },
    dev: { type: 'string' },
    skip: { type: 'string' },
    limit: { type: 'string' },
    dtype: { type: 'string' },
    l2: { type: 'string' },
    'site-dev': { type: 'string' },
    'site-weight': { type: 'string' },
    out: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (flags['help']) {
    process.stdout.write(FIT_FUSION_USAGE + '\n');
    return 0;
  }
  const log = (m: string) => process.stderr.write(`fit-fusion: ${m}\n`);
  const dir = optionalFlag(flags, 'model') ?? DEFAULT_MODEL_DIR;
  const devPath = optionalFlag(flags, 'dev') ?? 'data/cohort/dev.jsonl';
  const skip = parseLimit(optionalFlag(flags, 'skip') ?? '400', '--skip');
  const limit = parseLimit(optionalFlag(flags, 'limit') ?? '600');
  const dtypeFlag = optionalFlag(flags, 'dtype');
  const dtype = dtypeFlag === undefined ? DEFAULT_DTYPE : parseDtype(dtypeFlag);
  const l2 = Number(optionalFlag(flags, 'l2') ?? '1');
  if (!Number.isFinite(l2) || l2 < 0) throw new CliError(`--l2 must be a non-negative number, got ${optionalFlag(flags, 'l2')}`);
  const outPath = optionalFlag(flags, 'out') ?? join(dir, FUSION_FILE);

  const sitePath = optionalFlag(flags, 'site-dev');
  const siteWeightFlag = optionalFlag(flags, 'site-weight');
  if (siteWeightFlag !== undefined && sitePath === undefined) throw new CliError('--site-weight needs --site-dev');
  const folder = resolveModelFolder(dir, dtype);
  await assertWritableOutput(outPath, sitePath === undefined ? [devPath] : [devPath, ...sitePaths(sitePath)]);
  const config = await readDecodingConfig(dir);
  const formulary = await loadCandidates(undefined);
  const all = await readRecordsFile(devPath);
  requireLabels(all);
  const records = all.slice(skip, skip + limit).map((x) => x.record);
  if (records.length === 0) throw new CliError(`${devPath}: no records after skipping ${skip}`);
  const site = sitePath === undefined ? null : await readSiteRecords(sitePath, records.length, siteWeightFlag);

  const loaded = await loadModel(folder);
  log(`model ${dir}, dtype ${dtype}: searching ${records.length} dev visits (${devPath}, records ${skip + 1}–${skip + records.length})`);
  const settings = {
    beamWidth: config?.beamWidth ?? DEFAULT_BEAM,
    stopThreshold: 0,
    minConfidence: 0,
    minDrugs: config?.minDrugs ?? 1,
    ...(config?.maxDrugs !== undefined ? { maxDrugs: config.maxDrugs } : {}),
    safety: true,
    fusion: null,
  };
  const timed = await decodeRecords(loaded, records, formulary.names, settings, { onProgress: progressLogger(log, 'searched') });
  const siteTimed = site ? await decodeRecords(loaded, site.records, formulary.names, settings, { onProgress: progressLogger(log, 'searched (site)') }) : null;
  await loaded.dispose();

  const rows: { x: number[]; y: 0 | 1; weight: number }[] = [];
  const addRows = (recs: readonly CDrugRedRecord[], results: TimedDecode['results'], weight: number) =>
    recs.forEach((r, i) => {
      const gold = new Set(canonicalLabels(r.出院带药列表, formulary));
      const res = results[i]!;
      const plan = safetyPlan(recordFromObject(r as unknown as Record<string, unknown>), formulary.names, formulary);
      for (const row of fusionRows({ trajectory: res.trajectory, stopProbabilities: res.stopProbabilities, ...noteEvidence(r as unknown as Record<string, unknown>, formulary), candidates: formulary.names, mask: plan.mask }))
        rows.push({ x: row.x, y: gold.has(row.name) ? 1 : 0, weight });
    });
  addRows(records, timed.results, 1);
  if (site && siteTimed) {
    addRows(site.records, siteTimed.results, site.weight);
    log(`site notes ${sitePath}: ${site.records.length} visits, each counted ${round(site.weight, 3)} times`);
  }
  const fit = fitFusion(rows, l2);
  // The search alone at its own best cut on these visits (ratio band 0.9–1.1, as the shipped calibration).
  const normalize = (n: string) => formulary.normalize(n) ?? n.trim();
  const searched = timed.results.map((r) => ({ trajectory: r.search.trajectory, stopProbabilities: r.search.stopProbabilities, settings: r.settings }));
  const { result: cut } = chooseInBand(
    calibrateThreshold(searched, records.map((r) => r.出院带药列表 ?? []), normalize, { minDrugs: settings.minDrugs }),
    [0.9, 1.1],
  );
  const weights: FusionWeights = {
    version: FUSION_VERSION,
    features: [...FUSION_FEATURES],
    weights: fit.weights.map((w) => round(w, 4)),
    bias: round(fit.bias, 4),
    fittedOn: {
      file: devPath,
      visits: records.length,
      dtype,
      l2,
      logLoss: round(fit.logLoss, 4),
      ...(site && sitePath !== undefined ? { site: { file: sitePath, visits: site.records.length, weight: round(site.weight, 4) } } : {}),
    },
    searchCut: { stopThreshold: cut.stopThreshold, minConfidence: cut.minConfidence, score: round(cut.score), ratio: round(cut.ratio, 4) },
  };
  log(`search alone on these visits: stopThreshold ${cut.stopThreshold}, minConfidence ${cut.minConfidence}, score ${round(cut.score)}, ratio ${round(cut.ratio, 2)}`);
  log(`${rows.length} rows (${rows.filter((r) => r.y).length} on the label), log-loss ${round(fit.logLoss, 4)}`);
  for (const [i, f] of FUSION_FEATURES.entries()) log(`  ${f.padEnd(26)} ${weights.weights[i]!.toFixed(3)}`);
  log(`  ${'bias'.padEnd(26)} ${weights.bias.toFixed(3)}`);
  await writeOutputAtomically(outPath, JSON.stringify(weights, null, 2) + '\n');
  log(`wrote ${outPath}; now run npm run calibrate so the cut is chosen on the fused list`);
  return 0;
}

if (isMain(import.meta.url)) runCli(main, FIT_FUSION_USAGE);
