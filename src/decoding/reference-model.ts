/**
 * Reference `StepModel` with no KV cache: every call recomputes the next-token scores from
 * the full token sequence of each beam. Used by the tests (with a fake scoring function) and
 * as the semantic reference the KV-cache adapter must match.
 */

import type { LogitsRow, StepModel, StepOutput } from './types.ts';

/** Scores of the next token given the whole sequence (prompt + generated). */
export type SequenceScorer = (ids: readonly number[]) => LogitsRow | Promise<LogitsRow>;

export interface RecomputeStepModel extends StepModel<readonly (readonly number[])[]> {
  /** Number of scorer calls so far (one per beam per step). */
  readonly calls: number;
}

export function createRecomputeModel(scorer: SequenceScorer): RecomputeStepModel {
  let calls = 0;
  type Cache = readonly (readonly number[])[];
  const run = async (cache: Cache): Promise<StepOutput<Cache>> => {
    const logits: LogitsRow[] = [];
    for (const seq of cache) {
      calls++;
      logits.push(await scorer(seq));
    }
    return { logits, cache };
  };
  return {
    get calls() {
      return calls;
    },
    start: (promptIds) => run([promptIds.slice()]),
    step: (cache, tokenIds) => {
      if (tokenIds.length !== cache.length) {
        throw new Error(`step: ${tokenIds.length} tokens for ${cache.length} beams`);
      }
      return run(cache.map((seq, i) => [...seq, tokenIds[i]!]));
    },
    selectBeams: async (cache, indices) =>
      indices.map((i) => {
        const row = cache[i];
        if (!row) throw new Error(`selectBeams: no beam ${i}`);
        return row;
      }),
  };
}
