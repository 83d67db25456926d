import { describe, expect, it } from 'vitest';
import { parseBmi, parseRecord, readBmi, type RecordNote, requireLabels, splitList, splitNumbered, stripNumbering, validateRecords } from './parse-record.ts';
import { RecordError } from './errors.ts';

const where = { source: 'test.jsonl', line: 17 };

const base = {
  患者序号: 1024,
  就诊标识: 'V0001',
  性别: '男',
  出生日期: '1961-03-02',
  民族: '汉族',
  BMI: '24.5kg/m2',
  就诊时间: '2023-05-01',
  诊疗过程描述: '入院后予二甲双胍0.5g tid口服，血糖控制可。',
  入院情况: 'T 36.5℃，BP 150/90mmHg。',
  现病史: '患者10年前出现多饮多尿。',
  既往史: '高血压病史5年。',
  主诉: '多饮多尿10年，加重1月。',
  出院诊断: '1.2型糖尿病 2.高血压病3级（极高危）',
  出院带药列表: '二甲双胍片、苯磺酸氨氯地平片；阿托伐他汀钙片',
};

describe('parseBmi', () => {
  it.each([
    [null, null],
    [undefined, null],
    ['', null],
    ['  ', null],
    ['24.5', 24.5],
    ['24.5kg/m2', 24.5],
    ['BMI 26.1 kg/m²', 26.1],
    ['２４．５', 24.5],
    [27, 27],
    ['未测', null],
    [0, null],
    ['999', null],
    [Number.NaN, null],
    [{}, null],
  ])('%j → %j', (input, expected) => {
    expect(parseBmi(input)).toBe(expected);
  });
});

describe('readBmi: a value that is not used says why', () => {
  it.each([
    ['-23.5', 'negative'],
    ['BMI：−23.5', 'negative'],
    [-23.5, 'negative'],
    ['9.5', 'implausible'],
    ['80.5kg/m2', 'implausible'],
    [150, 'implausible'],
    ['未测', 'unreadable'],
  ])('%j → null (%s)', (input, problem) => {
    expect(readBmi(input)).toEqual({ bmi: null, problem });
  });
  it('keeps plausible values, the range edges included, and reads "BMI-23.5" as a separator', () => {
    expect(readBmi('BMI-23.5')).toEqual({ bmi: 23.5, problem: null });
    expect(readBmi(10)).toEqual({ bmi: 10, problem: null });
    expect(readBmi('80')).toEqual({ bmi: 80, problem: null });
    expect(readBmi('')).toEqual({ bmi: null, problem: null });
  });
  it('parseRecord reports a dropped BMI through onNote, with the value as given', () => {
    const notes: RecordNote[] = [];
    const r = parseRecord({ 就诊标识: 'v', BMI: '-23.5' }, where, (n) => notes.push(n));
    expect(r.BMI).toBeNull();
    expect(notes).toEqual([{ where, field: 'BMI', problem: 'negative', raw: '-23.5' }]);
  });
});

describe('list splitting', () => {
  it('splits numbered diagnoses without eating "2型"', () => {
    expect(splitNumbered('1.2型糖尿病 2.高血压病3级 3.高脂血症')).toEqual(['2型糖尿病 ', '高血压病3级 ', '高脂血症']);
    expect(splitList('1.2型糖尿病 2.高血压病3级 3.高脂血症')).toEqual(['2型糖尿病', '高血压病3级', '高脂血症']);
  });
  it('only accepts sequential numbering, so doses are not split', () => {
    expect(splitList('1.二甲双胍片 0.5g tid 2.阿卡波糖片 50mg tid')).toEqual(['二甲双胍片 0.5g tid', '阿卡波糖片 50mg tid']);
    expect(splitList('1.二甲双胍 1.0g bid')).toEqual(['二甲双胍 1.0g bid']);
  });
  it('splits on 、，,;； and newlines outside brackets', () => {
    expect(splitList('糖尿病肾病（CKD3期、大量蛋白尿），高血压；高尿酸血症\n\n脂肪肝,')).toEqual([
      '糖尿病肾病（CKD3期、大量蛋白尿）',
      '高血压',
      '高尿酸血症',
      '脂肪肝',
    ]);
  });
  it('handles other numbering styles', () => {
    expect(splitList('（1）2型糖尿病（2）冠心病')).toEqual(['2型糖尿病', '冠心病']);
    expect(splitList('①2型糖尿病②冠心病')).toEqual(['2型糖尿病', '冠心病']);
    expect(splitList('一、2型糖尿病\n二、冠心病')).toEqual(['2型糖尿病', '冠心病']);
  });
  it('stripNumbering keeps decimals', () => {
    expect(stripNumbering('0.9%氯化钠注射液')).toBe('0.9%氯化钠注射液');
    expect(stripNumbering('1.2型糖尿病')).toBe('2型糖尿病');
    expect(stripNumbering('3、冠心病')).toBe('冠心病');
  });
});

describe('parseRecord', () => {
  it('normalises a messy but valid record', () => {
    const r = parseRecord({ ...base, 科室: '内分泌科', 住院天数: 9 }, where);
    expect(r.患者序号).toBe('1024');
    expect(r.就诊标识).toBe('V0001');
    expect(r.BMI).toBe(24.5);
    expect(r.出院诊断).toEqual(['2型糖尿病', '高血压病3级（极高危）']);
    expect(r.出院带药列表).toEqual(['二甲双胍片', '苯磺酸氨氯地平片', '阿托伐他汀钙片']);
    expect(r.其他).toEqual({ 科室: '内分泌科', 住院天数: '9' });
    expect(r.主诉).toBe('多饮多尿10年，加重1月。');
  });

  it('fills missing optional fields and leaves the label undefined', () => {
    const r = parseRecord({ 就诊标识: 42 }, where);
    expect(r.就诊标识).toBe('42');
    expect(r.患者序号).toBe('');
    expect(r.现病史).toBe('');
    expect(r.BMI).toBeNull();
    expect(r.出院诊断).toEqual([]);
    expect(r.出院带药列表).toBeUndefined();
    expect(r.其他).toBeUndefined();
    expect('出院带药列表' in r).toBe(false);
  });

  it('keeps array fields, trims items and drops empties', () => {
    const r = parseRecord({ 就诊标识: 'a', 出院诊断: [' 2型糖尿病 ', '', null], 出院带药列表: [] }, where);
    expect(r.出院诊断).toEqual(['2型糖尿病']);
    expect(r.出院带药列表).toEqual([]);
  });

  it('trims BOM/whitespace from keys and merges a given 其他 object', () => {
    const r = parseRecord({ '\uFEFF就诊标识': 'x', ' 主诉 ': '口干', 其他: { 年龄: 56 } }, where);
    expect(r.就诊标识).toBe('x');
    expect(r.主诉).toBe('口干');
    expect(r.其他).toEqual({ 年龄: '56' });
  });

  it.each([
    [null, 'null'],
    [[1, 2], 'array'],
    ['text', 'string'],
  ])('rejects a non-object (%j)', (value, type) => {
    expect(() => parseRecord(value, where)).toThrow(`test.jsonl line 17: expected a JSON object (one record), got ${type}`);
  });

  it.each([{}, { 就诊标识: '' }, { 就诊标识: '   ' }, { 就诊标识: null }])('rejects a missing visit id %j', (v) => {
    let err: unknown;
    try {
      parseRecord(v, where);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(RecordError);
    const re = err as RecordError;
    expect(re.message).toBe('test.jsonl line 17, field 就诊标识: missing visit id');
    expect(re.field).toBe('就诊标识');
    expect(re.line).toBe(17);
    expect(re.source).toBe('test.jsonl');
  });

  it('rejects structurally wrong fields naming the field', () => {
    expect(() => parseRecord({ 就诊标识: 'a', 现病史: { x: 1 } }, where)).toThrow('field 现病史: expected text, got object');
    expect(() => parseRecord({ 就诊标识: 'a', 出院诊断: 5 }, where)).toThrow('field 出院诊断: expected a list of strings');
    expect(() => parseRecord({ 就诊标识: 'a', 出院带药列表: [{}] }, { source: 'x.json', index: 3 })).toThrow(
      'x.json[3], field 出院带药列表: item 0: expected a string, got object',
    );
    expect(() => parseRecord({ 就诊标识: ['a'] }, where)).toThrow('field 就诊标识: expected a string or number, got array');
  });
});

describe('parseRecord field-named errors', () => {
  it('names the field and the item of a wrong-typed nested value', () => {
    let err: unknown;
    try {
      parseRecord({ 就诊标识: 'a', 出院诊断: ['2型糖尿病', '高血压', ['冠心病']] }, where);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(RecordError);
    expect((err as RecordError).message).toBe('test.jsonl line 17, field 出院诊断: item 2: expected a string, got array');
    expect((err as RecordError).field).toBe('出院诊断');
    expect((err as RecordError).reason).toBe('item 2: expected a string, got array');
  });

  it('reports the first problem in field order: the visit id before the text fields', () => {
    expect(() => parseRecord({ 就诊标识: ' ', 现病史: { x: 1 } }, where)).toThrow('field 就诊标识: missing visit id');
    expect(() => parseRecord({ 就诊标识: 'a', 性别: [{}], 现病史: { x: 1 } }, where)).toThrow('field 性别: expected text, got array');
  });
});

describe('validateRecords / requireLabels', () => {
  it('names both lines of a duplicate visit id', () => {
    const a = { record: parseRecord({ 就诊标识: 'v1' }, { source: 'f.jsonl', line: 2 }), where: { source: 'f.jsonl', line: 2 } };
    const b = { record: parseRecord({ 就诊标识: 'v1' }, { source: 'f.jsonl', line: 9 }), where: { source: 'f.jsonl', line: 9 } };
    expect(() => validateRecords([a, b])).toThrow('f.jsonl line 9, field 就诊标识: duplicate visit id "v1" (first at line 2)');
    expect(() => validateRecords([a])).not.toThrow();
  });
  it('requires labels', () => {
    const w = { source: 'gold.jsonl', line: 3 };
    expect(() => requireLabels([{ record: parseRecord({ 就诊标识: 'v' }, w), where: w }])).toThrow(
      'gold.jsonl line 3, field 出院带药列表: missing discharge drugs',
    );
  });
});
