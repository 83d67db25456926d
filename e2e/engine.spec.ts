import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';

/**
 * The model engine in its Web Worker, end to end in Debian Chromium (--enable-unsafe-webgpu;
 * headless, SwiftShader provides the WebGPU adapter, so timings here mean nothing).
 *
 * Parity: for the same note, the drugs must be identical on Node (onnxruntime-node, the CLI's
 * code path), on WASM and on WebGPU when the same weights (dtype) run on each.
 */

const ORIGIN = 'http://127.0.0.1:4173';
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
    import { buildPrompt, PROMPT_SPEC } from './src/clinical/prompt.ts';
    import { Formulary } from './src/clinical/formulary.ts';
    import { loadCausalLm } from './src/decoding/load-causal-lm.ts';
    import { recommendWithCausalLm } from './src/decoding/causal-lm.ts';
    import { parseDecodingConfig } from './src/decoding/decoding-config.ts';
    import { cutSettings, cutTrajectory, searchOptions } from './src/decoding/policy.ts';
    (async () => {
    const notes = JSON.parse(process.env.E2E_NOTES);
    const dir = resolve('models', process.env.E2E_MODEL);
    const dj = resolve(dir, 'decoding.json');
    const cfg = existsSync(dj) ? parseDecodingConfig(JSON.parse(readFileSync(dj, 'utf8'))) : null;
    // The page's policy: search without early stopping, then cut at the calibrated threshold.
    const options = searchOptions(cfg);
    const cut = cutSettings(cfg);
    const out = {};
    for (const dtype of JSON.parse(process.env.E2E_DTYPES)) {
      const lm = await loadCausalLm(dir, { dtype, device: 'cpu' });
      out[dtype] = [];
      for (const note of notes) {
        const parsed = parseNote(note);
        if (!parsed.ok) throw new Error(parsed.message);
        const r = await recommendWithCausalLm({ model: lm.model, tokenizer: lm.tokenizer, prompt: buildPrompt(parsed.record), candidates: Formulary.bundled().names, format: PROMPT_SPEC.target, options });
        out[dtype].push(cutTrajectory(r, cut).map((d) => d.name));
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
  expect(runtime.some((p) => /ort-wasm-simd-threaded\.asyncify-[\w-]+\.wasm$/.test(p))).toBe(true);
  expect(runtime.some((p) => p.endsWith('/onnx/model_quantized.onnx'))).toBe(true);
  await page.screenshot({ path: testInfo.outputPath('engine-wasm.png'), fullPage: true });
  expect(offOrigin).toEqual([]);
});

// KNOWN DEFECT (open, issue 4): for int8 (MatMulInteger) weights, native onnxruntime and
// onnxruntime-web differ slightly, enough to flip a near-tie: on note 3, Node q8 (like fp32) picks
// 左甲状腺素 (confidence 0.300) where WASM q8 picks 甲巯咪唑 (0.275). The 4-bit weights agree on every
// backend (next test). Re-enable once the int8 export is fixed (e.g. reduce-range weights) or the
// decoder breaks near-ties deterministically.
test.fixme('WASM and Node give the same drugs for the same weights (q8)', async () => {
  const node = nodeDrugs(['q8'], NOTES);
  expect(node['q8'], 'Node q8 = WASM q8').toEqual(results['wasm-q8']);
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
  expect(gpu.reason).toBe('webgpu-ok');
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
  // Corrupt 4-bit weights: the WebGPU session cannot be created; WASM (q8) still works.
  await page.route('**/models/**/onnx/model_q4.onnx', (route) =>
    route.fulfill({ status: 200, contentType: 'application/octet-stream', body: Buffer.from('not an onnx model') }),
  );
  await page.goto('/?backend=auto');
  const drugs = await recommend(page, NOTES[1]!);
  expect(drugs.length).toBeGreaterThan(0);
  await expect(page.getByTestId('backend-badge')).toHaveAttribute('data-backend', 'wasm');
  await expect(page.getByTestId('backend-reason')).toHaveAttribute('data-reason', 'webgpu-session-failed');
  await expect(page.getByTestId('backend-reason')).toContainText('已自动改用 WASM');
  if (results['wasm-q8']) expect(drugs).toEqual(results['wasm-q8'][1]);
});

test('the preview server answers 404 for a missing file (no SPA fallback)', async ({ request }) => {
  const missing = await request.get('/models/does-not-exist/config.json');
  expect(missing.status()).toBe(404);
  const missingOptional = await request.get(`/models/${MODEL_ID}/onnx/model_q4f16.onnx`);
  expect(missingOptional.status()).toBe(404);
  const present = await request.get(`/models/${MODEL_ID}/config.json`);
  expect(present.status()).toBe(200);
});
