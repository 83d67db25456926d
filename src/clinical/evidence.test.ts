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
  });

  it('labels stopped and negated mentions', () => {
    expect(drugEvidence('阿卡波糖', record, formulary).mentions.map((m) => m.status)).toEqual(['positive', 'stopped']);
    expect(drugEvidence('阿司匹林', record, formulary).mentions.map((m) => m.status)).toEqual(['negated']);
  });

  it('uses group indications (SGLT2i → heart failure) and area keywords', () => {
    expect(drugEvidence('达格列净', record, formulary).diagnoses).toEqual(['2型糖尿病', '慢性心力衰竭']);
    expect(drugEvidence('非布司他', record, formulary)).toEqual({ drug: '非布司他', diagnoses: ['高尿酸血症'], mentions: [] });
    expect(drugEvidence('氨氯地平', record, formulary).diagnoses).toEqual(['高血压病2级（高危）']);
  });

  it('no diagnosis and no mention → empty evidence', () => {
    expect(drugEvidence('左甲状腺素', record, formulary)).toEqual({ drug: '左甲状腺素', diagnoses: [], mentions: [] });
  });
});
