/**
 * Loads the micro fixture model (training/tests/fixtures/micro-model, written by
 * `/usr/bin/python3 training/make_fixtures.py`) with transformers.js exactly as the app does and
 * checks it against the PyTorch reference: fp32 logits within 1e-4, greedy generate() with the
 * KV cache equal to the full-recompute PyTorch greedy ids, and the q8 / q4 files load and stay close.
 * Not in vitest's default include: add 'training/node/**\/*.test.ts' to vitest.config.ts.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { AutoModelForCausalLM, AutoTokenizer, env } from '@huggingface/transformers';

const here = dirname(fileURLToPath(import.meta.url));
const fixturesDir = join(here, '..', 'tests', 'fixtures');

interface Reference {
  prompt: string;
  input_ids: number[];
  logits_all: number[][];
  greedy_new_tokens: number[];
}
const ref = JSON.parse(readFileSync(join(fixturesDir, 'micro-model', 'reference.json'), 'utf8')) as Reference;

async function load(dtype: 'fp32' | 'q8' | 'q4') {
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.localModelPath = fixturesDir + '/';
  const tokenizer = await AutoTokenizer.from_pretrained('micro-model', { local_files_only: true });
  const model = await AutoModelForCausalLM.from_pretrained('micro-model', { dtype, device: 'cpu', local_files_only: true });
  return { tokenizer, model };
}

function compare(logits: Float32Array, V: number) {
  let maxDiff = 0;
  let agree = 0;
  ref.logits_all.forEach((row, t) => {
    let best = 0;
    let bestRef = 0;
    for (let v = 0; v < V; v++) {
      const x = logits[t * V + v] ?? NaN;
      maxDiff = Math.max(maxDiff, Math.abs(x - (row[v] ?? NaN)));
      if (x > (logits[t * V + best] ?? -Infinity)) best = v;
      if ((row[v] ?? -Infinity) > (row[bestRef] ?? -Infinity)) bestRef = v;
    }
    if (best === bestRef) agree++;
  });
  return { maxDiff, top1: agree / ref.logits_all.length };
}

describe('exported micro model in transformers.js', () => {
  it('fp32: same ids, logits within 1e-4, generate() matches greedy reference', async () => {
    const { tokenizer, model } = await load('fp32');
    const inputs = tokenizer(ref.prompt);
    expect(Array.from(inputs.input_ids.data as BigInt64Array, Number)).toEqual(ref.input_ids);
    const out = await model(inputs);
    const dims = out.logits.dims as number[];
    expect(dims).toEqual([1, ref.input_ids.length, dims[2]]);
    const { maxDiff, top1 } = compare(out.logits.data as Float32Array, dims[2] ?? 0);
    expect(maxDiff).toBeLessThan(1e-4);
    expect(top1).toBe(1);
    const gen = await model.generate({ ...inputs, max_new_tokens: 5, min_new_tokens: 5, do_sample: false });
    const seq = Array.from((gen as { data: BigInt64Array }).data, Number);
    expect(seq.slice(ref.input_ids.length)).toEqual(ref.greedy_new_tokens);
    await model.dispose();
  });

  for (const dtype of ['q8', 'q4'] as const) {
    it(`${dtype}: loads and produces logits close to fp32`, async () => {
      const { tokenizer, model } = await load(dtype);
      const out = await model(tokenizer(ref.prompt));
      const dims = out.logits.dims as number[];
      const data = out.logits.data as Float32Array;
      expect(data.every((x) => Number.isFinite(x))).toBe(true);
      const { maxDiff, top1 } = compare(data, dims[2] ?? 0);
      // The micro model has large random weights (logits ~ +-10), so the bounds are loose;
      // trained models are measured by training/train.py (runs/<name>/export_report.json).
      expect(maxDiff).toBeLessThan(dtype === 'q8' ? 1.5 : 6);
      expect(top1).toBeGreaterThan(dtype === 'q8' ? 0.7 : 0.3);
      await model.dispose();
    });
  }
});
