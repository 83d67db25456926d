import { readFileSync } from 'node:fs';
import { FormatError } from '../model-folder/format.ts';
import { describe, expect, it } from 'vitest';
import { applyThresholds } from './threshold.ts';
import {
  FUSION_FEATURES,
  FUSION_VERSION,
  checkFusionWeights,
  parseFusionWeights,
  fitFusion,
  fuse,
  fusionRows,
  type FusionWeights,
} from './evidence-fusion.ts';
import type { MentionStatus } from '../clinical/baselines/mention.ts';
import type { TherapeuticArea } from '../clinical/formulary-types.ts';
import type { DecodedDrug } from './types.ts';

const CANDIDATES = ['二甲双胍', '阿托伐他汀', '瑞舒伐他汀', '氨氯地平', '达格列净', '阿司匹林'];
const drug = (name: string, confidence: number, position: number): DecodedDrug => ({ name, index: CANDIDATES.indexOf(name), confidence, position });

/** Weights that trust the model and add a strong bonus for a discharge plan and a penalty for a stop. */
function weights(over: Partial<Record<(typeof FUSION_FEATURES)[number], number>> = {}, bias = 0): FusionWeights {
  const base: Record<string, number> = { searched: 0, modelLogit: 1, reachLog: 0, 'status:discharge': 6, 'status:positive': 1, 'status:stopped': -6 };
  return { version: FUSION_VERSION, features: [...FUSION_FEATURES], weights: FUSION_FEATURES.map((f) => over[f] ?? base[f] ?? 0), bias };
}

describe('evidence fusion', () => {
  const trajectory = [drug('二甲双胍', 0.9, 0), drug('阿托伐他汀', 0.6, 1), drug('阿司匹林', 0.3, 2)];
  const stopProbabilities = [0.01, 0.1, 0.4, 0.9];

  it('brings in a planned drug the search missed, drops a stopped one, and sorts by fused probability', () => {
    const statuses = new Map<string, MentionStatus>([
      ['达格列净', 'discharge'],
      ['阿司匹林', 'stopped'],
    ]);
    const { trajectory: fused, stopProbabilities: stops } = fuse({ trajectory, stopProbabilities, statuses, candidates: CANDIDATES }, weights());
    expect(fused.map((d) => d.name)).toEqual(['达格列净', '二甲双胍', '阿托伐他汀', '阿司匹林']);
    const p = fused.map((d) => d.confidence);
    expect([...p].sort((a, b) => b - a)).toEqual(p);
    expect(fused[0]).toMatchObject({ source: 'note', modelConfidence: null, noteStatus: 'discharge', index: CANDIDATES.indexOf('达格列净') });
    expect(fused[1]).toMatchObject({ source: 'model', modelConfidence: 0.9 });
    // The usual cut at t keeps exactly the drugs with fused probability ≥ t.
    for (const t of [0.2, 0.5, 0.7, 0.95]) {
      const kept = applyThresholds(fused, stops, { stopThreshold: t, minConfidence: 0, minDrugs: 0 }).map((d) => d.name);
      expect(kept).toEqual(fused.filter((d) => d.confidence >= t).map((d) => d.name));
    }
  });

  it('never brings in a blocked (withheld) drug and keeps one drug per duplication group', () => {
    const statuses = new Map<string, MentionStatus>([
      ['瑞舒伐他汀', 'discharge'],
      ['氨氯地平', 'positive'],
    ]);
    const groups = CANDIDATES.map((c) => (c.endsWith('他汀') ? 'statin' : null));
    const blocked = [CANDIDATES.indexOf('氨氯地平')];
    const { trajectory: fused } = fuse({ trajectory, stopProbabilities, statuses, candidates: CANDIDATES, mask: { blocked, groups } }, weights());
    const names = fused.map((d) => d.name);
    expect(names).toContain('瑞舒伐他汀');
    expect(names).not.toContain('阿托伐他汀'); // the planned statin wins the group
    expect(names).not.toContain('氨氯地平');
  });

  it('a combination closes its components\' groups: of metformin and a metformin combination only the likelier stays', () => {
    const cands = ['西格列汀二甲双胍', '二甲双胍', '阿托伐他汀'];
    const groups = [['dpp4i', 'biguanide'], 'biguanide', 'statin'];
    const traj: DecodedDrug[] = [
      { name: '二甲双胍', index: 1, confidence: 0.8, position: 0 },
      { name: '阿托伐他汀', index: 2, confidence: 0.7, position: 1 },
    ];
    const input = { trajectory: traj, stopProbabilities: [0.1, 0.2, 0.9], candidates: cands, mask: { groups } };
    const named = fuse({ ...input, statuses: new Map<string, MentionStatus>([['西格列汀二甲双胍', 'discharge']]) }, weights({ 'status:discharge': 5 }));
    expect(named.trajectory.map((d) => d.name)).toEqual(['西格列汀二甲双胍', '阿托伐他汀']);
    const unnamed = fuse({ ...input, statuses: new Map<string, MentionStatus>([['西格列汀二甲双胍', 'positive']]) }, weights({ modelLogit: 1 }));
    expect(unnamed.trajectory.map((d) => d.name)).toEqual(['二甲双胍', '阿托伐他汀']);
  });

  it('ignores note drugs outside the candidate list and note drugs that are only negated, past or inpatient', () => {
    const statuses = new Map<string, MentionStatus>([
      ['胰岛素泵', 'positive'],
      ['氨氯地平', 'negated'],
      ['达格列净', 'past'],
      ['瑞舒伐他汀', 'inpatient'],
    ]);
    const rows = fusionRows({ trajectory, stopProbabilities, statuses, candidates: CANDIDATES });
    expect(rows.map((r) => r.name)).toEqual(['二甲双胍', '阿托伐他汀', '阿司匹林']);
  });

  it("a class the note plans raises its usual drug, searched or not; the model's other pick of the class gets nothing from the plan", () => {
    const search = [drug('二甲双胍', 0.9, 0), drug('阿托伐他汀', 0.2, 1), drug('氨氯地平', 0.3, 2)];
    const stops = [0.01, 0.1, 0.4, 0.9];
    const statuses = new Map<string, MentionStatus>();
    const input = { trajectory: search, stopProbabilities: stops, statuses, candidates: CANDIDATES };
    const w = weights({ classPlanned: 3 });
    const col = FUSION_FEATURES.indexOf('classPlanned');
    // "他汀强化降脂" with no statin named: the plan's usual statin is raised
    const usualSearched = { drugs: ['阿托伐他汀', '瑞舒伐他汀'], usual: '阿托伐他汀' };
    expect(fusionRows({ ...input, classPlans: [usualSearched] }).map((r) => [r.name, r.x[col]])).toEqual([
      ['二甲双胍', 0],
      ['阿托伐他汀', 1],
      ['氨氯地平', 0],
    ]);
    expect(fuse(input, w).trajectory.map((d) => d.name)).toEqual(['二甲双胍', '氨氯地平', '阿托伐他汀']);
    const withPlan = fuse({ ...input, classPlans: [usualSearched] }, w).trajectory;
    // weighed on the plan, which here says more than the search's 0.2 (RULE-1209i)
    expect(withPlan.map((d) => d.name)).toEqual(['阿托伐他汀', '二甲双胍', '氨氯地平']);
    expect(withPlan[0]).toMatchObject({ source: 'model+note', modelConfidence: 0.2 });
    // the search reached another statin than the usual one: the usual one joins with the plan, the
    // searched one keeps only its own evidence (and the duplication group keeps one of the two)
    const otherSearched = { drugs: ['阿托伐他汀', '瑞舒伐他汀'], usual: '瑞舒伐他汀' };
    expect(fusionRows({ ...input, classPlans: [otherSearched] }).map((r) => [r.name, r.x[col]])).toEqual([
      ['二甲双胍', 0],
      ['阿托伐他汀', 0],
      ['氨氯地平', 0],
      ['瑞舒伐他汀', 1],
    ]);
    // "加用SGLT2抑制剂" and the search reached none: the usual drug joins on the plan alone
    const sglt2Plan = { drugs: ['达格列净'], usual: '达格列净' };
    const joined = fuse({ ...input, classPlans: [sglt2Plan] }, w).trajectory.find((d) => d.name === '达格列净');
    expect(joined).toMatchObject({ source: 'note', modelConfidence: null, noteStatus: null });
    // ... but not when the note said something else about that drug, or the safety plan blocks it
    const stopped = new Map<string, MentionStatus>([['达格列净', 'stopped']]);
    expect(fusionRows({ ...input, statuses: stopped, classPlans: [sglt2Plan] }).map((r) => r.name)).not.toContain('达格列净');
    const blocked = { blocked: [CANDIDATES.indexOf('达格列净')], groups: [] };
    expect(fusionRows({ ...input, mask: blocked, classPlans: [sglt2Plan] }).map((r) => r.name)).not.toContain('达格列净');
    // ward use only is no word against the home plan: the usual drug joins, its status shown (RULE-1205j c)
    const ward = new Map<string, MentionStatus>([['达格列净', 'inpatient']]);
    expect(fuse({ ...input, statuses: ward, classPlans: [sglt2Plan] }, w).trajectory.find((d) => d.name === '达格列净')).toMatchObject({ source: 'note', noteStatus: 'inpatient' });
    const past = new Map<string, MentionStatus>([['达格列净', 'past']]);
    expect(fusionRows({ ...input, statuses: past, classPlans: [sglt2Plan] }).map((r) => r.name)).not.toContain('达格列净');
  });

  it("an unnamed drug of an area the note gives no reason for, or whose area the note already names a drug for, is marked; a named drug never is", () => {
    const AREA: Record<string, TherapeuticArea> = { 二甲双胍: 'diabetes', 达格列净: 'diabetes', 阿托伐他汀: 'lipids', 瑞舒伐他汀: 'lipids', 氨氯地平: 'hypertension', 阿司匹林: 'antithrombotic' };
    const search = [drug('二甲双胍', 0.9, 0), drug('阿托伐他汀', 0.8, 1), drug('达格列净', 0.6, 2), drug('阿司匹林', 0.5, 3)];
    const stops = [0.01, 0.1, 0.2, 0.4, 0.9];
    // The note names 二甲双胍 and gives reasons for diabetes only (no lipid or atherosclerotic word).
    const statuses = new Map<string, MentionStatus>([['二甲双胍', 'positive']]);
    const areas = { of: (n: string) => AREA[n], supported: new Set<TherapeuticArea>(['diabetes']) };
    const input = { trajectory: search, stopProbabilities: stops, statuses, candidates: CANDIDATES, areas };
    const u = FUSION_FEATURES.indexOf('unnamed×areaUnsupported');
    const n = FUSION_FEATURES.indexOf('unnamed×areaNamed');
    expect(fusionRows(input).map((r) => [r.name, r.x[u], r.x[n]])).toEqual([
      ['二甲双胍', 0, 0], // named: the note's word decides, not the area
      ['阿托伐他汀', 1, 0], // lipids: no reason in the note
      ['达格列净', 0, 1], // diabetes is supported, and the note already names 二甲双胍 for it
      ['阿司匹林', 1, 0],
    ]);
    // Without area facts nothing is marked (an older caller, or a drug of no known area).
    expect(fusionRows({ ...input, areas: undefined }).every((r) => r.x[u] === 0 && r.x[n] === 0)).toBe(true);
    // A negative weight moves the unsupported statin below the supported SGLT2 inhibitor.
    const w = weights({ 'unnamed×areaUnsupported': -3 });
    expect(fuse(input, w).trajectory.map((d) => d.name)).toEqual(['二甲双胍', '达格列净', '阿托伐他汀', '阿司匹林']);
  });

  it('leaves out a searched drug the note leaves no room for, unless the note names it', () => {
    const search = [drug('二甲双胍', 0.9, 0), drug('达格列净', 0.8, 1), drug('阿托伐他汀', 0.7, 2), drug('氨氯地平', 0.6, 3)];
    const stops = [0.01, 0.1, 0.2, 0.3, 0.9];
    const statuses = new Map<string, MentionStatus>([['二甲双胍', 'positive']]);
    const base = { trajectory: search, stopProbabilities: stops, statuses, candidates: CANDIDATES };
    const names = (input: Parameters<typeof fusionRows>[0]) => fusionRows(input).map((r) => r.name);
    expect(names(base)).toEqual(['二甲双胍', '达格列净', '阿托伐他汀', '氨氯地平']);
    // "降糖：二甲双胍同前": the diabetes drugs the note does not name go; the named metformin stays.
    expect(names({ ...base, unsuggested: new Set(['二甲双胍', '达格列净']) })).toEqual(['二甲双胍', '阿托伐他汀', '氨氯地平']);
    // A drug the note stopped keeps its row (its status decides).
    const stopped = new Map<string, MentionStatus>([...statuses, ['达格列净', 'stopped']]);
    expect(names({ ...base, statuses: stopped, unsuggested: new Set(['达格列净']) })).toContain('达格列净');
    // The reach of a later drug still counts the left-out drug's boundary.
    const kept = fusionRows({ ...base, unsuggested: new Set(['达格列净']) }).find((r) => r.name === '阿托伐他汀')!;
    const all = fusionRows(base).find((r) => r.name === '阿托伐他汀')!;
    expect(kept.x).toEqual(all.x);
  });

  it('keeps nothing outside a complete discharge list: not a search suggestion, a named home drug or a planned class (RULE-1208d)', () => {
    const search = [drug('二甲双胍', 0.9, 0), drug('达格列净', 0.8, 1), drug('阿托伐他汀', 0.7, 2)];
    const statuses = new Map<string, MentionStatus>([
      ['二甲双胍', 'discharge'],
      ['氨氯地平', 'discharge'],
      ['瑞舒伐他汀', 'positive'],
    ]);
    const base = { trajectory: search, stopProbabilities: [0.01, 0.1, 0.2, 0.9], statuses, candidates: CANDIDATES, classPlans: [{ drugs: ['阿司匹林'], usual: '阿司匹林' }] };
    const names = (input: Parameters<typeof fusionRows>[0]) => fusionRows(input).map((r) => r.name).sort();
    expect(names(base)).toEqual(['二甲双胍', '达格列净', '阿托伐他汀', '氨氯地平', '瑞舒伐他汀', '阿司匹林'].sort());
    expect(names({ ...base, completeList: new Set(['二甲双胍', '氨氯地平']) })).toEqual(['二甲双胍', '氨氯地平'].sort());
    expect(names({ ...base, completeList: null })).toEqual(names(base));
  });

  it('weighs a planned class\'s usual drug on the plan even when the search reached it with low confidence (RULE-1209i)', () => {
    const w = weights({ classPlanned: 3 }, -0.5);
    const plan = { classPlans: [{ drugs: ['阿托伐他汀', '瑞舒伐他汀'], usual: '阿托伐他汀' }], statuses: new Map<string, MentionStatus>(), candidates: CANDIDATES };
    const reachedLow = fuse({ ...plan, trajectory: [drug('阿托伐他汀', 0.02, 0)], stopProbabilities: [0.1, 0.9] }, w).trajectory;
    const missed = fuse({ ...plan, trajectory: [], stopProbabilities: [0.9] }, w).trajectory;
    expect(reachedLow[0]!.confidence).toBeCloseTo(missed[0]!.confidence, 10);
    expect(reachedLow[0]!.modelConfidence).toBe(0.02);
    // a confident search keeps its own, higher reading; an unplanned drug keeps the searched one
    const reachedHigh = fuse({ ...plan, trajectory: [drug('阿托伐他汀', 0.99, 0)], stopProbabilities: [0.1, 0.9] }, w).trajectory;
    expect(reachedHigh[0]!.confidence).toBeGreaterThan(missed[0]!.confidence);
    const unplanned = fuse({ ...plan, classPlans: [], trajectory: [drug('阿托伐他汀', 0.02, 0)], stopProbabilities: [0.1, 0.9] }, w).trajectory;
    expect(unplanned[0]!.confidence).toBeLessThan(missed[0]!.confidence);
  });

  it('weighs an unnamed statin as the class\'s usual drug, with the searched drug\'s evidence (RULE-1209c)', () => {
    const search = [drug('二甲双胍', 0.9, 0), drug('瑞舒伐他汀', 0.7, 1)];
    const statuses = new Map<string, MentionStatus>([['二甲双胍', 'positive']]);
    const base = { trajectory: search, stopProbabilities: [0.01, 0.1, 0.9], statuses, candidates: CANDIDATES };
    const picks = new Map([['瑞舒伐他汀', '阿托伐他汀']]);
    const rows = fusionRows({ ...base, unnamedPicks: picks });
    expect(rows.map((r) => r.name)).toEqual(['二甲双胍', '阿托伐他汀']);
    expect(rows[1]!.x).toEqual(fusionRows(base)[1]!.x);
    expect(rows[1]!.modelConfidence).toBe(0.7);
    // the note names the drug: it stays; the usual drug is blocked: the searched one stays
    expect(fusionRows({ ...base, statuses: new Map([...statuses, ['瑞舒伐他汀', 'positive']]), unnamedPicks: picks }).map((r) => r.name)).toContain('瑞舒伐他汀');
    const mask = { blocked: [CANDIDATES.indexOf('阿托伐他汀')] };
    expect(fusionRows({ ...base, mask, unnamedPicks: picks }).map((r) => r.name)).toEqual(['二甲双胍', '瑞舒伐他汀']);
  });

  it('fits weights that separate a synthetic signal and rejects a foreign weights file', () => {
    // y = 1 exactly when the discharge-plan feature is on, or when the model is confident.
    const rows: { x: number[]; y: 0 | 1 }[] = [];
    for (let i = 0; i < 400; i++) {
      const plan = i % 4 === 0 ? 1 : 0;
      const conf = ((i * 37) % 100) / 100;
      const x = FUSION_FEATURES.map((f) => (f === 'status:discharge' ? plan : f === 'modelLogit' ? Math.log((conf + 0.01) / (1.01 - conf)) : f === 'searched' ? 1 : 0));
      rows.push({ x, y: plan || conf > 0.6 ? 1 : 0 });
    }
    const fit = fitFusion(rows, 0.1);
    const i = (f: string) => FUSION_FEATURES.indexOf(f as (typeof FUSION_FEATURES)[number]);
    expect(fit.weights[i('status:discharge')]!).toBeGreaterThan(2);
    expect(fit.weights[i('modelLogit')]!).toBeGreaterThan(1);
    expect(fit.logLoss).toBeLessThan(0.3);
    expect(() => checkFusionWeights(weights())).not.toThrow();
    expect(() => checkFusionWeights({ ...weights(), version: 'other' })).toThrow(/version/);
    expect(() => checkFusionWeights({ ...weights(), features: ['searched'] })).toThrow(/features/);
    expect(() => checkFusionWeights({ ...weights(), bias: Number.NaN })).toThrow(/finite/);
  });

  it('a row of weight w counts as w copies of it', () => {
    const base: { x: number[]; y: 0 | 1 }[] = [];
    for (let i = 0; i < 60; i++) {
      const conf = ((i * 37) % 100) / 100;
      base.push({ x: FUSION_FEATURES.map((f) => (f === 'modelLogit' ? conf * 4 - 2 : f === 'status:positive' ? i % 3 === 0 ? 1 : 0 : 0)), y: (i * 7) % 5 < 2 ? 1 : 0 });
    }
    const site = base.slice(0, 10).map((r) => ({ ...r, y: (1 - r.y) as 0 | 1 }));
    const copied = fitFusion([...base, ...site, ...site, ...site], 1);
    const weighted = fitFusion([...base, ...site.map((r) => ({ ...r, weight: 3 }))], 1);
    const unweighted = fitFusion([...base, ...site], 1);
    weighted.weights.forEach((w, i) => expect(w).toBeCloseTo(copied.weights[i]!, 6));
    expect(weighted.bias).toBeCloseTo(copied.bias, 6);
    expect(weighted.logLoss).toBeCloseTo(copied.logLoss, 9);
    expect(Math.abs(unweighted.bias - weighted.bias)).toBeGreaterThan(1e-3);
  });

  it('parseFusionWeights: the shipped file parses; a bad one is refused naming the file and the field', () => {
    const shipped = parseFusionWeights(JSON.parse(readFileSync('models/dischargerx-small/fusion.json', 'utf8')));
    expect(shipped.features).toEqual(FUSION_FEATURES);
    const bad = { ...weights(), weights: weights().weights.slice(1) };
    expect(() => parseFusionWeights(bad, 'models/x/fusion.json')).toThrow(FormatError);
    expect(() => parseFusionWeights(bad, 'models/x/fusion.json')).toThrow(/^models\/x\/fusion\.json: weights: must hold \d+ numbers/);
    expect(() => parseFusionWeights({ ...weights(), fittedOn: { file: 'dev', visits: 'many' } }, 'f.json')).toThrow(/f\.json: fittedOn\.visits: /);
    expect(() => parseFusionWeights([], 'f.json')).toThrow(/^f\.json: /);
  });
});

describe('fuse: the later-named of two named drugs of one list group (RULE-1205k)', () => {
  // Two statins: named in history (阿托伐他汀) and later in the course (瑞舒伐他汀).
  const mask = { blocked: [], groups: [null, 'statin', 'statin', 'ccb_dhp', 'sglt2i', 'antiplatelet_cox'] };
  const search = [drug('阿托伐他汀', 0.95, 0), drug('瑞舒伐他汀', 0.3, 1), drug('二甲双胍', 0.9, 2)];
  const stops = [0.01, 0.1, 0.2, 0.9];
  const w = weights({ modelLogit: 1, 'status:positive': 1 });

  it('keeps the later-named one whatever the probabilities', () => {
    const statuses = new Map<string, MentionStatus>([
      ['阿托伐他汀', 'positive'],
      ['瑞舒伐他汀', 'positive'],
    ]);
    const names = fuse({ trajectory: search, stopProbabilities: stops, statuses, candidates: CANDIDATES, mask }, w).trajectory.map((d) => d.name);
    expect(names).toContain('瑞舒伐他汀');
    expect(names).not.toContain('阿托伐他汀');
  });

  it('an unnamed later drug supersedes nothing: the better-scored one stays', () => {
    const statuses = new Map<string, MentionStatus>([['阿托伐他汀', 'positive']]);
    const names = fuse({ trajectory: search, stopProbabilities: stops, statuses, candidates: CANDIDATES, mask }, w).trajectory.map((d) => d.name);
    expect(names).toContain('阿托伐他汀');
    expect(names).not.toContain('瑞舒伐他汀');
  });

  it('a withheld later drug supersedes nothing', () => {
    const statuses = new Map<string, MentionStatus>([
      ['阿托伐他汀', 'positive'],
      ['瑞舒伐他汀', 'positive'],
    ]);
    const blocked = { ...mask, blocked: [CANDIDATES.indexOf('瑞舒伐他汀')] };
    const searchWithoutIt = [drug('阿托伐他汀', 0.95, 0), drug('二甲双胍', 0.9, 1)];
    const names = fuse({ trajectory: searchWithoutIt, stopProbabilities: [0.01, 0.1, 0.9], statuses, candidates: CANDIDATES, mask: blocked }, w).trajectory.map((d) => d.name);
    expect(names).toContain('阿托伐他汀');
  });
});
