import { describe, expect, it } from 'vitest';
import { Formulary } from './formulary.ts';
import { impliedPlans } from './implied-drugs.ts';
import { mentionStatuses, type PromptRecord } from './prompt.ts';
import type { CDrugRedRecord } from './record.ts';

const f = Formulary.bundled();
const rec = (fields: Partial<CDrugRedRecord>): CDrugRedRecord =>
  ({ 主诉: '', 现病史: '', 既往史: '', 入院情况: '', 诊疗过程描述: '', 出院诊断: ['痛风（间歇期）', '高尿酸血症'], ...fields }) as CDrugRedRecord;
const implied = (r: CDrugRedRecord) => impliedPlans(r, f, mentionStatuses(r as unknown as PromptRecord, f)).map((p) => p.usual);

describe('impliedPlans', () => {
  it('a urate-lowering start in gout implies colchicine prophylaxis', () => {
    for (const course of [
      '关节炎症已消退，加用非布司他片20mg qd。',
      '间歇期，启动降尿酸：非布司他 20mg qd起，4w后据UA加量。',
      '非布司他20mg qd起始，目标UA<360。',
      'UA 568，尿pH 5.4，启动优立通 20mg qd，小苏打 1g tid。',
      '予苯溴马隆片25mg qd，多饮水。',
    ]) {
      expect(implied(rec({ 诊疗过程描述: course })), course).toEqual(['秋水仙碱']);
    }
  });

  it('a home urate-lowering drug the note stopped (an allopurinol rash) leaves the next one a new start (RULE-1210a)', () => {
    const r = rec({ 现病史: '2周前加用别嘌醇片100mg bid，5天前出现皮疹，已自行停药。', 诊疗过程描述: '别嘌醇终身禁用。皮疹消退后改用非布司他片20mg qd起始。' });
    expect(implied(r)).toEqual(['秋水仙碱']);
  });

  it('no plan for a continued home drug, a deferred start, a note without gout, or a note that names colchicine', () => {
    expect(implied(rec({ 现病史: '痛风5年，长期口服别嘌醇0.1g bid。', 诊疗过程描述: '别嘌醇加量至0.2g bid，予别嘌醇继续降尿酸。' }))).toEqual([]);
    expect(implied(rec({ 既往史: '高尿酸血症，服非布司他。', 诊疗过程描述: '加用非布司他20mg qd。' }))).toEqual([]);
    expect(implied(rec({ 诊疗过程描述: '急性期，暂不启动降尿酸，待炎症消退后加用非布司他。' }))).toEqual([]);
    expect(implied(rec({ 诊疗过程描述: '加用非布司他20mg qd。', 出院诊断: ['高尿酸血症', '2型糖尿病'] }))).toEqual([]);
    expect(implied(rec({ 诊疗过程描述: '加用非布司他20mg qd，秋水仙碱0.5mg qd预防发作。' }))).toEqual([]);
    expect(implied(rec({ 诊疗过程描述: '加用非布司他20mg qd，因腹泻不用秋水仙碱。' }))).toEqual([]);
    // A start word for another drug does not start the urate-lowering one.
    expect(implied(rec({ 诊疗过程描述: '加用氨氯地平5mg qd，非布司他同前。' }))).toEqual([]);
  });
});
