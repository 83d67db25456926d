/**
 * The IndexedDB database that holds cached model weights (via `idb`). Two stores:
 * - `files`: one record per model file, keyed `<modelId>@<version>/<path>`, with its bytes, size
 *   and SHA-256;
 * - `manifests`: one record per cached model version, keyed `<modelId>@<version>`, written LAST,
 *   after every file it lists was stored and read back verified. A model counts as cached only
 *   when its manifest exists and every listed file matches its size and hash.
 * Used from the engine worker (read/write) and the page (list, delete). No React.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';

export const DB_NAME = 'dischargerx-models';
export const DB_VERSION = 1;

export interface FileRecord {
  key: string;
  modelId: string;
  version: string;
  path: string;
  size: number;
  sha256: string;
  data: ArrayBuffer;
  storedAt: number;
}

export interface ManifestFile {
  size: number;
  sha256: string;
}

export interface ManifestRecord {
  key: string;
  modelId: string;
  version: string;
  files: Record<string, ManifestFile>;
  totalBytes: number;
  /** First complete cache of this version (ms since epoch). */
  cachedAt: number;
  /** Last time the manifest was (re)written, e.g. when another dtype was added. */
  updatedAt: number;
}

export interface ModelCacheDb extends DBSchema {
  files: { key: string; value: FileRecord; indexes: { byModel: string; byModelVersion: [string, string] } };
  manifests: { key: string; value: ManifestRecord; indexes: { byModel: string } };
}

export type Db = IDBPDatabase<ModelCacheDb>;

export function fileKey(modelId: string, version: string, path: string): string {
  return `${modelId}@${version}/${path}`;
}

export function manifestKey(modelId: string, version: string): string {
  return `${modelId}@${version}`;
}

export function openModelDb(): Promise<Db> {
  return openDB<ModelCacheDb>(DB_NAME, DB_VERSION, {
    upgrade(db) {
      const files = db.createObjectStore('files', { keyPath: 'key' });
      files.createIndex('byModel', 'modelId');
      files.createIndex('byModelVersion', ['modelId', 'version']);
      const manifests = db.createObjectStore('manifests', { keyPath: 'key' });
      manifests.createIndex('byModel', 'modelId');
    },
    blocking() {
      /* a newer schema elsewhere: nothing to do at version 1 */
    },
  });
}

/**
 * Deletes cached entries of `modelId` (manifest first, so a crash mid-way leaves no manifest that
 * points at missing files). `keepVersion`: delete every version except this one.
 */
export async function deleteModelEntries(db: Db, modelId: string, opts: { onlyVersion?: string; keepVersion?: string } = {}): Promise<number> {
  const tx = db.transaction(['manifests', 'files'], 'readwrite');
  const match = (version: string) =>
    (opts.onlyVersion === undefined || version === opts.onlyVersion) && (opts.keepVersion === undefined || version !== opts.keepVersion);
  let removed = 0;
  for (const m of await tx.objectStore('manifests').index('byModel').getAll(modelId)) {
    if (match(m.version)) await tx.objectStore('manifests').delete(m.key);
  }
  let cursor = await tx.objectStore('files').index('byModel').openCursor(modelId);
  while (cursor) {
    if (match(cursor.value.version)) {
      await cursor.delete();
      removed++;
    }
    cursor = await cursor.continue();
  }
  await tx.done;
  return removed;
}

export function isQuotaError(e: unknown): boolean {
  if (!e || typeof e !== 'object') return false;
  const name = (e as { name?: unknown }).name;
  return name === 'QuotaExceededError' || (e as { code?: unknown }).code === 22;
}
