import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';

/**
 * The clinician screen end to end: evidence, safety warnings, the fewer ↔ more slider (no new
 * model request), remove / add (search by trade name), exports. Model on WASM (?backend=wasm).
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

test('model: evidence, eGFR warning, slider without re-running, remove / add / export', async ({ page }, testInfo) => {
  test.setTimeout(90_000);
  await countWorkerRecommends(page);
  await page.goto('/?backend=wasm');
  await expect(page.getByTestId('synthetic-notice')).toContainText('合成数据');

  await page.getByTestId('note-input').fill(NOTE);
  await page.getByTestId('recommend').click();
  await expect(page.getByTestId('field-就诊标识')).toHaveValue('clin-1');
  const panel = page.getByTestId('recommendations');
  await expect(page.getByTestId('drug').first()).toBeVisible({ timeout: 75_000 });
  await expect(panel).toHaveAttribute('data-source', 'model');
  expect(await recommendCalls(page)).toBe(1);

  // Facts read from the note; every drug shows its evidence block.
  await expect(page.getByTestId('fact-egfr')).toHaveText('25');
  await expect(page.getByTestId('fact-allergies')).toHaveText('否认药物过敏');
  const n0 = await page.getByTestId('drug').count();
  await expect(page.getByTestId('evidence')).toHaveCount(n0);

  // Slider: "more" end, then "fewer" end: the list changes, the model is not asked again.
  const slider = page.getByTestId('threshold-slider');
  await slider.fill('1');
  const more = Number(await panel.getAttribute('data-count'));
  await slider.fill('0');
  await expect(panel).not.toHaveAttribute('data-count', String(more));
  const fewer = Number(await panel.getAttribute('data-count'));
  expect(fewer).toBeLessThan(more);
  expect(fewer).toBeGreaterThanOrEqual(1);
  expect(await recommendCalls(page)).toBe(1);
  await expect(panel).toHaveAttribute('data-model-requests', '1');

  // Remove the (single) recommended drug, then add from the candidate list by trade name.
  const first = (await listNames(page))[0]!;
  await page.locator(`[data-testid="drug"][data-drug="${first}"] [data-testid="remove-drug"]`).click();
  await expect(page.locator(`[data-testid="drug"][data-drug="${first}"]`)).toHaveCount(0);
  await expect(page.locator(`[data-testid="restore-drug"][data-drug="${first}"]`)).toBeVisible();
  await addViaSearch(page, '拜糖平', '阿卡波糖');
  await expect(page.locator('[data-testid="drug"][data-drug="阿卡波糖"]')).toHaveAttribute('data-origin', 'added');
  // Free text that is no candidate offers nothing to add.
  await page.getByTestId('add-drug-search').fill('不存在的药XYZ');
  await expect(page.getByTestId('add-drug-option')).toHaveCount(0);

  // Add 二甲双胍 (格华止): eGFR 25 < 30 → contraindication citing the note and the guideline.
  await addViaSearch(page, '格华止', '二甲双胍');
  const metformin = page.locator('[data-testid="drug"][data-drug="二甲双胍"]');
  const warning = metformin.locator('[data-testid="drug-warning"][data-kind="contraindication"]');
  await expect(warning).toContainText('eGFR 25');
  await expect(warning).toContainText('中国2型糖尿病防治指南');
  await expect(page.locator('[data-testid="safety-warning"][data-kind="contraindication"]').first()).toBeVisible();
  // Its evidence: the diagnosis it treats and the history mention.
  await expect(metformin.getByTestId('evidence-diagnoses')).toContainText('2型糖尿病');
  await expect(metformin.locator('[data-testid="evidence-mention"][data-status="positive"]')).toContainText('盐酸二甲双胍片');
  // 阿卡波糖 was stopped in the history: labelled as such.
  await expect(page.locator('[data-testid="drug"][data-drug="阿卡波糖"] [data-testid="evidence-mention"]')).toHaveAttribute('data-status', 'stopped');

  await page.screenshot({ path: testInfo.outputPath('clinician-main.png'), fullPage: true });

  // Exports: the final list as text, and as CHIP JSON (download).
  const names = await listNames(page);
  await page.getByTestId('export-text').click();
  await expect(page.getByTestId('export-preview')).toContainText(`1. ${names[0]}`);
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
  await slider.fill('1');
  await expect(page.locator('[data-testid="drug"][data-drug="左甲状腺素"]')).toBeVisible();
  await expect(page.getByTestId('note-input')).toHaveValue(NOTE);
  const more = await page.getByTestId('drug').count();
  await slider.fill('0');
  await expect(page.getByTestId('drug')).toHaveCount(1);
  expect(more).toBeGreaterThan(1);

  // Discarding the edits re-parses the paste.
  await page.getByTestId('discard-edits').click();
  await expect(dx).not.toHaveValue(/甲状腺功能减退症/);
  await page.screenshot({ path: testInfo.outputPath('clinician-baseline.png'), fullPage: true });
});
