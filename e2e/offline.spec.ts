import { expect, test } from '@playwright/test';

/**
 * Offline: the workbox service worker (vite-plugin-pwa) precaches the app shell and the
 * onnxruntime wasm; the model comes from IndexedDB. Visit once online, then go offline and reload.
 */
const NOTE = `主诉：反复关节肿痛3年。
出院诊断：1.痛风性关节炎 2.慢性肾脏病3期`;

test('after one visit the app loads and recommends offline', async ({ page, context }) => {
  await page.goto('/?backend=wasm');
  // The service worker is installed and controls the page (clientsClaim).
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise<void>((res) => navigator.serviceWorker.addEventListener('controllerchange', () => res(), { once: true }));
    }
  });
  const recommend = async () => {
    await page.getByTestId('note-input').fill(NOTE);
    await page.getByTestId('recommend').click();
    await expect(page.getByTestId('recommendations')).toHaveAttribute('data-source', 'model', { timeout: 60_000 });
    await expect(page.getByTestId('engine-running')).toHaveCount(0, { timeout: 60_000 });
    await expect(page.getByTestId('engine-error')).toHaveCount(0);
    return page.getByTestId('drug').evaluateAll((els) => els.map((e) => e.getAttribute('data-drug') ?? ''));
  };
  const online = await recommend();
  expect(online.length).toBeGreaterThan(0);
  await page.getByTestId('tab-models').click();
  await expect(page.getByTestId('cached-model')).toHaveCount(1, { timeout: 15_000 });

  await context.setOffline(true);
  await page.reload();
  await expect(page.getByTestId('note-input')).toBeVisible();
  const offline = await recommend();
  expect(offline).toEqual(online);

  // Missing model files still 404 through the service worker (no index.html fallback).
  await context.setOffline(false);
  const status = await page.evaluate(async () => (await fetch('models/does-not-exist/config.json')).status);
  expect(status).toBe(404);
});
