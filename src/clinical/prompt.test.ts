/**
 * Prompt fixtures: src/clinical/prompt.ts is the only implementation of the template (Python
 * training calls it through training/node/build-prompts.ts); the fixture pins its output, and
 * transformers.js must tokenize it to exactly the ids the Python char tokenizer produced.
 * Regenerate the fixture with `/usr/bin/python3 training/make_fixtures.py`.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { AutoTokenizer, env } from '@huggingface/transformers';
import { Formulary } from './formulary.ts';
import {
  PROMPT_SPEC,
  PROMPT_SPEC_VERSION,
  buildPrompt,
  computeAge,
  formatBmi,
  formatTarget,
  mentionStatuses,
  mentionText,
  type PromptRecord,
} from './prompt.ts';

const here = dirname(fileURLToPath(import.meta.url));
const fixturesDir = join(here, '..', '..', 'training', 'tests', 'fixtures');

interface ParityFixture {
  spec_version: string;
  records: PromptRecord[];
  prompts: string[];
  token_ids: number[][];
  targets: { drugs: string[]; order: string[] | null; text: string }[];
  target_token_ids: number[][];
}

const fixture = JSON.parse(readFileSync(join(fixturesDir, 'prompt_parity.json'), 'utf8')) as ParityFixture;

describe('prompt fixture', () => {
  it('uses the same prompt-spec version', () => {
    expect(fixture.spec_version).toBe(PROMPT_SPEC_VERSION);
  });

  fixture.records.forEach((record, i) => {
    it(`buildPrompt gives the pinned prompt for record ${String(record['就诊标识'] ?? i)}`, () => {
      expect(buildPrompt(record)).toBe(fixture.prompts[i]);
    });
  });

  it('respects the total budget in code points', () => {
    for (const p of fixture.prompts) expect(Array.from(p).length).toBeLessThanOrEqual(PROMPT_SPEC.totalBudget);
  });

  it('formatTarget matches Python', () => {
    for (const t of fixture.targets) {
      expect(formatTarget(t.drugs, t.order ?? undefined)).toBe(t.text);
    }
  });
});

describe('prompt helpers', () => {
  it('formats BMI with half-up rounding and rejects implausible values', () => {
    expect(formatBmi(24.25)).toBe('24.3');
    expect(formatBmi(24.95)).toBe('25.0');
    expect(formatBmi('23.45')).toBe('23.5');
    for (const bad of [null, true, 999, 'abc']) expect(formatBmi(bad)).toBe(PROMPT_SPEC.demographics.bmiUnknown);
  });

  it('computes age at the visit, before and on the birthday', () => {
    expect(computeAge('1960-05-03', '2021-05-02')).toBe(60);
    expect(computeAge('1960-05-03', '2021-05-03 08:00')).toBe(61);
    expect(computeAge('2030-01-01', '2024-01-01')).toBeNull();
    expect(computeAge(null, '2024-01-01')).toBeNull();
  });
});

describe('the 【用药】 mention line', () => {
  const formulary = Formulary.bundled();

  it('normalises trade names and groups drugs by their final status', () => {
    const statuses = mentionStatuses(
      {
        既往史: '长期服用拜糖平 50mg tid，半年前停用格列美脲。青霉素过敏。',
        现病史: '平素格华止 0.5g bid，后将阿卡波糖改为西格列汀。',
        诊疗过程描述: '予硫辛酸静滴。',
      },
      formulary,
    );
    expect(Object.fromEntries(statuses)).toEqual({
      阿卡波糖: 'stopped',
      格列美脲: 'stopped',
      二甲双胍: 'positive',
      西格列汀: 'positive',
      硫辛酸: 'inpatient',
    });
    expect(mentionText(statuses, 90)).toBe('在用:二甲双胍、西格列汀；停用:阿卡波糖、格列美脲；院内:硫辛酸');
  });

  it('keeps whole names within the budget', () => {
    const statuses = new Map([
      ['二甲双胍', 'positive' as const],
      ['西格列汀', 'positive' as const],
      ['阿卡波糖', 'stopped' as const],
    ]);
    expect(mentionText(statuses, 12)).toBe('在用:二甲双胍、西格列汀');
    expect(mentionText(statuses, 7)).toBe('在用:二甲双胍');
    expect(mentionText(statuses, 6)).toBe('');
  });

  it('reads mentions from the whole record, also text cut from the prompt', () => {
    const filler = '复查空腹血糖8.1mmol/L。'.repeat(20); // priority sentences that fill the field budget
    const prompt = buildPrompt({ 诊疗过程描述: filler + '继续口服瑞舒伐他汀钙片10mg qn。', 出院诊断: ['高脂血症'] });
    expect(prompt).not.toContain('【诊疗】' + filler.slice(0, 10) + '继续');
    expect(prompt).toContain('【用药】在用:瑞舒伐他汀');
    expect(Array.from(prompt).length).toBeLessThanOrEqual(PROMPT_SPEC.totalBudget);
  });

  it('puts the fact block first: labs, allergies, final drug status, plan clauses', () => {
    const prompt = buildPrompt({
      既往史: '磺胺类药物过敏。长期服用格华止0.5g tid。',
      现病史: '查HbA1c 9.8%，eGFR 24ml/min，血钾6.1mmol/L。',
      诊疗过程描述: '因eGFR<30，停用二甲双胍。加用SGLT2抑制剂，降压方案同前。出院带药：甘精胰岛素 12U qn',
      出院诊断: ['2型糖尿病'],
    });
    expect(prompt).toContain('【检验】eGFR24；K6.1；HbA1c9.8');
    expect(prompt).toContain('【警示】过敏:磺胺类');
    expect(prompt).toContain('【用药】出院:甘精胰岛素；停用:二甲双胍');
    expect(prompt).toContain('【计划】停用二甲双胍，加用SGLT2抑制剂，降压方案同前，出院带药');
  });

  it('omits the line when no candidate drug is mentioned', () => {
    expect(buildPrompt({ 主诉: '口干多饮', 出院诊断: ['2型糖尿病'] })).not.toContain('【用药】');
  });
});

describe('transformers.js tokenizer parity with Python', () => {
  it('encodes prompts and targets to the same ids', async () => {
    env.allowRemoteModels = false;
    env.allowLocalModels = true;
    env.localModelPath = fixturesDir + '/';
    const tokenizer = await AutoTokenizer.from_pretrained('tokenizer', { local_files_only: true });
    fixture.prompts.forEach((p, i) => {
      const ids = tokenizer.encode(p);
      expect(ids).toEqual(fixture.token_ids[i]);
    });
    fixture.targets.forEach((t, i) => {
      expect(tokenizer.encode(t.text, { add_special_tokens: false })).toEqual(fixture.target_token_ids[i]);
    });
    // decode round-trip of a prompt (no unknown chars in prompt 0)
    const first = fixture.token_ids[0] ?? [];
    expect(tokenizer.decode(first, { skip_special_tokens: true })).toBe(fixture.prompts[0]);
  });
});
