/** Shared builders for baseline tests (not used by production code). */
import type { CDrugRedRecord } from '../record.ts';

export function rec(id: string, fields: Partial<CDrugRedRecord> = {}): CDrugRedRecord {
  return {
    患者序号: '',
    就诊标识: id,
    性别: '',
    出生日期: '',
    民族: '',
    BMI: null,
    就诊时间: '',
    诊疗过程描述: '',
    入院情况: '',
    现病史: '',
    既往史: '',
    主诉: '',
    出院诊断: [],
    ...fields,
  };
}

/** A tiny hand-made training set (diagnoses → discharge drugs, mixed alias spellings). */
export const TRAIN: CDrugRedRecord[] = [
  rec('t1', { 出院诊断: ['2型糖尿病'], 出院带药列表: ['盐酸二甲双胍缓释片', '阿卡波糖片'] }),
  rec('t2', { 出院诊断: ['II型糖尿病', '高血压病2级'], 出院带药列表: ['二甲双胍', '苯磺酸氨氯地平片'] }),
  rec('t3', { 出院诊断: ['T2DM', '高血压病3级（极高危）'], 出院带药列表: ['二甲双胍片', '氨氯地平', '某中成药'] }),
  rec('t4', { 出院诊断: ['2型糖尿病', '高脂血症'], 出院带药列表: ['二甲双胍', '阿托伐他汀钙片'] }),
  rec('t5', { 出院诊断: ['高脂血症', '冠心病'], 出院带药列表: ['阿托伐他汀', '阿司匹林肠溶片'] }),
  rec('t6', { 出院诊断: ['冠状动脉粥样硬化性心脏病', '高血压'], 出院带药列表: ['阿司匹林', '氨氯地平', '阿托伐他汀'] }),
];
