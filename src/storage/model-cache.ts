/**
 * transformers.js `env.customCache` on IndexedDB for ONE model version, used by the engine worker
 * for one load (see src/worker/browser-host.ts):
 *
 *   const cache = await ModelWeightCache.open({...});   // verify or discard what is stored
 *   env.useCustomCache = true; env.customCache = cache;   // match() / put() during from_pretrained
 *   await cache.commit();                                 // after a successful load: manifest LAST
 *
 * Rules (docs/storage.md); verification, the space check and the served Response are the one
 * verified store's (./verified-store.ts), shared with a site's own models:
 * - match() serves only files of a manifest whose files this load reads were re-hashed at open():
 *   the first match() of a file serves the very bytes open() hashed (and lets go of them), a
 *   repeated one reads the record again; nothing else — a partial download is never used.
 * - put() checks the size against the bundled file list, hashes, stores the file record; commit()
 *   reads every written file back (present, right size) and only then writes the manifest.
 * - open() deletes other versions of the model, loose files without a manifest, and the whole
 *   version when a file fails verification (then everything is fetched again).
 * - storage.estimate() before downloading; QuotaExceededError → stop caching, remove this load's
 *   partial files, keep running from memory. Errors never reach transformers.js.
 */
import type { ModelDtype } from '../model-folder/format.ts';
import { deleteModelEntries, fileKey, isQuotaError, manifestKey, openModelDb, type Db, type FileRecord, type ManifestFile, type ManifestRecord } from './db.ts';
import type { CacheNotice } from './notices.ts';
import { checkSpace, fileResponse, pathInFolder, timedSha256, verifyStored, type Estimate, type HashTiming } from './verified-store.ts';

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
  /** The dtype this load reads: only its files are verified at open (another dtype's, when it loads). */
  dtype?: ModelDtype;
  onNotice?: (notice: Omit<CacheNotice, 'at'>) => void;
  /** Injected for tests. */
  openDb?: () => Promise<Db>;
  estimate?: Estimate;
}

export class ModelWeightCache {
  mode: CacheMode = 'fill';
  /** Files served from IndexedDB this load. */
  readonly served = new Set<string>();
  /** Bytes served from IndexedDB this load. */
  servedBytes = 0;
  /** Time this load spent hashing (verification at open, put), ms. */
  readonly timing: HashTiming = { hashMs: 0 };
  /** Paths of the manifest verified at open(). */
  private verified = new Set<string>();
  /** The bytes open() verified, until match() serves them (one IndexedDB read per file on a hit). */
  private verifiedBytes = new Map<string, ArrayBuffer>();
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
      const { verified, problem, kept } = await verifyStored((key) => db.get('files', key), manifest, {
        ...(this.opts.dtype ? { dtype: this.opts.dtype } : {}),
        timing: this.timing,
        keep: true,
      });
      if (problem === null) {
        this.manifest = manifest;
        this.verified = verified;
        this.verifiedBytes = kept;
        this.mode = 'hit';
        return;
      }
      await deleteModelEntries(db, modelId, { onlyVersion: version });
      this.notice('corrupt-refetched', problem);
    } else {
      const loose = await deleteModelEntries(db, modelId, { onlyVersion: version });
      if (loose > 0) this.notice('partial-discarded', `${loose} file(s) without a complete manifest removed`);
    }
    const short = await checkSpace(this.opts.expectedBytes ?? 0, this.opts.estimate);
    if (short) {
      this.mode = 'memory';
      this.notice('no-space', short.detail, this.opts.expectedBytes);
    }
  }

  /** Path inside the model folder for a transformers.js cache key (path or URL), or null. */
  pathOf(request: string | Request | URL): string | null {
    return pathInFolder(request, this.opts.folderPath);
  }

  async match(request: string | Request | URL): Promise<Response | undefined> {
    if (this.mode !== 'hit' || !this.db) return undefined;
    const path = this.pathOf(request);
    if (path === null || !this.verified.has(path)) return undefined;
    const data = this.verifiedBytes.get(path);
    this.verifiedBytes.delete(path);
    const rec = data ? { data, size: data.byteLength } : await this.db.get('files', fileKey(this.opts.modelId, this.opts.version, path));
    if (!rec || rec.data.byteLength !== rec.size) return undefined;
    if (!this.served.has(path)) {
      this.served.add(path);
      this.servedBytes += rec.size;
    }
    return fileResponse(path, rec);
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
    const sha256 = await timedSha256(data, this.timing);
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
    this.verifiedBytes.delete(path);
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
      // Read back what this load wrote (present, right size; hashed again by the next open).
      const readBack = await verifyStored((key) => db.get('files', key), { modelId, version, files: Object.fromEntries(this.written) }, { hash: false });
      if (readBack.problem !== null) {
        await deleteModelEntries(db, modelId, { onlyVersion: version });
        this.notice('unavailable', `${readBack.problem}: read-back failed; not cached`);
        return 'not-cached';
      }
      // Files of the verified manifest (another dtype's too) stay listed; this load's are added.
      const files: Record<string, ManifestFile> = { ...this.manifest?.files, ...Object.fromEntries(this.written) };
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
    this.verified = new Set();
    this.verifiedBytes = new Map();
  }
}
