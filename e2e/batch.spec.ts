import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page, type TestInfo } from '@playwright/test';
import { chromiumLaunchOptions } from './chromium-flags.ts';

/**
 * Batch scoring end to end: a labelled JSONL made from a freshly generated synthetic cohort
 * (works on a fresh clone), the co-occurrence baseline on 200 records and the model on WASM on
 * 20; the metrics shown must equal what `npm run evaluate` computes for the downloaded
 * submission. The model run uses two engine workers side by side (src/engine/engine-pool.ts) and
 * must still give the CLI's drugs record by record. Also: cancel mid-run, malformed files, and the
 * heap over a 1,722-record run.
 */

// The config's Chromium and flags, plus exact heap figures (performance.memory is otherwise
// bucketed) and a callable gc() for the memory test. A top-level use(): it forces its own worker.
// ForceEagerMeasureMemory: performance.measureUserAgentSpecificMemory() (page + workers) answers at
// once instead of at the next natural GC.
test.use({ launchOptions: chromiumLaunchOptions(['--enable-precise-memory-info', '--js-flags=--expose-gc', '--enable-blink-features=ForceEagerMeasureMemory']) });

const TSX = 'node_modules/.bin/tsx';
let dir = '';
let file200 = '';
let file20 = '';
let file1722 = '';

function cohortLines(patients: number, out: string): string[] {
  execFileSync(TSX, ['cli/cohort.ts', '--seed', '7', '--patients', String(patients), '--out', out], { stdio: 'pipe' });
  return ['train', 'dev', 'test'].flatMap((s) => readFileSync(join(out, `${s}.jsonl`), 'utf8').split('\n').filter((l) => l.trim()));
}

test.beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'dischargerx-batch-'));
  const small = cohortLines(150, join(dir, 'cohort-small'));
  file200 = join(dir, 'labelled-200.jsonl');
  file20 = join(dir, 'labelled-20.jsonl');
  writeFileSync(file200, small.slice(0, 200).join('\n') + '\n');
  writeFileSync(file20, small.slice(0, 20).join('\n') + '\n');
  const big = cohortLines(1300, join(dir, 'cohort-big'));
  expect(big.length).toBeGreaterThanOrEqual(1722);
  file1722 = join(dir, 'labelled-1722.jsonl');
  writeFileSync(file1722, big.slice(0, 1722).join('\n') + '\n');
});

async function openBatch(page: Page, query = 'backend=wasm'): Promise<void> {
  await page.goto(`/?${query}`);
  await page.getByTestId('tab-batch').click();
  await expect(page.getByTestId('batch-screen')).toBeVisible();
}

async function upload(page: Page, path: string, records: number): Promise<void> {
  await page.getByTestId('batch-file-input').setInputFiles(path);
  await expect(page.getByTestId('batch-file-info')).toHaveAttribute('data-records', String(records), { timeout: 30_000 });
}

async function runTo(page: Page, method: 'baseline' | 'model', status: string, timeout = 60_000): Promise<void> {
  await page.getByTestId('batch-method').selectOption(method);
  await page.getByTestId('batch-start').click();
  await expect(page.getByTestId('batch-progress')).toHaveAttribute('data-status', status, { timeout });
}

async function downloadSubmission(page: Page, testInfo: TestInfo, name: string): Promise<string> {
  const wait = page.waitForEvent('download');
  await page.getByTestId('batch-download').click();
  const dl = await wait;
  const path = testInfo.outputPath(name);
  await dl.saveAs(path);
  return path;
}

function cliEvaluate(gold: string, pred: string): Record<string, number> {
  const out = execFileSync(TSX, ['cli/evaluate.ts', '--gold', gold, '--pred', pred], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return JSON.parse(out.trim()) as Record<string, number>;
}

/** `npm run predict -- --method model` (q8, the CLI's defaults) on the same file: ID → drugs. */
function cliPredict(input: string, out: string): Map<string, string[]> {
  execFileSync(TSX, ['cli/predict.ts', '--in', input, '--out', out, '--method', 'model', '--dtype', 'q8'], { stdio: 'pipe', timeout: 600_000 });
  const sub = JSON.parse(readFileSync(out, 'utf8')) as Array<{ ID: string; prediction: string[] }>;
  return new Map(sub.map((e) => [e.ID, e.prediction]));
}

async function expectMetricsEqualCli(page: Page, cli: Record<string, number>): Promise<void> {
  await expect(page.getByTestId('batch-metrics')).toHaveAttribute('data-n', String(cli['n']));
  for (const key of ['jaccard', 'precision', 'recall', 'f1', 'score', 'mean_pred', 'mean_gold']) {
    const shown = Number(await page.getByTestId(`metric-${key}`).getAttribute('data-value'));
    expect(shown, key).toBe(cli[key]);
  }
  const ratio = Number(await page.getByTestId('metric-ratio').getAttribute('data-value'));
  expect(ratio).toBeCloseTo((cli['mean_pred'] ?? 0) / (cli['mean_gold'] ?? 1), 2);
}

test('baseline on 200 labelled records: metrics equal `npm run evaluate`, chart, paginated table', async ({ page }, testInfo) => {
  await openBatch(page);
  await upload(page, file200, 200);
  await expect(page.getByTestId('batch-file-info')).toHaveAttribute('data-labelled', 'true');
  await runTo(page, 'baseline', 'done');
  await expect(page.getByTestId('batch-progress')).toHaveAttribute('data-done', '200');
  await expect(page.getByTestId('batch-results')).toHaveAttribute('data-rows', '200');
  await expect(page.getByTestId('batch-row')).toHaveCount(50); // paginated
  await expect(page.getByTestId('batch-chart').locator('svg').first()).toBeVisible();
  expect(Number(await page.getByTestId('batch-chart').getAttribute('data-drugs'))).toBeGreaterThan(0);

  const pred = await downloadSubmission(page, testInfo, 'baseline-200.submission.json');
  const sub = JSON.parse(readFileSync(pred, 'utf8')) as Array<{ ID: string; prediction: string[] }>;
  expect(sub).toHaveLength(200);
  const cli = cliEvaluate(file200, pred);
  console.log(`[batch] baseline 200: CLI ${JSON.stringify(cli)}`);
  await expectMetricsEqualCli(page, cli);

  await page.getByTestId('batch-next').click();
  await expect(page.getByTestId('batch-page')).toContainText('2 / 4');
  await page.getByTestId('batch-prev').click();
  const shot = testInfo.outputPath('batch-screen.png');
  await page.screenshot({ path: shot, fullPage: true });
  await testInfo.attach('batch-screen', { path: shot, contentType: 'image/png' });
});

/** The engine workers the page runs now (the app's engine, and a batch's extra engines while it runs). */
function engineWorkers(page: Page): number {
  return page.workers().filter((w) => w.url().includes('engine.worker')).length;
}

test('model on WASM on 20 records, two engines side by side: the same drugs as `npm run predict --method model`, record by record; the extra engine goes when the batch ends; a model run can be cancelled mid-run', async ({ page }, testInfo) => {
  test.setTimeout(600_000);
  // Two engines whatever this machine's cores (the app's own choice is 2 on a 2-core machine).
  await openBatch(page, 'backend=wasm&dtype=q8&batchWorkers=2');
  await upload(page, file20, 20);
  await page.getByTestId('batch-method').selectOption('model');
  await page.getByTestId('batch-start').click();
  // Both engines decode: the app's and the batch's extra worker (seen while the run is on).
  await expect.poll(() => engineWorkers(page), { timeout: 300_000 }).toBe(2);
  await expect(page.getByTestId('batch-progress')).toHaveAttribute('data-status', 'done', { timeout: 300_000 });
  await expect(page.getByTestId('batch-progress')).toHaveAttribute('data-done', '20');
  await expect(page.getByTestId('batch-run-info')).toHaveAttribute('data-engines', '2');
  // The extra engine is released with the batch; the app's engine stays for the recommend screen.
  await expect.poll(() => engineWorkers(page), { timeout: 30_000 }).toBe(1);
  const pred = await downloadSubmission(page, testInfo, 'model-20.submission.json');
  // One decoding policy (issue 11): the page's predictions equal the CLI's, not just its own metrics.
  const page20 = JSON.parse(readFileSync(pred, 'utf8')) as Array<{ ID: string; prediction: string[] }>;
  const cliPred = cliPredict(file20, testInfo.outputPath('cli-model-20.json'));
  expect(page20).toHaveLength(20);
  for (const e of page20) expect(e.prediction, `record ${e.ID}`).toEqual(cliPred.get(e.ID));
  expect(page20.reduce((n, e) => n + e.prediction.length, 0)).toBeGreaterThan(0);
  const cli = cliEvaluate(file20, pred);
  console.log(`[batch] model 20 (wasm): CLI ${JSON.stringify(cli)}`);
  await expectMetricsEqualCli(page, cli);
  // Safety per row: the product's list breaks no rule on any row (the column counts them).
  const safety = page.getByTestId('batch-safety');
  await expect(safety).toHaveCount(20);
  for (const hits of await safety.evaluateAll((cells) => cells.map((c) => c.getAttribute('data-rule-hits')))) expect(hits).toBe('0');

  // Cancel: the 200-record file on the model, stopped after a few records.
  await upload(page, file200, 200);
  await page.getByTestId('batch-method').selectOption('model');
  await page.getByTestId('batch-start').click();
  await expect
    .poll(async () => Number(await page.getByTestId('batch-progress').getAttribute('data-done')), { timeout: 60_000 })
    .toBeGreaterThanOrEqual(3);
  expect(engineWorkers(page)).toBe(2);
  await page.getByTestId('batch-cancel').click();
  await expect(page.getByTestId('batch-progress')).toHaveAttribute('data-status', 'cancelled', { timeout: 10_000 });
  await expect.poll(() => engineWorkers(page), { timeout: 30_000 }).toBe(1);
  const done = Number(await page.getByTestId('batch-progress').getAttribute('data-done'));
  expect(done).toBeLessThan(200);
  await expect(page.getByTestId('batch-results')).toHaveAttribute('data-rows', String(done));
  await expect(page.getByTestId('batch-metrics')).toHaveAttribute('data-n', String(done));
  const partial = JSON.parse(readFileSync(await downloadSubmission(page, testInfo, 'cancelled.submission.json'), 'utf8')) as unknown[];
  expect(partial).toHaveLength(done);
  console.log(`[batch] cancelled after ${done} of 200 records`);
});

test('malformed files show a clear error naming file, line and field; nothing crashes; drag-and-drop works', async ({ page }) => {
  const lines = readFileSync(file20, 'utf8').split('\n').filter((l) => l.trim());
  const badJson = join(dir, 'bad-json.jsonl');
  writeFileSync(badJson, [lines[0], lines[1], '{"就诊标识": "x", oops}', lines[3]].join('\n'));
  const badField = join(dir, 'bad-field.jsonl');
  const rec = JSON.parse(lines[1] ?? '{}') as Record<string, unknown>;
  rec['出院诊断'] = 42;
  writeFileSync(badField, [lines[0], JSON.stringify(rec)].join('\n'));
  const gbk = join(dir, 'gbk.jsonl');
  writeFileSync(gbk, Buffer.concat([Buffer.from(lines[0] + '\n', 'utf8'), Buffer.from([0x7b, 0x22, 0xd6, 0xd0, 0xce, 0xc4, 0x22, 0x7d, 0x0a])]));

  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await openBatch(page);
  const alert = page.getByTestId('batch-error');

  await page.getByTestId('batch-file-input').setInputFiles(badJson);
  await expect(alert).toContainText('bad-json.jsonl line 3');
  await expect(alert).toContainText('invalid JSON');
  await expect(page.getByTestId('batch-start')).toBeDisabled();

  await page.getByTestId('batch-file-input').setInputFiles(badField);
  await expect(alert).toContainText('bad-field.jsonl line 2, field 出院诊断');

  await page.getByTestId('batch-file-input').setInputFiles(gbk);
  await expect(alert).toContainText('gbk.jsonl line 2');
  await expect(alert).toContainText('UTF-8');

  // Still usable afterwards; this time the file is dropped on the drop zone.
  const dropped = await page.evaluateHandle((text) => {
    const dt = new DataTransfer();
    dt.items.add(new File([text], 'dropped.jsonl', { type: 'application/json' }));
    return dt;
  }, readFileSync(file20, 'utf8'));
  await page.getByTestId('batch-drop').dispatchEvent('drop', { dataTransfer: dropped });
  await expect(page.getByTestId('batch-file-info')).toHaveAttribute('data-records', '20');
  await expect(page.getByTestId('batch-file-info')).toContainText('dropped.jsonl');
  await expect(alert).toHaveCount(0);
  await runTo(page, 'baseline', 'done');
  expect(errors).toEqual([]);
});

test.describe('memory', () => {
  test('model runs on two engines: page + workers memory measured, no growth across repeated runs, the extra engine gone after each', async ({ page }, testInfo) => {
    test.setTimeout(900_000);
    await openBatch(page, 'backend=wasm&dtype=q8&batchWorkers=2');
    await expect.poll(() => page.evaluate(() => self.crossOriginIsolated)).toBe(true);
    // Everything the page and its workers hold (wasm memories included), after the GC the call forces.
    const memory = () =>
      page.evaluate(() => (performance as Performance & { measureUserAgentSpecificMemory(): Promise<{ bytes: number }> }).measureUserAgentSpecificMemory().then((m) => m.bytes));
    await upload(page, file20, 20);
    const after: number[] = [];
    for (let run = 0; run < 4; run++) {
      await runTo(page, 'model', 'done', 300_000);
      await expect(page.getByTestId('batch-run-info')).toHaveAttribute('data-engines', '2');
      await expect.poll(() => engineWorkers(page), { timeout: 30_000 }).toBe(1);
      after.push(await memory());
    }
    const mib = (b: number) => (b / 1048576).toFixed(1);
    const report = `page + workers after each of 4 model runs (20 records, 2 engines): ${after.map(mib).join(', ')} MiB`;
    console.log(`[batch] memory: ${report}`);
    await testInfo.attach('model-memory', { body: report, contentType: 'text/plain' });
    // Loose guard (no timing): a run must not leave its extra engine's model or runtime behind
    // (about 20 MiB each). The first run grows the app's engine once (its decoder's buffers).
    expect(Math.min(after[2]! - after[1]!, after[3]! - after[2]!)).toBeLessThan(8 * 1048576);
  });


  test('1,722 records (CHIP test size) on the baseline: heap measured, no growth across repeated runs', async ({ page }, testInfo) => {
    await openBatch(page);
    const heap = () =>
      page.evaluate(() => {
        (globalThis as { gc?: () => void }).gc?.();
        return (performance as Performance & { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? -1;
      });
    const before = await heap();
    await upload(page, file1722, 1722);
    await runTo(page, 'baseline', 'done', 90_000);
    await expect(page.getByTestId('batch-results')).toHaveAttribute('data-rows', '1722');
    const progress = page.getByTestId('batch-progress');
    const at200 = Number(await progress.getAttribute('data-heap-200'));
    const atEnd = Number(await progress.getAttribute('data-heap-end'));
    const after1 = await heap();
    // Three more runs over the same file (re-read from disk each time: the parsed records were
    // released after the first). Warm-up (JIT, lazily built tables) adds a one-time step of a few
    // MiB in run 2 or run 3; a leak would add at every run, so one of the last two steps must be flat.
    await runTo(page, 'baseline', 'done', 90_000);
    const after2 = await heap();
    await runTo(page, 'baseline', 'done', 90_000);
    const after3 = await heap();
    await runTo(page, 'baseline', 'done', 90_000);
    const after4 = await heap();
    const mib = (b: number) => (b / 1048576).toFixed(1);
    const report =
      `heap before ${mib(before)} MiB; run 1: at record 200 ${mib(at200)} MiB, at record 1722 ${mib(atEnd)} MiB ` +
      `(no GC forced in-run); after GC: run 1 ${mib(after1)} MiB, run 2 ${mib(after2)} MiB, run 3 ${mib(after3)} MiB, run 4 ${mib(after4)} MiB; ` +
      `growth run2→run3 ${mib(after3 - after2)} MiB, run3→run4 ${mib(after4 - after3)} MiB`;
    console.log(`[batch] memory: ${report}`);
    await testInfo.attach('memory', { body: report, contentType: 'text/plain' });
    expect(before).toBeGreaterThan(0);
    // Loose guard only (no timing assertions): a run must not keep the previous run's data.
    expect(Math.min(after3 - after2, after4 - after3)).toBeLessThan(4 * 1048576);
  });
});
