/**
 * Page-side store of cache notices (plain, serialisable data) fed by the worker's BroadcastChannel
 * (src/storage/notices.ts). After the first complete cache it asks for persistent storage
 * (navigator.storage.persist() is not available in workers).
 */
import { create } from 'zustand';
import { requestPersistence } from './cache-admin.ts';
import { CACHE_CHANNEL, type CacheMessage, type CacheNotice } from './notices.ts';

export interface CacheStatus {
  /** Latest notice per model id. */
  latest: Record<string, CacheNotice>;
  /** Latest notice that means "running from memory" (no-space / quota-exceeded / unavailable), or null. */
  memoryOnly: CacheNotice | null;
  /** Result of the last persist() request (null: not asked / unsupported). */
  persisted: boolean | null;
  /** Bumped on every notice so views re-read the cache listing. */
  revision: number;
}

interface CacheStatusState extends CacheStatus {
  record: (n: CacheNotice) => void;
  patch: (p: Partial<CacheStatus>) => void;
}

export const useCacheStatusStore = create<CacheStatusState>((set) => ({
  latest: {},
  memoryOnly: null,
  persisted: null,
  revision: 0,
  record: (n) =>
    set((s) => {
      const memory = n.kind === 'no-space' || n.kind === 'quota-exceeded' || n.kind === 'unavailable';
      const cleared = n.kind === 'cached' || n.kind === 'hit';
      return {
        latest: { ...s.latest, [n.modelId]: n },
        memoryOnly: memory ? n : cleared && s.memoryOnly?.modelId === n.modelId ? null : s.memoryOnly,
        revision: s.revision + 1,
      };
    }),
  patch: (p) => set(p),
}));

let listening = false;

/** Starts listening to the worker's notices (idempotent; called at module load of the panel). */
export function listenForCacheNotices(): void {
  if (listening || typeof BroadcastChannel === 'undefined') return;
  listening = true;
  const ch = new BroadcastChannel(CACHE_CHANNEL);
  ch.onmessage = (ev: MessageEvent<CacheMessage>) => {
    const msg = ev.data;
    if (!msg || msg.type !== 'notice' || typeof msg.notice?.kind !== 'string') return;
    useCacheStatusStore.getState().record(msg.notice);
    if (msg.notice.kind === 'cached') {
      void requestPersistence().then((persisted) => useCacheStatusStore.getState().patch({ persisted }));
    }
    if (msg.notice.kind === 'no-space' || msg.notice.kind === 'quota-exceeded') {
      console.warn(`[cache] ${msg.notice.kind}: ${msg.notice.detail ?? ''} — running from memory`);
    }
  };
}
