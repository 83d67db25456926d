/**
 * The batch scoring loop, free of React, zustand and the engine so it can be unit-tested with a
 * fake recommend function.
 *
 * Rows are made strictly in input order. Up to `concurrency` records are in flight at once (1 by
 * default): with an engine pool (src/engine/engine-pool.ts) every worker decodes its own record
 * while the page turns an earlier answer into a row. For each record the runner keeps only what
 * the results need — the visit id, the predicted names, the gold names (when labelled) and the
 * per-visit scores — never the prompt, the model output object or any tensor.
 *
 * - Cancel: `signal` is checked before every record is sent and passed to `recommend`, so a cancel
 *   stops within the records in flight; those are dropped, every finished row is kept.
 * - An error on one record becomes an error row (empty prediction, `error` set) and the batch
 *   goes on. In the submission and the metrics such a row counts as an empty prediction, which
 *   is exactly how `npm run evaluate` scores a visit missing from a submission.
 *
 * Browser-safe: no Node imports.
 */
import { evaluateExactAndNormalised, normalizeSet, scoreSets, type DrugStats, type Normalize } from '../../clinical/metrics.ts';
import type { CDrugRedRecord } from '../../clinical/record.ts';
import { serializeSubmission, toSubmission } from '../../clinical/submission.ts';
import type { BatchMetrics, BatchRow, ScoreSummary } from '../../state/batch-types.ts';
import { yieldToEvents } from '../../event-loop.ts';
import { Formulary } from '../../clinical/formulary.ts';
import { withheldDrugs } from '../../clinical/withhold.ts';

export type { BatchMetrics, BatchRow, ScoreSummary };


/** What one record's recommendation gives the batch: the drugs, and the drugs withheld for safety. */
export interface BatchRecommendation {
  drugs: readonly string[];
  withheld: readonly { drug: string; reason: string }[];
}
export type RecommendFn = (
  record: CDrugRedRecord,
  signal: AbortSignal,
) => Promise<readonly string[] | BatchRecommendation> | readonly string[] | BatchRecommendation;

export interface RunBatchOptions {
  records: readonly CDrugRedRecord[];
  recommend: RecommendFn;
  signal: AbortSignal;
  normalize?: Normalize;
  /**
   * Records sent to `recommend` before the oldest one's row is made (default 1: one at a time).
   * Rows still arrive in input order, whatever order the answers come back in.
   */
  concurrency?: number;
  /** Called after each finished record (rows arrive in input order). */
  onRow: (row: BatchRow, done: number, total: number) => void;
  /**
   * Lets the page breathe between records (paint, cancel clicks). Called when more than
   * `sliceMs` has passed since the last yield. Default: a MessageChannel macrotask.
   */
  yieldToPage?: () => Promise<void>;
  sliceMs?: number;
  now?: () => number;
}

export interface RunBatchOutcome {
  status: 'done' | 'cancelled';
  done: number;
  errors: number;
}


function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message || e.name;
  return String(e);
}

/** Scores one visit (null scores without a label). */
export function scoreRow(predicted: readonly string[], gold: readonly string[] | null, normalize?: Normalize): { jaccard: number | null; f1: number | null } {
  if (gold === null) return { jaccard: null, f1: null };
  const s = scoreSets(normalizeSet(gold, normalize).set, normalizeSet(predicted, normalize).set);
  return { jaccard: s.jaccard, f1: s.f1 };
}

type Answer = { ok: true; out: Awaited<ReturnType<RecommendFn>> } | { ok: false; error: unknown };

export async function runBatch(options: RunBatchOptions): Promise<RunBatchOutcome> {
  const { records, recommend, signal, normalize, onRow } = options;
  const yieldToPage = options.yieldToPage ?? yieldToEvents;
  const sliceMs = options.sliceMs ?? 12;
  const now = options.now ?? (() => (typeof performance !== 'undefined' ? performance.now() : Date.now()));
  const concurrency = Math.max(1, Math.floor(options.concurrency ?? 1));
  const total = records.length;
  let done = 0;
  let errors = 0;
  let lastYield = now();
  // Answers of the records sent so far, oldest first; each settles to an Answer (never rejects,
  // so the ones still in flight at a cancel leave no unhandled rejection behind).
  const inFlight: Promise<Answer>[] = [];
  let sent = 0;
  const send = () => {
    const record = records[sent++] as CDrugRedRecord;
    inFlight.push(
      Promise.resolve()
        .then(() => recommend(record, signal))
        .then(
          (out): Answer => ({ ok: true, out }),
          (error: unknown): Answer => ({ ok: false, error }),
        ),
    );
  };
  for (let i = 0; i < total; i++) {
    if (signal.aborted) return { status: 'cancelled', done, errors };
    while (sent < total && sent < i + concurrency) send();
    const record = records[i] as CDrugRedRecord;
    const gold = record.出院带药列表 ? [...record.出院带药列表] : null;
    let predicted: string[] = [];
    let withheld: { drug: string; reason: string }[] = [];
    let error: string | null = null;
    const answer = (await inFlight.shift()) as Answer;
    if (answer.ok) {
      const out = answer.out;
      const list = 'drugs' in out ? out.drugs : (out as readonly string[]);
      predicted = list.map(String);
      if ('withheld' in out) withheld = out.withheld.map((w) => ({ drug: w.drug, reason: w.reason }));
    } else {
      if (signal.aborted) return { status: 'cancelled', done, errors };
      error = errorMessage(answer.error);
      errors++;
    }
    if (signal.aborted) return { status: 'cancelled', done, errors };
    // Dedupe like the submission does, so the table, the file and the scores agree.
    predicted = toSubmission([{ id: record.就诊标识, drugs: predicted }])[0]?.prediction ?? [];
    const { jaccard, f1 } = scoreRow(predicted, gold, normalize);
    done++;
    // The same count as model-report's "safety rule hits": predicted drugs the rules withhold for this note.
    const ruleHits = predicted.length ? withheldDrugs(record, predicted, Formulary.bundled()).map((w) => w.drug) : [];
    onRow({ index: i, id: record.就诊标识, predicted, gold, jaccard, f1, error, withheld, ruleHits }, done, total);
    if (now() - lastYield >= sliceMs) {
      await yieldToPage();
      lastYield = now();
    }
  }
  return { status: 'done', done, errors };
}

/**
 * Metrics over the finished rows, computed by the same scorer as `npm run evaluate` (same
 * averaging and empty-set conventions): exact at the top level, as `npm run evaluate`'s
 * top-level keys, and normalised (with `normalize`) beside them. Null when any row is unlabelled.
 */
export function computeMetrics(rows: readonly BatchRow[], normalize?: Normalize, topDrugs = 20): BatchMetrics | null {
  if (rows.length === 0 || rows.some((r) => r.gold === null)) return null;
  const gold = new Map(rows.map((r) => [r.id, r.gold ?? []] as const));
  const pred = new Map(rows.map((r) => [r.id, r.predicted] as const));
  const { exact: m, normalised: nm } = evaluateExactAndNormalised(gold, pred, { normalize: normalize ?? ((x) => x), perDrug: true });
  return {
    n: m.n,
    jaccard: m.jaccard,
    precision: m.precision,
    recall: m.recall,
    f1: m.f1,
    score: m.score,
    meanPred: m.mean_pred,
    meanGold: m.mean_gold,
    ratio: m.mean_gold === 0 ? 0 : m.mean_pred / m.mean_gold,
    normalised: normalize ? { jaccard: nm.jaccard, precision: nm.precision, recall: nm.recall, f1: nm.f1, score: nm.score } : null,
    perDrug: ((normalize ? nm : m).per_drug ?? []).slice(0, topDrugs),
  };
}

/** The CHIP submission file for the finished rows (input order; error rows as empty lists). */
export function submissionText(rows: readonly BatchRow[]): string {
  return serializeSubmission(toSubmission(rows.map((r) => ({ id: r.id, drugs: r.predicted }))));
}

/** Estimated seconds left from the mean time per finished record; null before the first one. */
export function etaSeconds(done: number, total: number, elapsedMs: number): number | null {
  if (done <= 0 || elapsedMs <= 0) return null;
  return ((elapsedMs / done) * (total - done)) / 1000;
}
