/**
 * The clinician's list, derived (never stored): the last run re-cut at the current step of the
 * fewer ↔ more control, plus accepted (pinned) drugs, minus removed ones, plus drugs added from
 * the candidate list. Also the exports (numbered text, CHIP JSON) and the candidate search for
 * "add".
 *
 * Shown order is always by confidence (highest first). Generation order matters only inside the
 * decoding policy (the stop rule cuts the trajectory as generated), so it stays in the run and in
 * the re-cut calls, never on screen.
 */
import { applyThresholds } from '../../decoding/threshold.ts';
import { cutTrajectory, type CutSettings } from '../../decoding/policy.ts';
import { suggestDose, type DoseSuggestion } from '../../clinical/dose.ts';
import type { Formulary } from '../../clinical/formulary.ts';
import type { CDrugRedRecord } from '../../clinical/record.ts';
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

/** Highest confidence first; ties keep the run's order (generation / baseline rank). */
export function byConfidence<D extends { score: number }>(drugs: readonly D[]): D[] {
  return drugs
    .map((d, i) => ({ d, i }))
    .sort((a, b) => b.d.score - a.d.score || a.i - b.i)
    .map((x) => x.d);
}

const sameSet = (a: readonly RecommendedDrug[], b: readonly RecommendedDrug[]) =>
  a.length === b.length && a.every((x) => b.some((y) => y.name === x.name));

/**
 * The positions of the fewer ↔ more control, fewest first. Every position shows a different
 * list (sorted by confidence), so every step of the control changes what is on screen.
 *
 * Model (all cuts are the decoding policy's own `cutTrajectory`, with the run's calibrated
 * settings as the default position):
 *  - fewer: the confidence floor rises to each confidence the default list shows, so one step
 *    drops the drug with the lowest shown confidence; the fewest position keeps the single most
 *    confident drug (never the first-generated one);
 *  - more: the stop threshold falls boundary by boundary, so one step admits the next drug the
 *    model proposed after the point where it would have stopped (above the calibrated confidence
 *    floor); then the floor falls over the remaining confidences, one hidden drug (the most
 *    confident) at a time, until the whole searched trajectory is shown.
 * Baseline: a score cut-off over the scores it returned, one distinct score per position.
 */
export interface CutLadder {
  steps: RecommendedDrug[][];
  /** The position of the calibrated default (the model's stop threshold / the baseline's cut-off). */
  defaultIndex: number;
}

export function cutLadder(run: RecommendRun): CutLadder {
  const trajectory = run.ranked.map((d) => ({ ...d, confidence: d.score }));
  const strip = (list: typeof trajectory): RecommendedDrug[] =>
    byConfidence(list.map(({ name, drugClass, score }) => ({ name, drugClass, score })));
  const distinctDesc = (xs: readonly number[]) => [...new Set(xs)].sort((a, b) => b - a);

  if (run.source === 'model' && run.stopProbabilities) {
    const searched = { trajectory, stopProbabilities: run.stopProbabilities };
    const base: CutSettings = { stopThreshold: run.defaultCut, minConfidence: run.minConfidence, minDrugs: run.minDrugs };
    const def = strip(cutTrajectory(searched, base));
    // Fewer: floors at the shown confidences above the lowest, highest floor (fewest) first.
    const fewer = distinctDesc(def.map((d) => d.score))
      .slice(0, -1)
      .map((c) => strip(cutTrajectory(searched, { ...base, minConfidence: Math.max(c, base.minConfidence) })));
    // More: every lower stop threshold at which the policy keeps a longer prefix, then no stop at all.
    const more: RecommendedDrug[][] = [];
    const thresholds = distinctDesc([
      ...run.stopProbabilities.slice(0, trajectory.length).map((p) => 1 - p),
      0,
    ]).filter((t) => t < base.stopThreshold);
    for (const t of thresholds) more.push(strip(cutTrajectory(searched, { ...base, stopThreshold: t })));
    // …then, with no stop, the calibrated floor falls over the remaining confidences, so "more"
    // can reach every drug the search returned, the most confident hidden one first.
    const below = distinctDesc(trajectory.map((d) => d.confidence)).filter((c) => c < base.minConfidence);
    for (const c of below) more.push(strip(cutTrajectory(searched, { ...base, stopThreshold: 0, minConfidence: c })));
    return dedupe([...fewer, def, ...more], fewer.length);
  }
  // Baseline: drugs scoring ≥ cut-off, at least the top one (as the recommender's predict()).
  const at = (c: number) => strip(applyThresholds(trajectory, [], { minConfidence: c, minDrugs: 1 }));
  const scores = distinctDesc(trajectory.map((d) => d.score));
  const steps = scores.map(at);
  const def = at(run.defaultCut);
  const index = steps.findIndex((s) => sameSet(s, def));
  return dedupe(steps, index < 0 ? 0 : index);
}

/** Drops positions that show the same drugs as their neighbour, keeping track of the default. */
function dedupe(steps: RecommendedDrug[][], defaultIndex: number): CutLadder {
  const out: RecommendedDrug[][] = [];
  let index = 0;
  steps.forEach((s, i) => {
    const prev = out[out.length - 1];
    if (prev && sameSet(prev, s)) {
      if (i === defaultIndex) index = out.length - 1;
      return;
    }
    out.push(s);
    if (i === defaultIndex) index = out.length - 1;
  });
  return { steps: out, defaultIndex: index };
}

/** The drugs one position shows; `offset` counts steps from the default (negative = fewer), clamped. */
export function atStep(ladder: CutLadder, offset: number): { drugs: RecommendedDrug[]; index: number } {
  const index = Math.min(ladder.steps.length - 1, Math.max(0, ladder.defaultIndex + offset));
  return { drugs: ladder.steps[index] ?? [], index };
}

/** What one step toward fewer / more would change, so the control's effect can be read before moving it. */
export function stepPreview(ladder: CutLadder, index: number): { fewer: RecommendedDrug[] | null; more: RecommendedDrug[] | null } {
  const here = ladder.steps[index] ?? [];
  const diff = (a: readonly RecommendedDrug[], b: readonly RecommendedDrug[]) => a.filter((x) => !b.some((y) => y.name === x.name));
  const lower = ladder.steps[index - 1];
  const upper = ladder.steps[index + 1];
  return { fewer: lower ? diff(here, lower) : null, more: upper ? byConfidence(diff(upper, here)) : null };
}

/**
 * The final list: the drugs at this control position, plus accepted (pinned) drugs, minus removed
 * ones, sorted by confidence; then drugs the clinician added, in the order added.
 */
export function finalList(run: RecommendRun, kept: readonly RecommendedDrug[], d: Decisions, formulary: Formulary): ListEntry[] {
  const recommended: ListEntry[] = [];
  const seen = new Set<string>();
  const push = (drug: RecommendedDrug, origin: ListEntry['origin'], into: ListEntry[]) => {
    if (seen.has(drug.name) || d.removed.includes(drug.name)) return;
    seen.add(drug.name);
    into.push({ ...drug, origin, accepted: d.accepted.includes(drug.name) });
  };
  for (const drug of kept) push(drug, 'recommended', recommended);
  for (const name of d.accepted) {
    const r = run.ranked.find((x) => x.name === name);
    if (r) push(r, 'recommended', recommended);
  }
  const added: ListEntry[] = [];
  for (const name of d.added) {
    const r = run.ranked.find((x) => x.name === name);
    push({ name, drugClass: formulary.get(name)?.class ?? r?.drugClass ?? '', score: r?.score ?? 0 }, 'added', added);
  }
  return [...byConfidence(recommended), ...added];
}

/**
 * The dose of each drug on the final list (clinical/dose.ts `suggestDose`: the note's dose for a
 * continued drug, else the marked default). The one source for the screen, the text export and
 * the print sheet, so all three show the same dose.
 */
export function listDoses(list: readonly Pick<ListEntry, 'name'>[], record: CDrugRedRecord, formulary: Formulary): Map<string, DoseSuggestion> {
  return new Map(list.map((d) => [d.name, suggestDose(d.name, record, formulary)]));
}

/**
 * "1. 二甲双胍（双胍类） 0.5g tid" lines, for the clipboard. `doseOf` gives the dose as the screen
 * shows it (already marked when it is a default), '' for none.
 */
export function exportText(list: readonly Pick<ListEntry, 'name' | 'drugClass'>[], doseOf: (name: string) => string = () => ''): string {
  return list
    .map((x, i) => {
      const dose = doseOf(x.name);
      return `${i + 1}. ${x.name}${x.drugClass ? `（${x.drugClass}）` : ''}${dose ? ` ${dose}` : ''}`;
    })
    .join('\n');
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
