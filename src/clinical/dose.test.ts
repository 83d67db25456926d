import { describe, expect, it } from 'vitest';
import { rec } from './baselines/test-helpers.ts';
import { doseAfter, doseText, suggestDose, USUAL_DOSES } from './dose.ts';
import { Formulary } from './formulary.ts';

const formulary = Formulary.bundled();

describe('dose carried forward from the note', () => {
  it('a continued drug keeps the dose the note gives, citing its words (trade name included)', () => {
    const r = rec('d', { 现病史: '2型糖尿病10年，长期服用格华止0.5g tid，血糖控制可。', 出院诊断: ['2型糖尿病'] });
    const s = suggestDose('二甲双胍', r, formulary);
    expect(s).toEqual({ kind: 'note', dose: '0.5g', frequency: 'tid', quote: { field: '现病史', text: '长期服用格华止0.5g tid' } });
    expect(doseText(s as Exclude<typeof s, { kind: 'none' }>)).toBe('0.5g tid');
  });

  it('reads dosage forms, parenthesised trade names, 每次 and Chinese frequencies', () => {
    expect(doseAfter('苯磺酸氨氯地平片5mg qd', 7)).toMatchObject({ dose: '5mg', frequency: 'qd' });
    expect(doseAfter('阿托伐他汀钙片（立普妥）20mg qn', 7)).toMatchObject({ dose: '20mg', frequency: 'qn' });
    expect(doseAfter('二甲双胍 每次0.5g 每日3次', 4)).toMatchObject({ dose: '0.5g', frequency: '每日3次' });
    expect(doseAfter('甘精胰岛素 12U 睡前皮下注射', 5)).toMatchObject({ dose: '12U', frequency: '睡前' });
    expect(doseAfter('二甲双胍治疗', 4)).toBeNull();
  });

  it('the latest taking statement with a dose wins ("剂量调整为" style re-statements)', () => {
    const r = rec('d', { 既往史: '服用二甲双胍0.5g bid。', 现病史: '近半年加量，目前二甲双胍0.85g bid。' });
    expect(suggestDose('二甲双胍', r, formulary)).toMatchObject({ kind: 'note', dose: '0.85g', frequency: 'bid' });
  });

  it('a stopped drug does not carry its old dose: the usual starting dose is offered as a default', () => {
    const r = rec('d', { 既往史: '服用缬沙坦160mg qd。', 现病史: '1月前因血钾高停用缬沙坦。' });
    const s = suggestDose('缬沙坦', r, formulary);
    expect(s.kind).toBe('default');
    expect(s).toMatchObject({ dose: '80mg', frequency: 'qd' });
  });
});

describe('usual starting dose (default)', () => {
  it('a new drug gets the table dose with its source; an unlisted drug has no default', () => {
    const r = rec('d', { 出院诊断: ['2型糖尿病'] });
    const s = suggestDose('二甲双胍', r, formulary);
    expect(s).toMatchObject({ kind: 'default', dose: '0.5g', frequency: 'bid' });
    expect(s.kind === 'default' && s.citation).toContain('说明书');
    expect(suggestDose('华法林', r, formulary)).toEqual({ kind: 'none' });
  });

  it('every table row names a candidate-list drug and a listed source', () => {
    const ids = new Set(USUAL_DOSES.sources.map((s) => s.id));
    for (const row of USUAL_DOSES.doses) {
      expect(formulary.get(row.drug), row.drug).toBeDefined();
      expect(ids.has(row.source), `${row.drug} source ${row.source}`).toBe(true);
      expect(row.dose).toMatch(/\d/);
      expect(row.frequency).not.toBe('');
    }
    expect(new Set(USUAL_DOSES.doses.map((r) => r.drug)).size).toBe(USUAL_DOSES.doses.length);
  });
});
