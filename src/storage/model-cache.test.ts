import 'fake-indexeddb/auto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { IDBFactory } from 'fake-indexeddb';
import { beforeEach, describe, expect, it } from 'vitest';
import { fileKey, isQuotaError, manifestKey, openModelDb, withModelDb } from './db.ts';
import { sha256Hex } from './hash.ts';
import { ModelWeightCache, type ModelWeightCacheOptions } from './model-cache.ts';
import type { CacheNotice } from './notices.ts';

// ModelWeightCache over IndexedDB (fake-indexeddb: the real IndexedDB API and structured clone in
// Node, via the `idb` wrapper the app uses) with the files of the committed micro-model fixture.
// The same rules in Chromium: e2e/cache.spec.ts.

const FIXTURE = 'training/tests/fixtures/micro-model';
const FILES = ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model_quantized.onnx', 'onnx/model_q4.onnx'];
const BYTES = new Map(FILES.map((p) => [p, new Uint8Array(readFileSync(join(FIXTURE, p)))]));
const SIZES = Object.fromEntries([...BYTES].map(([p, b]) => [p, b.byteLength]));
const FOLDER = '/app/models/micro/';
const ID = 'micro';

type Notice = Omit<CacheNotice, 'at'>;

beforeEach(() => {
  // A fresh, empty IndexedDB for every test.
  globalThis.indexedDB = new IDBFactory();
});

async function open(version: string, notices: Notice[] = [], over: Partial<ModelWeightCacheOptions> = {}): Promise<ModelWeightCache> {
  return ModelWeightCache.open({ modelId: ID, version, folderPath: FOLDER, expectedSizes: SIZES, onNotice: (n) => notices.push(n), ...over });
}

/** What transformers.js does on a miss: fetch, then put each file. */
async function fill(cache: ModelWeightCache, paths: readonly string[] = FILES): Promise<void> {
  for (const p of paths) await cache.put(`${FOLDER}${p}`, new Response(BYTES.get(p)!.slice()));
}

async function storedKeys(): Promise<{ files: string[]; manifests: string[] }> {
  return withModelDb(async (db) => ({ files: (await db.getAllKeys('files')).sort(), manifests: (await db.getAllKeys('manifests')).sort() }));
}

async function cacheVersion(version: string): Promise<void> {
  const c = await open(version);
  expect(c.mode).toBe('fill');
  await fill(c);
  expect(await c.commit()).toBe('cached');
}

/** Replaces IDBObjectStore#put for the duration of `fn` (as e2e/cache.spec.ts does in Chromium). */
async function withQuotaOnPut<T>(fn: () => Promise<T>): Promise<T> {
  const proto = globalThis.IDBObjectStore.prototype;
  const put = proto.put;
  proto.put = function () {
    throw new DOMException('quota (test)', 'QuotaExceededError');
  };
  try {
    return await fn();
  } finally {
    proto.put = put;
  }
}

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

describe('ModelWeightCache over IndexedDB', () => {
  it('fill → commit writes the manifest last; the next open is a hit serving the same bytes', async () => {
    const notices: Notice[] = [];
    const first = await open('v1', notices);
    expect(first.mode).toBe('fill');
    await fill(first);
    // Before commit there are files but no manifest: nothing is usable yet.
    expect((await storedKeys()).manifests).toEqual([]);
    expect(await first.commit()).toBe('cached');
    expect(notices.map((n) => n.kind)).toEqual(['cached']);
    const manifest = await withModelDb((db) => db.get('manifests', manifestKey(ID, 'v1')));
    expect(Object.keys(manifest!.files).sort()).toEqual([...FILES].sort());
    expect(manifest!.files['config.json']!.sha256).toBe(await sha256Hex(BYTES.get('config.json')!));

    const again: Notice[] = [];
    const hit = await open('v1', again, { dtype: 'q8' });
    expect(hit.mode).toBe('hit');
    for (const p of ['config.json', 'onnx/model_quantized.onnx']) {
      const res = await hit.match(`http://127.0.0.1:4191${FOLDER}${p}`);
      expect(res?.status).toBe(200);
      expect(new Uint8Array(await res!.arrayBuffer())).toEqual(BYTES.get(p));
    }
    // Only the dtype's files were verified for this load: another dtype's weights are not served.
    expect(await hit.match(`${FOLDER}onnx/model_q4.onnx`)).toBeUndefined();
    expect(await hit.match('/app/models/other/config.json')).toBeUndefined();
    expect(hit.served).toEqual(new Set(['config.json', 'onnx/model_quantized.onnx']));
    expect(await hit.commit()).toBe('hit');
    expect(again.map((n) => n.kind)).toEqual(['hit']);
    // The manifest still lists the q4 file (not loaded this time, not dropped).
    const after = await withModelDb((db) => db.get('manifests', manifestKey(ID, 'v1')));
    expect(Object.keys(after!.files).sort()).toEqual([...FILES].sort());
  });

  it('a hit serves the bytes open() hashed: one IndexedDB read per file, none changed after the check gets through', async () => {
    await cacheVersion('v1');
    const proto = globalThis.IDBObjectStore.prototype;
    const get = proto.get;
    const reads: string[] = [];
    proto.get = function (this: IDBObjectStore, key: IDBValidKey | IDBKeyRange) {
      if (this.name === 'files') reads.push(String(key));
      return get.call(this, key);
    };
    try {
      const hit = await open('v1', [], { dtype: 'q8' });
      expect(hit.mode).toBe('hit');
      const q8Files = FILES.filter((p) => p !== 'onnx/model_q4.onnx');
      expect(reads.sort()).toEqual(q8Files.map((p) => fileKey(ID, 'v1', p)).sort());
      // The weights change in IndexedDB after the check: the load still gets what was hashed.
      await withModelDb(async (db) => {
        const rec = (await db.get('files', fileKey(ID, 'v1', 'onnx/model_quantized.onnx')))!;
        const bytes = new Uint8Array(rec.data);
        for (let i = 100; i < 200; i++) bytes[i] = bytes[i]! ^ 0xff;
        await db.put('files', { ...rec, data: bytes.buffer });
      });
      reads.length = 0;
      for (const p of q8Files) {
        const res = await hit.match(`${FOLDER}${p}`);
        expect(new Uint8Array(await res!.arrayBuffer()), p).toEqual(BYTES.get(p));
      }
      expect(reads).toEqual([]);
      // A second match of a file reads its record again (the verified copy was handed over once).
      expect(await hit.match(`${FOLDER}config.json`)).toBeDefined();
      expect(reads).toEqual([fileKey(ID, 'v1', 'config.json')]);
      await hit.commit();
    } finally {
      proto.get = get;
    }
    // The next open hashes again and finds the change.
    const notices: Notice[] = [];
    expect((await open('v1', notices)).mode).toBe('fill');
    expect(notices.map((n) => [n.kind, n.detail])).toEqual([['corrupt-refetched', 'onnx/model_quantized.onnx: SHA-256 mismatch']]);
  });

  it('corrupt → the whole version is deleted and fetched again', async () => {
    await cacheVersion('v1');
    await withModelDb(async (db) => {
      const rec = (await db.get('files', fileKey(ID, 'v1', 'onnx/model_quantized.onnx')))!;
      const bytes = new Uint8Array(rec.data);
      for (let i = 100; i < 200; i++) bytes[i] = bytes[i]! ^ 0xff; // same length, other bytes
      await db.put('files', { ...rec, data: bytes.buffer });
    });
    const notices: Notice[] = [];
    const c = await open('v1', notices);
    expect(notices.map((n) => [n.kind, n.detail])).toEqual([['corrupt-refetched', 'onnx/model_quantized.onnx: SHA-256 mismatch']]);
    expect(c.mode).toBe('fill');
    expect(await c.match(`${FOLDER}config.json`)).toBeUndefined();
    expect(await storedKeys()).toEqual({ files: [], manifests: [] });
    await fill(c);
    expect(await c.commit()).toBe('cached');
    expect((await open('v1')).mode).toBe('hit');
  });

  it('a missing file of the manifest counts as corrupt', async () => {
    await cacheVersion('v1');
    await withModelDb((db) => db.delete('files', fileKey(ID, 'v1', 'tokenizer.json')));
    const notices: Notice[] = [];
    expect((await open('v1', notices)).mode).toBe('fill');
    expect(notices.map((n) => [n.kind, n.detail])).toEqual([['corrupt-refetched', 'tokenizer.json: missing']]);
  });

  it('partial (files without a manifest, an interrupted download) → discarded', async () => {
    const c = await open('v1');
    await fill(c, FILES.slice(0, 3));
    // The tab closed mid-download: neither commit() nor discard() ran.
    expect((await storedKeys()).files).toHaveLength(3);
    const notices: Notice[] = [];
    const next = await open('v1', notices);
    expect(next.mode).toBe('fill');
    expect(notices.map((n) => n.kind)).toEqual(['partial-discarded']);
    expect(await storedKeys()).toEqual({ files: [], manifests: [] });
  });

  it('a download of the wrong size is never stored, and the version is not committed', async () => {
    const c = await open('v1');
    await fill(c, FILES.slice(0, 4));
    await c.put(`${FOLDER}onnx/model_q4.onnx`, new Response(BYTES.get('onnx/model_q4.onnx')!.slice(0, 1000)));
    expect(await c.commit()).toBe('not-cached');
    expect((await storedKeys()).manifests).toEqual([]);
    expect((await storedKeys()).files).not.toContain(fileKey(ID, 'v1', 'onnx/model_q4.onnx'));
  });

  it('quota: a put that throws QuotaExceededError → memory, this load\'s files removed, no manifest', async () => {
    const notices: Notice[] = [];
    const c = await open('v1', notices);
    await fill(c, FILES.slice(0, 2));
    await withQuotaOnPut(() => fill(c, FILES.slice(2)));
    expect(c.mode).toBe('memory');
    expect(notices.map((n) => n.kind)).toEqual(['quota-exceeded']);
    expect(await c.commit()).toBe('not-cached');
    expect(await storedKeys()).toEqual({ files: [], manifests: [] });
  });

  it('quota: a small estimate() → memory before anything is written', async () => {
    const notices: Notice[] = [];
    const c = await open('v1', notices, { expectedBytes: 500_000, estimate: async () => ({ usage: 1000, quota: 1024 * 1024 }) });
    expect(c.mode).toBe('memory');
    expect(notices.map((n) => [n.kind, n.bytes])).toEqual([['no-space', 500_000]]);
    await fill(c);
    expect(await c.commit()).toBe('not-cached');
    expect(await storedKeys()).toEqual({ files: [], manifests: [] });
    // Enough room: cached.
    const roomy = await open('v1', [], { expectedBytes: 500_000, estimate: async () => ({ usage: 0, quota: 1e9 }) });
    expect(roomy.mode).toBe('fill');
  });

  it('stale version: opening v2 deletes every entry of v1', async () => {
    await cacheVersion('v1');
    const notices: Notice[] = [];
    const c = await open('v2', notices);
    expect(notices.map((n) => n.kind)).toEqual(['stale-removed']);
    expect(c.mode).toBe('fill');
    expect(await storedKeys()).toEqual({ files: [], manifests: [] });
    await fill(c);
    expect(await c.commit()).toBe('cached');
    expect((await storedKeys()).manifests).toEqual([manifestKey(ID, 'v2')]);
    // Another model's entries are not touched.
    const other = await ModelWeightCache.open({ modelId: 'other', version: 'v1', folderPath: '/app/models/other/' });
    await other.put('/app/models/other/config.json', new Response('{}'));
    expect(await other.commit()).toBe('cached');
    await open('v3');
    expect((await storedKeys()).manifests).toEqual([manifestKey('other', 'v1')]);
  });

  it('discard() after a failed load drops what the load wrote', async () => {
    const c = await open('v1');
    await fill(c);
    await c.discard();
    expect(await storedKeys()).toEqual({ files: [], manifests: [] });
  });

  it('IndexedDB unavailable: runs from memory with an "unavailable" notice and never throws', async () => {
    const notices: Notice[] = [];
    const cache = await open('v1', notices, { openDb: () => Promise.reject(new DOMException('blocked', 'InvalidStateError')) });
    expect(cache.mode).toBe('memory');
    expect(notices.map((n) => n.kind)).toEqual(['unavailable']);
    expect(await cache.match(`${FOLDER}config.json`)).toBeUndefined();
    await cache.put(`${FOLDER}config.json`, new Response('{}'));
    expect(await cache.commit()).toBe('not-cached');
    // The default opener works against the (fake) IndexedDB and is closed again.
    (await openModelDb()).close();
  });

  it('maps cache keys (paths and URLs) to paths inside the model folder', async () => {
    const cache = await open('v1');
    expect(cache.pathOf('/app/models/micro/onnx/model_q4.onnx')).toBe('onnx/model_q4.onnx');
    expect(cache.pathOf('http://127.0.0.1:4173/app/models/micro/config.json')).toBe('config.json');
    expect(cache.pathOf('/app/models/other/config.json')).toBeNull();
    await cache.discard();
  });
});
