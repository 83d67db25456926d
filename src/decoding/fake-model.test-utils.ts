/** Test helpers: a character-level fake tokenizer and fake scorers. Not shipped code. */

import { createRecomputeModel, type RecomputeStepModel } from './reference-model.ts';

export const PAD = 0;
export const UNK = 1;
export const SEP = 2;
export const EOS = 3;

export interface FakeTokenizer {
  vocab: string[];
  encode: (s: string) => number[];
  decode: (ids: readonly number[]) => string;
  id: (ch: string) => number;
}

/** Char-level tokenizer over the given alphabet (plus 'X', a char no name uses). */
export function fakeTokenizer(alphabet: string): FakeTokenizer {
  const vocab = ['<pad>', '<unk>', '、', '</s>'];
  for (const ch of new Set([...alphabet, 'X'])) vocab.push(ch);
  const index = new Map(vocab.map((v, i) => [v, i]));
  const encode = (s: string) => [...s].map((ch) => index.get(ch) ?? UNK);
  const decode = (ids: readonly number[]) => ids.map((i) => vocab[i] ?? '?').join('');
  const id = (ch: string) => {
    const i = index.get(ch);
    if (i === undefined) throw new Error(`no token ${ch}`);
    return i;
  };
  return { vocab, encode, decode, id };
}

/** Deterministic PRNG (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function hashSeq(ids: readonly number[], seed: number): number {
  let h = 2166136261 ^ seed;
  for (const x of ids) {
    h ^= x + 0x9e3779b9;
    h = Math.imul(h, 16777619);
  }
  return h >>> 0;
}

/** Random but deterministic logits as a function of the whole sequence. */
export function randomModel(vocabSize: number, seed: number, scale = 4): RecomputeStepModel {
  return createRecomputeModel((ids) => {
    const r = rng(hashSeq(ids, seed));
    return Float32Array.from({ length: vocabSize }, () => (r() - 0.5) * 2 * scale);
  });
}

/**
 * A model that wants to write `target` (a token sequence after the prompt): the next target
 * token gets `strength`, everything else 0, except `bias` entries added always (e.g. a strong
 * preference for a forbidden token).
 */
export function scriptedModel(
  vocabSize: number,
  promptLength: number,
  next: (generated: readonly number[]) => Partial<Record<number, number>>,
): RecomputeStepModel {
  return createRecomputeModel((ids) => {
    const row = new Float32Array(vocabSize);
    for (const [k, v] of Object.entries(next(ids.slice(promptLength)))) if (v !== undefined) row[Number(k)] = v;
    return row;
  });
}
