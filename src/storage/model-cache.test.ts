import { describe, expect, it } from 'vitest';
import { sha256Hex } from './hash.ts';
import { ModelWeightCache } from './model-cache.ts';
import type { CacheNotice } from './notices.ts';
import { isQuotaError } from './db.ts';

// IndexedDB itself is exercised in Chromium (e2e/cache.spec.ts); these cover the pure parts.
describe('storage helpers', () => {
  it('sha256Hex matches the FIPS 180-2 "abc" vector', async () => {
    expect(await sha256Hex(new TextEncoder().encode('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('recognises QuotaExceededError by name or legacy code', () => {
    expect(isQuotaError(new DOMException('x', 'QuotaExceededError'))).toBe(true);
    expect(isQuotaError({ name: 'Error', code: 22 })).toBe(true);
    expect(isQuotaError(new Error('other'))).toBe(false);
  });
});

describe('ModelWeightCache without IndexedDB', () => {
  const open = (notices: Omit<CacheNotice, 'at'>[]) =>
    ModelWeightCache.open({
      modelId: 'm',
      version: 'v1',
      folderPath: '/app/models/m/',
      openDb: () => Promise.reject(new DOMException('blocked', 'InvalidStateError')),
      onNotice: (n) => notices.push(n),
    });

  it('runs from memory with an "unavailable" notice and never throws', async () => {
    const notices: Omit<CacheNotice, 'at'>[] = [];
    const cache = await open(notices);
    expect(cache.mode).toBe('memory');
    expect(notices.map((n) => n.kind)).toEqual(['unavailable']);
    expect(await cache.match('/app/models/m/config.json')).toBeUndefined();
    await cache.put('/app/models/m/config.json', new Response('{}'));
    expect(await cache.commit()).toBe('not-cached');
  });

  it('maps cache keys (paths and URLs) to paths inside the model folder', async () => {
    const cache = await open([]);
    expect(cache.pathOf('/app/models/m/onnx/model_q4.onnx')).toBe('onnx/model_q4.onnx');
    expect(cache.pathOf('http://127.0.0.1:4173/app/models/m/config.json')).toBe('config.json');
    expect(cache.pathOf('/app/models/other/config.json')).toBeNull();
  });
});
