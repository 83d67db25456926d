/**
 * Prompt parity: src/clinical/prompt.ts must produce exactly the text that
 * training/dischargerx_train/prompt.py produced for the fixture records, and transformers.js must
 * tokenize it to exactly the ids the Python char tokenizer produced.
 * Regenerate the fixture with `/usr/bin/python3 training/make_fixtures.py`.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { AutoTokenizer, env } from '@huggingface/transformers';
import { PROMPT_SPEC_VERSION, buildPrompt, formatTarget, type PromptRecord } from './prompt.ts';

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

describe('prompt parity with Python', () => {
  it('uses the same prompt-spec version', () => {
    expect(fixture.spec_version).toBe(PROMPT_SPEC_VERSION);
  });

  fixture.records.forEach((record, i) => {
    it(`buildPrompt matches Python for record ${String(record['就诊标识'] ?? i)}`, () => {
      expect(buildPrompt(record)).toBe(fixture.prompts[i]);
    });
  });

  it('respects the total budget in code points', () => {
    for (const p of fixture.prompts) expect(Array.from(p).length).toBeLessThanOrEqual(384);
  });

  it('formatTarget matches Python', () => {
    for (const t of fixture.targets) {
      expect(formatTarget(t.drugs, t.order ?? undefined)).toBe(t.text);
    }
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
