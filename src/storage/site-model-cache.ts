/**
 * transformers.js `env.customCache` for a site's own model (imported by ./site-models.ts), used
 * by the engine worker for one load. Read-only: the files exist only in IndexedDB, so
 *
 * - open() needs the manifest of exactly this id + version and re-reads and re-hashes every
 *   listed file (size + SHA-256); a missing manifest or any mismatch throws SiteModelUnavailable
 *   (the model must be imported again; nothing is deleted or refetched);
 * - match() answers the URLs transformers.js asks for under the model's folder path
 *   (`<app>/models/@site/<name>/…`) from IndexedDB; anything not in the manifest is a miss, and
 *   the worker answers those requests with a local 404 (optional files), never the network;
 * - put() / delete() do nothing.
 */
import { fileKey, manifestKey, openModelDb, SITE_MODEL_PREFIX, type Db, type ManifestRecord } from './db.ts';
import { sha256Hex } from './hash.ts';
import { pathInFolder } from './model-cache.ts';

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
  openDb?: () => Promise<Db>;
}

export class SiteModelCache {
  readonly served = new Set<string>();
  servedBytes = 0;

  private constructor(
    private readonly opts: SiteModelCacheOptions,
    private db: Db | null,
    readonly manifest: ManifestRecord,
  ) {}

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
      for (const [path, want] of Object.entries(manifest.files)) {
        const rec = await db.get('files', fileKey(opts.modelId, opts.version, path));
        if (!rec) throw new SiteModelUnavailable(`${opts.modelId}: ${path} is missing; import the folder again`);
        if (rec.data.byteLength !== want.size) throw new SiteModelUnavailable(`${opts.modelId}: ${path} has the wrong size; import the folder again`);
        if ((await sha256Hex(rec.data)) !== want.sha256) throw new SiteModelUnavailable(`${opts.modelId}: ${path} failed SHA-256 verification; import the folder again`);
      }
      return new SiteModelCache(opts, db, manifest);
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
    if (path === null || !this.db || !(path in this.manifest.files)) return undefined;
    const rec = await this.db.get('files', fileKey(this.opts.modelId, this.opts.version, path));
    if (!rec) return undefined;
    if (!this.served.has(path)) {
      this.served.add(path);
      this.servedBytes += rec.size;
    }
    return new Response(rec.data, {
      status: 200,
      headers: { 'content-length': String(rec.size), 'content-type': path.endsWith('.json') ? 'application/json' : 'application/octet-stream' },
    });
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
  }
}
