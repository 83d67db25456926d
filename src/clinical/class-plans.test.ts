import { describe, expect, it } from 'vitest';
import { MINI_FORMULARY } from './__fixtures__/mini-formulary.ts';
import { classPlannedDrugs, classStatuses } from './class-plans.ts';
import { Formulary } from './formulary.ts';

const formulary = Formulary.fromJson(MINI_FORMULARY, 'mini');
const note = (诊疗过程描述: string, 既往史 = '') => ({ 既往史, 诊疗过程描述 });

describe('class-level plans', () => {
  it('a class the note plans without naming a drug of it gives every drug of the class', () => {
    const r = note('HbA1c 8.4%，加用SGLT2抑制剂护肾，予甲状腺激素替代。');
    expect(classStatuses(r, formulary)).toEqual(new Map([['sglt2', 'positive'], ['thyroxine', 'positive']]));
    expect(classPlannedDrugs(r, formulary)).toEqual(new Set(['达格列净', '左甲状腺素']));
  });

  it('a class whose drug the note names is no open plan: the named drug is the plan', () => {
    const r = note('他汀强化降脂。', '口服阿托伐他汀20mg qn。');
    expect(classStatuses(r, formulary).get('statin')).toBe('positive');
    expect(classPlannedDrugs(r, formulary)).toEqual(new Set());
  });

  it('a class the note stops, defers or denies is not planned, and a drug name is no class word', () => {
    expect(classPlannedDrugs(note('停用磺脲类，暂不加用他汀，否认使用DPP-4抑制剂。'), formulary)).toEqual(new Set());
    expect(classStatuses(note('停用磺脲类，暂不加用他汀。'), formulary)).toEqual(new Map([['sulfonylurea', 'stopped'], ['statin', 'stopped']]));
    // the 他汀 of 瑞舒伐他汀 is the drug, not the class; a thyroid-hormone test is not a therapy
    expect(classStatuses(note('予瑞舒伐他汀10mg qn，复查甲状腺激素水平。'), formulary)).toEqual(new Map());
  });

  it('the latest statement about a class wins, as for a drug', () => {
    expect(classPlannedDrugs(note('因尿路感染停用SGLT2抑制剂。感染控制后出院后继续SGLT2抑制剂。'), formulary)).toEqual(new Set(['达格列净']));
  });
});
