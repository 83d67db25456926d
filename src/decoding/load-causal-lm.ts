/**
 * Load a causal LM + tokenizer with transformers.js for the constrained decoder.
 * Separate from causal-lm.ts so the browser worker can configure `env` (wasm paths, WebGPU,
 * cache) itself and pass the model/tokenizer in; the Node CLI can just call this.
 * No `node:` import.
 *
 * dtype ↔ file: the model-folder format's DTYPE_FILE (src/model-folder/format.ts), the one
 * definition every reader shares.
 */

import { AutoModelForCausalLM, AutoTokenizer, env } from '@huggingface/transformers';
import type { PreTrainedModel, PreTrainedTokenizer } from '@huggingface/transformers';
import type { ModelDtype } from '../model-folder/format.ts';

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
