/**
 * Registry of prediction methods for `cli/predict.ts`. Each entry is an async factory, so a
 * new method (e.g. a trained `model` loaded from disk) is added by one `registerMethod` call
 * here — the CLI itself does not change. Method-specific settings arrive as `--opt key=value`.
 */
import type { CDrugRedRecord } from '../src/clinical/record.ts';
import type { Formulary } from '../src/clinical/formulary.ts';
import { fitFrequency } from '../src/clinical/baselines/frequency.ts';
import { fitCooccurrence } from '../src/clinical/baselines/cooccurrence.ts';
import { fitMention } from '../src/clinical/baselines/mention.ts';
import { applySafetyToRanked, safetyFormulary } from '../src/clinical/withhold.ts';
import { UsageError } from './cli-support.ts';

export interface MethodContext {
  formulary: Formulary;
  /** Labelled training records (--train); present when the method needs them. */
  train?: CDrugRedRecord[];
  /** Optional labelled dev records (--dev) for tuning. */
  dev?: CDrugRedRecord[];
  /** `--opt key=value` pairs. */
  options: Record<string, string>;
  /** Progress/diagnostics to stderr. */
  log: (message: string) => void;
  /**
   * Safety filter (src/clinical/withhold.ts): drugs the note rules out are never predicted, and
   * one drug per duplication group. Default true for every method; `--no-safety` sets false.
   */
  safety?: boolean;
}

/** A recommender as the CLI sees it: predictions may be async and batched. */
export interface CliRecommender {
  readonly name: string;
  predict(record: CDrugRedRecord): string[] | Promise<string[]>;
  /** Optional faster path for many records (same order as input). */
  predictBatch?(records: readonly CDrugRedRecord[]): Promise<string[][]>;
  /** One-line description of the fitted settings, for the summary. */
  describe?(): string;
}

export interface MethodSpec {
  description: string;
  /** --train is required. */
  needsTrain: boolean;
  /** Option keys accepted via --opt (others are a usage error). */
  options?: readonly string[];
  create(ctx: MethodContext): Promise<CliRecommender>;
}

const registry = new Map<string, MethodSpec>();

export function registerMethod(name: string, spec: MethodSpec): void {
  registry.set(name, spec);
}

export function getMethod(name: string): MethodSpec | undefined {
  return registry.get(name);
}

export function methodNames(): string[] {
  return [...registry.keys()];
}

function numberOpt(options: Record<string, string>, key: string): number | undefined {
  const v = options[key];
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new UsageError(`--opt ${key} must be a number, got "${v}"`);
  return n;
}

/**
 * A baseline with the product's safety policy: withheld drugs dropped and of several drugs of
 * one duplication group only the best-ranked kept — what the model's decoder mask does, so
 * method comparisons are fair. `ctx.safety === false` returns the baseline unchanged.
 */
export function withSafety(rec: CliRecommender, ctx: MethodContext): CliRecommender {
  if (ctx.safety === false) return rec;
  const facts = safetyFormulary(ctx.formulary);
  const filter = (record: CDrugRedRecord, names: string[]) => applySafetyToRanked(record, names, facts).kept;
  const out: CliRecommender = {
    name: rec.name,
    predict: (record) => {
      const r = rec.predict(record);
      return Array.isArray(r) ? filter(record, r) : r.then((names) => filter(record, names));
    },
  };
  const batch = rec.predictBatch;
  if (batch) out.predictBatch = async (records) => (await batch.call(rec, records)).map((names, i) => filter(records[i]!, names));
  const describe = rec.describe;
  out.describe = () => `${describe ? describe.call(rec) + ', ' : ''}safety filter on`;
  return out;
}

function needTrain(ctx: MethodContext): CDrugRedRecord[] {
  if (!ctx.train) throw new UsageError('this method needs --train');
  return ctx.train;
}

registerMethod('frequency', {
  description: 'top-k most frequent training drugs (k = round(mean label size); --opt k=N|mean|tune)',
  needsTrain: true,
  options: ['k'],
  async create(ctx) {
    const kOpt = ctx.options['k'];
    const k = kOpt === undefined || kOpt === 'mean' ? 'mean' : kOpt === 'tune' ? 'tune' : numberOpt(ctx.options, 'k');
    const r = fitFrequency(needTrain(ctx), ctx.formulary, { k, ...(ctx.dev ? { dev: ctx.dev } : {}) });
    return withSafety({ name: r.name, predict: (rec) => r.predict(rec), describe: () => `k=${r.k}` }, ctx);
  },
});

registerMethod('cooccurrence', {
  description: 'diagnosis→drug co-occurrence with a tuned cut-off (--opt cutoff=, minSupport=, combine=max|noisy-or)',
  needsTrain: true,
  options: ['cutoff', 'minSupport', 'combine'],
  async create(ctx) {
    const combine = ctx.options['combine'];
    if (combine !== undefined && combine !== 'max' && combine !== 'noisy-or') {
      throw new UsageError(`--opt combine must be max or noisy-or, got "${combine}"`);
    }
    const cutoff = numberOpt(ctx.options, 'cutoff');
    const minSupport = numberOpt(ctx.options, 'minSupport');
    const r = fitCooccurrence(needTrain(ctx), ctx.formulary, {
      ...(cutoff !== undefined ? { cutoff } : {}),
      ...(minSupport !== undefined ? { minSupport } : {}),
      ...(combine !== undefined ? { combine } : {}),
      ...(ctx.dev ? { dev: ctx.dev } : {}),
    });
    return withSafety({ name: r.name, predict: (rec) => r.predict(rec), describe: () => `cutoff=${r.cutoff}` }, ctx);
  },
});

registerMethod('mention', {
  description: 'candidate drugs mentioned in the note, negation/stop-aware (no training)',
  needsTrain: false,
  options: [],
  async create(ctx) {
    const r = fitMention(ctx.formulary);
    return withSafety({ name: r.name, predict: (rec) => r.predict(rec) }, ctx);
  },
});
