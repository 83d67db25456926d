import { expect, test } from '@playwright/test';
import { ORIGIN } from './support/origin.ts';

/**
 * Cross-origin isolation (vite.config.ts ISOLATION_HEADERS, docs/privacy.md "Threads"): the
 * preview server sends COOP/COEP with every file, the page is `crossOriginIsolated`, and
 * onnxruntime-web — the build the app runs — creates a multi-threaded WASM session under the
 * app's own CSP and isolation headers without any CSP violation (its thread workers are
 * same-origin, so `worker-src 'self'` is enough).
 */

test('COOP/COEP on every served file; the page is cross-origin isolated', async ({ page, request }) => {
  for (const path of ['/', '/sw.js', '/registerSW.js', '/manifest.webmanifest', '/coi-headers.js']) {
    const r = await request.get(path);
    expect(r.status(), path).toBe(200);
    expect(r.headers()['cross-origin-opener-policy'], path).toBe('same-origin');
    expect(r.headers()['cross-origin-embedder-policy'], path).toBe('require-corp');
  }
  await page.goto('/');
  expect(await page.evaluate(() => self.crossOriginIsolated)).toBe(true);
  expect(await page.evaluate(() => typeof SharedArrayBuffer)).toBe('function');
});

test('onnxruntime-web runs WASM with 2 threads under the app headers, with no CSP violation', async ({ page, request }) => {
  const MODEL_ID = 'dischargerx-small';
  const app = await request.get('/');
  const pick = ['content-security-policy', 'cross-origin-opener-policy', 'cross-origin-embedder-policy'];
  const headers = Object.fromEntries(Object.entries(app.headers()).filter(([k]) => pick.includes(k)));
  expect(Object.keys(headers).length).toBe(3);
  const ortDir = 'node_modules/onnxruntime-web/dist/';
  // A blank page on the app's origin with exactly the app's CSP and isolation headers.
  await page.route(`${ORIGIN}/__threads/**`, async (route) => {
    const path = new URL(route.request().url()).pathname.slice('/__threads/'.length);
    if (path === 'index.html') return route.fulfill({ contentType: 'text/html', headers, body: '<!doctype html><title>threads</title>' });
    if (!/^[\w.-]+\.(mjs|wasm)$/.test(path)) return route.fulfill({ status: 404, body: '' });
    return route.fulfill({ path: ortDir + path, headers, contentType: path.endsWith('.wasm') ? 'application/wasm' : 'text/javascript' });
  });
  await page.addInitScript(() => {
    const list: string[] = [];
    (window as unknown as { __csp: string[] }).__csp = list;
    document.addEventListener('securitypolicyviolation', (e) => list.push(`${e.effectiveDirective} ${e.blockedURI}`));
  });
  const workers: string[] = [];
  page.on('worker', (w) => workers.push(w.url()));
  await page.goto(`${ORIGIN}/__threads/index.html`);
  expect(await page.evaluate(() => self.crossOriginIsolated)).toBe(true);
  const result = await page.evaluate(
    async ({ modelUrl }) => {
      const bundleUrl: string = '/__threads/ort.jspi.bundle.min.mjs';
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const ort: any = await import(/* @vite-ignore */ bundleUrl);
      ort.env.wasm.wasmPaths = { wasm: '/__threads/ort-wasm-simd-threaded.jspi.wasm' };
      ort.env.wasm.numThreads = 2;
      const buf = new Uint8Array(await (await fetch(modelUrl)).arrayBuffer());
      const session = await ort.InferenceSession.create(buf, { executionProviders: ['wasm'] });
      const T = 8;
      const feeds: Record<string, unknown> = {
        input_ids: new ort.Tensor('int64', new BigInt64Array(T).fill(5n), [1, T]),
        attention_mask: new ort.Tensor('int64', new BigInt64Array(T).fill(1n), [1, T]),
        position_ids: new ort.Tensor('int64', BigInt64Array.from({ length: T }, (_, i) => BigInt(i)), [1, T]),
      };
      session.inputNames.forEach((name: string, i: number) => {
        if (!name.startsWith('past_key_values.') && !name.startsWith('prefix_key_values.')) return;
        const meta = session.inputMetadata[i] as { shape: (number | string)[] };
        feeds[name] = new ort.Tensor('float32', new Float32Array(0), meta.shape.map((d) => (typeof d === 'number' ? d : d === 'batch_size' ? 1 : 0)));
      });
      const logits = (await session.run(feeds)).logits as { dims: number[]; data: Float32Array };
      return { dims: logits.dims, finite: logits.data.every(Number.isFinite), numThreads: ort.env.wasm.numThreads as number };
    },
    { modelUrl: `/models/${MODEL_ID}/onnx/model_quantized.onnx` },
  );
  // onnxruntime-web resets numThreads to 1 (with a warning) when threads are not available.
  expect(result.numThreads).toBe(2);
  expect(workers.length, 'onnxruntime-web thread workers').toBeGreaterThanOrEqual(1);
  expect(result.dims[1]).toBe(8);
  expect(result.finite).toBe(true);
  expect(await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp)).toEqual([]);
});
