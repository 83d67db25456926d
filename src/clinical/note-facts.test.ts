import { describe, expect, it } from 'vitest';
import { rec } from './baselines/test-helpers.ts';
import { extractNoteFacts, findCondition } from './note-facts.ts';

describe('extractNoteFacts: eGFR', () => {
  it('reads "eGFR 38" and "eGFR(CKD-EPI)：28ml/min", keeping the lowest with its clause', () => {
    const f = extractNoteFacts(
      rec('v', {
        入院情况: 'BP 150/88mmHg，血肌酐 165μmol/L↑，eGFR 38 mL/min/1.73m²。',
        诊疗过程描述: '复查肾功能：eGFR(CKD-EPI)：28ml/min，予调整降糖方案。',
      }),
    );
    expect(f.egfr?.value).toBe(28);
    expect(f.egfr?.source).toEqual({ field: '诊疗过程描述', text: '复查肾功能：eGFR(CKD-EPI)：28ml/min' });
  });

  it('reads full-width brackets, 估算肾小球滤过率 and 肌酐清除率; none when absent', () => {
    expect(extractNoteFacts(rec('v', { 入院情况: 'eGFR（EPI）为45.5ml/min/1.73m2' })).egfr?.value).toBe(45.5);
    expect(extractNoteFacts(rec('v', { 入院情况: '估算肾小球滤过率 52 ml/min' })).egfr?.value).toBe(52);
    expect(extractNoteFacts(rec('v', { 入院情况: '肌酐清除率24ml/min' })).egfr?.value).toBe(24);
    expect(extractNoteFacts(rec('v', { 诊疗过程描述: '复查eGFR下降至19' })).egfr?.value).toBe(19);
    expect(extractNoteFacts(rec('v', { 入院情况: 'HbA1c 9.6%↑，LDL-C 3.8mmol/L' })).egfr).toBeNull();
  });
});

describe('extractNoteFacts: allergies', () => {
  it('"否认药物过敏史" is a denial, not an allergy', () => {
    const f = extractNoteFacts(rec('v', { 既往史: '高血压病史10年。否认药物过敏史。' }));
    expect(f.allergies).toEqual([]);
    expect(f.deniesAllergy?.text).toBe('否认药物过敏史');
  });

  it('"磺胺类药物过敏", "对青霉素过敏" and "过敏史：头孢类、碘造影剂" are allergies with their source', () => {
    const f = extractNoteFacts(
      rec('v', {
        既往史: '高血压病史10年，服用苯磺酸氨氯地平片5mg qd；磺胺类药物过敏。自诉对青霉素过敏，否认食物过敏史。',
        入院情况: '过敏史：头孢类、碘造影剂',
      }),
    );
    expect(f.allergies.map((a) => a.substance)).toEqual(['磺胺类', '青霉素', '头孢类', '碘造影剂']);
    expect(f.allergies[0]!.source).toEqual({ field: '既往史', text: '磺胺类药物过敏' });
  });

  it('"过敏性鼻炎" is a disease, not an allergy', () => {
    expect(extractNoteFacts(rec('v', { 既往史: '患过敏性鼻炎10年，对阿司匹林过敏' })).allergies.map((a) => a.substance)).toEqual(['阿司匹林']);
  });

  it('"过敏史：无" is a denial', () => {
    const f = extractNoteFacts(rec('v', { 既往史: '过敏史：无。' }));
    expect(f.allergies).toEqual([]);
    expect(f.deniesAllergy).not.toBeNull();
  });
});

describe('extractNoteFacts: pregnancy', () => {
  it('finds a current pregnancy, ignores negation, obstetric history and men', () => {
    expect(extractNoteFacts(rec('v', { 性别: '女', 现病史: '患者孕24+3周，OGTT异常' })).pregnancy?.source.text).toBe('患者孕24+3周');
    expect(extractNoteFacts(rec('v', { 性别: '女', 出院诊断: ['妊娠期糖尿病', '宫内妊娠28周'] })).pregnancy).not.toBeNull();
    expect(extractNoteFacts(rec('v', { 性别: '女', 既往史: '否认妊娠，孕2产1' })).pregnancy).toBeNull();
    expect(extractNoteFacts(rec('v', { 性别: '男', 现病史: '配偶怀孕' })).pregnancy).toBeNull();
  });
  it('a pregnancy the note places before delivery is over', () => {
    expect(extractNoteFacts(rec('v', { 性别: '女', 现病史: 'Graves病3年，孕期起服PTU，现产后4月哺乳中。' })).pregnancy).toBeNull();
    expect(extractNoteFacts(rec('v', { 性别: '女', 现病史: '孕期起服PTU。' })).pregnancy).not.toBeNull();
  });
});

describe('findCondition', () => {
  const f = extractNoteFacts(
    rec('v', {
      既往史: '否认冠心病病史，无心力衰竭。3年前行膀胱癌切除术。',
      入院情况: '心电图：III度房室传导阻滞',
      出院诊断: ['2型糖尿病', '糖尿病酮症酸中毒'],
    }),
  );
  it('finds a keyword with its clause, skipping negated clauses', () => {
    expect(findCondition(f, '膀胱癌')).toEqual({ field: '既往史', text: '3年前行膀胱癌切除术' });
    expect(findCondition(f, '酮症酸中毒')?.field).toBe('出院诊断');
    expect(findCondition(f, '冠心病')).toBeNull();
    expect(findCondition(f, '心力衰竭')).toBeNull();
    expect(findCondition(f, '1型糖尿病')).toBeNull();
  });
  it('a condition the patient is taught to watch for is not one the patient has', () => {
    const taught = extractNoteFacts(rec('v', { 诊疗过程描述: '予抗甲状腺药物起始，告知粒细胞缺乏及肝损症状，如出现发热、咽痛立即就诊。' }));
    expect(findCondition(taught, '粒细胞缺乏')).toBeNull();
    expect(findCondition(extractNoteFacts(rec('v', { 入院情况: '血常规示粒细胞缺乏。' })), '粒细胞缺乏')).not.toBeNull();
  });
  it('"除外…" excludes a condition as "排除…" does (RULE-1210a)', () => {
    expect(findCondition(extractNoteFacts(rec('v', { 诊疗过程描述: '8am皮质醇 412nmol/L，除外肾上腺皮质功能不全。' })), '肾上腺皮质功能不全')).toBeNull();
    expect(findCondition(extractNoteFacts(rec('v', { 出院诊断: ['肾上腺皮质功能不全'] })), '肾上腺皮质功能不全')).not.toBeNull();
  });
  it('a condition after a bare 防 is one to prevent; 防治 names the disease (RULE-1205h)', () => {
    const prevent = extractNoteFacts(rec('v', { 诊疗过程描述: '加可多华4mg qn（首剂睡前，防体位性低血压）。' }));
    expect(findCondition(prevent, '体位性低血压')).toBeNull();
    expect(findCondition(extractNoteFacts(rec('v', { 入院情况: '卧立位血压示体位性低血压。' })), '体位性低血压')).not.toBeNull();
    expect(findCondition(extractNoteFacts(rec('v', { 诊疗过程描述: '纳入骨质疏松防治管理。' })), '骨质疏松')).not.toBeNull();
  });
  it('"非ST段抬高型心肌梗死" is a myocardial infarction, not a negation', () => {
    expect(findCondition(extractNoteFacts(rec('v', { 出院诊断: ['急性非ST段抬高型心肌梗死'] })), '心肌梗死')).not.toBeNull();
  });
  it('folds Ⅲ / III and case', () => {
    expect(findCondition(f, 'Ⅲ度房室传导阻滞')?.field).toBe('入院情况');
    expect(findCondition(extractNoteFacts(rec('v', { 出院诊断: ['dka'] })), 'DKA')).not.toBeNull();
  });
  it('an ASCII keyword glued to letters on either side is another word ("TG" in "TGAb")', () => {
    const g = extractNoteFacts(rec('v', { 诊疗过程描述: 'TGAb 120IU/ml，TPOAb阳性。' }));
    expect(findCondition(g, 'TG')).toBeNull();
    expect(findCondition(g, 'TPO')).toBeNull();
    expect(findCondition(extractNoteFacts(rec('v', { 诊疗过程描述: 'TG 3.1mmol/L，LDL-C 3.4' })), 'TG')).not.toBeNull();
    expect(findCondition(extractNoteFacts(rec('v', { 诊疗过程描述: 'CKD3b期' })), 'CKD')).not.toBeNull();
    expect(findCondition(extractNoteFacts(rec('v', { 既往史: '服用NSAIDs后胃出血' })), 'NSAID')).not.toBeNull();
  });
});
