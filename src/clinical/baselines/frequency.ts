/**
 * Frequency baseline: always predict the k most frequent training discharge drugs.
 * k = round(mean label size) by default ('mean'), a fixed number, or 'tune' (the k in
 * 1..maxK maximising the CHIP score on the training — or given dev — records).
 * Ties in frequency are broken by name (code-point order) so output is deterministic.
 */
import type { CDrugRedRecord } from '../record.ts';
import { evaluate } from '../metrics.ts';
import { byCodePoint, canonicalLabels, type DrugLexicon, type Recommender } from './types.ts';

export interface FrequencyOptions {
  k?: number | 'mean' | 'tune';
  /** Records to tune k on (default: the training records). */
  dev?: readonly CDrugRedRecord[];
  maxK?: number;
}

export interface FrequencyRecommender extends Recommender {
  readonly k: number;
  /** Ranked drugs with their training frequency (fraction of visits). */
  readonly ranking: ReadonlyArray<{ name: string; p: number }>;
}

export function fitFrequency(
  train: readonly CDrugRedRecord[],
  lexicon: DrugLexicon,
  options: FrequencyOptions = {},
): FrequencyRecommender {
  const counts = new Map<string, number>();
  let labelled = 0;
  let totalSize = 0;
  for (const r of train) {
    if (r.出院带药列表 === undefined) continue;
    labelled++;
    const labels = canonicalLabels(r.出院带药列表, lexicon);
    totalSize += labels.length;
    for (const d of labels) counts.set(d, (counts.get(d) ?? 0) + 1);
  }
  if (labelled === 0) throw new Error('frequency baseline: no labelled training records (出院带药列表)');
  const ranking = [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || byCodePoint(a[0], b[0]))
    .map(([name, c]) => ({ name, p: c / labelled }));

  let k: number;
  const opt = options.k ?? 'mean';
  if (typeof opt === 'number') k = opt;
  else if (opt === 'mean') k = Math.round(totalSize / labelled);
  else {
    const dev = (options.dev ?? train).filter((r) => r.出院带药列表 !== undefined);
    const gold = new Map(dev.map((r) => [r.就诊标识, r.出院带药列表 ?? []] as const));
    const maxK = Math.min(options.maxK ?? 30, ranking.length);
    let best = -1;
    k = 1;
    for (let cand = 1; cand <= maxK; cand++) {
      const top = ranking.slice(0, cand).map((x) => x.name);
      const pred = new Map(dev.map((r) => [r.就诊标识, top] as const));
      const s = evaluate(gold, pred, { normalize: (n) => lexicon.normalize(n) }).score;
      if (s > best + 1e-12) {
        best = s;
        k = cand;
      }
    }
  }
  k = Math.max(1, Math.min(k, ranking.length));
  const top = ranking.slice(0, k).map((x) => x.name);
  return {
    name: 'frequency',
    k,
    ranking,
    predict: () => [...top],
  };
}
