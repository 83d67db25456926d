import { describe, expect, it } from 'vitest';
import { fileKey, manifestKey, type Db, type FileRecord, type ManifestRecord } from './db.ts';
import { sha256Hex } from './hash.ts';
import { SiteModelCache, SiteModelUnavailable, siteFolderSegment } from './site-model-cache.ts';

// The worker-side, read-only customCache of a site model over a fake `get`-only database
// (IndexedDB itself: e2e/site-model.spec.ts).

const ID = 'site:micro';
const V = 'sha256-abc';
const FOLDER = `/app/models/${siteFolderSegment(ID)}`;

async function fakeDb(files: Record<string, string>, tamper?: (recs: Map<string, FileRecord>) => void): Promise<() => Promise<Db>> {
  const recs = new Map<string, FileRecord>();
  const listed: ManifestRecord['files'] = {};
  for (const [path, text] of Object.entries(files)) {
    const data = new TextEncoder().encode(text).buffer as ArrayBuffer;
    const sha256 = await sha256Hex(data);
    recs.set(fileKey(ID, V, path), { key: fileKey(ID, V, path), modelId: ID, version: V, path, size: data.byteLength, sha256, data, storedAt: 0 });
    listed[path] = { size: data.byteLength, sha256 };
  }
  const manifest: ManifestRecord = { key: manifestKey(ID, V), modelId: ID, version: V, files: listed, totalBytes: 0, cachedAt: 0, updatedAt: 0 };
  tamper?.(recs);
  const db = {
    get: async (store: string, key: string) => (store === 'manifests' ? (key === manifest.key ? manifest : undefined) : recs.get(key)),
    close: () => undefined,
  };
  return async () => db as unknown as Db;
}

describe('SiteModelCache', () => {
  it('serves the manifest files under the site folder path, misses everything else', async () => {
    expect(FOLDER).toBe('/app/models/@site/micro/');
    const cache = await SiteModelCache.open({ modelId: ID, version: V, folderPath: FOLDER, openDb: await fakeDb({ 'config.json': '{"a":1}', 'onnx/model.onnx': 'WEIGHTS' }) });
    const res = await cache.match(`${FOLDER}config.json`);
    expect(res?.status).toBe(200);
    expect(await res!.text()).toBe('{"a":1}');
    expect(await (await cache.match(`http://127.0.0.1:4173${FOLDER}onnx/model.onnx`))!.text()).toBe('WEIGHTS');
    expect(await cache.match(`${FOLDER}generation_config.json`)).toBeUndefined();
    expect(await cache.match('/app/models/other/config.json')).toBeUndefined();
    expect(cache.served).toEqual(new Set(['config.json', 'onnx/model.onnx']));
    await cache.put();
    expect(await cache.delete()).toBe(false);
    cache.close();
    expect(await cache.match(`${FOLDER}config.json`)).toBeUndefined();
  });

  it('a missing manifest, a missing file or a changed byte: SiteModelUnavailable (nothing served)', async () => {
    const open = async (openDb: () => Promise<Db>, version = V) => SiteModelCache.open({ modelId: ID, version, folderPath: FOLDER, openDb });
    await expect(open(await fakeDb({ 'config.json': '{}' }), 'sha256-other')).rejects.toThrow(/no manifest/);
    await expect(open(await fakeDb({ 'config.json': '{}' }, (r) => r.clear()))).rejects.toThrow(/missing/);
    const flipped = await fakeDb({ 'config.json': '{"x":1}' }, (r) => {
      const rec = r.values().next().value!;
      rec.data = new TextEncoder().encode('{"x":2}').buffer as ArrayBuffer;
    });
    await expect(open(flipped)).rejects.toBeInstanceOf(SiteModelUnavailable);
    await expect(open(flipped)).rejects.toThrow(/SHA-256/);
    await expect(open(() => Promise.reject(new Error('blocked')))).rejects.toThrow(/IndexedDB unavailable/);
  });
});
