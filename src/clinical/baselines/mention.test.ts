import { describe, expect, it } from 'vitest';
import { Formulary } from '../formulary.ts';
import { MINI_FORMULARY } from '../__fixtures__/mini-formulary.ts';
import type { TextField } from '../record.ts';
import { analyzeText, fitMention, mentionedDrugs, type MentionStatus } from './mention.ts';
import { rec } from './test-helpers.ts';

const formulary = Formulary.fromJson(MINI_FORMULARY, 'mini');

function statuses(text: string, field: TextField = '现病史'): Array<[string, MentionStatus]> {
  return analyzeText(text, field, formulary).map((m) => [m.name, m.status]);
}

describe('mention analysis', () => {
  it('plain mentions are positive', () => {
    expect(statuses('长期口服盐酸二甲双胍缓释片0.5g bid，血糖控制可。')).toEqual([['二甲双胍', 'positive']]);
  });

  it.each([
    ['否认服用阿司匹林。', [['阿司匹林', 'negated']]],
    ['否认高血压、冠心病史，否认阿司匹林、氨氯地平服用史。', [['阿司匹林', 'negated'], ['氨氯地平', 'negated']]],
    ['既往无阿司匹林服用史', [['阿司匹林', 'negated']]],
    ['未服用二甲双胍', [['二甲双胍', 'negated']]],
    ['拒绝甘精胰岛素治疗', [['甘精胰岛素', 'negated']]],
    ['对青霉素过敏', [['青霉素', 'negated']]],
    ['二甲双胍不耐受', [['二甲双胍', 'negated']]],
    ['否认药物过敏史，长期服用二甲双胍', [['二甲双胍', 'positive']]],
    ['无明显诱因出现多饮多尿，自服二甲双胍', [['二甲双胍', 'positive']]],
  ] as Array<[string, Array<[string, MentionStatus]>]>)('negation: %s', (text, expected) => {
    expect(statuses(text)).toEqual(expected);
  });

  it.each([
    ['停用格列美脲，改为达格列净', [['格列美脲', 'stopped'], ['达格列净', 'positive']]],
    ['将格列美脲改为西格列汀', [['格列美脲', 'stopped'], ['西格列汀', 'positive']]],
    ['阿卡波糖因胃肠道反应已停用', [['阿卡波糖', 'stopped']]],
    ['二甲双胍已停', [['二甲双胍', 'stopped']]],
    ['停用二甲双胍、格列美脲，加用西格列汀', [['二甲双胍', 'stopped'], ['格列美脲', 'stopped'], ['西格列汀', 'positive']]],
    ['加用阿卡波糖后停用二甲双胍', [['阿卡波糖', 'positive'], ['二甲双胍', 'stopped']]],
    ['二甲双胍剂量调整为1.0g bid', [['二甲双胍', 'positive']]],
    ['自行停服阿托伐他汀半年', [['阿托伐他汀', 'stopped']]],
    ['阿托伐他汀不再使用', [['阿托伐他汀', 'stopped']]],
  ] as Array<[string, Array<[string, MentionStatus]>]>)('stopping: %s', (text, expected) => {
    expect(statuses(text)).toEqual(expected);
  });

  it('marks intravenous/pump drugs in 诊疗过程描述 as inpatient, but not subcutaneous injections', () => {
    const text = '入院后予注射用头孢呋辛钠静滴抗感染，氯化钾注射液静脉补钾，门冬胰岛素泵入降糖，血糖平稳后改为甘精胰岛素皮下注射。';
    expect(statuses(text, '诊疗过程描述')).toEqual([
      ['头孢呋辛', 'inpatient'],
      ['氯化钾', 'inpatient'],
      ['门冬胰岛素', 'inpatient'],
      ['甘精胰岛素', 'positive'],
    ]);
    // elsewhere only an intravenous route is ward-only (RULE-1204ze): a pump or the course's other cues are not
    expect(statuses('予头孢呋辛静滴', '既往史')).toEqual([['头孢呋辛', 'inpatient']]);
    expect(statuses('门冬胰岛素泵入降糖', '既往史')).toEqual([['门冬胰岛素', 'positive']]);
  });

  it('a switch splits a clause: the route before 改为 is the old regimen’s, the route after it the new one’s', () => {
    expect(statuses('静脉补钾改为氯化钾缓释片1g tid口服。', '诊疗过程描述')).toEqual([['氯化钾', 'positive']]);
    expect(statuses('皮下胰岛素改为门冬胰岛素泵入。', '诊疗过程描述')).toEqual([['门冬胰岛素', 'inpatient']]);
    // without the switch, the intravenous route in the clause is the drug's own
    expect(statuses('静脉补钾，氯化钾注射液静滴。', '诊疗过程描述')).toEqual([['氯化钾', 'inpatient']]);
  });
});

describe('past regimens, bare stops and ward injections', () => {
  it.each([
    ['既往曾使用阿卡波糖，近期应用二甲双胍降糖', [['阿卡波糖', 'past'], ['二甲双胍', 'positive']]],
    ['起初予格列美脲治疗，后多次调整方案', [['格列美脲', 'past']]],
    ['曾先后服用格列美脲、阿卡波糖等降糖，现用二甲双胍', [['格列美脲', 'past'], ['阿卡波糖', 'past'], ['二甲双胍', 'positive']]],
    ['以往服用阿托伐他汀', [['阿托伐他汀', 'past']]],
  ] as Array<[string, Array<[string, MentionStatus]>]>)('past: %s', (text, expected) => {
    expect(statuses(text)).toEqual(expected);
  });

  it('a past drug neither adds nor removes a drug in the mention baseline', () => {
    expect(mentionedDrugs(rec('p', { 现病史: '既往曾使用阿卡波糖，近期应用二甲双胍降糖' }), formulary)).toEqual(['二甲双胍']);
    expect(mentionedDrugs(rec('p', { 既往史: '长期服用阿卡波糖', 现病史: '既往曾使用阿卡波糖' }), formulary)).toEqual(['阿卡波糖']);
  });

  it.each([
    ['调整降糖方案，停阿卡波糖，加用达格列净', [['阿卡波糖', 'stopped'], ['达格列净', 'positive']]],
    ['予停二甲双胍', [['二甲双胍', 'stopped']]],
    ['暂停阿托伐他汀', [['阿托伐他汀', 'stopped']]],
    ['停经5年，服用阿托伐他汀', [['阿托伐他汀', 'positive']]],
  ] as Array<[string, Array<[string, MentionStatus]>]>)('bare stop: %s', (text, expected) => {
    expect(statuses(text)).toEqual(expected);
  });

  it.each([
    ['避免抗血小板药（阿司匹林等）', [['阿司匹林', 'stopped']]],
    ['合并冠心病，不选用非布司他', [['非布司他', 'stopped']]],
    ['不予左甲状腺素等甲状腺激素', [['左甲状腺素', 'stopped']]],
    // "不予选用" is one avoidance: bare at the end of a later clause, it refers back to the drug
    ['非布司他增加心血管死亡风险，不予选用。', [['非布司他', 'stopped']]],
    ['非布司他不予考虑', [['非布司他', 'stopped']]],
    ['妊娠期禁用阿托伐他汀', [['阿托伐他汀', 'stopped']]],
    ['二甲双胍禁用', [['二甲双胍', 'stopped']]],
    ['予阿卡波糖降糖，避免低血糖', [['阿卡波糖', 'positive']]],
  ] as Array<[string, Array<[string, MentionStatus]>]>)('avoidance rules a drug out: %s', (text, expected) => {
    expect(statuses(text).filter(([n]) => expected.some(([e]) => e === n))).toEqual(expected);
  });

  it('drugs named in an injection form in 诊疗过程描述 are inpatient, home injectables are not', () => {
    expect(statuses('予注射用头孢呋辛钠抗感染，予氯化钾注射液补钾，予门冬胰岛素注射液皮下注射控制血糖', '诊疗过程描述')).toEqual([
      ['头孢呋辛', 'inpatient'],
      ['氯化钾', 'inpatient'],
      ['门冬胰岛素', 'positive'],
    ]);
    expect(statuses('予胰岛素泵(门冬胰岛素)强化降糖', '诊疗过程描述')).toEqual([['门冬胰岛素', 'inpatient']]);
    // outside the course an injection form is what the patient uses at home
    expect(statuses('院外予氯化钾注射液', '现病史')).toEqual([['氯化钾', 'positive']]);
  });

  it('"先予A，后…改为B" stops the first regimen across the clause break; without the sequence it does not', () => {
    expect(statuses('先予三餐前门冬胰岛素+睡前甘精胰岛素皮下注射，后根据血糖及自我注射能力简化为二甲双胍片0.5g tid。', '诊疗过程描述')).toEqual([
      ['门冬胰岛素', 'stopped'],
      ['甘精胰岛素', 'stopped'],
      ['二甲双胍', 'positive'],
    ]);
    // no 先…后: a drug in an earlier clause keeps its status
    expect(statuses('予甘精胰岛素睡前皮下注射，血糖平稳后阿卡波糖改为西格列汀。', '诊疗过程描述')).toEqual([
      ['甘精胰岛素', 'positive'],
      ['阿卡波糖', 'stopped'],
      ['西格列汀', 'positive'],
    ]);
    // the replaced regimen is only this sentence's
    expect(statuses('先予二甲双胍。后改为阿卡波糖。', '诊疗过程描述')).toEqual([
      ['二甲双胍', 'positive'],
      ['阿卡波糖', 'positive'],
    ]);
  });

  it('an arrow between regimens is a switch ("胰岛素泵3d → X"); an arrow before a dose is not', () => {
    expect(statuses('胰岛素泵3d → 甘精胰岛素 12U qn + 阿卡波糖 50 tid。', '诊疗过程描述')).toEqual([
      ['甘精胰岛素', 'positive'],
      ['阿卡波糖', 'positive'],
    ]);
    expect(statuses('阿卡波糖 50 tid → 二甲双胍 0.5 tid。', '诊疗过程描述')).toEqual([
      ['阿卡波糖', 'stopped'],
      ['二甲双胍', 'positive'],
    ]);
    expect(statuses('二甲双胍 0.5→1.0g bid。', '诊疗过程描述')).toEqual([['二甲双胍', 'positive']]);
  });

  it('a stop of the intravenous form ("停静脉胰岛素") does not stop the drug; a plain stop does', () => {
    expect(statuses('血钙正常后停静脉阿卡波糖，继续二甲双胍。', '诊疗过程描述')).toEqual([
      ['阿卡波糖', 'inpatient'],
      ['二甲双胍', 'positive'],
    ]);
    expect(statuses('停用阿卡波糖，继续二甲双胍。', '诊疗过程描述')).toEqual([
      ['阿卡波糖', 'stopped'],
      ['二甲双胍', 'positive'],
    ]);
  });

  it('"钙剂（含维生素D）" names no vitamin D of its own', () => {
    const bundled = Formulary.bundled();
    const read = (t: string) => analyzeText(t, '诊疗过程描述', bundled).map((m) => [m.name, m.status]);
    expect(read('补充钙剂（含维生素D），每年复查骨密度。')).toEqual([]);
    expect(read('加用维生素D 800IU qd。')).toEqual([['维生素D', 'positive']]);
  });

  it('a next dose given in clinic ("下次6个月后门诊注射") is not taken home; a drug after it is unaffected', () => {
    const bundled = Formulary.bundled();
    const read = (t: string, f: 'C' | 'P' = 'C') => analyzeText(t, f === 'C' ? '诊疗过程描述' : '现病史', bundled).map((m) => [m.name, m.status]);
    expect(read('改地舒单抗60mg皮下注射，住院期间已注射第1针，下次6个月后门诊注射。')).toEqual([['地舒单抗', 'inpatient']]);
    expect(read('出院后：1.碳酸钙D3片600mg qd；2.唑来膦酸每年1次，明年3月门诊输注；3.骨化三醇0.25μg qd。')).toEqual([
      ['碳酸钙D3', 'discharge'],
      ['唑来膦酸', 'inpatient'],
      ['骨化三醇', 'discharge'],
    ]);
    // the cue belongs to the drug right before it
    expect(read('继续阿仑膦酸钠，地舒单抗下次门诊注射。')).toEqual([
      ['阿仑膦酸钠', 'positive'],
      ['地舒单抗', 'inpatient'],
    ]);
    // a yearly or six-monthly drug's schedule alone says the same (RULE-1208a): it is never taken home
    expect(read('改地舒单抗60mg皮下注射，每6个月1次。')).toEqual([['地舒单抗', 'inpatient']]);
    expect(read('唑来膦酸每年1次（下次2023年5月），3月后复查血钙。')).toEqual([['唑来膦酸', 'inpatient']]);
    // …but a discharge list that names it sends it home, and a weekly drug is no long-interval drug
    expect(read('出院带药：地舒单抗60mg皮下注射，每6个月1次。')).toEqual([['地舒单抗', 'discharge']]);
    expect(read('改司美格鲁肽0.25mg皮下注射，每周1次，下次门诊调整剂量。')).toEqual([['司美格鲁肽', 'positive']]);
  });

  it('stops scheduled inside the plan (后可停, a threshold, 随X停用) keep the drugs; a stop with neither still stops', () => {
    const bundled = Formulary.bundled();
    const read = (t: string) => analyzeText(t, '诊疗过程描述', bundled).map((m) => [m.name, m.status]);
    expect(read('出院带药：1. 盐酸普萘洛尔片 10mg tid，心率<70次/分停用；2. 泮托拉唑钠肠溶片 40mg qd，随泼尼松停用。')).toEqual([
      ['普萘洛尔', 'discharge'],
      ['泮托拉唑', 'discharge'],
      ['泼尼松', 'discharge'],
    ]);
    expect(read('出院带药：乳果糖口服溶液 15ml qd，大便通畅后可停。')).toEqual([['乳果糖', 'discharge']]);
    expect(read('出院带药：泮托拉唑钠肠溶片 40mg qd，泼尼松停用。')).toEqual([
      ['泮托拉唑', 'discharge'],
      ['泼尼松', 'stopped'],
    ]);
  });

  it('ward-only: nebulised drugs and a one-off injection; "疗程已结束" stops the drug before it; "维生素B12正常" is a lab', () => {
    const bundled = Formulary.bundled();
    const read = (t: string) => analyzeText(t, '诊疗过程描述', bundled).map((m) => [m.name, m.status]);
    expect(read('布地奈德混悬液＋异丙托溴铵雾化吸入。')).toEqual([
      ['布地奈德', 'inpatient'],
      ['异丙托溴铵', 'inpatient'],
    ]);
    expect(read('激素期间临时皮下注射门冬胰岛素。')).toEqual([['门冬胰岛素', 'inpatient']]);
    expect(read('三餐前皮下注射门冬胰岛素。')).toEqual([['门冬胰岛素', 'positive']]);
    expect(read('予泼尼松片20mg qd，关节肿痛缓解，泼尼松疗程已结束。')).toEqual([
      ['泼尼松', 'positive'],
      ['泼尼松', 'stopped'],
    ]);
    // only at a clause's end: it never stops the drug after it
    expect(read('抗感染疗程已完成，出院带药：二甲双胍。')).toEqual([['二甲双胍', 'discharge']]);
    expect(read('维生素B12正常，予甲钴胺片0.5mg tid。')).toEqual([['甲钴胺', 'positive']]);
  });

  it('a switch to insulin ("改胰岛素") replaces the drug before it; "改善胰岛素抵抗" is no switch', () => {
    const bundled = Formulary.bundled();
    const read = (t: string) => analyzeText(t, '诊疗过程描述', bundled).map((m) => [m.name, m.status]);
    expect(read('二甲双胍与患者沟通后改胰岛素。予门冬胰岛素三餐前4U。')).toEqual([
      ['二甲双胍', 'stopped'],
      ['门冬胰岛素', 'positive'],
    ]);
    expect(read('予二甲双胍，改善胰岛素抵抗。')).toEqual([['二甲双胍', 'positive']]);
    expect(read('二甲双胍0.5g tid，胰岛素剂量同前。')).toEqual([['二甲双胍', 'positive']]);
  });

  it('"单用X" and "已用X" are positive cues: they end a stop scope', () => {
    const bundled = Formulary.bundled();
    const read = (t: string) => analyzeText(t, '诊疗过程描述', bundled).map((m) => [m.name, m.status]);
    expect(read('停用阿司匹林，单用氯吡格雷抗血小板。')).toEqual([
      ['阿司匹林', 'stopped'],
      ['氯吡格雷', 'positive'],
    ]);
    // "已用X" (already on X) ends the scope too: "停补钾（已用螺内酯、诺欣妥，避免高钾）"
    expect(read('停用氯化钾（已用螺内酯、沙库巴曲缬沙坦，避免高钾）。')).toEqual([
      ['氯化钾', 'stopped'],
      ['螺内酯', 'positive'],
      ['沙库巴曲缬沙坦', 'positive'],
    ]);
    expect(read('停用阿司匹林、氯吡格雷。')).toEqual([
      ['阿司匹林', 'stopped'],
      ['氯吡格雷', 'stopped'],
    ]);
  });

  it('intensive insulin on the ward (强化降糖, 胰岛素强化治疗) is inpatient; the same insulins without it, or in the plan, are not', () => {
    expect(statuses('予三餐前门冬胰岛素+睡前甘精胰岛素皮下注射强化降糖', '诊疗过程描述')).toEqual([
      ['门冬胰岛素', 'inpatient'],
      ['甘精胰岛素', 'inpatient'],
    ]);
    expect(statuses('予门冬胰岛素、甘精胰岛素胰岛素强化治疗', '诊疗过程描述')).toEqual([
      ['门冬胰岛素', 'inpatient'],
      ['甘精胰岛素', 'inpatient'],
    ]);
    expect(statuses('予三餐前门冬胰岛素+睡前甘精胰岛素皮下注射控制血糖', '诊疗过程描述')).toEqual([
      ['门冬胰岛素', 'positive'],
      ['甘精胰岛素', 'positive'],
    ]);
    // the ward regimen's clause only: the switch after it is what goes home
    expect(statuses('予门冬胰岛素强化降糖，血糖平稳后改为甘精胰岛素睡前皮下注射', '诊疗过程描述')).toEqual([
      ['门冬胰岛素', 'inpatient'],
      ['甘精胰岛素', 'positive'],
    ]);
    expect(statuses('出院后继续门冬胰岛素强化降糖方案', '诊疗过程描述')).toEqual([['门冬胰岛素', 'discharge']]);
  });
});

describe('discharge-plan statements', () => {
  it('marks drugs after a discharge cue as discharge, also in a numbered list on the next lines', () => {
    expect(statuses('氨氯地平静滴。出院带药：\n1. 二甲双胍 0.5g tid\n2. 阿司匹林 100mg qd\n注意监测血糖', '诊疗过程描述')).toEqual([
      ['氨氯地平', 'inpatient'],
      ['二甲双胍', 'discharge'],
      ['阿司匹林', 'discharge'],
    ]);
  });

  it('a stop cue inside the plan still stops, and the plan ends at the sentence', () => {
    expect(statuses('出院后继续氨氯地平，停用二甲双胍。随访阿司匹林', '诊疗过程描述')).toEqual([
      ['氨氯地平', 'discharge'],
      ['二甲双胍', 'stopped'],
      ['阿司匹林', 'positive'],
    ]);
  });

  it('a stop scheduled for later inside the plan (taper, condition) is not a stop; "出院带X" is a plan', () => {
    expect(statuses('出院带药：\n1.格列美脲片2mg qd（每周减1mg，至停药）\n2.氨氯地平片5mg qd（血压<100/60mmHg时停用）', '诊疗过程描述')).toEqual([
      ['格列美脲', 'discharge'],
      ['氨氯地平', 'discharge'],
    ]);
    expect(statuses('出院带氯化钾10ml tid，1周后停用。', '诊疗过程描述')).toEqual([['氯化钾', 'discharge']]);
    // outside a plan, "…后停用" reports what happened in the course
    expect(statuses('服二甲双胍2周后停用。', '诊疗过程描述')).toEqual([['二甲双胍', 'stopped']]);
  });

  it('a stop cue that opens a clause with an object of its own does not stop the drug before it', () => {
    // 胰岛素 alone is not a candidate name: the cue still has an object
    expect(statuses('第6天恢复二甲双胍及西格列汀，停胰岛素。', '诊疗过程描述')).toEqual([
      ['二甲双胍', 'positive'],
      ['西格列汀', 'positive'],
    ]);
    // without an object it refers back, across a clause break too
    expect(statuses('格列美脲片因肾功能不全，低血糖风险已停用，饮食控制欠佳。', '现病史')).toEqual([['格列美脲', 'stopped']]);
    expect(statuses('二甲双胍停用后血糖升高。', '诊疗过程描述')).toEqual([['二甲双胍', 'stopped']]);
  });

  it('a negation or "暂不" swallows its verb, so "未予X" / "暂不加用X" do not read as giving X; "无需" is no negation', () => {
    expect(statuses('未予二甲双胍治疗，未加用阿卡波糖。', '诊疗过程描述')).toEqual([
      ['二甲双胍', 'negated'],
      ['阿卡波糖', 'negated'],
    ]);
    expect(statuses('予阿卡波糖，暂不加用阿托伐他汀。', '诊疗过程描述')).toEqual([
      ['阿卡波糖', 'positive'],
      ['阿托伐他汀', 'stopped'],
    ]);
    // "暂不恢复" with no object of its own refers back to the drug before it
    expect(statuses('恢复二甲双胍，阿卡波糖暂不恢复，空腹血糖6.1mmol/L。', '诊疗过程描述')).toEqual([
      ['二甲双胍', 'positive'],
      ['阿卡波糖', 'stopped'],
    ]);
    expect(statuses('加用无需根据肾功能调整剂量的西格列汀。', '诊疗过程描述')).toEqual([['西格列汀', 'positive']]);
    expect(statuses('无二甲双胍禁忌。', '诊疗过程描述')).toEqual([['二甲双胍', 'negated']]);
  });

  it('a deferred start ("再决定是否启用X") is no start; a deferred stop ("决定是否停用X") is no stop', () => {
    expect(statuses('3月后复查血糖再决定是否加用阿卡波糖，继续二甲双胍。', '诊疗过程描述')).toEqual([
      ['阿卡波糖', 'stopped'],
      ['二甲双胍', 'positive'],
    ]);
    expect(statuses('产科评估是否加用小剂量阿司匹林。', '诊疗过程描述')).toEqual([['阿司匹林', 'stopped']]);
    expect(statuses('复查胃镜后决定是否停用阿司匹林。', '诊疗过程描述')).toEqual([['阿司匹林', 'positive']]);
    // without the deferral the same clauses start and stop the drug
    expect(statuses('加用阿卡波糖。停用阿司匹林。', '诊疗过程描述')).toEqual([
      ['阿卡波糖', 'positive'],
      ['阿司匹林', 'stopped'],
    ]);
    // it looks forward only: a drug before it keeps its status ("二甲双胍，根据血糖决定是否加量")
    expect(statuses('二甲双胍0.5g bid，根据血糖决定是否加量。', '诊疗过程描述')).toEqual([['二甲双胍', 'positive']]);
  });

  it('a past drug stopped later is stopped; a duration after a bare stop cue is no object', () => {
    expect(statuses('糖尿病，曾服格列美脲，已自行停用半年。', '既往史')).toEqual([['格列美脲', 'stopped']]);
    expect(statuses('曾服阿托伐他汀，半年前自行停用。', '现病史')).toEqual([['阿托伐他汀', 'stopped']]);
    expect(statuses('阿卡波糖，已停药3月余，血糖尚可。', '现病史')).toEqual([['阿卡波糖', 'stopped']]);
    // a past drug with no stop after it stays past; a stop cue with an object of its own is about that object
    expect(statuses('曾服格列美脲，血糖好转。', '既往史')).toEqual([['格列美脲', 'past']]);
    expect(statuses('曾服阿卡波糖，停二甲双胍。', '现病史')).toEqual([
      ['阿卡波糖', 'past'],
      ['二甲双胍', 'stopped'],
    ]);
  });

  it('an explicit plan restarts a drug stopped earlier, and the baseline keeps plan drugs', () => {
    const r = rec('p1', { 现病史: '因胃肠道反应停用二甲双胍。', 诊疗过程描述: '出院后继续二甲双胍0.5g bid。' });
    expect(mentionedDrugs(r, formulary)).toEqual(['二甲双胍']);
  });
});

describe('mention baseline', () => {
  it('uses the last status across fields in chronological order', () => {
    const r = rec('m1', {
      既往史: '高血压病史5年，服用苯磺酸氨氯地平片5mg qd。否认阿司匹林服用史。对青霉素过敏。',
      现病史: '10年前诊断2型糖尿病，口服二甲双胍片、格列美脲片。',
      诊疗过程描述: '入院后停用格列美脲，改为西格列汀；停用氨氯地平，改用缬沙坦胶囊。予头孢呋辛静滴抗感染。继续二甲双胍。',
    });
    expect(mentionedDrugs(r, formulary)).toEqual(['二甲双胍', '西格列汀', '缬沙坦']);
  });

  it('a drug stopped early but restarted later is kept', () => {
    const r = rec('m2', { 现病史: '1年前自行停用阿托伐他汀。', 诊疗过程描述: '予阿托伐他汀钙片20mg qn调脂。' });
    expect(fitMention(formulary).predict(r)).toEqual(['阿托伐他汀']);
  });

  it('returns only canonical candidate names and nothing for an empty note', () => {
    const m = fitMention(formulary);
    expect(m.predict(rec('e'))).toEqual([]);
    const out = m.predict(rec('x', { 现病史: '服用拜糖平、立普妥、优甲乐及某中成药' }));
    expect(out).toEqual(['阿卡波糖', '阿托伐他汀', '左甲状腺素']);
    for (const n of out) expect(formulary.has(n)).toBe(true);
  });
});

describe('chart phrasings: bounded courses, tests and labs, bare switches, 出院续服', () => {
  const bundled = Formulary.bundled();
  const read = (text: string, field: TextField = '诊疗过程描述'): Array<[string, MentionStatus]> =>
    analyzeText(text, field, bundled).map((m) => [m.name, m.status]);

  it.each([
    ['予环硅酸锆钠10g tid×2天降钾', '环硅酸锆钠'],
    ['住院期间予地舒单抗60mg皮下注射1次', '地舒单抗'],
    ['予山莨菪碱、双氯芬酸钠栓各1次止痛', '双氯芬酸'],
    ['血压180/100mmHg，临时予卡托普利25mg含服', '卡托普利'],
    ['术后予低分子肝素皮下注射3天（住院期间）', '低分子肝素'],
    ['输注后低热，予对乙酰氨基酚片0.5g 1次后退热', '对乙酰氨基酚'],
    ['低分子肝素预防血栓', '低分子肝素'],
  ])('a dose the note bounds to the stay is inpatient: %s', (text, drug) => {
    expect(read(text)).toContainEqual([drug, 'inpatient']);
  });

  it('a bare stop after a re-check or an end point in a clause of its own refers back to the drug', () => {
    expect(read('予环硅酸锆钠散10g tid口服2天降钾，复查K 4.9mmol/L后停用，期间血钾稳定。')).toEqual([['环硅酸锆钠', 'stopped']]);
    expect(read('环硅酸锆钠散10g tid 2天后血钾降至4.9mmol/L，停用；')).toEqual([['环硅酸锆钠', 'stopped']]);
  });

  it('vitamin D as the object of supplementation is an aim, not a drug; with a dose or a form it is the drug', () => {
    expect(read('补充维生素D：骨化三醇软胶囊0.25μg bid口服')).toEqual([['骨化三醇', 'positive']]);
    expect(read('补充维生素D及钙剂后复查血钙2.31mmol/L')).toEqual([]);
    expect(read('补充钙及维生素D')).toEqual([]);
    expect(read('补充维生素D滴剂400IU qd')).toEqual([['维生素D', 'positive']]);
  });

  it('in 现病史 a drug taken without effect before admission is past; one that goes on is not', () => {
    expect(read('5天前受凉后咳嗽，自服"连花清瘟胶囊"无好转。', '现病史')).toEqual([['连花清瘟胶囊', 'past']]);
    expect(read('口服二甲双胍0.5g bid，血糖控制不佳。', '现病史')).toEqual([['二甲双胍', 'positive']]);
    expect(read('服用阿卡波糖50mg tid效果不佳，加用西格列汀。', '现病史')).toContainEqual(['阿卡波糖', 'positive']);
  });

  it('a low-molecular-weight heparin in the course is a ward injection; in the discharge plan it goes home', () => {
    expect(read('胰岛素静脉泵入，低分子肝素预防血栓。')).toContainEqual(['低分子肝素', 'inpatient']);
    expect(read('出院带药：依诺肝素4000IU皮下注射 qd×14天')).toContainEqual(['依诺肝素', 'discharge']);
  });

  it('labs to re-check, deferrals with a time, end points and home tapers still to come (RULE-1209b)', () => {
    // a re-check list does not reach over a time point and a cue; a name right after 复查 that opens a list is a lab
    expect(read('检查完成后停用维拉帕米及多沙唑嗪，开始螺内酯片40mg bid。')).toEqual([['维拉帕米', 'stopped'], ['多沙唑嗪', 'stopped'], ['螺内酯', 'positive']]);
    expect(read('出院后3月复查维生素D、血钙、尿钙。')).toEqual([]);
    expect(read('出院后加用维生素D滴剂400IU qd。')).toEqual([['维生素D', 'discharge']]);
    // a deferral with a time is a deferral; 再议 and "仍…再加" defer too
    expect(read('出院后3月复查血钙，1年后门诊评估第2剂唑来膦酸，必要时再议序贯特立帕肽。')).toEqual([['唑来膦酸', 'stopped'], ['特立帕肽', 'stopped']]);
    expect(read('降压选用厄贝沙坦150mg qd，2周后血压仍>130/80mmHg再加氨氯地平。')).toEqual([['厄贝沙坦', 'positive'], ['氨氯地平', 'stopped']]);
    // an end point still to come, and a taper by a rule the patient follows at home, are no stop now
    expect(read('产科建议口服小剂量阿司匹林100mg qn预防子痫前期，至孕36周停用。')).toEqual([['阿司匹林', 'positive']]);
    expect(read('出院带泼尼松15mg qd，按上法减停。')).toEqual([['泼尼松', 'discharge']]);
    expect(read('2周门诊随访，根据血糖逐步减停甘精胰岛素。')).toEqual([['甘精胰岛素', 'positive']]);
    // a taper done on the ward still stops it
    expect(read('甘精胰岛素逐步减停。')).toEqual([['甘精胰岛素', 'stopped']]);
  });

  it('不予选择 and 避开 rule out; 效果差 in 现病史 is past; a deferred restart; ward-only alprostadil and long-interval drugs (RULE-1209l)', () => {
    expect(read('降尿酸：非布司他心血管风险增加，不予选择；苯溴马隆50mg qd。')).toEqual([['非布司他', 'stopped'], ['苯溴马隆', 'positive']]);
    expect(read('PPI口服选潘妥洛克40mg qd（避开洛赛克）。')).toEqual([['泮托拉唑', 'positive'], ['奥美拉唑', 'stopped']]);
    expect(read('3月来干咳，外院予头孢克洛、复方甲氧那明效果差。', '现病史')).toEqual([['头孢克洛', 'past'], ['复方甲氧那明', 'past']]);
    expect(read('出院后：甘精胰岛素12U睡前；二甲双胍待门诊复查肝功、血乳酸后再决定是否加回。')).toEqual([['甘精胰岛素', 'discharge'], ['二甲双胍', 'stopped']]);
    // a review of a drug that goes home stays a later decision about it
    expect(read('出院后：氯吡格雷75mg qd（满12个月后门诊评估）。')).toEqual([['氯吡格雷', 'discharge']]);
    expect(read('局部清创换药，前列地尔改善循环。')).toEqual([['前列地尔', 'inpatient']]);
    expect(read('双膦酸盐禁用，改选地舒单抗。出院后：钙尔奇D 600mg qd；每6个月皮下注射地舒单抗60mg一次（下次2023年4月门诊注射）。')).toEqual([
      ['地舒单抗', 'inpatient'],
      ['碳酸钙D3', 'discharge'],
      ['地舒单抗', 'inpatient'],
    ]);
  });


  it('no-effect words with 明显, a stop as a time point, 不再恢复 over a list, 必要时加, sick-day holds, single doses and 除外 (RULE-1210a)', () => {
    expect(read('4天前右膝红肿，自服布洛芬缓释胶囊无明显缓解。', '现病史')).toEqual([['布洛芬', 'past']]);
    expect(read('出院带药：\n①醋酸泼尼松片 25mg qd\n②奥美拉唑肠溶胶囊 20mg qd（泼尼松停用后停）')).toEqual([['泼尼松', 'discharge'], ['奥美拉唑', 'discharge'], ['泼尼松', 'discharge']]);
    // outside a plan the narrative still reads it as a stop
    expect(read('二甲双胍停用后血糖升高。')).toEqual([['二甲双胍', 'stopped']]);
    expect(read('改为螺内酯20mg bid。原厄贝沙坦及美托洛尔不再恢复。')).toEqual([['螺内酯', 'positive'], ['厄贝沙坦', 'stopped'], ['美托洛尔', 'stopped']]);
    // a joiner other than 、/及 leaves the earlier drug alone
    expect(read('继续阿司匹林，美托洛尔不再使用。')).toEqual([['阿司匹林', 'positive'], ['美托洛尔', 'stopped']]);
    expect(read('改用依折麦布片10mg qd，3月后复查血脂，必要时加依洛尤单抗。')).toEqual([['依折麦布', 'positive'], ['依洛尤单抗', 'stopped']]);
    expect(read('出院后胸痛时必要时含服硝酸甘油。')).toContainEqual(['硝酸甘油', 'discharge']);
    expect(read('恢复二甲双胍0.5g tid；嘱生病进食差、呕吐时暂停二甲双胍并及时就诊。')).toEqual([['二甲双胍', 'positive'], ['二甲双胍', 'positive']]);
    expect(read('入院后暂停二甲双胍。')).toEqual([['二甲双胍', 'stopped']]);
    expect(read('输注后低热37.8℃，予对乙酰氨基酚1次后缓解。')).toEqual([['对乙酰氨基酚', 'inpatient']]);
    expect(read('出院带药同上（氯雷他定除外）。')).toEqual([['氯雷他定', 'stopped']]);
    expect(read('加非布斯他20mg qd。')).toEqual([['非布司他', 'positive']]);
  });

  it('"不作为选择" rules out; a bare avoidance after the risk that is its reason refers back over a longer stretch (RULE-1210m)', () => {
    expect(read('患者有冠心病支架史，非布司他心血管风险增加，不作为选择；予苯溴马隆25mg qd。')).toEqual([['非布司他', 'stopped'], ['苯溴马隆', 'positive']]);
    expect(read('非布司他说明书有心血管死亡风险警示，结合其冠心病史不选用。')).toEqual([['非布司他', 'stopped']]);
    // without a risk as the reason the long stretch is no reference back
    expect(read('非布司他20mg qd起始，4周后复查血尿酸及肝功能，门诊随访，不用加量。')).toContainEqual(['非布司他', 'positive']);
  });

  it('an analgesic given as needed in the course is ward pain relief; a plan sends it home (RULE-1210k)', () => {
    expect(read('鲑降钙素注射液50IU ih qd×10天，对乙酰氨基酚必要时口服，佩戴腰围下床。')).toContainEqual(['对乙酰氨基酚', 'inpatient']);
    expect(read('入院后予卧床休息，必要时短期对乙酰氨基酚止痛。')).toEqual([['对乙酰氨基酚', 'inpatient']]);
    expect(read('出院带药：对乙酰氨基酚0.5g 必要时口服。')).toEqual([['对乙酰氨基酚', 'discharge']]);
    expect(read('予对乙酰氨基酚0.5g tid口服。')).toEqual([['对乙酰氨基酚', 'positive']]);
  });

  it('a drug for an acute symptom of the stay (止泻, 退热) is a ward drug, an earlier regimen in 现病史; pain relief is not read so (RULE-1210h)', () => {
    expect(read('左氧氟沙星注射液0.5g qd抗感染5天，蒙脱石散止泻。')).toContainEqual(['蒙脱石', 'inpatient']);
    expect(read('家中多人"流感"，自服"布洛芬"退热，未调整激素剂量。', '现病史')).toEqual([['布洛芬', 'past']]);
    expect(read('秋水仙碱0.5mg bid抗炎止痛。')).toEqual([['秋水仙碱', 'positive']]);
    expect(read('出院带药：蒙脱石散3g tid止泻。')).toEqual([['蒙脱石', 'discharge']]);
  });

  it('a poor effect, then a switch in the next clause, replaces the drug; 偶服 is no regular drug (RULE-1210g)', () => {
    expect(read('入院初布洛芬缓释胶囊效果差，第3天改泼尼松30mg qd。')).toEqual([['布洛芬', 'stopped'], ['泼尼松', 'positive']]);
    // an add-on after a poor effect keeps the drug
    expect(read('阿卡波糖效果不佳，加用西格列汀。')).toEqual([['阿卡波糖', 'positive'], ['西格列汀', 'positive']]);
    expect(read('平素偶服复方丹参滴丸。', '现病史')).toEqual([['复方丹参滴丸', 'past']]);
  });

  it('hormone replacement is no switch; a stop after a "×N天" course, or after 均, refers back (RULE-1210c)', () => {
    expect(read('糖皮质激素替代：氢化可的松片早15mg、午后5mg。')).toEqual([['氢化可的松', 'positive']]);
    expect(read('以氯吡格雷75mg qd替代阿司匹林。')).toEqual([['氯吡格雷', 'positive'], ['阿司匹林', 'stopped']]);
    expect(read('急性期予安康信 120mg qd×5天，左踝肿痛消退后停用。')).toEqual([['依托考昔', 'stopped']]);
    expect(read('急性期予安康信 120mg qd×5天。')).toEqual([['依托考昔', 'inpatient']]);
    expect(read('口服秋水仙碱0.5mg bid×5天及安康信120mg qd×3天，症状消退后均停用。立加利仙加量至75mg qd。')).toEqual([
      ['秋水仙碱', 'stopped'],
      ['依托考昔', 'stopped'],
      ['苯溴马隆', 'positive'],
    ]);
  });

  it('a stop on a condition still to be met is no stop now; "门诊加X" is deferred (RULE-1209j)', () => {
    expect(read('普萘洛尔10mg tid，心率<90次/分后减停。')).toEqual([['普萘洛尔', 'positive']]);
    expect(read('予氯化钾缓释片，K>4.5mmol/L时停用。')).toEqual([['氯化钾', 'positive']]);
    expect(read('4-6周复查，仍未达标门诊加依洛尤单抗。')).toEqual([['依洛尤单抗', 'stopped']]);
    expect(read('门诊加量二甲双胍。')).toEqual([['二甲双胍', 'positive']]);
  });

  it('courses counted in days, rectal doses and refusals (RULE-1209g)', () => {
    // a purpose after the drug is no class word: the stop after it is about the drug
    expect(read('K 3.3mmol/L，予口服氯化钾缓释片补钾3天，K 4.0mmol/L后停用。')).toEqual([['氯化钾', 'stopped']]);
    expect(read('予头孢呋辛酯片口服5天，复查尿常规(-)。')).toEqual([['头孢呋辛', 'inpatient']]);
    expect(read('加用达格列净10mg qd口服3天后血糖下降。')).toEqual([['达格列净', 'positive']]);
    expect(read('住院期间便秘予开塞露纳肛2次。')).toEqual([['开塞露', 'inpatient']]);
    expect(read('特立帕肽因费用患者拒绝。')).toEqual([['特立帕肽', 'stopped']]);
    expect(read('患者拒绝依洛尤单抗，加用依折麦布。')).toEqual([['依洛尤单抗', 'negated'], ['依折麦布', 'positive']]);
  });

  it('"未再" with a verb of taking stops the drug; "未再发作" does not', () => {
    expect(read('急性期予秋水仙碱0.5mg tid；扶他林未再使用。')).toContainEqual(['双氯芬酸', 'stopped']);
    expect(read('半年前起未再服用二甲双胍', '现病史')).toEqual([['二甲双胍', 'stopped']]);
    expect(read('服用秋水仙碱后未再发作', '现病史')).toEqual([['秋水仙碱', 'positive']]);
  });

  it.each([
    ['阿仑膦酸钠70mg 每周1次', '阿仑膦酸钠'],
    ['二甲双胍0.5g 1次/日', '二甲双胍'],
    ['二甲双胍0.5g 1次每日', '二甲双胍'],
    ['阿仑膦酸钠70mg 1次/周', '阿仑膦酸钠'],
    ['司美格鲁肽0.5mg皮下注射，每周1次', '司美格鲁肽'],
  ])('a dosing frequency is not a single dose: %s', (text, drug) => {
    expect(read(text)).toEqual([[drug, 'positive']]);
  });

  it('a function test or a lab value is not a drug taken; the same name taken still counts', () => {
    expect(read('卧立位试验及卡托普利试验支持原发性醛固酮增多症')).toEqual([]);
    expect(read('维生素B12 186pg/ml（偏低），25-羟维生素D 18ng/ml')).toEqual([]);
    expect(read('出院治疗：口服双膦酸盐+钙剂+活性维生素D')).toEqual([]);
    expect(read('予卡托普利12.5mg bid')).toEqual([['卡托普利', 'positive']]);
    expect(read('加用维生素D滴剂400IU qd')).toEqual([['维生素D', 'positive']]);
    // a deficiency is a diagnosis, not the drug
    expect(read('维生素D缺乏伴继发性甲旁亢，予骨化三醇0.25μg qd')).toEqual([['骨化三醇', 'positive']]);
    // a lack of evidence is not a deficiency: the drug is named, and the stop after it refers back
    expect(read('达格列净缺乏妊娠安全性资料，停用。', '诊疗过程描述')).toEqual([['达格列净', 'stopped']]);
  });

  it('a plan heading that ends its line with a colon covers the next line, and a GLP-1/GIP pen goes home', () => {
    expect(read('院外继续：\n二甲双胍缓释片 1.0g bid；替尔泊肽注射液 2.5mg 每周一次皮下注射。\n每月随访。', '诊疗过程描述')).toEqual([
      ['二甲双胍', 'discharge'],
      ['替尔泊肽', 'discharge'],
    ]);
    expect(read('予度拉糖肽注射液1.5mg每周一次皮下注射', '诊疗过程描述')).toEqual([['度拉糖肽', 'positive']]);
    // without the colon the next line is a new statement
    expect(read('院外继续二甲双胍。\n阿托伐他汀已停用。', '诊疗过程描述')).toEqual([
      ['二甲双胍', 'discharge'],
      ['阿托伐他汀', 'stopped'],
    ]);
  });

  it('a susceptibility result is no drug given; the drug given after it is', () => {
    expect(read('分泌物培养示MSSA，对左氧氟沙星、头孢呋辛敏感，药敏回报后改为左氧氟沙星片0.5g qd口服')).toEqual([['左氧氟沙星', 'positive']]);
    expect(read('予头孢呋辛0.25g bid口服抗感染')).toEqual([['头孢呋辛', 'positive']]);
  });

  it('"不再继续" stops the drug before it; an infusion in the plan is not taken home', () => {
    expect(read('阿卡波糖腹胀明显，患者依从性差，不再继续。')).toEqual([['阿卡波糖', 'stopped']]);
    expect(read('阿卡波糖继续。')).toEqual([['阿卡波糖', 'positive']]);
    expect(read('出院后继续骨化三醇0.25μg bid口服，下次唑来膦酸于1年后门诊输注。')).toEqual([
      ['骨化三醇', 'discharge'],
      ['唑来膦酸', 'inpatient'],
    ]);
  });

  it('"不再" with a route (口服, 注射) stops the drug after it', () => {
    expect(read('因既往口服双膦酸盐出现反流性食管炎，不再口服阿仑膦酸钠。')).toEqual([['阿仑膦酸钠', 'stopped']]);
    expect(read('低血糖反复，不再注射门冬胰岛素。')).toEqual([['门冬胰岛素', 'stopped']]);
    expect(read('继续口服阿仑膦酸钠。')).toEqual([['阿仑膦酸钠', 'positive']]);
  });

  it('a deferred decision to resume a drug is no resumption', () => {
    expect(read('AKI期间停用二甲双胍。2周后复查肾功能，门诊评估是否恢复二甲双胍。')).toEqual([
      ['二甲双胍', 'stopped'],
      ['二甲双胍', 'stopped'],
    ]);
    expect(read('AKI期间停用二甲双胍。肾功能好转后恢复二甲双胍0.5g bid。')).toEqual([
      ['二甲双胍', 'stopped'],
      ['二甲双胍', 'positive'],
    ]);
  });

  it('a bare stop after a class word is about the class, not the drug before it; class words are not reported', () => {
    expect(read('予甘精胰岛素睡前14U，血糖平稳后餐时胰岛素逐步减停。')).toEqual([['甘精胰岛素', 'positive']]);
    expect(read('予甘精胰岛素睡前14U，血糖平稳后逐步减停。')).toEqual([['甘精胰岛素', 'stopped']]);
    // a class word in a "with" phrase is not the subject
    expect(read('瑞格列奈与预混胰岛素作用重叠，不再使用。')).toEqual([['瑞格列奈', 'stopped']]);
  });

  it('a switch inside a discharge plan stops the drug before it', () => {
    expect(read('出院后二甲双胍改为达格列净10mg qd')).toEqual([['二甲双胍', 'stopped'], ['达格列净', 'discharge']]);
    expect(read('出院后二甲双胍0.5g tid，达格列净10mg qd')).toEqual([['二甲双胍', 'discharge'], ['达格列净', 'discharge']]);
  });

  it('a bare 改 between two drugs switches; 改口服 and 改善 do not stop the drug before them', () => {
    expect(read('诺和力改诺和泰 0.25mg qw')).toEqual([['利拉鲁肽', 'stopped'], ['司美格鲁肽', 'positive']]);
    // (前列地尔 is a ward drug wherever it is named, RULE-1209l: 改善 leaves it as it was)
    expect(read('前列地尔改善微循环，甲钴胺改口服0.5mg tid')).toEqual([['前列地尔', 'inpatient'], ['甲钴胺', 'positive']]);
  });

  it('替代/代替 stop the drug after them ("以氯吡格雷替代阿司匹林"); replacement therapy is no stop', () => {
    expect(read('出血停止后第7天起以氯吡格雷75mg qd替代阿司匹林单药抗血小板')).toEqual([['氯吡格雷', 'positive'], ['阿司匹林', 'stopped']]);
    expect(read('氯吡格雷代替阿司匹林')).toEqual([['氯吡格雷', 'positive'], ['阿司匹林', 'stopped']]);
    expect(read('予左甲状腺素替代，TSH复查')).toEqual([['左甲状腺素', 'positive']]);
    expect(read('左甲状腺素替代治疗')).toEqual([['左甲状腺素', 'positive']]);
  });

  it('出院续服 / 出院继续 state the plan; 出院诊断 does not', () => {
    expect(read('秋水仙碱+依托考昔，症状缓解。出院续服：非布司他20mg qd，秋水仙碱0.5mg qd。')).toEqual([
      ['秋水仙碱', 'positive'],
      ['依托考昔', 'positive'],
      ['非布司他', 'discharge'],
      ['秋水仙碱', 'discharge'],
    ]);
    expect(read('出院继续普萘洛尔20mg tid')).toEqual([['普萘洛尔', 'discharge']]);
    expect(read('出院诊断：痛风。非布司他20mg qd')).toEqual([['非布司他', 'positive']]);
  });
});

describe('starts, forbidden stops and tapers (RULE-1204zd)', () => {
  const bundled = Formulary.bundled();
  const read = (text: string, field: TextField = '诊疗过程描述') => analyzeText(text, field, bundled).map((m) => [m.name, m.status]);

  it('启动/启用 start a drug and end a stop scope; 停泵 stops no drug', () => {
    expect(read('停泵前启动二甲双胍缓释片，逐渐加量至1.0g bid。')).toEqual([['二甲双胍', 'positive']]);
    expect(read('停泵后启用甘精胰岛素睡前12U。')).toEqual([['甘精胰岛素', 'positive']]);
    expect(read('停二甲双胍缓释片。')).toEqual([['二甲双胍', 'stopped']]);
    // ... but not after a negation or a deferral that takes them as its verb
    expect(read('LDL-C 2.5mmol/L接近目标，暂不启用阿托伐他汀，3月后复查血脂。')).toEqual([['阿托伐他汀', 'stopped']]);
    expect(read('未启用甘精胰岛素。', '现病史')).toEqual([['甘精胰岛素', 'negated']]);
    expect(read('降尿酸治疗暂缓，待皮疹完全消退1月后门诊评估是否启用非布司他。')).toEqual([['非布司他', 'stopped']]);
  });

  it('a stop the note forbids ("切勿自行停药") is no stop; an actual one still is', () => {
    expect(read('出院后泼尼松每周减5mg，总疗程6-8周，切勿自行停药，以免病情反跳。')).toEqual([['泼尼松', 'discharge']]);
    expect(read('嘱继续左甲状腺素钠片50μg qd，不要随意停用。')).toEqual([['左甲状腺素', 'positive']]);
    expect(read('泼尼松30mg qd口服1周后自行停药。')).toEqual([['泼尼松', 'stopped']]);
  });

  it('a taper inside the discharge plan keeps the drug; a taper on the ward still stops it', () => {
    expect(read('出院后：心悸好转后普萘洛尔逐渐减停。')).toEqual([['普萘洛尔', 'discharge']]);
    expect(read('住院期间普萘洛尔10mg tid，心率正常后逐渐减停。')).toEqual([['普萘洛尔', 'stopped']]);
  });
});

describe('intravenous drugs outside the course (RULE-1204ze)', () => {
  const bundled = Formulary.bundled();
  const read = (text: string, field: TextField) => analyzeText(text, field, bundled).map((m) => [m.name, m.status]);

  it('an intravenous route in 现病史 is ward-only; an oral drug, a pump or an injection under the skin is not', () => {
    expect(read('急诊予乌拉地尔静脉泵入后收入院。', '现病史')).toEqual([['乌拉地尔', 'inpatient']]);
    expect(read('外院予头孢呋辛静滴3天，长期口服氨氯地平5mg qd。', '现病史')).toEqual([['头孢呋辛', 'inpatient'], ['氨氯地平', 'positive']]);
    expect(read('使用胰岛素泵（门冬胰岛素）控制血糖。', '现病史')).toEqual([['门冬胰岛素', 'positive']]);
    expect(read('甘精胰岛素睡前皮下注射14U。', '现病史')).toEqual([['甘精胰岛素', 'positive']]);
  });
});

// The sessions' reading fixes, on the bundled formulary's names and trade names, read in a course.
const bundled = Formulary.bundled();
const read = (text: string) => analyzeText(text, '诊疗过程描述', bundled).map((m) => [m.name, m.status]);

describe('mention analysis: discharge lists, later decisions and avoided combinations (RULE-1205g)', () => {

  it('"出院：" followed by drugs is a discharge plan; without the colon it is not', () => {
    expect(read('心内科会诊后予波立维75mg qd。出院：波立维、立普妥。')).toEqual([
      ['氯吡格雷', 'positive'],
      ['氯吡格雷', 'discharge'],
      ['阿托伐他汀', 'discharge'],
    ]);
    expect(read('出院时血压128/80mmHg，立普妥同前。')).toEqual([['阿托伐他汀', 'positive']]);
  });

  it('a deferral after a drug of the discharge plan is a later decision, not a stop', () => {
    expect(read('出院带药：1.阿司匹林100mg qd 2.硫酸氢氯吡格雷片 75mg qd（满12个月后心内科门诊评估）')).toEqual([
      ['阿司匹林', 'discharge'],
      ['氯吡格雷', 'discharge'],
    ]);
    // Outside a plan the same words still defer the drug.
    expect(read('氯吡格雷门诊评估是否加用。')).toEqual([['氯吡格雷', 'stopped']]);
  });

  it('the partner of an avoided combination keeps its status; the avoided drugs do not', () => {
    expect(read('保留氯吡格雷单药抗血小板。PPI改口服泮托拉唑（避免奥美拉唑、艾司奥美拉唑与氯吡格雷相互作用）。')).toEqual([
      ['氯吡格雷', 'positive'],
      ['泮托拉唑', 'positive'],
      ['奥美拉唑', 'stopped'],
      ['艾司奥美拉唑', 'stopped'],
    ]);
    // A plain list after a stop is stopped as a whole.
    expect(read('停用阿司匹林与氯吡格雷。')).toEqual([
      ['阿司匹林', 'stopped'],
      ['氯吡格雷', 'stopped'],
    ]);
  });
});

describe('mention analysis: "no need for" (RULE-1205i)', () => {

  it('无需/不必 right before a drug rules it out', () => {
    expect(read('目前单用利伐沙班抗凝即可，无需联用阿司匹林。')).toEqual([
      ['利伐沙班', 'positive'],
      ['阿司匹林', 'stopped'],
    ]);
    expect(read('不必再加用二甲双胍。')).toEqual([['二甲双胍', 'stopped']]);
  });

  it('a relative clause describes the drug, and the cue never looks back', () => {
    expect(read('加用无需根据肾功能调整剂量的利格列汀。')).toEqual([['利格列汀', 'positive']]);
    expect(read('无需调整剂量的西格列汀。')).toEqual([['西格列汀', 'positive']]);
    expect(read('二甲双胍无需减量。')).toEqual([['二甲双胍', 'positive']]);
  });
});

describe('mention analysis: a bare 换 and a route switch after the drug (RULE-1205j)', () => {

  it('a bare 换 starts the drug after it; 换药 is no switch', () => {
    expect(read('停贝那普利36h后换诺欣妥50mg bid。')).toEqual([
      ['贝那普利', 'stopped'],
      ['沙库巴曲缬沙坦', 'positive'],
    ]);
    expect(read('停贝那普利36h后诺欣妥50mg bid。')).toEqual([
      ['贝那普利', 'stopped'],
      ['沙库巴曲缬沙坦', 'stopped'],
    ]);
    expect(read('伤口换药，予头孢呋辛静滴。')).toEqual([['头孢呋辛', 'inpatient']]);
  });

  it('a switch to the oral route after the drug sends it home; intravenous alone stays on the ward', () => {
    expect(read('呋塞米IV利尿后改口服20mg qd。')).toEqual([['呋塞米', 'positive']]);
    expect(read('呋塞米IV利尿3天。')).toEqual([['呋塞米', 'inpatient']]);
  });
});

describe('mention analysis: a course before admission (RULE-1206c)', () => {
  const bundled = Formulary.bundled();
  const hpi = (t: string) => analyzeText(t, '现病史', bundled).map((m) => [m.name, m.status]);

  it('a drug whose clause counts a course in days is an earlier regimen in 现病史', () => {
    expect(hpi('外院予头孢克肟口服5天无效，转来我院。')).toEqual([['头孢克肟', 'past']]);
    expect(hpi('社区予世福素、乐松（60mg tid）口服5天，颈痛无明显缓解。')).toEqual([
      ['头孢克肟', 'past'],
      ['洛索洛芬', 'past'],
    ]);
  });

  it('a time point, a frequency or a course that goes on is no finished course', () => {
    expect(hpi('入院前2天服用二甲双胍0.5g bid，血糖高。')).toEqual([['二甲双胍', 'positive']]);
    expect(hpi('服用阿托伐他汀20mg qn 3天至今。')).toEqual([['阿托伐他汀', 'positive']]);
    expect(hpi('口服二甲双胍1天1次。')).toEqual([['二甲双胍', 'positive']]);
  });

  it('only 现病史: the same clause in the course is read as before', () => {
    expect(analyzeText('予头孢克肟口服5天。', '诊疗过程描述', bundled).map((m) => m.status)).not.toContain('past');
  });
});

describe('mention analysis: 门诊可考虑 defers (RULE-1206d)', () => {
  const bundled = Formulary.bundled();
  const course = (t: string) => analyzeText(t, '诊疗过程描述', bundled).map((m) => [m.name, m.status]);

  it('"门诊可考虑" defers the start like "门诊考虑"', () => {
    expect(course('门诊可考虑加用达格列净。')).toEqual([['达格列净', 'stopped']]);
    expect(course('门诊考虑加用达格列净。')).toEqual([['达格列净', 'stopped']]);
    expect(course('加用达格列净。')).toEqual([['达格列净', 'positive']]);
  });
});

describe('mention analysis: days unnumbered and drugs for past flares (RULE-1206h)', () => {
  const bundled = Formulary.bundled();
  const hpi = (t: string) => analyzeText(t, '现病史', bundled).map((m) => [m.name, m.status]);

  it('"数天" counts a course; a drug taken when flares came is an earlier regimen', () => {
    expect(hpi('每次自服芬必得数天缓解，未降尿酸。')).toEqual([['布洛芬', 'past']]);
    expect(hpi('发作时自服双氯芬酸钠缓释片，未行降尿酸治疗。')).toEqual([['双氯芬酸', 'past']]);
    expect(hpi('每次发作自服秋水仙碱片0.5mg tid及双氯芬酸钠缓释片止痛。')).toEqual([
      ['秋水仙碱', 'past'],
      ['双氯芬酸', 'past'],
    ]);
  });

  it('intermittent use goes on', () => {
    expect(hpi('间断口服苯磺酸氨氯地平片5mg qd，血压140-150/90mmHg。')).toEqual([['氨氯地平', 'positive']]);
  });
});

describe('mention analysis: labs to re-check and a stop after the course end point (RULE-1206j)', () => {
  const bundled = Formulary.bundled();
  const course = (t: string) => analyzeText(t, '诊疗过程描述', bundled).map((m) => [m.name, m.status]);

  it('a name in a list of things to re-check is a lab', () => {
    expect(course('出院后2周复查血脂、胰酶。')).toEqual([]);
    expect(course('复查血糖后加用二甲双胍。')).toEqual([['二甲双胍', 'positive']]);
  });

  it('a bare stop after the course end point refers back over a longer course description', () => {
    expect(course('环硅酸锆钠散10g tid 2天，K降至4.9mmol/L后停用。')).toEqual([['环硅酸锆钠', 'stopped']]);
    expect(course('入院后予依托考昔片120mg qd抗炎止痛4天，关节肿痛基本缓解后停用。')).toEqual([['依托考昔', 'stopped']]);
    // without an end point the cue may be about something else the clause names
    expect(course('予二甲双胍0.5g bid，血糖控制可，胰岛素逐渐减量后停用。')).toEqual([['二甲双胍', 'positive']]);
  });
});

describe('mention analysis: tapers, deferrals, resumes and finished courses (RULE-1208a)', () => {
  const bundled = Formulary.bundled();
  const course = (t: string) => analyzeText(t, '诊疗过程描述', bundled).map((m) => [m.name, m.status]);
  const hpi = (t: string) => analyzeText(t, '现病史', bundled).map((m) => [m.name, m.status]);

  it('"未选" after a clause break rules out the drug before it', () => {
    expect(course('降尿酸：苯溴马隆在eGFR<30时疗效差，未选；加用非布司他20mg qd。')).toEqual([
      ['苯溴马隆', 'stopped'],
      ['非布司他', 'positive'],
    ]);
    expect(course('未选用非布司他。')).toEqual([['非布司他', 'stopped']]);
  });

  it('a taper over weeks still to come sends the drug home; a taper without a period still stops', () => {
    expect(course('术后疼痛：奇曼丁50mg bid，2周内减停。')).toEqual([['曲马多', 'positive']]);
    expect(course('奇曼丁50mg bid，疼痛缓解，已减停。')).toEqual([['曲马多', 'stopped']]);
  });

  it('in a plan, "停X后" is the time point of another stop, not a stop of X', () => {
    expect(course('出院：强的松20mg qd（每周减5mg），诺和灵N随强的松减量同步减量，停强的松后停用。')).toEqual([
      ['泼尼松', 'discharge'],
      ['精蛋白生物合成人胰岛素', 'discharge'],
      ['泼尼松', 'discharge'],
      ['泼尼松', 'discharge'],
    ]);
    // outside a plan it is a stop
    expect(course('停强的松后血糖下降。')).toEqual([['泼尼松', 'stopped']]);
  });

  it('a time and the value reached right before a bare stop refer it back to the drug', () => {
    expect(course('环硅酸锆钠10g tid 2天后K 4.9mmol/L停用；')).toEqual([['环硅酸锆钠', 'stopped']]);
    // a value alone, with no time, is a finding of the clause, not an end point over 20 characters
    expect(course('环硅酸锆钠10g tid口服三天，期间监测血钾水平K 4.9mmol/L，停用；')).toEqual([['环硅酸锆钠', 'positive']]);
  });

  it('a start left to another department, or to a decision later, is deferred', () => {
    expect(course('孕12周后产科评估小剂量阿司匹林。')).toEqual([['阿司匹林', 'stopped']]);
    expect(course('131I后是否口服泼尼松预防眼病由核医学科决定。')).toEqual([['泼尼松', 'stopped']]);
    // a stop left to a later decision is no stop
    expect(course('予阿司匹林100mg qd，是否停用阿司匹林由心内科决定。')).toEqual([
      ['阿司匹林', 'positive'],
      ['阿司匹林', 'positive'],
    ]);
  });

  it('a resume that names no drug restarts the drug its sentence paused', () => {
    expect(course('住院早期血压偏低，暂停氨氯地平，出院前血压回升至138/76mmHg，恢复原剂量。')).toEqual([['氨氯地平', 'positive']]);
    // a stop that is not a pause, and a pause in another sentence, stay stopped
    expect(course('停用氨氯地平，血压回升后恢复原剂量。')).toEqual([['氨氯地平', 'stopped']]);
    expect(course('暂停氨氯地平。出院前恢复原剂量。')).toEqual([['氨氯地平', 'stopped']]);
  });

  it('in 现病史, a course written "×5d", or a verdict of no effect in the next clause, is an earlier regimen', () => {
    expect(hpi('院外布洛芬缓释胶囊0.3g bid×5d，无效。')).toEqual([['布洛芬', 'past']]);
    expect(hpi('自服布洛芬缓释胶囊0.3g bid，疼痛无缓解。')).toEqual([['布洛芬', 'past']]);
    // a verdict about something else is not about the drug
    expect(hpi('服布洛芬缓释胶囊0.3g bid，近1周关节肿痛反复发作无缓解。')).toEqual([['布洛芬', 'positive']]);
  });
});

describe('mention analysis: a department evaluation with no object (RULE-1208a)', () => {
  const bundled = Formulary.bundled();
  const course = (t: string) => analyzeText(t, '诊疗过程描述', bundled).map((m) => [m.name, m.status]);
  it('defers nothing, neither the drug before it nor the list after it', () => {
    expect(course('出院带药：1.替格瑞洛片 90mg bid（满12个月后心内科评估） 2.阿托伐他汀钙片 40mg qn')).toEqual([
      ['替格瑞洛', 'discharge'],
      ['阿托伐他汀', 'discharge'],
    ]);
    expect(course('加用氯吡格雷。DAPT满12月后心内科评估。')).toEqual([['氯吡格雷', 'positive']]);
  });
});

describe('mention analysis: 转为 switches (RULE-1208c)', () => {
  const bundled = Formulary.bundled();
  const course = (t: string) => analyzeText(t, '诊疗过程描述', bundled).map((m) => [m.name, m.status]);
  it('the pump before 转为 is the old route; the insulin after it goes home', () => {
    expect(course('第7天由胰岛素泵转为每日多次皮下注射：诺和锐早6U、中5U、晚5U餐前，诺和达10U睡前。')).toEqual([
      ['门冬胰岛素', 'positive'],
      ['德谷胰岛素', 'positive'],
    ]);
    expect(course('门冬胰岛素泵入后转为口服二甲双胍。')).toEqual([
      ['门冬胰岛素', 'stopped'],
      ['二甲双胍', 'positive'],
    ]);
    // 转为 with no drug after it switches nothing
    expect(course('予胰岛素泵控糖，房颤转为窦律。')).toEqual([]);
  });
});

describe('mention analysis: intensive insulin injections on the ward (RULE-1208g)', () => {
  const bundled = Formulary.bundled();
  it('"…强化皮下注射" is the short intensive course, not the home regimen', () => {
    expect(analyzeText('血糖予门冬胰岛素三餐前加甘精胰岛素睡前强化皮下注射。', '诊疗过程描述', bundled).map((m) => [m.name, m.status])).toEqual([
      ['门冬胰岛素', 'inpatient'],
      ['甘精胰岛素', 'inpatient'],
    ]);
  });
});

describe('mention analysis: circled list numbers and dosing intervals (RULE-1208h)', () => {
  const bundled = Formulary.bundled();
  const course = (t: string) => analyzeText(t, '诊疗过程描述', bundled).map((m) => [m.name, m.status]);
  it('a line numbered ② goes on with the discharge list, so its later stop is scheduled', () => {
    expect(course('出院带药：\n①左甲状腺素钠片 50μg qd\n②乳果糖口服溶液 15ml qd，大便通畅后可停\n4-6周后复查甲功。')).toEqual([
      ['左甲状腺素', 'discharge'],
      ['乳果糖', 'discharge'],
    ]);
  });
  it('"每2周皮下注射1次" is a dosing interval, not a single ward dose; "皮下注射1次" still is', () => {
    expect(course('改用依洛尤单抗注射液140mg 每2周皮下注射1次。')).toEqual([['依洛尤单抗', 'positive']]);
    expect(course('予依洛尤单抗注射液140mg皮下注射1次。')).toEqual([['依洛尤单抗', 'inpatient']]);
  });
});
