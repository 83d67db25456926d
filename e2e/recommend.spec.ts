import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { ORIGIN } from './support/origin.ts';

const formulary = JSON.parse(readFileSync('src/clinical/data/formulary.json', 'utf8')) as { drugs: { name: string }[] };
const candidateNames = new Set(formulary.drugs.map((d) => d.name));

const FREE_TEXT_NOTE = `既往史：高血压病史10年，服用苯磺酸氨氯地平片5mg qd；否认冠心病病史。
主诉：口干多饮多尿6年，血糖控制不佳2周。
现病史：6年前诊断2型糖尿病，口服盐酸二甲双胍片0.5g tid。
诊疗过程：入院后予胰岛素泵强化降糖，前列地尔注射液改善循环。
随访意见：内分泌科门诊随诊
出院诊断：1.2型糖尿病 2.高血压病2级（高危） 3.高脂血症`;

test('paste a free-text note, see it parsed and get candidate-list recommendations', async ({ page }, testInfo) => {
  const offOrigin: string[] = [];
  page.on('request', (req) => {
    if (!req.url().startsWith(`${ORIGIN}/`) && !req.url().startsWith('data:')) offOrigin.push(req.url());
  });
  // The co-occurrence baseline (the model path is covered by engine.spec.ts).
  await page.goto('/?method=baseline');
  await expect(page.getByTestId('synthetic-notice')).toContainText('合成数据');

  await page.getByTestId('note-input').fill(FREE_TEXT_NOTE);
  await page.getByTestId('recommend').click();

  // Parsed fields are editable inputs (one diagnosis per line).
  await expect(page.getByTestId('field-主诉')).toHaveValue('口干多饮多尿6年，血糖控制不佳2周。');
  await expect(page.getByTestId('field-出院诊断')).toHaveValue('2型糖尿病\n高血压病2级（高危）\n高脂血症');
  await expect(page.getByTestId('field-既往史')).toHaveValue(/苯磺酸氨氯地平片/);
  // The unknown heading is kept, not dropped.
  await expect(page.getByTestId('unrecognised')).toContainText('内分泌科门诊随诊');

  const drugs = page.getByTestId('drug');
  await expect(drugs.first()).toBeVisible();
  const names = await drugs.evaluateAll((els) => els.map((e) => e.getAttribute('data-drug') ?? ''));
  expect(names.length).toBeGreaterThan(0);
  for (const name of names) expect(candidateNames.has(name), `${name} is a candidate-list entry`).toBe(true);
  expect(new Set(names).size).toBe(names.length);
  // A type 2 diabetic gets a glucose-lowering drug from the co-occurrence table.
  expect(names).toContain('二甲双胍');

  await page.screenshot({ path: testInfo.outputPath('recommend-screen.png'), fullPage: true });
  expect(offOrigin).toEqual([]);
});

test('a malformed JSON record shows a specific error and keeps what the user typed', async ({ page }) => {
  await page.goto('/');
  const broken = '{"就诊标识": "v1", "出院诊断": ["2型糖尿病"],\n "主诉": "口干" "现病史": ""}';
  await page.getByTestId('note-input').fill(broken);
  await page.getByTestId('recommend').click();
  await expect(page.getByRole('alert')).toContainText('第 2 行'); // in the user's language (zh default), issue 12
  await expect(page.getByTestId('note-input')).toHaveValue(broken);
  await expect(page.getByTestId('recommendations')).toHaveCount(0);
});

test('a CDrugRed JSON record is parsed field by field; a record without a visit id is rejected by name', async ({ page }) => {
  await page.goto('/?method=baseline');
  const record = {
    患者序号: 42,
    就诊标识: 'visit-42',
    性别: '女',
    出生日期: '1950-01-02',
    民族: '汉族',
    BMI: '24.5',
    就诊时间: '2023-01-01',
    诊疗过程描述: '予降糖治疗',
    入院情况: 'HbA1c 8.1%↑',
    现病史: '血糖升高10年',
    既往史: '甲状腺功能减退症',
    主诉: '血糖控制差',
    出院诊断: '2型糖尿病、甲状腺功能减退症',
  };
  await page.getByTestId('note-input').fill(JSON.stringify(record));
  await page.getByTestId('recommend').click();
  await expect(page.getByTestId('field-BMI')).toHaveValue('24.5');
  await expect(page.getByTestId('field-患者序号')).toHaveValue('42');
  await expect(page.getByTestId('field-出院诊断')).toHaveValue('2型糖尿病\n甲状腺功能减退症');
  await expect(page.getByTestId('drug').first()).toBeVisible();

  const { 就诊标识: _omitted, ...withoutId } = record;
  await page.getByTestId('note-input').fill(JSON.stringify(withoutId));
  await page.getByTestId('recommend').click();
  await expect(page.getByRole('alert')).toContainText('就诊标识');
});

test('the English toggle switches the interface language', async ({ page }) => {
  await page.goto('/');
  await page.getByTestId('toggle-locale').click();
  await expect(page.getByTestId('synthetic-notice')).toContainText('synthetic data');
  await expect(page.locator('html')).toHaveAttribute('lang', /^en(-|$)/);
});
