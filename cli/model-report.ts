/**
 * npm run model-report -- --model models/NAME --test TEST.jsonl --train TRAIN.jsonl --dev DEV.jsonl
 *                         [--dtypes fp32,q8,q4,fp16] [--limit N] [--out docs/model-metrics.json]
 *                         [--candidates LIST.json] [--beam B] [--threshold t]
 *
 * Scores every requested dtype variant of the model that exists in the folder and the three
 * baselines (frequency, cooccurrence, mention — fitted on --train, tuned on --dev exactly as
 * `predict` does) on the same test records, and prints a Markdown table to stdout:
 *
 *   method/dtype | Jaccard | precision | recall | F1 | score | mean pred | mean true |
 *   pred/true | latency p50/p95 ms | file MB
 *
 * Latency (model rows): per record, sequential, on onnxruntime-node (device 'cpu'), measured
 * after the model is loaded and after one untimed warm-up decode of the first record; it
 * covers prompt building, tokenisation and constrained decoding. File size: the dtype's ONNX
 * file (+ external data) in MB = 10^6 bytes. Decoding settings come from MODEL/decoding.json
 * (else beam 4, no threshold) unless --beam / --threshold are given; they are printed.
 * Also reports the share of predicted names that are exact candidate-list entries (must be
 * 100%). --out writes every number as JSON.
 *
 * Candidate list: methods predict in the model's names and answer in the list's spelling, as
 * in `predict` (src/clinical/candidate-list.ts). Scores are exact (names compared as exact
 * strings, as the official CHIP scorer does); the last column repeats the score normalised.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { CDrugRedRecord } from '../src/clinical/record.ts';
import type { Formulary } from '../src/clinical/formulary.ts';
import { requireLabels } from '../src/clinical/parse-record.ts';
import { evaluateExactAndNormalised, type EvaluationResult } from '../src/clinical/metrics.ts';
import { countLabels, describeMapping, mapCandidateList, type CandidateMapping } from '../src/clinical/candidate-list.ts';
import { CliError, UsageError, isMain, loadCandidates, optionalFlag, parseFlags, readRecordsFile, requireFlag, round, runCli } from './cli-support.ts';
import { getMethod } from './methods.ts';
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
  resolveModelFolder,
  resolveSettings,
  type ModelDtype,
} from './model-method.ts';

export const MODEL_REPORT_USAGE =
  'npm run model-report -- --test TEST.jsonl --train TRAIN.jsonl --dev DEV.jsonl [--model DIR] [--dtypes fp32,q8,q4,fp16] [--limit N] [--out FILE.json] [--candidates LIST.json] [--beam B] [--threshold t] [--no-safety]';

const BASELINES = ['frequency', 'cooccurrence', 'mention'] as const;

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
    '| method / dtype | Jaccard | precision | recall | F1 | score | mean pred | mean true | pred/true | latency p50 / p95 ms | file MB | candidate names | score (normalised) |';
  const sep = '|---|---|---|---|---|---|---|---|---|---|---|---|---|';
  const lines = rows.map((r) => {
    const label = r.dtype ? `model (${r.dtype})` : r.settings ? `${r.method} (${r.settings})` : r.method;
    const lat = r.latencyP50Ms !== undefined && r.latencyP95Ms !== undefined ? `${r.latencyP50Ms.toFixed(1)} / ${r.latencyP95Ms.toFixed(1)}` : '—';
    const size = r.fileMB !== undefined ? (r.fileMB < 1 ? r.fileMB.toFixed(3) : r.fileMB.toFixed(1)) : '—';
    return `| ${label} | ${f4(r.jaccard)} | ${f4(r.precision)} | ${f4(r.recall)} | ${f4(r.f1)} | ${f4(r.score)} | ${f2(r.meanPred)} | ${f2(r.meanTrue)} | ${f2(r.predTrueRatio)} | ${lat} | ${size} | ${r.candidatePercent.toFixed(1)}% | ${f4(r.normalisedScore)} |`;
  });
  return [head, sep, ...lines].join('\n');
}

function roundRow(r: ReportRow): ReportRow {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(r)) out[k] = typeof v === 'number' ? round(v, k.endsWith('Ms') || k === 'fileMB' ? 3 : 4) : v;
  return out as unknown as ReportRow;
}

export async function main(argv: string[]): Promise<number> {
  const flags = parseFlags(argv, {
    model: { type: 'string' },
    test: { type: 'string' },
    train: { type: 'string' },
    dev: { type: 'string' },
    dtypes: { type: 'string' },
    limit: { type: 'string' },
    out: { type: 'string' },
    candidates: { type: 'string' },
    beam: { type: 'string' },
    threshold: { type: 'string' },
    'no-safety': { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (flags['help']) {
    process.stdout.write(MODEL_REPORT_USAGE + '\n');
    return 0;
  }
  const log = (m: string) => process.stderr.write(`model-report: ${m}\n`);
  const dir = optionalFlag(flags, 'model') ?? DEFAULT_MODEL_DIR;
  const testPath = requireFlag(flags, 'test');
  const trainPath = requireFlag(flags, 'train');
  const devPath = requireFlag(flags, 'dev');
  const limitFlag = optionalFlag(flags, 'limit');
  const limit = limitFlag === undefined ? undefined : parseLimit(limitFlag);
  const dtypesFlag = optionalFlag(flags, 'dtypes');
  const requested: ModelDtype[] = dtypesFlag === undefined ? [...DTYPES] : dtypesFlag.split(',').map((d) => parseDtype(d.trim()));
  const beamFlag = optionalFlag(flags, 'beam');
  const thresholdFlag = optionalFlag(flags, 'threshold');
  const outPath = optionalFlag(flags, 'out');

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
  const testAll = await readRecordsFile(testPath);
  requireLabels(testAll);
  const test = (limit === undefined ? testAll : testAll.slice(0, limit)).map((x) => x.record);
  if (test.length === 0) throw new CliError(`${testPath}: no records`);
  const train = await readRecordsFile(trainPath);
  requireLabels(train);
  const dev = await readRecordsFile(devPath);
  requireLabels(dev);

  const config = await readDecodingConfig(dir);
  const { settings, source } = resolveSettings(config, {
    beamWidth: beamFlag !== undefined ? parseBeam(beamFlag) : undefined,
    stopThreshold: thresholdFlag !== undefined ? parseThreshold(thresholdFlag) : undefined,
  });
  log(
    `${test.length} test visits (${testPath}${limit !== undefined ? `, first ${test.length} of ${testAll.length}` : ''}); decoding: beam ${settings.beamWidth} (${source.beamWidth}), stopThreshold ${settings.stopThreshold ?? 'none'} (${source.stopThreshold}), minConfidence ${settings.minConfidence} (${source.minConfidence})`,
  );

  const mapping = mapCandidateList(formulary.names, { labelCounts: countLabels(train.map((x) => x.record)) });
  for (const line of describeMapping(mapping, formulary.names.length)) log(line);
  const rows: ReportRow[] = [];
  const safety = flags['no-safety'] !== true;
  const ctxBase = { formulary: mapping.formulary, options: {}, log: (m: string) => log(m), safety, train: train.map((x) => x.record), dev: dev.map((x) => x.record) };
  for (const name of BASELINES) {
    const spec = getMethod(name);
    if (!spec) throw new UsageError(`baseline "${name}" is not registered`);
    const rec = await spec.create({ ...ctxBase });
    const raw = rec.predictBatch ? await rec.predictBatch(test) : await Promise.all(test.map((r) => rec.predict(r)));
    const row = scoreRow(name, test, raw, formulary, mapping);
    if (rec.describe) row.settings = rec.describe();
    rows.push(row);
    log(`${name}: score ${round(row.score)}`);
  }

  let excluded = 0;
  for (const folder of folders) {
    const loaded = await loadModel(folder);
    const timed = await decodeRecords(loaded, test, mapping.decodeNames, { ...settings, safety }, {
      warmup: true,
      onProgress: progressLogger(log, `${folder.dtype} decoded`),
    });
    await loaded.dispose();
    excluded = timed.trie?.excluded.length ?? 0;
    const row = scoreRow('model', test, timed.results.map((r) => r.drugs.map((d) => d.name)), formulary, mapping);
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
    rows.push(row);
    log(`model ${folder.dtype}: score ${round(row.score)}, load ${round(loaded.loadMs, 0)} ms, p50 ${round(lat.p50, 1)} ms, p95 ${round(lat.p95, 1)} ms, ${formatMb(folder.onnxBytes)} MB`);
  }

  const modelRows = rows.filter((r) => r.method === 'model');
  const predicted = modelRows.reduce((a, r) => a + r.predictedNames, 0);
  const inList = modelRows.reduce((a, r) => a + r.candidateNames, 0);
  const candidatePercent = predicted === 0 ? 100 : (100 * inList) / predicted;

  const table = markdownTable(rows);
  process.stdout.write(table + '\n\n');
  process.stdout.write(
    `Test: ${testPath}, ${test.length} visits${limit !== undefined ? ` (first ${test.length} of ${testAll.length})` : ''}; baselines fitted on ${trainPath}, tuned on ${devPath}. ` +
      `Model ${dir}: beam ${settings.beamWidth}, stopThreshold ${settings.stopThreshold ?? 'none'}, minConfidence ${settings.minConfidence} (from ${config ? 'decoding.json' : 'defaults'}${beamFlag !== undefined || thresholdFlag !== undefined ? ' + flags' : ''}). ` +
      `Latency: per record, sequential, onnxruntime-node CPU (${process.platform}/${process.arch}, Node ${process.versions.node}), after load and one warm-up decode. File MB = 10^6 bytes.\n`,
  );
  process.stdout.write(
    `Model predictions that are exact candidate-list entries: ${inList} / ${predicted} = ${candidatePercent.toFixed(2)}%` +
      (excluded > 0 ? ` (${excluded} of ${mapping.decodeNames.length} candidate names cannot be written by the tokenizer)` : '') +
      '\n',
  );
  if (inList !== predicted) log(`ERROR: ${predicted - inList} predicted names are not candidate-list entries`);

  if (outPath !== undefined) {
    const json = {
      model: dir,
      test: { file: testPath, visits: test.length, totalVisits: testAll.length },
      train: trainPath,
      dev: devPath,
      candidates: { source: optionalFlag(flags, 'candidates') ?? 'bundled formulary', names: formulary.names.length, notWritable: excluded },
      decoding: { ...settings, source, config: config ?? null },
      environment: { runtime: 'onnxruntime-node (transformers.js, device cpu)', node: process.versions.node, platform: `${process.platform}/${process.arch}` },
      latencyNote: 'per record, sequential, after model load and one untimed warm-up decode; ms',
      candidatePercent: round(candidatePercent, 4),
      rows: rows.map(roundRow),
    };
    try {
      await mkdir(dirname(outPath), { recursive: true });
      await writeFile(outPath, JSON.stringify(json, null, 2) + '\n', 'utf8');
    } catch (e) {
      throw new CliError(`${outPath}: cannot write (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
    }
    log(`wrote ${outPath}`);
  }
  return inList === predicted ? 0 : 1;
}

if (isMain(import.meta.url)) runCli(main, MODEL_REPORT_USAGE);
