import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { ORIGIN } from './support/origin.ts';

/**
 * The model engine in its Web Worker, end to end in Debian Chromium (--enable-unsafe-webgpu;
 * headless, SwiftShader provides the WebGPU adapter, so timings here mean nothing).
 *
 * Parity: for the same note, the drugs must be identical on Node (onnxruntime-node, the CLI's
 * code path), on WASM and on WebGPU when the same weights (dtype) run on each.
 */

const formulary = JSON.parse(readFileSync('src/clinical/data/formulary.json', 'utf8')) as { drugs: { name: string }[] };
const candidateNames = new Set(formulary.drugs.map((d) => d.name));

const NOTES: string[] = [
  `性别：男  出生日期：1958-03-12  民族：汉族  BMI：27.4
就诊时间：2023-05-08
主诉：口干、多饮、多尿8年，血糖控制不佳1月。
现病史：患者8年前诊断为"2型糖尿病"，长期口服盐酸二甲双胍片0.5g tid。
既往史：高血压病史10年，服用苯磺酸氨氯地平片5mg qd。
出院诊断：1.2型糖尿病 2.高血压病2级（高危） 3.高脂血症 4.高尿酸血症`,
  `主诉：反复关节肿痛3年。
现病史：血尿酸升高，曾服别嘌醇。
出院诊断：1.痛风性关节炎 2.慢性肾脏病3期`,
  JSON.stringify({
    就诊标识: 'e2e-1',
    性别: '女',
    出生日期: '1950-01-02',
    就诊时间: '2023-01-01',
    BMI: '24.5',
    主诉: '乏力、怕冷',
    既往史: '甲状腺功能减退症',
    出院诊断: ['甲状腺功能减退症', '骨质疏松症'],
  }),
];

function watchOrigin(page: Page): string[] {
  const offOrigin: string[] = [];
  page.on('request', (req) => {
    const url = req.url();
    if (!url.startsWith(`${ORIGIN}/`) && !url.startsWith('data:') && !url.startsWith('blob:')) offOrigin.push(url);
  });
  return offOrigin;
}

/** Same-origin request paths (page + worker), to report which runtime files load. */
function watchPaths(page: Page): string[] {
  const paths: string[] = [];
  page.on('request', (req) => {
    if (req.url().startsWith(`${ORIGIN}/`)) paths.push(new URL(req.url()).pathname);
  });
  return paths;
}

async function recommend(page: Page, note: string, timeout = 60_000): Promise<string[]> {
  await page.getByTestId('note-input').fill(note);
  // The click clears the previous list synchronously, so the next list is this note's.
  await page.getByTestId('recommend').click();
  await expect(page.getByTestId('recommendations')).toHaveAttribute('data-source', 'model', { timeout });
  await expect(page.getByTestId('engine-running')).toHaveCount(0, { timeout });
  await expect(page.getByTestId('engine-error')).toHaveCount(0);
  return page.getByTestId('drug').evaluateAll((els) => els.map((e) => e.getAttribute('data-drug') ?? ''));
}

async function runNotes(
  page: Page,
  query: string,
  notes: readonly string[] = NOTES,
  timeout = 60_000,
): Promise<{ drugs: string[][]; badge: string; reason: string }> {
  await page.goto(`/?${query}`);
  const drugs: string[][] = [];
  for (const note of notes) drugs.push(await recommend(page, note, timeout));
  const badge = (await page.getByTestId('backend-badge').textContent()) ?? '';
  const reason = (await page.getByTestId('backend-reason').getAttribute('data-reason')) ?? '';
  return { drugs, badge, reason };
}

/** Node reference: the same parse + prompt + constrained decoder on onnxruntime-node. */
function nodeDrugs(dtypes: string[], notes: readonly string[]): Record<string, string[][]> {
  const code = `
    import { readFileSync, existsSync } from 'node:fs';
    import { resolve } from 'node:path';
    import { parseNote } from './src/features/recommend/parse-note.ts';
    import { Formulary } from './src/clinical/formulary.ts';
    import { loadCausalLm } from './src/decoding/load-causal-lm.ts';
    import { parseDecodingConfig } from './src/decoding/decoding-config.ts';
    import { checkFusionWeights } from './src/decoding/evidence-fusion.ts';
    import { decodeWithPolicy } from './src/engine/decode-policy.ts';
    (async () => {
    const notes = JSON.parse(process.env.E2E_NOTES);
    const dir = resolve('models', process.env.E2E_MODEL);
    const read = (f) => (existsSync(resolve(dir, f)) ? JSON.parse(readFileSync(resolve(dir, f), 'utf8')) : null);
    const dj = read('decoding.json');
    const cfg = dj ? parseDecodingConfig(dj) : null;
    const fusion = read('fusion.json');
    if (fusion) checkFusionWeights(fusion);
    const out = {};
    for (const dtype of JSON.parse(process.env.E2E_DTYPES)) {
      const lm = await loadCausalLm(dir, { dtype, device: 'cpu' });
      out[dtype] = [];
      for (const note of notes) {
        const parsed = parseNote(note);
        if (!parsed.ok) throw new Error(parsed.message);
        // The page's policy, as the CLI runs it: search, evidence fusion, cut (src/engine/decode-policy.ts).
        const r = await decodeWithPolicy({ model: lm.model, tokenizer: lm.tokenizer, record: parsed.record, candidates: Formulary.bundled().names, config: cfg, fusion });
        out[dtype].push(r.drugs.map((d) => d.name));
      }
    }
    process.stdout.write('RESULT' + JSON.stringify(out));
    })().catch((e) => { console.error(e); process.exit(1); });
  `;
  const stdout = execFileSync('npx', ['tsx', '--eval', code], {
    encoding: 'utf8',
    env: { ...process.env, E2E_NOTES: JSON.stringify(notes), E2E_MODEL: MODEL_ID, E2E_DTYPES: JSON.stringify(dtypes) },
    timeout: 180_000,
  });
  return JSON.parse(stdout.slice(stdout.lastIndexOf('RESULT') + 6)) as Record<string, string[][]>;
}

const bundled = JSON.parse(
  execFileSync('node', ['-e', "const fs=require('fs');process.stdout.write(JSON.stringify(fs.readdirSync('dist/models')))"], {
    encoding: 'utf8',
  }),
) as string[];
const MODEL_ID = bundled[0] ?? 'dischargerx-small';

test.describe.configure({ mode: 'serial' });

const results: Record<string, string[][]> = {};

test('model on WASM: candidate-list drugs, WASM badge, only same-origin requests', async ({ page }, testInfo) => {
  const offOrigin = watchOrigin(page);
  const paths = watchPaths(page);
  const run = await runNotes(page, 'backend=wasm&dtype=q8');
  expect(run.badge).toContain('WASM');
  expect(run.reason).toBe('forced-wasm');
  for (const list of run.drugs) {
    expect(list.length).toBeGreaterThan(0);
    for (const name of list) expect(candidateNames.has(name), `${name} is a candidate-list entry`).toBe(true);
    expect(new Set(list).size).toBe(list.length);
  }
  await expect(page.getByTestId('inference-time')).toHaveAttribute('data-ms', /\d+/);
  results['wasm-q8'] = run.drugs;
  const runtime = paths.filter((p) => /\.(wasm|mjs|onnx)$/.test(p) || p.includes('/models/'));
  testInfo.annotations.push({ type: 'wasm requests', description: runtime.join(' ') });
  console.log('[engine.spec] WASM q8 runtime requests:', runtime.join(' '));
  // One onnxruntime binary, the build src/worker/ort-runtime.ts picks: JSPI where the browser has
  // it (this Chromium does), else asyncify. The other is never fetched.
  // The same rule as ort-runtime.ts hasJspi: both JSPI entry points present.
  const jspi = await page.evaluate(() => {
    const w = WebAssembly as { Suspending?: unknown; promising?: unknown };
    return typeof w.Suspending === 'function' && typeof w.promising === 'function';
  });
  const binaries = runtime.filter((p) => /ort-wasm-simd-threaded\.\w+-[\w-]+\.wasm$/.test(p));
  expect(new Set(binaries).size).toBe(1);
  expect(binaries[0]).toMatch(jspi ? /\.jspi-[\w-]+\.wasm$/ : /\.asyncify-[\w-]+\.wasm$/);
  expect(runtime.some((p) => p.endsWith('/onnx/model_quantized.onnx'))).toBe(true);
  await page.screenshot({ path: testInfo.outputPath('engine-wasm.png'), fullPage: true });
  expect(offOrigin).toEqual([]);
});

// Issue 4, Node q8 vs WASM q8. Two causes, both measured:
// 1. The q8 export quantized activations at run time (DynamicQuantizeLinear + MatMulInteger). The
//    integer kernels of onnxruntime-node and onnxruntime-web are exact and identical, but the ~1e-6
//    float differences between the two builds flip round(x / x_scale) at .5 boundaries: Node vs
//    WASM logits differed by up to 0.14 on these notes (0.78 on dev prompts). q8 is now int8
//    weight-only with float activations (training/dischargerx_train/quantize.py): ~1e-5, like fp32.
//    A model folder quantized before that fails the first assertion below; re-quantize it with
//      cd training && /usr/bin/python3 -m dischargerx_train.quantize --model ../models/NAME
// 2. The drug flip on note 3 (Node 左甲状腺素, WASM 甲巯咪唑) happens with fp32 too: the page searches
//    up to 12 drugs (UNCALIBRATED_MAX_DRUGS) when the worker's fetchDecodingConfig does not pass
//    decoding.json's maxDrugs (15) on, while Node searches 15. With the same maxDrugs on both sides
//    Node and WASM give the same drugs on all three notes, fp32 and q8; the drug assertion below
//    needs that as well as a re-quantized model.
const Q8_REQUANTIZE = 'cd training && /usr/bin/python3 -m dischargerx_train.quantize --model ../models/' + MODEL_ID;

/** Prompt ids for the notes (app parse + prompt + tokenizer) and full-prompt q8 logits on onnxruntime-node. */
function nodeQ8Logits(notes: readonly string[]): { ids: number[][]; logits: string[] } {
  const code = `
    import { resolve } from 'node:path';
    import * as ort from 'onnxruntime-node';
    import { AutoTokenizer, env } from '@huggingface/transformers';
    import { parseNote } from './src/features/recommend/parse-note.ts';
    import { buildPrompt } from './src/clinical/prompt.ts';
    (async () => {
    env.allowRemoteModels = false;
    const dir = resolve('models', process.env.E2E_MODEL);
    const tokenizer = await AutoTokenizer.from_pretrained(dir, { local_files_only: true });
    const session = await ort.InferenceSession.create(resolve(dir, 'onnx/model_quantized.onnx'), { executionProviders: ['cpu'] });
    const out = { ids: [], logits: [] };
    for (const note of JSON.parse(process.env.E2E_NOTES)) {
      const parsed = parseNote(note);
      if (!parsed.ok) throw new Error(parsed.message);
      const ids = Array.from(tokenizer(buildPrompt(parsed.record)).input_ids.data, Number);
      const T = ids.length;
      const feeds = {
        input_ids: new ort.Tensor('int64', BigInt64Array.from(ids, BigInt), [1, T]),
        attention_mask: new ort.Tensor('int64', new BigInt64Array(T).fill(1n), [1, T]),
        position_ids: new ort.Tensor('int64', BigInt64Array.from(ids, (_, i) => BigInt(i)), [1, T]),
      };
      for (const [i, name] of session.inputNames.entries()) {
        // The past, and the shared prompt prefix of graphs that have one (empty: no prefix).
        if (!name.startsWith('past_key_values.') && !name.startsWith('prefix_key_values.')) continue;
        const dims = session.inputMetadata[i].shape.map((d) => (typeof d === 'number' ? d : d === 'batch_size' ? 1 : 0));
        feeds[name] = new ort.Tensor('float32', new Float32Array(0), dims);
      }
      const logits = (await session.run(feeds)).logits.data;
      out.ids.push(ids);
      out.logits.push(Buffer.from(logits.buffer, logits.byteOffset, logits.byteLength).toString('base64'));
    }
    process.stdout.write('RESULT' + JSON.stringify(out));
    })().catch((e) => { console.error(e); process.exit(1); });
  `;
  const stdout = execFileSync('npx', ['tsx', '--eval', code], {
    encoding: 'utf8',
    env: { ...process.env, E2E_NOTES: JSON.stringify(notes), E2E_MODEL: MODEL_ID },
    timeout: 180_000,
    maxBuffer: 256 * 1024 * 1024,
  });
  return JSON.parse(stdout.slice(stdout.lastIndexOf('RESULT') + 6)) as { ids: number[][]; logits: string[] };
}

/**
 * The same q8 file and prompt ids on onnxruntime-web's WASM backend in Chromium: the app's runtime
 * (ort.jspi.bundle.min.mjs + the JSPI wasm, which src/worker/ort-runtime.ts picks on this Chromium;
 * default session options, 1 thread) on a blank
 * same-origin test page served by page.route, so no app code or CSP is involved.
 */
async function wasmQ8Logits(page: Page, ids: number[][]): Promise<string[]> {
  const ortDir = 'node_modules/onnxruntime-web/dist/';
  await page.route(`${ORIGIN}/__q8-parity/**`, async (route) => {
    const path = new URL(route.request().url()).pathname.slice('/__q8-parity/'.length);
    if (path === 'index.html') return route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>q8 parity</title>' });
    if (!/^[\w.-]+\.(mjs|wasm)$/.test(path)) return route.fulfill({ status: 404, body: '' });
    return route.fulfill({ path: ortDir + path, contentType: path.endsWith('.wasm') ? 'application/wasm' : 'text/javascript' });
  });
  await page.goto(`${ORIGIN}/__q8-parity/index.html`);
  return page.evaluate(
    async ({ ids, modelUrl }) => {
      const bundleUrl: string = '/__q8-parity/ort.jspi.bundle.min.mjs';
      const ort: any = await import(/* @vite-ignore */ bundleUrl);
      ort.env.wasm.wasmPaths = { wasm: '/__q8-parity/ort-wasm-simd-threaded.jspi.wasm' };
      ort.env.wasm.numThreads = 1;
      const buf = new Uint8Array(await (await fetch(modelUrl)).arrayBuffer());
      const session = await ort.InferenceSession.create(buf, { executionProviders: ['wasm'] });
      const out: string[] = [];
      for (const seq of ids) {
        const T = seq.length;
        const feeds: Record<string, unknown> = {
          input_ids: new ort.Tensor('int64', BigInt64Array.from(seq, BigInt), [1, T]),
          attention_mask: new ort.Tensor('int64', new BigInt64Array(T).fill(1n), [1, T]),
          position_ids: new ort.Tensor('int64', BigInt64Array.from(seq, (_: number, i: number) => BigInt(i)), [1, T]),
        };
        session.inputNames.forEach((name: string, i: number) => {
          if (!name.startsWith('past_key_values.') && !name.startsWith('prefix_key_values.')) return;
          const meta = session.inputMetadata[i] as { shape: (number | string)[] };
          const dims = meta.shape.map((d) => (typeof d === 'number' ? d : d === 'batch_size' ? 1 : 0));
          feeds[name] = new ort.Tensor('float32', new Float32Array(0), dims);
        });
        const logits = (await session.run(feeds)).logits.data as Float32Array;
        const bytes = new Uint8Array(logits.buffer, logits.byteOffset, logits.byteLength);
        let bin = '';
        for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
        out.push(btoa(bin));
      }
      return out;
    },
    { ids, modelUrl: `/models/${MODEL_ID}/onnx/model_quantized.onnx` },
  );
}

function f32(b64: string): Float32Array {
  const buf = Buffer.from(b64, 'base64');
  return new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4);
}

test('model on WASM with 2 threads (?threads=2 on the isolated page): the runtime glue loads as its own file, the drugs equal the 1-thread run', async ({ page }) => {
  // Before the glue was self-hosted, a multi-threaded runtime started its threads from the worker
  // bundle and the load never got past "download 0 B" (reproduced here by forcing 2 threads; the
  // app asks for cores − 1, so isolated pages on 3+ cores would have been hit).
  test.skip(!results['wasm-q8'], 'needs the 1-thread WASM run above');
  const paths = watchPaths(page);
  const run = await runNotes(page, 'backend=wasm&dtype=q8&threads=2', NOTES, 120_000);
  expect(await page.evaluate(() => self.crossOriginIsolated)).toBe(true);
  expect(run.badge).toContain('WASM');
  expect(paths.some((p) => /ort-wasm-simd-threaded\.\w+-[\w-]+\.mjs$/.test(p)), paths.filter((p) => p.includes('ort')).join(' ')).toBe(true);
  expect(run.drugs).toEqual(results['wasm-q8']);
});

test('WASM and Node give the same drugs for the same weights (q8)', async ({ page }, testInfo) => {
  const q8File = readFileSync(`models/${MODEL_ID}/onnx/model_quantized.onnx`);
  expect(
    q8File.includes('MatMulInteger'),
    `models/${MODEL_ID} has a q8 file from before the issue-4 fix (run-time activation quantization); re-quantize: ${Q8_REQUANTIZE}`,
  ).toBe(false);

  // Same q8 file, same prompt ids: logits agree to float rounding (measured ~1e-5; 0.14 before the fix).
  const node = nodeQ8Logits(NOTES);
  const wasm = await wasmQ8Logits(page, node.ids);
  let maxDiff = 0;
  node.ids.forEach((seq, n) => {
    const a = f32(node.logits[n]!);
    const b = f32(wasm[n]!);
    expect(b.length, `note ${n + 1}: logits size`).toBe(a.length);
    for (let i = 0; i < a.length; i++) maxDiff = Math.max(maxDiff, Math.abs(a[i]! - b[i]!));
    expect(seq.length).toBeGreaterThan(0);
  });
  console.log(`[engine.spec] q8 max |logit diff| Node vs WASM over ${NOTES.length} notes: ${maxDiff.toExponential(2)}`);
  testInfo.annotations.push({ type: 'q8 max |logit diff| Node vs WASM', description: maxDiff.toExponential(2) });
  expect(maxDiff, 'q8 logits, Node vs WASM').toBeLessThan(1e-3);

  // And the drugs from the full pipeline (constrained decoder + cut) are identical.
  const wasmDrugs = results['wasm-q8'] ?? (await runNotes(page, 'backend=wasm&dtype=q8')).drugs;
  const drugs = nodeDrugs(['q8'], NOTES);
  expect(drugs['q8'], 'Node q8 = WASM q8').toEqual(wasmDrugs);
});

test('WebGPU (SwiftShader) gives the same drugs as WASM and Node for the same weights (q4)', async ({ page }, testInfo) => {
  // SwiftShader runs WebGPU on the CPU: one note, generous limits; its timings mean nothing.
  test.setTimeout(420_000);
  const notes = NOTES.slice(0, 1);
  const offOrigin = watchOrigin(page);
  const paths = watchPaths(page);
  // Default WebGPU weights (q4): also reports which backend and dtype auto picks.
  const gpu = await runNotes(page, 'backend=webgpu', notes, 240_000);
  const runtime = paths.filter((p) => /\.(wasm|mjs|onnx)$/.test(p));
  console.log('[engine.spec] backend=webgpu →', gpu.badge, gpu.reason, runtime.join(' '));
  testInfo.annotations.push({ type: 'webgpu', description: `${gpu.badge} ${gpu.reason} ${runtime.join(' ')}` });
  expect(gpu.badge).toContain('WebGPU');
  // Asked for explicitly, WebGPU runs on SwiftShader, and the panel says it is software, not a GPU.
  expect(gpu.reason).toBe('webgpu-software');
  expect(runtime.some((p) => p.endsWith('/onnx/model_q4.onnx'))).toBe(true);

  const wasmQ4 = await runNotes(page, 'backend=wasm&dtype=q4', notes, 120_000);
  expect(wasmQ4.badge).toContain('WASM');
  expect(gpu.drugs, 'WebGPU q4 = WASM q4').toEqual(wasmQ4.drugs);
  const node = nodeDrugs(['q4'], notes);
  expect(node['q4'], 'Node q4 = WASM q4').toEqual(wasmQ4.drugs);
  const q4VsQ8 = JSON.stringify(gpu.drugs[0]) === JSON.stringify(results['wasm-q8']?.[0]);
  console.log(`[engine.spec] default WebGPU q4 vs default WASM q8 identical on note 1: ${q4VsQ8}`);
  testInfo.annotations.push({ type: 'q4 vs q8 identical', description: String(q4VsQ8) });
  expect(offOrigin).toEqual([]);
});

test('a missing model file gives a clear error and keeps the note', async ({ page }) => {
  const offOrigin = watchOrigin(page);
  // Any weights file answering 404, as when models/ was not deployed.
  await page.route('**/models/**/onnx/*.onnx', (route) => route.fulfill({ status: 404, body: 'Not found' }));
  await page.goto('/?backend=wasm');
  const note = NOTES[0]!;
  await page.getByTestId('note-input').fill(note);
  await page.getByTestId('recommend').click();
  const error = page.getByTestId('engine-error');
  await expect(error).toBeVisible({ timeout: 60_000 });
  await expect(error).toHaveAttribute('data-code', 'model-not-found');
  await expect(error).toContainText('找不到模型文件');
  await expect(page.getByTestId('note-input')).toHaveValue(note);
  // The baseline still works on the same note.
  await page.getByTestId('method-select').selectOption('baseline');
  await page.getByTestId('recommend').click();
  await expect(page.getByTestId('recommendations')).toHaveAttribute('data-source', 'baseline');
  await expect(page.getByTestId('drug').first()).toBeVisible();
  expect(offOrigin).toEqual([]);
});

test('a WebGPU session that fails falls back to WASM automatically and says why', async ({ page }) => {
  // Corrupt 4-bit weights: the WebGPU session cannot be created; WASM (q8) still works. WebGPU is
  // asked for explicitly: on SwiftShader, Auto would not try it at all (next test).
  await page.route('**/models/**/onnx/model_q4.onnx', (route) =>
    route.fulfill({ status: 200, contentType: 'application/octet-stream', body: Buffer.from('not an onnx model') }),
  );
  await page.goto('/?backend=webgpu');
  const drugs = await recommend(page, NOTES[1]!);
  expect(drugs.length).toBeGreaterThan(0);
  await expect(page.getByTestId('backend-badge')).toHaveAttribute('data-backend', 'wasm');
  await expect(page.getByTestId('backend-reason')).toHaveAttribute('data-reason', 'webgpu-session-failed');
  await expect(page.getByTestId('backend-reason')).toContainText('已自动改用 WASM');
  if (results['wasm-q8']) expect(drugs).toEqual(results['wasm-q8'][1]);
});

test('Auto on SwiftShader (no GPU) runs WASM and says why; explicit WebGPU still possible; the choice survives a reload', async ({ page }) => {
  // Issue 10: a software / fallback adapter counts as no GPU for Auto (WebGPU emulated on the CPU
  // took 113 s for a note vs 2.8 s on WASM). Only load + warm-up here, no full note on SwiftShader.
  test.setTimeout(300_000);
  const panel = page.getByTestId('engine-panel');
  const select = page.getByTestId('backend-select');
  const reason = page.getByTestId('backend-reason');
  await page.goto('/');
  await expect(select).toHaveValue('auto');
  // The adapter really is a fallback adapter here (what the worker's probe sees, from the page).
  const adapter = await page.evaluate(async () => {
    const gpu = (navigator as { gpu?: { requestAdapter(): Promise<{ info?: { isFallbackAdapter?: boolean; architecture?: string; vendor?: string } } | null> } }).gpu;
    const a = await gpu?.requestAdapter();
    return a ? { fallback: a.info?.isFallbackAdapter ?? null, name: `${a.info?.vendor ?? ''} ${a.info?.architecture ?? ''}` } : null;
  });
  console.log('[engine.spec] page WebGPU adapter:', JSON.stringify(adapter));
  expect(adapter, 'Chromium with --enable-unsafe-webgpu offers an adapter').not.toBeNull();

  await page.getByTestId('load-model').click();
  await expect(panel).toHaveAttribute('data-phase', 'ready', { timeout: 120_000 });
  await expect(page.getByTestId('backend-badge')).toHaveAttribute('data-backend', 'wasm');
  await expect(page.getByTestId('backend-badge')).toContainText('q8');
  await expect(reason).toHaveAttribute('data-reason', 'software-adapter');
  await expect(reason).toContainText('未检测到显卡');
  await expect(reason).toContainText('swiftshader');
  await page.getByTestId('toggle-locale').click();
  await expect(reason).toContainText('No GPU found');
  await page.getByTestId('toggle-locale').click();

  // Explicit WebGPU: remembered across a reload (localStorage: the setting only, no note text).
  const note = NOTES[1]!;
  await page.getByTestId('note-input').fill(note);
  await select.selectOption('webgpu');
  await page.reload();
  await expect(select).toHaveValue('webgpu');
  const stored = await page.evaluate(() => Object.fromEntries(Object.keys(localStorage).map((k) => [k, localStorage.getItem(k) ?? ''])));
  expect(stored['dischargerx.backend']).toBe('webgpu');
  for (const [k, v] of Object.entries(stored)) expect(v.includes('痛风') || k.includes('痛风'), `localStorage ${k} holds no note text`).toBe(false);
  // …and it still runs on SwiftShader, labelled as software, not as a GPU.
  await page.getByTestId('load-model').click();
  await expect(panel).toHaveAttribute('data-phase', 'ready', { timeout: 240_000 });
  await expect(page.getByTestId('backend-badge')).toHaveAttribute('data-backend', 'webgpu');
  await expect(reason).toHaveAttribute('data-reason', 'webgpu-software');
  await expect(reason).toContainText('软件模拟');
  await expect(reason).not.toContainText('显卡）');

  // Back to Auto: stored as the default (key removed); a ?backend= URL pins a visit without storing.
  await select.selectOption('auto');
  await page.reload();
  await expect(select).toHaveValue('auto');
  expect(await page.evaluate(() => localStorage.getItem('dischargerx.backend'))).toBeNull();
  await page.goto('/?backend=wasm');
  await expect(select).toHaveValue('wasm');
  await page.goto('/');
  await expect(select).toHaveValue('auto');
});

test('the preview server answers 404 for a missing file (no SPA fallback)', async ({ request }) => {
  const missing = await request.get('/models/does-not-exist/config.json');
  expect(missing.status()).toBe(404);
  const missingOptional = await request.get(`/models/${MODEL_ID}/onnx/model_q4f16.onnx`);
  expect(missingOptional.status()).toBe(404);
  const present = await request.get(`/models/${MODEL_ID}/config.json`);
  expect(present.status()).toBe(200);
});

/**
 * Liveness (issue 11): a worker that closes itself (idle or mid-run) or spins in a busy loop sends
 * no error event at all. The client's heartbeat (src/engine/client.ts: a ping every 2 s, silence
 * for 20 s = dead) terminates it; the request fails with the bilingual worker-crashed message,
 * the note is kept, the status stops saying 模型已就绪, 取消 returns control at once, and the next
 * 推荐 runs in a fresh worker. The faults are injected from the test through Playwright's handle
 * on the real worker (no test hook in the app).
 */
test.describe('liveness: closed or stuck worker', () => {
  const NOTE = NOTES[0]!;

  async function engineWorker(page: Page) {
    await expect.poll(() => page.workers().filter((w) => /engine/.test(w.url())).length, { timeout: 30_000 }).toBeGreaterThan(0);
    return page.workers().filter((w) => /engine/.test(w.url())).at(-1)!;
  }

  async function expectDeadWorkerReported(page: Page): Promise<void> {
    await expect(page.getByTestId('engine-error')).toHaveAttribute('data-code', 'worker-crashed', { timeout: 90_000 });
    await expect(page.getByTestId('engine-running')).toHaveCount(0);
    await expect(page.getByTestId('engine-status')).not.toHaveText('模型已就绪');
    await expect(page.getByTestId('engine-panel')).toHaveAttribute('data-phase', 'error');
    await expect(page.getByTestId('note-input')).toHaveValue(NOTE);
  }

  test('close while idle: reported, then 推荐 recovers in a fresh worker with the same drugs', async ({ page }) => {
    test.setTimeout(300_000);
    await page.goto('/?backend=wasm');
    const before = await recommend(page, NOTE, 120_000);
    const worker = await engineWorker(page);
    void worker.evaluate(() => (self as unknown as { close(): void }).close()).catch(() => undefined);
    await expectDeadWorkerReported(page);
    expect(await recommend(page, NOTE, 120_000)).toEqual(before);
    await expect(page.getByTestId('engine-panel')).toHaveAttribute('data-phase', 'ready');
  });

  test('close while running: the request fails with a clear message instead of spinning; the next one works', async ({ page }) => {
    test.setTimeout(300_000);
    await page.goto('/?backend=wasm');
    const before = await recommend(page, NOTE, 120_000);
    const worker = await engineWorker(page);
    await page.getByTestId('recommend').click();
    await expect(page.getByTestId('engine-running')).toBeVisible();
    void worker.evaluate(() => (self as unknown as { close(): void }).close()).catch(() => undefined);
    await expectDeadWorkerReported(page);
    await expect(page.getByTestId('recommendations')).toHaveCount(0);
    expect(await recommend(page, NOTE, 120_000)).toEqual(before);
  });

  test('busy loop: 取消 returns control at once; the stuck worker is terminated and replaced', async ({ page }) => {
    test.setTimeout(300_000);
    await page.goto('/?backend=wasm');
    const before = await recommend(page, NOTE, 120_000);
    const worker = await engineWorker(page);
    // Spin for up to 10 minutes: only terminate() ends it.
    void worker
      .evaluate(() => {
        const end = Date.now() + 600_000;
        while (Date.now() < end) {
          /* busy */
        }
      })
      .catch(() => undefined);
    await page.getByTestId('recommend').click();
    await expect(page.getByTestId('engine-running')).toBeVisible();
    await page.getByTestId('cancel').click();
    await expect(page.getByTestId('engine-running')).toHaveCount(0, { timeout: 5_000 });
    await expect(page.getByTestId('cancel')).toHaveCount(0);
    await expectDeadWorkerReported(page);
    expect(await recommend(page, NOTE, 120_000)).toEqual(before);
  });
});
