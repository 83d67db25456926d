import { describe, expect, it } from 'vitest';
import { rec } from '../../clinical/baselines/test-helpers.ts';
import { Formulary } from '../../clinical/formulary.ts';
import type { RecommendRun } from '../../state/note-store.ts';
import { chipJson, exportText, finalList, searchCandidates, thresholded } from './final-list.ts';

const formulary = Formulary.bundled();
const drug = (name: string, score: number) => ({ name, drugClass: formulary.get(name)?.class ?? '', score });
const modelRun: RecommendRun = {
  source: 'model',
  ranked: [drug('二甲双胍', 0.9), drug('阿卡波糖', 0.7), drug('氨氯地平', 0.6), drug('阿托伐他汀', 0.4)],
  // P(stop) before drug 1..4 and after the last.
  stopProbabilities: [0.01, 0.2, 0.5, 0.7, 0.95],
  defaultCut: 0.45,
  minConfidence: 0,
  minDrugs: 1,
  beamWidth: 1,
  record: rec('v-1'),
};

describe('final list', () => {
  it('re-thresholds the model trajectory: higher cut → fewer drugs', () => {
    expect(thresholded(modelRun, 0).map((d) => d.name)).toHaveLength(4);
    expect(thresholded(modelRun, 0.45).map((d) => d.name)).toEqual(['二甲双胍', '阿卡波糖', '氨氯地平']);
    expect(thresholded(modelRun, 0.6).map((d) => d.name)).toEqual(['二甲双胍', '阿卡波糖']);
    expect(thresholded(modelRun, 1).map((d) => d.name)).toEqual(['二甲双胍']);
  });

  it('baseline: cut-off over scores, at least the top drug', () => {
    const run: RecommendRun = { ...modelRun, source: 'baseline', stopProbabilities: null };
    expect(thresholded(run, 0.65).map((d) => d.name)).toEqual(['二甲双胍', '阿卡波糖']);
    expect(thresholded(run, 0.99).map((d) => d.name)).toEqual(['二甲双胍']);
  });

  it('accepted drugs are pinned, removed drugs dropped, added drugs appended', () => {
    const list = finalList(modelRun, 1, { accepted: ['阿托伐他汀'], removed: ['二甲双胍'], added: ['瑞格列奈'] }, formulary);
    expect(list.map((d) => [d.name, d.origin, d.accepted])).toEqual([
      ['阿托伐他汀', 'recommended', true],
      ['瑞格列奈', 'added', false],
    ]);
    expect(list[1]!.drugClass).toBe(formulary.get('瑞格列奈')!.class);
  });

  it('exports a numbered list with classes and CHIP JSON', () => {
    const list = finalList(modelRun, 0.6, { accepted: [], removed: [], added: [] }, formulary);
    expect(exportText(list)).toBe('1. 二甲双胍（双胍类）\n2. 阿卡波糖（α-糖苷酶抑制剂）');
    expect(JSON.parse(chipJson('v-1', list))).toEqual([{ ID: 'v-1', prediction: ['二甲双胍', '阿卡波糖'] }]);
  });

  it('searches candidates by trade name / alias, never returning free text', () => {
    expect(searchCandidates('拜糖平', formulary)[0]).toBe('阿卡波糖');
    expect(searchCandidates('立普妥', formulary)[0]).toBe('阿托伐他汀');
    expect(searchCandidates('他汀', formulary)).toContain('瑞舒伐他汀');
    expect(searchCandidates('不存在的药', formulary)).toEqual([]);
  });
});
