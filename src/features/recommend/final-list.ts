/**
 * The clinician's list, derived (never stored): the last run re-thresholded at the current cut,
 * plus accepted (pinned) drugs, minus removed ones, plus drugs added from the candidate list.
 * Also the exports (numbered text, CHIP JSON) and the candidate search for "add".
 */
import { applyThresholds } from '../../decoding/threshold.ts';
import type { Formulary } from '../../clinical/formulary.ts';
import type { RecommendedDrug, RecommendRun } from '../../state/note-store.ts';

export interface ListEntry extends RecommendedDrug {
  origin: 'recommended' | 'added';
  accepted: boolean;
  /** Model/baseline score; 0 for a drug the clinician added that the run did not score. */
  score: number;
}

export interface Decisions {
  accepted: readonly string[];
  removed: readonly string[];
  added: readonly string[];
}

/** The run's drugs kept at `cut` (model: stop threshold; baseline: score cut-off). */
export function thresholded(run: RecommendRun, cut: number): RecommendedDrug[] {
  const withConfidence = run.ranked.map((d) => ({ ...d, confidence: d.score }));
  const strip = (list: typeof withConfidence): RecommendedDrug[] => list.map(({ name, drugClass, score }) => ({ name, drugClass, score }));
  if (run.source === 'model' && run.stopProbabilities) {
    return strip(applyThresholds(withConfidence, run.stopProbabilities, {
      stopThreshold: cut,
      minConfidence: run.minConfidence,
      minDrugs: run.minDrugs,
    }));
  }
  // Baseline: drugs scoring ≥ cut-off, at least the top one (as the recommender's predict()).
  return strip(applyThresholds(withConfidence, [], { minConfidence: cut, minDrugs: 1 }));
}

export function finalList(run: RecommendRun, cut: number, d: Decisions, formulary: Formulary): ListEntry[] {
  const kept = thresholded(run, cut);
  const out: ListEntry[] = [];
  const seen = new Set<string>();
  const push = (drug: RecommendedDrug, origin: ListEntry['origin']) => {
    if (seen.has(drug.name) || d.removed.includes(drug.name)) return;
    seen.add(drug.name);
    out.push({ ...drug, origin, accepted: d.accepted.includes(drug.name) });
  };
  for (const drug of kept) push(drug, 'recommended');
  for (const name of d.accepted) {
    const r = run.ranked.find((x) => x.name === name);
    if (r) push(r, 'recommended');
  }
  for (const name of d.added) {
    const r = run.ranked.find((x) => x.name === name);
    push({ name, drugClass: formulary.get(name)?.class ?? r?.drugClass ?? '', score: r?.score ?? 0 }, 'added');
  }
  return out;
}

/** "1. 二甲双胍（双胍类）" lines, for the clipboard. */
export function exportText(list: readonly Pick<ListEntry, 'name' | 'drugClass'>[]): string {
  return list.map((x, i) => `${i + 1}. ${x.name}${x.drugClass ? `（${x.drugClass}）` : ''}`).join('\n');
}

/** The CHIP 2025 Task 2 submission format for this one visit. */
export function chipJson(visitId: string, list: readonly Pick<ListEntry, 'name'>[]): string {
  return JSON.stringify([{ ID: visitId, prediction: list.map((x) => x.name) }], null, 2);
}

/**
 * Candidates matching a query: the drug `normalize()` maps it to first (trade names, salts,
 * dosage forms: 拜糖平 → 阿卡波糖), then names, then aliases containing it. No free text: only
 * formulary names come back.
 */
export function searchCandidates(query: string, formulary: Formulary, limit = 8): string[] {
  const q = query.trim();
  if (q === '') return [];
  const ql = q.normalize('NFKC').toLowerCase();
  const out: string[] = [];
  const push = (n: string) => {
    if (!out.includes(n) && out.length < limit) out.push(n);
  };
  const exact = formulary.normalize(q);
  if (exact) push(exact);
  for (const d of formulary.drugs) if (d.name.toLowerCase().includes(ql)) push(d.name);
  for (const d of formulary.drugs) if (d.aliases.some((a) => a.normalize('NFKC').toLowerCase().includes(ql))) push(d.name);
  return out;
}
