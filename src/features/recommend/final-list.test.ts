import { describe, expect, it } from 'vitest';
import { rec } from '../../clinical/baselines/test-helpers.ts';
import { Formulary } from '../../clinical/formulary.ts';
import { cutTrajectory } from '../../decoding/policy.ts';
import type { RecommendRun } from '../../state/note-store.ts';
import { atStep, chipJson, cutLadder, exportText, finalList, searchCandidates, stepPreview } from './final-list.ts';

const formulary = Formulary.bundled();
const drug = (name: string, score: number) => ({ name, drugClass: formulary.get(name)?.class ?? '', score });
/** Generation order is NOT confidence order (as in issue 12: .49, .55, .54, .42, .66 …). */
const modelRun: RecommendRun = {
  source: 'model',
  ranked: [drug('二甲双胍', 0.49), drug('阿卡波糖', 0.55), drug('氨氯地平', 0.54), drug('阿托伐他汀', 0.42), drug('阿司匹林', 0.66), drug('格列美脲', 0.25)],
  // P(stop) before drug 1..6 and after the last.
  stopProbabilities: [0.01, 0.1, 0.2, 0.3, 0.6, 0.7, 0.95],
  defaultCut: 0.5,
  minConfidence: 0,
  minDrugs: 1,
  beamWidth: 1,
  record: rec('v-1'),
};
const names = (xs: readonly { name: string }[]) => xs.map((d) => d.name);

describe('cut ladder (fewer ↔ more)', () => {
  const ladder = cutLadder(modelRun);

  it('the default position is exactly the decoding policy cut, shown by confidence', () => {
    const policy = cutTrajectory(
      { trajectory: modelRun.ranked.map((d) => ({ ...d, confidence: d.score })), stopProbabilities: modelRun.stopProbabilities! },
      { stopThreshold: 0.5, minConfidence: 0, minDrugs: 1 },
    );
    const def = ladder.steps[ladder.defaultIndex]!;
    expect(new Set(names(def))).toEqual(new Set(names(policy)));
    expect(names(def)).toEqual(['阿卡波糖', '氨氯地平', '二甲双胍', '阿托伐他汀']);
  });

  it('every step changes the list; fewer drops the lowest shown confidence; fewest keeps the most confident', () => {
    for (let i = 1; i < ladder.steps.length; i++) expect(ladder.steps[i]!.length).toBeGreaterThan(ladder.steps[i - 1]!.length);
    expect(names(atStep(ladder, -1).drugs)).toEqual(['阿卡波糖', '氨氯地平', '二甲双胍']);
    expect(names(ladder.steps[0]!)).toEqual(['阿卡波糖']);
    expect(atStep(ladder, -99).index).toBe(0);
  });

  it('more admits the next drugs the model proposed after its stop point, up to the whole search', () => {
    expect(names(atStep(ladder, 1).drugs)).toEqual(['阿司匹林', '阿卡波糖', '氨氯地平', '二甲双胍', '阿托伐他汀']);
    expect(names(ladder.steps[ladder.steps.length - 1]!)).toHaveLength(6);
    const preview = stepPreview(ladder, ladder.defaultIndex);
    expect(names(preview.fewer!)).toEqual(['阿托伐他汀']);
    expect(names(preview.more!)).toEqual(['阿司匹林']);
    expect(stepPreview(ladder, 0).fewer).toBeNull();
    expect(stepPreview(ladder, ladder.steps.length - 1).more).toBeNull();
  });

  it('the calibrated confidence floor holds up to the default and the stop-threshold steps; then more lowers it, most confident first', () => {
    const floored = cutLadder({ ...modelRun, minConfidence: 0.45 });
    const d = floored.defaultIndex;
    for (const s of floored.steps.slice(0, d + 1)) for (const x of s) expect(x.score).toBeGreaterThanOrEqual(0.45);
    expect(names(floored.steps[d]!)).toEqual(['阿卡波糖', '氨氯地平', '二甲双胍']);
    expect(names(floored.steps[d + 1]!)).toEqual(['阿司匹林', '阿卡波糖', '氨氯地平', '二甲双胍']);
    expect(names(floored.steps[d + 2]!)).toEqual(['阿司匹林', '阿卡波糖', '氨氯地平', '二甲双胍', '阿托伐他汀']);
    expect(names(floored.steps[d + 3]!)).toHaveLength(6);
    expect(floored.steps).toHaveLength(d + 4);
  });

  it('baseline: one position per distinct score, default at its cut-off', () => {
    const run: RecommendRun = { ...modelRun, source: 'baseline', stopProbabilities: null, defaultCut: 0.5, ranked: byScore(modelRun.ranked) };
    const b = cutLadder(run);
    expect(b.steps).toHaveLength(6);
    expect(names(b.steps[b.defaultIndex]!)).toEqual(['阿司匹林', '阿卡波糖', '氨氯地平']);
    expect(names(b.steps[0]!)).toEqual(['阿司匹林']);
  });
});

function byScore<D extends { score: number }>(xs: readonly D[]): D[] {
  return [...xs].sort((a, b) => b.score - a.score);
}

describe('final list', () => {
  const ladder = cutLadder(modelRun);
  const kept = ladder.steps[0]!;

  it('accepted drugs are pinned in confidence order, removed dropped, added appended', () => {
    const list = finalList(modelRun, kept, { accepted: ['阿托伐他汀', '阿司匹林'], removed: ['二甲双胍'], added: ['瑞格列奈'] }, formulary);
    expect(list.map((d) => [d.name, d.origin, d.accepted])).toEqual([
      ['阿司匹林', 'recommended', true],
      ['阿卡波糖', 'recommended', false],
      ['阿托伐他汀', 'recommended', true],
      ['瑞格列奈', 'added', false],
    ]);
    expect(list[3]!.drugClass).toBe(formulary.get('瑞格列奈')!.class);
  });

  it('exports a numbered list with classes and CHIP JSON', () => {
    const list = finalList(modelRun, atStep(ladder, -2).drugs, { accepted: [], removed: [], added: [] }, formulary);
    expect(exportText(list)).toBe('1. 阿卡波糖（α-糖苷酶抑制剂）\n2. 氨氯地平（二氢吡啶类CCB）');
    expect(JSON.parse(chipJson('v-1', list))).toEqual([{ ID: 'v-1', prediction: ['阿卡波糖', '氨氯地平'] }]);
    const doses: Record<string, string> = { 阿卡波糖: '50mg tid' };
    expect(exportText(list, (n) => doses[n] ?? '')).toBe('1. 阿卡波糖（α-糖苷酶抑制剂） 50mg tid\n2. 氨氯地平（二氢吡啶类CCB）');
  });

  it('searches candidates by trade name / alias, never returning free text', () => {
    expect(searchCandidates('拜糖平', formulary)[0]).toBe('阿卡波糖');
    expect(searchCandidates('立普妥', formulary)[0]).toBe('阿托伐他汀');
    expect(searchCandidates('他汀', formulary)).toContain('瑞舒伐他汀');
    expect(searchCandidates('不存在的药', formulary)).toEqual([]);
  });
});
