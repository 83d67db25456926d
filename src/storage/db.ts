/**
 * The IndexedDB database that holds cached model weights (via `idb`). Stores:
 * - `files`: one record per model file, keyed `<modelId>@<version>/<path>`, with its bytes, size
 *   and SHA-256;
 * - `manifests`: one record per cached model version, keyed `<modelId>@<version>`, written LAST,
 *   after every file it lists was stored and read back verified. A model counts as cached only
 *   when its manifest exists and every listed file matches its size and hash.
 *   A site's own model (imported from local files, id `site:<name>`) uses the same two stores;
 *   its manifest carries `site` (what the import found) — see ./site-models.ts.
 * - `lists` (schema version 2): a site's own candidate lists, one record per list, keyed
 *   `list:<name>` — see ./site-lists.ts.
 * - `cases` (schema version 3): cases the user explicitly saved (note text, parsed fields, final
 *   drug list), keyed by a random id — see ./saved-cases.ts. Nothing is written here otherwise.
 * Used from the engine worker (read/write) and the page (list, import, delete). No React.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';

export const DB_NAME = 'dischargerx-models';
export const DB_VERSION = 3;

/** Ids of a site's own models start with this ("site:<name>"); bundled ids never contain ':'. */
export const SITE_MODEL_PREFIX = 'site:';

export function isSiteModelId(modelId: string | null | undefined): modelId is string {
  return typeof modelId === 'string' && modelId.startsWith(SITE_MODEL_PREFIX);
}

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
  /** Only for a site's own model (id `site:<name>`): what the import validated. */
  site?: SiteModelMeta;
}

/** What the import of a site model folder found (stored in its manifest). */
export interface SiteModelMeta {
  /** The name the user gave (or the folder's name); the id is `site:<name>`. */
  name: string;
  /** config.json model_type (llama | qwen2). */
  modelType: string;
  /** Weights variants the folder has (transformers.js dtype names). */
  dtypes: string[];
  vocabSize: number | null;
  /** decoding.json present (calibrated stop threshold). */
  calibrated: boolean;
  hasDrugOrder: boolean;
  /** config.json dischargerx.note says it is a random-weight fixture. */
  fixture: boolean;
  /**
   * 'verified': the folder's manifest.json matched every stored file it lists; 'recorded': the
   * folder had none, so one was written at import (the bytes as they were then). Absent on
   * imports from before this check.
   */
  integrity?: 'verified' | 'recorded';
  /** Files of the picked folder that were not stored (not part of a model folder). */
  ignored: string[];
  importedAt: number;
}

/** A site's own candidate list (store `lists`). */
export interface ListRecord {
  /** `list:<name>` (also the id the UI selects). */
  key: string;
  name: string;
  /** The picked file's name. */
  fileName: string;
  /** The file's text exactly as read (UTF-8), re-parsed on use. */
  text: string;
  sha256: string;
  /** `sha256-<first 12 hex>` of the text. */
  version: string;
  /** 'formulary' (FormularyFile format) or 'names' (a plain JSON array of names). */
  format: 'formulary' | 'names';
  count: number;
  /** Names the bundled formulary does not know (no class / safety facts). */
  unknownCount: number;
  unknownExamples: string[];
  importedAt: number;
}
/** A case the user saved (store `cases`); written only by an explicit "save case". */
export interface CaseRecord {
  id: string;
  savedAt: number;
  /** The note exactly as typed. */
  noteText: string;
  /** The parsed (and possibly edited) record fields the recommendation was made for. */
  record: Record<string, unknown>;
  /** The final list after the clinician's accept / remove / add. */
  drugs: { name: string; drugClass: string; score: number; origin: 'recommended' | 'added'; accepted: boolean }[];
  source: 'model' | 'baseline';
  /** The model's id when source is 'model' (null otherwise / unknown). */
  modelId: string | null;
}
export interface ModelCacheDb extends DBSchema {
  files: { key: string; value: FileRecord; indexes: { byModel: string; byModelVersion: [string, string] } };
  manifests: { key: string; value: ManifestRecord; indexes: { byModel: string } };
  lists: { key: string; value: ListRecord };
  cases: { key: string; value: CaseRecord };
}

export type Db = IDBPDatabase<ModelCacheDb>;

export function fileKey(modelId: string, version: string, path: string): string {
  return `${modelId}@${version}/${path}`;
}

export function manifestKey(modelId: string, version: string): string {
  return `${modelId}@${version}`;
}

export function openModelDb(): Promise<Db> {
  const opened: Promise<Db> = openDB<ModelCacheDb>(DB_NAME, DB_VERSION, {
    upgrade(db, oldVersion) {
      if (oldVersion < 1) {
        const files = db.createObjectStore('files', { keyPath: 'key' });
        files.createIndex('byModel', 'modelId');
        files.createIndex('byModelVersion', ['modelId', 'version']);
        const manifests = db.createObjectStore('manifests', { keyPath: 'key' });
        manifests.createIndex('byModel', 'modelId');
      }
      // Version 2: a site's own candidate lists. Version 1 data (the weight cache) is kept.
      if (oldVersion < 2) db.createObjectStore('lists', { keyPath: 'key' });
      // Version 3: cases the user saved. Earlier stores are kept as they are.
      if (oldVersion < 3) db.createObjectStore('cases', { keyPath: 'id' });
    },
    blocking() {
      // A newer schema wants to open (another tab after an upgrade): let it.
      void opened.then((db) => db.close());
    },
  });
  return opened;
}

/**
 * Deletes cached entries of `modelId` (manifest first, so a crash mid-way leaves no manifest that
 * points at missing files). `keepVersion`: delete every version except this one.
 */
/** Opens the database for one piece of work and always closes it (short-lived connections, so a
 * schema upgrade in another tab is never blocked). */
export async function withModelDb<T>(fn: (db: Db) => Promise<T>): Promise<T> {
  const db = await openModelDb();
  try {
    return await fn(db);
  } finally {
    db.close();
  }
}

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
