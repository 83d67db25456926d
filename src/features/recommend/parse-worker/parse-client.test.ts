import { describe, expect, it } from 'vitest';
import { parseNote } from '../parse-note.ts';
import { OFF_THREAD_CHARS, parsePaste } from './parse-client.ts';

describe('parsePaste', () => {
  it('a short note is parsed on the main thread', async () => {
    const text = '主诉：头晕\n出院诊断：高血压病';
    const { result, where } = await parsePaste(text);
    expect(where).toBe('main');
    expect(result).toEqual(parseNote(text));
  });

  it('a long paste with no Worker available (Node) falls back to the main thread, with the same result and its size notice', async () => {
    expect(typeof Worker).toBe('undefined');
    let text = '';
    for (let i = 0; text.length < OFF_THREAD_CHARS + 60_000; i++) text += `主诉：口干多饮${i}年。\n现病史：血糖升高，口服二甲双胍。\n出院诊断：1.2型糖尿病\n`;
    const { result, where } = await parsePaste(text);
    expect(where).toBe('main');
    expect(result).toEqual(parseNote(text));
    expect(result.ok && result.notices.some((n) => n.kind === 'large')).toBe(true);
  });
});
