/**
 * Cohort statistics, the "mention baseline" (drugs literally named in the text outside negated /
 * stopped clauses) and the oracle ceiling (modal latent logic, no noise) — both scored by mean
 * per-visit Jaccard against the noisy labels.
 */
import { TEXT_FIELDS, type CDrugRedRecord } from '../src/clinical/record.ts';
import { DRUGS } from './drugs.ts';
import type { GeneratedVisit } from './generate.ts';
import type { SplitName } from './split.ts';
import { FAMILIES } from './families.ts';

export function jaccard(a: readonly string[], b: readonly string[]): number {
  const A = new Set(a);
  const B = new Set(b);
  if (A.size === 0 && B.size === 0) return 1;
  let inter = 0;
  for (const x of A) if (B.has(x)) inter++;
  return inter / (A.size + B.size - inter);
}

let MATCHER: Map<string, Array<[string, string]>> | null = null;
/** Alias → canonical pairs, bucketed by first character, longest first. */
function matcher(): Map<string, Array<[string, string]>> {
  if (!MATCHER) {
    const pairs: Array<[string, string]> = [];
    for (const d of DRUGS) {
      if (d.inpatientOnly) continue;
      pairs.push([d.name, d.name]);
      for (const a of d.aliases) if (a.length >= 2) pairs.push([a, d.name]);
    }
    pairs.sort((x, y) => y[0].length - x[0].length || (x[0] < y[0] ? -1 : 1));
    MATCHER = new Map();
    for (const p of pairs) {
      const k = p[0][0]!;
      const b = MATCHER.get(k);
      if (b) b.push(p);
      else MATCHER.set(k, [p]);
    }
  }
  return MATCHER;
}

const NEG = /停用|停药|已停|予停|自行停|否认|过敏|不能耐受/;

/** Candidate drugs named in the text, excluding clauses with a stop/negation cue. */
export function mentionedDrugs(r: CDrugRedRecord): string[] {
  const found = new Set<string>();
  const m = matcher();
  for (const f of TEXT_FIELDS) {
    for (const clause of r[f].split(/[，。；;,\n]/)) {
      if (NEG.test(clause)) continue;
      let i = 0;
      while (i < clause.length) {
        let hit: [string, string] | undefined;
        for (const p of m.get(clause[i]!) ?? []) {
          if (clause.startsWith(p[0], i)) {
            hit = p;
            break;
          }
        }
        if (hit) {
          found.add(hit[1]);
          i += hit[0].length;
        } else i++;
      }
    }
  }
  return [...found];
}

export interface CohortStats {
  visits: number;
  patients: number;
  visitsPerPatient: number;
  splits: Record<SplitName, { visits: number; patients: number }>;
  distinctDrugs: number;
  labelSizeMean: number;
  labelSizeHistogram: Record<string, number>;
  topDrugs: Array<[string, number]>;
  conditionPrevalence: Record<string, number>;
  egfrBelow60: number;
  egfrBelow30: number;
  mentionBaselineJaccard: number;
  oracleJaccard: number;
  noiselessRegimenJaccard: number;
  /** Per documentation style family: visits, share, mean label size, mention baseline and oracle Jaccard. */
  families: Record<string, { visits: number; share: number; labelSizeMean: number; mentionJaccard: number; oracleJaccard: number }>;
}

export function computeStats(visits: readonly GeneratedVisit[], splits: Record<SplitName, readonly GeneratedVisit[]>): CohortStats {
  const n = visits.length;
  const pids = new Set(visits.map((v) => v.record.患者序号));
  const freq = new Map<string, number>();
  const hist: Record<string, number> = {};
  const cond = new Map<string, number>();
  let sizeSum = 0;
  let mention = 0;
  let oracle = 0;
  let regimen = 0;
  let e60 = 0;
  let e30 = 0;
  const fam = new Map<string, { n: number; size: number; mention: number; oracle: number }>();
  for (const f of FAMILIES) fam.set(f, { n: 0, size: 0, mention: 0, oracle: 0 });
  for (const v of visits) {
    const labels = v.record.出院带药列表 ?? [];
    sizeSum += labels.length;
    const k = labels.length >= 12 ? '12+' : String(labels.length);
    hist[k] = (hist[k] ?? 0) + 1;
    for (const d of labels) freq.set(d, (freq.get(d) ?? 0) + 1);
    for (const c of v.latent.conditions) cond.set(c, (cond.get(c) ?? 0) + 1);
    if (v.latent.egfr < 60) e60++;
    if (v.latent.egfr < 30) e30++;
    const mj = jaccard(mentionedDrugs(v.record), labels);
    const oj = jaccard(v.latent.oracle, labels);
    mention += mj;
    oracle += oj;
    const fs = fam.get(v.latent.styleFamily)!;
    fs.n++;
    fs.size += labels.length;
    fs.mention += mj;
    fs.oracle += oj;
    regimen += jaccard(v.latent.regimen, labels);
  }
  const top = [...freq.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const prevalence: Record<string, number> = {};
  for (const [c, k] of [...cond.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))) prevalence[c] = Math.round((1000 * k) / n) / 1000;
  const sp = (xs: readonly GeneratedVisit[]) => ({ visits: xs.length, patients: new Set(xs.map((v) => v.record.患者序号)).size });
  const r3 = (x: number) => Math.round(x * 1000) / 1000;
  const sortedHist: Record<string, number> = {};
  for (const k of Object.keys(hist).sort((a, b) => parseInt(a) - parseInt(b))) sortedHist[k] = hist[k]!;
  return {
    visits: n,
    patients: pids.size,
    visitsPerPatient: r3(n / Math.max(1, pids.size)),
    splits: { train: sp(splits.train), dev: sp(splits.dev), test: sp(splits.test) },
    distinctDrugs: freq.size,
    labelSizeMean: r3(sizeSum / Math.max(1, n)),
    labelSizeHistogram: sortedHist,
    topDrugs: top.slice(0, 30),
    conditionPrevalence: prevalence,
    egfrBelow60: r3(e60 / n),
    egfrBelow30: r3(e30 / n),
    mentionBaselineJaccard: r3(mention / n),
    oracleJaccard: r3(oracle / n),
    noiselessRegimenJaccard: r3(regimen / n),
    families: Object.fromEntries(
      [...fam.entries()].filter(([, x]) => x.n > 0).map(([f, x]) => [f, { visits: x.n, share: r3(x.n / n), labelSizeMean: r3(x.size / Math.max(1, x.n)), mentionJaccard: r3(x.mention / Math.max(1, x.n)), oracleJaccard: r3(x.oracle / Math.max(1, x.n)) }]),
    ),
  };
}

export function formatStats(s: CohortStats, seconds?: number): string {
  const L: string[] = [];
  L.push(`visits: ${s.visits}   patients: ${s.patients}   visits/patient: ${s.visitsPerPatient}`);
  for (const k of ['train', 'dev', 'test'] as const) L.push(`  ${k.padEnd(5)} visits ${s.splits[k].visits}  patients ${s.splits[k].patients}`);
  L.push(`distinct drugs in labels: ${s.distinctDrugs}`);
  L.push(`label size mean: ${s.labelSizeMean}   histogram: ${Object.entries(s.labelSizeHistogram).map(([k, v]) => `${k}:${v}`).join(' ')}`);
  L.push(`eGFR<60: ${s.egfrBelow60}   eGFR<30: ${s.egfrBelow30}`);
  L.push('top 30 drugs:');
  s.topDrugs.forEach(([d, k], i) => L.push(`  ${String(i + 1).padStart(2)}. ${d}  ${k} (${((100 * k) / s.visits).toFixed(1)}%)`));
  L.push('condition prevalence (per visit):');
  L.push('  ' + Object.entries(s.conditionPrevalence).map(([c, p]) => `${c} ${(p * 100).toFixed(1)}%`).join(', '));
  L.push(`mention baseline Jaccard (named, non-negated drugs in text): ${s.mentionBaselineJaccard}`);
  L.push(`oracle ceiling Jaccard (modal latent logic, no noise): ${s.oracleJaccard}`);
  L.push(`sampled latent regimen vs labels (only label noise): ${s.noiselessRegimenJaccard}`);
  L.push('per style family:            visits  share  label size  mention J  oracle J');
  for (const [f, x] of Object.entries(s.families))
    L.push(`  ${f.padEnd(14)} ${String(x.visits).padStart(14)}  ${(x.share * 100).toFixed(1).padStart(4)}%  ${x.labelSizeMean.toFixed(2).padStart(10)}  ${x.mentionJaccard.toFixed(3).padStart(9)}  ${x.oracleJaccard.toFixed(3).padStart(8)}`);
  if (seconds !== undefined) L.push(`generation time: ${seconds.toFixed(2)} s`);
  return L.join('\n');
}
