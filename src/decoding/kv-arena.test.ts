import { describe, expect, it } from 'vitest';
import { KvArena, StaleKvCacheError, type ArenaCache } from './kv-arena.ts';
import { rng } from './fake-model.test-utils.ts';

const HEADS = 2;
const D = 3;
const NAMES = ['past_key_values.0.key', 'past_key_values.0.value'];

/** Reference cache: plain nested arrays [row][head][pos][d], concatenated and gathered naively. */
type Ref = number[][][][];

function randomRows(rows: number, T: number, next: () => number): { flat: Float32Array; ref: Ref } {
  const flat = new Float32Array(rows * HEADS * T * D);
  for (let i = 0; i < flat.length; i++) flat[i] = Math.round(next() * 1000) / 10;
  const ref: Ref = [];
  for (let r = 0; r < rows; r++) {
    ref.push([]);
    for (let h = 0; h < HEADS; h++) {
      ref[r]!.push([]);
      for (let t = 0; t < T; t++) ref[r]![h]!.push(Array.from(flat.subarray(((r * HEADS + h) * T + t) * D, ((r * HEADS + h) * T + t + 1) * D)));
    }
  }
  return { flat, ref };
}

function flatten(ref: Ref): number[] {
  return ref.flat(3);
}

describe('KvArena', () => {
  it('equals naive concatenation and gathering through a beam-search-like sequence', () => {
    const next = rng(11);
    const arena = new KvArena({ names: NAMES, heads: HEADS, headDim: D });
    for (const note of [0, 1]) {
      let cache: ArenaCache = arena.reset();
      let refs: Ref[] = NAMES.map(() => [[[], []]]);
      const check = () => {
        const past = arena.past(cache);
        expect(past.dims).toEqual([cache.rows, HEADS, cache.pastLength, D]);
        past.data.forEach((d, k) => expect(Array.from(d)).toEqual(flatten(refs[k]!)));
      };
      // prompt, expand to 3 beams, then steps of 1 and 2 tokens with reorders, duplicates and a drop
      const plan: { select?: number[]; tokens: number }[] = [
        { tokens: 5 + note },
        { select: [0, 0, 0], tokens: 1 },
        { select: [2, 0, 1], tokens: 1 },
        { select: [1, 1, 0], tokens: 2 },
        { tokens: 1 },
        { select: [2, 0], tokens: 3 },
        { select: [1, 1, 0, 0], tokens: 1 },
      ];
      for (const stepPlan of plan) {
        if (stepPlan.select) {
          cache = arena.selectRows(cache, stepPlan.select);
          refs = refs.map((ref) => stepPlan.select!.map((r) => structuredClone(ref[r]!)));
        }
        check();
        const outs = NAMES.map(() => randomRows(cache.rows, stepPlan.tokens, next));
        cache = arena.append(cache, outs.map((o) => o.flat), stepPlan.tokens);
        refs = refs.map((ref, k) => ref.map((row, r) => row.map((head, h) => [...head, ...outs[k]!.ref[r]![h]!])));
        expect(cache.pastLength).toBe(refs[0]![0]![0]!.length);
      }
      check();
    }
  });

  it('rejects a stale handle, a wrong-sized append and an out-of-range row', () => {
    const arena = new KvArena({ names: NAMES, heads: HEADS, headDim: D });
    const first = arena.reset();
    const second = arena.append(first, NAMES.map(() => new Float32Array(HEADS * 2 * D)), 2);
    expect(() => arena.past(first)).toThrow(StaleKvCacheError);
    expect(() => arena.selectRows(second, [1])).toThrow(RangeError);
    const third = arena.selectRows(second, [0, 0]);
    arena.past(third);
    expect(() => arena.append(third, NAMES.map(() => new Float32Array(3)), 1)).toThrow(/expected 2 new K\/V tensors of 12 values/);
  });
});
