import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page, type TestInfo } from '@playwright/test';
import { tabLabels } from '../src/app/tabs.ts';
import { appMessages } from '../src/app/i18n.ts';
import { batchMessages } from '../src/features/batch/messages.ts';
import { printMessages } from '../src/features/recommend/print/messages.ts';
import { recommendMessages } from '../src/features/recommend/messages.ts';
import { parseMessages } from '../src/features/recommend/parse-messages.ts';
import { FORMULARY_EN } from '../src/clinical/formulary-en.ts';

/**
 * The app shell and the batch screen as a clinician meets them: language (no leftovers of the
 * other language, remembered across reloads, no note text stored), tabs by keyboard, the offline
 * indicator, the 390 px layout, the print sheet, and the batch screen's run facts. Screenshots of
 * every screen in both languages are attached.
 */

const TSX = 'node_modules/.bin/tsx';
const MARKER = `SHELLNOTE${Date.now().toString(36)}`;
// Seven diagnoses: the 7th must be visible in its field, not scrolled away inside the box.
const NOTE = `主诉：口干多饮多尿6年，血糖控制不佳2周。${MARKER}
现病史：6年前诊断2型糖尿病，口服盐酸二甲双胍片0.5g tid。
既往史：高血压病史10年，服用苯磺酸氨氯地平片5mg qd。
出院诊断：1.2型糖尿病 2.高血压病2级（高危） 3.高脂血症 4.高尿酸血症 5.冠状动脉粥样硬化性心脏病 6.慢性肾脏病3期 7.骨质疏松症`;

let file6 = '';
let file150 = '';

test.beforeAll(() => {
  const dir = mkdtempSync(join(tmpdir(), 'dischargerx-shell-'));
  execFileSync(TSX, ['cli/cohort.ts', '--seed', '11', '--patients', '150', '--out', join(dir, 'cohort')], { stdio: 'pipe' });
  const lines = ['train', 'dev', 'test'].flatMap((s) => readFileSync(join(dir, 'cohort', `${s}.jsonl`), 'utf8').split('\n').filter((l) => l.trim()));
  expect(lines.length).toBeGreaterThanOrEqual(150);
  file6 = join(dir, 'labelled-6.jsonl');
  file150 = join(dir, 'labelled-150.jsonl');
  writeFileSync(file6, lines.slice(0, 6).join('\n') + '\n');
  writeFileSync(file150, lines.slice(0, 150).join('\n') + '\n');
});

type Dict = Record<string, string>;
const CJK = /[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]/;

/** The shell's and the batch screen's dictionaries (what this spec holds to "no leftovers"). */
const DICTS: Array<{ zh: Dict; en: Dict }> = [appMessages, tabLabels, batchMessages, printMessages];

/**
 * Strings of `locale` that must not show in the other language: CJK ones from zh, multi-word ones
 * from en. Of `dicts` (default: the shell's and the batch screen's dictionaries).
 */
function foreignStrings(locale: 'zh' | 'en', dicts = DICTS): string[] {
  const out = new Set<string>();
  for (const d of dicts) {
    const other = locale === 'zh' ? d.en : d.zh;
    for (const [k, v] of Object.entries(locale === 'zh' ? d.zh : d.en)) {
      if (v === other[k]) continue; // the same in both (e.g. "Jaccard", "WebGPU")
      const s = v.replace(/[{].*?[}]/g, '').trim();
      if (locale === 'zh' ? CJK.test(s) && s.length >= 2 : /[A-Za-z]{2,}\s+[A-Za-z]{2,}/.test(s)) out.add(s);
    }
  }
  return [...out];
}

/**
 * Visible text under `root`, text node by text node, leaving out what is marked as Chinese data
 * (lang="zh…": drug names, the note preview) and the chart's x axis (drug names).
 */
async function visibleTexts(page: Page, root = 'body'): Promise<string[]> {
  return page.evaluate((sel) => {
    const out: string[] = [];
    for (const r of Array.from(document.querySelectorAll(sel))) {
      const walker = document.createTreeWalker(r, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const el = n.parentElement;
        const text = n.textContent?.trim() ?? '';
        if (!el || !text) continue;
        if (el.closest('[lang^="zh"], script, style, textarea, .recharts-xAxis-tick-labels')) continue;
        if (!el.checkVisibility({ visibilityProperty: true } as CheckVisibilityOptions)) continue;
        out.push(text);
      }
    }
    return out;
  }, root);
}

/**
 * No string of the other language's dictionaries on screen, outside the recommend screen (that
 * screen, with a recommendation on it, has its own test below: "recommend screen in English").
 */
async function expectNoLeftovers(page: Page, locale: 'zh' | 'en'): Promise<void> {
  const other = locale === 'zh' ? 'en' : 'zh';
  const outside = (await visibleTexts(page, 'body > #root > .app > :not(#panel-recommend)')).join('\n');
  const leftovers = foreignStrings(other).filter((s) => outside.includes(s));
  expect(leftovers, `${other} dictionary strings visible in ${locale} mode`).toEqual([]);
  if (locale === 'en') {
    // The shell and the batch screen: no Chinese at all outside data marked as Chinese (so no full-width colon).
    const shell = await visibleTexts(page, '.app-header, [data-testid="synthetic-notice"], [role="tablist"], #panel-batch');
    const cjk = shell.filter((s) => CJK.test(s));
    expect(cjk, 'Chinese in the English shell / batch screen').toEqual([]);
  }
}

async function shot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const path = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path, fullPage: true });
  await testInfo.attach(name, { path, contentType: 'image/png' });
}

async function recommendBaseline(page: Page): Promise<number> {
  await page.getByTestId('note-input').fill(NOTE);
  await page.getByTestId('recommend').click();
  await expect(page.getByTestId('drug').first()).toBeVisible({ timeout: 120_000 });
  return Number(await page.getByTestId('recommendations').getAttribute('data-count'));
}

async function runBatch(page: Page, path: string, records: number, method: 'baseline' | 'model'): Promise<void> {
  await page.getByTestId('tab-batch').click();
  await page.getByTestId('batch-file-input').setInputFiles(path);
  await expect(page.getByTestId('batch-file-info')).toHaveAttribute('data-records', String(records), { timeout: 30_000 });
  await page.getByTestId('batch-method').selectOption(method);
  await page.getByTestId('batch-start').click();
  await expect(page.getByTestId('batch-progress')).toHaveAttribute('data-status', 'done', { timeout: 180_000 });
}

test('language: no leftover strings of the other language, remembered across reloads, no note text stored', async ({ page }, testInfo) => {
  await page.goto('/?method=baseline');
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await recommendBaseline(page);
  await runBatch(page, file6, 6, 'baseline');
  await expectNoLeftovers(page, 'zh');
  await shot(page, testInfo, 'zh-batch');

  await page.getByTestId('toggle-locale').click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en-US');
  await expect(page.getByTestId('tab-batch')).toHaveText(tabLabels.en.batch);
  await expectNoLeftovers(page, 'en');
  await shot(page, testInfo, 'en-batch');
  await page.getByTestId('tab-recommend').click();
  await expectNoLeftovers(page, 'en');
  await shot(page, testInfo, 'en-recommend');
  await page.getByTestId('tab-models').click();
  await expectNoLeftovers(page, 'en');
  await shot(page, testInfo, 'en-models');

  // Reload: still English; storage holds settings only, never the note.
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en-US');
  await expect(page.getByTestId('tab-recommend')).toHaveText(tabLabels.en.recommend);
  await expect(page.getByTestId('note-input')).toHaveValue('');
  const stored = await page.evaluate(() => Object.entries(localStorage));
  expect(stored.map(([k]) => k)).toContain('dischargerx.locale');
  for (const [k, v] of stored) {
    expect(k.startsWith('dischargerx.'), k).toBe(true);
    expect(v).not.toContain(MARKER);
    expect(v).not.toContain('口干多饮多尿');
  }

  // Back to 中文, reloaded: 中文 again.
  await page.getByTestId('toggle-locale').click();
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await expect(page.getByTestId('tab-recommend')).toHaveText(tabLabels.zh.recommend);
  await shot(page, testInfo, 'zh-recommend-empty');
  await page.getByTestId('tab-models').click();
  await shot(page, testInfo, 'zh-models');
});

// Withheld for eGFR 25 (二甲双胍, a formulary note), stopped by the note (格列美脲) and an allergy
// stated to the drug itself (阿卡波糖): the three kinds of explanation the list shows.
const LOCALE_NOTE = `主诉：口干多饮多尿10年。
现病史：10年前诊断2型糖尿病，长期口服盐酸二甲双胍片0.5g tid，1年前停用格列美脲。对阿卡波糖过敏。
既往史：高血压病史10年，服用苯磺酸氨氯地平片5mg qd。
入院情况：eGFR 25 ml/min。
出院诊断：1.2型糖尿病 2.高血压病2级 3.慢性肾脏病4期 4.高脂血症`;

test('recommend screen in English: classes, explanations, citations and field names in English; only drug names and the note’s words stay Chinese', async ({ page }, testInfo) => {
  test.setTimeout(400_000);
  const dicts = [...DICTS, recommendMessages, parseMessages];
  await page.goto('/?method=baseline');
  await page.getByTestId('note-input').fill(LOCALE_NOTE);
  await page.getByTestId('recommend').click();
  await expect(page.getByTestId('drug').first()).toBeVisible({ timeout: 120_000 });
  const withheld = (drug: string) => page.locator(`[data-testid="withheld-drug"][data-drug="${drug}"]`);
  await expect(withheld('二甲双胍')).toHaveAttribute('data-reason', 'egfr_below');
  await expect(withheld('格列美脲')).toHaveAttribute('data-reason', 'stopped');
  await expect(withheld('阿卡波糖')).toHaveAttribute('data-reason', 'allergy-self');
  const openAll = () => page.locator('#panel-recommend details').evaluateAll((els) => els.forEach((e) => ((e as HTMLDetailsElement).open = true)));
  await openAll();
  const zhText = (await visibleTexts(page, '#panel-recommend')).join('\n');
  expect(foreignStrings('en', dicts).filter((x) => zhText.includes(x)), 'English dictionary strings in 中文').toEqual([]);
  await shot(page, testInfo, 'recommend-list-zh');

  await page.getByTestId('toggle-locale').click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en-US');
  await openAll();
  const texts = await visibleTexts(page, '#panel-recommend');
  const joined = texts.join('\n');
  expect(foreignStrings('zh', dicts).filter((x) => joined.includes(x)), '中文 dictionary strings in English').toEqual([]);
  // Nothing Chinese outside data marked as Chinese (drug names, the note's words): no class, note,
  // citation, field name or full-width punctuation.
  expect(texts.filter((x) => CJK.test(x)), 'Chinese text in the English recommend screen').toEqual([]);
  // The formulary's note, its citation, the note's own statements, in English.
  const metformin = withheld('二甲双胍');
  await expect(metformin).toContainText(FORMULARY_EN.notes['eGFR<30 ml/min/1.73m²禁用; eGFR 30–45不建议起始、已用者减量']!);
  await expect(metformin).toContainText('admission findings');
  await expect(withheld('格列美脲')).toContainText('was stopped and not restarted');
  await expect(withheld('阿卡波糖')).toContainText('The note records an allergy to 阿卡波糖');
  const classes = await page.locator('[data-testid="drug"] .drug-class').allTextContents();
  expect(classes.length).toBeGreaterThan(0);
  for (const c of classes) expect(Object.values(FORMULARY_EN.classes)).toContain(c);
  await shot(page, testInfo, 'recommend-list-en');

  // The print sheet follows: English classes and explanations, drug names as written.
  await page.emulateMedia({ media: 'print' });
  const printed = await visibleTexts(page, '[data-testid="print-sheet"]');
  expect(printed.filter((x) => CJK.test(x)), 'Chinese text on the English print sheet').toEqual([]);
  await page.emulateMedia({ media: 'screen' });
  await page.getByTestId('toggle-locale').click();
});

test('tabs: tablist / tab / tabpanel wired by ids, arrow keys, Home and End', async ({ page }) => {
  await page.goto('/?method=baseline');
  const tabs = page.getByRole('tablist').getByRole('tab');
  await expect(tabs).toHaveCount(3);
  for (const id of ['recommend', 'batch', 'models']) {
    const tab = page.getByTestId(`tab-${id}`);
    const panelId = await tab.getAttribute('aria-controls');
    expect(panelId).toBe(`panel-${id}`);
    const panel = page.locator(`#${panelId}`);
    await expect(panel).toHaveAttribute('role', 'tabpanel');
    await expect(panel).toHaveAttribute('aria-labelledby', `tab-${id}`);
  }
  const recommend = page.getByTestId('tab-recommend');
  await recommend.focus();
  await expect(recommend).toHaveAttribute('aria-selected', 'true');
  await expect(recommend).toHaveAttribute('tabindex', '0');
  await expect(page.getByTestId('tab-batch')).toHaveAttribute('tabindex', '-1');

  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('tab-batch')).toBeFocused();
  await expect(page.getByTestId('tab-batch')).toHaveAttribute('aria-selected', 'true');
  await expect(recommend).toHaveAttribute('aria-selected', 'false');
  await expect(page.locator('#panel-batch')).toBeVisible();
  await expect(page.locator('#panel-recommend')).toBeHidden();

  await page.keyboard.press('End');
  await expect(page.getByTestId('tab-models')).toBeFocused();
  await expect(page.locator('#panel-models')).toBeVisible();
  await page.keyboard.press('ArrowRight'); // wraps
  await expect(recommend).toBeFocused();
  await page.keyboard.press('ArrowLeft'); // wraps back
  await expect(page.getByTestId('tab-models')).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Home');
  await expect(recommend).toHaveAttribute('aria-selected', 'true');
  await expect(page.locator('#panel-recommend')).toBeVisible();
});

test('the page says when it is offline', async ({ page, context }) => {
  await page.goto('/?method=baseline');
  await expect(page.getByTestId('synthetic-notice')).toBeVisible();
  await expect(page.getByTestId('offline-indicator')).toHaveCount(0);
  await context.setOffline(true);
  await expect(page.getByTestId('offline-indicator')).toBeVisible();
  await expect(page.getByTestId('offline-indicator')).toContainText(appMessages.zh.offline);
  await context.setOffline(false);
  await expect(page.getByTestId('offline-indicator')).toHaveCount(0);
});

test('390 px wide: no sideways scroll on any screen in either language; whole placeholder, every diagnosis line, readable citations, unbroken buttons', async ({ page }, testInfo) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto('/?method=baseline');
  await recommendBaseline(page);
  await runBatch(page, file6, 6, 'baseline');
  for (const locale of ['zh', 'en'] as const) {
    for (const screen of ['recommend', 'batch', 'models'] as const) {
      await page.getByTestId(`tab-${screen}`).click();
      await expect(page.locator(`#panel-${screen}`)).toBeVisible();
      const { scrollWidth, innerWidth } = await page.evaluate(() => ({
        scrollWidth: document.documentElement.scrollWidth,
        innerWidth: window.innerWidth,
      }));
      expect(scrollWidth, `${locale} ${screen}`).toBeLessThanOrEqual(innerWidth);
      await shot(page, testInfo, `390-${locale}-${screen}`);
    }
    await page.getByTestId('tab-recommend').click();

    // The add-drug search shows its whole placeholder.
    const fits = await page.locator('.add-drug input').first().evaluate((el) => {
      const input = el as HTMLInputElement;
      const cs = getComputedStyle(input);
      const ctx = document.createElement('canvas').getContext('2d')!;
      ctx.font = `${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
      const text = ctx.measureText(input.placeholder).width;
      const room = input.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
      return { text, room, placeholder: input.placeholder };
    });
    expect(fits.placeholder.length).toBeGreaterThan(0);
    expect(fits.text, `placeholder "${fits.placeholder}"`).toBeLessThanOrEqual(fits.room);

    // Every line of the diagnoses field is in view (7 diagnoses, no inner scroll).
    const diag = page.getByTestId('field-出院诊断');
    await expect(diag).toHaveValue(/骨质疏松症/);
    const box = await diag.evaluate((el) => ({ scroll: el.scrollHeight, client: el.clientHeight }));
    expect(box.scroll).toBeLessThanOrEqual(box.client + 1);

    // Small print (citations, sources, hints) is at least 12 px.
    const sizes = await page.locator('#panel-recommend small, #panel-recommend .source, #panel-batch small').evaluateAll((els) =>
      els.filter((e) => (e as HTMLElement).offsetParent !== null).map((e) => parseFloat(getComputedStyle(e).fontSize)),
    );
    expect(sizes.length).toBeGreaterThan(0);
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(12);

    // Button labels in the export row never break across lines.
    const lines = await page.locator('.actions > button').evaluateAll((els) =>
      els
        .filter((e) => (e as HTMLElement).offsetParent !== null)
        .map((e) => {
          const range = document.createRange();
          range.selectNodeContents(e);
          const tops = new Set(Array.from(range.getClientRects()).map((r) => Math.round(r.top)));
          return { label: e.textContent ?? '', lines: tops.size };
        }),
    );
    expect(lines.length).toBeGreaterThan(0);
    for (const l of lines) expect(l.lines, l.label).toBe(1);

    if (locale === 'zh') await page.getByTestId('toggle-locale').click();
  }
});

test('print: the discharge-medication sheet only; the pasted note and the rest of the app are hidden', async ({ page }, testInfo) => {
  test.setTimeout(400_000);
  await page.goto('/?method=baseline');
  const count = await recommendBaseline(page);
  expect(count).toBeGreaterThan(0);
  const names = await page.getByTestId('drug').evaluateAll((els) => els.map((e) => e.getAttribute('data-drug')));
  await expect(page.getByTestId('print-sheet')).toBeHidden();
  await expect(page.getByTestId('print-button')).toBeVisible();

  await page.emulateMedia({ media: 'print' });
  await expect(page.getByTestId('print-sheet')).toBeVisible();
  await expect(page.getByTestId('note-input')).toBeHidden();
  await expect(page.getByText(MARKER).filter({ visible: true })).toHaveCount(0);
  expect((await visibleTexts(page)).join('\n')).not.toContain('口干多饮多尿');
  await expect(page.getByTestId('recommendations')).toBeHidden();
  await expect(page.getByTestId('toggle-locale')).toBeHidden();
  await expect(page.getByTestId('print-visit-id')).not.toBeEmpty();
  await expect(page.getByTestId('print-date')).toContainText('年');
  await expect(page.getByTestId('print-drug')).toHaveCount(count);
  expect(await page.getByTestId('print-drug').evaluateAll((els) => els.map((e) => e.getAttribute('data-drug')))).toEqual(names);
  await expect(page.getByTestId('print-disclaimer')).toHaveText(appMessages.zh.syntheticNotice);
  // Dose and frequency per drug, the same as the screen shows (final-list.ts listDoses): the
  // note's "二甲双胍片0.5g tid" carried forward, a default marked as one, none left to the prescriber.
  const screenDoses = await page.getByTestId('drug').evaluateAll((els) =>
    els.map((e) => {
      const d = e.querySelector('[data-testid="dose"]');
      return { drug: e.getAttribute('data-drug'), kind: d?.getAttribute('data-kind') ?? null, dose: d?.getAttribute('data-dose') ?? null };
    }),
  );
  const printDoses = await page.getByTestId('print-drug').evaluateAll((els) =>
    els.map((e) => {
      const dose = e.querySelector('[data-testid="print-dose-value"]');
      const freq = e.querySelector('[data-testid="print-frequency"]');
      const kind = e.getAttribute('data-dose-kind');
      // The printed dose (without its "default" marker), then the frequency: as the screen's data-dose.
      const text = [dose?.textContent ?? '', freq?.textContent ?? ''].filter((x) => x !== '').join(' ');
      return { drug: e.getAttribute('data-drug'), kind, dose: kind === 'none' ? null : text };
    }),
  );
  expect(printDoses).toEqual(screenDoses);
  expect(screenDoses).toContainEqual({ drug: '二甲双胍', kind: 'note', dose: '0.5g tid' });
  const metformin = page.locator('[data-testid="print-drug"][data-drug="二甲双胍"]');
  await expect(metformin.getByTestId('print-dose-value')).toHaveText('0.5g');
  await expect(metformin.getByTestId('print-frequency')).toHaveText('tid');
  await expect(page.getByRole('columnheader', { name: printMessages.zh.colDose })).toBeVisible();
  await expect(page.getByRole('columnheader', { name: printMessages.zh.colFrequency })).toBeVisible();
  for (const d of screenDoses.filter((x) => x.kind === 'default')) {
    await expect(page.locator(`[data-testid="print-drug"][data-drug="${d.drug}"] [data-testid="print-dose"]`)).toContainText(recommendMessages.zh.doseDefault);
  }
  await shot(page, testInfo, 'print-zh');

  // What is printed follows the clinician's edits: a removed drug is gone from the sheet.
  await page.emulateMedia({ media: 'screen' });
  await page.getByTestId('remove-drug').first().click();
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByTestId('print-drug')).toHaveCount(count - 1);
  await expect(page.locator(`[data-testid="print-drug"][data-drug="${names[0]}"]`)).toHaveCount(0);

  await page.emulateMedia({ media: 'screen' });
  await page.getByTestId('toggle-locale').click();
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByTestId('print-sheet')).toContainText(printMessages.en.title);
  await expect(page.getByTestId('print-disclaimer')).toHaveText(appMessages.en.syntheticNotice);
  await shot(page, testInfo, 'print-en');
  await page.emulateMedia({ media: 'screen' });
  await expect(page.getByTestId('print-sheet')).toBeHidden();
  await expect(page.getByTestId('note-input')).toBeVisible();
});

test('batch: method and backend shown, the better of two methods marked, ✓/✗ marks, a measured estimate, a file dropped mid-run refused with a message', async ({ page }, testInfo) => {
  test.setTimeout(600_000);
  await page.goto('/?backend=wasm&dtype=q8');
  await runBatch(page, file6, 6, 'baseline');
  const info = page.getByTestId('batch-run-info');
  await expect(info).toHaveAttribute('data-method', 'baseline');
  await expect(info).toContainText(batchMessages.zh.methodBaseline);
  await expect(page.getByTestId('batch-compare')).toHaveCount(0); // one method run so far

  // Right and wrong carry a mark, not only a colour.
  await expect(page.getByTestId('batch-legend')).toBeVisible();
  const marks = await page.getByTestId('batch-pred').evaluateAll((els) =>
    els.map((e) => ({ hit: e.getAttribute('data-hit'), mark: e.querySelector('.batch-mark')?.textContent, label: e.querySelector('.batch-mark')?.getAttribute('aria-label') })),
  );
  expect(marks.length).toBeGreaterThan(0);
  for (const m of marks) {
    expect(m.mark).toBe(m.hit === 'true' ? '✓' : '✗');
    expect(m.label).toBe(m.hit === 'true' ? batchMessages.zh.hit : batchMessages.zh.miss);
  }

  await page.getByTestId('batch-method').selectOption('model');
  await page.getByTestId('batch-start').click();
  await expect(page.getByTestId('batch-progress')).toHaveAttribute('data-status', 'done', { timeout: 300_000 });
  await expect(info).toHaveAttribute('data-method', 'model');
  await expect(info).toHaveAttribute('data-backend', 'wasm');
  await expect(info).toContainText(batchMessages.zh.backendWasm);

  // Both methods ran on this file: the higher CHIP score is marked in words.
  const compare = page.getByTestId('batch-compare');
  await expect(compare).toBeVisible();
  const rows = page.getByTestId('batch-compare-row');
  await expect(rows).toHaveCount(2);
  const scores = await rows.evaluateAll((els) => els.map((e) => ({ method: e.getAttribute('data-method'), score: Number(e.querySelectorAll('td')[1]?.textContent) })));
  const best = scores[0]!.score === scores[1]!.score ? 'tie' : scores[0]!.score > scores[1]!.score ? scores[0]!.method : scores[1]!.method;
  await expect(compare).toHaveAttribute('data-better', best!);
  if (best !== 'tie') await expect(compare.locator(`[data-method="${best}"]`)).toContainText(`★ ${batchMessages.zh.better}`);
  await shot(page, testInfo, 'batch-compare-zh');

  // A longer model run: the estimate appears once records are measured, in Chinese units.
  await page.getByTestId('batch-file-input').setInputFiles(file150);
  await expect(page.getByTestId('batch-file-info')).toHaveAttribute('data-records', '150', { timeout: 30_000 });
  await expect(compare).toHaveCount(0); // another file: nothing to compare yet
  await page.getByTestId('batch-start').click();
  const eta = page.getByTestId('batch-eta');
  await expect(eta).toBeVisible({ timeout: 120_000 });
  expect(Number(await eta.getAttribute('data-basis'))).toBeGreaterThan(0);
  await expect(eta).toContainText(/秒|分钟/);
  await expect(eta).not.toContainText(/\d\s*(s|sec|min)\b/);

  // A file dropped while the run goes on is refused, with a message naming it; the run goes on.
  const dropped = await page.evaluateHandle((text) => {
    const dt = new DataTransfer();
    dt.items.add(new File([text], 'second-file.jsonl', { type: 'application/json' }));
    return dt;
  }, readFileSync(file6, 'utf8'));
  await page.getByTestId('batch-drop').dispatchEvent('drop', { dataTransfer: dropped });
  await expect(page.getByTestId('batch-drop-refused')).toContainText('second-file.jsonl');
  await expect(page.getByTestId('batch-file-info')).toHaveAttribute('data-records', '150');
  await expect(page.getByTestId('batch-progress')).toHaveAttribute('data-status', 'running');
  await shot(page, testInfo, 'batch-running-zh');
  await page.getByTestId('batch-cancel').click();
  await expect(page.getByTestId('batch-progress')).toHaveAttribute('data-status', 'cancelled', { timeout: 30_000 });
  await expect(page.getByTestId('batch-drop-refused')).toHaveCount(0);
});
