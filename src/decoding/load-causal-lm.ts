/**
 * Load a causal LM + tokenizer with transformers.js for the constrained decoder.
 * Separate from causal-lm.ts so the browser worker can configure `env` (wasm paths, WebGPU,
 * cache) itself and pass the model/tokenizer in; the Node CLI can just call this.
 * No `node:` import.
 *
 * dtype ↔ file: the model-folder format's DTYPE_FILE (src/model-folder/format.ts), the one
 * definition every reader shares.
 */

import { AutoModelForCausalLM, AutoTokenizer, Tensor, env } from '@huggingface/transformers';
import type { PreTrainedModel, PreTrainedTokenizer } from '@huggingface/transformers';
import type { ModelDtype } from '../model-folder/format.ts';
import { withMaskedPrefix, type ForwardModel } from './causal-lm.ts';
import { hostKvLayout, type HostKvModel } from './host-kv-step-model.ts';

export type CausalLmDevice = 'cpu' | 'wasm' | 'webgpu' | 'auto';

export interface LoadCausalLmOptions {
  dtype?: ModelDtype;
  /** Default: 'cpu' in Node (onnxruntime-node), 'wasm' in the browser. */
  device?: CausalLmDevice;
  /** Sets env.localModelPath (model ids are resolved under it). */
  localModelPath?: string;
  /** Offline by default: sets env.allowRemoteModels = false unless true. */
  allowRemote?: boolean;
  /** Progress callback forwarded to from_pretrained. */
  progress?: (info: unknown) => void;
  /** Wall time of each half (they run side by side): the model (files + session) and the tokenizer, ms. */
  onTimed?: (part: 'model' | 'tokenizer', ms: number) => void;
}

export interface LoadedCausalLm {
  model: PreTrainedModel;
  tokenizer: PreTrainedTokenizer;
  /** CPU sessions whose graph returns new_key_values: the decoder keeps the cache (hostKvModelOf). */
  hostKv: HostKvModel | null;
}

/** What the decoder drives: transformers.js's forward, plus the host-KV session where there is one. */
export function decodingModel(lm: LoadedCausalLm): ForwardModel {
  const model = withMaskedPrefix<ForwardModel>(lm.model);
  return { forward: (inputs) => model.forward(inputs), hostKv: lm.hostKv };
}

const isNode = typeof process !== 'undefined' && typeof process.versions?.node === 'string';

/** `modelPathOrId`: a folder path (absolute or relative) or an id under env.localModelPath. */
export async function loadCausalLm(modelPathOrId: string, options: LoadCausalLmOptions = {}): Promise<LoadedCausalLm> {
  if (options.localModelPath !== undefined) env.localModelPath = options.localModelPath;
  if (!options.allowRemote) env.allowRemoteModels = false;
  const device = options.device ?? (isNode ? 'cpu' : 'wasm');
  const common = {
    local_files_only: !options.allowRemote,
    ...(options.progress ? { progress_callback: options.progress as never } : {}),
  };
  const timed = async <T>(part: 'model' | 'tokenizer', work: Promise<T>): Promise<T> => {
    const t0 = performance.now();
    try {
      return await work;
    } finally {
      options.onTimed?.(part, performance.now() - t0);
    }
  };
  const [model, tokenizer] = await Promise.all([
    timed('model', AutoModelForCausalLM.from_pretrained(modelPathOrId, { ...common, dtype: options.dtype ?? 'fp32', device })),
    timed('tokenizer', AutoTokenizer.from_pretrained(modelPathOrId, common)),
  ]);
  const lm = model as PreTrainedModel;
  return { model: lm, tokenizer, hostKv: device === 'webgpu' || device === 'auto' ? null : hostKvModelOf(lm) };
}

/** The parts of an onnxruntime InferenceSession (node or web) the host-KV decoder calls. */
interface FetchSession {
  inputNames: readonly string[];
  outputNames: readonly string[];
  run(feeds: Record<string, unknown>, fetches: readonly string[]): Promise<Record<string, unknown>>;
}

/**
 * The host-KV view of a loaded model (src/decoding/host-kv-step-model.ts), or null when its graph
 * has no new_key_values outputs. Only for CPU sessions (onnxruntime-node, WASM): on WebGPU the
 * cache stays on the GPU through transformers.js's forward. Runs the session transformers.js
 * created (`sessions.model`), with the same ORT tensors its forward would pass.
 */
export function hostKvModelOf(model: PreTrainedModel): HostKvModel | null {
  const session = (model as unknown as { sessions?: Record<string, FetchSession> }).sessions?.['model'];
  if (!session || typeof session.run !== 'function') return null;
  const layout = hostKvLayout(session.inputNames, session.outputNames, model.config as unknown as Record<string, number>);
  if (!layout) return null;
  return {
    ...layout,
    async run(feeds, fetches) {
      const ortFeeds: Record<string, unknown> = {};
      for (const [name, t] of Object.entries(feeds)) ortFeeds[name] = t.ort_tensor;
      const out = await session.run(ortFeeds, fetches);
      const result: Record<string, Tensor> = {};
      for (const name of fetches) result[name] = new Tensor(out[name] as never);
      return result;
    },
  };
}
