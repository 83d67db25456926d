import { expect, test, type Page } from '@playwright/test';

// A unique marker, so a hit in storage can only be this note.
const MARKER = `SAVEDCASE-${Date.now().toString(36)}`;
const NOTE = `主诉：口干多饮多尿6年，血糖控制不佳2周。${MARKER}
现病史：6年前诊断2型糖尿病，口服盐酸二甲双胍片0.5g tid。
既往史：高血压病史10年，服用苯磺酸氨氯地平片5mg qd。
出院诊断：1.2型糖尿病 2.高血压病2级（高危） 3.高脂血症`;

/** Every IndexedDB database and object store of the origin, as text: [database/store, JSON of all values]. */
async function dumpIndexedDb(page: Page): Promise<{ stores: string[]; text: string }> {
  return page.evaluate(async () => {
    const stores: string[] = [];
    let text = '';
    for (const info of await indexedDB.databases()) {
      if (!info.name) continue;
      const db = await new Promise<IDBDatabase>((res, rej) => {
        const r = indexedDB.open(info.name!);
        r.onsuccess = () => res(r.result);
        r.onerror = () => rej(r.error);
      });
      for (const name of Array.from(db.objectStoreNames)) {
        stores.push(`${info.name}/${name}`);
        const all = await new Promise<unknown[]>((res, rej) => {
          const r = db.transaction(name, 'readonly').objectStore(name).getAll();
          r.onsuccess = () => res(r.result);
          r.onerror = () => rej(r.error);
        });
        const keys = await new Promise<IDBValidKey[]>((res, rej) => {
          const r = db.transaction(name, 'readonly').objectStore(name).getAllKeys();
          r.onsuccess = () => res(r.result);
          r.onerror = () => rej(r.error);
        });
        // ArrayBuffers stringify to {}: decode them so note text hidden in bytes would be found too.
        const json = JSON.stringify(all, (_k, v: unknown) => (v instanceof ArrayBuffer ? new TextDecoder().decode(v) : v));
        text += `\n${info.name}/${name}: ${JSON.stringify(keys)} ${json}`;
      }
      db.close();
    }
    return { stores, text };
  });
}

test('a case is stored only when saved, reloads into the editor, and is gone after delete', async ({ page }) => {
  await page.goto('/?method=baseline');
  await page.getByTestId('note-input').fill(NOTE);
  await page.getByTestId('recommend').click();
  await expect(page.getByTestId('drug').first()).toBeVisible();
  const finalCount = Number(await page.getByTestId('recommendations').getAttribute('data-count'));
  expect(finalCount).toBeGreaterThan(0);

  // Before saving: the note is nowhere in IndexedDB.
  const before = await dumpIndexedDb(page);
  expect(before.text).not.toContain(MARKER);
  expect(before.text).not.toContain('口干多饮多尿6年');

  await page.getByTestId('save-case').click();
  await expect(page.getByTestId('save-case-status')).toHaveAttribute('data-ok', 'true');
  const saved = await dumpIndexedDb(page);
  expect(saved.stores).toContain('dischargerx-models/cases');
  expect(saved.text).toContain(MARKER);

  // After a reload the note is gone from the page, the case is listed, and loads back.
  await page.reload();
  await expect(page.getByTestId('note-input')).toHaveValue('');
  const panel = page.getByTestId('saved-cases');
  await panel.locator('summary').click();
  await expect(panel).toContainText('仅存于本浏览器');
  const rows = page.getByTestId('saved-case');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toHaveAttribute('data-drugs', String(finalCount));
  await expect(rows.first().getByTestId('saved-case-preview')).toContainText('主诉：口干多饮多尿6年');
  await rows.first().getByTestId('load-case').click();
  await expect(page.getByTestId('note-input')).toHaveValue(NOTE);

  // The saved time is written in the UI language (not the browser's en-US default).
  const date = rows.first().getByTestId('saved-case-date');
  await expect(date).toContainText('年');
  await page.getByTestId('toggle-locale').click();
  await expect(date).not.toContainText('年');
  await expect(date).toHaveText(/^[A-Z][a-z]{2} \d{1,2}, \d{4}/);
  await page.getByTestId('toggle-locale').click();

  // Delete asks first; "keep" keeps the case (still stored).
  await rows.first().getByTestId('delete-case').click();
  const confirm = rows.first().getByTestId('confirm-delete');
  await expect(confirm).toBeVisible();
  await expect(rows.first().getByTestId('confirm-delete-no')).toBeFocused();
  await rows.first().getByTestId('confirm-delete-no').click();
  await expect(confirm).toHaveCount(0);
  await expect(rows).toHaveCount(1);
  expect((await dumpIndexedDb(page)).text).toContain(MARKER);

  // Delete, confirmed: the note is no longer stored anywhere (the stores themselves stay).
  await rows.first().getByTestId('delete-case').click();
  await rows.first().getByTestId('confirm-delete-yes').click();
  await expect(rows).toHaveCount(0);
  await expect(panel).toHaveAttribute('data-count', '0');
  const after = await dumpIndexedDb(page);
  expect(after.stores).toContain('dischargerx-models/cases');
  expect(after.text).not.toContain(MARKER);
  expect(after.text).not.toContain('口干多饮多尿6年');
});

test('delete all removes every saved case', async ({ page }) => {
  await page.goto('/?method=baseline');
  for (const suffix of ['A', 'B']) {
    await page.getByTestId('note-input').fill(`${NOTE}\n${suffix}`);
    await page.getByTestId('recommend').click();
    await expect(page.getByTestId('drug').first()).toBeVisible();
    await page.getByTestId('save-case').click();
    await expect(page.getByTestId('save-case-status')).toHaveAttribute('data-ok', 'true');
  }
  const panel = page.getByTestId('saved-cases');
  await panel.locator('summary').click();
  await expect(page.getByTestId('saved-case')).toHaveCount(2);
  await page.getByTestId('delete-all-cases').click();
  await page.getByTestId('confirm-delete-no').click();
  await expect(page.getByTestId('saved-case')).toHaveCount(2);
  await page.getByTestId('delete-all-cases').click();
  await page.getByTestId('confirm-delete-yes').click();
  await expect(page.getByTestId('saved-case')).toHaveCount(0);
  expect((await dumpIndexedDb(page)).text).not.toContain(MARKER);
});
