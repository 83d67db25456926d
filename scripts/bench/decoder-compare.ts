/**
 * "Previous decoder vs new decoder on the same notes", the row `npm run bench` prints for the
 * decoding changes of issue 10 (and `tsx scripts/bench/decoder-compare.ts [--notes N]` alone).
 *
 * Both run in the same Node process on the same loaded model (onnxruntime-node), note by note
 * and alternating (previous, then new, on each note) so machine load hits both alike:
 * - previous (`forward`, the default): the decoder before issue 10: `jumpForward: false` (one model
 *   call per generated token) over transformers.js' forward, which hands the whole KV cache back
 *   each call (present.*);
 * - previous (`--previous arena`): the decoder before the shared prompt prefix: the same search
 *   and slot arena, with the prompt's K/V in every beam's slot (a graph with prefix inputs fed
 *   an empty prefix), so the comparison isolates the shared prefix;
 * - new: the default decoder (jump-forward over trie-forced tokens, multi-token calls) with the
 *   cache kept in the decoder's own arena and, on graphs with prefix inputs, the prompt fed once
 *   for all beams (src/decoding/host-kv-step-model.ts), as the CLI and the WASM worker run it.
 * Same policy as the app and the CLI (src/decoding/policy.ts: search to maxDrugs, then cut).
 *
 * `compareDecodes` (pure, unit-tested in bench.test.ts) classifies each note: same final list;
 * else an exact search-score tie or a strictly better / worse search score for the new decoder.
 */
import { Formulary } from '../../src/clinical/formulary.ts';
import type { CDrugRedRecord } from '../../src/clinical/record.ts';
import { PROMPT_SPEC } from '../../src/clinical/prompt.ts';
import { recommendForRecord } from '../../src/decoding/recommend-record.ts';
import { cutSettings, cutTrajectory, searchOptions } from '../../src/decoding/policy.ts';
import { isMain, parseFlags, readRecordsFile } from '../../cli/cli-support.ts';
import { loadModel, readDecodingConfig, resolveModelFolder, type ModelDtype } from '../../cli/model-method.ts';
import { decodingModel } from '../../src/decoding/load-causal-lm.ts';
import type { ForwardModel } from '../../src/decoding/causal-lm.ts';
import { summarize, type Summary } from './stats.ts';

/** One decode as the comparison needs it. */
export interface DecodeSample {
  /** Final list (after the cut), in order. */
  drugs: string[];
  /** Searched trajectory (before the cut), in order. */
  trajectory: string[];
  /** Search score of the best hypothesis. */
  score: number;
  /** Model calls (prompt included). */
  calls: number;
  /** Tokens fed per beam row after the prompt. */
  fedTokens: number;
  ms: number;
}

/** Which decoder the new one is compared with (see the file comment). */
export type PreviousDecoder = 'forward' | 'arena';

export type Verdict = 'same' | 'tie' | 'better' | 'worse';

export interface ComparisonSummary {
  /** What "previous" was (the file comment); absent in reports written before the option. */
  previousDecoder?: PreviousDecoder;
  notes: number;
  /** Notes whose final list is the same set of drugs. */
  sameDrugs: number;
  /** Notes whose searched trajectory is identical (names and order). */
  sameTrajectory: number;
  /** Notes with an identical best search score (bit for bit). */
  sameScore: number;
  verdicts: Record<Verdict, number>;
  previous: { latency: Summary; callsMean: number; tokensPerCall: number };
  next: { latency: Summary; callsMean: number; tokensPerCall: number };
}

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && [...a].sort().join('\u0000') === [...b].sort().join('\u0000');

/** Same final drugs, or why not: an exact score tie, or the new search scored strictly better / worse. */
export function verdict(previous: DecodeSample, next: DecodeSample): Verdict {
  if (sameSet(previous.drugs, next.drugs)) return 'same';
  if (next.score === previous.score) return 'tie';
  return next.score > previous.score ? 'better' : 'worse';
}

export function compareDecodes(pairs: readonly { previous: DecodeSample; next: DecodeSample }[], previousDecoder: PreviousDecoder = 'forward'): ComparisonSummary {
  const verdicts: Record<Verdict, number> = { same: 0, tie: 0, better: 0, worse: 0 };
  for (const p of pairs) verdicts[verdict(p.previous, p.next)]++;
  const side = (pick: (p: { previous: DecodeSample; next: DecodeSample }) => DecodeSample) => {
    const xs = pairs.map(pick);
    const calls = xs.reduce((a, x) => a + x.calls, 0);
    const fed = xs.reduce((a, x) => a + x.fedTokens, 0);
    const stepCalls = calls - xs.length; // calls after the prompt
    return {
      latency: summarize(xs.map((x) => x.ms)),
      callsMean: xs.length ? calls / xs.length : Number.NaN,
      tokensPerCall: stepCalls > 0 ? fed / stepCalls : Number.NaN,
    };
  };
  return {
    previousDecoder,
    notes: pairs.length,
    sameDrugs: verdicts.same,
    sameTrajectory: pairs.filter((p) => p.previous.trajectory.join('\u0000') === p.next.trajectory.join('\u0000')).length,
    sameScore: pairs.filter((p) => p.previous.score === p.next.score).length,
    verdicts,
    previous: side((p) => p.previous),
    next: side((p) => p.next),
  };
}

/** Decode `records` with the previous and the new decoder, alternating per note. */
export async function runDecoderComparison(
  modelDir: string,
  dtype: ModelDtype,
  records: readonly CDrugRedRecord[],
  log: (m: string) => void,
  onPair?: (index: number, pair: { previous: DecodeSample; next: DecodeSample }) => void,
  previous: PreviousDecoder = 'forward',
): Promise<{ pairs: { previous: DecodeSample; next: DecodeSample }[]; summary: ComparisonSummary }> {
  const folder = resolveModelFolder(modelDir, dtype);
  const config = await readDecodingConfig(modelDir);
  const search = searchOptions(config);
  const cut = cutSettings(config);
  const loaded = await loadModel(folder);
  const candidates = Formulary.bundled().names;
  const format = { separator: PROMPT_SPEC.target.separator, end: PROMPT_SPEC.target.end };
  const newModel = decodingModel(loaded);
  if (previous === 'arena' && !loaded.hostKv?.prefixNames) throw new Error('--previous arena needs a graph with shared-prefix inputs');
  const previousModel: ForwardModel =
    previous === 'arena' ? { ...newModel, hostKv: { ...loaded.hostKv!, sharedPrefix: false } } : { ...newModel, hostKv: null };
  const one = async (record: CDrugRedRecord, isNew: boolean): Promise<DecodeSample> => {
    const jumpForward = isNew || previous === 'arena';
    const t0 = performance.now();
    const r = await recommendForRecord({
      model: isNew ? newModel : previousModel,
      tokenizer: loaded.tokenizer,
      record: record as unknown as Record<string, unknown>,
      candidates,
      format,
      options: { ...search, jumpForward },
    });
    const ms = performance.now() - t0;
    return {
      drugs: cutTrajectory(r, cut).map((d) => d.name),
      trajectory: r.trajectory.map((d) => d.name),
      score: r.score,
      calls: r.steps,
      fedTokens: r.fedTokens,
      ms,
    };
  };
  try {
    if (records.length > 0) {
      await one(records[0]!, false); // warm-up, untimed
      await one(records[0]!, true);
    }
    const pairs: { previous: DecodeSample; next: DecodeSample }[] = [];
    let nextLog = 0;
    for (const [i, record] of records.entries()) {
      const previous = await one(record, false);
      const next = await one(record, true);
      pairs.push({ previous, next });
      onPair?.(i, { previous, next });
      if (i + 1 >= nextLog || i + 1 === records.length) {
        log(`decoder comparison: ${i + 1}/${records.length} notes`);
        nextLog = i + 1 + Math.max(1, Math.ceil(records.length / 10));
      }
    }
    return { pairs, summary: compareDecodes(pairs, previous) };
  } finally {
    await loaded.dispose();
  }
}

if (isMain(import.meta.url)) {
  const flags = parseFlags(process.argv.slice(2), {
    notes: { type: 'string' },
    model: { type: 'string' },
    dtype: { type: 'string' },
    file: { type: 'string' },
    offset: { type: 'string' },
    previous: { type: 'string' },
  });
  const previous = ((flags['previous'] as string | undefined) ?? 'forward') as PreviousDecoder;
  if (previous !== 'forward' && previous !== 'arena') throw new Error('--previous takes forward or arena');
  const n = Number(flags['notes'] ?? 30);
  const offset = Number(flags['offset'] ?? 0);
  const file = (flags['file'] as string | undefined) ?? 'data/cohort/test.jsonl';
  const located = await readRecordsFile(file);
  const records = located.slice(offset, offset + n).map((x) => x.record);
  const log = (m: string) => process.stderr.write(`${m}\n`);
  const { pairs, summary } = await runDecoderComparison(
    (flags['model'] as string | undefined) ?? 'models/dischargerx-small',
    ((flags['dtype'] as string | undefined) ?? 'q8') as ModelDtype,
    records,
    log,
    (i, pair) => process.stderr.write(`note ${offset + i}: ${verdict(pair.previous, pair.next)} ${JSON.stringify(pair)}\n`),
    previous,
  );
  process.stdout.write(JSON.stringify({ summary, differing: pairs.flatMap((p, i) => (verdict(p.previous, p.next) === 'same' ? [] : [{ note: offset + i, ...p }])) }, null, 2) + '\n');
  process.exit(0);
}
