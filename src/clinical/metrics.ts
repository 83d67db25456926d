/**
 * CHIP 2025 Task 2 style evaluation of discharge-drug predictions.
 *
 * For every GOLD visit (predictions for ids absent from gold are ignored but counted in
 * `extra_ids`; a gold visit without a prediction is scored as an empty prediction):
 *   G = set of normalised gold names, P = set of normalised predicted names
 *   jaccard = |G∩P| / |G∪P|,  precision = |G∩P| / |P|,  recall = |G∩P| / |G|,
 *   f1 = 2·p·r / (p + r)  (0 when p + r = 0)
 * Empty-set conventions: G and P both empty → all four metrics 1 (a correct "no drugs");
 * exactly one of them empty → all four 0.
 * Metrics are macro-averaged over gold visits; score = (jaccard + f1) / 2.
 *
 * Normalisation: each name goes through `normalize` (the Formulary's); when it returns null
 * the trimmed raw name is kept, so a non-candidate prediction still counts as a false
 * positive and a non-candidate gold drug as a miss (counted in unknown_pred / unknown_gold).
 * Sets are de-duplicated after normalisation (二甲双胍片 + 盐酸二甲双胍 count once).
 *
 * Two score kinds (`evaluateExactAndNormalised`):
 *   exact      — without `normalize`: names compared as exact strings after trimming, as the
 *                official CHIP 2025 / CDrugRed scorer compares them (氨氯地平 ≠ 氨氯地平片). The
 *                official script is not public; we assume it also de-duplicates each list (sets)
 *                and scores a visit with empty gold and empty prediction as 1 (the conventions
 *                above; the official data has no visit with an empty label). This is the headline.
 *   normalised — with the candidate list's `normalize`: spelling variants count as one drug.
 *
 * Browser-safe: no Node imports.
 */

export type Normalize = (name: string) => string | null;

export interface SetScores {
  jaccard: number;
  precision: number;
  recall: number;
  f1: number;
}

export interface DrugStats {
  name: string;
  /** Gold visits containing the drug. */
  support: number;
  /** Visits where it was predicted. */
  predicted: number;
  tp: number;
  precision: number;
  recall: number;
  f1: number;
}

export interface EvaluationResult {
  n: number;
  jaccard: number;
  precision: number;
  recall: number;
  f1: number;
  score: number;
  mean_pred: number;
  mean_gold: number;
  /** Prediction ids not present in gold (ignored). */
  extra_ids: number;
  /** Gold ids with no prediction entry (scored as empty predictions). */
  missing_ids: number;
  /** Names `normalize` did not recognise (kept raw). */
  unknown_gold: number;
  unknown_pred: number;
  /** Per-drug stats, most-supported first; only with options.perDrug. */
  per_drug?: DrugStats[];
}

export interface EvaluateOptions {
  normalize?: Normalize;
  perDrug?: boolean;
}

type Labels = ReadonlyMap<string, readonly string[]> | Iterable<readonly [string, readonly string[]]>;

function toMap(x: Labels): Map<string, readonly string[]> {
  return x instanceof Map ? (x as Map<string, readonly string[]>) : new Map(x as Iterable<[string, readonly string[]]>);
}

/** Normalise + de-duplicate a list; returns the set and how many names were unknown. */
export function normalizeSet(names: readonly string[], normalize?: Normalize): { set: Set<string>; unknown: number } {
  const set = new Set<string>();
  let unknown = 0;
  for (const raw of names) {
    const t = raw.trim();
    if (!t) continue;
    let n: string | null = t;
    if (normalize) {
      n = normalize(t);
      if (n === null) {
        unknown++;
        n = t;
      }
    }
    set.add(n);
  }
  return { set, unknown };
}

/** Per-visit scores with the empty-set conventions above. */
export function scoreSets(gold: ReadonlySet<string>, pred: ReadonlySet<string>): SetScores {
  if (gold.size === 0 && pred.size === 0) return { jaccard: 1, precision: 1, recall: 1, f1: 1 };
  if (gold.size === 0 || pred.size === 0) return { jaccard: 0, precision: 0, recall: 0, f1: 0 };
  let tp = 0;
  for (const p of pred) if (gold.has(p)) tp++;
  const precision = tp / pred.size;
  const recall = tp / gold.size;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { jaccard: tp / (gold.size + pred.size - tp), precision, recall, f1 };
}

/** Evaluate predictions against gold labels (both keyed by 就诊标识). */
export function evaluate(gold: Labels, predictions: Labels, options: EvaluateOptions = {}): EvaluationResult {
  const g = toMap(gold);
  const p = toMap(predictions);
  const { normalize } = options;
  let j = 0, pr = 0, rc = 0, f = 0, sp = 0, sg = 0;
  let missing = 0, unknownGold = 0, unknownPred = 0;
  const drugs = new Map<string, { support: number; predicted: number; tp: number }>();
  const stat = (name: string) => {
    let s = drugs.get(name);
    if (!s) drugs.set(name, (s = { support: 0, predicted: 0, tp: 0 }));
    return s;
  };

  for (const [id, goldNames] of g) {
    const predNames = p.get(id);
    if (predNames === undefined) missing++;
    const G = normalizeSet(goldNames, normalize);
    const P = normalizeSet(predNames ?? [], normalize);
    unknownGold += G.unknown;
    unknownPred += P.unknown;
    const s = scoreSets(G.set, P.set);
    j += s.jaccard;
    pr += s.precision;
    rc += s.recall;
    f += s.f1;
    sp += P.set.size;
    sg += G.set.size;
    if (options.perDrug) {
      for (const d of G.set) stat(d).support++;
      for (const d of P.set) {
        const st = stat(d);
        st.predicted++;
        if (G.set.has(d)) st.tp++;
      }
    }
  }
  let extra = 0;
  for (const id of p.keys()) if (!g.has(id)) extra++;

  const n = g.size;
  const avg = (x: number) => (n === 0 ? 0 : x / n);
  const result: EvaluationResult = {
    n,
    jaccard: avg(j),
    precision: avg(pr),
    recall: avg(rc),
    f1: avg(f),
    score: avg((j + f) / 2),
    mean_pred: avg(sp),
    mean_gold: avg(sg),
    extra_ids: extra,
    missing_ids: missing,
    unknown_gold: unknownGold,
    unknown_pred: unknownPred,
  };
  if (options.perDrug) {
    result.per_drug = [...drugs.entries()]
      .map(([name, s]) => {
        const precision = s.predicted === 0 ? 0 : s.tp / s.predicted;
        const recall = s.support === 0 ? 0 : s.tp / s.support;
        const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
        return { name, support: s.support, predicted: s.predicted, tp: s.tp, precision, recall, f1 };
      })
      .sort((a, b) => b.support - a.support || b.predicted - a.predicted || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }
  return result;
}

/** Both score kinds over the same visits: exact (no normalisation, the official one) and normalised. */
export function evaluateExactAndNormalised(
  gold: Labels,
  predictions: Labels,
  options: EvaluateOptions & { normalize: Normalize },
): { exact: EvaluationResult; normalised: EvaluationResult } {
  const g = toMap(gold);
  const p = toMap(predictions);
  const { normalize, ...rest } = options;
  return { exact: evaluate(g, p, rest), normalised: evaluate(g, p, { ...rest, normalize }) };
}

/** Round every number to `digits` decimals (for printing). */
export function roundMetrics<T extends object>(m: T, digits = 4): T {
  const k = 10 ** digits;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(m)) out[key] = typeof v === 'number' ? Math.round(v * k) / k : v;
  return out as T;
}
