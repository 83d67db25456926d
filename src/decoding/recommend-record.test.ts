/**
 * The record → decode entry point with the real shipped model (models/dischargerx-small, q8 on
 * onnxruntime-node): a note that stopped metformin for eGFR < 30 never gets metformin back, and
 * metformin comes back in `withheld` with the note's words. Skipped only when the folder is absent.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Formulary } from '../clinical/formulary.ts';
import { PROMPT_SPEC } from '../clinical/prompt.ts';
import { loadCausalLm, type LoadedCausalLm } from './load-causal-lm.ts';
import { searchOptions } from './policy.ts';
import { noteEvidence, recommendForRecord } from './recommend-record.ts';
import { readFileSync } from 'node:fs';
import { checkFusionWeights, FUSION_FILE, type FusionWeights } from './evidence-fusion.ts';

const DIR = resolve(import.meta.dirname, '..', '..', 'models', 'dischargerx-small');
const HAVE = existsSync(join(DIR, 'onnx', 'model_quantized.onnx')) && existsSync(join(DIR, 'tokenizer.json'));

const NOTE = {
  就诊标识: 'safety-1',
  性别: '男',
  出生日期: '1952-03-01',
  就诊时间: '2023-06-01',
  主诉: '口干多饮10年，双下肢水肿1月',
  现病史: '患者10年前诊断2型糖尿病，长期口服二甲双胍0.5g tid、阿卡波糖50mg tid，血糖控制欠佳。',
  既往史: '高血压病史8年，口服氨氯地平5mg qd。',
  入院情况: '血肌酐256μmol/L，eGFR 24 ml/min/1.73m²，HbA1c 8.9%。',
  诊疗过程描述: '入院后完善检查，因eGFR<30，停用二甲双胍，予胰岛素控制血糖，继续降压治疗。',
  出院诊断: ['2型糖尿病', '糖尿病肾病 CKD4期', '高血压病2级'],
};

describe('noteEvidence (what the fusion reads from the note)', () => {
  it('gives each named drug its final status and the drugs of a class planned without a named drug', () => {
    const ev = noteEvidence({ ...NOTE, 诊疗过程描述: NOTE.诊疗过程描述 + '加用SGLT2抑制剂护肾。' }, Formulary.bundled());
    expect(ev.statuses.get('二甲双胍')).toBe('stopped');
    expect(ev.classPlans).toEqual([expect.objectContaining({ key: 'sglt2', usual: '达格列净', drugs: expect.arrayContaining(['达格列净', '恩格列净']) })]);
    expect(noteEvidence(NOTE, Formulary.bundled()).classPlans).toEqual([]);
  });
});

describe.skipIf(!HAVE)('recommendForRecord with the shipped model', () => {
  let lm: LoadedCausalLm;
  beforeAll(async () => {
    lm = await loadCausalLm(DIR, { dtype: 'q8', device: 'cpu' });
  }, 120_000);
  afterAll(async () => {
    await lm?.model.dispose();
  });

  it('"因eGFR<30，停用二甲双胍": metformin is not in the list and is in withheld', async () => {
    const f = Formulary.bundled();
    const r = await recommendForRecord({
      model: lm.model,
      tokenizer: lm.tokenizer,
      record: NOTE,
      candidates: f.names,
      format: PROMPT_SPEC.target,
      options: searchOptions({ beamWidth: 2, maxDrugs: 8 }),
    });
    const names = r.trajectory.map((d) => d.name);
    expect(names.length).toBeGreaterThan(0);
    expect(names).not.toContain('二甲双胍');
    expect(names.some((n) => n.includes('二甲双胍'))).toBe(false);
    const w = r.withheld.find((x) => x.drug === '二甲双胍');
    expect(w).toBeDefined();
    expect(w!.evidence.text).toMatch(/停用二甲双胍|eGFR/);
    expect(r.safety).toBe(true);
    // at most one drug per duplication group
    const groups = names.map((n) => f.get(n)?.duplicationGroup).filter((g) => g !== undefined);
    expect(new Set(groups).size).toBe(groups.length);
  }, 120_000);

  it('safety off (research): nothing is withheld', async () => {
    const r = await recommendForRecord({
      model: lm.model,
      tokenizer: lm.tokenizer,
      record: NOTE,
      safety: false,
      candidates: Formulary.bundled().names,
      format: PROMPT_SPEC.target,
      options: searchOptions({ beamWidth: 1, maxDrugs: 8 }),
    });
    expect(r.withheld).toEqual([]);
    expect(r.safety).toBe(false);
  }, 120_000);

  it.skipIf(!existsSync(join(DIR, FUSION_FILE)))('with the shipped fusion.json: a drug in the note\'s discharge plan is on the list, a stopped one is not', async () => {
    const fusion = JSON.parse(readFileSync(join(DIR, FUSION_FILE), 'utf8')) as FusionWeights;
    checkFusionWeights(fusion);
    const f = Formulary.bundled();
    const record = { ...NOTE, 诊疗过程描述: `${NOTE.诊疗过程描述}出院带药：瑞格列奈1mg tid，氨氯地平5mg qd。` };
    const r = await recommendForRecord({
      model: lm.model,
      tokenizer: lm.tokenizer,
      record,
      fusion,
      candidates: f.names,
      format: PROMPT_SPEC.target,
      options: searchOptions({ beamWidth: 2, maxDrugs: 8 }),
    });
    expect(r.fused).toBe(true);
    const planned = r.fusedTrajectory!.find((d) => d.name === '瑞格列奈');
    expect(planned).toBeDefined();
    expect(planned!.noteStatus).toBe('discharge');
    expect(planned!.confidence).toBeGreaterThan(0.5);
    expect(r.trajectory.map((d) => d.name)).not.toContain('二甲双胍');
    // sorted by fused probability, and the search itself is kept for inspection
    const p = r.trajectory.map((d) => d.confidence);
    expect([...p].sort((a, b) => b - a)).toEqual(p);
    expect(r.search.trajectory.length).toBeGreaterThan(0);
  }, 120_000);
});
