import { describe, expect, it } from 'vitest';
import { MAX_WASM_THREADS, wasmThreads } from './runtime-options.ts';

describe('wasmThreads', () => {
  it('is 1 without cross-origin isolation, whatever is requested', () => {
    expect(wasmThreads({ crossOriginIsolated: false, hardwareConcurrency: 16 })).toBe(1);
    expect(wasmThreads({ crossOriginIsolated: false, hardwareConcurrency: 16, requested: 4 })).toBe(1);
  });

  it('leaves one core to the page, never more than the cap', () => {
    expect(wasmThreads({ crossOriginIsolated: true, hardwareConcurrency: 2 })).toBe(1);
    expect(wasmThreads({ crossOriginIsolated: true, hardwareConcurrency: 3 })).toBe(2);
    expect(wasmThreads({ crossOriginIsolated: true, hardwareConcurrency: 4 })).toBe(3);
    expect(wasmThreads({ crossOriginIsolated: true, hardwareConcurrency: 32 })).toBe(MAX_WASM_THREADS);
    expect(wasmThreads({ crossOriginIsolated: true, hardwareConcurrency: 0 })).toBe(1);
    expect(wasmThreads({ crossOriginIsolated: true })).toBe(1);
  });

  it('honours an explicit request within 1 … cap; ignores a nonsense one', () => {
    expect(wasmThreads({ crossOriginIsolated: true, hardwareConcurrency: 2, requested: 1 })).toBe(1);
    expect(wasmThreads({ crossOriginIsolated: true, hardwareConcurrency: 2, requested: 4 })).toBe(4);
    expect(wasmThreads({ crossOriginIsolated: true, hardwareConcurrency: 2, requested: 64 })).toBe(MAX_WASM_THREADS);
    expect(wasmThreads({ crossOriginIsolated: true, hardwareConcurrency: 8, requested: 0 })).toBe(MAX_WASM_THREADS);
    expect(wasmThreads({ crossOriginIsolated: true, hardwareConcurrency: 2, requested: Number.NaN })).toBe(1);
  });
});
