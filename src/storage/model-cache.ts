/**
 * transformers.js `env.customCache` on IndexedDB for ONE model version, used by the engine worker
 * for one load (see src/worker/engine.worker.ts):
 *
 *   const cache = await ModelWeightCache.open({...});   // verify or discard what is stored
 *   env.useCustomCache = true; env.customCache = cache;   // match() / put() during from_pretrained
 *   await cache.commit();                                 // after a successful load: manifest LAST
 *
 * Rules (docs/storage.md):
 * - match() serves only files listed in a manifest whose every file was re-hashed and matched at
 *   open(); nothing else (a partial download is never used).
 * - put() checks the size against the bundled file list, hashes, stores the file record; commit()
 *   reads every written file back, re-verifies size + SHA-256 and only then writes the manifest.
 * - open() deletes other versions of the model, loose files without a manifest, and any entry
 *   that fails verification (then everything is fetched again).
 * - storage.estimate() before downloading; QuotaExceededError → stop caching, remove this load's
 *   partial files, keep running from memory. Errors never reach transformers.js.
 */
import { deleteModelEntries, fileKey, isQuotaError, manifestKey, openModelDb, type Db, type FileRecord, type ManifestFile, type ManifestRecord } from './db.ts';
import { sha256Hex } from './hash.ts';
import type { CacheNotice } from './notices.ts';

export type CacheMode =
  /** Manifest verified: listed files come from IndexedDB; missing ones are fetched and added. */
  | 'hit'
  /** Nothing usable cached: download, store, commit. */
  | 'fill'
  /** Not caching this load (no space, quota error, IndexedDB unavailable). */
  | 'memory';

export interface ModelWeightCacheOptions {
  modelId: string;
  version: string;
  /**
   * Origin-relative URL path of the model folder, with trailing slash ("/models/<id>/"): request
   * keys are matched against it.
   */
  folderPath: string;
  /** Sizes of the files the folder ships (bundled list): a put of another size is not stored. */
  expectedSizes?: Record<string, number>;
  /** Bytes this load will download (estimate() check); 0 skips the check. */
  expectedBytes?: number;
  onNotice?: (notice: Omit<CacheNotice, 'at'>) => void;
  /** Injected for tests. */
  openDb?: () => Promise<Db>;
  estimate?: () => Promise<{ usage?: number; quota?: number }>;
}

interface Verified {
  data: ArrayBuffer;
  size: number;
  sha256: string;
}

export class ModelWeightCache {
  mode: CacheMode = 'fill';
  /** Files served from IndexedDB this load. */
  readonly served = new Set<string>();
  /** Bytes served from IndexedDB this load. */
  servedBytes = 0;
  private verified = new Map<string, Verified>();
  private manifest: ManifestRecord | null = null;
  private written = new Map<string, ManifestFile>();
  private readonly pendingPuts = new Set<Promise<void>>();

  private constructor(
    private readonly opts: ModelWeightCacheOptions,
    private db: Db | null,
  ) {}

  static async open(opts: ModelWeightCacheOptions): Promise<ModelWeightCache> {
    let db: Db | null = null;
    try {
      db = await (opts.openDb ?? openModelDb)();
    } catch (e) {
      const c = new ModelWeightCache(opts, null);
      c.mode = 'memory';
      c.notice('unavailable', `IndexedDB: ${String(e)}`);
      return c;
    }
    const c = new ModelWeightCache(opts, db);
    try {
      await c.prepare();
    } catch (e) {
      c.mode = 'memory';
      c.notice('unavailable', `IndexedDB: ${String(e)}`);
    }
    return c;
  }

  private notice(kind: CacheNotice['kind'], detail?: string, bytes?: number): void {
    this.opts.onNotice?.({
      kind,
      modelId: this.opts.modelId,
      version: this.opts.version,
      ...(detail !== undefined ? { detail } : {}),
      ...(bytes !== undefined ? { bytes } : {}),
    });
  }

  private async prepare(): Promise<void> {
    const db = this.db!;
    const { modelId, version } = this.opts;
    const stale = await deleteModelEntries(db, modelId, { keepVersion: version });
    if (stale > 0) this.notice('stale-removed', `${stale} file(s) of older versions removed`);

    const manifest = await db.get('manifests', manifestKey(modelId, version));
    if (manifest) {
      const problem = await this.verifyAll(manifest);
      if (problem === null) {
        this.manifest = manifest;
        this.mode = 'hit';
        return;
      }
      await deleteModelEntries(db, modelId, { onlyVersion: version });
      this.verified.clear();
      this.notice('corrupt-refetched', problem);
    } else {
      const loose = await deleteModelEntries(db, modelId, { onlyVersion: version });
      if (loose > 0) this.notice('partial-discarded', `${loose} file(s) without a complete manifest removed`);
    }
    await this.checkSpace();
  }

  /** Re-reads and re-hashes every file of the manifest; null when all match, else what failed. */
  private async verifyAll(manifest: ManifestRecord): Promise<string | null> {
    const db = this.db!;
    for (const [path, want] of Object.entries(manifest.files)) {
      const rec = await db.get('files', fileKey(manifest.modelId, manifest.version, path));
      if (!rec) return `${path}: missing`;
      const size = rec.data?.byteLength ?? -1;
      if (size !== want.size || rec.size !== want.size) return `${path}: size ${size}, expected ${want.size}`;
      const sha = await sha256Hex(rec.data);
      if (sha !== want.sha256 || rec.sha256 !== want.sha256) return `${path}: SHA-256 mismatch`;
      this.verified.set(path, { data: rec.data, size, sha256: sha });
    }
    return null;
  }

  private async checkSpace(): Promise<void> {
    const need = this.opts.expectedBytes ?? 0;
    if (need <= 0) return;
    const estimate =
      this.opts.estimate ??
      ((): Promise<{ usage?: number; quota?: number }> =>
        typeof navigator !== 'undefined' && navigator.storage?.estimate ? navigator.storage.estimate() : Promise.resolve({}));
    try {
      const { usage, quota } = await estimate();
      if (typeof quota !== 'number') return;
      const free = quota - (usage ?? 0);
      // Room for the files plus IndexedDB overhead / a margin.
      if (free < need * 1.1 + 1024 * 1024) {
        this.mode = 'memory';
        this.notice('no-space', `needs ~${need} bytes, ${Math.max(0, free)} free of ${quota}`, need);
      }
    } catch {
      /* no estimate: try, and rely on QuotaExceededError */
    }
  }

  /** Path inside the model folder for a transformers.js cache key (path or URL), or null. */
  pathOf(request: string | Request | URL): string | null {
    return pathInFolder(request, this.opts.folderPath);
  }

  async match(request: string | Request | URL): Promise<Response | undefined> {
    if (this.mode !== 'hit') return undefined;
    const path = this.pathOf(request);
    const v = path === null ? undefined : this.verified.get(path);
    if (!v || path === null) return undefined;
    if (!this.served.has(path)) {
      this.served.add(path);
      this.servedBytes += v.size;
    }
    return new Response(v.data.slice(0), {
      status: 200,
      headers: { 'content-length': String(v.size), 'content-type': path.endsWith('.json') ? 'application/json' : 'application/octet-stream' },
    });
  }

  put(request: string | Request | URL, response: Response): Promise<void> {
    const p = this.doPut(request, response).finally(() => this.pendingPuts.delete(p));
    this.pendingPuts.add(p);
    return p;
  }

  private async doPut(request: string | Request | URL, response: Response): Promise<void> {
    if (this.mode === 'memory' || !this.db) return;
    const path = this.pathOf(request);
    if (path === null || this.verified.has(path)) return;
    let data: ArrayBuffer;
    try {
      data = await response.arrayBuffer();
    } catch {
      return;
    }
    const expected = this.opts.expectedSizes?.[path];
    if (expected !== undefined && data.byteLength !== expected) {
      // A truncated or substituted download is never stored.
      this.written.delete(path);
      this.incomplete = true;
      return;
    }
    const sha256 = await sha256Hex(data);
    const { modelId, version } = this.opts;
    const rec: FileRecord = { key: fileKey(modelId, version, path), modelId, version, path, size: data.byteLength, sha256, data, storedAt: Date.now() };
    try {
      await this.db.put('files', rec);
      if ((this.mode as CacheMode) !== 'memory') this.written.set(path, { size: rec.size, sha256 });
    } catch (e) {
      await this.fail(e);
    }
  }

  private incomplete = false;

  private async fail(e: unknown): Promise<void> {
    if (this.mode === 'memory') return;
    this.mode = 'memory';
    const quota = isQuotaError(e);
    const written = [...this.written.keys()];
    this.written.clear();
    this.notice(quota ? 'quota-exceeded' : 'unavailable', `${quota ? 'QuotaExceededError' : 'write failed'}: ${String((e as Error)?.message ?? e)}`);
    // Remove this load's partial files; a verified manifest (if any) stays as it was.
    if (this.db) {
      try {
        const { modelId, version } = this.opts;
        const tx = this.db.transaction('files', 'readwrite');
        for (const path of written) await tx.store.delete(fileKey(modelId, version, path));
        if (!this.manifest) {
          let c = await tx.store.index('byModelVersion').openCursor([modelId, version]);
          while (c) {
            await c.delete();
            c = await c.continue();
          }
        }
        await tx.done;
      } catch {
        /* best effort: open() discards loose files next time */
      }
    }
  }

  async delete(request: string | Request | URL): Promise<boolean> {
    const path = this.pathOf(request);
    if (path === null || !this.db) return false;
    this.verified.delete(path);
    this.written.delete(path);
    await this.db.delete('files', fileKey(this.opts.modelId, this.opts.version, path));
    return true;
  }

  /**
   * After a successful load: read back every file written this load, re-verify size + SHA-256,
   * then write the manifest (last). Returns 'cached' when a manifest was written.
   */
  async commit(): Promise<'cached' | 'hit' | 'not-cached'> {
    await Promise.all([...this.pendingPuts]);
    const db = this.db;
    try {
      if (this.mode === 'memory' || !db) return 'not-cached';
      if (this.written.size === 0) {
        if (this.mode === 'hit') this.notice('hit', `${this.served.size} file(s) from IndexedDB`, this.servedBytes);
        return this.mode === 'hit' ? 'hit' : 'not-cached';
      }
      if (this.incomplete) return 'not-cached';
      const { modelId, version } = this.opts;
      for (const [path, want] of this.written) {
        const rec = await db.get('files', fileKey(modelId, version, path));
        if (!rec || rec.data.byteLength !== want.size || (await sha256Hex(rec.data)) !== want.sha256) {
          await deleteModelEntries(db, modelId, { onlyVersion: version });
          this.notice('unavailable', `${path}: read-back verification failed; not cached`);
          return 'not-cached';
        }
      }
      const files: Record<string, ManifestFile> = {};
      for (const [path, v] of this.verified) files[path] = { size: v.size, sha256: v.sha256 };
      for (const [path, v] of this.written) files[path] = v;
      const now = Date.now();
      const manifest: ManifestRecord = {
        key: manifestKey(modelId, version),
        modelId,
        version,
        files,
        totalBytes: Object.values(files).reduce((n, f) => n + f.size, 0),
        cachedAt: this.manifest?.cachedAt ?? now,
        updatedAt: now,
      };
      await db.put('manifests', manifest);
      this.notice('cached', `${Object.keys(files).length} file(s) verified`, manifest.totalBytes);
      return 'cached';
    } catch (e) {
      await this.fail(e);
      return 'not-cached';
    } finally {
      this.close();
    }
  }

  /** After a failed load: drop what this load wrote (no manifest was written). */
  async discard(): Promise<void> {
    await Promise.allSettled([...this.pendingPuts]);
    try {
      if (this.db && this.written.size > 0) {
        const { modelId, version } = this.opts;
        const tx = this.db.transaction('files', 'readwrite');
        for (const path of this.written.keys()) await tx.store.delete(fileKey(modelId, version, path));
        await tx.done;
      }
    } catch {
      /* best effort */
    } finally {
      this.written.clear();
      this.close();
    }
  }

  private close(): void {
    this.db?.close();
    this.db = null;
    this.verified = new Map();
  }
}

/**
 * Path inside `folderPath` (e.g. "/models/x/") of a transformers.js cache key (a path or an
 * absolute URL), or null when the key is outside the folder. Only the pathname is used: the
 * placeholder base resolves relative keys and is never requested.
 */
export function pathInFolder(request: string | Request | URL, folderPath: string): string | null {
  const raw = typeof request === 'string' ? request : request instanceof URL ? request.href : request.url;
  let pathname: string;
  try {
    pathname = new URL(raw, 'http://x').pathname;
  } catch {
    return null;
  }
  if (!pathname.startsWith(folderPath)) return null;
  return decodeURIComponent(pathname.slice(folderPath.length));
}
