/**
 * transformers.js `env.customCache` for a site's own model (imported by ./site-models.ts), used
 * by the engine worker for one load. Read-only: the files exist only in IndexedDB, so
 *
 * - open() needs the manifest of exactly this id + version and checks the files this load reads
 *   (size + SHA-256, once, through the one verified store ./verified-store.ts; the first match()
 *   of a file serves the bytes that were checked, a repeated one reads the record again); a
 *   missing manifest or any mismatch throws SiteModelUnavailable (the model must be imported
 *   again; nothing is deleted or refetched);
 * - match() answers the URLs transformers.js asks for under the model's folder path
 *   (`<app>/models/@site/<name>/…`) from IndexedDB; anything not in the manifest is a miss, and
 *   the worker answers those requests with a local 404 (optional files), never the network;
 * - put() / delete() do nothing.
 */
import type { ModelDtype } from '../model-folder/format.ts';
import { fileKey, manifestKey, openModelDb, SITE_MODEL_PREFIX, type Db, type ManifestRecord } from './db.ts';
import { fileResponse, pathInFolder, verifyStored, type HashTiming } from './verified-store.ts';

export class SiteModelUnavailable extends Error {
  override readonly name = 'SiteModelUnavailable';
}

/** Folder segment of a site model under `<app>/models/`: `@site/<name>/` (URL-encoded name). */
export function siteFolderSegment(modelId: string): string {
  return `@site/${encodeURIComponent(modelId.slice(SITE_MODEL_PREFIX.length))}/`;
}

export interface SiteModelCacheOptions {
  modelId: string;
  version: string;
  /** Origin-relative URL path of the model folder, with trailing slash. */
  folderPath: string;
  /** The dtype this load reads: only its weights (and the JSON files) are verified. */
  dtype?: ModelDtype;
  openDb?: () => Promise<Db>;
}

export class SiteModelCache {
  readonly served = new Set<string>();
  servedBytes = 0;
  /** Time open() spent hashing, ms. */
  readonly timing: HashTiming;

  private constructor(
    private readonly opts: SiteModelCacheOptions,
    private db: Db | null,
    readonly manifest: ManifestRecord,
    /** Files checked at open(): the only ones served. */
    private readonly verified: ReadonlySet<string>,
    timing: HashTiming,
    /** The bytes open() checked, until match() serves them. */
    private verifiedBytes: Map<string, ArrayBuffer>,
  ) {
    this.timing = timing;
  }

  static async open(opts: SiteModelCacheOptions): Promise<SiteModelCache> {
    let db: Db;
    try {
      db = await (opts.openDb ?? openModelDb)();
    } catch (e) {
      throw new SiteModelUnavailable(`IndexedDB unavailable: ${String(e)}`);
    }
    try {
      const manifest = await db.get('manifests', manifestKey(opts.modelId, opts.version));
      if (!manifest) throw new SiteModelUnavailable(`${opts.modelId} (${opts.version}) is not stored (no manifest); import it again`);
      const timing: HashTiming = { hashMs: 0 };
      const { verified, problem, kept } = await verifyStored((key) => db.get('files', key), manifest, { ...(opts.dtype ? { dtype: opts.dtype } : {}), timing, keep: true });
      if (problem !== null) throw new SiteModelUnavailable(`${opts.modelId}: ${problem}; import the folder again`);
      return new SiteModelCache(opts, db, manifest, verified, timing, kept);
    } catch (e) {
      db.close();
      if (e instanceof SiteModelUnavailable) throw e;
      throw new SiteModelUnavailable(`IndexedDB read failed: ${String(e)}`);
    }
  }

  /** Path inside the model folder for a cache key (path or URL), or null. */
  pathOf(request: string | Request | URL): string | null {
    return pathInFolder(request, this.opts.folderPath);
  }

  async match(request: string | Request | URL): Promise<Response | undefined> {
    const path = this.pathOf(request);
    if (path === null || !this.db || !this.verified.has(path)) return undefined;
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

  async put(): Promise<void> {
    /* read-only: the files came from the import */
  }

  async delete(): Promise<boolean> {
    return false;
  }

  close(): void {
    this.db?.close();
    this.db = null;
    this.verifiedBytes = new Map();
  }
}
