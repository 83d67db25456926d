/**
 * Evidence fusion: the final list weighs the model's searched list against what the note itself
 * says about each drug, with a small logistic model fitted on labelled synthetic dev visits
 * (`npm run fit-fusion`, weights in the model folder's fusion.json). Besides each drug's own
 * evidence it sees how the note documents the regimen (a stated discharge plan; how many drugs
 * it names), because a drug the note leaves out means more in a note that names everything, and
 * whether the note plans the drug's class without naming a drug of it ("加用SGLT2抑制剂").
 *
 * Why: the language model sees each drug's final status in its prompt (【用药】 出院:/在用:/停用:),
 * but a 2.6M-parameter model trained on one generator learns how much that generator's mentions
 * mean, not how much a chart's do. A drug the note puts in its discharge plan can be missing from
 * the search, and a stopped or denied one can still be in it. The fusion makes the weight of each
 * piece of evidence an explicit, inspectable number, fitted on data (never on the hand-written
 * evaluation set), and it can bring in a named drug the search did not reach, or the usual drug
 * of a class the note plans.
 *
 * The output is again a trajectory with stop probabilities, so the one cut (policy.ts →
 * applyThresholds) applies unchanged: drugs sorted by fused probability p, and
 * stopProbabilities[k] = 1 − p_k, so "continue while 1 − stop ≥ t" keeps exactly the drugs with
 * p ≥ t. Calibration sweeps t as before; the page's fewer ↔ more control moves t over the shown
 * numbers. Pure: no I/O, no model calls.
 */
import * as v from 'valibot';
import { takenOrPlanned, type MentionStatus } from '../clinical/baselines/mention.ts';
import { isUnsupportedArea } from '../clinical/area-support.ts';
import type { TherapeuticArea } from '../clinical/formulary-types.ts';
import { describeIssues, FormatError } from '../model-folder/format.ts';
import { maskGroupsAt, type CandidateMask, type DecodedDrug } from './types.ts';
import { SiteSchema, type SiteProvenance } from './decoding-config.ts';

export const FUSION_FILE = 'fusion.json';
export const FUSION_VERSION = 'dischargerx-fusion-4';

/** The features, in the order of `FusionWeights.weights`. */
export const FUSION_FEATURES = [
  'searched',
  'modelLogit',
  'reachLog',
  'status:discharge',
  'status:positive',
  'status:stopped',
  'status:inpatient',
  'status:negated',
  'status:past',
  'searched×status:positive',
  'planElsewhere',
  'unnamed×namedCount',
  'classPlanned',
  'unnamed×areaUnsupported',
  'unnamed×areaNamed',
] as const;
export type FusionFeature = (typeof FUSION_FEATURES)[number];

export interface FusionWeights {
  version: string;
  features: readonly string[];
  weights: readonly number[];
  bias: number;
  /** Where the weights were fitted (provenance, shown in the model report). */
  fittedOn?: { file: string; visits: number; dtype: string; l2: number; logLoss: number; site?: SiteProvenance };
  /**
   * The cut calibrated on the same visits for the search alone (no fusion), so a report can show
   * the language model by itself next to the fused list, each at its own best cut.
   */
  searchCut?: { stopThreshold: number; minConfidence: number; score: number; ratio: number };
}

/** Where a fused drug's support comes from, for the screen and the report. */
export type FusedSource = 'model' | 'note' | 'model+note';

export interface FusedDrug extends DecodedDrug {
  /** Fused probability that the drug belongs on the discharge list. */
  confidence: number;
  /** The language model's own confidence when its search reached the drug, else null. */
  modelConfidence: number | null;
  /** The note's final statement about the drug, when it names it. */
  noteStatus: MentionStatus | null;
  source: FusedSource;
}

export interface FusionInput {
  /** The model's full search (stopThreshold 0): drugs in order, with stop probabilities. */
  trajectory: readonly DecodedDrug[];
  stopProbabilities: readonly number[];
  /** Each drug the note names, with its final status (src/clinical/prompt.ts mentionStatuses). */
  statuses: ReadonlyMap<string, MentionStatus>;
  /** The names the search may write (the trie's index space). */
  candidates: readonly string[];
  /** Safety mask: blocked names never enter; one name per duplication group. */
  mask?: CandidateMask | undefined;
  /**
   * Classes the note plans without naming a drug of them ("加用SGLT2抑制剂"; src/clinical/class-plans.ts
   * openClassPlans), and the prophylaxis a drug the note starts implies (src/clinical/implied-drugs.ts):
   * each one's drugs and its usual drug. Absent = none.
   */
  classPlans?: readonly { drugs: readonly string[]; usual: string }[] | undefined;
  /**
   * Each drug's therapeutic area and the areas the note gives a reason for
   * (src/clinical/area-support.ts). Absent = every area counts as supported.
   */
  areas?: { of: (name: string) => TherapeuticArea | undefined; supported: ReadonlySet<TherapeuticArea> } | undefined;
  /**
   * Drugs the note leaves no room for as unnamed suggestions (src/clinical/unsuggested.ts): a
   * searched drug in it that the note does not name is left out. Absent = none.
   */
  unsuggested?: ReadonlySet<string> | undefined;
  /**
   * The drugs of the note's complete explicit discharge list (src/clinical/discharge-list.ts): when
   * present, nothing else enters, named or not. Absent or null = the note has none.
   */
  completeList?: ReadonlySet<string> | null | undefined;
  /**
   * Searched drugs the note never names that stand for their class's usual drug
   * (src/clinical/class-words.ts `unnamedPicks`): the fusion weighs the usual drug in their place.
   * Absent = none.
   */
  unnamedPicks?: ReadonlyMap<string, string> | undefined;
}

const LOGIT_CLAMP = 8;

function logit(p: number): number {
  const q = Math.min(1 - 1e-6, Math.max(1e-6, p));
  return Math.max(-LOGIT_CLAMP, Math.min(LOGIT_CLAMP, Math.log(q / (1 - q))));
}

/** A drug's features for the fusion, and what it came from. */
export interface FusionRow {
  name: string;
  index: number;
  x: number[];
  modelConfidence: number | null;
  noteStatus: MentionStatus | null;
  /**
   * A planned class's usual drug that the search reached and the note says nothing else about: its
   * features as a note row (not searched), weighed too (RULE-1209i, `fuse`).
   */
  xAsPlanned?: number[];
}

/** One feature vector per drug that the search reached, the note names, or a class plan brings in. */
export function fusionRows(input: FusionInput): FusionRow[] {
  const indexOf = new Map(input.candidates.map((c, i) => [c, i] as const));
  const blocked = new Set(input.mask?.blocked ?? []);
  const rows: FusionRow[] = [];
  const seen = new Set<string>();
  let reach = 0;
  const stops = input.stopProbabilities;
  // How the note documents the regimen: does it state a discharge plan, and how many drugs does
  // it name as taken or planned? A drug outside a stated plan, or unnamed in a note that names
  // many, is less likely than the same drug in a note that says little.
  const named = [...input.statuses.values()].filter(takenOrPlanned).length;
  const plans = input.classPlans ?? [];
  const areaOf = input.areas?.of ?? (() => undefined);
  const namedAreas = new Map<TherapeuticArea, Set<string>>();
  for (const [name, s] of input.statuses) {
    const a = areaOf(name);
    if (a === undefined || !takenOrPlanned(s)) continue;
    namedAreas.set(a, (namedAreas.get(a) ?? new Set()).add(name));
  }
  const note: NoteContext = {
    hasPlan: [...input.statuses.values()].includes('discharge'),
    namedLog: Math.log1p(named),
    classPlanned: new Set(plans.map((p) => p.usual)),
    areaUnsupported: (n) => {
      const a = areaOf(n);
      return a !== undefined && input.areas !== undefined && isUnsupportedArea(a, input.areas.supported);
    },
    areaNamed: (n) => {
      const a = areaOf(n);
      return a !== undefined && [...(namedAreas.get(a) ?? [])].some((other) => other !== n);
    },
  };
  // A suggestion the note leaves no room for is the model's prior, not the note (it still counts for the reach).
  // Outside a complete discharge list nothing goes home (LABELLING.md §1 rule 1).
  const unlisted = (name: string): boolean => input.completeList != null && !input.completeList.has(name);
  const leftOut = (name: string): boolean => unlisted(name) || (input.unsuggested?.has(name) === true && !input.statuses.has(name));
  /** The drug a searched one stands for: its class's usual drug where the note names none of the class. */
  const standsFor = (name: string): { name: string; index: number } | null => {
    const usual = input.statuses.has(name) ? undefined : input.unnamedPicks?.get(name);
    const index = usual === undefined ? undefined : indexOf.get(usual);
    return usual === undefined || index === undefined || blocked.has(index) ? null : { name: usual, index };
  };
  input.trajectory.forEach((d, k) => {
    // log P(the list goes on to drug k): every boundary before it chose to continue.
    reach += Math.log(Math.max(1e-6, 1 - (stops[k] ?? 0)));
    const { name, index } = standsFor(d.name) ?? d;
    if (seen.has(name) || leftOut(name)) return;
    seen.add(name);
    const status = input.statuses.get(name) ?? null;
    const row: FusionRow = { name, index, x: features(name, true, d.confidence, reach, status, note), modelConfidence: d.confidence, noteStatus: status };
    if (status === null && note.classPlanned.has(name)) row.xAsPlanned = features(name, false, 0, 0, null, note);
    rows.push(row);
  });
  for (const [name, status] of input.statuses) {
    if (seen.has(name) || unlisted(name)) continue;
    const index = indexOf.get(name);
    if (index === undefined || blocked.has(index)) continue;
    // A drug the search never reached joins only on the note's positive word for it.
    if (!takenOrPlanned(status)) continue;
    rows.push({ name, index, x: features(name, false, 0, 0, status, note), modelConfidence: null, noteStatus: status });
    seen.add(name);
  }
  // A planned class's usual drug joins when the search did not reach it, unless the note says
  // anything else about that drug (a stopped or denied one stays out) or the safety plan blocks it.
  // Ward use is no word against the home plan ("予呋塞米注射液静推" … "出院后加用袢利尿剂口服").
  for (const plan of plans) {
    const status = input.statuses.get(plan.usual) ?? null;
    if (seen.has(plan.usual) || unlisted(plan.usual) || (status !== null && status !== 'inpatient')) continue;
    const index = indexOf.get(plan.usual);
    if (index === undefined || blocked.has(index)) continue;
    seen.add(plan.usual);
    rows.push({ name: plan.usual, index, x: features(plan.usual, false, 0, 0, status, note), modelConfidence: null, noteStatus: status });
  }
  return rows;
}

interface NoteContext {
  hasPlan: boolean;
  namedLog: number;
  classPlanned: ReadonlySet<string>;
  /** The note gives no reason for the drug's therapeutic area (no diagnosis, finding or lab of it). */
  areaUnsupported: (name: string) => boolean;
  /** The note names another drug of the drug's area as taken or planned. */
  areaNamed: (name: string) => boolean;
}

function features(name: string, searched: boolean, confidence: number, reach: number, status: MentionStatus | null, note: NoteContext): number[] {
  const s = (v: MentionStatus) => (status === v ? 1 : 0);
  const named = takenOrPlanned(status);
  return [
    searched ? 1 : 0,
    searched ? logit(confidence) : 0,
    searched ? reach : 0,
    s('discharge'),
    s('positive'),
    s('stopped'),
    s('inpatient'),
    s('negated'),
    s('past'),
    searched && status === 'positive' ? 1 : 0,
    note.hasPlan && status !== 'discharge' ? 1 : 0,
    named ? 0 : note.namedLog,
    // The note plans the drug's class and names no drug of it: the plan is evidence for the class's
    // usual drug (the ward default, or the one the note's facts call for: class-plans.ts), not for
    // the model's other pick of the class, which stays a suggestion on its own evidence. Measured:
    // usual-first beat the model's pick on synthetic and hand-written dev notes alike.
    note.classPlanned.has(name) ? 1 : 0,
    // An unnamed drug is the model's suggestion; it means little where the note gives no reason
    // for its area at all, and less where the note already names what it gives for that area.
    !named && note.areaUnsupported(name) ? 1 : 0,
    !named && note.areaNamed(name) ? 1 : 0,
  ];
}

export function fusedProbability(x: readonly number[], w: FusionWeights): number {
  let z = w.bias;
  for (let i = 0; i < x.length; i++) z += (w.weights[i] ?? 0) * x[i]!;
  return 1 / (1 + Math.exp(-z));
}

const finite = v.pipe(v.number('must be a finite number'), v.finite('must be a finite number'));
const FusionSchema = v.object({
  version: v.literal(FUSION_VERSION, `must be "${FUSION_VERSION}" (fit again with npm run fit-fusion)`),
  features: v.pipe(
    v.array(v.string('must be a feature name')),
    v.check((f) => f.length === FUSION_FEATURES.length && f.every((x, i) => x === FUSION_FEATURES[i]), `must be [${FUSION_FEATURES.join(', ')}] (this code's features)`),
  ),
  weights: v.pipe(v.array(finite), v.length(FUSION_FEATURES.length, `must hold ${FUSION_FEATURES.length} numbers, one per feature`)),
  bias: finite,
  fittedOn: v.optional(v.object({ file: v.string(), visits: v.number(), dtype: v.string(), l2: v.number(), logLoss: v.number(), site: v.optional(SiteSchema) })),
  searchCut: v.optional(v.object({ stopThreshold: v.number(), minConfidence: v.number(), score: v.number(), ratio: v.number() })),
});

/**
 * A parsed fusion.json checked against its schema and this code's features (a stale or foreign
 * file is refused). The one reader of the file for the CLI, the Node host and the worker; throws
 * FormatError naming the file and the field ("models/x/fusion.json: weights: must hold …").
 */
export function parseFusionWeights(json: unknown, source = FUSION_FILE): FusionWeights {
  const r = v.safeParse(FusionSchema, json);
  if (!r.success) throw new FormatError(describeIssues(source, r.issues));
  const { fittedOn, searchCut, ...rest } = r.output;
  const provenance = fittedOn ? (({ site, ...f }) => ({ ...f, ...(site ? { site } : {}) }))(fittedOn) : null;
  return { ...rest, ...(provenance ? { fittedOn: provenance } : {}), ...(searchCut ? { searchCut } : {}) };
}

/** Throws when fusion weights do not match this code's features (see parseFusionWeights). */
export function checkFusionWeights(w: FusionWeights): void {
  parseFusionWeights(w);
}

/**
 * Named drugs the note names another drug of the same list group after (in the statuses' reading
 * order): the later statement replaces them ("服用氨氯地平" … "降压方案调整为缬沙坦氨氯地平"), as the
 * latest statement about one drug wins (docs/decision-rules/RULE-1205k.md). Only a later drug that
 * is itself among `rows` supersedes.
 */
function supersededNamed(input: FusionInput, rows: readonly { name: string; index: number }[]): Set<string> {
  const indexOf = new Map(rows.map((r) => [r.name, r.index] as const));
  const inOrder = [...input.statuses].filter(([n, s]) => takenOrPlanned(s) && indexOf.has(n)).map(([n]) => n);
  const out = new Set<string>();
  inOrder.forEach((earlier, i) => {
    const groups = maskGroupsAt(input.mask, indexOf.get(earlier)!);
    if (inOrder.slice(i + 1).some((later) => maskGroupsAt(input.mask, indexOf.get(later)!).some((g) => groups.includes(g)))) out.add(earlier);
  });
  return out;
}

/**
 * The fused list: every searched or note-supported drug with its fused probability, best first,
 * one per duplication group (the better one stays; of two the note names, the later-named one), as
 * a trajectory the usual cut applies to.
 */
export function fuse(input: FusionInput, w: FusionWeights): { trajectory: FusedDrug[]; stopProbabilities: number[] } {
  const rows = fusionRows(input);
  const superseded = supersededNamed(input, rows);
  const scored = rows
    .filter((r) => !superseded.has(r.name))
    // The search reaching a planned drug with low confidence is no evidence against the plan (RULE-1209i).
    .map((r) => {
      const searched = fusedProbability(r.x, w);
      const planned = r.xAsPlanned ? fusedProbability(r.xAsPlanned, w) : 0;
      return { ...r, p: Math.max(searched, planned), onPlan: planned > searched };
    })
    .sort((a, b) => b.p - a.p || a.index - b.index);
  const takenGroups = new Set<string>();
  const trajectory: FusedDrug[] = [];
  for (const r of scored) {
    const groups = maskGroupsAt(input.mask, r.index);
    if (groups.some((g) => takenGroups.has(g))) continue;
    for (const g of groups) takenGroups.add(g);
    const source: FusedSource = r.modelConfidence === null ? 'note' : takenOrPlanned(r.noteStatus) || r.onPlan ? 'model+note' : 'model';
    trajectory.push({ name: r.name, index: r.index, confidence: r.p, position: trajectory.length, modelConfidence: r.modelConfidence, noteStatus: r.noteStatus, source });
  }
  // Before the first drug: stop only if even the best drug is unlikely (the cut's minDrugs
  // normally keeps one anyway); after drug k: stop unless the next one is likely enough.
  const stopProbabilities = [1 - (trajectory[0]?.confidence ?? 0), ...trajectory.map((_, k) => 1 - (trajectory[k + 1]?.confidence ?? 0))];
  return { trajectory, stopProbabilities };
}

/**
 * Fit the weights by L2-regularised logistic regression (Newton's method: a dozen features, a few
 * thousand rows, converges in a handful of steps and needs no learning rate). A row's `weight`
 * (default 1) counts it that many times, so a small set of a site's own notes can count as much
 * as the larger synthetic dev set (cli/fit-fusion.ts --site-dev).
 */
export function fitFusion(rows: readonly { x: readonly number[]; y: 0 | 1; weight?: number }[], l2 = 1): { weights: number[]; bias: number; logLoss: number } {
  const d = FUSION_FEATURES.length + 1; // + bias (last, unpenalised)
  let beta = new Array<number>(d).fill(0);
  const xs = rows.map((r) => [...r.x, 1]);
  for (let iter = 0; iter < 50; iter++) {
    const grad = new Array<number>(d).fill(0);
    const hess = Array.from({ length: d }, () => new Array<number>(d).fill(0));
    xs.forEach((x, n) => {
      const z = x.reduce((s, v, i) => s + v * beta[i]!, 0);
      const p = 1 / (1 + Math.exp(-z));
      const w = rows[n]!.weight ?? 1;
      const r = w * (p - rows[n]!.y);
      const wgt = w * Math.max(p * (1 - p), 1e-9);
      for (let i = 0; i < d; i++) {
        grad[i]! += r * x[i]!;
        for (let j = 0; j <= i; j++) hess[i]![j]! += wgt * x[i]! * x[j]!;
      }
    });
    for (let i = 0; i < d; i++) for (let j = 0; j < i; j++) hess[j]![i] = hess[i]![j]!;
    for (let i = 0; i < d - 1; i++) {
      grad[i]! += l2 * beta[i]!;
      hess[i]![i]! += l2;
    }
    const step = solve(hess, grad);
    beta = beta.map((b, i) => b - step[i]!);
    if (Math.max(...step.map(Math.abs)) < 1e-8) break;
  }
  let loss = 0;
  let total = 0;
  xs.forEach((x, n) => {
    const z = x.reduce((s, v, i) => s + v * beta[i]!, 0);
    const p = Math.min(1 - 1e-12, Math.max(1e-12, 1 / (1 + Math.exp(-z))));
    const w = rows[n]!.weight ?? 1;
    loss -= w * (rows[n]!.y ? Math.log(p) : Math.log(1 - p));
    total += w;
  });
  return { weights: beta.slice(0, d - 1), bias: beta[d - 1]!, logLoss: loss / Math.max(1e-12, total) };
}

/** Gaussian elimination with partial pivoting (the system is small and positive definite). */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]!]);
  for (let c = 0; c < n; c++) {
    let piv = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[piv]![c]!)) piv = r;
    [m[c], m[piv]] = [m[piv]!, m[c]!];
    const div = m[c]![c]! || 1e-12;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r]![c]! / div;
      for (let k = c; k <= n; k++) m[r]![k]! -= f * m[c]![k]!;
    }
  }
  return m.map((row, i) => row[n]! / (row[i]! || 1e-12));
}
