/**
 * The one verified store over the weight cache's IndexedDB stores (./db.ts): the three rules every
 * cached or imported model file goes through, whoever wrote it —
 *
 * - `verifyStored`: a manifest's files are present with their size and SHA-256. Each file is
 *   read once and hashed once. With `keep`, the verified bytes are handed back so a cache serves
 *   exactly those (no second IndexedDB read of the weights, no window between check and use);
 *   the cache lets go of each as it serves it, so a load still holds one copy of the weights
 *   (the one transformers.js reads). `hash: false` is the cheap read-back after a write
 *   (presence, size, the hash recorded at write time) — every later open hashes again.
 * - `checkSpace`: storage.estimate() against what a write will need.
 * - `fileResponse`: the Response a customCache serves, over the record's own buffer (an IndexedDB
 *   read is already a fresh structured clone, so no copy is made).
 *
 * Used by the bundled-model download cache (./model-cache.ts), a site model's read-only cache
 * (./site-model-cache.ts), the site import (./site-models.ts) and the models panel's listing
 * (./cache-admin.ts). No React, no DOM beyond Response / navigator.storage.
 */
import { isLoadFile, type ModelDtype } from '../model-folder/format.ts';
import { fileKey, type FileRecord, type ManifestFile } from './db.ts';
import { sha256Hex } from './hash.ts';

/** Reads one file record by key (idb's `db.get('files', key)`, or a test's in-memory map). */
export type ReadFile = (key: string) => Promise<FileRecord | undefined>;

export interface StoredManifest {
  modelId: string;
  version: string;
  files: Record<string, ManifestFile>;
}

export interface VerifyOptions {
  /** Check only the files a load of this dtype reads (its weights + the top-level JSON). */
  dtype?: ModelDtype;
  /** false: presence, size and the recorded hash only (read-back after a write). Default true. */
  hash?: boolean;
  /** Adds the time spent hashing, ms (the engine's load phases). */
  timing?: HashTiming;
  /** Hand back the bytes of every verified file (VerifyResult.kept). Default false. */
  keep?: boolean;
}

/** Time spent computing SHA-256, ms, accumulated by whoever hashes for one load. */
export interface HashTiming {
  hashMs: number;
}

/** sha256Hex, its time added to `timing`. */
export async function timedSha256(data: ArrayBuffer | Uint8Array, timing: HashTiming | undefined): Promise<string> {
  const t0 = performance.now();
  try {
    return await sha256Hex(data);
  } finally {
    if (timing) timing.hashMs += performance.now() - t0;
  }
}

export interface VerifyResult {
  /** Paths that were checked and matched. */
  verified: Set<string>;
  /** The first problem ("<path>: missing" / "…: size …" / "…: SHA-256 mismatch"), or null. */
  problem: string | null;
  /** With `keep`: path → the bytes that were hashed (empty when a problem was found). */
  kept: Map<string, ArrayBuffer>;
}

/** Checks a manifest's files against what is stored; stops at the first problem. */
export async function verifyStored(read: ReadFile, m: StoredManifest, opts: VerifyOptions = {}): Promise<VerifyResult> {
  const verified = new Set<string>();
  const kept = new Map<string, ArrayBuffer>();
  const fail = (problem: string): VerifyResult => (kept.clear(), { verified, problem, kept });
  for (const [path, want] of Object.entries(m.files)) {
    if (opts.dtype !== undefined && !isLoadFile(path, opts.dtype)) continue;
    const rec = await read(fileKey(m.modelId, m.version, path));
    if (!rec) return fail(`${path}: missing`);
    const size = rec.data?.byteLength ?? -1;
    if (size !== want.size || rec.size !== want.size) return fail(`${path}: size ${size}, expected ${want.size}`);
    if (rec.sha256 !== want.sha256 || (opts.hash !== false && (await timedSha256(rec.data, opts.timing)) !== want.sha256)) {
      return fail(`${path}: SHA-256 mismatch`);
    }
    verified.add(path);
    if (opts.keep) kept.set(path, rec.data);
  }
  return { verified, problem: null, kept };
}

export type Estimate = () => Promise<{ usage?: number; quota?: number }>;

export const browserEstimate: Estimate = () =>
  typeof navigator !== 'undefined' && navigator.storage?.estimate ? navigator.storage.estimate() : Promise.resolve({});

/**
 * Null when `need` bytes fit (or nothing is known: then a QuotaExceededError decides), else what
 * the estimate says. Room is kept for IndexedDB's own overhead: 1.1 × need + 1 MB.
 */
export async function checkSpace(need: number, estimate: Estimate = browserEstimate): Promise<{ free: number; quota: number; detail: string } | null> {
  if (need <= 0) return null;
  let e: { usage?: number; quota?: number };
  try {
    e = await estimate();
  } catch {
    return null;
  }
  if (typeof e.quota !== 'number') return null;
  const free = e.quota - (e.usage ?? 0);
  if (free >= need * 1.1 + 1024 * 1024) return null;
  return { free, quota: e.quota, detail: `needs ~${need} bytes, ${Math.max(0, free)} free of ${e.quota}` };
}

/** A stored file as transformers.js expects a cache hit. */
export function fileResponse(path: string, rec: Pick<FileRecord, 'data' | 'size'>): Response {
  return new Response(rec.data, {
    status: 200,
    headers: { 'content-length': String(rec.size), 'content-type': path.endsWith('.json') ? 'application/json' : 'application/octet-stream' },
  });
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
