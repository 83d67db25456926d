/**
 * npm run predict -- --in IN.jsonl --out PRED.json --method frequency|cooccurrence|mention|model
 *                    [--train TRAIN.jsonl] [--dev DEV.jsonl] [--candidates LIST.json] [--opt key=value …]
 *                    [--limit N]
 *                    [--model DIR] [--dtype fp32|q8|q4|fp16] [--threshold t] [--beam B]   (--method model)
 *
 * Writes the CHIP submission ([{"ID", "prediction"}], candidate names only) and prints a
 * short summary to stderr (plus the CHIP score when every input record is labelled: exact, as
 * the official scorer compares names, and normalised).
 *
 * Every method decodes / predicts in the model's vocabulary and answers in the candidate
 * list's exact spelling (src/clinical/candidate-list.ts): entries are mapped to the bundled
 * formulary's names (氨氯地平片 → 氨氯地平), the methods see those, and each output is mapped
 * back to the list's spelling. Entries mapping to no model name, and entries folding to one
 * model name, are reported on stderr.
 */
import { requireLabels } from '../src/clinical/parse-record.ts';
import { serializeSubmission, toSubmission } from '../src/clinical/submission.ts';
import { evaluateExactAndNormalised } from '../src/clinical/metrics.ts';
import { countLabels, describeMapping, mapCandidateList, toListSpellings } from '../src/clinical/candidate-list.ts';
import {
  CliError,
  UsageError,
  assertWritableOutput,
  writeOutputAtomically,
  loadCandidates,
  optionalFlag,
  parseFlags,
  parseKeyValues,
  readRecordsFile,
  requireFlag,
  round,
  runCli,
  isMain,
} from './cli-support.ts';
import { getMethod, methodNames, type MethodContext } from './methods.ts';
import { hasRunReport, parseLimit } from './model-method.ts';

export const PREDICT_USAGE =
  'npm run predict -- --in IN.jsonl --out PRED.json --method <' +
  methodNames().join('|') +
  '> [--train TRAIN.jsonl] [--dev DEV.jsonl] [--candidates LIST.json] [--opt key=value] [--limit N]' +
  ' [--model DIR] [--dtype fp32|q8|q4|fp16] [--threshold t] [--beam B] [--no-safety]';

/** Top-level flags that are forwarded to the method as options (only methods that declare them). */
const METHOD_FLAGS = ['model', 'dtype', 'threshold', 'beam'] as const;

export async function main(argv: string[]): Promise<number> {
  const flags = parseFlags(argv, {
    in: { type: 'string' },
    out: { type: 'string' },
    method: { type: 'string' },
    train: { type: 'string' },
    dev: { type: 'string' },
    candidates: { type: 'string' },
    opt: { type: 'string', multiple: true },
    limit: { type: 'string' },
    model: { type: 'string' },
    dtype: { type: 'string' },
    threshold: { type: 'string' },
    beam: { type: 'string' },
    'no-safety': { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (flags['help']) {
    process.stdout.write(PREDICT_USAGE + '\n');
    return 0;
  }
  const inPath = requireFlag(flags, 'in');
  const outPath = requireFlag(flags, 'out');
  const methodName = requireFlag(flags, 'method');
  const method = getMethod(methodName);
  if (!method) throw new UsageError(`unknown method "${methodName}" (known: ${methodNames().join(', ')})`);
  const trainPath = optionalFlag(flags, 'train');
  const devPath = optionalFlag(flags, 'dev');
  if (method.needsTrain && trainPath === undefined) {
    throw new UsageError(`method "${methodName}" needs --train TRAIN.jsonl (labelled records)`);
  }
  const options = parseKeyValues(flags['opt'] as string[] | undefined);
  for (const key of Object.keys(options)) {
    if (method.options && !method.options.includes(key)) {
      throw new UsageError(`method "${methodName}" has no option "${key}"` + (method.options.length ? ` (options: ${method.options.join(', ')})` : ''));
    }
  }
  for (const key of METHOD_FLAGS) {
    const v = optionalFlag(flags, key);
    if (v === undefined) continue;
    if (!method.options?.includes(key)) throw new UsageError(`flag --${key} applies to --method model only, not "${methodName}"`);
    options[key] = v;
  }
  const limitFlag = optionalFlag(flags, 'limit');
  const limit = limitFlag === undefined ? undefined : parseLimit(limitFlag);
  const candidatesPath = optionalFlag(flags, 'candidates');
  // Before any work: --out must not be an input, and its folder must exist and be writable.
  await assertWritableOutput(outPath, [inPath, trainPath, devPath, candidatesPath].filter((x): x is string => x !== undefined));

  const formulary = await loadCandidates(candidatesPath);
  const allInput = await readRecordsFile(inPath);
  const input = limit === undefined ? allInput : allInput.slice(0, limit);
  const log = (m: string) => process.stderr.write(`predict: ${m}\n`);
  let train: MethodContext['train'];
  if (trainPath !== undefined) {
    const t = await readRecordsFile(trainPath);
    requireLabels(t);
    train = t.map((x) => x.record);
  }
  // Decode in the model's names, answer in the list's spelling (src/clinical/candidate-list.ts).
  const mapping = mapCandidateList(formulary.names, train ? { labelCounts: countLabels(train) } : {});
  const ctx: MethodContext = { formulary: mapping.formulary, options, log, safety: flags['no-safety'] !== true };
  if (train) ctx.train = train;
  if (devPath !== undefined) {
    const dev = await readRecordsFile(devPath);
    requireLabels(dev);
    ctx.dev = dev.map((x) => x.record);
  }

  const recommender = await method.create(ctx);
  // After create: a bad flag or model folder stays a one-line error.
  for (const line of describeMapping(mapping, formulary.names.length)) log(line);
  const records = input.map((x) => x.record);
  const raw = recommender.predictBatch
    ? await recommender.predictBatch(records)
    : await Promise.all(records.map((r) => recommender.predict(r)));
  if (raw.length !== records.length) throw new CliError(`method "${methodName}" returned ${raw.length} predictions for ${records.length} records`);

  // Only candidate entries, in the list's exact spelling, go into the submission.
  let dropped = 0;
  const predictions = new Map<string, string[]>();
  records.forEach((r, i) => {
    const mapped = toListSpellings(mapping, raw[i] ?? []);
    dropped += mapped.dropped;
    predictions.set(r.就诊标识, mapped.names);
  });

  const entries = toSubmission(predictions);
  await writeOutputAtomically(outPath, serializeSubmission(entries));

  const mean = entries.reduce((s, e) => s + e.prediction.length, 0) / Math.max(1, entries.length);
  const settings = recommender.describe ? ` (${recommender.describe()})` : '';
  let summary = `predict: method=${methodName}${settings}, ${entries.length} records${limit !== undefined && allInput.length > input.length ? ` (first ${input.length} of ${allInput.length}, --limit)` : ''}, mean ${round(mean, 2)} drugs/visit → ${outPath}`;
  if (dropped > 0) summary += `; ${dropped} non-candidate names dropped`;
  if (records.length > 0 && records.every((r) => r.出院带药列表 !== undefined)) {
    const { exact: m, normalised: nm } = evaluateExactAndNormalised(
      new Map(records.map((r) => [r.就诊标识, r.出院带药列表 ?? []] as const)),
      predictions,
      { normalize: (n) => formulary.normalize(n) },
    );
    summary += `; input is labelled: score ${round(m.score)} (exact names, as the official scorer; jaccard ${round(m.jaccard)}, f1 ${round(m.f1)}); normalised score ${round(nm.score)}`;
  }
  if (hasRunReport(recommender)) for (const line of recommender.runReport()) process.stderr.write(`predict: ${line}\n`);
  process.stderr.write(summary + '\n');
  return 0;
}

if (isMain(import.meta.url)) runCli(main, PREDICT_USAGE);
