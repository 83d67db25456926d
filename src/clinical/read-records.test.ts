import { describe, expect, it } from 'vitest';
import { decodeUtf8Strict, firstInvalidUtf8, parseLocatedRecords, parseRecordsText } from './read-records.ts';
import { RecordError } from './errors.ts';

const rec = (id: string, extra: Record<string, unknown> = {}) => JSON.stringify({ 就诊标识: id, 主诉: '口干多饮3年', ...extra });

function errorOf(fn: () => unknown): RecordError {
  try {
    fn();
  } catch (e) {
    if (e instanceof RecordError) return e;
    throw e;
  }
  throw new Error('expected a RecordError');
}

describe('parseRecordsText', () => {
  it('reads JSONL with BOM, CRLF and blank lines, keeping line numbers', () => {
    const text = '\uFEFF' + rec('v1', { BMI: '23.1kg/m2' }) + '\r\n\r\n' + rec('v2') + '\r\n   \r\n' + rec('v3') + '\r\n';
    const located = parseLocatedRecords(text, 'train.jsonl');
    expect(located.map((x) => x.record.就诊标识)).toEqual(['v1', 'v2', 'v3']);
    expect(located.map((x) => x.where.line)).toEqual([1, 3, 5]);
    expect(located[0]!.record.BMI).toBe(23.1);
    expect(located[0]!.record.主诉).toBe('口干多饮3年');
  });

  it('reads a JSON array', () => {
    const text = `[\n  ${rec('a')},\n  ${rec('b')}\n]`;
    expect(parseRecordsText(text, 'x.json').map((r) => r.就诊标识)).toEqual(['a', 'b']);
  });

  it('reads a single (pretty-printed) JSON object', () => {
    const text = JSON.stringify({ 就诊标识: 'only', 出院诊断: ['2型糖尿病'] }, null, 2);
    const r = parseRecordsText(text, 'one.json');
    expect(r).toHaveLength(1);
    expect(r[0]!.出院诊断).toEqual(['2型糖尿病']);
  });

  it('reads a single-line JSON object', () => {
    expect(parseRecordsText(rec('solo'), 'one.json')[0]!.就诊标识).toBe('solo');
  });

  it.each(['', '   \n\n', '\uFEFF', '\uFEFF\r\n'])('rejects an empty file %j', (text) => {
    expect(errorOf(() => parseRecordsText(text, 'empty.jsonl')).message).toBe('empty.jsonl: file is empty');
  });

  it('names the line of a malformed JSONL line', () => {
    const text = [rec('a'), rec('b'), '{"就诊标识": "c", 主诉: "x"}', rec('d')].join('\n');
    const e = errorOf(() => parseRecordsText(text, 'bad.jsonl'));
    expect(e.line).toBe(3);
    expect(e.message).toMatch(/^bad\.jsonl line 3: invalid JSON: .+/);
    expect(e.message).not.toContain('\n');
  });

  it('names the line of a truncated last line', () => {
    const text = [rec('a'), '{"就诊标识": "b", "主诉": "口干'].join('\r\n');
    const e = errorOf(() => parseRecordsText(text, 'cut.jsonl'));
    expect(e.message).toMatch(/^cut\.jsonl line 2: invalid JSON/);
  });

  it('reports a malformed pretty-printed object at its line', () => {
    const text = '{\n  "就诊标识": "a",\n  "主诉": "x",\n}\n';
    const e = errorOf(() => parseRecordsText(text, 'p.json'));
    expect(e.message).toMatch(/^p\.json line 4: invalid JSON/);
  });

  it('names the element index of a bad array element', () => {
    const text = `[${rec('a')}, {"主诉": "无就诊标识"}]`;
    expect(errorOf(() => parseRecordsText(text, 'arr.json')).message).toBe('arr.json[1], field 就诊标识: missing visit id');
    expect(errorOf(() => parseRecordsText('[1]', 'arr.json')).message).toBe(
      'arr.json[0]: expected a JSON object (one record), got number',
    );
    expect(errorOf(() => parseRecordsText('[]', 'arr.json')).message).toContain('empty array');
  });

  it('reports a malformed JSON array with a line', () => {
    const e = errorOf(() => parseRecordsText(`[\n${rec('a')},\n${rec('b')}\n`, 'arr.json'));
    expect(e.message).toMatch(/^arr\.json( line \d+)?: invalid JSON/);
  });

  it('names the line and field of a missing visit id in JSONL', () => {
    const text = [rec('a'), JSON.stringify({ 主诉: 'x' })].join('\n');
    expect(errorOf(() => parseRecordsText(text, 'test.jsonl')).message).toBe('test.jsonl line 2, field 就诊标识: missing visit id');
  });

  it('flags a duplicate visit id naming both lines', () => {
    const text = [rec('a'), rec('b'), rec('a')].join('\n');
    expect(errorOf(() => parseRecordsText(text, 'dup.jsonl')).message).toBe(
      'dup.jsonl line 3, field 就诊标识: duplicate visit id "a" (first at line 1)',
    );
  });

  it('rejects a JSONL line that is an array', () => {
    expect(errorOf(() => parseRecordsText(`${rec('a')}\n[1,2]`, 'x.jsonl')).message).toBe(
      'x.jsonl line 2: expected a JSON object (one record), got array',
    );
  });
});

describe('decodeUtf8Strict', () => {
  const enc = new TextEncoder();
  it('decodes UTF-8 and strips a BOM', () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...enc.encode('{"就诊标识":"甲"}')]);
    expect(decodeUtf8Strict(bytes, 'a.jsonl')).toBe('{"就诊标识":"甲"}');
  });

  it('rejects GBK bytes naming the line', () => {
    // line 1 ASCII, line 2 contains "糖尿病" in GBK: CC C7 C4 F2 B2 A1
    const bytes = new Uint8Array([...enc.encode('{"a":1}\n{"b":"'), 0xcc, 0xc7, 0xc4, 0xf2, 0xb2, 0xa1, ...enc.encode('"}\n')]);
    const e = errorOf(() => decodeUtf8Strict(bytes, 'gbk.jsonl'));
    expect(e.message).toBe('gbk.jsonl line 2: not valid UTF-8 (GBK? re-save as UTF-8): first bad byte at offset 14');
  });

  it.each([
    [[0xff, 0xfe, 0x7b, 0x00], 'UTF-16LE'],
    [[0xfe, 0xff, 0x00, 0x7b], 'UTF-16BE'],
  ])('rejects UTF-16 (%j)', (bytes, kind) => {
    expect(errorOf(() => decodeUtf8Strict(new Uint8Array(bytes), 'u16.json')).message).toBe(
      `u16.json: file is ${kind} (byte-order mark found), not UTF-8: re-save as UTF-8`,
    );
  });

  it('firstInvalidUtf8 finds truncated and overlong sequences', () => {
    expect(firstInvalidUtf8(enc.encode('糖尿病'))).toBe(9);
    expect(firstInvalidUtf8(new Uint8Array([0x61, 0xe7, 0xb3]))).toBe(1);
    expect(firstInvalidUtf8(new Uint8Array([0xc0, 0x80]))).toBe(0);
    expect(firstInvalidUtf8(new Uint8Array([0xed, 0xa0, 0x80]))).toBe(0); // surrogate
  });
});
