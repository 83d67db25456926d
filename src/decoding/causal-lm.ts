/**
 * transformers.js adapter: a `StepModel` over a loaded `PreTrainedModel` (AutoModelForCausalLM,
 * e.g. model_type "llama" exported with input_ids / attention_mask / position_ids /
 * past_key_values.N.{key,value} → logits / present.N.{key,value}).
 *
 * No `node:` import: runs on onnxruntime-node and onnxruntime-web (WASM / WebGPU).
 *
 * How it drives transformers.js v4 (read from node_modules/@huggingface/transformers/src):
 * - `model.forward(inputs)` → `decoder_forward`: it drops `past_key_values` from the inputs and
 *   `Object.assign`s its entries (named `past_key_values.N.key` …) into the session feeds; with
 *   no past it creates empty (past length 0) tensors itself; `pick()` keeps only the inputs the
 *   graph declares, so passing position_ids to a graph without them is harmless.
 * - Outputs are `logits` and `present.*`; we rename `present` → `past_key_values` exactly as
 *   `getPastKeyValues` does.
 * - On WebGPU the session is created with preferredOutputLocation 'gpu-buffer' for `present.*`,
 *   so cache tensors may live on the GPU: reading them needs `ort_tensor.getData()` (async
 *   download). Beam reordering therefore downloads, gathers rows on the CPU and feeds CPU
 *   tensors back (ORT uploads them); the identity selection (greedy, or a beam set that did not
 *   move) never touches the cache. Replaced GPU tensors are disposed.
 */

import { Tensor } from '@huggingface/transformers';
import type { PreTrainedModel } from '@huggingface/transformers';
import { decodeDrugList } from './constrained-decoder.ts';
import { createHostKvStepModel, kvShape, prefixInputNames, type HostKvModel } from './host-kv-step-model.ts';
import { createTrieCache, type CandidateTrie, type EncodeFn } from './trie.ts';
import { disposeIfGpu, int64, lastLogits, ones, positions, tensorData, type AnyTypedArray } from './step-tensors.ts';
import type { DecodeOptions, DecodeResult, FormatTokens, StepModel, StepOutput } from './types.ts';

/** KV cache of a batch of beams: one tensor per past input, batch dimension first. */
export interface KvCache {
  entries: Record<string, Tensor>;
  /** Batch rows (beams). */
  rows: number;
  /** Tokens already in the cache (prompt + generated). */
  pastLength: number;
  /**
   * order[beam] = the tensors' batch row holding that beam; absent = identity. A beam reorder
   * that only permutes rows changes this map instead of copying the cache (on WebGPU it would
   * otherwise download and re-upload every tensor).
   */
  order?: readonly number[];
}

/**
 * Minimal slice of PreTrainedModel we use (lets tests pass a stub). With `hostKv` (CPU backends,
 * graphs with new_key_values outputs: load-causal-lm.ts hostKvModelOf) the decoder keeps the
 * cache itself (./host-kv-step-model.ts); without it, transformers.js's forward and present.*.
 */
export type ForwardModel = Pick<PreTrainedModel, 'forward'> & { hostKv?: HostKvModel | null };

/**
 * The model's forward for a graph with shared-prefix inputs (`prefix_key_values.N.*`,
 * host-kv-step-model.ts) run without a shared prefix, as transformers.js keeps the cache (the
 * past is then the whole cache): every call gets a one-position prefix of zeros that
 * `attention_mask` hides (a leading 0 column). A masked position gets exactly zero weight (the
 * graph adds −1e9 before the softmax) and position ids are explicit, so the numbers are those of
 * the graph without a prefix. Not a length-0 prefix: onnxruntime-web's WebGPU backend fails on
 * the zero-size MatMuls that makes (createBindGroup without a buffer), CPU backends do not.
 * transformers.js fills in only the past inputs it knows and rejects a call that lacks any other
 * input the graph declares, so every forward must carry these. Reads the session of a loaded
 * transformers.js model; anything else (older graphs, wrappers whose forward already went through
 * here) is returned as it is.
 */
export function withMaskedPrefix<M extends ForwardModel>(model: M): M {
  const m = model as unknown as { sessions?: Record<string, { inputNames?: readonly string[] }>; config?: Record<string, number> };
  const inputNames = m.sessions?.['model']?.inputNames;
  const names = inputNames ? prefixInputNames(inputNames) : null;
  const shape = m.config ? kvShape(m.config) : null;
  if (!names || !shape) return model;
  const prefix: Record<string, Tensor> = {};
  for (const name of names) prefix[name] = new Tensor('float32', new Float32Array(shape.heads * shape.headDim), [1, shape.heads, 1, shape.headDim]);
  const forward = model.forward.bind(model);
  return {
    hostKv: model.hostKv,
    forward: (inputs: Record<string, unknown>) => {
      const mask = inputs['attention_mask'] as Tensor | undefined;
      return forward({ ...prefix, ...inputs, ...(mask ? { attention_mask: maskedColumnFirst(mask) } : {}) });
    },
  } as unknown as M;
}

/** [rows, L] int64 mask → [rows, 1 + L] with a leading 0 on every row. */
function maskedColumnFirst(mask: Tensor): Tensor {
  const [rows, width] = mask.dims as [number, number];
  const src = mask.data as BigInt64Array;
  const data = new BigInt64Array(rows * (width + 1));
  for (let r = 0; r < rows; r++) data.set(src.subarray(r * width, (r + 1) * width), r * (width + 1) + 1);
  return new Tensor('int64', data, [rows, width + 1]);
}

function pastFromOutputs(outputs: Record<string, unknown>): Record<string, Tensor> {
  const out: Record<string, Tensor> = {};
  for (const [name, value] of Object.entries(outputs)) {
    if (!name.startsWith('present')) continue;
    const newName = name
      .replace('present_ssm', 'past_ssm')
      .replace('present_conv', 'past_conv')
      .replace('present_recurrent', 'past_recurrent')
      .replace('present', 'past_key_values');
    out[newName] = value as Tensor;
  }
  return out;
}

/** Is `indices` a permutation of 0 … n − 1? */
function isPermutation(indices: readonly number[], n: number): boolean {
  if (indices.length !== n) return false;
  const seen = new Uint8Array(n);
  for (const i of indices) {
    if (!(i >= 0 && i < n) || seen[i]) return false;
    seen[i] = 1;
  }
  return true;
}

/** Row-gather along dim 0: row j of the result = row indices[j] of `t`. */
export async function gatherRows(t: Tensor, indices: readonly number[]): Promise<Tensor> {
  const dims = t.dims;
  const batch = dims[0] ?? 1;
  const rowSize = batch === 0 ? 0 : t.size / batch;
  const data = await tensorData(t);
  const Ctor = data.constructor as new (n: number) => AnyTypedArray;
  const out = new Ctor(indices.length * rowSize);
  indices.forEach((src, j) => {
    if (src < 0 || src >= batch) throw new RangeError(`gatherRows: row ${src} of ${batch}`);
    // Both arrays share the same constructor, so set() is a typed copy.
    (out as Float32Array).set((data as Float32Array).subarray(src * rowSize, (src + 1) * rowSize), j * rowSize);
  });
  return new Tensor(t.type as 'float32', out as Float32Array, [indices.length, ...dims.slice(1)]);
}

/**
 * StepModel over a transformers.js causal LM. The prompt runs once with batch 1; the first
 * `selectBeams([0, 0, …])` expands the cache to B rows.
 */
export function createCausalLmStepModel(input: ForwardModel): StepModel<KvCache> {
  const model = withMaskedPrefix(input);
  const run = async (inputs: Record<string, unknown>): Promise<Record<string, unknown>> =>
    (await model.forward(inputs)) as Record<string, unknown>;

  /** Append tokenIds[beam] (all of length T) to each beam in one call; last-position logits per beam. */
  const feed = async (cache: KvCache, tokenIds: readonly (readonly number[])[]): Promise<StepOutput<KvCache>> => {
    const b = tokenIds.length;
    if (b !== cache.rows) throw new Error(`step: ${b} token runs for ${cache.rows} beams`);
    const T = tokenIds[0]?.length ?? 0;
    if (T < 1 || tokenIds.some((run) => run.length !== T)) throw new Error('step: every beam needs the same number (≥ 1) of tokens');
    // Batch row r holds beam beamOf[r] (identity unless a permutation was deferred).
    const order = cache.order;
    const beamOf = new Array<number>(b);
    for (let beam = 0; beam < b; beam++) beamOf[order ? order[beam]! : beam] = beam;
    const ids: number[] = [];
    for (let r = 0; r < b; r++) ids.push(...tokenIds[beamOf[r]!]!);
    const total = cache.pastLength + T;
    const outputs = await run({
      input_ids: int64(ids, [b, T]),
      attention_mask: ones([b, total]),
      position_ids: positions(b, cache.pastLength, T),
      past_key_values: cache.entries,
    });
    const rowLogits = await lastLogits(outputs['logits'] as Tensor);
    const logits = order ? order.map((r) => rowLogits[r]!) : rowLogits;
    const entries = pastFromOutputs(outputs);
    for (const [name, t] of Object.entries(cache.entries)) if (entries[name] !== t) disposeIfGpu(t);
    return { logits, cache: order ? { entries, rows: b, pastLength: total, order } : { entries, rows: b, pastLength: total } };
  };

  return {
    async start(promptIds): Promise<StepOutput<KvCache>> {
      const n = promptIds.length;
      if (n === 0) throw new Error('empty prompt');
      const outputs = await run({
        input_ids: int64(promptIds, [1, n]),
        attention_mask: ones([1, n]),
        position_ids: positions(1, 0, n),
      });
      const logits = await lastLogits(outputs['logits'] as Tensor);
      return { logits, cache: { entries: pastFromOutputs(outputs), rows: 1, pastLength: n } };
    },

    step(cache, tokenIds): Promise<StepOutput<KvCache>> {
      return feed(cache, tokenIds.map((t) => [t]));
    },

    stepMany(cache, tokenIds): Promise<StepOutput<KvCache>> {
      return feed(cache, tokenIds);
    },

    async selectBeams(cache, indices): Promise<KvCache> {
      const order = cache.order ?? null;
      for (const i of indices) if (!(i >= 0 && i < cache.rows)) throw new RangeError(`selectBeams: row ${i} of ${cache.rows}`);
      const physical = order ? indices.map((i) => order[i]!) : indices;
      // A pure permutation moves no data: only the beam → row map changes.
      if (isPermutation(physical, cache.rows)) return { ...cache, order: physical };
      const entries: Record<string, Tensor> = {};
      for (const [name, t] of Object.entries(cache.entries)) {
        entries[name] = await gatherRows(t, physical);
        disposeIfGpu(t);
      }
      return { entries, rows: indices.length, pastLength: cache.pastLength };
    },

    release(cache): void {
      for (const t of Object.values(cache.entries)) disposeIfGpu(t);
    },
  };
}

/** The parts of a transformers.js tokenizer we use. */
export interface TokenizerLike {
  encode(text: string, options?: { add_special_tokens?: boolean }): number[];
  unk_token_id?: number | null;
}

/** Encoder for drug names: no special tokens (no bos). */
export function nameEncoder(tokenizer: TokenizerLike): EncodeFn {
  return (name) => tokenizer.encode(name, { add_special_tokens: false });
}

/**
 * Resolve the output-format tokens from their strings (prompt-spec.json target.separator /
 * target.end, e.g. "<sep>" and "</s>"). Each must encode to exactly one id.
 */
export function resolveFormatTokens(
  tokenizer: TokenizerLike,
  strings: { separator: string; end: string },
): FormatTokens & { unkId: number | null } {
  const one = (s: string, what: string): number => {
    const ids = tokenizer.encode(s, { add_special_tokens: false });
    if (ids.length !== 1) throw new Error(`${what} "${s}" encodes to ${ids.length} tokens, expected 1`);
    return ids[0]!;
  };
  const unk = tokenizer.unk_token_id;
  return {
    separatorId: one(strings.separator, 'separator'),
    eosId: one(strings.end, 'end token'),
    unkId: typeof unk === 'number' ? unk : null,
  };
}

const trieCache = createTrieCache(4);
const encoders = new WeakMap<object, EncodeFn>();

/** Trie for (tokenizer, candidates), memoised; `excluded` lists names the model cannot write. */
export function candidateTrieFor(
  tokenizer: TokenizerLike,
  candidates: readonly string[],
  format: FormatTokens & { unkId: number | null },
): CandidateTrie {
  let enc = encoders.get(tokenizer);
  if (!enc) {
    enc = nameEncoder(tokenizer);
    encoders.set(tokenizer, enc);
  }
  return trieCache(candidates, enc, { unkId: format.unkId, reservedIds: [format.separatorId, format.eosId] });
}

export interface RecommendInput {
  model: ForwardModel;
  tokenizer: TokenizerLike;
  /** Prompt text (src/clinical/prompt.ts buildPrompt); encoded with special tokens (bos). */
  prompt: string;
  candidates: readonly string[];
  /** Target format strings; default "<sep>" and "</s>" (prompt-spec.json). */
  format?: { separator: string; end: string };
  options?: Omit<DecodeOptions, 'separatorId' | 'eosId'>;
}

/** One-call convenience for the CLI and the worker: prompt text in, drug list out. */
export async function recommendWithCausalLm(input: RecommendInput): Promise<DecodeResult & { trie: CandidateTrie }> {
  const format = resolveFormatTokens(input.tokenizer, input.format ?? { separator: '<sep>', end: '</s>' });
  const trie = candidateTrieFor(input.tokenizer, input.candidates, format);
  const promptIds = input.tokenizer.encode(input.prompt, { add_special_tokens: true });
  const stepModel = input.model.hostKv ? createHostKvStepModel(input.model.hostKv) : createCausalLmStepModel(input.model);
  const result = await decodeDrugList<unknown>(stepModel as StepModel<unknown>, promptIds, trie, {
    ...input.options,
    separatorId: format.separatorId,
    eosId: format.eosId,
  });
  return { ...result, trie };
}
