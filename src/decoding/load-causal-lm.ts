/**
 * Load a causal LM + tokenizer with transformers.js for the constrained decoder.
 * Separate from causal-lm.ts so the browser worker can configure `env` (wasm paths, WebGPU,
 * cache) itself and pass the model/tokenizer in; the Node CLI can just call this.
 * No `node:` import.
 *
 * dtype ↔ file (models/NAME/onnx/): 'fp32' → model.onnx, 'q8' → model_quantized.onnx,
 * 'q4' → model_q4.onnx (transformers.js naming).
 */

import { AutoModelForCausalLM, AutoTokenizer, env } from '@huggingface/transformers';
import type { PreTrainedModel, PreTrainedTokenizer } from '@huggingface/transformers';

export type CausalLmDtype = 'fp32' | 'fp16' | 'q8' | 'int8' | 'uint8' | 'q4' | 'q4f16' | 'bnb4';
export type CausalLmDevice = 'cpu' | 'wasm' | 'webgpu' | 'auto';

export interface LoadCausalLmOptions {
  dtype?: CausalLmDtype;
  /** Default: 'cpu' in Node (onnxruntime-node), 'wasm' in the browser. */
  device?: CausalLmDevice;
  /** Sets env.localModelPath (model ids are resolved under it). */
  localModelPath?: string;
  /** Offline by default: sets env.allowRemoteModels = false unless true. */
  allowRemote?: boolean;
  /** Progress callback forwarded to from_pretrained. */
  progress?: (info: unknown) => void;
}

export interface LoadedCausalLm {
  model: PreTrainedModel;
  tokenizer: PreTrainedTokenizer;
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
  const [model, tokenizer] = await Promise.all([
    AutoModelForCausalLM.from_pretrained(modelPathOrId, { ...common, dtype: options.dtype ?? 'fp32', device }),
    AutoTokenizer.from_pretrained(modelPathOrId, common),
  ]);
  return { model: model as PreTrainedModel, tokenizer };
}
