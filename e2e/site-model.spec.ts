import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { modelDbKeys } from './support/model-db.ts';
import { ORIGIN } from './support/origin.ts';

/**
 * A site's own model folder and candidate list, loaded from local files in real Chromium:
 * import (directory input), select, recommend (every drug from the site list), reload (still
 * there and selected), remove (gone from IndexedDB); a bad folder gives its specific error and
 * stores nothing. The model is the committed random-weight micro-model with its own tokenizer,
 * so the constrained decoder has to build its trie with that tokenizer. No request may leave the
 * origin, and the site model's files never come over the network at all.
 */
test.use({ serviceWorkers: 'block' });
test.describe.configure({ mode: 'serial' });

const FIXTURE = 'training/tests/fixtures/micro-model';
const NOTE = `主诉：口干、多饮、多尿8年。
既往史：高血压病史10年。
出院诊断：1.2型糖尿病 2.高血压病2级`;

/** Names the micro-model's tokenizer can spell (every character in its vocabulary). */
function spellableFormularyNames(n: number): string[] {
  const vocab = (JSON.parse(readFileSync(join(FIXTURE, 'tokenizer.json'), 'utf8')) as { model: { vocab: Record<string, number> } }).model.vocab;
  const drugs = (JSON.parse(readFileSync('src/clinical/data/formulary.json', 'utf8')) as { drugs: { name: string }[] }).drugs;
  return drugs
    .map((d) => d.name)
    .filter((name) => [...name].every((ch) => ch in vocab))
    .slice(0, n);
}

function watchRequests(context: BrowserContext) {
  const offOrigin: string[] = [];
  const sitePaths: string[] = [];
  context.on('request', (req) => {
    const url = req.url();
    if (!url.startsWith(`${ORIGIN}/`) && !url.startsWith('data:') && !url.startsWith('blob:')) offOrigin.push(url);
    else if (url.includes('/models/@site/')) sitePaths.push(new URL(url).pathname);
  });
  return { offOrigin, sitePaths };
}

/** Entries of a site's own models / lists in IndexedDB. */
async function siteEntries(page: Page): Promise<{ files: number; manifests: number; lists: number }> {
  const keys = await modelDbKeys(page);
  return {
    files: (keys.files ?? []).filter((k) => k.startsWith('site:')).length,
    manifests: (keys.manifests ?? []).filter((k) => k.startsWith('site:')).length,
    lists: (keys.lists ?? []).length,
  };
}

async function recommend(page: Page): Promise<string[]> {
  await page.getByTestId('tab-recommend').click();
  await page.getByTestId('note-input').fill(NOTE);
  await page.getByTestId('recommend').click();
  await expect(page.getByTestId('recommendations')).toHaveAttribute('data-source', 'model', { timeout: 60_000 });
  await expect(page.getByTestId('engine-running')).toHaveCount(0, { timeout: 60_000 });
  await expect(page.getByTestId('engine-error')).toHaveCount(0);
  // "More": the whole searched trajectory, not only the part above the stop threshold.
  // (The control's positions run 0 … data-steps − 1; the last shows every searched drug.)
  const steps = Number(await page.getByTestId('cut-control').getAttribute('data-steps'));
  await page.getByTestId('threshold-slider').fill(String(steps - 1));
  await expect(page.getByTestId('cut-more')).toBeDisabled();
  return page.getByTestId('drug').evaluateAll((els) => els.map((e) => e.getAttribute('data-drug') ?? ''));
}

test('site model folder + candidate list: import, select, recommend, reload, remove', async ({ page, context }, testInfo) => {
  const t0 = Date.now();
  const net = watchRequests(context);
  const spellable = spellableFormularyNames(4);
  expect(spellable).toHaveLength(4);
  // Two of them respelled with a dosage form (as the official CHIP list spells some names): the
  // worker decodes the model's name and answers with the list's spelling (src/clinical/candidate-list.ts).
  // + one name the formulary does not know but the tokenizer spells, + one it cannot spell (unk).
  const names = [...spellable.map((n, i) => (i < 2 ? `${n}片` : n)), 'XR-42', '测试新药乙'];
  const listFile = testInfo.outputPath('site-list.json');
  writeFileSync(listFile, JSON.stringify(names));

  await page.goto('/?backend=wasm');
  await page.getByTestId('tab-models').click();

  // Import the model folder through the directory input.
  await page.getByTestId('site-model-dir-input').setInputFiles(FIXTURE);
  const modelRow = page.getByTestId('site-model');
  await expect(modelRow).toHaveCount(1, { timeout: 30_000 });
  await expect(page.getByTestId('site-model-error')).toHaveCount(0);
  await expect(modelRow).toHaveAttribute('data-model', 'site:micro-model');
  await expect(modelRow).toHaveAttribute('data-complete', 'true');
  const version = await modelRow.getAttribute('data-version');
  expect(version).toMatch(/^sha256-[0-9a-f]{12}$/);
  await expect(modelRow).toHaveAttribute('data-selected', 'false');
  await modelRow.getByTestId('select-site-model').check();
  await expect(modelRow).toHaveAttribute('data-selected', 'true');

  // Import and select the candidate list.
  await page.getByTestId('site-list-input').setInputFiles(listFile);
  const listRow = page.getByTestId('site-list');
  await expect(listRow).toHaveCount(1, { timeout: 15_000 });
  await expect(listRow).toHaveAttribute('data-list', 'list:site-list');
  await expect(listRow).toHaveAttribute('data-count', String(names.length));
  await listRow.getByTestId('select-site-list').check();
  await expect(listRow).toHaveAttribute('data-selected', 'true');
  // Names the bundled formulary does not know: no class / safety facts, said in one line.
  await expect(page.getByTestId('list-unknown-note')).toHaveAttribute('data-unknown', '4');
  // The mapping note: 2 respelled entries, 2 decoded by their own spelling, no fold collision.
  const mappingNote = page.getByTestId('list-mapping-note');
  await expect(mappingNote).toHaveAttribute('data-respelled', '2');
  await expect(mappingNote).toHaveAttribute('data-unmapped', '2');
  await expect(mappingNote).toHaveAttribute('data-collisions', '0');
  await expect(page.getByTestId('list-unmapped-note')).toContainText('XR-42');
  await expect(page.getByTestId('site-banner')).toHaveAttribute('data-model', 'site:micro-model');
  await expect(page.getByTestId('site-banner')).toHaveAttribute('data-list', 'list:site-list');
  const stored = await siteEntries(page);
  // Every model file of the folder (not its test artefact reference.json) plus the manifest.json
  // recorded at import (the fixture has none), one manifest record, one list.
  const modelFiles = readdirSync(FIXTURE).filter((f) => f.endsWith('.json') && f !== 'reference.json').length + readdirSync(join(FIXTURE, 'onnx')).length;
  expect(readdirSync(FIXTURE)).not.toContain('manifest.json');
  expect(stored).toEqual({ files: modelFiles + 1, manifests: 1, lists: 1 });

  // Recommend: constrained to the site list, with the site model's own tokenizer.
  const drugs = await recommend(page);
  console.log(`[site-model.spec] drugs: ${drugs.join(', ')}`);
  expect(drugs.length).toBeGreaterThan(0);
  for (const d of drugs) expect(names).toContain(d);
  expect(drugs).not.toContain('测试新药乙');
  await expect(page.getByTestId('engine-timings')).toContainText('site:micro-model');
  await expect(page.getByTestId('fixture-notice')).toBeVisible();
  // The name the tokenizer cannot spell is reported (count + example), not a crash.
  const report = page.getByTestId('banner-candidate-report');
  await expect(report).toHaveAttribute('data-unk', '1');
  await expect(report).toHaveAttribute('data-usable', String(names.length - 1));
  await expect(report).toContainText('测试新药乙');
  await page.screenshot({ path: testInfo.outputPath('site-recommend.png'), fullPage: true });
  await page.getByTestId('tab-models').click();
  await expect(page.getByTestId('candidate-report')).toHaveAttribute('data-unk', '1');
  await page.screenshot({ path: testInfo.outputPath('site-models-tab.png'), fullPage: true });

  // Reload: both still stored and selected; the recommendation still uses them.
  await page.reload();
  await page.getByTestId('tab-models').click();
  await expect(page.getByTestId('site-model')).toHaveAttribute('data-selected', 'true', { timeout: 15_000 });
  await expect(page.getByTestId('site-model')).toHaveAttribute('data-version', version!);
  await expect(page.getByTestId('site-list')).toHaveAttribute('data-selected', 'true');
  await expect(page.getByTestId('model-option').first()).toHaveAttribute('data-selected', 'false');
  const again = await recommend(page);
  expect(again).toEqual(drugs);
  await expect(page.getByTestId('engine-timings')).toContainText('site:micro-model');

  // Remove both: gone from the lists and from IndexedDB, defaults selected again.
  await page.getByTestId('tab-models').click();
  await page.getByTestId('remove-site-model').click();
  await expect(page.getByTestId('site-model')).toHaveCount(0);
  await page.getByTestId('remove-site-list').click();
  await expect(page.getByTestId('site-list')).toHaveCount(0);
  await expect(page.getByTestId('list-option')).toHaveAttribute('data-selected', 'true');
  await expect(page.getByTestId('model-option').first()).toHaveAttribute('data-selected', 'true');
  await expect(page.getByTestId('site-banner')).toHaveCount(0);
  expect(await siteEntries(page)).toEqual({ files: 0, manifests: 0, lists: 0 });

  expect(net.sitePaths, 'the site model never comes over the network').toEqual([]);
  expect(net.offOrigin, 'no request leaves the origin').toEqual([]);
  const seconds = ((Date.now() - t0) / 1000).toFixed(1);
  console.log(`[site-model.spec] import → recommend → reload → remove: ${seconds} s`);
  testInfo.annotations.push({ type: 'runtime', description: `${seconds} s` });
});

test('bad imports: a folder without onnx/ and a malformed list give their errors and store nothing', async ({ page, context }, testInfo) => {
  const net = watchRequests(context);
  const dir = testInfo.outputPath('no-onnx-model');
  mkdirSync(dir, { recursive: true });
  for (const f of ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'generation_config.json']) copyFileSync(join(FIXTURE, f), join(dir, f));
  const badList = testInfo.outputPath('bad-list.json');
  writeFileSync(badList, JSON.stringify(['二甲双胍', 42]));

  await page.goto('/?backend=wasm');
  await page.getByTestId('tab-models').click();
  await page.getByTestId('site-model-dir-input').setInputFiles(dir);
  const err = page.getByTestId('site-model-error');
  await expect(err).toHaveAttribute('data-code', 'missing-onnx', { timeout: 15_000 });
  await expect(err).toContainText('缺少 ONNX 权重');
  await expect(err).toContainText('未保存任何内容');
  await expect(page.getByTestId('site-model')).toHaveCount(0);

  await page.getByTestId('site-list-input').setInputFiles(badList);
  const listErr = page.getByTestId('site-list-error');
  await expect(listErr).toHaveAttribute('data-code', 'list-invalid');
  await expect(listErr).toContainText('entry 1');
  await expect(page.getByTestId('site-list')).toHaveCount(0);
  await page.screenshot({ path: testInfo.outputPath('site-bad-import.png'), fullPage: true });

  // English too.
  await page.getByTestId('toggle-locale').click();
  await expect(err).toContainText('no ONNX weights');
  expect(await siteEntries(page)).toEqual({ files: 0, manifests: 0, lists: 0 });
  expect(net.offOrigin).toEqual([]);
});

test('the "running from memory" notice is in the app shell: visible on every screen', async ({ page, context }) => {
  const net = watchRequests(context);
  // estimate() in the worker reports no room: the bundled model is not cached and runs from memory.
  await page.route('**/assets/engine.worker-*.js', async (route) => {
    const res = await route.fetch();
    const stub = `StorageManager.prototype.estimate = async function () { return { usage: 1000, quota: 1024 }; };\n`;
    await route.fulfill({ response: res, body: stub + (await res.text()) });
  });
  await page.goto('/?backend=wasm');
  await page.getByTestId('note-input').fill(NOTE);
  await page.getByTestId('recommend').click();
  await expect(page.getByTestId('recommendations')).toHaveAttribute('data-source', 'model', { timeout: 60_000 });
  // Without ever opening the Models tab.
  const notice = page.getByTestId('cache-notice');
  await expect(notice).toBeVisible();
  await expect(notice).toHaveAttribute('data-kind', 'no-space');
  await expect(notice).toContainText('内存');
  await page.getByTestId('tab-batch').click();
  await expect(notice).toBeVisible();
  await page.getByTestId('tab-models').click();
  await expect(notice).toBeVisible();
  await expect(page.getByTestId('cache-notice')).toHaveCount(1);
  expect(net.offOrigin).toEqual([]);
});
