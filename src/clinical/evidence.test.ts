import { describe, expect, it } from 'vitest';
import { rec } from './baselines/test-helpers.ts';
import { drugEvidence } from './evidence.ts';
import { Formulary } from './formulary.ts';

const formulary = Formulary.bundled();
const record = rec('v', {
  现病史: '患者8年前诊断为"2型糖尿病"，长期口服盐酸二甲双胍片0.5g tid、拜糖平50mg tid，后因腹胀停用拜糖平。',
  既往史: '高血压病史10年，服用苯磺酸氨氯地平片5mg qd；否认阿司匹林服用史。',
  诊疗过程描述: '入院后予胰岛素泵强化降糖，前列地尔注射液静滴改善循环，加用达格列净。',
  出院诊断: ['2型糖尿病', '高血压病2级（高危）', '慢性心力衰竭', '高尿酸血症'],
});

describe('drugEvidence', () => {
  it('links a drug to the diagnoses it treats and to its mentions', () => {
    const e = drugEvidence('二甲双胍', record, formulary);
    expect(e.diagnoses).toEqual(['2型糖尿病']);
    expect(e.mentions).toEqual([{ field: '现病史', alias: '盐酸二甲双胍片', snippet: '长期口服盐酸二甲双胍片0.5g tid、拜糖平50mg tid', status: 'positive' }]);
    expect(e.current).toBe('taking');
    expect(e.supported).toBe(true);
  });

  it('labels stopped and negated mentions', () => {
    expect(drugEvidence('阿卡波糖', record, formulary).mentions.map((m) => m.status)).toEqual(['positive', 'stopped']);
    expect(drugEvidence('阿司匹林', record, formulary).mentions.map((m) => m.status)).toEqual(['negated']);
  });

  it('uses group indications (SGLT2i → heart failure) and area keywords', () => {
    expect(drugEvidence('达格列净', record, formulary).diagnoses).toEqual(['2型糖尿病', '慢性心力衰竭']);
    expect(drugEvidence('非布司他', record, formulary)).toEqual({ drug: '非布司他', diagnoses: ['高尿酸血症'], mentions: [], current: null, supported: true });
    expect(drugEvidence('氨氯地平', record, formulary).diagnoses).toEqual(['高血压病2级（高危）']);
  });

  it('no diagnosis and no mention → empty evidence', () => {
    expect(drugEvidence('左甲状腺素', record, formulary)).toEqual({ drug: '左甲状腺素', diagnoses: [], mentions: [], current: null, supported: false });
  });

  it('a drug the note only negates or stopped is not supported by the note', () => {
    const e = drugEvidence('阿司匹林', record, formulary);
    expect(e.supported).toBe(false);
    expect(drugEvidence('阿卡波糖', record, formulary).current).toBe('stopped');
  });
});

describe('indications that are right (issue 12)', () => {
  const kidney = rec('k', { 出院诊断: ['2型糖尿病', '糖尿病肾病 慢性肾脏病3期', '肾性贫血', '高血压病3级'] });
  const hf = rec('h', { 出院诊断: ['高血压病2级', '慢性心力衰竭 心功能Ⅲ级', '2型糖尿病'] });

  it('an ARB treats hypertension and diabetic kidney disease, never renal anaemia', () => {
    const dx = drugEvidence('厄贝沙坦', kidney, formulary).diagnoses;
    expect(dx).toEqual(['糖尿病肾病 慢性肾脏病3期', '高血压病3级']);
    expect(dx).not.toContain('肾性贫血');
    expect(drugEvidence('厄贝沙坦', rec('a', { 出院诊断: ['肾性贫血'] }), formulary).diagnoses).toEqual([]);
  });

  it('with heart failure, β-blocker / furosemide / spironolactone cite the heart failure first', () => {
    expect(drugEvidence('美托洛尔', hf, formulary).diagnoses).toEqual(['慢性心力衰竭 心功能Ⅲ级', '高血压病2级']);
    expect(drugEvidence('螺内酯', hf, formulary).diagnoses[0]).toBe('慢性心力衰竭 心功能Ⅲ级');
    // A loop diuretic is not a first-line antihypertensive: with heart failure, only that.
    expect(drugEvidence('呋塞米', hf, formulary).diagnoses).toEqual(['慢性心力衰竭 心功能Ⅲ级']);
    // Without heart failure, the hypertension is still their indication.
    expect(drugEvidence('呋塞米', rec('x', { 出院诊断: ['高血压病2级'] }), formulary).diagnoses).toEqual(['高血压病2级']);
  });

  it('taking then stopped: the latest statement decides; both are kept in time order', () => {
    const r = rec('s', {
      既往史: '高血压病史5年，服用缬沙坦80mg qd。',
      现病史: '半年前因血钾偏高停用缬沙坦。',
      出院诊断: ['高血压病'],
    });
    const e = drugEvidence('缬沙坦', r, formulary);
    expect(e.mentions.map((x) => [x.field, x.status])).toEqual([['既往史', 'positive'], ['现病史', 'stopped']]);
    expect(e.current).toBe('stopped');
    const restarted = rec('s2', { 现病史: '停用二甲双胍1月，入院前恢复二甲双胍0.5g bid。', 出院诊断: ['2型糖尿病'] });
    const e2 = drugEvidence('二甲双胍', restarted, formulary);
    expect(e2.mentions.map((x) => x.status)).toEqual(['stopped', 'positive']);
    expect(e2.current).toBe('taking');
  });
});
