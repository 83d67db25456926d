import { describe, expect, it } from 'vitest';
import { LARGE_NOTE_CHARS, noteId, parseNote } from './parse-note.ts';
import { wordNotice, wordProblem } from './parse-messages.ts';

const CJK = /[\u4e00-\u9fff]/;

describe('parseNote', () => {
  it('gives each note its own id, the same on every parse of the same text', () => {
    const a = parseNote('主诉：头晕\n出院诊断：高血压病');
    const b = parseNote('主诉：胸闷\n出院诊断：冠心病');
    if (!a.ok || !b.ok) throw new Error('parse failed');
    expect(a.record.就诊标识).toMatch(/^note-[0-9a-f]{8}$/);
    expect(a.record.就诊标识).not.toBe(b.record.就诊标识);
    expect(a.record.就诊标识).toBe(noteId('主诉：头晕\n出院诊断：高血压病'));
  });

  it('converts a traditional note before parsing and says so', () => {
    const r = parseNote('主訴：頭暈\n出院診斷：2型糖尿病\n現病史：長期服用二甲雙胍');
    if (!r.ok) throw new Error('parse failed');
    expect(r.record.主诉).toBe('头晕');
    expect(r.record.出院诊断).toEqual(['2型糖尿病']);
    expect(r.record.现病史).toContain('二甲双胍');
    expect(r.notices).toContainEqual({ kind: 'converted', changed: expect.any(Number) });
    expect(parseNote('主诉：头晕').ok && (parseNote('主诉：头晕') as { notices: unknown[] }).notices).toEqual([]);
  });

  it('reports how many records a JSON array or JSONL paste held, and keeps them all', () => {
    const jsonl = ['{"就诊标识":"v1","出院诊断":["高血压病"]}', '{"就诊标识":"v2","出院诊断":["冠心病"]}', '{"就诊标识":"v3"}'].join('\n');
    const r = parseNote(jsonl);
    if (!r.ok) throw new Error('parse failed');
    expect(r.record.就诊标识).toBe('v1');
    expect(r.records?.map((x) => x.就诊标识)).toEqual(['v1', 'v2', 'v3']);
    expect(r.notices).toContainEqual({ kind: 'records', count: 3, used: 0 });
    const one = parseNote('[{"就诊标识":"v1"}]');
    expect(one.ok && one.records).toBeUndefined();
  });

  it('notes a dropped BMI in a JSON record and in free text', () => {
    const j = parseNote('{"就诊标识":"v1","BMI":"-23.5"}');
    expect(j.ok && j.record.BMI).toBeNull();
    expect(j.ok && j.notices).toEqual([{ kind: 'bmi', problem: 'negative', raw: '-23.5' }]);
    const t = parseNote('BMI：95\n主诉：头晕');
    expect(t.ok && t.notices).toEqual([{ kind: 'bmi', problem: 'implausible', raw: '95' }]);
  });

  it('flags a very long paste', () => {
    const r = parseNote(`主诉：头晕\n现病史：${'血压升高。'.repeat(LARGE_NOTE_CHARS / 5)}`);
    expect(r.ok && r.notices.map((n) => n.kind)).toEqual(['large']);
  });

  it('locates a JSON syntax error by line, column and the field being written', () => {
    const r = parseNote('{"就诊标识": "v1", "出院诊断": ["2型糖尿病"],\n "主诉": "口干" "现病史": ""}');
    if (r.ok) throw new Error('should fail');
    expect(r.problem).toMatchObject({ kind: 'json-syntax', line: 2, nearField: '主诉', truncated: false });
  });
});

describe('parse messages in the user language', () => {
  it('words a JSON syntax error in Chinese without the engine English, naming line and field', () => {
    const r = parseNote('{"就诊标识": "v1",\n "主诉": "口干" "现病史": ""}');
    if (r.ok) throw new Error('should fail');
    const zh = wordProblem(r.problem, 'zh', '请先粘贴病历内容。');
    expect(zh.lines.join('')).toMatch(/^JSON 格式错误：第 2 行，第 \d+ 列，字段“主诉”附近。/);
    expect(zh.lines.join('')).not.toMatch(/Expected|invalid|line/);
    expect(zh.detail).toMatch(/Expected|Unexpected/);
    const en = wordProblem(r.problem, 'en', 'Paste a note first.');
    expect(en.lines.join('')).toMatch(/line 2, column \d+, near field "chief complaint"/);
  });

  it('words a record problem (missing visit id) in both languages', () => {
    const r = parseNote('{"主诉":"头晕"}');
    if (r.ok) throw new Error('should fail');
    expect(wordProblem(r.problem, 'zh', '').lines[0]).toBe('这条 JSON 记录无法使用：第 1 行，字段“就诊标识”：缺少就诊标识。');
    expect(wordProblem(r.problem, 'en', '').lines[0]).toBe('This JSON record cannot be used: line 1, field "visit id": the visit id is missing.');
  });

  it('says what was and was not found in thin input, with no Chinese left in English except quoted headings', () => {
    const problem = {
      kind: 'thin' as const,
      unrecognised: 0,
      assessment: {
        sufficient: false,
        diagnoses: 0,
        sections: { 主诉: 'content', 现病史: 'empty', 既往史: 'missing', 入院情况: 'missing', 诊疗过程描述: 'missing' } as const,
      },
    };
    const zh = wordProblem(problem, 'zh', '').lines;
    expect(zh[1]).toBe('已识别：主诉、现病史（无实质内容，如“无特殊”）。');
    expect(zh[2]).toBe('未找到：出院诊断、既往史、入院情况、诊疗过程描述。');
    const en = wordProblem(problem, 'en', '').lines;
    expect(en[1]).toBe('Found: chief complaint, present illness (no clinical content, e.g. "无特殊").');
    expect(en[2]).toBe('Not found: discharge diagnoses, past history, admission findings, hospital course.');
    for (const line of en) expect(line.replace(/"[^"]*"/g, '')).not.toMatch(CJK);
  });

  it('words notices in both languages', () => {
    expect(wordNotice({ kind: 'records', count: 3, used: 0 }, 'zh')).toBe('找到 3 条记录，当前使用第 1 条。要对全部记录评分，请使用“批量评分”。');
    expect(wordNotice({ kind: 'records', count: 3, used: 1 }, 'en')).toBe('3 records found; record 2 is used. Use Batch scoring to score them all.');
    expect(wordNotice({ kind: 'bmi', problem: 'negative', raw: '-23.5' }, 'zh')).toBe('BMI“-23.5”为负数，已留空。');
    expect(wordNotice({ kind: 'bmi', problem: 'implausible', raw: '95' }, 'en')).toBe('BMI "95" is outside the plausible range (10–80); left empty.');
    expect(wordNotice({ kind: 'large', chars: 1_048_576 }, 'zh')).toContain('1.0 MB');
  });
});
