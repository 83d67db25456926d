import { describe, expect, it } from 'vitest';
import type { MentionStatus } from './baselines/mention.ts';
import { completeDischargeList } from './discharge-list.ts';
import { Formulary } from './formulary.ts';

const formulary = Formulary.bundled();
const list = (course: string) => {
  const l = completeDischargeList({ 诊疗过程描述: course }, formulary);
  return l === null ? null : [...l].sort();
};

describe('completeDischargeList (RULE-1208d)', () => {
  it('reads a numbered or separated list that names several drugs', () => {
    expect(list('血糖达标。\n出院后继续：①盐酸二甲双胍片0.5g tid(餐中)；②西格列汀片100mg qd；③厄贝沙坦片150mg qd。\n1月后复查血脂、肝功。')).toEqual(['二甲双胍', '厄贝沙坦', '西格列汀'].sort());
    expect(list('出院带药（共3种）：\n1.门冬胰岛素30注射液（诺和锐30）早16U、晚12U 餐前\n2.阿卡波糖片 50mg tid\n3.阿司匹林肠溶片 100mg qd')).toEqual(['门冬胰岛素30', '阿卡波糖', '阿司匹林'].sort());
  });

  it('with the note\'s statuses, a list whose only references are area continuations goes on with those areas\' drugs (RULE-1209m)', () => {
    const course = '出院带药：甘精胰岛素注射液16U睡前；二甲双胍缓释片1.0g qd；阿托伐他汀钙片20mg qn。降压同前。';
    const statuses = new Map<string, MentionStatus>([
      ['甘精胰岛素', 'discharge'],
      ['二甲双胍', 'discharge'],
      ['阿托伐他汀', 'discharge'],
      ['氨氯地平', 'positive'],
      ['格列美脲', 'stopped'],
    ]);
    const read = (c: string) => {
      const l = completeDischargeList({ 诊疗过程描述: c }, formulary, statuses);
      return l === null ? null : [...l].sort();
    };
    expect(read(course)).toEqual(['二甲双胍', '氨氯地平', '甘精胰岛素', '阿托伐他汀'].sort());
    // without the statuses, or with another reference, the list is not read
    expect(list(course)).toBeNull();
    expect(read(course + '余药同前。')).toBeNull();
  });

  it('reads an item that carries its duration (RULE-1209l)', () => {
    expect(list('出院带药：①诺和锐30 早16u 晚12u；②左氧氟沙星片0.5g qd，再服10天；③拜阿司匹灵100mg qd。门诊换药。')).toEqual(['门冬胰岛素30', '左氧氟沙星', '阿司匹林'].sort());
  });

  it('reads an item that carries a dose-change remark (RULE-1209b)', () => {
    expect(list('院外继续：\n1. 二甲双胍片 0.5g bid（减量）\n2. 达格列净片 10mg qd\n3. 缬沙坦胶囊 160mg qd（加量）\n低盐饮食。')).toEqual(['二甲双胍', '达格列净', '缬沙坦'].sort());
  });

  it('opens with any of the guide\'s plan cues, 出院续服 and 出院方案 too (RULE-1208i)', () => {
    expect(list('秋水仙碱+依托考昔，症状缓解。出院续服：非布司他20mg qd，秋水仙碱0.5mg qd。')).toEqual(['秋水仙碱', '非布司他'].sort());
  });

  it('is no complete list when it keeps anything by reference or by class, or names one drug', () => {
    expect(list('出院带药：二甲双胍0.5g tid，氨氯地平5mg qd。降压方案同前。')).toBeNull();
    expect(list('出院带药：甲巯咪唑片10mg bid，琥珀酸美托洛尔缓释片47.5mg qd；利尿剂继续口服。')).toBeNull();
    expect(list('出院带药：非诺贝特胶囊200mg qn；胰岛素及二甲双胍如上。')).toBeNull();
    expect(list('出院后继续口服甲钴胺片营养神经。')).toBeNull();
    expect(list('调整降糖方案。')).toBeNull();
  });

  it('is not read when an item may be a drug the lexicon does not know', () => {
    expect(list('出院带药：络活喜 2.5mg qd，吉加，非布司他片，拜糖平。')).toBeNull();
    // a dose fragment or an instruction is no unknown drug
    expect(list('出院带药：门冬胰岛素30注射液早16U、晚12U 餐前；阿卡波糖片50mg tid，监测血糖。')).toEqual(['门冬胰岛素30', '阿卡波糖'].sort());
  });
});
