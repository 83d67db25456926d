/**
 * Page-side view of the weight cache for the models panel: list cached models (verified against
 * their manifest), delete one / all, storage estimate and persistence. No React.
 */
import { deleteModelEntries, isSiteModelId, manifestKey, withModelDb } from './db.ts';
import { verifyStored } from './verified-store.ts';

export interface CachedModelSummary {
  modelId: string;
  version: string;
  files: number;
  bytes: number;
  cachedAt: number;
  updatedAt: number;
  /** Every manifest file present with the listed size and SHA-256. */
  verified: boolean;
  problem: string | null;
}

export interface StorageInfo {
  usage: number | null;
  quota: number | null;
  persisted: boolean | null;
}

/**
 * Cached versions of the bundled models (those with a manifest), each re-verified (sizes +
 * SHA-256). A site's own models (`site:<name>`, ./site-models.ts) are listed separately.
 */
export function listCachedModels(): Promise<CachedModelSummary[]> {
  return withModelDb(async (db) => {
    const out: CachedModelSummary[] = [];
    for (const m of await db.getAll('manifests')) {
      if (isSiteModelId(m.modelId)) continue;
      const { problem } = await verifyStored((key) => db.get('files', key), m);
      out.push({
        modelId: m.modelId,
        version: m.version,
        files: Object.keys(m.files).length,
        bytes: m.totalBytes,
        cachedAt: m.cachedAt,
        updatedAt: m.updatedAt,
        verified: problem === null,
        problem,
      });
    }
    return out.sort((a, b) => a.modelId.localeCompare(b.modelId));
  });
}

/**
 * Paths of the files a bundled model version has complete in the cache (its manifest, written
 * last), or null when it has none. Read-only and cheap (no hashing; the load verifies): the page
 * uses it to say a load is reading from the cache rather than downloading.
 */
export function cachedVersionFiles(modelId: string, version: string): Promise<string[] | null> {
  return withModelDb(async (db) => {
    const m = await db.get('manifests', manifestKey(modelId, version));
    return m ? Object.keys(m.files) : null;
  });
}

/** Bytes held in the files store (with or without a manifest). */
export function cachedBytes(): Promise<number> {
  return withModelDb(async (db) => {
    let n = 0;
    let c = await db.transaction('files').store.openCursor();
    while (c) {
      n += c.value.size;
      c = await c.continue();
    }
    return n;
  });
}

export function deleteCachedModel(modelId: string): Promise<number> {
  return withModelDb((db) => deleteModelEntries(db, modelId));
}

/**
 * Deletes the cache of every bundled model (they download again). A site's own models are kept:
 * they exist nowhere else and are removed one by one in their own list.
 */
export function deleteAllCachedModels(): Promise<void> {
  return withModelDb(async (db) => {
    const tx = db.transaction(['manifests', 'files'], 'readwrite');
    let m = await tx.objectStore('manifests').openCursor();
    while (m) {
      if (!isSiteModelId(m.value.modelId)) await m.delete();
      m = await m.continue();
    }
    // Key cursor over the modelId index: no file bytes are read.
    const files = tx.objectStore('files');
    let f = await files.index('byModel').openKeyCursor();
    while (f) {
      if (!isSiteModelId(f.key)) await files.delete(f.primaryKey);
      f = await f.continue();
    }
    await tx.done;
  });
}

export async function storageInfo(): Promise<StorageInfo> {
  const s = typeof navigator !== 'undefined' ? navigator.storage : undefined;
  let usage: number | null = null;
  let quota: number | null = null;
  let persisted: boolean | null = null;
  try {
    const e = await s?.estimate();
    usage = e?.usage ?? null;
    quota = e?.quota ?? null;
  } catch {
    /* unavailable */
  }
  try {
    persisted = s?.persisted ? await s.persisted() : null;
  } catch {
    persisted = null;
  }
  return { usage, quota, persisted };
}

/** Asks for persistent storage (after the first complete cache); returns the resulting state. */
export async function requestPersistence(): Promise<boolean | null> {
  const s = typeof navigator !== 'undefined' ? navigator.storage : undefined;
  if (!s?.persist) return null;
  try {
    if (await s.persisted()) return true;
    return await s.persist();
  } catch {
    return null;
  }
}
