/**
 * StepModel for CPU backends whose graph also returns each call's own K/V rows
 * (`new_key_values.N.*`): the session is run with only `logits` and those rows fetched, and the
 * cache lives in a reused KvArena of fixed-capacity slots (./kv-arena.ts says why). The
 * transformers.js adapter in ./causal-lm.ts stays the path for WebGPU (where the cache stays on
 * the GPU) and for graphs without the extra outputs; this one runs the same graph and gives the
 * same numbers up to float summation order (the slots' unfilled tails are fed, masked out).
 *
 * The arena's slot order is the batch order: beams are mapped to slots for the token feed and
 * back for the logits, so the decoder sees plain beam rows.
 *
 * No `node:` import: runs on onnxruntime-node and onnxruntime-web (WASM).
 */
import { Tensor } from '@huggingface/transformers';
import { KvArena, type ArenaCache, type KvLayout } from './kv-arena.ts';
import { int64, lastLogits, positions, slotMask } from './step-tensors.ts';
import type { StepModel, StepOutput } from './types.ts';

export const NEW_KV_PREFIX = 'new_key_values';

/** One session call that fetches only the named outputs. */
export type FetchRun = (feeds: Record<string, Tensor>, fetches: readonly string[]) => Promise<Record<string, Tensor>>;

/** A session the host-KV decoder can drive: its past inputs and a fetch-only run. */
export interface HostKvModel extends KvLayout {
  run: FetchRun;
}

/** `new_key_values.N.x` for `past_key_values.N.x`. */
export function newKvName(pastName: string): string {
  return pastName.replace(/^past_key_values/, NEW_KV_PREFIX);
}

/**
 * The host-KV description of a session, or null when its graph lacks the new K/V outputs (older
 * model folders and site models keep the transformers.js path).
 */
export function hostKvLayout(
  inputNames: readonly string[],
  outputNames: readonly string[],
  config: { num_key_value_heads?: number; num_attention_heads?: number; hidden_size?: number; head_dim?: number },
): KvLayout | null {
  const names = inputNames.filter((n) => n.startsWith('past_key_values.'));
  if (names.length === 0 || !names.every((n) => outputNames.includes(newKvName(n)))) return null;
  const heads = config.num_key_value_heads ?? config.num_attention_heads;
  const headDim = config.head_dim ?? (config.hidden_size && config.num_attention_heads ? config.hidden_size / config.num_attention_heads : undefined);
  if (!heads || !headDim || !Number.isInteger(headDim)) return null;
  return { names, heads, headDim };
}

/** Arenas are reused across notes (their memory is the point); one per concurrent decode. */
const pools = new WeakMap<HostKvModel, KvArena[]>();

export function createHostKvStepModel(model: HostKvModel): StepModel<ArenaCache> {
  const pool = pools.get(model) ?? [];
  pools.set(model, pool);
  const arena = pool.pop() ?? new KvArena(model);
  const fetches = ['logits', ...model.names.map(newKvName)];
  let released = false;

  const feed = async (cache: ArenaCache, tokenIds: readonly (readonly number[])[]): Promise<StepOutput<ArenaCache>> => {
    const rows = tokenIds.length;
    if (rows !== cache.rows) throw new Error(`step: ${rows} token runs for ${cache.rows} beams`);
    const T = tokenIds[0]?.length ?? 0;
    if (T < 1 || tokenIds.some((run) => run.length !== T)) throw new Error('step: every beam needs the same number (≥ 1) of tokens');
    const past = arena.past(cache);
    const [, , capacity] = past.dims;
    // Batch row s is slot s; slots[beam] says which one holds the beam.
    const ids = new Array<number>(rows * T);
    past.slots.forEach((s, beam) => {
      for (let t = 0; t < T; t++) ids[s * T + t] = tokenIds[beam]![t]!;
    });
    const feeds: Record<string, Tensor> = {
      input_ids: int64(ids, [rows, T]),
      attention_mask: slotMask(rows, past.length, capacity, T),
      position_ids: positions(rows, past.length, T),
    };
    model.names.forEach((name, k) => {
      feeds[name] = new Tensor('float32', past.data[k]!, [...past.dims]);
    });
    const out = await model.run(feeds, fetches);
    const slotLogits = await lastLogits(out['logits']!);
    const logits = past.slots.map((s) => slotLogits[s]!);
    const rowsOut = model.names.map((name) => out[newKvName(name)]!.data as Float32Array);
    return { logits, cache: arena.append(cache, rowsOut, T) };
  };

  return {
    start(promptIds) {
      if (promptIds.length === 0) throw new Error('empty prompt');
      return feed(arena.reset(), [promptIds]);
    },
    step: (cache, tokenIds) => feed(cache, tokenIds.map((t) => [t])),
    stepMany: (cache, tokenIds) => feed(cache, tokenIds),
    selectBeams: (cache, indices) => Promise.resolve(arena.selectRows(cache, indices)),
    release() {
      if (released) return;
      released = true;
      pool.push(arena);
    },
  };
}
