import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';

/**
 * The clinician screen end to end: the list sorted by confidence, the fewer ↔ more control (each
 * step does what its preview says, no new model request), withheld drugs (reason, the note's
 * words, add anyway), note support, doses carried from the note or marked as defaults, evidence,
 * safety warnings, remove / add (search by trade name), exports. Model on WASM (?backend=wasm).
 * Screenshots of the list in both languages: docs/screenshots/clinician-list-{zh,en}.png.
 */

const NOTE = `性别：男  出生日期：1950-06-01  就诊标识：clin-1
主诉：血糖控制不佳伴乏力1月。
现病史：2型糖尿病12年，长期口服盐酸二甲双胍片0.5g tid，近半年因腹泻停用拜糖平。
既往史：高血压病史8年，服用苯磺酸氨氯地平片5mg qd。否认药物过敏史。
入院情况：血肌酐 235μmol/L↑，eGFR 25 mL/min/1.73m²，HbA1c 9.1%↑。
诊疗过程：予胰岛素强化降糖，前列地尔注射液静滴改善循环。
出院诊断：1.2型糖尿病 2.糖尿病肾病 慢性肾脏病4期 3.高血压病3级（很高危）`;

/** Counts `recommend` messages the page posts to any Web Worker (the model runs only on those). */
async function countWorkerRecommends(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as unknown as { __recommendCalls: number };
    w.__recommendCalls = 0;
    const orig = Worker.prototype.postMessage;
    Worker.prototype.postMessage = function (this: Worker, ...args: unknown[]) {
      const msg = args[0];
      if (msg && typeof msg === 'object' && (msg as { type?: unknown }).type === 'recommend') w.__recommendCalls++;
      return (orig as (...a: unknown[]) => void).apply(this, args);
    } as typeof orig;
  });
}

const recommendCalls = (page: Page) => page.evaluate(() => (window as unknown as { __recommendCalls: number }).__recommendCalls);
const listNames = (page: Page) => page.getByTestId('drug').evaluateAll((els) => els.map((e) => e.getAttribute('data-drug') ?? ''));

async function addViaSearch(page: Page, query: string, expected: string) {
  await page.getByTestId('add-drug-search').fill(query);
  const option = page.locator(`[data-testid="add-drug-option"][data-drug="${expected}"]`);
  await expect(option).toBeVisible();
  await option.click();
  await expect(page.locator(`[data-testid="drug"][data-drug="${expected}"]`)).toBeVisible();
}

/**
 * The note through the co-occurrence baseline (no model), with the withheld section open: withheld
 * drugs the note does not name sit in a fold, and "add anyway" needs it open.
 */
async function recommendWithBaseline(page: Page, note: string) {
  await page.goto('/?method=baseline');
  await page.getByTestId('note-input').fill(note);
  await page.getByTestId('recommend').click();
  await expect(page.getByTestId('drug').first()).toBeVisible();
  const fold = page.locator('[data-testid="withheld"] details');
  if ((await fold.count()) > 0) await fold.locator('summary').click();
}

/** Names and shown confidences of the recommended (not hand-added) drugs, top to bottom. */
async function shown(page: Page): Promise<{ name: string; score: number }[]> {
  return page
    .locator('[data-testid="drug"][data-origin="recommended"]')
    .evaluateAll((els) => els.map((e) => ({ name: e.getAttribute('data-drug') ?? '', score: Number(e.getAttribute('data-score')) })));
}

function expectSortedByConfidence(list: { score: number }[]) {
  for (let i = 1; i < list.length; i++) expect(list[i]!.score, `row ${i + 1} ≤ row ${i}`).toBeLessThanOrEqual(list[i - 1]!.score);
}

test('model: sorted list, a predictable fewer ↔ more control, withheld drugs, note doses, evidence, export', async ({ page }, testInfo) => {
  // Generous: the WASM session is created on a CPU shared with other jobs (minutes when busy).
  test.setTimeout(600_000);
  await countWorkerRecommends(page);
  await page.goto('/?backend=wasm');
  await expect(page.getByTestId('synthetic-notice')).toContainText('合成数据');

  await page.getByTestId('note-input').fill(NOTE);
  await page.getByTestId('recommend').click();
  await expect(page.getByTestId('field-就诊标识')).toHaveValue('clin-1');
  const panel = page.getByTestId('recommendations');
  await expect(page.getByTestId('drug').first()).toBeVisible({ timeout: 480_000 });
  await expect(panel).toHaveAttribute('data-source', 'model');
  expect(await recommendCalls(page)).toBe(1);

  // Facts read from the note; every drug shows its evidence block, its note-support label and a dose line.
  await expect(page.getByTestId('fact-egfr')).toHaveText('25');
  await expect(page.getByTestId('fact-allergies')).toHaveText('否认药物过敏');
  const n0 = await page.getByTestId('drug').count();
  await expect(page.getByTestId('evidence')).toHaveCount(n0);
  await expect(page.getByTestId('support-badge')).toHaveCount(n0);
  await expect(page.getByTestId('dose')).toHaveCount(n0);
  for (const badge of await page.getByTestId('support-badge').all()) {
    const supported = await badge.getAttribute('data-supported');
    await expect(badge).toHaveText(supported === 'true' ? /病历支持/ : /无病历依据/);
  }

  // Sorted by the confidence shown.
  const atDefault = await shown(page);
  expectSortedByConfidence(atDefault);
  const control = page.getByTestId('cut-control');
  const defaultIndex = Number(await control.getAttribute('data-default-index'));
  const steps = Number(await control.getAttribute('data-steps'));
  expect(Number(await control.getAttribute('data-index'))).toBe(defaultIndex);

  // Fewer: each step removes exactly the drug(s) the preview names, the lowest shown confidence.
  const fewer = page.getByTestId('cut-fewer');
  let current = atDefault;
  for (let i = defaultIndex; i > 0; i--) {
    const named = ((await page.getByTestId('preview-fewer').getAttribute('data-drugs')) ?? '').split('|');
    const lowest = Math.min(...current.map((d) => d.score));
    for (const n of named) expect(current.find((d) => d.name === n)?.score).toBe(lowest);
    await fewer.click();
    await expect(control).toHaveAttribute('data-index', String(i - 1));
    const next = await shown(page);
    expect(next.map((d) => d.name)).toEqual(current.map((d) => d.name).filter((n) => !named.includes(n)));
    expectSortedByConfidence(next);
    current = next;
  }
  // Fewest: the most confident drug of the default list, and the control says it cannot go lower.
  await expect(fewer).toBeDisabled();
  expect(current.map((d) => d.name)).toEqual([atDefault[0]!.name]);
  await expect(page.getByTestId('preview-fewer')).toHaveCount(0);

  // More (from the default): each step adds exactly the drug(s) the preview names, until the end.
  await page.getByTestId('reset-cut').click();
  await expect(control).toHaveAttribute('data-index', String(defaultIndex));
  expect(await shown(page)).toEqual(atDefault);
  const more = page.getByTestId('cut-more');
  current = atDefault;
  for (let i = defaultIndex; i < steps - 1; i++) {
    const named = ((await page.getByTestId('preview-more').getAttribute('data-drugs')) ?? '').split('|');
    await more.click();
    await expect(control).toHaveAttribute('data-index', String(i + 1));
    const next = await shown(page);
    expect(new Set(next.map((d) => d.name))).toEqual(new Set([...current.map((d) => d.name), ...named]));
    expectSortedByConfidence(next);
    current = next;
  }
  await expect(more).toBeDisabled();
  expect(await recommendCalls(page)).toBe(1);
  await expect(panel).toHaveAttribute('data-model-requests', '1');
  // Back to the default (the reset button exists only away from it).
  if (defaultIndex < steps - 1) await page.getByTestId('reset-cut').click();
  await expect(control).toHaveAttribute('data-index', String(defaultIndex));

  // eGFR 25: 二甲双胍 is withheld, with the reason and the note's words, and can be added anyway.
  const withheld = page.locator('[data-testid="withheld-drug"][data-drug="二甲双胍"]');
  await expect(withheld).toHaveAttribute('data-reason', 'egfr_below');
  await expect(withheld.getByTestId('withheld-reason')).toHaveText('肾功能（eGFR）');
  await expect(withheld).toContainText('eGFR 25');
  expect(await listNames(page)).not.toContain('二甲双胍');
  await withheld.getByTestId('add-anyway').click();
  const metformin = page.locator('[data-testid="drug"][data-drug="二甲双胍"]');
  await expect(metformin).toHaveAttribute('data-origin', 'added');
  await expect(withheld.getByTestId('add-anyway')).toBeDisabled();
  await expect(metformin.getByTestId('drug-withheld')).toBeVisible();
  const warning = metformin.locator('[data-testid="drug-warning"][data-kind="contraindication"]');
  await expect(warning).toContainText('eGFR 25');
  await expect(warning).toContainText('中国2型糖尿病防治指南');
  // A continued drug carries the note's dose forward, citing the note's words.
  const dose = metformin.getByTestId('dose');
  await expect(dose).toHaveAttribute('data-kind', 'note');
  await expect(dose).toHaveAttribute('data-dose', '0.5g tid');
  await expect(dose).toContainText('长期口服盐酸二甲双胍片0.5g tid');
  // Its evidence: the diagnosis it treats and the history mention; supported by the note.
  await expect(metformin.getByTestId('evidence-diagnoses')).toContainText('2型糖尿病');
  await expect(metformin.locator('[data-testid="evidence-mention"][data-status="positive"]')).toContainText('盐酸二甲双胍片');
  await expect(metformin.getByTestId('support-badge')).toHaveAttribute('data-supported', 'true');

  // Remove the top drug, then add from the candidate list by trade name.
  const first = (await listNames(page))[0]!;
  await page.locator(`[data-testid="drug"][data-drug="${first}"] [data-testid="remove-drug"]`).click();
  await expect(page.locator(`[data-testid="drug"][data-drug="${first}"]`)).toHaveCount(0);
  await expect(page.locator(`[data-testid="restore-drug"][data-drug="${first}"]`)).toBeVisible();
  await addViaSearch(page, '拜糖平', '阿卡波糖');
  const acarbose = page.locator('[data-testid="drug"][data-drug="阿卡波糖"]');
  await expect(acarbose).toHaveAttribute('data-origin', 'added');
  // Stopped in the history: labelled as such, so no dose is carried forward: the default, marked.
  await expect(acarbose.getByTestId('evidence-mention')).toHaveAttribute('data-status', 'stopped');
  await expect(acarbose.getByTestId('dose')).toHaveAttribute('data-kind', 'default');
  await expect(acarbose.getByTestId('dose')).toContainText('默认起始剂量');
  // A drug with neither a diagnosis nor a taking statement is marked as not in the note.
  await addViaSearch(page, '优甲乐', '左甲状腺素');
  const levo = page.locator('[data-testid="drug"][data-drug="左甲状腺素"]');
  await expect(levo.getByTestId('support-badge')).toHaveAttribute('data-supported', 'false');
  await expect(levo.getByTestId('support-badge')).toHaveText(/无病历依据/);
  // Free text that is no candidate offers nothing to add.
  await page.getByTestId('add-drug-search').fill('不存在的药XYZ');
  await expect(page.getByTestId('add-drug-option')).toHaveCount(0);
  await page.getByTestId('add-drug-search').fill('');

  // Technical words (backend, quantisation) sit behind a closed toggle.
  await expect(page.getByTestId('engine-details')).not.toHaveAttribute('open', '');
  await expect(page.getByTestId('backend-badge')).toBeHidden();
  await expect(page.getByTestId('backend-badge')).toContainText('WASM');

  // Small screenshots of the top of the list (control + drugs), in both languages.
  const listShot = async (path: string) => {
    await panel.evaluate((el) => el.scrollIntoView({ block: 'start' }));
    const box = (await panel.boundingBox())!;
    const viewport = page.viewportSize()!;
    await page.screenshot({ path, scale: 'css', clip: { x: box.x, y: Math.max(0, box.y), width: box.width, height: Math.min(box.height, viewport.height - Math.max(0, box.y)) } });
  };
  await listShot('docs/screenshots/clinician-list-zh.png');
  await page.getByTestId('toggle-locale').click();
  await expect(levo.getByTestId('support-badge')).toHaveText(/not in the note/);
  await expect(metformin.getByTestId('dose')).toContainText('continued from the note');
  await listShot('docs/screenshots/clinician-list-en.png');
  await page.getByTestId('toggle-locale').click();
  await page.screenshot({ path: testInfo.outputPath('clinician-main.png'), fullPage: true });

  // Exports: the final list as text (with doses), and as CHIP JSON (download).
  const names = await listNames(page);
  await page.getByTestId('export-text').click();
  await expect(page.getByTestId('export-preview')).toContainText(`1. ${names[0]}`);
  await expect(page.getByTestId('export-preview')).toContainText('二甲双胍（双胍类） 0.5g tid');
  await expect(page.getByTestId('export-preview')).toContainText('阿卡波糖（α-糖苷酶抑制剂） 50mg tid（默认起始剂量');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-json').click()]);
  const json = JSON.parse(readFileSync((await download.path())!, 'utf8')) as unknown;
  expect(json).toEqual([{ ID: 'clin-1', prediction: names }]);
  expect(await recommendCalls(page)).toBe(1);
});

test('baseline: edited fields feed the next recommendation, the paste is kept, the slider maps to the cut-off', async ({ page }, testInfo) => {
  await page.goto('/?method=baseline');
  await page.getByTestId('note-input').fill(NOTE);
  await page.getByTestId('recommend').click();
  await expect(page.getByTestId('drug').first()).toBeVisible();
  expect(await listNames(page)).not.toContain('左甲状腺素');

  // Edit the diagnoses: add hypothyroidism, recommend again from the edited record.
  const dx = page.getByTestId('field-出院诊断');
  await dx.fill(`${await dx.inputValue()}\n甲状腺功能减退症`);
  await expect(page.getByTestId('fields-edited')).toBeVisible();
  await page.getByTestId('recommend').click();
  const slider = page.getByTestId('threshold-slider');
  const control = page.getByTestId('cut-control');
  const last = Number(await control.getAttribute('data-steps')) - 1;
  await slider.fill(String(last));
  await expect(page.locator('[data-testid="drug"][data-drug="左甲状腺素"]')).toBeVisible();
  await expect(page.getByTestId('note-input')).toHaveValue(NOTE);
  await expect(page.getByTestId('cut-more')).toBeDisabled();
  const more = await shown(page);
  expectSortedByConfidence(more);
  await slider.fill('0');
  await expect(page.getByTestId('drug')).toHaveCount(1);
  // Fewest keeps the highest-scoring drug.
  expect(await listNames(page)).toEqual([more[0]!.name]);
  expect(more.length).toBeGreaterThan(1);

  // Discarding the edits re-parses the paste.
  await page.getByTestId('discard-edits').click();
  await expect(dx).not.toHaveValue(/甲状腺功能减退症/);
  await page.screenshot({ path: testInfo.outputPath('clinician-baseline.png'), fullPage: true });
});

test('baseline: evidence that is right (heart failure, diabetic kidney disease, latest statement decides)', async ({ page }) => {
  const note = `就诊标识：clin-ev
既往史：高血压病史10年，服用缬沙坦80mg qd。
现病史：2型糖尿病8年。半年前因血钾偏高停用缬沙坦，改为厄贝沙坦150mg qd。
出院诊断：1.慢性心力衰竭 心功能Ⅲ级 2.高血压病3级 3.2型糖尿病 4.糖尿病肾病 慢性肾脏病3期 5.肾性贫血`;
  await recommendWithBaseline(page, note);
  for (const [query, drug] of [['速尿', '呋塞米'], ['倍他乐克', '美托洛尔'], ['安体舒通', '螺内酯'], ['安博维', '厄贝沙坦'], ['代文', '缬沙坦']] as const) {
    if ((await page.locator(`[data-testid="drug"][data-drug="${drug}"]`).count()) === 0) {
      const withheld = page.locator(`[data-testid="withheld-drug"][data-drug="${drug}"] [data-testid="add-anyway"]`);
      if ((await withheld.count()) > 0) await withheld.click();
      else await addViaSearch(page, query, drug);
    }
  }
  const dx = (drug: string) => page.locator(`[data-testid="drug"][data-drug="${drug}"] [data-testid="evidence-diagnoses"]`);
  // Heart failure first for β-blocker and MRA; a loop diuretic cites only the heart failure.
  await expect(dx('美托洛尔')).toHaveText(/^对应诊断：慢性心力衰竭 心功能Ⅲ级；高血压病3级/);
  await expect(dx('螺内酯')).toHaveText(/^对应诊断：慢性心力衰竭 心功能Ⅲ级/);
  await expect(dx('呋塞米')).toHaveText('对应诊断：慢性心力衰竭 心功能Ⅲ级');
  // The ARB: kidney disease and hypertension, never the renal anaemia.
  await expect(dx('厄贝沙坦')).toContainText('糖尿病肾病');
  await expect(dx('厄贝沙坦')).not.toContainText('肾性贫血');
  // 缬沙坦: taking, then stopped: both statements in time order, the latest decides.
  const valsartan = page.locator('[data-testid="drug"][data-drug="缬沙坦"]');
  await expect(valsartan.getByTestId('evidence-mention')).toHaveCount(2);
  expect(await valsartan.getByTestId('evidence-mention').evaluateAll((els) => els.map((e) => e.getAttribute('data-status')))).toEqual(['positive', 'stopped']);
  await expect(valsartan.getByTestId('evidence-current')).toHaveAttribute('data-current', 'stopped');
  // Continued 厄贝沙坦 carries its dose from the note; stopped 缬沙坦 does not.
  await expect(page.locator('[data-testid="drug"][data-drug="厄贝沙坦"] [data-testid="dose"]')).toHaveAttribute('data-dose', '150mg qd');
  await expect(page.locator('[data-testid="drug"][data-drug="厄贝沙坦"] [data-testid="dose"]')).toHaveAttribute('data-kind', 'note');
  await expect(valsartan.getByTestId('dose')).toHaveAttribute('data-kind', 'default');
});

test('baseline: a drug the note resumes after an acute condition is not withheld and shows its warning; one it stopped stays withheld', async ({ page }) => {
  const note = `就诊标识：clin-acute
现病史：冠心病PCI术后，长期口服阿司匹林肠溶片100mg qd、硫酸氢氯吡格雷片75mg qd。3天前解柏油样黑便。
诊疗过程：急诊胃镜示十二指肠球部溃疡出血，内镜下止血。暂停阿司匹林及氯吡格雷。心内科会诊：消化道出血后停用阿司匹林，第4天恢复氯吡格雷。
出院后：氯吡格雷75mg qd，泮托拉唑40mg bid。
出院诊断：1.上消化道出血 十二指肠球部溃疡 2.冠状动脉粥样硬化性心脏病 PCI术后`;
  await recommendWithBaseline(page, note);
  // Aspirin, stopped for the bleed and never resumed, is withheld with the note's words; the
  // bleed withholds the other antithrombotics the note does not resume.
  await expect(page.locator('[data-testid="withheld-drug"][data-drug="阿司匹林"]')).toHaveAttribute('data-reason', 'stopped');
  await expect(page.locator('[data-testid="withheld-drug"][data-drug="替格瑞洛"]')).toHaveAttribute('data-reason', 'condition');
  // Clopidogrel, resumed and in the discharge plan, is not withheld (the co-occurrence baseline may
  // not list it: add it by trade name); on the list its bleeding contraindication shows, marked acute.
  await expect(page.locator('[data-testid="withheld-drug"][data-drug="氯吡格雷"]')).toHaveCount(0);
  const clopidogrel = page.locator('[data-testid="drug"][data-drug="氯吡格雷"]');
  if ((await clopidogrel.count()) === 0) await addViaSearch(page, '波立维', '氯吡格雷');
  await expect(clopidogrel.getByTestId('drug-withheld')).toHaveCount(0);
  const warning = clopidogrel.locator('[data-testid="drug-warning"][data-kind="contraindication"]');
  await expect(warning).toContainText('黑便');
  await expect(warning.getByTestId('acute-note')).toContainText('急性情况');
});
