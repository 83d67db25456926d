import { describe, expect, it } from 'vitest';
import { UNSECTIONED_KEY, looksLikeJson, parseFreeText } from './free-text.ts';

const NOTE = `内分泌科出院小结（草稿）
姓名：张某  性别：男  年龄：56岁  民族：汉族
住院号：20230415  入院日期：2023-04-15 09:30  BMI：26.3kg/m2
【现病史】患者10年前无明显诱因出现口干、多饮、多尿，诊断为"2型糖尿病"，长期口服二甲双胍片0.5g tid。
主诉：口干多饮多尿10年，血糖控制不佳1月。
既往史及个人史：高血压病史5年，服用苯磺酸氨氯地平片5mg qd。否认冠心病史。
入院情况：T 36.5℃，BP 152/88mmHg，体重75kg，BMI：26.3，双下肢无水肿。
辅助检查：HbA1c 9.2%。
入院诊断：2型糖尿病
诊疗经过：入院后予胰岛素泵入强化降糖，血糖平稳后改为甘精胰岛素皮下注射。
出院诊断：1.2型糖尿病 2.高血压病3级（极高危）3.高脂血症
出院带药：
1.二甲双胍片 0.5g tid
2.甘精胰岛素注射液 12u qn
3.苯磺酸氨氯地平片 5mg qd
医师签名：李某
`;

describe('parseFreeText', () => {
  const { record, unrecognised } = parseFreeText(NOTE);

  it('extracts header fields', () => {
    expect(record.性别).toBe('男');
    expect(record.民族).toBe('汉族');
    expect(record.患者序号).toBe('20230415');
    expect(record.就诊时间).toBe('2023-04-15 09:30');
    expect(record.BMI).toBe(26.3);
    expect(record.其他?.['年龄']).toBe('56岁');
  });

  it('assigns out-of-order sections, including 【】 and ： forms', () => {
    expect(record.主诉).toBe('口干多饮多尿10年，血糖控制不佳1月。');
    expect(record.现病史).toMatch(/^患者10年前无明显诱因.*tid。$/);
    expect(record.既往史).toBe('高血压病史5年，服用苯磺酸氨氯地平片5mg qd。否认冠心病史。');
    expect(record.诊疗过程描述).toBe('入院后予胰岛素泵入强化降糖，血糖平稳后改为甘精胰岛素皮下注射。');
  });

  it('keeps inline "BMI：" inside a section as text and maps 辅助检查 into 入院情况 with its label', () => {
    expect(record.入院情况).toBe('T 36.5℃，BP 152/88mmHg，体重75kg，BMI：26.3，双下肢无水肿。\n辅助检查：HbA1c 9.2%。');
  });

  it('parses numbered diagnoses and a multi-line drug list', () => {
    expect(record.出院诊断).toEqual(['2型糖尿病', '高血压病3级（极高危）', '高脂血症']);
    expect(record.出院带药列表).toEqual(['二甲双胍片 0.5g tid', '甘精胰岛素注射液 12u qn', '苯磺酸氨氯地平片 5mg qd']);
  });

  it('keeps preamble and unknown headings in 其他 and unrecognised — nothing dropped', () => {
    expect(record.其他?.[UNSECTIONED_KEY]).toBe('内分泌科出院小结（草稿）');
    expect(record.其他?.['姓名']).toBe('张某');
    expect(record.其他?.['入院诊断']).toBe('2型糖尿病');
    expect(record.其他?.['医师签名']).toBe('李某');
    expect(unrecognised).toEqual(['内分泌科出院小结（草稿）', '姓名：张某', '入院诊断：2型糖尿病', '医师签名：李某']);
  });

  it('generates a deterministic visit id, overridable by the caller and by the note', () => {
    expect(record.就诊标识).toBe('note-1');
    expect(parseFreeText(NOTE).record.就诊标识).toBe('note-1');
    expect(parseFreeText(NOTE, { defaultId: 'note-7' }).record.就诊标识).toBe('note-7');
    expect(parseFreeText('就诊标识：V42\n主诉：头晕', { defaultId: 'note-7' }).record.就诊标识).toBe('V42');
  });

  it('handles inline headings on one line, ASCII colons, spaced labels and missing sections', () => {
    const { record: r, unrecognised: u } = parseFreeText(
      '主 诉: 多饮2年 现病史: 血糖升高2年 出院诊断: 2型糖尿病、高血压病2级；高尿酸血症 出院带药: 阿卡波糖片，非布司他片',
    );
    expect(r.主诉).toBe('多饮2年');
    expect(r.现病史).toBe('血糖升高2年');
    expect(r.出院诊断).toEqual(['2型糖尿病', '高血压病2级', '高尿酸血症']);
    expect(r.出院带药列表).toEqual(['阿卡波糖片', '非布司他片']);
    expect(r.既往史).toBe('');
    expect(r.诊疗过程描述).toBe('');
    expect(u).toEqual([]);
  });

  it('keeps 出院医嘱 (diet and follow-up advice) out of the drug list, under 其他', () => {
    const { record: r, unrecognised: u } = parseFreeText(
      '主诉：口干多饮5年\n出院诊断：2型糖尿病\n出院医嘱：低盐低脂糖尿病饮食，监测血糖，内分泌科门诊随诊\n出院带药：二甲双胍片 0.5g tid',
    );
    expect(r.出院带药列表).toEqual(['二甲双胍片 0.5g tid']);
    expect(r.其他?.['出院医嘱']).toBe('低盐低脂糖尿病饮食，监测血糖，内分泌科门诊随诊');
    expect(u).toEqual([]);
    const adviceOnly = parseFreeText('出院诊断：高血压病\n出院医嘱：低盐低脂饮食，1周后复查').record;
    expect(adviceOnly.出院带药列表).toBeUndefined();
    expect(adviceOnly.出院诊断).toEqual(['高血压病']);
  });

  it.each([
    ['患者女，72岁，因口干多饮入院。', '女', '72岁'],
    ['男性，65岁，发现血糖升高3年。', '男', '65岁'],
    ['患者，男，58岁。', '男', '58岁'],
    ['68岁女性，因头晕入院。', '女', '68岁'],
    ['患者女性，因头晕入院。', '女', undefined],
  ])('reads sex and age written as prose: %s', (line, sex, age) => {
    const { record: r } = parseFreeText(`${line}\n主诉：头晕`);
    expect(r.性别).toBe(sex);
    expect(r.其他?.['年龄']).toBe(age);
  });

  it('does not take a relative\'s sex or age for the patient\'s', () => {
    const { record: r } = parseFreeText('主诉：头晕\n家族史：其子男，40岁，体健');
    expect(r.性别).toBe('');
    expect(r.其他?.['年龄']).toBeUndefined();
  });

  it.each([
    ['查体：BMI 27.3kg/m²，腹型肥胖', 27.3],
    ['入院情况：身高170cm，体重79kg，体重指数27.3', 27.3],
    ['入院情况：BMI=24.1', 24.1],
  ])('reads BMI written without a heading colon: %s', (line, bmi) => {
    const { record: r, bmiProblem } = parseFreeText(`主诉：头晕\n${line}`);
    expect(r.BMI).toBe(bmi);
    expect(bmiProblem).toBeUndefined();
    // The sentence itself stays where it was.
    expect(r.入院情况).toContain(String(bmi));
  });

  it.each([
    ['BMI：-23.5', 'negative', '-23.5'],
    ['BMI：8.2', 'implausible', '8.2'],
    ['体重指数 245', 'implausible', '245'],
  ])('turns an impossible BMI (%s) into null and says why', (line, problem, raw) => {
    const { record: r, bmiProblem } = parseFreeText(`${line}\n主诉：头晕`);
    expect(r.BMI).toBeNull();
    expect(bmiProblem).toEqual({ problem, raw });
  });

  it.each([
    ['现病史：患者于2021-03-05入院。', '2021-03-05'],
    ['现病史：2021年3月5日因"口干多饮"入院。', '2021-03-05'],
    ['现病史：2019年1月2日曾因肺炎入院治疗；2021.3.5再次收入我科。', '2021-03-05'],
  ])('reads the admission date written as prose: %s', (line, date) => {
    expect(parseFreeText(`主诉：头晕\n${line}`).record.就诊时间).toBe(date);
  });

  it('prefers the header fields over prose', () => {
    const { record: r } = parseFreeText('性别：男 BMI：22.0 入院日期：2023-05-08\n现病史：患者女，72岁，BMI 30，于2021-03-05入院');
    expect(r.性别).toBe('男');
    expect(r.BMI).toBe(22);
    expect(r.就诊时间).toBe('2023-05-08');
  });

  it('accepts numbered section headings and 住院经过/出院时诊断/入院时情况 synonyms', () => {
    const { record: r } = parseFreeText('一、主诉：头晕\n二、入院时情况：神清\n三、住院经过：予降压治疗\n四、出院时诊断：\n高血压病2级\n冠心病');
    expect(r.主诉).toBe('头晕');
    expect(r.入院情况).toBe('神清');
    expect(r.诊疗过程描述).toBe('予降压治疗');
    expect(r.出院诊断).toEqual(['高血压病2级', '冠心病']);
    expect(r.出院带药列表).toBeUndefined();
  });

  it('does not treat a heading word glued to prose as a heading', () => {
    const { record: r } = parseFreeText('现病史：患者主诉：口干。既往史：无');
    expect(r.现病史).toBe('患者主诉：口干。');
    expect(r.主诉).toBe('');
    expect(r.既往史).toBe('无');
  });

  it('keeps lab lines inside a section instead of treating them as unknown headings', () => {
    const { record: r, unrecognised: u } = parseFreeText('入院情况：神清\n血糖：12.3mmol/L\n尿酮体：阴性\n诊疗经过：予胰岛素');
    expect(r.入院情况).toBe('神清\n血糖：12.3mmol/L\n尿酮体：阴性');
    expect(u).toEqual([]);
  });

  it('joins repeated sections and keeps a plain note without headings', () => {
    const { record: r } = parseFreeText('现病史：多饮\n现病史：多尿');
    expect(r.现病史).toBe('多饮\n多尿');
    const plain = parseFreeText('患者口干多饮10年，予二甲双胍治疗。');
    expect(plain.record.其他?.[UNSECTIONED_KEY]).toBe('患者口干多饮10年，予二甲双胍治疗。');
    expect(plain.unrecognised).toEqual(['患者口干多饮10年，予二甲双胍治疗。']);
  });

  it('handles CRLF, female sex in English and a date of birth', () => {
    const { record: r } = parseFreeText('性别：F\r\n出生日期：1970年5月3日\r\n主诉：乏力');
    expect(r.性别).toBe('女');
    expect(r.出生日期).toBe('1970年5月3日');
    expect(r.主诉).toBe('乏力');
  });

  it('never throws on odd input', () => {
    for (const s of ['', '：：：', '【】', '主诉：', '\uFEFF', '[主诉]头痛']) expect(() => parseFreeText(s)).not.toThrow();
    expect(parseFreeText('[主诉]头痛').record.主诉).toBe('头痛');
  });
});

describe('looksLikeJson', () => {
  it.each([
    ['{"就诊标识":"a"}', true],
    ['\uFEFF  {"就诊标识":"a"}\n{"就诊标识":"b"}', true],
    ['[{"就诊标识":"a"}]', true],
    ['[\n  {"就诊标识":"a"}\n]', true],
    ['[]', true],
    ['[主诉]头痛', false],
    ['主诉：头痛', false],
    ['', false],
  ])('%j → %s', (text, expected) => {
    expect(looksLikeJson(text)).toBe(expected);
  });
});

describe('parseFreeText: one-line unknown headings', () => {
  it('returns to the enclosing block after a key-value unknown heading', () => {
    const { record: r, unrecognised: u } = parseFreeText('【备注】\n随访\n科室：内分泌科\n复查血糖\n主诉：乏力');
    expect(r.其他).toEqual({ 备注: '随访\n复查血糖', 科室: '内分泌科' });
    expect(u).toEqual(['备注：随访', '科室：内分泌科', '备注：复查血糖']);
    expect(r.主诉).toBe('乏力');
  });
});
