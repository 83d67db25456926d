/**
 * StepModel for CPU backends whose graph also returns each call's own K/V rows
 * (`new_key_values.N.*`): the session is run with only `logits` and those rows fetched, and the
 * cache lives in a reused KvArena of fixed-capacity slots (./kv-arena.ts says why). The
 * transformers.js adapter in ./causal-lm.ts stays the path for WebGPU (where the cache stays on
 * the GPU) and for graphs without the extra outputs; this one runs the same graph and gives the
 * same numbers up to float summation order (the slots' unfilled tails are fed, masked out).
 *
 * Shared prefix (graphs with `prefix_key_values.N.*` inputs, docs/decoding.md): the prompt runs
 * once with batch 1 and its K/V rows become the prefix every later call feeds once, [1, heads,
 * prompt, headDim], for all beams; the arena then holds only the generated suffix of each beam.
 * Why: every beam shares the ~330–400-token prompt, and feeding it per beam copied ~6 MB into the
 * runtime (WASM heap) and again inside the graph on every call (issue #10). The attention mask
 * then covers prefix + slot capacity + new tokens, and position ids count the prefix.
 *
 * The arena's slot order is the batch order: beams are mapped to slots for the token feed and
 * back for the logits, so the decoder sees plain beam rows.
 *
 * No `node:` import: runs on onnxruntime-node and onnxruntime-web (WASM).
 */
import { Tensor } from '@huggingface/transformers';
import { KvArena, type ArenaCache, type KvLayout } from './kv-arena.ts';
import { int64, lastLogits, positions, slotMask } from './step-tensors.ts';
import type { LogitsRow, StepModel, StepOutput } from './types.ts';

export const NEW_KV_PREFIX = 'new_key_values';
export const PREFIX_KV_PREFIX = 'prefix_key_values';

/** One session call that fetches only the named outputs. */
export type FetchRun = (feeds: Record<string, Tensor>, fetches: readonly string[]) => Promise<Record<string, Tensor>>;

/** A graph's K/V inputs: the per-row past, and the shared prefix when the graph has one. */
export interface HostKvLayout extends KvLayout {
  /** `prefix_key_values.N.x` for each of `names`, in the same order; null on older graphs. */
  prefixNames: readonly string[] | null;
}

/** A session the host-KV decoder can drive: its K/V inputs and a fetch-only run. */
export interface HostKvModel extends HostKvLayout {
  run: FetchRun;
  /**
   * Feed the prompt's K/V once as the shared prefix (default: when the graph has prefix inputs).
   * false runs such a graph as the previous decoder did (empty prefix, the prompt in every slot):
   * the tests and the bench compare the two.
   */
  sharedPrefix?: boolean;
}

/** `new_key_values.N.x` for `past_key_values.N.x`. */
export function newKvName(pastName: string): string {
  return pastName.replace(/^past_key_values/, NEW_KV_PREFIX);
}

/** `prefix_key_values.N.x` for `past_key_values.N.x`. */
export function prefixKvName(pastName: string): string {
  return pastName.replace(/^past_key_values/, PREFIX_KV_PREFIX);
}

type KvConfig = { num_key_value_heads?: number; num_attention_heads?: number; hidden_size?: number; head_dim?: number };

/** K/V heads and head size from a model config, or null when it does not say. */
export function kvShape(config: KvConfig): { heads: number; headDim: number } | null {
  const heads = config.num_key_value_heads ?? config.num_attention_heads;
  const headDim = config.head_dim ?? (config.hidden_size && config.num_attention_heads ? config.hidden_size / config.num_attention_heads : undefined);
  if (!heads || !headDim || !Number.isInteger(headDim)) return null;
  return { heads, headDim };
}

/**
 * The prefix inputs of a graph (`prefix_key_values.N.x` for every past input), or null when it
 * has none: every graph generation before issue #10's shared prefix, site models included.
 */
export function prefixInputNames(inputNames: readonly string[]): string[] | null {
  const past = inputNames.filter((n) => n.startsWith('past_key_values.'));
  if (past.length === 0) return null;
  const prefix = past.map(prefixKvName);
  return prefix.every((n) => inputNames.includes(n)) ? prefix : null;
}

/**
 * The host-KV description of a session, or null when its graph lacks the new K/V outputs (older
 * model folders and site models keep the transformers.js path).
 */
export function hostKvLayout(inputNames: readonly string[], outputNames: readonly string[], config: KvConfig): HostKvLayout | null {
  const names = inputNames.filter((n) => n.startsWith('past_key_values.'));
  if (names.length === 0 || !names.every((n) => outputNames.includes(newKvName(n)))) return null;
  const shape = kvShape(config);
  if (!shape) return null;
  return { names, ...shape, prefixNames: prefixInputNames(inputNames) };
}

/** Arenas are reused across notes (their memory is the point); one per concurrent decode. */
const pools = new WeakMap<HostKvModel, KvArena[]>();

export function createHostKvStepModel(model: HostKvModel): StepModel<ArenaCache> {
  const pool = pools.get(model) ?? [];
  pools.set(model, pool);
  const arena = pool.pop() ?? new KvArena(model);
  const fetches = ['logits', ...model.names.map(newKvName)];
  const prefixNames = model.prefixNames;
  const shared = prefixNames !== null && model.sharedPrefix !== false;
  const { heads, headDim } = model;
  const emptyPrefix = (): Tensor[] => model.names.map(() => new Tensor('float32', new Float32Array(0), [1, heads, 0, headDim]));
  /** This note's prefix tensors (one per past name) and their length; empty until the prompt ran. */
  let prefix: Tensor[] = emptyPrefix();
  let prefixLength = 0;
  let released = false;

  /** One session call for `cache`'s beams; the new K/V rows in batch-row (slot) order. */
  const call = async (cache: ArenaCache, tokenIds: readonly (readonly number[])[]): Promise<{ logits: LogitsRow[]; rowsOut: Float32Array[]; T: number }> => {
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
      attention_mask: slotMask(rows, past.length, capacity, T, prefixLength),
      position_ids: positions(rows, prefixLength + past.length, T),
    };
    model.names.forEach((name, k) => {
      feeds[name] = new Tensor('float32', past.data[k]!, [...past.dims]);
      if (prefixNames) feeds[prefixNames[k]!] = prefix[k]!;
    });
    const out = await model.run(feeds, fetches);
    const slotLogits = await lastLogits(out['logits']!);
    const logits = past.slots.map((s) => slotLogits[s]!);
    const rowsOut = model.names.map((name) => out[newKvName(name)]!.data as Float32Array);
    return { logits, rowsOut, T };
  };

  const feed = async (cache: ArenaCache, tokenIds: readonly (readonly number[])[]): Promise<StepOutput<ArenaCache>> => {
    const { logits, rowsOut, T } = await call(cache, tokenIds);
    return { logits, cache: arena.append(cache, rowsOut, T) };
  };

  return {
    async start(promptIds) {
      if (promptIds.length === 0) throw new Error('empty prompt');
      prefix = emptyPrefix();
      prefixLength = 0;
      if (!shared) return feed(arena.reset(), [promptIds]);
      // The prompt's own K/V rows, [1, heads, n, headDim], are the prefix layout: kept as they
      // came back. The arena holds only what the beams generate.
      const { logits, rowsOut } = await call(arena.reset(), [promptIds]);
      const n = promptIds.length;
      prefix = rowsOut.map((rows) => new Tensor('float32', rows, [1, heads, n, headDim]));
      prefixLength = n;
      return { logits, cache: arena.reset() };
    },
    step: (cache, tokenIds) => feed(cache, tokenIds.map((t) => [t])),
    stepMany: (cache, tokenIds) => feed(cache, tokenIds),
    selectBeams: (cache, indices) => Promise.resolve(arena.selectRows(cache, indices)),
    release() {
      if (released) return;
      released = true;
      prefix = emptyPrefix();
      pool.push(arena);
    },
  };
}
