import type { Page } from '@playwright/test';

/**
 * Keys of every object store of the app's model database, read in the page with the raw
 * IndexedDB API (not the app's own storage code, so a bug there cannot hide itself).
 */
export async function modelDbKeys(page: Page): Promise<Record<string, string[]>> {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((res, rej) => {
      const r = indexedDB.open('dischargerx-models');
      r.onsuccess = () => res(r.result);
      r.onerror = () => rej(r.error);
    });
    const out: Record<string, string[]> = {};
    for (const name of Array.from(db.objectStoreNames)) {
      out[name] = await new Promise<string[]>((res, rej) => {
        const r = db.transaction(name).objectStore(name).getAllKeys();
        r.onsuccess = () => res(r.result.map(String));
        r.onerror = () => rej(r.error);
      });
    }
    db.close();
    return out;
  });
}
