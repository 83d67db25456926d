/**
 * WebGPU capability probe. "navigator.gpu exists" is not "WebGPU works": only a successful
 * `requestAdapter()` counts. Works on the page and inside a worker (WorkerNavigator.gpu).
 */
import type { AdapterSummary, BackendReason } from './protocol.ts';

/** Minimal WebGPU typings (TypeScript's DOM lib does not ship them). */
interface GpuAdapterInfoLike {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
  isFallbackAdapter?: boolean;
}
interface GpuAdapterLike {
  features: { has(name: string): boolean };
  info?: GpuAdapterInfoLike;
  isFallbackAdapter?: boolean;
  requestAdapterInfo?: () => Promise<GpuAdapterInfoLike>;
}
export interface GpuLike {
  requestAdapter(options?: { powerPreference?: 'high-performance' | 'low-power' }): Promise<GpuAdapterLike | null>;
}

export type WebGpuProbe =
  | { available: true; adapter: AdapterSummary }
  | { available: false; reason: BackendReason };

/** navigator.gpu of the current global (page or worker), if any. */
export function currentGpu(): GpuLike | undefined {
  const nav = (globalThis as { navigator?: { gpu?: GpuLike } }).navigator;
  return nav?.gpu;
}

/**
 * Software rasterisers that implement WebGPU on the CPU (Chromium's SwiftShader, Mesa's llvmpipe /
 * lavapipe / softpipe, Windows' WARP "Microsoft Basic Render Driver"): no GPU, even when the
 * browser does not flag the adapter as a fallback adapter.
 */
const SOFTWARE_ADAPTER = /swiftshader|llvmpipe|lavapipe|softpipe|basic render driver/i;

export async function probeWebGpu(gpu: GpuLike | undefined = currentGpu()): Promise<WebGpuProbe> {
  if (!gpu) return { available: false, reason: { code: 'no-webgpu-api', detail: 'navigator.gpu is undefined' } };
  let adapter: GpuAdapterLike | null;
  try {
    adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  } catch (e) {
    return { available: false, reason: { code: 'no-adapter', detail: e instanceof Error ? e.message : String(e) } };
  }
  if (!adapter) return { available: false, reason: { code: 'no-adapter', detail: 'requestAdapter() returned null' } };
  let info: GpuAdapterInfoLike = adapter.info ?? {};
  if (!adapter.info && adapter.requestAdapterInfo) {
    try {
      info = await adapter.requestAdapterInfo();
    } catch {
      info = {};
    }
  }
  const summary: AdapterSummary = {
    vendor: info.vendor ?? '',
    architecture: info.architecture ?? '',
    device: info.device ?? '',
    description: info.description ?? '',
    shaderF16: adapter.features.has('shader-f16'),
    isFallback:
      Boolean(info.isFallbackAdapter ?? adapter.isFallbackAdapter) ||
      SOFTWARE_ADAPTER.test(`${info.vendor ?? ''} ${info.architecture ?? ''} ${info.device ?? ''} ${info.description ?? ''}`),
  };
  return { available: true, adapter: summary };
}

/** One line naming an adapter, e.g. "google swiftshader (fallback, shader-f16)". */
export function describeAdapter(a: AdapterSummary): string {
  const name = [a.vendor, a.architecture, a.device || a.description].filter(Boolean).join(' ') || 'unknown adapter';
  const flags = [a.isFallback ? 'fallback' : '', a.shaderF16 ? 'shader-f16' : ''].filter(Boolean);
  return flags.length ? `${name} (${flags.join(', ')})` : name;
}
