import type { FeatureMessages } from '../../../app/i18n.ts';

export type PrintMessageKey =
  | 'title' | 'patientId' | 'visitId' | 'visitDate' | 'printedOn' | 'diagnoses' | 'drugs' | 'colNo' | 'colDrug'
  | 'colClass' | 'colDose' | 'colFrequency' | 'noDrugs' | 'noRun' | 'warnings' | 'noWarnings' | 'method'
  | 'methodModel' | 'methodBaseline' | 'added' | 'signature' | 'print' | 'notStated';

/** Words of the printed discharge-medication sheet (./PrintSheet.tsx). */
export const printMessages: FeatureMessages<PrintMessageKey> = {
  zh: {
    title: '出院带药单',
    patientId: '患者序号',
    visitId: '就诊标识',
    visitDate: '就诊时间',
    printedOn: '打印日期',
    diagnoses: '出院诊断',
    drugs: '出院带药',
    colNo: '序号',
    colDrug: '药品',
    colClass: '类别',
    colDose: '剂量',
    colFrequency: '频次',
    noDrugs: '出院带药列表为空。',
    noRun: '尚未生成推荐：请先在“单份病历推荐”中推荐并确认出院带药。',
    warnings: '安全提示',
    noWarnings: '未发现所列药品之间的重复用药、相互作用或禁忌（仅限内置药品库收录的规则）。',
    method: '推荐方法',
    methodModel: '模型（本机推理），经医生确认',
    methodBaseline: '诊断-药物共现基线，经医生确认',
    added: '医生添加',
    signature: '医生签名：',
    print: '打印出院带药单',
    notStated: '未注明',
  },
  en: {
    title: 'Discharge medication sheet',
    patientId: 'Patient no.',
    visitId: 'Visit ID',
    visitDate: 'Visit date',
    printedOn: 'Printed on',
    diagnoses: 'Discharge diagnoses',
    drugs: 'Discharge medication',
    colNo: 'No.',
    colDrug: 'Drug',
    colClass: 'Class',
    colDose: 'Dose',
    colFrequency: 'Frequency',
    noDrugs: 'The discharge list is empty.',
    noRun: 'No recommendation yet: recommend and confirm the discharge drugs on the Recommend screen first.',
    warnings: 'Safety warnings',
    noWarnings: 'No duplication, interaction or contraindication found among the listed drugs (only the rules in the bundled formulary).',
    method: 'Method',
    methodModel: 'Model (on-device), confirmed by the clinician',
    methodBaseline: 'Diagnosis–drug co-occurrence baseline, confirmed by the clinician',
    added: 'added by the clinician',
    signature: 'Clinician signature:',
    print: 'Print the discharge sheet',
    notStated: 'not stated',
  },
};
