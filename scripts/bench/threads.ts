/**
 * WASM threads in Chromium (part of `npm run bench`): onnxruntime-web — the build the app loads on
 * this Chromium (ort.jspi.bundle.min.mjs + the JSPI wasm; src/worker/ort-runtime.ts) — on a blank
 * page of the app's origin served
 * with exactly the app's CSP and COOP/COEP headers (so the page is cross-origin isolated, as the
 * app is), the bundled q8 model, for 1, 2 and 4 threads. One fresh page per thread count (the
 * wasm runtime initialises once per page).
 *
 * Measured per thread count, median ms per session.run: the prompt-length prefill (B1, T=P) and
 * the decoder's two call shapes at that past length: a beam step (B4, T1) and a jump-forward call
 * (B4, T4), fetching what the app's CPU path fetches (logits and new_key_values.*). On a graph
 * with a shared prompt prefix the calls feed the prompt once (prefix_key_values.*) and, timed
 * alternating with them, the same calls with the prompt in every row (the previous decoder). No
 * app code runs, so this isolates the runtime from the decoder.
 */
import type { Browser } from 'playwright-core';

export interface ThreadsRow {
  /** Requested numThreads. */
  threads: number;
  /** What onnxruntime-web kept after initialising (it falls back to 1 without isolation). */
  effective: number;
  prefillMs: number;
  stepMs: number;
  jumpMs: number;
  /**
   * On graphs with a shared prompt prefix: the same step and jump calls with the prompt's K/V in
   * every row instead (the decoder before the shared prefix), timed alternating with the above.
   */
  slotsStepMs?: number | null;
  slotsJumpMs?: number | null;
}

export async function runThreadsBench(
  browser: Browser,
  o: { baseUrl: string; modelId: string; threads: readonly number[]; past: number; repeats: number; log: (m: string) => void },
): Promise<ThreadsRow[]> {
  const origin = new URL(o.baseUrl).origin;
  const appHeaders = (await fetch(o.baseUrl)).headers;
  const headers: Record<string, string> = {};
  for (const h of ['content-security-policy', 'cross-origin-opener-policy', 'cross-origin-embedder-policy']) {
    const v = appHeaders.get(h);
    if (v) headers[h] = v;
  }
  const ortDir = 'node_modules/onnxruntime-web/dist/';
  const rows: ThreadsRow[] = [];
  for (const threads of o.threads) {
    const context = await browser.newContext();
    const page = await context.newPage();
    try {
      await page.route(`${origin}/__threads/**`, async (route) => {
        const path = new URL(route.request().url()).pathname.slice('/__threads/'.length);
        if (path === 'index.html') return route.fulfill({ contentType: 'text/html', headers, body: '<!doctype html><title>threads</title>' });
        if (!/^[\w.-]+\.(mjs|wasm)$/.test(path)) return route.fulfill({ status: 404, body: '' });
        return route.fulfill({ path: ortDir + path, headers, contentType: path.endsWith('.wasm') ? 'application/wasm' : 'text/javascript' });
      });
      // tsx (esbuild keepNames) wraps named functions in __name(); the page has no such helper.
      await page.addInitScript({ content: 'globalThis.__name = (f) => f;' });
      await page.goto(`${origin}/__threads/index.html`);
      const row = await page.evaluate(
        async ({ modelUrl, threads, past, repeats }) => {
          const bundleUrl: string = '/__threads/ort.jspi.bundle.min.mjs';
          // eslint-disable-next-line @typescript-eslint/no-explicit-any
          const ort: any = await import(/* @vite-ignore */ bundleUrl);
          ort.env.wasm.wasmPaths = { wasm: '/__threads/ort-wasm-simd-threaded.jspi.wasm' };
          ort.env.wasm.numThreads = threads;
          const buf = new Uint8Array(await (await fetch(modelUrl)).arrayBuffer());
          const session = await ort.InferenceSession.create(buf, { executionProviders: ['wasm'] });
          const i64 = (n: number, f: (i: number) => number, dims: number[]) => new ort.Tensor('int64', BigInt64Array.from({ length: n }, (_, i) => BigInt(f(i))), dims);
          const pastNames = session.inputNames.filter((n: string) => n.startsWith('past_key_values.'));
          // Graphs with a shared prompt prefix (src/decoding/host-kv-step-model.ts): the app feeds
          // the prompt's K/V once as prefix_key_values.* and only the generated suffix per row.
          const prefixNames = session.inputNames.filter((n: string) => n.startsWith('prefix_key_values.'));
          const empty = (name: string, batch: number) => {
            const meta = session.inputMetadata[session.inputNames.indexOf(name)] as { shape: (number | string)[] };
            return new ort.Tensor('float32', new Float32Array(0), meta.shape.map((d) => (typeof d === 'number' ? d : d === 'batch_size' ? batch : 0)));
          };
          const run = async (B: number, T: number, P: number, pastFeeds: Record<string, unknown> | null) => {
            const feeds: Record<string, unknown> = {
              input_ids: i64(B * T, (i) => 5 + (i % 7), [B, T]),
              attention_mask: i64(B * (P + T), () => 1, [B, P + T]),
              position_ids: i64(B * T, (i) => P + (i % T), [B, T]),
            };
            for (const name of [...pastNames, ...prefixNames]) feeds[name] = pastFeeds?.[name] ?? empty(name, B);
            // The app's call: only logits and the call's own K/V rows when the graph has them
            // (src/decoding/host-kv-step-model.ts), else every output.
            const hostKv = session.outputNames.some((n: string) => n.startsWith('new_key_values.'));
            const fetches = hostKv ? session.outputNames.filter((n: string) => n === 'logits' || n.startsWith('new_key_values.')) : session.outputNames;
            const t0 = performance.now();
            const out = await session.run(feeds, fetches);
            return { ms: performance.now() - t0, out };
          };
          const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
          // Prefill, then a past of `past` tokens on 4 rows (the beams after the expansion).
          const prefill: number[] = [];
          let last: Record<string, { dims: number[]; data: Float32Array }> = {};
          for (let r = 0; r < repeats; r++) {
            const { ms, out } = await run(1, past, 0, null);
            prefill.push(ms);
            last = out;
          }
          const pastFeeds: Record<string, unknown> = {};
          const slotFeeds: Record<string, unknown> = {};
          for (const name of pastNames) {
            // After a prefill with no past, a call's own rows are the whole cache.
            const present = (last[name.replace('past_key_values', 'new_key_values')] ?? last[name.replace('past_key_values', 'present')])!;
            const [, ...rest] = present.dims;
            if (prefixNames.length) {
              // Shared prefix: the prompt once, no generated suffix yet.
              pastFeeds[name.replace('past_key_values', 'prefix_key_values')] = new ort.Tensor('float32', present.data, present.dims);
              pastFeeds[name] = empty(name, 4);
            }
            const data = new Float32Array(present.data.length * 4);
            for (let b = 0; b < 4; b++) data.set(present.data, b * present.data.length);
            (prefixNames.length ? slotFeeds : pastFeeds)[name] = new ort.Tensor('float32', data, [4, ...rest]);
          }
          const step: number[] = [];
          const jump: number[] = [];
          const slotsStep: number[] = [];
          const slotsJump: number[] = [];
          for (let r = 0; r < repeats; r++) {
            step.push((await run(4, 1, past, pastFeeds)).ms);
            if (prefixNames.length) slotsStep.push((await run(4, 1, past, slotFeeds)).ms);
            jump.push((await run(4, 4, past, pastFeeds)).ms);
            if (prefixNames.length) slotsJump.push((await run(4, 4, past, slotFeeds)).ms);
          }
          return {
            effective: ort.env.wasm.numThreads as number,
            prefillMs: median(prefill),
            stepMs: median(step),
            jumpMs: median(jump),
            slotsStepMs: slotsStep.length ? median(slotsStep) : null,
            slotsJumpMs: slotsJump.length ? median(slotsJump) : null,
          };
        },
        { modelUrl: `/models/${o.modelId}/onnx/model_quantized.onnx`, threads, past: o.past, repeats: o.repeats },
      );
      rows.push({ threads, ...row });
      const slots = row.slotsStepMs != null ? ` (prompt in every row: step ${row.slotsStepMs.toFixed(1)} ms, jump ${row.slotsJumpMs?.toFixed(1)} ms)` : '';
      o.log(`threads ${threads} (kept ${row.effective}): prefill ${row.prefillMs.toFixed(0)} ms, step ${row.stepMs.toFixed(1)} ms, jump ${row.jumpMs.toFixed(1)} ms${slots}`);
    } finally {
      await context.close();
    }
  }
  return rows;
}
