import { describe, expect, it } from 'vitest';
import { assessInput, contentChars } from './input-sufficiency.ts';
import { parseFreeText } from './free-text.ts';
import { parseRecord } from './parse-record.ts';

const fromText = (text: string) => assessInput(parseFreeText(text).record);

describe('assessInput: no recommendation without content', () => {
  it.each([
    ['。。。，，，！！！???'],
    ['Patient with chest pain for two days, no past history. Discharged home.'],
    ['主诉：头晕'],
    ['主诉：乏力2周。现病史：无特殊。'],
    ['主诉：乏力2周\n既往史：无\n入院情况：未见明显异常\n诊疗过程：略'],
    ['出院诊断：。。。'],
  ])('blocks %j', (text) => {
    expect(fromText(text).sufficient).toBe(false);
  });

  it('blocks a JSON record with nothing but a visit id', () => {
    const a = assessInput(parseRecord({ 就诊标识: 'v-min' }, { source: 't' }));
    expect(a).toEqual({
      sufficient: false,
      diagnoses: 0,
      sections: { 主诉: 'missing', 现病史: 'missing', 既往史: 'missing', 入院情况: 'missing', 诊疗过程描述: 'missing' },
    });
  });

  it('says what was found: 主诉 with content, 现病史 present but empty', () => {
    const a = fromText('主诉：乏力2周。现病史：无特殊。');
    expect(a.sections.主诉).toBe('content');
    expect(a.sections.现病史).toBe('empty');
    expect(a.sections.既往史).toBe('missing');
  });

  it.each([
    ['出院诊断：2型糖尿病'],
    ['主诉：头晕\n现病史：血压升高10年，未规律服药'],
    ['既往史：否认高血压、糖尿病病史'],
    ['诊疗过程：予阿托伐他汀调脂治疗'],
  ])('allows %j', (text) => {
    expect(fromText(text).sufficient).toBe(true);
  });

  it('counts letters left after boilerplate, not digits or punctuation', () => {
    expect(contentChars('无特殊。')).toBe(0);
    expect(contentChars('乏力2周')).toBe(3);
    expect(contentChars('无明显诱因出现口干')).toBe(8);
  });
});
