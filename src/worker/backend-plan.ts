/**
 * Which backend + weights to try, in order. Pure (unit-tested): the worker feeds it the WebGPU
 * probe and the model's file list.
 *
 * - WebGPU (adapter found, not forced to WASM): q4 (4-bit MatMulNBits, the smallest file and a
 *   native WebGPU kernel); fp16 / q4f16 only when the adapter has shader-f16. Then WASM as the
 *   fallback.
 * - WASM: q8, else fp32. q8 stores int8 weights that onnxruntime turns back into fp32 when the
 *   session loads (training/README.md, Quantization): a third of the fp32 download, fp32 compute,
 *   and the same logits as the Node CLI.
 * A forced dtype applies to every attempt (so parity runs compare the same weights).
 */
import type { WebGpuProbe } from '../engine/capabilities.ts';
import { DTYPE_FILE, type Backend, type BackendPreference, type BackendReason, type ModelDtype } from '../engine/protocol.ts';

export interface BackendAttempt {
  backend: Backend;
  dtype: ModelDtype;
  reason: BackendReason;
}

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
  const wasmDtype: ModelDtype = forced ?? firstOf(['q8', 'fp32', 'q4']) ?? 'q8';
  const attempts: BackendAttempt[] = [];

  let wasmReason: BackendReason;
  if (input.preference === 'wasm') {
    wasmReason = { code: 'forced-wasm' };
  } else if (!input.probe || !input.probe.available) {
    wasmReason = input.probe && !input.probe.available ? input.probe.reason : { code: 'no-webgpu-api' };
  } else {
    const f16 = input.probe.adapter.shaderF16;
    let gpuDtype: ModelDtype | undefined;
    if (forced) {
      gpuDtype = (forced === 'fp16' || forced === 'q4f16') && !f16 ? firstOf(['q4', 'fp32']) : forced;
    } else {
      gpuDtype = firstOf(f16 ? ['q4', 'q4f16', 'fp16', 'fp32'] : ['q4', 'fp32']);
    }
    if (gpuDtype) {
      attempts.push({ backend: 'webgpu', dtype: gpuDtype, reason: { code: 'webgpu-ok' } });
      wasmReason = { code: 'webgpu-session-failed' };
    } else {
      wasmReason = { code: 'no-webgpu-weights', detail: 'no model_q4.onnx / model_fp16.onnx / model.onnx' };
    }
  }
  attempts.push({ backend: 'wasm', dtype: wasmDtype, reason: wasmReason });
  return attempts;
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
