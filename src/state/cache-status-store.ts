/**
 * Page-side store of cache notices (plain, serialisable data) fed by the engine's event channel
 * (src/app/engine-session.ts). After the first complete cache it asks for persistent storage
 * (navigator.storage.persist() is not available in workers).
 */
import { create } from 'zustand';
import { requestPersistence } from '../storage/cache-admin.ts';
import type { CacheNotice } from '../storage/notices.ts';

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

/**
 * A notice from the engine (it arrives on the engine's one event channel, see
 * src/app/engine-session.ts): kept per model; after the first complete cache the page asks for
 * persistent storage (navigator.storage.persist() is not available in workers).
 */
export function recordCacheNotice(notice: CacheNotice): void {
  useCacheStatusStore.getState().record(notice);
  if (notice.kind === 'cached') {
    void requestPersistence().then((persisted) => useCacheStatusStore.getState().patch({ persisted }));
  }
  if (notice.kind === 'no-space' || notice.kind === 'quota-exceeded') {
    console.warn(`[cache] ${notice.kind}: ${notice.detail ?? ''} — running from memory`);
  }
}
