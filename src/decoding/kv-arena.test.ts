import { describe, expect, it } from 'vitest';
import { KvArena, StaleKvCacheError, type ArenaCache } from './kv-arena.ts';
import { rng } from './fake-model.test-utils.ts';

const HEADS = 2;
const D = 3;
const NAMES = ['past_key_values.0.key', 'past_key_values.0.value'];

/** Reference cache: plain nested arrays [beam][head][pos][d], concatenated and gathered naively. */
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

/** Each beam's filled positions read out of the slot buffers, as [beam][head][pos][d]. */
function readBeams(arena: KvArena, cache: ArenaCache): Ref[] {
  const past = arena.past(cache);
  const [rows, heads, cap, d] = past.dims;
  expect(rows).toBe(cache.rows);
  expect(heads).toBe(HEADS);
  expect(d).toBe(D);
  expect(cap).toBeGreaterThanOrEqual(past.length);
  expect(past.length).toBe(cache.pastLength);
  expect([...past.slots].sort()).toEqual(Array.from({ length: rows }, (_, i) => i));
  return past.data.map((data) => {
    expect(data.length).toBe(rows * heads * cap * d);
    return past.slots.map((s) =>
      Array.from({ length: heads }, (_, h) =>
        Array.from({ length: past.length }, (_, t) => Array.from(data.subarray(((s * heads + h) * cap + t) * d, ((s * heads + h) * cap + t + 1) * d))),
      ),
    );
  });
}

/** Feed the arena `rows` new tokens (outputs in slot order, as the session returns them). */
/** Beam selection on the arena and on the reference cache alike. */
function selectStep(arena: KvArena, cache: ArenaCache, refs: Ref[], rows: readonly number[]): { cache: ArenaCache; refs: Ref[] } {
  return { cache: arena.selectRows(cache, rows), refs: refs.map((ref) => rows.map((r) => structuredClone(ref[r]!))) };
}

function appendStep(arena: KvArena, cache: ArenaCache, refs: Ref[], T: number, next: () => number): { cache: ArenaCache; refs: Ref[] } {
  const past = arena.past(cache);
  const outs = NAMES.map(() => randomRows(cache.rows, T, next));
  const updated = refs.map((ref, k) => ref.map((beam, b) => beam.map((head, h) => [...head, ...outs[k]!.ref[past.slots[b]!]![h]!])));
  return { cache: arena.append(cache, outs.map((o) => o.flat), T), refs: updated };
}

describe('KvArena (fixed-capacity slots)', () => {
  it('equals naive concatenation and gathering through a beam-search-like sequence, across notes and growths', () => {
    const next = rng(11);
    // A chunk of 2 positions makes the capacity grow several times within a note.
    const arena = new KvArena({ names: NAMES, heads: HEADS, headDim: D }, 2);
    for (const note of [0, 1]) {
      let cache: ArenaCache = arena.reset();
      let refs: Ref[] = NAMES.map(() => [[[], []]]);
      // prompt, expand to 3 beams, then steps of 1–3 tokens with reorders, duplicates, drops and a regrowth
      const plan: { select?: number[]; tokens: number }[] = [
        { tokens: 6 - note * 2 },
        { select: [0, 0, 0], tokens: 1 },
        { select: [2, 0, 1], tokens: 1 },
        { select: [1, 1, 0], tokens: 2 },
        { tokens: 1 },
        { select: [2, 0], tokens: 3 },
        { select: [1, 1, 0, 0], tokens: 1 },
        { select: [3], tokens: 2 },
        { select: [0, 0, 0, 0], tokens: 1 },
      ];
      for (const stepPlan of plan) {
        if (stepPlan.select) {
          ({ cache, refs } = selectStep(arena, cache, refs, stepPlan.select));
        }
        expect(readBeams(arena, cache)).toEqual(refs);
        ({ cache, refs } = appendStep(arena, cache, refs, stepPlan.tokens, next));
        expect(cache.pastLength).toBe(refs[0]![0]![0]!.length);
      }
      expect(readBeams(arena, cache)).toEqual(refs);
    }
    expect(arena.stats.relayouts).toBeGreaterThan(4);
  });

  it('a permutation moves no data; a fork copies only into the extra children’s slots', () => {
    const next = rng(5);
    const arena = new KvArena({ names: NAMES, heads: HEADS, headDim: D });
    let cache = arena.reset();
    let refs: Ref[] = NAMES.map(() => [[[], []]]);
    ({ cache, refs } = appendStep(arena, cache, refs, 4, next));
    // 1 → 4 beams: beam 0 keeps slot 0, three copies.
    ({ cache, refs } = selectStep(arena, cache, refs, [0, 0, 0, 0]));
    expect(arena.stats.slotCopies).toBe(3);
    ({ cache, refs } = appendStep(arena, cache, refs, 1, next));
    const before = arena.past(cache);
    const snapshot = before.data.map((d) => Float32Array.from(d));
    const slotsBefore = [...before.slots];
    // Pure permutation: every beam keeps its slot, the buffers are untouched.
    const perm = [2, 3, 1, 0];
    ({ cache, refs } = selectStep(arena, cache, refs, perm));
    const after = arena.past(cache);
    expect(arena.stats.slotCopies).toBe(3);
    expect(after.slots).toEqual(perm.map((p) => slotsBefore[p]));
    after.data.forEach((d, k) => expect(d).toEqual(snapshot[k]));
    expect(readBeams(arena, cache)).toEqual(refs);
    // Beam 0 forks into 3, beams 2 and 3 die: two copies into their slots, beam 1 stays put.
    const fork = [0, 0, 1, 0];
    const slotOfOne = after.slots[1];
    ({ cache, refs } = selectStep(arena, cache, refs, fork));
    expect(arena.stats.slotCopies).toBe(5);
    expect(arena.past(cache).slots[0]).toBe(after.slots[0]);
    expect(arena.past(cache).slots[2]).toBe(slotOfOne);
    expect(readBeams(arena, cache)).toEqual(refs);
  });

  it('shrinks to the low slots: beams above the new count move down, the others stay', () => {
    const next = rng(9);
    const arena = new KvArena({ names: NAMES, heads: HEADS, headDim: D });
    let cache = arena.reset();
    let refs: Ref[] = NAMES.map(() => [[[], []]]);
    ({ cache, refs } = appendStep(arena, cache, refs, 3, next));
    ({ cache, refs } = selectStep(arena, cache, refs, [0, 0, 0, 0]));
    ({ cache, refs } = appendStep(arena, cache, refs, 2, next));
    const copies = arena.stats.slotCopies;
    const slots = [...arena.past(cache).slots];
    const inSlot = (s: number) => slots.indexOf(s);
    // Keep the beams in slots 3 and 0: the first stays, the one in slot 3 moves to slot 1.
    const keep = [inSlot(3), inSlot(0)];
    ({ cache, refs } = selectStep(arena, cache, refs, keep));
    expect(arena.past(cache).slots).toEqual([1, 0]);
    expect(arena.stats.slotCopies).toBe(copies + 1);
    expect(arena.past(cache).dims[0]).toBe(2);
    expect(readBeams(arena, cache)).toEqual(refs);
    ({ cache, refs } = appendStep(arena, cache, refs, 1, next));
    expect(readBeams(arena, cache)).toEqual(refs);
  });

  it('grows the capacity in chunks and keeps the unfilled tail out of the filled length', () => {
    const next = rng(3);
    const arena = new KvArena({ names: NAMES, heads: HEADS, headDim: D }, 4);
    let cache = arena.reset();
    let refs: Ref[] = NAMES.map(() => [[[], []]]);
    ({ cache, refs } = appendStep(arena, cache, refs, 5, next));
    expect(arena.past(cache).dims[2]).toBe(9);
    ({ cache, refs } = selectStep(arena, cache, refs, [0, 0]));
    for (let i = 0; i < 4; i++) ({ cache, refs } = appendStep(arena, cache, refs, 1, next));
    expect(arena.past(cache).dims[2]).toBe(9);
    expect(arena.stats.relayouts).toBe(1);
    ({ cache, refs } = appendStep(arena, cache, refs, 2, next));
    expect(arena.past(cache).dims[2]).toBe(15);
    expect(arena.stats.relayouts).toBe(2);
    expect(readBeams(arena, cache)).toEqual(refs);
  });

  it('rejects a stale handle, an append without a fed past, a wrong-sized append and an out-of-range row', () => {
    const arena = new KvArena({ names: NAMES, heads: HEADS, headDim: D });
    const first = arena.reset();
    arena.past(first);
    const second = arena.append(first, NAMES.map(() => new Float32Array(HEADS * 2 * D)), 2);
    expect(() => arena.past(first)).toThrow(StaleKvCacheError);
    expect(() => arena.selectRows(first, [0])).toThrow(StaleKvCacheError);
    expect(() => arena.selectRows(second, [1])).toThrow(RangeError);
    const third = arena.selectRows(second, [0, 0]);
    expect(() => arena.append(third, NAMES.map(() => new Float32Array(2 * HEADS * D)), 1)).toThrow(/append before the past was fed/);
    arena.past(third);
    expect(() => arena.append(third, NAMES.map(() => new Float32Array(3)), 1)).toThrow(/expected 2 new K\/V tensors of 12 values/);
  });
});
