/**
 * Words for what the parse step found, dropped or refused (zh default + en). The store holds
 * plain data (ParseNotice, ParseProblem); this module turns it into sentences in the current
 * language, so switching language re-words a message already on screen.
 */
import type { FeatureMessages, Locale } from '../../app/i18n.ts';
import { ASSESSED_FIELDS, type AssessedField } from '../../clinical/input-sufficiency.ts';
import { BMI_MAX, BMI_MIN, type BmiProblem } from '../../clinical/parse-record.ts';
import type { ParseNotice, ParseProblem } from '../../state/note-store.ts';

const zh = {
  thinTitle: '病历内容不足，未给出推荐。',
  thinFound: '已识别：{list}。',
  thinNothing: '未识别到任何病历段落（如“主诉：”“出院诊断：”）。',
  thinMissing: '未找到：{list}。',
  thinUnrecognised: '另有 {n} 段文字未能归入病历段落（已保留，见“解析结果”）。',
  thinHint: '请补充出院诊断，或现病史、既往史、入院情况、诊疗经过中的任一项（也可直接在“解析结果”中填写），再点击推荐。您输入的内容已保留。',
  diagnosesCount: '出院诊断 {n} 项',
  sectionEmpty: '{field}（无实质内容，如“无特殊”）',
  listSep: '、',
  jsonSyntax: 'JSON 格式错误：{where}。请检查引号、逗号和括号。',
  jsonTruncated: 'JSON 不完整，可能只复制了一部分：{where}。',
  whereLine: '第 {line} 行',
  whereColumn: '第 {column} 列',
  whereRecord: '第 {n} 条记录',
  whereField: '字段“{field}”',
  whereNear: '字段“{field}”附近',
  whereSep: '，',
  recordProblem: '这条 JSON 记录无法使用：{where}：{reason}。',
  technicalDetail: '技术细节',
  converted: '已将繁体字转换为简体字（{n} 个字）后再解析。',
  bmiDropped: 'BMI“{raw}”{why}，已留空。',
  bmi_negative: '为负数',
  bmi_implausible: '不在合理范围（{min}–{max}）内',
  bmi_unreadable: '无法识别为数值',
  records: '找到 {count} 条记录，当前使用第 {used} 条。要对全部记录评分，请使用“批量评分”。',
  pickRecord: '选择记录',
  sendToBatch: '全部发送到批量评分',
  large: '粘贴内容很长（{size}），出院小结通常只有几千字；请确认粘贴的是一位患者的病历。',
  sizeKb: '{n} KB',
  sizeMb: '{n} MB',
  noteIdHint: '就诊标识由病历内容生成，可修改；导出文件名使用它。',
  longField: '内容很长（{size}），为保持页面流畅暂不显示全文；内容已保留，会用于推荐。',
  showAll: '显示全文',
};

const en: typeof zh = {
  thinTitle: 'Not enough in this note to recommend drugs from; nothing was recommended.',
  thinFound: 'Found: {list}.',
  thinNothing: 'No note sections were recognised (such as "主诉：" or "出院诊断：").',
  thinMissing: 'Not found: {list}.',
  thinUnrecognised: '{n} piece(s) of text could not be assigned to a section (kept; see Parsed fields).',
  thinHint:
    'Add the discharge diagnoses, or any of present illness, past history, admission findings or hospital course (you can type them into Parsed fields), then recommend again. What you typed is kept.',
  diagnosesCount: '{n} discharge diagnosis(es)',
  sectionEmpty: '{field} (no clinical content, e.g. "无特殊")',
  listSep: ', ',
  jsonSyntax: 'The JSON is malformed: {where}. Check the quotes, commas and brackets.',
  jsonTruncated: 'The JSON is incomplete (only part of it copied?): {where}.',
  whereLine: 'line {line}',
  whereColumn: 'column {column}',
  whereRecord: 'record {n}',
  whereField: 'field "{field}"',
  whereNear: 'near field "{field}"',
  whereSep: ', ',
  recordProblem: 'This JSON record cannot be used: {where}: {reason}.',
  technicalDetail: 'Technical detail',
  converted: 'Traditional characters were converted to simplified ones ({n} characters) before parsing.',
  bmiDropped: 'BMI "{raw}" {why}; left empty.',
  bmi_negative: 'is negative',
  bmi_implausible: 'is outside the plausible range ({min}–{max})',
  bmi_unreadable: 'is not a number',
  records: '{count} records found; record {used} is used. Use Batch scoring to score them all.',
  pickRecord: 'Record',
  sendToBatch: 'Send all to Batch scoring',
  large: 'This paste is very long ({size}); a discharge note is usually a few thousand characters. Check that it is one patient’s note.',
  sizeKb: '{n} KB',
  sizeMb: '{n} MB',
  noteIdHint: 'The visit id is made from the note’s text and can be edited; the export file name uses it.',
  longField: 'Very long ({size}); not shown, to keep the page responsive. It is kept and used for the recommendation.',
  showAll: 'Show all',
};

export type ParseMessageKey = keyof typeof zh;
export const parseMessages: FeatureMessages<ParseMessageKey> = { zh, en };

/** Record field names in words (en); zh uses the dataset's own names. */
const FIELD_NAMES: Record<Locale, Record<string, string>> = {
  zh: {},
  en: {
    主诉: 'chief complaint',
    现病史: 'present illness',
    既往史: 'past history',
    入院情况: 'admission findings',
    诊疗过程描述: 'hospital course',
    出院诊断: 'discharge diagnoses',
    就诊标识: 'visit id',
    患者序号: 'patient id',
    性别: 'sex',
    出生日期: 'date of birth',
    民族: 'ethnicity',
    BMI: 'BMI',
    就诊时间: 'visit date',
    出院带药列表: 'discharge drugs',
  },
};

/** A record field's name for the user: the Chinese key in zh, words in en ("present illness"). */
export function fieldName(field: string, locale: Locale): string {
  return FIELD_NAMES[locale][field] ?? field;
}

export function fill(template: string, vars: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k] ?? ''));
}

export interface Worded {
  /** The message, one or more sentences. */
  lines: string[];
  /** The parser's own (English) words, for a details toggle. */
  detail?: string;
}

function where(
  m: typeof zh,
  locale: Locale,
  p: { line?: number; column?: number; index?: number; field?: string; nearField?: string },
): string {
  const parts: string[] = [];
  if (p.index !== undefined) parts.push(fill(m.whereRecord, { n: p.index + 1 }));
  if (p.line !== undefined) parts.push(fill(m.whereLine, { line: p.line }));
  if (p.column !== undefined) parts.push(fill(m.whereColumn, { column: p.column }));
  if (p.field !== undefined) parts.push(fill(m.whereField, { field: fieldName(p.field, locale) }));
  else if (p.nearField !== undefined) parts.push(fill(m.whereNear, { field: fieldName(p.nearField, locale) }));
  return parts.join(m.whereSep);
}

const TYPE_NAMES: Record<Locale, Record<string, string>> = {
  zh: { array: '数组', object: '对象', number: '数字', boolean: '布尔值', null: '空值', string: '文字' },
  en: {},
};

/**
 * The record parser's reasons (src/clinical/parse-record.ts, read-records.ts) in the user's
 * language; an unknown reason is shown as it is rather than hidden.
 */
const REASONS: { re: RegExp; zh: string; en: string }[] = [
  { re: /^missing visit id$/, zh: '缺少就诊标识', en: 'the visit id is missing' },
  { re: /^expected text, got (\w+)$/, zh: '应为文字，实际为{1}', en: 'expected text, got {1}' },
  { re: /^expected a string or number, got (\w+)$/, zh: '应为文字或数字，实际为{1}', en: 'expected text or a number, got {1}' },
  { re: /^expected a list of strings, got (\w+)$/, zh: '应为文字列表，实际为{1}', en: 'expected a list of text, got {1}' },
  { re: /^item (\d+): expected a string, got (\w+)$/, zh: '第 {1+} 项应为文字，实际为{2}', en: 'item {1+} should be text, got {2}' },
  { re: /^expected a JSON object \(one record\), got (\w+)$/, zh: '应为一条记录（JSON 对象），实际为{1}', en: 'expected one record (a JSON object), got {1}' },
  { re: /^duplicate visit id "(.*)" \(first at .*\)$/, zh: '就诊标识“{1}”重复', en: 'visit id "{1}" appears twice' },
  { re: /^file contains an empty array/, zh: 'JSON 数组为空，没有记录', en: 'the JSON array is empty (no records)' },
  { re: /^expected a JSON array of records$/, zh: '应为记录数组', en: 'expected an array of records' },
  { re: /^no records$/, zh: '没有记录', en: 'no records' },
];

function reasonText(reason: string, locale: Locale): string {
  for (const r of REASONS) {
    const m = r.re.exec(reason);
    if (!m) continue;
    return r[locale].replace(/\{(\d)(\+?)\}/g, (_, i: string, plus: string) => {
      const v = m[Number(i)] ?? '';
      if (plus) return String(Number(v) + 1);
      return TYPE_NAMES[locale][v] ?? v;
    });
  }
  return reason;
}

/** "1.0 MB" / "310 KB" (of characters, as pasted). */
export function sizeText(chars: number, locale: Locale): string {
  const m = parseMessages[locale];
  return chars >= 1_000_000 ? fill(m.sizeMb, { n: (chars / 1_000_000).toFixed(1) }) : fill(m.sizeKb, { n: Math.round(chars / 1000) });
}

/** A refusal in words. `emptyNote` is the app's own "paste a note first" line. */
export function wordProblem(problem: ParseProblem, locale: Locale, emptyNote: string): Worded {
  const m = parseMessages[locale];
  switch (problem.kind) {
    case 'empty':
      return { lines: [emptyNote] };
    case 'json-syntax': {
      const at = where(m, locale, problem);
      return { lines: [fill(problem.truncated ? m.jsonTruncated : m.jsonSyntax, { where: at })], detail: problem.detail };
    }
    case 'record':
      return {
        lines: [fill(m.recordProblem, { where: where(m, locale, problem), reason: reasonText(problem.reason, locale) })],
        detail: problem.reason,
      };
    case 'thin': {
      const a = problem.assessment;
      const found: string[] = [];
      const missing: string[] = [];
      if (a.diagnoses > 0) found.push(fill(m.diagnosesCount, { n: a.diagnoses }));
      else missing.push(fieldName('出院诊断', locale));
      for (const f of ASSESSED_FIELDS as readonly AssessedField[]) {
        const state = a.sections[f];
        const name = fieldName(f, locale);
        if (state === 'content') found.push(name);
        else if (state === 'empty') found.push(fill(m.sectionEmpty, { field: name }));
        else missing.push(name);
      }
      const lines = [m.thinTitle];
      lines.push(found.length > 0 ? fill(m.thinFound, { list: found.join(m.listSep) }) : m.thinNothing);
      if (missing.length > 0) lines.push(fill(m.thinMissing, { list: missing.join(m.listSep) }));
      if (problem.unrecognised > 0) lines.push(fill(m.thinUnrecognised, { n: problem.unrecognised }));
      lines.push(m.thinHint);
      return { lines };
    }
  }
}

function bmiWhy(m: typeof zh, problem: BmiProblem): string {
  return fill(m[`bmi_${problem}`], { min: BMI_MIN, max: BMI_MAX });
}

/** A notice in words (the record picker and the batch button are drawn by NoteInput). */
export function wordNotice(notice: ParseNotice, locale: Locale): string {
  const m = parseMessages[locale];
  switch (notice.kind) {
    case 'converted':
      return fill(m.converted, { n: notice.changed });
    case 'bmi':
      return fill(m.bmiDropped, { raw: notice.raw, why: bmiWhy(m, notice.problem) });
    case 'records':
      return fill(m.records, { count: notice.count, used: notice.used + 1 });
    case 'large':
      return fill(m.large, { size: sizeText(notice.chars, locale) });
  }
}
