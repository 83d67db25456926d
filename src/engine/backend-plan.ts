/**
 * Which backend + weights to try, in order: the ONE place that decides the backend and its WASM
 * fallback. Pure (unit-tested): the worker feeds it the WebGPU probe and the model's file list.
 *
 * - WebGPU (a hardware adapter, or any adapter when the user asked for WebGPU): q4 (4-bit
 *   MatMulNBits, the smallest file and a native WebGPU kernel); fp16 / q4f16 only when the adapter
 *   has shader-f16. Then WASM as the fallback.
 * - 'auto' with only a software / fallback adapter (SwiftShader, llvmpipe: WebGPU emulated on the
 *   CPU, ~40x slower than WASM here): WASM, reason 'software-adapter'. Asking for WebGPU explicitly
 *   still runs it there, reason 'webgpu-software'.
 * - WASM: q8, else fp32. q8 stores int8 weights that onnxruntime turns back into fp32 when the
 *   session loads (training/README.md, Quantization): a third of the fp32 download, fp32 compute,
 *   and the same logits as the Node CLI.
 * A forced dtype applies to every attempt (so parity runs compare the same weights), except that
 * the GPU-only fp16 / q4f16 never go to WASM (it gets its default).
 *
 * One attempt per worker (transformers.js' init chain stays rejected after a failed session): when
 * WebGPU fails the worker sends the plan's WASM entry (`fallbackAttempt`) with its 'webgpu-failed'
 * error, and the client loads exactly that in a fresh worker (src/engine/client.ts).
 */
import { describeAdapter, type WebGpuProbe } from './capabilities.ts';
import { DTYPE_FILE, type BackendAttempt, type BackendPreference, type BackendReason, type ModelDtype } from './protocol.ts';

export type { BackendAttempt };

const GPU_ONLY: ReadonlySet<ModelDtype> = new Set(['fp16', 'q4f16']);

export interface PlanInput {
  preference: BackendPreference;
  /** null when not probed (WASM forced). */
  probe: WebGpuProbe | null;
  /** Files of the model folder; undefined = unknown (assume every dtype exists). */
  files?: readonly string[] | undefined;
  dtype?: ModelDtype | undefined;
}

export function planBackends(input: PlanInput): BackendAttempt[] {
  const has = (d: ModelDtype) => !input.files || input.files.includes(DTYPE_FILE[d]);
  const firstOf = (list: ModelDtype[]) => list.find(has);
  // A forced dtype the folder does not ship is ignored (the defaults below apply).
  const forced = input.dtype && has(input.dtype) ? input.dtype : undefined;
  const wasmDtype: ModelDtype = (forced && !GPU_ONLY.has(forced) ? forced : undefined) ?? firstOf(['q8', 'fp32', 'q4']) ?? 'q8';
  const attempts: BackendAttempt[] = [];

  let wasmReason: BackendReason;
  if (input.preference === 'wasm') {
    wasmReason = { code: 'forced-wasm' };
  } else if (!input.probe || !input.probe.available) {
    wasmReason = input.probe && !input.probe.available ? input.probe.reason : { code: 'no-webgpu-api' };
  } else if (input.probe.adapter.isFallback && input.preference === 'auto') {
    wasmReason = { code: 'software-adapter', detail: describeAdapter(input.probe.adapter) };
  } else {
    const f16 = input.probe.adapter.shaderF16;
    let gpuDtype: ModelDtype | undefined;
    if (forced) {
      gpuDtype = GPU_ONLY.has(forced) && !f16 ? firstOf(['q4', 'fp32']) : forced;
    } else {
      gpuDtype = firstOf(f16 ? ['q4', 'q4f16', 'fp16', 'fp32'] : ['q4', 'fp32']);
    }
    if (gpuDtype) {
      const software = input.probe.adapter.isFallback;
      const reason: BackendReason = software ? { code: 'webgpu-software', detail: describeAdapter(input.probe.adapter) } : { code: 'webgpu-ok' };
      attempts.push({ backend: 'webgpu', dtype: gpuDtype, reason });
      wasmReason = { code: 'webgpu-session-failed' };
    } else {
      wasmReason = { code: 'no-webgpu-weights', detail: 'no model_q4.onnx / model_fp16.onnx / model.onnx' };
    }
  }
  attempts.push({ backend: 'wasm', dtype: wasmDtype, reason: wasmReason });
  return attempts;
}

/** The plan's WASM attempt (every plan ends with one), reporting `reason`: why WebGPU was left. */
export function fallbackAttempt(plan: readonly BackendAttempt[], reason: BackendReason): BackendAttempt {
  const wasm = plan.find((a) => a.backend === 'wasm');
  if (!wasm) throw new Error('backend plan without a WASM attempt');
  return { ...wasm, reason };
}

/** Load errors → protocol codes: a 404 / missing local file is 'model-not-found'. */
export function classifyLoadError(e: unknown): 'model-not-found' | 'load-failed' {
  if (e && typeof e === 'object') {
    const name = (e as { name?: unknown }).name;
    const msg = String((e as { message?: unknown }).message ?? '');
    if (name === 'ModelFileNotFoundError' || /not found|404|could not locate file/i.test(msg)) return 'model-not-found';
  }
  return 'load-failed';
}
