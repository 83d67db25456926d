import { describe, expect, it } from 'vitest';
import { AREA_REASONS, isUnsupportedArea, supportedAreas } from './area-support.ts';
import { recordFromObject } from './withhold.ts';
import { Formulary } from './formulary.ts';

const areasOf = (fields: Record<string, unknown>) => supportedAreas(recordFromObject(fields));

describe('therapeutic areas a note gives a reason for', () => {
  it('a diagnosis, a finding or a lab of the area supports it; other areas stay unsupported', () => {
    const a = areasOf({ 出院诊断: ['甲状腺乳头状癌术后', '术后甲状腺功能减退症'], 诊疗过程描述: 'TSH 8.26↑，Tg<0.04，TGAb 12，L-T4加量。' });
    expect(a.has('thyroid')).toBe(true);
    expect(a.has('lipids')).toBe(false);
    expect(a.has('diabetes')).toBe(false);
    const b = areasOf({ 诊疗过程描述: '查LDL-C 4.1mmol/L，HbA1c 8.2%。', 既往史: '阵发性房颤3年。' });
    expect([...b].filter((x) => ['lipids', 'diabetes', 'antithrombotic', 'cardiac'].includes(x)).sort()).toEqual(['antithrombotic', 'cardiac', 'diabetes', 'lipids']);
  });

  it('an infection supports the anti-infective area; a non-infectious 炎 does not (RULE-1210g)', () => {
    expect(areasOf({ 出院诊断: ['桥本甲状腺炎', '甲状腺功能减退症'] }).has('anti-infective')).toBe(false);
    expect(areasOf({ 出院诊断: ['痛风性关节炎急性发作'] }).has('anti-infective')).toBe(false);
    expect(areasOf({ 出院诊断: ['急性膀胱炎', '2型糖尿病'] }).has('anti-infective')).toBe(true);
    expect(areasOf({ 出院诊断: ['社区获得性肺炎'] }).has('anti-infective')).toBe(true);
  });

  it('a negated word is no reason ("否认冠心病、糖尿病"), but the same word elsewhere unnegated is', () => {
    const r = areasOf({ 既往史: '否认冠心病、糖尿病病史。', 出院诊断: ['高血压病2级'] });
    expect(r.has('hypertension')).toBe(true);
    expect(r.has('diabetes')).toBe(false);
    expect(r.has('antithrombotic')).toBe(false);
    expect(areasOf({ 既往史: '否认冠心病。', 出院诊断: ['冠心病'] }).has('antithrombotic')).toBe(true);
  });

  it('only areas with a table entry can be unsupported; every entry is a bundled-formulary area', () => {
    expect(isUnsupportedArea('other', new Set())).toBe(false);
    expect(isUnsupportedArea('lipids', new Set())).toBe(true);
    expect(isUnsupportedArea('lipids', new Set(['lipids']))).toBe(false);
    const used = new Set(Formulary.bundled().drugs.map((d) => d.area));
    for (const area of Object.keys(AREA_REASONS)) expect([area, used.has(area as never)]).toEqual([area, true]);
  });
});
