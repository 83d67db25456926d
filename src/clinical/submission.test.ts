import { describe, expect, it } from 'vitest';
import { parseSubmission, serializeSubmission, submissionToMap, toSubmission } from './submission.ts';
import { RecordError } from './errors.ts';

describe('toSubmission / serializeSubmission', () => {
  it('builds entries from a Map, keeping order, trimming and de-duplicating', () => {
    const m = new Map([
      ['v2', ['二甲双胍', ' 阿卡波糖 ', '二甲双胍', '']],
      ['v1', []],
    ]);
    expect(toSubmission(m)).toEqual([
      { ID: 'v2', prediction: ['二甲双胍', '阿卡波糖'] },
      { ID: 'v1', prediction: [] },
    ]);
  });

  it('builds entries from an array and rejects duplicate ids', () => {
    expect(toSubmission([{ id: 'a', drugs: ['阿托伐他汀'] }])).toEqual([{ ID: 'a', prediction: ['阿托伐他汀'] }]);
    expect(() => toSubmission([{ id: 'a', drugs: [] }, { id: 'a', drugs: [] }])).toThrow('duplicate visit id');
  });

  it('serialises stably with unescaped Chinese, one entry per line', () => {
    const s = serializeSubmission(toSubmission(new Map([['v1', ['二甲双胍', '阿卡波糖']], ['v2', []]])));
    expect(s).toBe('[\n  {"ID":"v1","prediction":["二甲双胍","阿卡波糖"]},\n  {"ID":"v2","prediction":[]}\n]\n');
    expect(s).not.toContain('\\u');
    expect(serializeSubmission([])).toBe('[]\n');
  });

  it('round-trips', () => {
    const entries = [
      { ID: 'v1', prediction: ['格列美脲', '"引号"药'] },
      { ID: 'v2', prediction: [] },
    ];
    expect(parseSubmission(serializeSubmission(entries), 'p.json')).toEqual(entries);
  });
});

function err(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(RecordError);
    return (e as Error).message;
  }
  throw new Error('expected an error');
}

describe('parseSubmission', () => {
  it('is lenient about BOM, numeric IDs, aliases and string predictions', () => {
    const text = '\uFEFF[{"ID": 101, "prediction": ["二甲双胍"]}, {"id": "v2", "prediction": "阿卡波糖、阿托伐他汀"}, {"ID":"v3","prediction":null}]';
    expect(parseSubmission(text, 'p.json')).toEqual([
      { ID: '101', prediction: ['二甲双胍'] },
      { ID: 'v2', prediction: ['阿卡波糖', '阿托伐他汀'] },
      { ID: 'v3', prediction: [] },
    ]);
  });

  it('accepts JSONL entries', () => {
    expect(parseSubmission('{"ID":"a","prediction":["x"]}\r\n\r\n{"ID":"b","prediction":[]}\r\n', 'p.jsonl')).toEqual([
      { ID: 'a', prediction: ['x'] },
      { ID: 'b', prediction: [] },
    ]);
  });

  it.each([
    ['', 'p.json: file is empty'],
    ['{"ID": "a"', /^p\.json line 1: invalid JSON/],
    ['[{"ID": "a", "prediction": []},]', /^p\.json line 1: invalid JSON/],
    ['[{"prediction": []}]', 'p.json[0], field ID: missing visit id'],
    ['[{"ID": "", "prediction": []}]', 'p.json[0], field ID: missing visit id'],
    ['[{"ID": ["a"], "prediction": []}]', 'p.json[0], field ID: expected a string, got array'],
    ['[{"ID": "a", "prediction": []}, {"ID": "b"}]', 'p.json[1], field prediction: missing prediction list'],
    ['[{"ID": "a", "prediction": [1]}]', 'p.json[0], field prediction: item 0: expected a drug name string, got number'],
    ['[{"ID": "a", "prediction": {}}]', 'p.json[0], field prediction: expected a list of drug names, got object'],
    ['["a"]', 'p.json[0]: expected an object {"ID", "prediction"}, got string'],
    ['[{"ID": "a", "prediction": []}, {"ID": "a", "prediction": []}]', 'p.json[1], field ID: duplicate ID "a" (first at element [0])'],
    ['{"ID":"a","prediction":[]}\n{"ID":"a","prediction":[]}', 'p.json line 2, field ID: duplicate ID "a" (first at line 1)'],
  ])('rejects %j', (text, expected) => {
    const m = err(() => parseSubmission(text, 'p.json'));
    if (typeof expected === 'string') expect(m).toBe(expected);
    else expect(m).toMatch(expected);
  });

  it('submissionToMap', () => {
    expect(submissionToMap([{ ID: 'a', prediction: ['x'] }]).get('a')).toEqual(['x']);
  });
});
