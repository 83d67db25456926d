import { describe, expect, it } from 'vitest';
import { probeWebGpu, type GpuLike } from './capabilities.ts';
import type { AdapterSummary } from './protocol.ts';
import { classifyLoadError, fallbackAttempt, planBackends } from './backend-plan.ts';

/** A hardware GPU adapter. */
const adapter = (shaderF16: boolean): AdapterSummary => ({
  vendor: 'nvidia',
  architecture: 'ada',
  device: '',
  description: '',
  shaderF16,
  isFallback: false,
});
/** Chromium's SwiftShader: WebGPU emulated on the CPU (what headless Chromium without a GPU gets). */
const swiftshader: AdapterSummary = { vendor: 'google', architecture: 'swiftshader', device: '', description: '', shaderF16: true, isFallback: true };
const ALL = ['onnx/model.onnx', 'onnx/model_quantized.onnx', 'onnx/model_q4.onnx', 'onnx/model_fp16.onnx'];

describe('planBackends', () => {
  it('WebGPU adapter → q4 on WebGPU, then q8 on WASM as the fallback', () => {
    const plan = planBackends({ preference: 'auto', probe: { available: true, adapter: adapter(false) }, files: ALL });
    expect(plan.map((a) => `${a.backend}:${a.dtype}`)).toEqual(['webgpu:q4', 'wasm:q8']);
    expect(plan[0]!.reason.code).toBe('webgpu-ok');
  });

  it('no adapter → WASM q8 with the probe reason', () => {
    const plan = planBackends({ preference: 'auto', probe: { available: false, reason: { code: 'no-adapter' } }, files: ALL });
    expect(plan).toEqual([{ backend: 'wasm', dtype: 'q8', reason: { code: 'no-adapter' } }]);
  });

  it('forced WASM never tries WebGPU', () => {
    expect(planBackends({ preference: 'wasm', probe: null, files: ALL })).toEqual([
      { backend: 'wasm', dtype: 'q8', reason: { code: 'forced-wasm' } },
    ]);
  });

  it('fp16 only with shader-f16; a forced dtype applies to both attempts', () => {
    const noF16 = planBackends({ preference: 'webgpu', probe: { available: true, adapter: adapter(false) }, files: ALL, dtype: 'fp16' });
    expect(noF16[0]!.dtype).toBe('q4');
    const f16 = planBackends({ preference: 'webgpu', probe: { available: true, adapter: adapter(true) }, files: ALL, dtype: 'fp16' });
    expect(f16[0]!.dtype).toBe('fp16');
    const q8 = planBackends({ preference: 'webgpu', probe: { available: true, adapter: adapter(false) }, files: ALL, dtype: 'q8' });
    expect(q8.map((a) => a.dtype)).toEqual(['q8', 'q8']);
  });

  it('uses what the folder ships: no q4 → fp32 on WebGPU; no q8 → fp32 on WASM', () => {
    const plan = planBackends({ preference: 'auto', probe: { available: true, adapter: adapter(false) }, files: ['onnx/model.onnx'] });
    expect(plan.map((a) => `${a.backend}:${a.dtype}`)).toEqual(['webgpu:fp32', 'wasm:fp32']);
    const none = planBackends({ preference: 'auto', probe: { available: true, adapter: adapter(false) }, files: ['onnx/model_quantized.onnx'] });
    expect(none).toEqual([{ backend: 'wasm', dtype: 'q8', reason: expect.objectContaining({ code: 'no-webgpu-weights' }) as unknown }]);
  });

  it('ignores a forced dtype the folder does not ship', () => {
    const plan = planBackends({ preference: 'auto', probe: { available: true, adapter: adapter(true) }, files: ALL, dtype: 'q4f16' });
    expect(plan.map((a) => `${a.backend}:${a.dtype}`)).toEqual(['webgpu:q4', 'wasm:q8']);
  });

  it('auto on a software / fallback adapter (SwiftShader) → WASM only, reason software-adapter naming the adapter', () => {
    const plan = planBackends({ preference: 'auto', probe: { available: true, adapter: swiftshader }, files: ALL });
    expect(plan).toEqual([
      { backend: 'wasm', dtype: 'q8', reason: { code: 'software-adapter', detail: 'google swiftshader (fallback, shader-f16)' } },
    ]);
  });

  it('WebGPU asked for on a software adapter still runs there, labelled webgpu-software; WASM stays the fallback', () => {
    const plan = planBackends({ preference: 'webgpu', probe: { available: true, adapter: swiftshader }, files: ALL });
    expect(plan.map((a) => `${a.backend}:${a.dtype}:${a.reason.code}`)).toEqual(['webgpu:q4:webgpu-software', 'wasm:q8:webgpu-session-failed']);
    expect(plan[0]!.reason.detail).toContain('swiftshader');
    // A hardware adapter is "webgpu-ok" for both auto and an explicit WebGPU choice.
    for (const preference of ['auto', 'webgpu'] as const) {
      expect(planBackends({ preference, probe: { available: true, adapter: adapter(false) }, files: ALL })[0]!.reason).toEqual({ code: 'webgpu-ok' });
    }
  });

  it('GPU-only dtypes (fp16, q4f16) never go to WASM: the WASM entry gets its default', () => {
    const plan = planBackends({ preference: 'webgpu', probe: { available: true, adapter: adapter(true) }, files: ALL, dtype: 'fp16' });
    expect(plan.map((a) => `${a.backend}:${a.dtype}`)).toEqual(['webgpu:fp16', 'wasm:q8']);
    expect(planBackends({ preference: 'wasm', probe: null, files: ALL, dtype: 'fp16' })[0]!.dtype).toBe('q8');
  });

  it("fallbackAttempt: the plan's WASM entry with the failure as its reason (what the client reloads)", () => {
    const plan = planBackends({ preference: 'auto', probe: { available: true, adapter: adapter(false) }, files: ALL, dtype: 'q8' });
    expect(fallbackAttempt(plan, { code: 'device-lost', detail: 'destroyed' })).toEqual({
      backend: 'wasm',
      dtype: 'q8',
      reason: { code: 'device-lost', detail: 'destroyed' },
    });
    // Reloading that attempt (backend 'wasm', its dtype) plans the same weights on WASM.
    const reload = planBackends({ preference: 'wasm', probe: null, files: ALL, dtype: plan[1]!.dtype });
    expect(reload.map((a) => `${a.backend}:${a.dtype}`)).toEqual(['wasm:q8']);
  });

  it('classifies a missing file as model-not-found', () => {
    const e = Object.assign(new Error('file was not found locally at "/models/x/config.json"'), { name: 'ModelFileNotFoundError' });
    expect(classifyLoadError(e)).toBe('model-not-found');
    expect(classifyLoadError(new Error('protobuf parsing failed'))).toBe('load-failed');
  });
});

describe('probeWebGpu', () => {
  it('missing navigator.gpu, null adapter, throwing adapter, working adapter', async () => {
    expect(await probeWebGpu(undefined)).toMatchObject({ available: false, reason: { code: 'no-webgpu-api' } });
    expect(await probeWebGpu({ requestAdapter: async () => null })).toMatchObject({ available: false, reason: { code: 'no-adapter' } });
    const throwing: GpuLike = {
      requestAdapter: () => Promise.reject(new Error('blocked')),
    };
    expect(await probeWebGpu(throwing)).toMatchObject({ available: false, reason: { code: 'no-adapter', detail: 'blocked' } });
    const ok: GpuLike = {
      requestAdapter: async () => ({
        features: new Set(['shader-f16']),
        info: { vendor: 'google', architecture: 'swiftshader', device: '', description: 'SwiftShader' },
      }),
    };
    expect(await probeWebGpu(ok)).toMatchObject({ available: true, adapter: { shaderF16: true, isFallback: true, vendor: 'google' } });
  });

  it('software adapters count as fallback: the isFallbackAdapter flag, llvmpipe, WARP; a hardware GPU does not', async () => {
    const gpu = (info: Record<string, unknown>): GpuLike => ({ requestAdapter: async () => ({ features: new Set<string>(), info }) });
    const fallback = async (info: Record<string, unknown>) => {
      const p = await probeWebGpu(gpu(info));
      return p.available ? p.adapter.isFallback : null;
    };
    expect(await fallback({ vendor: 'google', architecture: '', isFallbackAdapter: true })).toBe(true);
    expect(await fallback({ vendor: 'mesa', architecture: '', description: 'llvmpipe (LLVM 19.1.7, 256 bits)' })).toBe(true);
    expect(await fallback({ vendor: 'microsoft', description: 'Microsoft Basic Render Driver' })).toBe(true);
    expect(await fallback({ vendor: 'nvidia', architecture: 'ada', isFallbackAdapter: false })).toBe(false);
  });
});
