/**
 * Is there enough in a record to recommend discharge drugs from? One rule, used by the
 * recommend screen before it runs the model or the baseline (both would otherwise answer any
 * input, even "。。。" or an English letter, with their most common drugs).
 *
 * Sufficient when the record has
 *  - at least one discharge diagnosis (出院诊断) with letters in it, or
 *  - at least one history/course section (现病史, 既往史, 入院情况, 诊疗过程描述) with clinical
 *    content: at least MIN_CONTENT_CHARS letters once boilerplate that says nothing ("无特殊",
 *    "未见异常", "不详", "同上" …), digits and punctuation are removed.
 * 主诉 alone is never enough: it is the reason for admission (a symptom and a duration, e.g.
 * "头晕", "乏力2周"), not what is treated at discharge; a guess from it would look like advice.
 *
 * Pure: no UI, no formulary; the UI turns the assessment into a message in the user's language.
 */
import type { CDrugRedRecord } from './record.ts';

/** Sections that can carry the clinical picture on their own (主诉 cannot, see above). */
export const HISTORY_FIELDS = ['现病史', '既往史', '入院情况', '诊疗过程描述'] as const;
export type HistoryField = (typeof HISTORY_FIELDS)[number];
export type AssessedField = '主诉' | HistoryField;
export const ASSESSED_FIELDS: readonly AssessedField[] = ['主诉', ...HISTORY_FIELDS];

/** Letters a history section needs after boilerplate is removed ("血糖控制不佳" = 6). */
export const MIN_CONTENT_CHARS = 6;

/**
 * Phrases that fill a section without saying anything clinical. Longest first, so "无特殊" is
 * removed whole before "无". Negated findings ("否认高血压") are not boilerplate: they are
 * clinical statements.
 */
const BOILERPLATE = [
  '未见明显异常', '无明显异常', '无特殊病史', '未见异常', '无殊', '无特殊', '不详', '同上', '详见上文', '见上', '暂无', '未提供', '未记录', '正常', '无', '略',
].sort((a, b) => b.length - a.length);
const BOILERPLATE_RE = new RegExp(BOILERPLATE.join('|'), 'g');
/** Letters: CJK ideographs and Latin letters (digits, units' symbols and punctuation are not). */
const LETTER_RE = /[\u4e00-\u9fff\u3400-\u4dbfA-Za-z]/gu;

/** `content`: clinical text; `empty`: text without clinical content ("无特殊"); `missing`: nothing. */
export type SectionState = 'content' | 'empty' | 'missing';

export interface InputAssessment {
  sufficient: boolean;
  /** Diagnoses with letters in them. */
  diagnoses: number;
  sections: Record<AssessedField, SectionState>;
}

/** Number of letters left in `text` once boilerplate is removed. */
export function contentChars(text: string): number {
  return (text.replace(BOILERPLATE_RE, '').match(LETTER_RE) ?? []).length;
}

function sectionState(text: string, min: number): SectionState {
  if (text.trim() === '') return 'missing';
  return contentChars(text) >= min ? 'content' : 'empty';
}

export function assessInput(record: CDrugRedRecord): InputAssessment {
  const diagnoses = record.出院诊断.filter((d) => (d.match(LETTER_RE) ?? []).length > 0).length;
  const sections = {
    // 主诉 is reported (so the message can say it was found) but never decides.
    主诉: sectionState(record.主诉, 1),
  } as Record<AssessedField, SectionState>;
  for (const f of HISTORY_FIELDS) sections[f] = sectionState(record[f], MIN_CONTENT_CHARS);
  const sufficient = diagnoses > 0 || HISTORY_FIELDS.some((f) => sections[f] === 'content');
  return { sufficient, diagnoses, sections };
}
