/**
 * The host-KV step model (fixed-capacity slot arena, masked unfilled tails) against the
 * transformers.js adapter (contiguous present.* cache) on the shipped model with real
 * onnxruntime-node: the same logits, step by step, through the moves a beam search makes —
 * expansion, plain and multi-token steps, a permutation, a fork with drops, a shrink, capacity
 * growth — and on a second, shorter note whose slots still hold the first note's values.
 */
import { resolve } from 'node:path';
import { Tensor } from '@huggingface/transformers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCausalLmStepModel } from './causal-lm.ts';
import { createHostKvStepModel, type HostKvModel } from './host-kv-step-model.ts';
import { loadCausalLm, type LoadedCausalLm } from './load-causal-lm.ts';
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
  /** Attention masks the host-KV model fed: [rows, width] and how many zeros. */
  const masks: { width: number; zeros: number }[] = [];
  beforeAll(async () => {
    lm = await loadCausalLm(DIR, { dtype: 'q8', device: 'cpu' });
    expect(lm.hostKv).not.toBeNull();
    const real = lm.hostKv!;
    host = {
      ...real,
      run: (feeds, fetches) => {
        const mask = feeds['attention_mask'] as Tensor;
        masks.push({ width: mask.dims[1]!, zeros: Array.from(mask.data as BigInt64Array).filter((v) => v === 0n).length });
        return real.run(feeds, fetches);
      },
    };
  });
  afterAll(async () => {
    await lm?.model.dispose();
  });

  /** Token ids of a text without special tokens (any real ids do; these are the model's own). */
  const ids = (text: string) => lm.tokenizer.encode(text, { add_special_tokens: false });

  async function compare(prompt: string, moves: Move[]): Promise<number> {
    const a = createHostKvStepModel(host) as StepModel<unknown>;
    const b = createCausalLmStepModel({ forward: (i) => lm.model.forward(i) }) as StepModel<unknown>;
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
    const first = await compare('性别：男 年龄：67\n出院诊断：2型糖尿病;冠状动脉粥样硬化性心脏病;高血压病3级\n【出院带药】', moves);
    expect(first).toBeLessThan(TOL);
    // The fed masks hid an unfilled tail, and the capacity grew within the note.
    expect(masks.some((m) => m.zeros > 0)).toBe(true);
    expect(new Set(masks.slice(1).map((m) => m.width - 1)).size).toBeGreaterThan(1);
    // A second, shorter note through the same (pooled) arena: its slots' tails hold the first note's values.
    masks.length = 0;
    const second = await compare('性别：女 年龄：52\n出院诊断：痛风\n【出院带药】', moves.slice(0, 12));
    expect(second).toBeLessThan(TOL);
    expect(masks.some((m) => m.zeros > 0)).toBe(true);
  });
});
