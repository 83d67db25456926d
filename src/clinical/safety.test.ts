import { describe, expect, it } from 'vitest';
import { rec } from './baselines/test-helpers.ts';
import { Formulary } from './formulary.ts';
import { extractNoteFacts } from './note-facts.ts';
import { checkSafety, contraindicationsFor, warningsFor } from './safety.ts';

const formulary = Formulary.bundled();
const plain = extractNoteFacts(rec('v', { 既往史: '否认药物过敏史', 出院诊断: ['2型糖尿病'] }));

describe('checkSafety', () => {
  it('eGFR 25 + 二甲双胍 → contraindication citing the source and the note', () => {
    const facts = extractNoteFacts(
      rec('v', {
        现病史: '长期口服盐酸二甲双胍片0.5g tid。',
        入院情况: '血肌酐 210μmol/L↑，eGFR 25 mL/min/1.73m²。',
        出院诊断: ['2型糖尿病', '慢性肾脏病4期'],
      }),
    );
    const w = checkSafety(['二甲双胍', '利格列汀'], facts, formulary);
    const ci = w.filter((x) => x.kind === 'contraindication');
    expect(ci).toHaveLength(1);
    expect(ci[0]).toMatchObject({
      drug: '二甲双胍',
      reason: 'egfr_below',
      source: 'cds2020',
      egfr: { value: 25, limit: 30 },
      evidence: { field: '入院情况', text: 'eGFR 25 mL/min/1.73m²' },
    });
    expect(ci[0]!.kind === 'contraindication' && ci[0]!.citation).toContain('中国2型糖尿病防治指南');
    // eGFR 72: no warning.
    const ok = extractNoteFacts(rec('v', { 入院情况: 'eGFR 72 mL/min/1.73m²' }));
    expect(checkSafety(['二甲双胍'], ok, formulary)).toEqual([]);
  });

  it('二甲双胍 + 西格列汀二甲双胍 → duplication (biguanide): a combination duplicates its components', () => {
    const w = checkSafety(['西格列汀二甲双胍', '二甲双胍'], plain, formulary);
    expect(w).toEqual([{ kind: 'duplication', group: 'biguanide', drugs: ['西格列汀二甲双胍', '二甲双胍'] }]);
    expect(checkSafety(['西格列汀二甲双胍', '达格列净'], plain, formulary).filter((x) => x.kind === 'duplication')).toEqual([]);
  });

  it('阿托伐他汀 + 瑞舒伐他汀 → duplication (statin)', () => {
    const w = checkSafety(['阿托伐他汀', '二甲双胍', '瑞舒伐他汀'], plain, formulary);
    expect(w).toEqual([{ kind: 'duplication', group: 'statin', drugs: ['阿托伐他汀', '瑞舒伐他汀'] }]);
  });

  it('氯吡格雷 + 奥美拉唑 → interaction found from either side, once', () => {
    for (const list of [
      ['氯吡格雷', '奥美拉唑'],
      ['奥美拉唑', '氯吡格雷'],
    ]) {
      const w = checkSafety(list, plain, formulary).filter((x) => x.kind === 'interaction');
      expect(w).toHaveLength(1);
      expect(w[0]).toMatchObject({ drugs: ['氯吡格雷', '奥美拉唑'], severity: 'moderate', source: 'fda_clopidogrel_ppi_2009' });
    }
  });

  it('a group interaction (ARB ↔ group:acei) is found from the ACEI side too', () => {
    const w = checkSafety(['依那普利', '厄贝沙坦'], plain, formulary).filter((x) => x.kind === 'interaction');
    expect(w.map((x) => x.kind === 'interaction' && x.severity)).toContain('major');
    expect(warningsFor('依那普利', w)).toHaveLength(w.length);
  });

  it('a premixed insulin beside a basal insulin is a major interaction, once; beside a prandial insulin it is none', () => {
    const w = checkSafety(['德谷门冬双胰岛素', '德谷胰岛素'], plain, formulary).filter((x) => x.kind === 'interaction');
    expect(w).toHaveLength(1);
    expect(w[0]?.kind === 'interaction' && w[0].severity).toBe('major');
    expect(checkSafety(['门冬胰岛素30', '门冬胰岛素'], plain, formulary).filter((x) => x.kind === 'interaction')).toEqual([]);
  });

  it('negated allergy → no allergy warning; a stated 磺胺 allergy → 格列美脲 warned', () => {
    expect(contraindicationsFor('格列美脲', plain, formulary)).toEqual([]);
    const allergic = extractNoteFacts(rec('v', { 既往史: '磺胺类药物过敏。' }));
    const w = contraindicationsFor('格列美脲', allergic, formulary);
    expect(w.map((x) => x.reason)).toContain('allergy');
    expect(w.find((x) => x.reason === 'allergy')?.evidence.text).toBe('磺胺类药物过敏');
  });

  it('an allergy to the drug itself (by alias) is flagged even without a formulary fact', () => {
    const facts = extractNoteFacts(rec('v', { 既往史: '对拜糖平过敏。' }));
    expect(contraindicationsFor('阿卡波糖', facts, formulary).map((x) => x.reason)).toEqual(['allergy-self']);
  });

  it('condition keywords: 酮症酸中毒 → 达格列净; negated 心力衰竭 does not fire', () => {
    const dka = extractNoteFacts(rec('v', { 出院诊断: ['2型糖尿病', '糖尿病酮症酸中毒'] }));
    expect(contraindicationsFor('达格列净', dka, formulary).map((x) => x.reason)).toContain('condition');
    const noHf = extractNoteFacts(rec('v', { 既往史: '否认心力衰竭病史' }));
    expect(contraindicationsFor('吡格列酮', noHf, formulary)).toEqual([]);
    const hf = extractNoteFacts(rec('v', { 出院诊断: ['慢性心力衰竭 心功能III级'] }));
    expect(contraindicationsFor('吡格列酮', hf, formulary).length).toBeGreaterThan(0);
  });
});

describe('conditions the note treats, and a caution instead of a contraindication (RULE-1208b)', () => {
  const facts = (fields: Parameters<typeof rec>[1]) => extractNoteFacts(rec('v', fields));
  const lt4 = (f: Parameters<typeof rec>[1]) => contraindicationsFor('左甲状腺素', facts(f), formulary).map((w) => [w.note, w.caution === true]);

  it('untreated adrenal insufficiency withholds levothyroxine; glucocorticoid replacement in the note makes it a caution', () => {
    const ai = { 出院诊断: ['肾上腺危象', '腺垂体功能减退症'], 诊疗过程描述: '发放肾上腺皮质功能不全急救卡。' };
    expect(lt4(ai)).toEqual([['未经治疗的肾上腺皮质功能不全禁用(先行糖皮质激素替代)', false]]);
    expect(lt4({ ...ai, 现病史: '长期口服氢化可的松片（早20mg、下午10mg）及左甲状腺素钠片75μg qd替代。' })).toEqual([
      ['未经治疗的肾上腺皮质功能不全禁用(先行糖皮质激素替代)', true],
    ]);
    // a glucocorticoid the note denies or stops does not treat it
    expect(lt4({ ...ai, 现病史: '未服用氢化可的松。' })).toEqual([['未经治疗的肾上腺皮质功能不全禁用(先行糖皮质激素替代)', false]]);
    // the glucocorticoid treats the adrenal condition only: thyrotoxicosis still withholds it
    expect(lt4({ 出院诊断: ['亚急性甲状腺炎', '甲状腺毒症'], 诊疗过程描述: '予泼尼松30mg qd。' })).toEqual([['急性心肌梗死、未经治疗的甲状腺毒症禁用', false]]);
  });

  it('mild neutropenia is a caution for methimazole; agranulocytosis still withholds it', () => {
    const mmi = (dx: string) => contraindicationsFor('甲巯咪唑', facts({ 出院诊断: ['Graves病', dx] }), formulary).map((w) => [w.note, w.caution === true]);
    expect(mmi('中性粒细胞减少症')).toEqual([['中性粒细胞减少者慎用, 用药前后监测血常规', true]]);
    expect(mmi('粒细胞缺乏症（甲巯咪唑所致）')).toEqual([['既往用药后发生粒细胞缺乏者禁用', false]]);
  });
});
