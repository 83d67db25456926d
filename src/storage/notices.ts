/**
 * Cache notices: plain data the worker's cache posts on a BroadcastChannel and the page keeps in
 * its cache-status store (src/storage/cache-status.ts). No functions, no classes: structured-clone
 * safe.
 */
export const CACHE_CHANNEL = 'dischargerx-model-cache';

export type CacheNoticeKind =
  /** Served every file from IndexedDB (verified). */
  | 'hit'
  /** Downloaded and stored; manifest written (first complete cache of this version). */
  | 'cached'
  /** estimate() says the model will not fit: not cached, running from memory. */
  | 'no-space'
  /** A write failed with QuotaExceededError: partial entries removed, running from memory. */
  | 'quota-exceeded'
  /** A cached entry failed verification (hash/size/missing file): deleted and fetched again. */
  | 'corrupt-refetched'
  /** Files without a complete manifest (an interrupted download) were discarded. */
  | 'partial-discarded'
  /** Entries of older versions of this model were removed. */
  | 'stale-removed'
  /** IndexedDB cannot be used here (private mode, blocked): running from memory. */
  | 'unavailable';

export interface CacheNotice {
  kind: CacheNoticeKind;
  modelId: string;
  version: string;
  /** Human-readable detail (English, for the details line / logs). */
  detail?: string;
  bytes?: number;
  at: number;
}

export type CacheMessage = { type: 'notice'; notice: CacheNotice };

export function postCacheNotice(notice: Omit<CacheNotice, 'at'>): void {
  if (typeof BroadcastChannel === 'undefined') return;
  const ch = new BroadcastChannel(CACHE_CHANNEL);
  ch.postMessage({ type: 'notice', notice: { ...notice, at: Date.now() } } satisfies CacheMessage);
  ch.close();
}
