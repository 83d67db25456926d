import { describe, expect, it } from 'vitest';
import { rec } from './baselines/test-helpers.ts';
import { Formulary } from './formulary.ts';
import { extractNoteFacts } from './note-facts.ts';
import { checkSafety, contraindicationsFor } from './safety.ts';
import type { CDrugRedRecord } from './record.ts';
import { applySafetyToRanked, recordFromObject, restartedInNote, safetyPlan, withheldDrugs, type WithheldDrug } from './withhold.ts';

const f = Formulary.bundled();
const ALL = f.names;

function withheld(fields: Partial<CDrugRedRecord>, candidates: readonly string[] = ALL): Map<string, WithheldDrug> {
  return new Map(withheldDrugs(rec('v', fields), candidates, f).map((w) => [w.drug, w]));
}

describe('withheldDrugs: formulary rules', () => {
  it('eGFR < 30 withholds metformin (and its combinations); eGFR 45 does not', () => {
    const low = withheld({ 入院情况: '肌酐 220μmol/L，eGFR 24 ml/min/1.73m²。', 出院诊断: ['2型糖尿病', '慢性肾脏病4期'] });
    expect(low.get('二甲双胍')).toMatchObject({ reason: 'egfr_below', evidence: { field: '入院情况' } });
    expect(low.get('二甲双胍')!.evidence.text).toContain('eGFR 24');
    expect(low.has('西格列汀二甲双胍')).toBe(true);
    const ok = withheld({ 入院情况: 'eGFR 45 ml/min/1.73m²。', 出院诊断: ['2型糖尿病'] });
    expect(ok.has('二甲双胍')).toBe(false);
  });

  it('type 1 diabetes withholds metformin, SGLT2i, sulfonylureas, DPP-4i; type 2 does not', () => {
    for (const dx of ['1型糖尿病', 'T1DM', 'Ⅰ型糖尿病']) {
      const t1 = withheld({ 出院诊断: [dx, '糖尿病酮症'] });
      for (const d of ['二甲双胍', '达格列净', '格列美脲', '西格列汀']) expect(t1.get(d)?.reason, `${dx} ${d}`).toBe('condition');
      expect(t1.get('二甲双胍')!.evidence.field).toBe('出院诊断');
      expect(t1.has('甘精胰岛素')).toBe(false);
    }
    const t2 = withheld({ 出院诊断: ['2型糖尿病', '11型肾小管酸中毒'] });
    for (const d of ['二甲双胍', '达格列净', '格列美脲', '西格列汀']) expect(t2.has(d), d).toBe(false);
    expect(withheld({ 既往史: '否认1型糖尿病病史。', 出院诊断: ['2型糖尿病'] }).has('二甲双胍')).toBe(false);
  });

  it('potassium ≥ 5.5 withholds ACEI / ARB / ARNI / MRA / potassium; 4.5 does not', () => {
    const high = withheld({ 入院情况: '血钾6.1mmol/L，肌酐98μmol/L。', 出院诊断: ['高血压病3级'] });
    for (const d of ['缬沙坦', '沙库巴曲缬沙坦', '贝那普利', '螺内酯', '氯化钾']) expect(high.get(d)?.reason, d).toBe('potassium_at_least');
    expect(high.get('缬沙坦')!.evidence.text).toContain('6.1');
    expect(high.has('氨氯地平')).toBe(false);
    const normal = withheld({ 入院情况: '血钾4.5mmol/L。', 出院诊断: ['高血压病3级'] });
    for (const d of ['缬沙坦', '沙库巴曲缬沙坦', '贝那普利', '螺内酯']) expect(normal.has(d), d).toBe(false);
  });

  it('an allopurinol rash withholds allopurinol (not febuxostat); no rash, nothing', () => {
    for (const text of ['既往服用别嘌醇后出现全身皮疹。', '别嘌呤醇过敏。', '曾因别嘌醇所致剥脱性皮炎住院。']) {
      const w = withheld({ 既往史: text, 出院诊断: ['痛风'] });
      expect(w.get('别嘌醇')?.reason, text).toMatch(/^allergy/);
      expect(w.get('别嘌醇')!.evidence.text).toContain('别嘌');
      expect(w.has('非布司他')).toBe(false);
    }
    expect(withheld({ 既往史: '服用别嘌醇3年，无皮疹。', 出院诊断: ['痛风'] }).has('别嘌醇')).toBe(false);
    expect(withheld({ 既往史: '否认药物过敏史。', 出院诊断: ['痛风'] }).has('别嘌醇')).toBe(false);
  });

  it('HLA-B*5801 positive withholds allopurinol; negative does not', () => {
    for (const text of ['HLA-B*5801阳性。', 'HLA-B*58:01基因检测：阳性。', '携带HLA-B5801等位基因。', 'HLA-B*5801(+)']) {
      expect(withheld({ 入院情况: text, 出院诊断: ['痛风'] }).get('别嘌醇')?.reason, text).toBe('condition');
    }
    for (const text of ['HLA-B*5801阴性。', 'HLA-B*5801检测(-)。', '查HLA-B*5801：阴性']) {
      expect(withheld({ 入院情况: text, 出院诊断: ['痛风'] }).has('别嘌醇'), text).toBe(false);
    }
  });

  it('a GI bleed withholds aspirin and NSAIDs; no bleed, no withholding', () => {
    const bleed = withheld({ 现病史: '1月前服用阿司匹林后出现黑便，胃镜示十二指肠溃疡。', 出院诊断: ['冠心病'] });
    expect(bleed.get('阿司匹林')?.reason).toBe('condition');
    expect(bleed.get('阿司匹林')!.evidence.text).toContain('黑便');
    expect(bleed.has('布洛芬')).toBe(true);
    const dx = withheld({ 出院诊断: ['上消化道出血', '冠心病'] });
    expect(dx.has('阿司匹林')).toBe(true);
    const none = withheld({ 现病史: '无黑便、呕血。', 出院诊断: ['冠心病'] });
    expect(none.has('阿司匹林')).toBe(false);
  });

  it('anuria withholds potassium chloride; "无尿频尿急尿痛" (no frequency, urgency or dysuria) does not', () => {
    expect(withheld({ 入院情况: '24h尿量<100ml，无尿。' }, ['氯化钾']).has('氯化钾')).toBe(true);
    expect(withheld({ 现病史: '无尿频尿急尿痛，无发热。' }, ['氯化钾']).has('氯化钾')).toBe(false);
  });

  it('a bleed the note dates years back is history: warned about, not withheld', () => {
    for (const 既往史 of ['4年前有上消化道出血史。', '既往有消化道出血史，已愈。', '半年前胃溃疡出血，复查胃镜已愈合。']) {
      const w = withheld({ 既往史, 现病史: '冠心病PCI术后，服用氯吡格雷75mg qd。', 出院诊断: ['冠心病'] }, ['氯吡格雷', '阿司匹林']);
      expect([既往史, w.size]).toEqual([既往史, 0]);
      const warning = contraindicationsFor('氯吡格雷', extractNoteFacts(rec('v', { 既往史 })), f).find((x) => x.reason === 'condition');
      expect([既往史, warning?.caution]).toEqual([既往史, true]);
    }
    // a bleed a week ago may be the admission's own
    expect(withheld({ 现病史: '1周前黑便2次。', 出院诊断: ['冠心病'] }, ['氯吡格雷']).has('氯吡格雷')).toBe(true);
  });

  it('an acute condition yields to the note resuming the drug after it; the warning stays', () => {
    // Bleeding on aspirin, aspirin never resumed: withheld (and a home drug named before the
    // bleed is no resumption).
    const onAspirin = { 现病史: '长期服用阿司匹林肠溶片100mg qd、氯吡格雷75mg qd，3天前黑便。', 出院诊断: ['上消化道出血', '冠心病 PCI术后'] };
    expect(withheld(onAspirin).get('阿司匹林')?.reason).toBe('condition');
    expect(withheld(onAspirin).get('氯吡格雷')?.reason).toBe('condition');
    // Cardiology resumes clopidogrel and puts it in the discharge plan: not withheld, still warned.
    const resumed = { ...onAspirin, 诊疗过程描述: '暂停阿司匹林及氯吡格雷，内镜下止血。第4天恢复氯吡格雷。出院后：氯吡格雷75mg qd，泮托拉唑40mg bid。' };
    const w = withheld(resumed);
    expect(w.has('氯吡格雷')).toBe(false);
    expect(w.get('阿司匹林')?.reason).toBe('stopped');
    const facts = extractNoteFacts(rec('v', resumed));
    expect(checkSafety(['氯吡格雷'], facts, f)).toContainEqual(expect.objectContaining({ kind: 'contraindication', drug: '氯吡格雷', reason: 'condition', acute: true }));
    // Ketoacidosis: metformin stopped, restarted once it resolved.
    const dka = { 现病史: '口服二甲双胍0.5g tid。', 诊疗过程描述: '诊断糖尿病酮症酸中毒，停用二甲双胍，补液、胰岛素静滴。酮症纠正后恢复二甲双胍0.5g tid。', 出院诊断: ['2型糖尿病酮症酸中毒'] };
    expect(withheld(dka).has('二甲双胍')).toBe(false);
    expect(withheld({ ...dka, 诊疗过程描述: '诊断糖尿病酮症酸中毒，补液、胰岛素静滴。' }).get('二甲双胍')?.reason).toBe('condition');
    // Started in a sentence that first says the bleeding is over: the clinician's decision after
    // the event (not withheld, still warned). Named in the course without it: still withheld.
    const after = { ...onAspirin, 诊疗过程描述: '停用阿司匹林，内镜下止血。出血停止后第7天起以氯吡格雷75mg qd替代阿司匹林单药抗血小板。' };
    expect(withheld(after).has('氯吡格雷')).toBe(false);
    expect(withheld(after).get('阿司匹林')?.reason).toBe('stopped');
    expect(checkSafety(['氯吡格雷'], extractNoteFacts(rec('v', after)), f)).toContainEqual(expect.objectContaining({ drug: '氯吡格雷', acute: true }));
    const during = { ...onAspirin, 诊疗过程描述: '停用阿司匹林，内镜下止血。予氯吡格雷75mg qd，出血停止。' };
    expect(withheld(during).get('氯吡格雷')?.reason).toBe('condition');
    // a switch to the drug, or keeping it as the single agent, is the clinician's decision too (RULE-1207m)
    const switched = { ...onAspirin, 诊疗过程描述: '输注悬浮红细胞2U，出血停止。停用阿司匹林，心内科会诊：改为氯吡格雷75mg qd单抗治疗。' };
    expect(withheld(switched).has('氯吡格雷')).toBe(false);
    // a bare 改 right before the drug is that switch too (RULE-1209b); 修改 is not
    const bare = { ...onAspirin, 诊疗过程描述: '停用阿司匹林；心内科会诊：PCI已>3年，改氯吡格雷75mg qd单药抗血小板。' };
    expect(withheld(bare).has('氯吡格雷')).toBe(false);
    const single = { ...onAspirin, 诊疗过程描述: '心内科会诊：PCI已2年，停用阿司匹林，单用氯吡格雷抗血小板。' };
    expect(withheld(single).has('氯吡格雷')).toBe(false);
    // the resolution words of another sentence do not count
    const otherSentence = { ...onAspirin, 诊疗过程描述: '出血停止后复查胃镜。予氯吡格雷75mg qd。' };
    expect(withheld(otherSentence).get('氯吡格雷')?.reason).toBe('condition');
    // A duration between the resolution word and 后 still says the event is over (RULE-1205g d).
    const weekAfter = { ...onAspirin, 诊疗过程描述: '停用阿司匹林，内镜下止血。出血停止1周后予波立维75mg qd单药抗血小板。' };
    expect(withheld(weekAfter).has('氯吡格雷')).toBe(false);
    // The course continues or resumes the drug in so many words (RULE-1205g e): not withheld; a bare
    // positive mention in the course, or a 继续 in the history, is no such decision.
    const euDka = { 现病史: '平素口服二甲双胍缓释片1.0g bid、西格列汀100mg qd、恩格列净25mg qd。', 出院诊断: ['正常血糖性糖尿病酮症酸中毒', '2型糖尿病'] };
    const continuedAfter = withheld({ ...euDka, 诊疗过程描述: '停用恩格列净，补液、胰岛素静滴。恢复进食后加用甘精胰岛素12U睡前，二甲双胍缓释片、西格列汀继续。' });
    expect(continuedAfter.has('二甲双胍')).toBe(false);
    expect(continuedAfter.has('西格列汀')).toBe(false);
    expect(continuedAfter.get('恩格列净')?.reason).toBe('stopped');
    expect(withheld({ ...euDka, 诊疗过程描述: '补液、胰岛素静滴，二甲双胍缓释片、西格列汀。' }).get('二甲双胍')?.reason).toBe('condition');
    expect(withheld({ ...euDka, 现病史: '继续口服二甲双胍缓释片1.0g bid。' }).get('二甲双胍')?.reason).toBe('condition');
    // 保留 bound to the drug keeps it too (RULE-1205h); without it the bleed still withholds it.
    const kept = { ...onAspirin, 诊疗过程描述: '心内科会诊：出血风险高，停用阿司匹林，保留氯吡格雷单药抗血小板。' };
    expect(withheld(kept).has('氯吡格雷')).toBe(false);
    expect(withheld({ ...onAspirin, 诊疗过程描述: '心内科会诊：出血风险高，停用阿司匹林，氯吡格雷单药抗血小板。' }).get('氯吡格雷')?.reason).toBe('condition');
    // A lasting fact is not acute: eGFR 24 withholds metformin even in the discharge plan.
    expect(withheld({ 入院情况: 'eGFR 24 ml/min/1.73m²。', 诊疗过程描述: '出院带药：二甲双胍0.5g bid。' }).get('二甲双胍')?.reason).toBe('egfr_below');
  });

  it('a sulfonylurea allergy withholds the whole class (trade names too); thiazide sulfa allergy, and 慎用 facts only warn', () => {
    const w = withheld({ 既往史: '对亚莫利过敏。', 出院诊断: ['2型糖尿病'] });
    for (const d of ['格列美脲', '格列齐特', '格列吡嗪']) expect(w.get(d)?.reason, d).toMatch(/^allergy/);
    const sulfa = withheld({ 既往史: '磺胺类药物过敏。', 出院诊断: ['高血压'] });
    expect(sulfa.has('氢氯噻嗪')).toBe(true);
    expect(sulfa.has('呋塞米')).toBe(false); // 慎用: warned about, not withheld
    expect(withheld({ 出院诊断: ['痛风', '冠心病'] }).has('非布司他')).toBe(false);
  });

  it('pancreatitis withholds GLP-1 RAs; a pancreatitis the course aims to prevent does not', () => {
    expect(withheld({ 既往史: '2年前急性胰腺炎病史。', 出院诊断: ['2型糖尿病'] }).get('司美格鲁肽')?.reason).toBe('condition');
    const prevent = withheld({ 诊疗过程描述: 'TG 6.8mmol/L，加用贝特类降TG，预防急性胰腺炎。加用GLP-1受体激动剂周制剂。', 出院诊断: ['2型糖尿病', '高甘油三酯血症'] });
    expect(prevent.has('司美格鲁肽')).toBe(false);
    expect(withheld({ 诊疗过程描述: '予PPI预防再出血。' , 出院诊断: ['冠心病'] }).has('阿司匹林')).toBe(false);
  });

  it('ACEI cough withholds the ACEI class, not ARBs', () => {
    const w = withheld({ 既往史: '既往服用贝那普利后出现干咳。', 出院诊断: ['高血压'] });
    expect(w.has('贝那普利')).toBe(true);
    expect(w.has('培哚普利')).toBe(true);
    expect(w.has('缬沙坦')).toBe(false);
  });

  it('pregnancy withholds RAS blockers and statins', () => {
    const w = withheld({ 性别: '女', 现病史: '孕24周，发现血糖升高。', 出院诊断: ['妊娠期糖尿病'] });
    expect(w.get('缬沙坦')?.reason).toBe('pregnancy');
    expect(w.has('阿托伐他汀')).toBe(true);
    expect(w.has('门冬胰岛素')).toBe(false);
  });
});

describe('withheldDrugs: the note stopped it', () => {
  it('"因eGFR<30，停用二甲双胍" withholds metformin; "二甲双胍0.5g tid" does not', () => {
    const stopped = withheld({ 诊疗过程描述: '因eGFR<30，停用二甲双胍，改用利格列汀。', 出院诊断: ['2型糖尿病'] }, ['二甲双胍', '利格列汀']);
    expect(stopped.get('二甲双胍')).toMatchObject({ reason: 'stopped', evidence: { field: '诊疗过程描述' } });
    expect(stopped.get('二甲双胍')!.evidence.text).toContain('停用二甲双胍');
    expect(stopped.has('利格列汀')).toBe(false);
    expect(withheld({ 现病史: '口服二甲双胍0.5g tid。', 出院诊断: ['2型糖尿病'] }).has('二甲双胍')).toBe(false);
  });

  it('"因血钾6.1mmol/L停用代文" withholds valsartan (trade name, and the potassium rule)', () => {
    const w = withheld({ 诊疗过程描述: '因血钾6.1mmol/L停用代文。', 出院诊断: ['高血压'] });
    expect(w.get('缬沙坦')?.reason).toBe('stopped');
  });

  it('stopped then restarted is not withheld; the latest statement wins', () => {
    expect(withheld({ 诊疗过程描述: '停用二甲双胍，复查肾功能正常后恢复二甲双胍。' }, ['二甲双胍']).has('二甲双胍')).toBe(false);
    expect(withheld({ 诊疗过程描述: '造影前停用二甲双胍后恢复二甲双胍0.5g bid。' }, ['二甲双胍']).has('二甲双胍')).toBe(false);
    expect(withheld({ 现病史: '口服二甲双胍。', 诊疗过程描述: '住院期间停用二甲双胍。' }, ['二甲双胍']).has('二甲双胍')).toBe(true);
  });

  it('aspirin replaced after an aspirin GI bleed ("以氯吡格雷替代阿司匹林") stays withheld, though named last', () => {
    const note = {
      现病史: '长期服阿司匹林肠溶片100mg qd（PCI术后）。',
      诊疗过程描述: '诊断阿司匹林相关上消化道出血。停用阿司匹林；出血停止后以氯吡格雷75mg qd替代阿司匹林单药抗血小板。',
      出院诊断: ['上消化道出血', '冠心病 PCI术后'],
    };
    expect(withheld(note, ['阿司匹林']).get('阿司匹林')?.reason).toBe('stopped');
    // without the replacement wording, a later plain mention restarts it
    expect(withheld({ ...note, 诊疗过程描述: '停用阿司匹林3天后恢复阿司匹林100mg qd。' }, ['阿司匹林']).get('阿司匹林')?.reason).not.toBe('stopped');
  });

  it('intolerance withholds; a drug not mentioned is not withheld', () => {
    expect(withheld({ 既往史: '二甲双胍不耐受。' }, ['二甲双胍']).get('二甲双胍')?.reason).toBe('intolerance');
    expect(withheld({ 现病史: '血糖控制可。', 出院诊断: ['2型糖尿病'] }, ['二甲双胍', '阿卡波糖']).size).toBe(0);
  });
});

describe('withheldDrugs: the note rules a drug or its class out', () => {
  it('avoidance words withhold the drug they name, worded as a decision not to use it', () => {
    const w = withheld({ 诊疗过程描述: '患者合并冠心病，不选用非布司他，予苯溴马隆降尿酸。', 出院诊断: ['痛风'] }, ['非布司他', '苯溴马隆']);
    expect(w.get('非布司他')).toMatchObject({ reason: 'stopped' });
    expect(w.get('非布司他')!.note).toContain('不用非布司他');
    expect(w.has('苯溴马隆')).toBe(false);
    // "避免" looks forward only: the drug before it stays.
    expect(withheld({ 诊疗过程描述: '予阿卡波糖降糖，避免低血糖。' }, ['阿卡波糖']).has('阿卡波糖')).toBe(false);
  });

  it('an avoidance word with no object refers back to the drug before it', () => {
    const w = withheld({ 诊疗过程描述: '冠心病合并痛风，非布司他增加心血管死亡风险，不选用；改用别嘌醇片0.1g qd。', 出院诊断: ['痛风'] }, ['非布司他', '别嘌醇']);
    expect(w.get('非布司他')).toMatchObject({ reason: 'stopped' });
    // The reason quotes the drug's clause and the one whose cue decided it.
    expect(w.get('非布司他')!.evidence.text).toBe('非布司他增加心血管死亡风险，不选用');
    expect(w.has('别嘌醇')).toBe(false);
    // with an object of its own it still looks forward only
    expect(withheld({ 诊疗过程描述: '非布司他40mg qd降尿酸，不选用苯溴马隆。' }, ['非布司他', '苯溴马隆']).has('非布司他')).toBe(false);
    // "不宜选用" is one avoidance phrase, as "不选用" is
    const w2 = withheld({ 诊疗过程描述: '降尿酸方案：患者合并冠心病，非布司他心血管风险增加，不宜选用；予苯溴马隆片25mg qd起始。', 出院诊断: ['痛风'] }, ['非布司他', '苯溴马隆']);
    expect(w2.get('非布司他')).toMatchObject({ reason: 'stopped' });
    expect(w2.get('非布司他')!.evidence.text).toBe('非布司他心血管风险增加，不宜选用');
    expect(w2.has('苯溴马隆')).toBe(false);
    expect(withheld({ 诊疗过程描述: '非布司他40mg qd降尿酸，不宜选用苯溴马隆。' }, ['非布司他', '苯溴马隆']).has('非布司他')).toBe(false);
  });

  it('"停用磺脲类" / "避免NSAIDs" withhold the whole class, unless a drug of it is named again afterwards', () => {
    const su = withheld({ 诊疗过程描述: '因反复低血糖停用磺脲类，加用西格列汀。', 出院诊断: ['2型糖尿病'] }, ['格列美脲', '格列齐特', '西格列汀', '二甲双胍']);
    expect([...su.keys()].sort()).toEqual(['格列美脲', '格列齐特'].sort());
    expect(su.get('格列美脲')!.evidence.text).toContain('停用磺脲类');
    const nsaid = withheld({ 诊疗过程描述: 'CKD 3期，嘱避免自行服用NSAIDs。' }, ['布洛芬', '双氯芬酸', '对乙酰氨基酚'].filter((n) => f.has(n)));
    expect(nsaid.has('布洛芬')).toBe(true);
    expect(nsaid.has('对乙酰氨基酚')).toBe(false);
    // restarted by name after the class stop: not withheld; the class statement alone does not withhold other classes
    expect(withheld({ 诊疗过程描述: '停用磺脲类，血糖仍高，后加用格列美脲1mg qd。' }, ['格列美脲', '格列齐特']).has('格列美脲')).toBe(false);
    expect(withheld({ 诊疗过程描述: '磺脲类控制血糖欠佳。' }, ['格列美脲']).size).toBe(0);
    // a bare stop in a later clause, with the switch in the clause after it, still refers back (RULE-1210a)
    const later = withheld({ 现病史: '近5年服格列喹酮片30mg tid。', 诊疗过程描述: '磺脲类致反复低血糖，停用，改为基础胰岛素。' }, ['格列喹酮', '甘精胰岛素']);
    expect([...later.keys()]).toEqual(['格列喹酮']);
  });

  it('a class word stopped by a cue after it withholds its drugs ("餐时胰岛素逐步减停"); one that only describes the therapy does not', () => {
    const insulin = withheld(
      { 诊疗过程描述: '胰岛素静滴改为睡前甘精胰岛素+三餐前门冬胰岛素。血糖平稳后餐时胰岛素逐步减停。' },
      ['门冬胰岛素', '赖脯胰岛素', '甘精胰岛素'],
    );
    expect([...insulin.keys()].sort()).toEqual(['门冬胰岛素', '赖脯胰岛素'].sort());
    expect(insulin.get('门冬胰岛素')!.evidence.text).toContain('餐时胰岛素逐步减停');
    const statin = withheld({ 既往史: '因既往服用他汀后肌痛、CK升高已停用。' }, ['阿托伐他汀', '依折麦布']);
    expect([...statin.keys()]).toEqual(['阿托伐他汀']);
    // the same words with the class word as the therapy's name only, or no stop after it
    expect(withheld({ 诊疗过程描述: '以氯吡格雷75mg qd替代阿司匹林单药抗血小板。' }, ['氯吡格雷']).size).toBe(0);
    expect(withheld({ 诊疗过程描述: '改为三餐前门冬胰岛素，餐时胰岛素剂量同前。' }, ['门冬胰岛素']).size).toBe(0);
  });

  it('a drug the course keeps "同前" is the clinician\'s decision over an acute contraindication from the history (RULE-1210c)', () => {
    const r = { 既往史: '2020年因阿司匹林致上消化道出血停用，之后改波立维75mg qd。', 出院诊断: ['冠心病', '消化性溃疡出血史'] };
    expect(withheld({ ...r, 诊疗过程描述: '二级预防：波立维、可定同前。' }, ['氯吡格雷']).size).toBe(0);
    expect(withheld({ ...r, 诊疗过程描述: '病情平稳出院。' }, ['氯吡格雷']).has('氯吡格雷')).toBe(true);
  });

  it('a drug resumed as an item of a list, or kept "需长期服用", is the clinician\'s decision over an acute contraindication (RULE-1210k)', () => {
    const dka = { 出院诊断: ['糖尿病酮症酸中毒（SGLT2抑制剂相关）', '2型糖尿病'], 现病史: '服二甲双胍、格列美脲。' };
    expect(withheld({ ...dka, 诊疗过程描述: '第5天恢复二甲双胍0.5g tid及格列美脲2mg qd。' }, ['格列美脲']).size).toBe(0);
    expect(withheld({ ...dka, 诊疗过程描述: '第5天恢复二甲双胍0.5g tid。' }, ['格列美脲']).has('格列美脲')).toBe(true);
    const bleed = { 现病史: '2周前出现黑便2次。长期服阿司匹林。', 出院诊断: ['冠心病'] };
    expect(withheld({ ...bleed, 诊疗过程描述: '因需长期服用阿司匹林，加用泮托拉唑肠溶片40mg qd护胃。' }, ['阿司匹林']).size).toBe(0);
    expect(withheld({ ...bleed, 诊疗过程描述: '加用泮托拉唑肠溶片40mg qd护胃。' }, ['阿司匹林']).has('阿司匹林')).toBe(true);
  });

  it('"停止补钾" and "停用口服补钾" stop the potassium supplement given beside the IV one (RULE-1210l)', () => {
    const course = (stop: string) => ({ 诊疗过程描述: `予氯化钾注射液静滴，同时口服氯化钾缓释片。次日K 4.2mmol/L，${stop}，警惕反跳性高钾。`, 出院诊断: ['低钾血症'] });
    for (const stop of ['停止补钾', '停用口服补钾']) expect(withheld(course(stop), ['氯化钾']).has('氯化钾'), stop).toBe(true);
    expect(withheld(course('继续监测血钾'), ['氯化钾']).size).toBe(0);
  });

  it('"他汀强化" replaces a home moderate-intensity statin when planned for an LDL-C above target or in the discharge plan (RULE-1210a)', () => {
    const home = { 既往史: '冠心病，服辛伐他汀片20mg qn。' };
    const reasoned = withheld({ ...home, 诊疗过程描述: 'LDL-C 3.1mmol/L未达标（目标<1.4mmol/L），他汀强化降脂。' }, ['辛伐他汀', '阿托伐他汀']);
    expect([...reasoned.keys()]).toEqual(['辛伐他汀']);
    expect(withheld({ ...home, 诊疗过程描述: '出院方案：双联抗血小板；他汀强化；β受体阻滞剂。' }, ['辛伐他汀']).has('辛伐他汀')).toBe(true);
    // the phrase alone keeps the home statin; a home atorvastatin is high intensity already
    expect(withheld({ ...home, 诊疗过程描述: '颈动脉彩超示斑块，他汀强化降脂。' }, ['辛伐他汀']).size).toBe(0);
    expect(withheld({ 既往史: '服阿托伐他汀20mg qn。', 诊疗过程描述: 'LDL-C未达标，他汀强化降脂。' }, ['阿托伐他汀']).size).toBe(0);
  });

  it('a class the note does not start yet ("暂不加用他汀") withholds its drugs, worded as its words; a combination ruled out does not', () => {
    const w = withheld({ 诊疗过程描述: '予甲状腺激素替代；暂不加用他汀，甲功恢复后复查血脂再定。' }, ['阿托伐他汀', '瑞舒伐他汀', '依折麦布阿托伐他汀', '依折麦布', '左甲状腺素']);
    expect([...w.keys()].sort()).toEqual(['阿托伐他汀', '瑞舒伐他汀', '依折麦布阿托伐他汀'].sort());
    expect(w.get('阿托伐他汀')!.note).toContain('暂不加用他汀');
    expect(withheld({ 诊疗过程描述: 'LDL-C 3.6mmol/L，加用他汀降脂。' }, ['阿托伐他汀']).size).toBe(0);
    // "不停" keeps it going
    expect(withheld({ 诊疗过程描述: '生病时不停基础胰岛素，多饮水。' }, ['甘精胰岛素']).size).toBe(0);
    // "no need for" the class rules it out too (RULE-1205i); a relative clause about a class does not.
    expect(withheld({ 诊疗过程描述: '甲状腺毒症为破坏性，无需抗甲状腺药物。' }, ['甲巯咪唑', '丙硫氧嘧啶', '普萘洛尔']).size).toBe(2);
    expect(withheld({ 诊疗过程描述: '加用无需根据肾功能调整剂量的DPP-4抑制剂。' }, ['利格列汀', '西格列汀']).size).toBe(0);
    // "avoid combining with statins" is about the combination, not the class
    expect(withheld({ 诊疗过程描述: 'TG 8.2mmol/L，予吉非罗齐，避免与他汀类合用。' }, ['阿托伐他汀']).size).toBe(0);
  });

  it('"今后不用磺脲类" and "X…不推荐使用" rule the class / the drug out; "不用担心" and "推荐使用X" do not', () => {
    const su = withheld({ 诊疗过程描述: '格列齐特已致低血糖，今后不用磺脲类。' }, ['格列齐特', '格列美脲', '二甲双胍']);
    expect([...su.keys()].sort()).toEqual(['格列美脲', '格列齐特'].sort());
    expect(su.get('格列齐特')!.statement?.kind).toBe('avoid');
    expect(withheld({ 诊疗过程描述: '不用担心低血糖，继续格列齐特。' }, ['格列齐特']).size).toBe(0);
    const febu = withheld({ 诊疗过程描述: '非布司他合并冠心病不推荐使用(心血管死亡风险)，改用苯溴马隆。' }, ['非布司他', '苯溴马隆']);
    expect([...febu.keys()]).toEqual(['非布司他']);
    expect(withheld({ 诊疗过程描述: '推荐使用非布司他降尿酸。' }, ['非布司他']).size).toBe(0);
  });

  it('a class replaced by another ("ARB换为ARNI") withholds the replaced class; the class named alone does not', () => {
    const w = withheld({ 诊疗过程描述: '出院用药原则：ARB换为ARNI（停缬沙坦，直接换用），加用醛固酮受体拮抗剂。' }, ['厄贝沙坦', '缬沙坦', '沙库巴曲缬沙坦', '螺内酯']);
    expect([...w.keys()].sort()).toEqual(['厄贝沙坦', '缬沙坦'].sort());
    expect(withheld({ 诊疗过程描述: '出院用药原则：ARB继续，加用醛固酮受体拮抗剂。' }, ['厄贝沙坦', '缬沙坦']).size).toBe(0);
    // a class stopped and then named positively again goes on
    expect(withheld({ 诊疗过程描述: '予停预混胰岛素，血糖仍高，联合预混胰岛素类似物。' }, ['门冬胰岛素30']).size).toBe(0);
    expect(withheld({ 诊疗过程描述: '低血糖反复，予停预混胰岛素，改为基础胰岛素。' }, ['门冬胰岛素30']).size).toBe(1);
    // naming the class again without starting it does not lift the stop
    expect(withheld({ 既往史: '因既往服用他汀后肌痛、CK升高已停用。既往服用他汀类药物后出现肌肉酸痛。' }, ['瑞舒伐他汀']).size).toBe(1);
  });

  it('high-intensity statin therapy supersedes a moderate-intensity statin; it leaves atorvastatin and a statin named after it', () => {
    const w = withheld({ 既往史: '长期服用辛伐他汀片20mg qn。', 诊疗过程描述: 'LDL-C远未达标，改为高强度他汀强化降脂。' }, ['辛伐他汀', '阿托伐他汀', '瑞舒伐他汀']);
    expect([...w.keys()]).toEqual(['辛伐他汀']);
    expect(w.get('辛伐他汀')!.statement).toMatchObject({ kind: 'superseded', drug: '辛伐他汀' });
    expect(w.get('辛伐他汀')!.note).toContain('高强度他汀');
    // a bare 改 switches too (RULE-1209b)
    expect([...withheld({ 既往史: '长期服用辛伐他汀片20mg qn。', 诊疗过程描述: 'LDL-C未达标，改高强度他汀。' }, ['辛伐他汀', '阿托伐他汀']).keys()]).toEqual(['辛伐他汀']);
    expect(withheld({ 既往史: '长期服用辛伐他汀片20mg qn。', 诊疗过程描述: 'LDL-C未达标，辛伐他汀继续。' }, ['辛伐他汀']).size).toBe(0);
    expect(withheld({ 诊疗过程描述: '他汀强化降脂：辛伐他汀40mg qn。' }, ['辛伐他汀']).size).toBe(0);
    // "他汀强化" alone does not say the drug changes
    expect(withheld({ 既往史: '长期服用辛伐他汀片20mg qn。', 诊疗过程描述: '他汀强化降脂。' }, ['辛伐他汀']).size).toBe(0);
  });

  it('zoledronic acid or denosumab, given or planned, supersedes oral bisphosphonates; one named after it is kept', () => {
    const given = withheld({ 现病史: '医嘱福善美70mg qw，患者常忘服。', 诊疗过程描述: '住院第3天予唑来膦酸注射液5mg静滴。' }, ['阿仑膦酸钠', '利塞膦酸钠', '碳酸钙D3']);
    expect([...given.keys()].sort()).toEqual(['利塞膦酸钠', '阿仑膦酸钠'].sort());
    expect(given.get('阿仑膦酸钠')!.statement).toMatchObject({ kind: 'superseded', drug: '阿仑膦酸钠' });
    expect(withheld({ 诊疗过程描述: '予唑来膦酸5mg静滴。出院后改为阿仑膦酸钠70mg qw。' }, ['阿仑膦酸钠']).size).toBe(0);
    expect(withheld({ 诊疗过程描述: '暂不予唑来膦酸，予阿仑膦酸钠70mg qw。' }, ['阿仑膦酸钠']).size).toBe(0);
  });

  it('a drug marked as the former regimen is replaced by a later switch in its sentence to another drug or class', () => {
    const w = withheld({ 诊疗过程描述: '原瑞格列奈每日3次，依从性差，降糖改为DPP-4抑制剂每日一次。' }, ['瑞格列奈', '西格列汀']);
    expect([...w.keys()]).toEqual(['瑞格列奈']);
    expect(w.get('瑞格列奈')!.statement).toMatchObject({ kind: 'superseded', drug: '瑞格列奈' });
    // the target holds the drug (a dose change, its own class), no 原, or the switch in another sentence: kept
    expect(withheld({ 诊疗过程描述: '原甘精胰岛素12U，空腹血糖偏高，调整为基础胰岛素16U。' }, ['甘精胰岛素']).size).toBe(0);
    expect(withheld({ 诊疗过程描述: '瑞格列奈每日3次，依从性差，加用DPP-4抑制剂后改为每日一次。' }, ['瑞格列奈']).size).toBe(0);
    expect(withheld({ 诊疗过程描述: '原瑞格列奈每日3次。降糖改为DPP-4抑制剂每日一次。' }, ['瑞格列奈']).size).toBe(0);
  });

  it('a drug opening a clause of reasons, then a clause that switches to another drug of its area, is replaced (RULE-1208c)', () => {
    const w = withheld({ 现病史: '瑞格列奈片1mg tid。', 诊疗过程描述: '瑞格列奈依从性差，改为利格列汀5mg qd。' }, ['瑞格列奈', '利格列汀']);
    expect([...w.keys()]).toEqual(['瑞格列奈']);
    expect(w.get('瑞格列奈')!.statement).toMatchObject({ kind: 'superseded', drug: '瑞格列奈' });
    expect([...withheld({ 诊疗过程描述: '格华止因血糖未达标、患者顾虑孕期用药，改为胰岛素：诺和锐三餐前4-4-4U。' }, ['二甲双胍']).keys()]).toEqual(['二甲双胍']);
    // another area's target, a clause that keeps or doses the drug, a switch in the next sentence, or a target that holds it: kept
    expect(withheld({ 诊疗过程描述: '阿托伐他汀调脂，调整为预混胰岛素每日两次。' }, ['阿托伐他汀']).size).toBe(0);
    expect(withheld({ 诊疗过程描述: '二甲双胍继续，改为加用西格列汀。' }, ['二甲双胍']).size).toBe(0);
    expect(withheld({ 诊疗过程描述: '二甲双胍依从性差。改为利格列汀。' }, ['二甲双胍']).size).toBe(0);
    expect(withheld({ 诊疗过程描述: '甘精胰岛素剂量不足，调整为基础胰岛素16U。' }, ['甘精胰岛素']).size).toBe(0);
  });

  it('a stop of insulin with no kind named stops the insulins the course gave before it (RULE-1208g)', () => {
    const course = '予胰岛素静脉泵入，尿酮转阴后改为三餐前门冬胰岛素联合睡前甘精胰岛素皮下注射。感染控制后胰岛素逐步减量，第8天停用胰岛素，恢复格列齐特。';
    expect([...withheld({ 诊疗过程描述: course }, ['门冬胰岛素', '甘精胰岛素', '格列齐特']).keys()].sort()).toEqual(['甘精胰岛素', '门冬胰岛素'].sort());
    // the pump, a stop the note forbids, and an insulin named again after the stop: kept
    expect(withheld({ 诊疗过程描述: '予门冬胰岛素泵入。血糖平稳后停胰岛素泵，改为甘精胰岛素16U睡前。' }, ['甘精胰岛素']).size).toBe(0);
    expect(withheld({ 诊疗过程描述: '予甘精胰岛素16U睡前，教育患者不可自行减停胰岛素。' }, ['甘精胰岛素']).size).toBe(0);
    expect(withheld({ 诊疗过程描述: '予门冬胰岛素三餐前。停胰岛素2天后血糖升高，再予门冬胰岛素4U tid。' }, ['门冬胰岛素']).size).toBe(0);
  });

  it('a drug stopped before admission that the course starts again by its class is restarted (RULE-1208h)', () => {
    const history = { 现病史: '甲减，口服左甲状腺素钠片替代，2年前自觉无不适自行停药。' };
    expect(withheld(history, ['左甲状腺素']).size).toBe(1);
    expect(withheld({ ...history, 诊疗过程描述: '甲状腺激素替代从小剂量开始（12.5μg qd起）。' }, ['左甲状腺素']).size).toBe(0);
    // a class kept as it was does not restart the drug stopped before ("抗血小板同前" after "已停用氯吡格雷")
    expect(withheld({ 现病史: '术后双抗12月，已停用氯吡格雷，目前服阿司匹林肠溶片100mg qd。', 诊疗过程描述: 'CCB同前；抗血小板同前。' }, ['氯吡格雷']).size).toBe(1);
    // a stop in the course itself is the course's decision: a class word elsewhere in it does not undo it
    expect(withheld({ 诊疗过程描述: '停用阿托伐他汀。继续他汀类以外的调脂治疗：加用依折麦布。' }, ['阿托伐他汀']).size).toBe(1);
  });

  it('"避免NSAIDs" rules out the COX-2 inhibitors too (RULE-1209l)', () => {
    expect([...withheld({ 诊疗过程描述: 'CKD，避免NSAIDs。加非布司他20mg qd。' }, ['布洛芬', '依托考昔', '塞来昔布', '非布司他']).keys()]).toEqual(['布洛芬', '依托考昔', '塞来昔布']);
  });

  it('"停补钾" stops potassium; insulin tapered off in the course stops the course insulins, not a taper planned for home; 暂停 is a hold (RULE-1209g)', () => {
    const k = withheld({ 诊疗过程描述: '予氯化钾缓释片1g tid。血钾4.3-4.6mmol/L，停补钾。' }, ['氯化钾', '二甲双胍']);
    expect([...k.keys()]).toEqual(['氯化钾']);
    const given = '血糖以三餐前门冬胰岛素+睡前甘精胰岛素控制。';
    expect([...withheld({ 诊疗过程描述: given + '胰岛素逐渐减量，第5天停，空腹血糖5.8-7.1mmol/L。' }, ['门冬胰岛素', '甘精胰岛素']).keys()]).toEqual(['门冬胰岛素', '甘精胰岛素']);
    expect(withheld({ 诊疗过程描述: given + '出院后胰岛素逐渐减量，2周后停用。' }, ['门冬胰岛素', '甘精胰岛素']).size).toBe(0);
    const paused = { 现病史: '服氨氯地平5mg qd。', 诊疗过程描述: '入院后暂停氨氯地平，改为维拉帕米缓释片240mg qd。检查完毕停用维拉帕米，恢复院外原CCB。' };
    expect(withheld(paused, ['氨氯地平']).size).toBe(0);
    expect(withheld({ ...paused, 诊疗过程描述: '入院后暂停氨氯地平，改为维拉帕米缓释片240mg qd。' }, ['氨氯地平']).size).toBe(1);
  });

  it('a home drug held for a work-up is restarted when the course later starts or plans its class (RULE-1209e)', () => {
    const washout = { 现病史: '服硝苯地平控释片30mg qd。', 诊疗过程描述: '为行ARR筛查，停硝苯地平控释片，暂改为维拉帕米缓释片240mg qd。' };
    expect(withheld(washout, ['硝苯地平']).size).toBe(1);
    const joined = { ...washout, 诊疗过程描述: washout.诊疗过程描述 + '确诊后停用维拉帕米，启用螺内酯20mg bid，联合原二氢吡啶类CCB（恢复原剂量）。' };
    expect(withheld(joined, ['硝苯地平']).size).toBe(0);
    expect(restartedInNote(recordFromObject(joined), f)).toEqual(['硝苯地平']);
    // the class in a discharge plan heading restarts it too
    const planned = { ...washout, 诊疗过程描述: washout.诊疗过程描述 + '\n出院降压方案：醛固酮受体拮抗剂+二氢吡啶类CCB。' };
    expect(withheld(planned, ['硝苯地平']).size).toBe(0);
    // a stop without a temporary replacement is the course's decision: a later class plan does not undo it
    const stopped = { ...washout, 诊疗过程描述: '停硝苯地平控释片（下肢水肿）。\n出院降压方案：醛固酮受体拮抗剂+二氢吡啶类CCB。' };
    expect(withheld(stopped, ['硝苯地平']).size).toBe(1);
    expect(restartedInNote(recordFromObject(stopped), f)).toEqual([]);
  });

  it('a switch to a NOAC, by class or by name, supersedes warfarin; a NOAC named without a switch does not', () => {
    const byClass = withheld({ 既往史: '房颤，口服华法林钠片2.5mg qd。', 诊疗过程描述: '华法林INR控制差，抗凝改为NOAC。' }, ['华法林', '利伐沙班']);
    expect([...byClass.keys()]).toEqual(['华法林']);
    expect(byClass.get('华法林')!.statement).toMatchObject({ kind: 'superseded', drug: '华法林' });
    const byName = withheld({ 既往史: '房颤，口服华法林钠片2.5mg qd。', 诊疗过程描述: 'INR波动大。出院改为达比加群酯110mg bid。' }, ['华法林', '达比加群酯']);
    expect([...byName.keys()]).toEqual(['华法林']);
    expect(withheld({ 既往史: '房颤，口服华法林钠片2.5mg qd。', 诊疗过程描述: '向患者解释NOAC与华法林的区别，继续华法林。' }, ['华法林']).size).toBe(0);
  });

  it('"暂未予X" and a start on a condition not yet met ("仍不达标再联合X") withhold X; a plain finding does not', () => {
    const colchicine = withheld({ 诊疗过程描述: '近半年无发作，暂未予秋水仙碱预防。' }, ['秋水仙碱']);
    expect(colchicine.get('秋水仙碱')).toMatchObject({ reason: 'stopped', statement: { kind: 'avoid' } });
    expect(withheld({ 现病史: '未予秋水仙碱治疗，关节痛自行缓解。' }, ['秋水仙碱']).size).toBe(0);
    const ezetimibe = withheld({ 诊疗过程描述: '改为阿托伐他汀40mg qn，4-6周复查血脂，仍不达标再联合依折麦布。' }, ['依折麦布', '阿托伐他汀']);
    expect([...ezetimibe.keys()]).toEqual(['依折麦布']);
    expect(ezetimibe.get('依折麦布')!.statement).toMatchObject({ kind: 'defer' });
    expect(withheld({ 诊疗过程描述: '予阿卡波糖50mg tid，餐后血糖不达标，加用西格列汀。' }, ['阿卡波糖', '西格列汀']).size).toBe(0);
  });

  it('a class switched to another class keeps the target class: "ARB改为ARB+噻嗪类单片复方" stops valsartan, not valsartan/HCTZ', () => {
    const note = { 现病史: '服用代文80mg qd。', 诊疗过程描述: '调整方案：ARB改为ARB+噻嗪类单片复方，CCB同前。' };
    const w = withheld(note, ['缬沙坦', '缬沙坦氢氯噻嗪', '厄贝沙坦氢氯噻嗪']);
    expect(w.has('缬沙坦')).toBe(true);
    expect(w.has('缬沙坦氢氯噻嗪')).toBe(false);
    expect(w.has('厄贝沙坦氢氯噻嗪')).toBe(false);
    // a plain class stop still takes the combinations with it
    expect(withheld({ 诊疗过程描述: '血钾6.1mmol/L，停用ARB类药物。' }, ['缬沙坦氢氯噻嗪']).has('缬沙坦氢氯噻嗪')).toBe(true);
    // a combination whose class does not spell the stopped class, but whose name holds a drug of it
    const thiazide = withheld({ 现病史: '服安博诺1片 qd。', 诊疗过程描述: '安博诺所含氢氯噻嗪会加重失钾，不再使用噻嗪类利尿剂。' }, ['厄贝沙坦氢氯噻嗪', '厄贝沙坦', '螺内酯']);
    expect([...thiazide.keys()]).toEqual(['厄贝沙坦氢氯噻嗪']);
  });

  it('"B替换原A" replaces A and keeps B, for classes and drugs; "替换为" is the other direction', () => {
    const cls = { 既往史: '服缬沙坦胶囊80mg qd。', 诊疗过程描述: '降压：ARB＋噻嗪类单片复方制剂替换原ARB。' };
    const w = withheld(cls, ['缬沙坦', '缬沙坦氢氯噻嗪', '厄贝沙坦氢氯噻嗪']);
    expect([...w.keys()]).toEqual(['缬沙坦']);
    expect(withheld({ 既往史: '服缬沙坦胶囊80mg qd。', 诊疗过程描述: '以氨氯地平替换缬沙坦。' }, ['缬沙坦', '氨氯地平']).has('缬沙坦')).toBe(true);
    expect(withheld({ 诊疗过程描述: '缬沙坦替换为氨氯地平。' }, ['缬沙坦', '氨氯地平']).has('氨氯地平')).toBe(false);
    // without the cue both stay
    expect(withheld({ 既往史: '服缬沙坦胶囊80mg qd。', 诊疗过程描述: '降压：加用ARB＋噻嗪类单片复方制剂。' }, ['缬沙坦氢氯噻嗪']).size).toBe(0);
  });

  it('a switch to basal insulin supersedes the premix the patient took; basal-bolus without a switch does not', () => {
    const premix = { 现病史: '3年前改为诺和锐30早16U晚12U。', 诊疗过程描述: '停泵后改为基础胰岛素+三餐前速效胰岛素皮下注射。' };
    expect(withheld(premix, ['门冬胰岛素30', '甘精胰岛素']).get('门冬胰岛素30')?.statement).toMatchObject({ kind: 'superseded' });
    expect(withheld(premix, ['甘精胰岛素']).size).toBe(0);
    expect(withheld({ 现病史: '诺和锐30早16U晚12U。', 诊疗过程描述: '加用基础胰岛素。' }, ['门冬胰岛素30']).size).toBe(0);
  });

  it('a switch to a named drug replaces what a switch to its class would: a basal insulin the premix, atorvastatin simvastatin', () => {
    const premix = { 现病史: '诺和锐30 早18U、晚14U。', 诊疗过程描述: '预混胰岛素难以兼顾，改为来得时14U qn + 诺和锐三餐前6-6-6U。' };
    expect(withheld(premix, ['门冬胰岛素30', '甘精胰岛素', '门冬胰岛素']).get('门冬胰岛素30')?.statement).toMatchObject({ kind: 'superseded' });
    expect(withheld(premix, ['甘精胰岛素', '门冬胰岛素']).size).toBe(0);
    expect(withheld({ 现病史: '辛伐他汀20mg qn。', 诊疗过程描述: 'LDL-C未达标，改为阿托伐他汀40mg qn。' }, ['辛伐他汀']).has('辛伐他汀')).toBe(true);
    // added, not switched to: the premix stays
    expect(withheld({ 现病史: '诺和锐30 早18U、晚14U。', 诊疗过程描述: '加用甘精胰岛素6U qn。' }, ['门冬胰岛素30']).size).toBe(0);
  });

  it('a bare stop closing a later clause of the sentence stops the class before it ("磺脲类…，一并停用")', () => {
    const su = ['格列齐特', '格列美脲'];
    expect(withheld({ 现病史: '服用达美康缓释片60mg qd。', 诊疗过程描述: '修正诊断为LADA。磺脲类可加速β细胞功能衰竭，一并停用。' }, su).size).toBe(2);
    expect(withheld({ 现病史: '服用达美康缓释片60mg qd。', 诊疗过程描述: '磺脲类可致低血糖，嘱规律进餐，继续使用。' }, su).size).toBe(0);
    // the class in a "与" phrase is not what the cue is about: the drug before it is
    expect(withheld({ 诊疗过程描述: '瑞格列奈与预混胰岛素作用重叠，不再使用。' }, ['门冬胰岛素30']).size).toBe(0);
  });

  it('"停静脉补钙" ends the infusion, not the oral calcium the note starts', () => {
    const note = { 诊疗过程描述: '予葡萄糖酸钙注射液静脉滴注3天，同时加用口服钙剂及活性维生素D，出院前血钙2.06mmol/L，停静脉补钙。' };
    expect(withheld(note, ['碳酸钙D3', '骨化三醇']).size).toBe(0);
    expect(withheld({ 诊疗过程描述: '血钙正常，停补钙。' }, ['碳酸钙D3']).has('碳酸钙D3')).toBe(true);
  });

  it('a start left to a later clinic visit ("2周门诊启动X") withholds X as deferred; a clinic follow-up does not', () => {
    const later = withheld({ 诊疗过程描述: '计划急性期控制后2周门诊启动非布司他或别嘌醇（启动前查HLA-B*5801）。' }, ['非布司他', '别嘌醇']);
    expect([...later.keys()].sort()).toEqual(['别嘌醇', '非布司他']);
    expect(later.get('非布司他')!.statement).toMatchObject({ kind: 'defer' });
    expect(withheld({ 诊疗过程描述: '如4-6周后LDL-C仍不达标，门诊评估PCSK9抑制剂。' }, ['依洛尤单抗']).has('依洛尤单抗')).toBe(true);
    // urate-lowering drugs ruled out as a whole, or started by name
    const ult = ['非布司他', '别嘌醇', '苯溴马隆'];
    expect([...withheld({ 诊疗过程描述: '无症状高尿酸血症，暂不予降尿酸药物治疗。' }, ult).keys()].sort()).toEqual([...ult].sort());
    expect(withheld({ 诊疗过程描述: '启动降尿酸治疗：非布司他20mg qd。' }, ult).size).toBe(0);
    expect(withheld({ 诊疗过程描述: '肿痛缓解后加用非布司他片20mg qd，2周后门诊随诊。' }, ['非布司他']).size).toBe(0);
    expect(withheld({ 诊疗过程描述: '门诊随诊，继续非布司他20mg qd。' }, ['非布司他']).size).toBe(0);
  });

  it('a start left until something else is done ("待血磷控制后再考虑X") withholds X as deferred; a plain start does not', () => {
    const activeD = ['骨化三醇', '阿法骨化醇'];
    const later = withheld({ 诊疗过程描述: 'P↑，司维拉姆加量；PTH待血磷控制后再考虑活性维生素D。' }, activeD);
    expect([...later.keys()].sort()).toEqual([...activeD].sort());
    expect(withheld({ 诊疗过程描述: 'PTH升高，加用活性维生素D。' }, activeD).size).toBe(0);
    expect(withheld({ 诊疗过程描述: '复查血磷后考虑骨化三醇0.25μg qd。' }, activeD).size).toBe(0);
  });

  it('a past-regimen mention after a stop does not undo the stop', () => {
    // 既往史 is read before 现病史: the stop comes first, the past-regimen mention later.
    expect(withheld({ 既往史: '因腹泻停用二甲双胍。', 现病史: '既往曾使用二甲双胍，现用阿卡波糖。' }, ['二甲双胍']).has('二甲双胍')).toBe(true);
  });
});

describe('safetyPlan / applySafetyToRanked', () => {
  const note = rec('v', { 入院情况: 'eGFR 28 ml/min/1.73m²。', 出院诊断: ['2型糖尿病'] });
  it('masks withheld candidates by index and gives each candidate its duplication group', () => {
    const cands = ['阿卡波糖', '二甲双胍', '阿托伐他汀', '瑞舒伐他汀', '某院内制剂'];
    const plan = safetyPlan(note, cands, f);
    expect(plan.mask.blocked).toEqual([1]);
    expect(plan.mask.groups).toEqual([f.get('阿卡波糖')?.duplicationGroup ?? null, 'biguanide', 'statin', 'statin', null]);
    expect(plan.withheld.map((w) => w.drug)).toEqual(['二甲双胍']);
    expect(safetyPlan(note, cands, f, { safety: false })).toEqual({ withheld: [], mask: { blocked: [], groups: [] } });
  });

  it('a combination carries its components\' groups, so metformin next to a metformin combination is one duplication', () => {
    const plain = rec('v', { 出院诊断: ['2型糖尿病'] });
    expect(safetyPlan(plain, ['西格列汀二甲双胍', '二甲双胍', '西格列汀'], f).mask.groups).toEqual([['dpp4i', 'biguanide', 'family:incretin'], 'biguanide', ['dpp4i', 'family:incretin']]);
    expect(applySafetyToRanked(plain, ['西格列汀二甲双胍', '二甲双胍', '阿卡波糖', '西格列汀'], f).kept).toEqual(['西格列汀二甲双胍', '阿卡波糖']);
    expect(applySafetyToRanked(plain, ['二甲双胍', '西格列汀二甲双胍', '西格列汀'], f).kept).toEqual(['二甲双胍', '西格列汀']);
  });

  it('one incretin drug per list: a DPP-4 inhibitor (alone or in a combination) and a GLP-1 receptor agonist share a family; other glucose-lowering drugs do not', () => {
    const plain = rec('v', { 出院诊断: ['2型糖尿病'] });
    expect(safetyPlan(plain, ['利格列汀', '司美格鲁肽', '德谷胰岛素利拉鲁肽', '达格列净', '西格列汀二甲双胍'], f).mask.groups).toEqual([
      ['dpp4i', 'family:incretin'],
      ['glp1ra', 'family:incretin'],
      ['basal_insulin', 'glp1ra', 'family:incretin', 'family:premix-basal'],
      'sglt2i',
      ['dpp4i', 'biguanide', 'family:incretin'],
    ]);
    // The better-ranked incretin stays; the second is dropped, the SGLT2 inhibitor and metformin are not.
    expect(applySafetyToRanked(plain, ['司美格鲁肽', '二甲双胍', '利格列汀', '达格列净'], f).kept).toEqual(['司美格鲁肽', '二甲双胍', '达格列净']);
    // Without a GLP-1 receptor agonist in front, the DPP-4 inhibitor keeps its place.
    expect(applySafetyToRanked(plain, ['二甲双胍', '利格列汀', '达格列净'], f).kept).toEqual(['二甲双胍', '利格列汀', '达格列净']);
  });

  it('one basal component per insulin regimen: a premixed and a basal insulin share a family; basal-bolus and premix plus prandial stay allowed', () => {
    const plain = rec('v', { 出院诊断: ['2型糖尿病'] });
    expect(safetyPlan(plain, ['德谷门冬双胰岛素', '德谷胰岛素', '门冬胰岛素', '门冬胰岛素30'], f).mask.groups).toEqual([
      ['premixed_insulin', 'family:premix-basal'],
      ['basal_insulin', 'family:premix-basal'],
      'prandial_insulin',
      ['premixed_insulin', 'family:premix-basal'],
    ]);
    // The better-ranked one stays: the premixed insulin drops the basal one, not the prandial one.
    expect(applySafetyToRanked(plain, ['德谷门冬双胰岛素', '阿卡波糖', '德谷胰岛素', '门冬胰岛素'], f).kept).toEqual(['德谷门冬双胰岛素', '阿卡波糖', '门冬胰岛素']);
    // Basal-bolus: both kept.
    expect(applySafetyToRanked(plain, ['甘精胰岛素', '门冬胰岛素', '二甲双胍'], f).kept).toEqual(['甘精胰岛素', '门冬胰岛素', '二甲双胍']);
  });

  it('one RAS blocker per list: ACEI, ARB and ARNI share a family; other antihypertensives do not', () => {
    const plain = rec('v', { 出院诊断: ['高血压2级'] });
    const groups = safetyPlan(plain, ['贝那普利', '缬沙坦', '沙库巴曲缬沙坦', '氨氯地平贝那普利', '氨氯地平'], f).mask.groups;
    expect(groups).toEqual([
      ['acei', 'family:ras-blockade'],
      ['arb', 'family:ras-blockade'],
      ['arb', 'family:ras-blockade'],
      ['acei', 'ccb_dhp', 'family:ras-blockade'],
      'ccb_dhp',
    ]);
    expect(applySafetyToRanked(plain, ['贝那普利', '氨氯地平', '厄贝沙坦', '沙库巴曲缬沙坦'], f).kept).toEqual(['贝那普利', '氨氯地平']);
    // Without a RAS blocker in front, the ARB keeps its place.
    expect(applySafetyToRanked(plain, ['氨氯地平', '厄贝沙坦', '美托洛尔'], f).kept).toEqual(['氨氯地平', '厄贝沙坦', '美托洛尔']);
  });

  it('a site list spelling (salt / form) is normalised and reported as spelled', () => {
    expect(safetyPlan(note, ['盐酸二甲双胍片'], f).withheld.map((w) => w.drug)).toEqual(['盐酸二甲双胍片']);
  });

  it('on a ranked list: drops withheld drugs and keeps the best of each group', () => {
    const { kept, withheld: w } = applySafetyToRanked(note, ['二甲双胍', '阿托伐他汀', '阿卡波糖', '瑞舒伐他汀'], f);
    expect(kept).toEqual(['阿托伐他汀', '阿卡波糖']);
    expect(w.map((x) => x.drug)).toEqual(['二甲双胍']);
    expect(applySafetyToRanked(note, ['二甲双胍', '阿托伐他汀', '瑞舒伐他汀'], f, { safety: false }).kept).toHaveLength(3);
  });

  it('recordFromObject reads a plain object (the worker request)', () => {
    const r = recordFromObject({ 入院情况: 'eGFR 24', 出院诊断: ['2型糖尿病'], BMI: 'x' });
    expect(extractNoteFacts(r).egfr?.value).toBe(24);
    expect(r.BMI).toBeNull();
  });
});
