/**
 * The CDrugRed / CHIP 2025 Shared Task 2 record, with field names exactly as in the dataset
 * so that JSON read from a site's file maps onto this type without renaming.
 *
 * This file is the contract shared by the app, the CLIs, the cohort generator and (through
 * the prompt spec) the Python training pipeline. Parsing/validation lives in parse-record.ts.
 */

/** The 14 CDrugRed fields, in the dataset's own order. */
export const CDRUGRED_FIELDS = [
  '患者序号',
  '就诊标识',
  '性别',
  '出生日期',
  '民族',
  'BMI',
  '就诊时间',
  '诊疗过程描述',
  '入院情况',
  '现病史',
  '既往史',
  '主诉',
  '出院诊断',
  '出院带药列表',
] as const;

export type CDrugRedField = (typeof CDRUGRED_FIELDS)[number];

/** Free-text fields of the record (the ones a clinician's note is split into). */
export const TEXT_FIELDS = ['主诉', '现病史', '既往史', '入院情况', '诊疗过程描述'] as const;
export type TextField = (typeof TEXT_FIELDS)[number];

export interface CDrugRedRecord {
  /** Patient id. Real data has numbers; normalised to string. */
  患者序号: string;
  /** Visit id: the key of the CHIP submission format ("ID"). Required. */
  就诊标识: string;
  性别: string;
  出生日期: string;
  民族: string;
  /** kg/m²; null when missing or unparseable. */
  BMI: number | null;
  就诊时间: string;
  诊疗过程描述: string;
  入院情况: string;
  现病史: string;
  既往史: string;
  主诉: string;
  出院诊断: string[];
  /** The label: discharge drugs. Absent (undefined) on unlabelled input. */
  出院带药列表?: string[];
  /**
   * Anything the parser did not recognise (unknown JSON keys, unlabelled free-text
   * paragraphs), kept verbatim so nothing the user typed is lost.
   */
  其他?: Record<string, string>;
}

/** One entry of the CHIP submission file. */
export interface SubmissionEntry {
  ID: string;
  prediction: string[];
}
