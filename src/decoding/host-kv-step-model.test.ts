/**
 * The host-KV step model (shared prompt prefix fed once, each beam's generated suffix in a
 * fixed-capacity slot arena with masked unfilled tails) against the transformers.js adapter
 * (contiguous present.* cache, empty prefix) and against the arena without a shared prefix (the
 * previous decoder: the prompt in every slot) on the shipped model with real onnxruntime-node:
 * the same logits, step by step, through the moves a beam search makes — expansion, plain and
 * multi-token steps, a permutation, a fork with drops, a shrink, capacity growth — and on a
 * second, shorter note whose slots still hold the first note's values. Then whole decodes of
 * committed notes through the three give the same lists, trajectories and scores.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Tensor } from '@huggingface/transformers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCausalLmStepModel } from './causal-lm.ts';
import { Formulary } from '../clinical/formulary.ts';
import { PROMPT_SPEC } from '../clinical/prompt.ts';
import type { ForwardModel } from './causal-lm.ts';
import { createHostKvStepModel, type HostKvModel } from './host-kv-step-model.ts';
import { searchOptions } from './policy.ts';
import { recommendForRecord } from './recommend-record.ts';
import { decodingModel, loadCausalLm, type LoadedCausalLm } from './load-causal-lm.ts';
import type { LogitsRow, StepModel, StepOutput } from './types.ts';

const DIR = resolve(import.meta.dirname, '../../models/dischargerx-small');
/** The adapters' tolerance against each other elsewhere (causal-lm.test.ts). */
const TOL = 1e-4;

function maxAbsDiff(a: LogitsRow, b: LogitsRow): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

type Move = { select: number[] } | { tokens: number[][] };

describe('host-KV step model on the shipped model (q8, onnxruntime-node)', () => {
  let lm: LoadedCausalLm;
  let host: HostKvModel;
  /** Attention masks the host-KV model fed: [rows, width] and how many zeros; prefix and past lengths. */
  const masks: { width: number; zeros: number; prefix: number; past: number; rows: number }[] = [];
  beforeAll(async () => {
    lm = await loadCausalLm(DIR, { dtype: 'q8', device: 'cpu' });
    expect(lm.hostKv).not.toBeNull();
    const real = lm.hostKv!;
    host = {
      ...real,
      run: (feeds, fetches) => {
        const mask = feeds['attention_mask'] as Tensor;
        masks.push({
          width: mask.dims[1]!,
          zeros: Array.from(mask.data as BigInt64Array).filter((v) => v === 0n).length,
          prefix: (feeds['prefix_key_values.0.key'] as Tensor).dims[2]!,
          past: (feeds['past_key_values.0.key'] as Tensor).dims[2]!,
          rows: mask.dims[0]!,
        });
        return real.run(feeds, fetches);
      },
    };
  });
  afterAll(async () => {
    await lm?.model.dispose();
  });

  /** Token ids of a text without special tokens (any real ids do; these are the model's own). */
  const ids = (text: string) => lm.tokenizer.encode(text, { add_special_tokens: false });

  /** Worst |logit diff| of the shared-prefix host model against `reference` over the moves. */
  async function compare(prompt: string, moves: Move[], reference: 'contiguous' | 'no-prefix' = 'contiguous'): Promise<number> {
    const a = createHostKvStepModel(host) as StepModel<unknown>;
    const b = (reference === 'contiguous' ? createCausalLmStepModel(lm.model) : createHostKvStepModel({ ...lm.hostKv!, sharedPrefix: false })) as StepModel<unknown>;
    const promptIds = lm.tokenizer.encode(prompt, { add_special_tokens: true });
    let x: StepOutput<unknown> = await a.start(promptIds);
    let y: StepOutput<unknown> = await b.start(promptIds);
    let worst = maxAbsDiff(x.logits[0]!, y.logits[0]!);
    for (const move of moves) {
      if ('select' in move) {
        x = { logits: move.select.map((i) => x.logits[i]!), cache: await a.selectBeams(x.cache, move.select) };
        y = { logits: move.select.map((i) => y.logits[i]!), cache: await b.selectBeams(y.cache, move.select) };
        continue;
      }
      x = move.tokens[0]!.length === 1 ? await a.step(x.cache, move.tokens.map((t) => t[0]!)) : await a.stepMany!(x.cache, move.tokens);
      y = move.tokens[0]!.length === 1 ? await b.step(y.cache, move.tokens.map((t) => t[0]!)) : await b.stepMany!(y.cache, move.tokens);
      expect(x.logits).toHaveLength(move.tokens.length);
      for (let r = 0; r < x.logits.length; r++) worst = Math.max(worst, maxAbsDiff(x.logits[r]!, y.logits[r]!));
      // Beams fed different tokens get different logits (the comparison is not vacuous).
      if (x.logits.length > 1 && move.tokens[0]!.join() !== move.tokens[1]!.join()) expect(maxAbsDiff(x.logits[0]!, x.logits[1]!)).toBeGreaterThan(1e-2);
    }
    a.release?.(x.cache);
    b.release?.(y.cache);
    return worst;
  }

  it('gives the contiguous cache’s logits through expand, steps, permutation, fork, shrink and growth, on two notes', async () => {
    const [d1, d2, d3, d4] = [ids('二甲双胍'), ids('阿托伐他汀'), ids('氯吡格雷'), ids('硝苯地平')];
    const one = (...cols: number[]) => cols.map((t) => [t]);
    const moves: Move[] = [
      { select: [0, 0, 0, 0] },
      { tokens: one(d1[0]!, d2[0]!, d3[0]!, d4[0]!) },
      { tokens: [d1.slice(1, 3), d2.slice(1, 3), d3.slice(1, 3), d4.slice(1, 3)] },
      { select: [2, 3, 1, 0] },
      { tokens: one(d1[3]!, d2[3]!, d3[3]!, d4[3]!) },
      { select: [0, 0, 1, 0] },
      { tokens: one(d2[0]!, d3[0]!, d4[0]!, d1[0]!) },
      { select: [3, 1] },
    ];
    // Past the first chunk of spare capacity and the next: about 70 more tokens on 2 beams.
    const a = [...d1, ...d2, ...d3, ...d4];
    const b = [...d4, ...d3, ...d2, ...d1];
    for (let i = 0; i + 4 <= a.length && i + 4 <= b.length; i += 4) moves.push({ tokens: [a.slice(i, i + 4), b.slice(i, i + 4)] });
    for (let rep = 0; rep < 5; rep++) for (let i = 0; i < Math.min(a.length, b.length); i++) moves.push({ tokens: one(a[i]!, b[i]!) });
    const text = '性别：男 年龄：67\n出院诊断：2型糖尿病;冠状动脉粥样硬化性心脏病;高血压病3级\n【出院带药】';
    const first = await compare(text, moves);
    expect(first).toBeLessThan(TOL);
    // The prompt ran alone with an empty prefix; every later call fed the prompt once as the
    // prefix and only the generated suffix per beam, the slots' unfilled tails masked.
    const n = lm.tokenizer.encode(text, { add_special_tokens: true }).length;
    expect(masks[0]).toMatchObject({ prefix: 0, past: 0, rows: 1, width: n });
    expect(masks[1]!.past).toBe(0); // the arena starts empty after the prompt
    for (const m of masks.slice(1)) {
      expect(m.prefix).toBe(n);
      expect(m.width - m.prefix - m.past).toBeGreaterThanOrEqual(1); // + this call's tokens
      expect(m.width - m.prefix - m.past).toBeLessThanOrEqual(4);
    }
    expect(masks.some((m) => m.zeros > 0)).toBe(true);
    // The capacity grew within the note.
    expect(new Set(masks.slice(1).map((m) => m.past)).size).toBeGreaterThan(1);
    // The same against the arena without a shared prefix (the previous decoder on this graph).
    expect(await compare(text, moves, 'no-prefix')).toBeLessThan(TOL);
    // A second, shorter note through the same (pooled) arena: its slots' tails hold the first note's values.
    masks.length = 0;
    const second = await compare('性别：女 年龄：52\n出院诊断：痛风\n【出院带药】', moves.slice(0, 12));
    expect(second).toBeLessThan(TOL);
    expect(masks.some((m) => m.zeros > 0)).toBe(true);
  });

  it('decodes committed notes to the same lists, trajectories and scores as the contiguous cache and the arena without a prefix', async () => {
    const ROOT = resolve(import.meta.dirname, '../..');
    const lines = (file: string, n: number) =>
      readFileSync(resolve(ROOT, file), 'utf8').split('\n').filter((l) => l.trim()).slice(0, n).map((l) => JSON.parse(l) as Record<string, unknown>);
    // Synthetic notes in the training format and hand-written ones (other wording, longer prompts).
    const records = [...lines('training/tests/fixtures/tiny/test.jsonl', 16), ...lines('eval/handwritten/records.jsonl', 16)];
    const config = JSON.parse(readFileSync(resolve(DIR, 'decoding.json'), 'utf8')) as Parameters<typeof searchOptions>[0];
    const shared = decodingModel(lm);
    const noPrefix: ForwardModel = { ...shared, hostKv: { ...lm.hostKv!, sharedPrefix: false } };
    const contiguous: ForwardModel = { ...shared, hostKv: null };
    const decode = (model: ForwardModel, record: Record<string, unknown>) =>
      recommendForRecord({ model, tokenizer: lm.tokenizer, record, candidates: Formulary.bundled().names, format: PROMPT_SPEC.target, options: searchOptions(config) });
    let worst = 0;
    for (const record of records) {
      const a = await decode(shared, record);
      for (const model of [noPrefix, contiguous]) {
        const b = await decode(model, record);
        expect(a.trajectory.map((d) => d.name)).toEqual(b.trajectory.map((d) => d.name));
        expect(a.steps).toBe(b.steps);
        worst = Math.max(worst, Math.abs(a.score - b.score));
      }
    }
    expect(worst).toBeLessThan(TOL);
  }, 300_000);
});
