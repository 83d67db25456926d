/**
 * Cache notices: plain data the worker's cache sends on the engine's one event channel
 * (src/engine/protocol.ts) and the page keeps in its store (src/state/cache-status-store.ts).
 * No functions, no classes: structured-clone safe.
 */

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
