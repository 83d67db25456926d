import { expect, test } from '@playwright/test';

/**
 * Long-lived caching of the build's hashed assets (vite.config.ts immutableAssets,
 * docs/privacy.md "Static deployment"): every file under assets/ carries a content hash in its
 * name, so the preview server lets the browser keep it for a year without revalidating. That is
 * what lets Chromium reuse the code it compiled for onnxruntime's wasm on the next visit: a
 * `no-cache` revalidation (304) drops it (issue #10, docs/benchmark.md). The page itself, the
 * service worker and its registration script must still be revalidated, or an update would
 * never reach users.
 */
test('hashed assets are immutable; index.html, sw.js and registerSW.js are revalidated', async ({ page, request }) => {
  const assets = new Set<string>();
  page.on('request', (r) => {
    const path = new URL(r.url()).pathname;
    if (path.includes('/assets/')) assets.add(path);
  });
  await page.goto('/');
  await page.getByTestId('load-model').waitFor();
  // The page's own bundle and style sheet; the engine worker is named in the bundle, the wasm in the worker.
  const html = await (await request.get('/')).text();
  for (const m of html.matchAll(/(?:src|href)="\.?\/?(assets\/[^"]+)"/g)) assets.add(`/${m[1]}`);
  const bundle = [...assets].find((p) => /\/assets\/index-[\w-]+\.js$/.test(p));
  expect(bundle, 'the page bundle').toBeTruthy();
  const pageJs = await (await request.get(bundle!)).text();
  const worker = /engine\.worker-[\w-]+\.js/.exec(pageJs)?.[0];
  expect(worker, 'the engine worker named in the page bundle').toBeTruthy();
  assets.add(`/assets/${worker}`);
  const workerJs = await (await request.get(`/assets/${worker}`)).text();
  for (const m of workerJs.matchAll(/ort-wasm-simd-threaded\.\w+-[\w-]+\.wasm/g)) assets.add(`/assets/${m[0]}`);
  expect([...assets].filter((p) => p.endsWith('.wasm')).length, "onnxruntime's wasm builds").toBe(2);

  for (const path of assets) {
    const r = await request.get(path);
    expect(r.status(), path).toBe(200);
    expect(r.headers()['cache-control'], path).toBe('public, max-age=31536000, immutable');
  }
  for (const path of ['/', '/index.html', '/sw.js', '/registerSW.js']) {
    const r = await request.get(path);
    expect(r.status(), path).toBe(200);
    expect(r.headers()['cache-control'], path).not.toContain('immutable');
  }
});
