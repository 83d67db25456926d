/**
 * npm run model-report                       (defaults: the shipped model, data/cohort, eval/handwritten)
 * npm run model-report -- --model DIR --train TRAIN.jsonl --dev DEV.jsonl
 *     --set NAME=PATH[:LIMIT] [--set …]  (or --test PATH [--limit N], one set named "test")
 *     [--ruled-out FILE.json[,FILE.json…]] [--families FILE.json[,FILE.json…]] [--dtypes q8,fp32,q4] [--out FILE.json]
 *     [--candidates LIST.json] [--beam B] [--threshold t] [--no-safety] [--no-fusion]
 *
 * Scores the model and every baseline (frequency, cooccurrence, mention — fitted on --train,
 * tuned on --dev exactly as `predict` does — and the union of mention and co-occurrence) on
 * each evaluation set, and prints one Markdown table per set:
 *
 *   method/dtype | Jaccard | precision | recall | F1 | score | mean pred | mean true |
 *   pred/true | latency p50/p95 ms | file MB | candidate names | score (normalised) | safety
 *
 * The first dtype runs on every set; further dtypes (the quantisation check) on the first set
 * only. "safety" counts predicted drugs that break a safety rule: the formulary's rules for
 * that note (src/clinical/withhold.ts) and, for visits listed in --ruled-out, the
 * independently hand-labelled ruled-out drugs. --families (a cohort's families.json) adds a
 * per-documentation-family Jaccard table for every set whose visits it names.
 *
 * Latency (model rows): per record, sequential, on onnxruntime-node (device 'cpu'), measured
 * after the model is loaded and after one untimed warm-up decode of the first record; it
 * covers prompt building, tokenisation and constrained decoding. File size: the dtype's ONNX
 * file (+ external data) in MB = 10^6 bytes. Decoding settings come from MODEL/decoding.json
 * (else beam 4, no threshold) unless --beam / --threshold are given; they are printed.
 * Also reports the share of predicted names that are exact candidate-list entries (must be
 * 100%). --out writes every number as JSON.
 *
 * With MODEL/fusion.json the model rows are the product's list (search + evidence fusion,
 * src/decoding/evidence-fusion.ts), and a "model (search only)" row shows the language model by
 * itself at the cut fitted for it (fusion.json searchCut), from the same decodes.
 *
 * Candidate list: methods predict in the model's names and answer in the list's spelling, as
 * in `predict` (src/clinical/candidate-list.ts). Scores are exact (names compared as exact
 * strings, as the official CHIP scorer does); the last column repeats the score normalised.
 */
import type { CDrugRedRecord } from '../src/clinical/record.ts';
import type { Formulary } from '../src/clinical/formulary.ts';
import { requireLabels } from '../src/clinical/parse-record.ts';
import { evaluateExactAndNormalised, type EvaluationResult } from '../src/clinical/metrics.ts';
import { countLabels, describeMapping, mapCandidateList, type CandidateMapping } from '../src/clinical/candidate-list.ts';
import { holdoutSummaryText, readHoldoutSummary } from './holdout-summary.ts';
import { CliError, UsageError, assertWritableOutput, isMain, writeOutputAtomically, loadCandidates, optionalFlag, parseFlags, readRecordsFile, requireFlag, round, runCli } from './cli-support.ts';
import { getMethod, type CliRecommender } from './methods.ts';
import { countSafetyViolations, familyJaccard, parseSetFlag, readFamilyFiles, readRuledOutFiles, unionPredictions, type SetSpec } from './report-sets.ts';
import {
  DEFAULT_MODEL_DIR,
  DTYPES,
  DTYPE_FILES,
  availableDtypes,
  decodeRecords,
  formatMb,
  latencySummary,
  loadModel,
  parseBeam,
  parseDtype,
  parseLimit,
  parseThreshold,
  progressLogger,
  readDecodingConfig,
  readFusionWeights,
  resolveModelFolder,
  resolveSettings,
  type ModelDtype,
} from './model-method.ts';
import { cutTrajectory } from '../src/decoding/policy.ts';
import { FUSION_FILE } from '../src/decoding/evidence-fusion.ts';

export const MODEL_REPORT_USAGE =
  'npm run model-report [-- --model DIR --train TRAIN.jsonl --dev DEV.jsonl (--set NAME=PATH[:LIMIT] … | --test PATH [--limit N]) [--ruled-out FILE.json[,FILE.json…]] [--families FILE.json[,FILE.json…]] [--dtypes q8,fp32,q4,fp16] [--out FILE.json] [--candidates LIST.json] [--beam B] [--threshold t] [--no-safety] [--no-fusion]]';

const BASELINES = ['frequency', 'cooccurrence', 'mention'] as const;
/** The union of the mention and co-occurrence baselines' lists, per visit. */
export const UNION_METHOD = 'mention+cooccurrence';
/** The language model's search alone, without evidence fusion (reported beside the product's fused list). */
export const SEARCH_ONLY_METHOD = 'model (search only)';

/** The scorer's metrics, under the scorer's own names; only the mean counts are renamed below. */
type ScoredMetrics = Pick<EvaluationResult, 'n' | 'jaccard' | 'precision' | 'recall' | 'f1' | 'score'>;

export interface ReportRow extends ScoredMetrics {
  /** 'model' or a baseline name. */
  method: string;
  /** Model rows only. */
  dtype?: ModelDtype;
  /** Baseline fitted settings (describe()). */
  settings?: string;
  meanPred: number;
  meanTrue: number;
  predTrueRatio: number;
  /** Score with names normalised (the other metrics are exact, as the official scorer). */
  normalisedScore: number;
  /** Predicted names (before mapping to the list's spelling) that are exact entries of the decoded candidate list. */
  predictedNames: number;
  candidateNames: number;
  candidatePercent: number;
  latencyP50Ms?: number;
  latencyP95Ms?: number;
  latencyMeanMs?: number;
  loadMs?: number;
  warmupMs?: number;
  fileMB?: number;
  fileBytes?: number;
  onnxFile?: string;
  /** Predicted drugs the formulary's rules withhold for that note (src/clinical/withhold.ts). */
  ruleViolations?: number;
  /** Predicted drugs in the set's hand-labelled ruled-out list. */
  ruledOutViolations?: number;
  visitsWithViolation?: number;
}

/**
 * Metrics of raw predictions: each name is mapped to the list's spelling (`mapping.toList`; not a
 * candidate → dropped), then scored exactly and normalised (`formulary`: the loaded list).
 */
export function scoreRow(
  method: string,
  records: readonly CDrugRedRecord[],
  raw: readonly (readonly string[])[],
  formulary: Formulary,
  mapping: CandidateMapping,
): ReportRow {
  let predictedNames = 0;
  let candidateNames = 0;
  const decodable = new Set(mapping.decodeNames);
  const predictions = new Map<string, string[]>();
  records.forEach((r, i) => {
    const names: string[] = [];
    for (const n of raw[i] ?? []) {
      predictedNames++;
      if (decodable.has(n)) candidateNames++;
      const l = mapping.toList(n);
      if (l !== null) names.push(l);
    }
    predictions.set(r.就诊标识, names);
  });
  const { exact: m, normalised } = evaluateExactAndNormalised(
    new Map(records.map((r) => [r.就诊标识, r.出院带药列表 ?? []] as const)),
    predictions,
    { normalize: (n) => formulary.normalize(n) },
  );
  return {
    method,
    ...pickScored(m),
    meanPred: m.mean_pred,
    meanTrue: m.mean_gold,
    predTrueRatio: m.mean_gold === 0 ? Number.NaN : m.mean_pred / m.mean_gold,
    normalisedScore: normalised.score,
    predictedNames,
    candidateNames,
    candidatePercent: predictedNames === 0 ? 100 : (100 * candidateNames) / predictedNames,
  };
}

function pickScored({ n, jaccard, precision, recall, f1, score }: EvaluationResult): ScoredMetrics {
  return { n, jaccard, precision, recall, f1, score };
}

const f4 = (x: number) => x.toFixed(4);
const f2 = (x: number) => x.toFixed(2);

export function markdownTable(rows: readonly ReportRow[]): string {
  const head =
    '| method / dtype | Jaccard | precision | recall | F1 | score | mean pred | mean true | pred/true | latency p50 / p95 ms | file MB | candidate names | score (normalised) | safety rule / ruled-out hits |';
  const sep = '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|';
  const lines = rows.map((r) => {
    const label = r.dtype ? `model (${r.dtype})` : r.settings ? `${r.method} (${r.settings})` : r.method;
    const lat = r.latencyP50Ms !== undefined && r.latencyP95Ms !== undefined ? `${r.latencyP50Ms.toFixed(1)} / ${r.latencyP95Ms.toFixed(1)}` : '—';
    const size = r.fileMB !== undefined ? (r.fileMB < 1 ? r.fileMB.toFixed(3) : r.fileMB.toFixed(1)) : '—';
    return `| ${label} | ${f4(r.jaccard)} | ${f4(r.precision)} | ${f4(r.recall)} | ${f4(r.f1)} | ${f4(r.score)} | ${f2(r.meanPred)} | ${f2(r.meanTrue)} | ${f2(r.predTrueRatio)} | ${lat} | ${size} | ${r.candidatePercent.toFixed(1)}% | ${f4(r.normalisedScore)} | ${r.ruleViolations ?? '—'} / ${r.ruledOutViolations ?? '—'} |`;
  });
  return [head, sep, ...lines].join('\n');
}

function roundRow(r: ReportRow): ReportRow {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(r)) out[k] = typeof v === 'number' ? round(v, k.endsWith('Ms') || k === 'fileMB' ? 3 : 4) : v;
  return out as unknown as ReportRow;
}

/** What `npm run model-report` scores with no flags: the shipped model on every committed set. */
export const REPORT_DEFAULTS = {
  train: 'data/cohort/train.jsonl',
  dev: 'data/cohort/dev.jsonl',
  // handwritten-dev is reported for transparency only: the shipped fusion and cut are fitted on it
  // (fit-fusion / calibrate --site-dev), so it is not a test of them.
  sets: ['synthetic-test=data/cohort/test.jsonl:500', 'handwritten=eval/handwritten/records.jsonl', 'handwritten-dev=eval/handwritten-dev/records.jsonl'],
  ruledOut: 'eval/handwritten/ruled-out.json,eval/handwritten-dev/ruled-out.json',
  families: 'data/cohort/families.json,eval/handwritten/styles.json,eval/handwritten-dev/styles.json',
  dtypes: 'q8,fp32,q4',
} as const;

interface SetReport {
  name: string;
  file: string;
  visits: number;
  totalVisits: number;
  rows: ReportRow[];
  families: ReturnType<typeof familyJaccard> | null;
}

export function familyTable(fams: NonNullable<SetReport['families']>, methods: readonly string[]): string {
  const head = `| family | n | ${methods.join(' | ')} |`;
  const sep = `|---|---|${methods.map(() => '---').join('|')}|`;
  return [head, sep, ...fams.map((f) => `| ${f.family} | ${f.n} | ${methods.map((m) => f4(f.jaccard[m] ?? Number.NaN)).join(' | ')} |`)].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const flags = parseFlags(argv, {
    model: { type: 'string' },
    test: { type: 'string' },
    set: { type: 'string', multiple: true },
    train: { type: 'string' },
    dev: { type: 'string' },
    dtypes: { type: 'string' },
    limit: { type: 'string' },
    out: { type: 'string' },
    'ruled-out': { type: 'string' },
    families: { type: 'string' },
    candidates: { type: 'string' },
    beam: { type: 'string' },
    threshold: { type: 'string' },
    'no-safety': { type: 'boolean' },
    'no-fusion': { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (flags['help']) {
    process.stdout.write(MODEL_REPORT_USAGE + '\n');
    return 0;
  }
  const log = (m: string) => process.stderr.write(`model-report: ${m}\n`);
  const dir = optionalFlag(flags, 'model') ?? DEFAULT_MODEL_DIR;
  const testFlag = optionalFlag(flags, 'test');
  const setFlags = (flags['set'] as string[] | undefined) ?? [];
  if (testFlag !== undefined && setFlags.length > 0) throw new UsageError('give either --test or --set, not both');
  const noSetGiven = testFlag === undefined && setFlags.length === 0;
  const limitFlag = optionalFlag(flags, 'limit');
  const sets: SetSpec[] =
    testFlag !== undefined
      ? [{ name: 'test', path: testFlag, ...(limitFlag !== undefined ? { limit: parseLimit(limitFlag) } : {}) }]
      : (noSetGiven ? [...REPORT_DEFAULTS.sets] : setFlags).map(parseSetFlag);
  if (limitFlag !== undefined && testFlag === undefined) throw new UsageError('--limit goes with --test; with --set write NAME=PATH:LIMIT');
  const trainPath = optionalFlag(flags, 'train') ?? (noSetGiven ? REPORT_DEFAULTS.train : requireFlag(flags, 'train'));
  const devPath = optionalFlag(flags, 'dev') ?? (noSetGiven ? REPORT_DEFAULTS.dev : requireFlag(flags, 'dev'));
  const ruledOutPath = optionalFlag(flags, 'ruled-out') ?? (noSetGiven ? REPORT_DEFAULTS.ruledOut : undefined);
  const familiesPath = optionalFlag(flags, 'families') ?? (noSetGiven ? REPORT_DEFAULTS.families : undefined);
  const dtypesFlag = optionalFlag(flags, 'dtypes') ?? (noSetGiven ? REPORT_DEFAULTS.dtypes : undefined);
  const requested: ModelDtype[] = dtypesFlag === undefined ? [...DTYPES] : dtypesFlag.split(',').map((d) => parseDtype(d.trim()));
  const beamFlag = optionalFlag(flags, 'beam');
  const thresholdFlag = optionalFlag(flags, 'threshold');
  const outPath = optionalFlag(flags, 'out');
  if (outPath !== undefined) await assertWritableOutput(outPath, [trainPath, devPath, ...sets.map((x) => x.path)]);

  // The folder must be a model folder; requested dtypes that are absent are skipped (named),
  // unless none is present.
  const present = availableDtypes(dir);
  const dtypes = requested.filter((d) => present.includes(d));
  if (dtypes.length === 0) {
    resolveModelFolder(dir, requested[0] ?? 'q8'); // throws the specific one-line error
    throw new CliError(`${dir}: none of the dtypes ${requested.join(', ')} is present`);
  }
  const folders = dtypes.map((d) => resolveModelFolder(dir, d));
  const skipped = requested.filter((d) => !present.includes(d));
  if (skipped.length) log(`skipping dtypes without weights in ${dir}/onnx: ${skipped.map((d) => `${d} (${DTYPE_FILES[d]})`).join(', ')}`);

  const formulary = await loadCandidates(optionalFlag(flags, 'candidates'));
  const train = await readRecordsFile(trainPath);
  requireLabels(train);
  const dev = await readRecordsFile(devPath);
  requireLabels(dev);
  const ruledOut = ruledOutPath !== undefined ? await readRuledOutFiles(ruledOutPath, formulary) : null;
  const families = familiesPath !== undefined ? await readFamilyFiles(familiesPath) : null;
  const loadedSets: Array<{ spec: SetSpec; records: CDrugRedRecord[]; total: number }> = [];
  for (const spec of sets) {
    const all = await readRecordsFile(spec.path);
    requireLabels(all);
    const records = (spec.limit === undefined ? all : all.slice(0, spec.limit)).map((x) => x.record);
    if (records.length === 0) throw new CliError(`${spec.path}: no records`);
    loadedSets.push({ spec, records, total: all.length });
  }

  const config = await readDecodingConfig(dir);
  const fusion = flags['no-fusion'] === true ? null : await readFusionWeights(dir);
  const { settings, source } = resolveSettings(config, {
    beamWidth: beamFlag !== undefined ? parseBeam(beamFlag) : undefined,
    stopThreshold: thresholdFlag !== undefined ? parseThreshold(thresholdFlag) : undefined,
  });
  log(
    `sets: ${loadedSets.map((x) => `${x.spec.name} ${x.records.length}${x.records.length < x.total ? ` of ${x.total}` : ''}`).join(', ')}; decoding: beam ${settings.beamWidth} (${source.beamWidth}), stopThreshold ${settings.stopThreshold ?? 'none'} (${source.stopThreshold}), minConfidence ${settings.minConfidence} (${source.minConfidence})`,
  );

  const mapping = mapCandidateList(formulary.names, { labelCounts: countLabels(train.map((x) => x.record)) });
  for (const line of describeMapping(mapping, formulary.names.length)) log(line);
  const safety = flags['no-safety'] !== true;
  const ctxBase = { formulary: mapping.formulary, options: {}, log: (m: string) => log(m), safety, train: train.map((x) => x.record), dev: dev.map((x) => x.record) };
  const baselines: Array<{ name: string; rec: CliRecommender }> = [];
  for (const name of BASELINES) {
    const spec = getMethod(name);
    if (!spec) throw new UsageError(`baseline "${name}" is not registered`);
    baselines.push({ name, rec: await spec.create({ ...ctxBase }) });
  }
  const withSafety = (row: ReportRow, records: readonly CDrugRedRecord[], raw: readonly (readonly string[])[]) => {
    Object.assign(row, countSafetyViolations(records, raw, mapping.decodeNames, mapping.formulary, ruledOut));
    return row;
  };

  const reports: SetReport[] = [];
  const rawBySet = new Map<string, Map<string, string[][]>>();
  for (const { spec, records, total } of loadedSets) {
    const rows: ReportRow[] = [];
    const raws = new Map<string, string[][]>();
    for (const { name, rec } of baselines) {
      const raw = rec.predictBatch ? await rec.predictBatch(records) : await Promise.all(records.map((r) => rec.predict(r)));
      const row = withSafety(scoreRow(name, records, raw, formulary, mapping), records, raw);
      if (rec.describe) row.settings = rec.describe();
      rows.push(row);
      raws.set(name, raw);
      log(`${spec.name} · ${name}: score ${round(row.score)}`);
    }
    const union = unionPredictions(raws.get('mention') ?? [], raws.get('cooccurrence') ?? []);
    rows.push(withSafety(scoreRow(UNION_METHOD, records, union, formulary, mapping), records, union));
    raws.set(UNION_METHOD, union);
    reports.push({ name: spec.name, file: spec.path, visits: records.length, totalVisits: total, rows, families: null });
    rawBySet.set(spec.name, raws);
  }

  let excluded = 0;
  for (const [k, folder] of folders.entries()) {
    const loaded = await loadModel(folder);
    for (const [i, { spec, records }] of loadedSets.entries()) {
      if (k > 0 && i > 0) continue; // further dtypes: the first set only
      const timed = await decodeRecords(loaded, records, mapping.decodeNames, { ...settings, safety, fusion }, {
        warmup: true,
        onProgress: progressLogger(log, `${spec.name} · ${folder.dtype} decoded`),
      });
      excluded = timed.trie?.excluded.length ?? 0;
      const raw = timed.results.map((r) => r.drugs.map((d) => d.name));
      const row = withSafety(scoreRow('model', records, raw, formulary, mapping), records, raw);
      const lat = latencySummary(timed.latenciesMs);
      Object.assign(row, {
        dtype: folder.dtype,
        latencyP50Ms: lat.p50,
        latencyP95Ms: lat.p95,
        latencyMeanMs: lat.mean,
        loadMs: loaded.loadMs,
        warmupMs: timed.warmupMs,
        fileMB: folder.onnxBytes / 1e6,
        fileBytes: folder.onnxBytes,
        onnxFile: folder.onnxPath,
      });
      reports[i]!.rows.push(row);
      if (k === 0) rawBySet.get(spec.name)!.set('model', raw);
      if (k === 0 && fusion?.searchCut) {
        // The language model alone, at the cut calibrated for it on the fusion's fitting visits.
        const cut = { ...fusion.searchCut, minDrugs: settings.minDrugs };
        const searchRaw = timed.results.map((r) => cutTrajectory(r.search, cut).map((d) => d.name));
        const searchRow = withSafety(scoreRow(SEARCH_ONLY_METHOD, records, searchRaw, formulary, mapping), records, searchRaw);
        searchRow.settings = `${folder.dtype}, no evidence fusion, stopThreshold ${cut.stopThreshold}, minConfidence ${cut.minConfidence}`;
        reports[i]!.rows.push(searchRow);
        rawBySet.get(spec.name)!.set(SEARCH_ONLY_METHOD, searchRaw);
      }
      log(`${spec.name} · model ${folder.dtype}: score ${round(row.score)}, p50 ${round(lat.p50, 1)} ms, p95 ${round(lat.p95, 1)} ms, ${formatMb(folder.onnxBytes)} MB`);
    }
    await loaded.dispose();
  }

  const allModelRows = reports.flatMap((r) => r.rows.filter((x) => x.method === 'model'));
  const predicted = allModelRows.reduce((a, r) => a + r.predictedNames, 0);
  const inList = allModelRows.reduce((a, r) => a + r.candidateNames, 0);
  const candidatePercent = predicted === 0 ? 100 : (100 * inList) / predicted;
  const defaultViolations = allModelRows.reduce((a, r) => a + (r.ruleViolations ?? 0) + (r.ruledOutViolations ?? 0), 0);

  for (const [i, rep] of reports.entries()) {
    const { records } = loadedSets[i]!;
    process.stdout.write(`### ${rep.name}: ${rep.file}, ${rep.visits} visits${rep.visits < rep.totalVisits ? ` (first ${rep.visits} of ${rep.totalVisits})` : ''}\n\n`);
    process.stdout.write(markdownTable(rep.rows) + '\n\n');
    if (families) {
      const raws = rawBySet.get(rep.name)!;
      const fams = familyJaccard(records, raws, families);
      if (fams.length > 0) {
        rep.families = fams;
        process.stdout.write(`Per documentation family (Jaccard):\n\n${familyTable(fams, [...raws.keys()])}\n\n`);
      }
    }
  }
  process.stdout.write(
    `Baselines fitted on ${trainPath}, tuned on ${devPath}. Model ${dir}: beam ${settings.beamWidth}, stopThreshold ${settings.stopThreshold ?? 'none'}, minConfidence ${settings.minConfidence} (from ${config ? 'decoding.json' : 'defaults'}${beamFlag !== undefined || thresholdFlag !== undefined ? ' + flags' : ''}); safety filter ${safety ? 'on' : 'off (--no-safety)'}; evidence fusion ${fusion ? `on (${FUSION_FILE}; "${SEARCH_ONLY_METHOD}" is the language model alone at its own cut)` : 'off'}. ` +
      `Latency: per record, sequential, onnxruntime-node CPU (${process.platform}/${process.arch}, Node ${process.versions.node}), after load and one warm-up decode. File MB = 10^6 bytes.\n`,
  );
  process.stdout.write(
    `Model predictions that are exact candidate-list entries: ${inList} / ${predicted} = ${candidatePercent.toFixed(2)}%` +
      (excluded > 0 ? ` (${excluded} of ${mapping.decodeNames.length} candidate names cannot be written by the tokenizer)` : '') +
      '\n',
  );
  process.stdout.write(`Model recommendations that break a safety rule, over all sets and dtypes: ${defaultViolations}\n`);
  // The default report is the product's: it also gives the style hold-out figure, as recorded.
  if (noSetGiven && dir === DEFAULT_MODEL_DIR) process.stdout.write('\n' + holdoutSummaryText(await readHoldoutSummary()));
  if (inList !== predicted) log(`ERROR: ${predicted - inList} predicted names are not candidate-list entries`);

  if (outPath !== undefined) {
    const json = {
      model: dir,
      train: trainPath,
      dev: devPath,
      ruledOut: ruledOutPath ?? null,
      families: familiesPath ?? null,
      candidates: { source: optionalFlag(flags, 'candidates') ?? 'bundled formulary', names: formulary.names.length, notWritable: excluded },
      decoding: { ...settings, source, config: config ?? null, safety, fusion: fusion ? { fittedOn: fusion.fittedOn ?? null, searchCut: fusion.searchCut ?? null, weights: Object.fromEntries(fusion.features.map((f, j) => [f, fusion.weights[j]])), bias: fusion.bias } : null },
      environment: { runtime: 'onnxruntime-node (transformers.js, device cpu)', node: process.versions.node, platform: `${process.platform}/${process.arch}` },
      latencyNote: 'per record, sequential, after model load and one untimed warm-up decode; ms',
      candidatePercent: round(candidatePercent, 4),
      safetyViolations: defaultViolations,
      sets: reports.map((r) => ({ ...r, rows: r.rows.map(roundRow), families: r.families?.map((f) => ({ ...f, jaccard: Object.fromEntries(Object.entries(f.jaccard).map(([k, v]) => [k, round(v, 4)])) })) ?? null })),
    };
    await writeOutputAtomically(outPath, JSON.stringify(json, null, 2) + '\n');
    log(`wrote ${outPath}`);
  }
  return inList === predicted ? 0 : 1;
}

if (isMain(import.meta.url)) runCli(main, MODEL_REPORT_USAGE);
