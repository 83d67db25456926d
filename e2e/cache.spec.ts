import { expect, test, type Page } from '@playwright/test';
import { modelDbKeys } from './support/model-db.ts';
import { appMessages } from '../src/app/i18n.ts';

/**
 * IndexedDB weight cache (src/storage) end to end in Chromium with the real model: first load
 * downloads, reload reads weights from IndexedDB (no models/<id>/onnx/ request), a corrupted
 * entry is detected and refetched, a quota failure runs from memory with a notice, and the models
 * panel lists / deletes the cache. The service worker is blocked here so page.route and the
 * network log see every request (offline.spec.ts covers the service worker).
 */
test.use({ serviceWorkers: 'block' });
test.describe.configure({ mode: 'serial' });

const NOTE = `主诉：口干、多饮、多尿8年。
既往史：高血压病史10年。
出院诊断：1.2型糖尿病 2.高血压病2级（高危） 3.高脂血症`;

interface NetLog {
  onnx: string[];
  /** Requests under /models/ this load. */
  models: string[];
  /** Decoded body bytes of /models/ responses (wire bytes may be smaller: gzip). */
  bytes: () => Promise<number>;
  reset: () => void;
}

function watchModels(page: Page): NetLog {
  const log = { onnx: [] as string[], models: [] as string[], sizes: [] as Promise<number>[] };
  page.on('response', (res) => {
    const path = new URL(res.url()).pathname;
    if (!path.includes('/models/')) return;
    log.models.push(path);
    if (/\/models\/[^/]+\/onnx\//.test(path)) log.onnx.push(path);
    log.sizes.push(res.body().then((b) => b.length).catch(() => 0));
  });
  return {
    get onnx() {
      return log.onnx;
    },
    get models() {
      return log.models;
    },
    bytes: async () => (await Promise.all(log.sizes)).reduce((a, b) => a + b, 0),
    reset: () => {
      log.onnx = [];
      log.models = [];
      log.sizes = [];
    },
  };
}

async function recommend(page: Page): Promise<string[]> {
  await page.getByTestId('tab-recommend').click();
  await page.getByTestId('note-input').fill(NOTE);
  await page.getByTestId('recommend').click();
  await expect(page.getByTestId('recommendations')).toHaveAttribute('data-source', 'model', { timeout: 180_000 });
  await expect(page.getByTestId('engine-running')).toHaveCount(0, { timeout: 180_000 });
  await expect(page.getByTestId('engine-error')).toHaveCount(0);
  return page.getByTestId('drug').evaluateAll((els) => els.map((e) => e.getAttribute('data-drug') ?? ''));
}

async function cachedModels(page: Page) {
  await page.getByTestId('tab-models').click();
  await page.getByTestId('refresh-cache').click();
  return page.getByTestId('cached-model');
}

test('first load downloads, reload reads IndexedDB, corruption is refetched, panel deletes', async ({ page }, testInfo) => {
  test.setTimeout(480_000); // three model loads and several SHA-256 re-verifications on a shared, slow machine
  const log = watchModels(page);
  const cacheLogs: string[] = [];
  page.on('console', (m) => {
    if (m.text().includes('model cache:')) cacheLogs.push(m.text());
  });
  await page.goto('/?backend=wasm');
  const first = await recommend(page);
  expect(first.length).toBeGreaterThan(0);
  expect(log.onnx.some((p) => p.endsWith('/onnx/model_quantized.onnx'))).toBe(true);
  const firstBytes = await log.bytes();
  // The manifest is written after the load: the panel shows the verified model.
  const rows = await cachedModels(page);
  await expect(rows).toHaveCount(1, { timeout: 15_000 });
  await expect(rows.first()).toHaveAttribute('data-verified', 'true');
  const cachedBytes = Number(await rows.first().getAttribute('data-bytes'));
  expect(cachedBytes).toBeGreaterThan(100_000);
  await expect(rows.first().getByTestId('cached-model-size')).toContainText(/KB|MB/);
  // One size per variant: the engine details and the Models screen show the same bytes for the
  // loaded q8 variant (bundled-models.ts downloadSize); this load came over the network.
  const q8Bytes = await page.locator('[data-testid="model-option"] [data-testid="variant-size"][data-dtype="q8"]').first().getAttribute('data-bytes');
  expect(Number(q8Bytes)).toBeGreaterThan(100_000);
  await page.getByTestId('tab-recommend').click();
  await page.getByTestId('engine-details').locator('summary').click();
  await expect(page.getByTestId('variant-bytes')).toHaveAttribute('data-bytes', q8Bytes!);
  await expect(page.getByTestId('load-source')).toHaveAttribute('data-source', 'network');
  // Every progress line of the next loads, as shown (source and phase with it).
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __loadLines: string[] }).__loadLines = seen;
    new MutationObserver(() => {
      const el = document.querySelector('[data-testid="load-progress"]');
      if (!el) return;
      const line = `${el.getAttribute('data-load-phase')}|${el.getAttribute('data-source')}|${el.querySelector('[data-testid="load-phase-text"]')?.textContent ?? ''}`;
      if (seen[seen.length - 1] !== line) seen.push(line);
    }).observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
  });

  // A stale entry of an older version of the same model: removed by the next load.
  await page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((res) => {
      const r = indexedDB.open('dischargerx-models');
      r.onsuccess = () => res(r.result);
    });
    const tx = db.transaction(['files', 'manifests'], 'readwrite');
    const m = (await new Promise<{ modelId: string }[]>((res) => {
      const r = tx.objectStore('manifests').getAll();
      r.onsuccess = () => res(r.result as never);
    }))[0]!;
    const data = new Uint8Array([1, 2, 3]).buffer;
    tx.objectStore('files').put({ key: `${m.modelId}@old/config.json`, modelId: m.modelId, version: 'old', path: 'config.json', size: 3, sha256: 'x', data, storedAt: 0 });
    tx.objectStore('manifests').put({ key: `${m.modelId}@old`, modelId: m.modelId, version: 'old', files: { 'config.json': { size: 3, sha256: 'x' } }, totalBytes: 3, cachedAt: 0, updatedAt: 0 });
    await new Promise((res) => (tx.oncomplete = res));
    db.close();
  });
  await expect(await cachedModels(page)).toHaveCount(2);

  // Second load: weights from IndexedDB, no onnx request, identical recommendations.
  log.reset();
  await page.reload();
  const second = await recommend(page);
  expect(log.onnx).toEqual([]);
  expect(second).toEqual(first);
  // A load from the cache says so: never "downloading" with a byte count, and the details say "read from the cache".
  const lines = await page.evaluate(() => (window as unknown as { __loadLines: string[] }).__loadLines);
  console.log(`[cache.spec] progress lines of the cached load: ${lines.join(' ; ')}`);
  expect(lines.length).toBeGreaterThan(0);
  expect(lines.filter((l) => l.includes(appMessages.zh.phase_download_network) || l.split('|')[1] === 'network')).toEqual([]);
  // Each phase is named as what it is: reading the cache, then creating the session (not "reading" throughout).
  for (const l of lines.filter((x) => x.startsWith('session|'))) expect(l.split('|')[2]).toBe(appMessages.zh.phase_session);
  for (const l of lines.filter((x) => x.startsWith('download|'))) expect(l.split('|')[2]).toBe(appMessages.zh.phase_cache);
  await page.getByTestId('engine-details').locator('summary').click();
  await expect(page.getByTestId('load-source')).toHaveAttribute('data-source', 'cache');
  await expect(page.getByTestId('load-source')).toHaveText(appMessages.zh.readFromCache);
  await expect(page.getByTestId('variant-bytes')).toHaveAttribute('data-bytes', q8Bytes!);
  const secondBytes = await log.bytes();
  await page.getByTestId('tab-models').click();
  await expect(page.getByTestId('cache-last-notice')).toHaveAttribute('data-kind', 'hit');
  // Only the current version is left.
  await expect(await cachedModels(page)).toHaveCount(1);
  await expect((await cachedModels(page)).first()).not.toHaveAttribute('data-version', 'old');
  console.log(`[cache.spec] /models/ requests on the second load: ${log.models.join(' ') || 'none'}`);
  console.log(`[cache.spec] model bytes over the network: first load ${firstBytes}, second load ${secondBytes}; cached ${cachedBytes}`);
  testInfo.annotations.push({ type: 'bytes', description: `first ${firstBytes}, second ${secondBytes}, cached ${cachedBytes}` });

  // Corrupt the cached weights (same length, different bytes) → detected, deleted, refetched.
  const corrupted = await page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((res, rej) => {
      const r = indexedDB.open('dischargerx-models');
      r.onsuccess = () => res(r.result);
      r.onerror = () => rej(r.error);
    });
    const store = () => db.transaction('files', 'readwrite').objectStore('files');
    const all = await new Promise<{ key: string; path: string; data: ArrayBuffer }[]>((res) => {
      const r = store().getAll();
      r.onsuccess = () => res(r.result as never);
    });
    const rec = all.find((r) => r.path.startsWith('onnx/'))!;
    const bytes = new Uint8Array(rec.data.slice(0));
    for (let i = 100; i < 200; i++) bytes[i] = bytes[i]! ^ 0xff;
    await new Promise<void>((res, rej) => {
      const r = store().put({ ...rec, data: bytes.buffer });
      r.onsuccess = () => res();
      r.onerror = () => rej(r.error);
    });
    db.close();
    return rec.key;
  });
  expect(corrupted).toContain('onnx/');
  log.reset();
  await page.reload();
  const third = await recommend(page);
  expect(log.onnx.some((p) => p.endsWith('/onnx/model_quantized.onnx')), 'refetched after corruption').toBe(true);
  expect(third).toEqual(first);
  expect(cacheLogs.some((l) => l.includes('corrupt-refetched') && l.includes('SHA-256 mismatch')), cacheLogs.join('\n')).toBe(true);
  await page.getByTestId('tab-models').click();
  const rows2 = await cachedModels(page);
  await expect(rows2.first()).toHaveAttribute('data-verified', 'true', { timeout: 15_000 });

  console.log(`[cache.spec] persisted after the first full cache: ${await page.getByTestId('storage-info').getAttribute('data-persisted')}`);
  // Delete from the panel → the cache is empty.
  await rows2.first().getByTestId('delete-model').click();
  await expect(page.getByTestId('cache-empty')).toBeVisible();
  const keys = await modelDbKeys(page);
  const left = (keys.files ?? []).length + (keys.manifests ?? []).length;
  expect(left).toBe(0);
});

test('quota failure: still recommends from memory and says so', async ({ page }) => {
  // Make every IndexedDB put in the worker throw QuotaExceededError (prepended to the worker script).
  await page.route('**/assets/engine.worker-*.js', async (route) => {
    const res = await route.fetch();
    const stub = `IDBObjectStore.prototype.put = function () { throw new DOMException('quota (test)', 'QuotaExceededError'); };\n`;
    await route.fulfill({ response: res, body: stub + (await res.text()) });
  });
  const log = watchModels(page);
  await page.goto('/?backend=wasm');
  const drugs = await recommend(page);
  expect(drugs.length).toBeGreaterThan(0);
  expect(log.onnx.length).toBeGreaterThan(0);
  await page.getByTestId('tab-models').click();
  await expect(page.getByTestId('cache-notice')).toHaveAttribute('data-kind', 'quota-exceeded');
  await expect(page.getByTestId('cache-notice')).toContainText('内存');
  await expect(page.getByTestId('cache-empty')).toBeVisible();
});

test('no space per storage.estimate(): not cached, runs from memory with a notice', async ({ page }) => {
  await page.route('**/assets/engine.worker-*.js', async (route) => {
    const res = await route.fetch();
    const stub = `StorageManager.prototype.estimate = async function () { return { usage: 1000, quota: 1024 }; };\n`;
    await route.fulfill({ response: res, body: stub + (await res.text()) });
  });
  await page.goto('/?backend=wasm');
  const drugs = await recommend(page);
  expect(drugs.length).toBeGreaterThan(0);
  await page.getByTestId('tab-models').click();
  await expect(page.getByTestId('cache-notice')).toHaveAttribute('data-kind', 'no-space');
  await expect(page.getByTestId('cache-empty')).toBeVisible();
});
