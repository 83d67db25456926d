import { expect, test, type Page } from '@playwright/test';
import { ORIGIN } from './support/origin.ts';

/**
 * Privacy (docs/privacy.md): the Content-Security-Policy arrives as an HTTP header (and, equal
 * apart from header-only directives, as the <meta> tag), it blocks requests to other origins
 * from the page and from the model worker, and loading the model and recommending raises no CSP
 * violation anywhere (page or worker) and requests nothing outside the origin.
 */


const NOTE = `主诉：口干、多饮、多尿8年。
既往史：高血压病史10年。
出院诊断：1.2型糖尿病 2.高血压病2级（高危） 3.高脂血症`;

/** "a 'x' b; c d" → { a: ["'x'", "b"], c: ["d"] } */
function parseCsp(policy: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const part of policy.split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) out.set(name.toLowerCase(), values);
  }
  return out;
}

function metaCsp(html: string): string | null {
  return /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"/i.exec(html)?.[1] ?? null;
}

interface Violation {
  where: string;
  directive: string;
  blocked: string;
}

/** Page-side CSP violation events (an init script: runs before the app in every document). */
async function recordPageViolations(page: Page): Promise<() => Promise<Violation[]>> {
  await page.addInitScript(() => {
    const list: { where: string; directive: string; blocked: string }[] = [];
    (window as unknown as { __cspViolations: typeof list }).__cspViolations = list;
    document.addEventListener('securitypolicyviolation', (e) =>
      list.push({ where: 'page', directive: e.effectiveDirective, blocked: e.blockedURI }),
    );
  });
  return () => page.evaluate(() => (window as unknown as { __cspViolations: Violation[] }).__cspViolations);
}

test('the index page and every served file carry the CSP header; the <meta> tag says the same', async ({ request }) => {
  const res = await request.get('/');
  expect(res.status()).toBe(200);
  const header = res.headers()['content-security-policy'];
  expect(header, 'Content-Security-Policy response header').toBeTruthy();
  expect(res.headers()['x-content-type-options']).toBe('nosniff');
  expect(res.headers()['referrer-policy']).toBe('no-referrer');
  expect(res.headers()['permissions-policy']).toContain('camera=()');
  const csp = parseCsp(header!);
  expect(csp.get('connect-src')).toEqual(["'self'"]);
  expect(csp.get('default-src')).toEqual(["'self'"]);
  expect(csp.get('object-src')).toEqual(["'none'"]);
  expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
  const scriptSrc = csp.get('script-src') ?? [];
  expect(scriptSrc).toContain("'self'");
  expect(scriptSrc).toContain("'wasm-unsafe-eval'");
  for (const loose of ["'unsafe-inline'", "'unsafe-eval'", 'blob:', 'data:', '*', 'https:', 'http:']) {
    expect(scriptSrc, `script-src must not allow ${loose}`).not.toContain(loose);
    expect(csp.get('connect-src'), `connect-src must not allow ${loose}`).not.toContain(loose);
  }
  // The meta tag (for static hosts that cannot send headers) = the header minus header-only directives.
  const meta = metaCsp(await res.text());
  expect(meta, 'CSP <meta> tag in index.html').not.toBeNull();
  expect(`${meta}; frame-ancestors 'none'`).toBe(header);
  // A same-origin worker gets its CSP from its own response, not from the page: every file has it.
  for (const path of ['/manifest.webmanifest', '/sw.js', '/registerSW.js']) {
    const r = await request.get(path);
    expect(r.headers()['content-security-policy'], path).toBe(header);
    expect(r.headers()['x-content-type-options'], path).toBe('nosniff');
  }
});

test('requests to another origin are blocked by the CSP (fetch, WebSocket, image, beacon)', async ({ page }) => {
  const violations = await recordPageViolations(page);
  // Chromium announces a request for the blocked image before the CSP check cancels it: what
  // must not exist is an answer from another origin.
  const offOriginAnswers: string[] = [];
  page.on('response', (res) => {
    if (!res.url().startsWith(`${ORIGIN}/`) && !res.url().startsWith('data:')) offOriginAnswers.push(res.url());
  });
  await page.goto('/');
  await expect(page.getByTestId('note-input')).toBeVisible();
  const outcome = await page.evaluate(async () => {
    const fetchResult = await fetch('https://example.com/').then(
      (r) => `resolved ${r.status}`,
      (e: unknown) => `rejected: ${String(e)}`,
    );
    try {
      new WebSocket('wss://example.com/socket');
    } catch {
      /* blocked synchronously in some versions; the violation event is what counts */
    }
    const img = new Image();
    img.src = 'https://example.com/pixel.png';
    navigator.sendBeacon('https://example.com/beacon', 'x');
    await new Promise((r) => setTimeout(r, 500));
    return fetchResult;
  });
  expect(outcome).toMatch(/^rejected: TypeError/);
  const v = await violations();
  // The rejection is the CSP's doing (not just a missing network): each attempt raised a violation.
  const blockedBy = (directive: string, url: string) => v.some((x) => x.directive === directive && x.blocked.startsWith(url));
  expect(blockedBy('connect-src', 'https://example.com'), JSON.stringify(v)).toBe(true);
  expect(blockedBy('connect-src', 'wss://example.com'), JSON.stringify(v)).toBe(true);
  expect(blockedBy('img-src', 'https://example.com'), JSON.stringify(v)).toBe(true);
  expect(v.filter((x) => x.blocked.includes('/beacon')).length, JSON.stringify(v)).toBeGreaterThan(0);
  expect(offOriginAnswers).toEqual([]);
});

test.describe('model load + one recommendation under the CSP', () => {
  // page.route must see the worker script (the service worker would answer it otherwise).
  test.use({ serviceWorkers: 'block' });

  test('no CSP violation in the page or the model worker, only same-origin requests', async ({ page, request }) => {
    test.setTimeout(180_000);
    const violations = await recordPageViolations(page);
    const consoleCsp: string[] = [];
    page.on('console', (m) => {
      if (/Content[- ]Security[- ]Policy|Refused to/i.test(m.text())) consoleCsp.push(`${m.type()}: ${m.text()}`);
    });
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    const offOrigin: string[] = [];
    page.on('request', (req) => {
      const url = req.url();
      if (!url.startsWith(`${ORIGIN}/`) && !url.startsWith('data:') && !url.startsWith('blob:')) offOrigin.push(url);
    });
    // Workers do not run init scripts and their CSP reports do not reach the page console: a
    // listener is prepended to the worker script (as e2e/cache.spec.ts stubs it), and read back
    // with worker.evaluate. The response keeps its headers, CSP included.
    await page.route('**/assets/engine.worker-*.js', async (route) => {
      const res = await route.fetch();
      const stub =
        `self.__cspViolations = [];\n` +
        `self.addEventListener('securitypolicyviolation', (e) => self.__cspViolations.push({ where: 'worker', directive: e.effectiveDirective, blocked: e.blockedURI }));\n`;
      await route.fulfill({ response: res, body: stub + (await res.text()) });
    });
    const workerPromise = page.waitForEvent('worker');

    await page.goto('/?backend=wasm');
    await page.getByTestId('note-input').fill(NOTE);
    await page.getByTestId('recommend').click();
    await expect(page.getByTestId('recommendations')).toHaveAttribute('data-source', 'model', { timeout: 120_000 });
    await expect(page.getByTestId('engine-running')).toHaveCount(0, { timeout: 120_000 });
    await expect(page.getByTestId('engine-error')).toHaveCount(0);
    expect(await page.getByTestId('drug').count()).toBeGreaterThan(0);

    const worker = await workerPromise;
    const workerViolations = await worker.evaluate(() => (self as unknown as { __cspViolations?: Violation[] }).__cspViolations ?? null);
    expect(workerViolations, 'the worker listener was installed').not.toBeNull();
    // The worker itself runs under the policy: a cross-origin fetch from it is blocked too.
    const workerFetch = await worker.evaluate(() =>
      fetch('https://example.com/').then(
        () => 'resolved',
        (e: unknown) => `rejected: ${String(e)}`,
      ),
    );
    expect(workerFetch).toMatch(/^rejected/);
    const afterProbe = await worker.evaluate(() => (self as unknown as { __cspViolations: Violation[] }).__cspViolations);
    expect(afterProbe.some((x) => x.directive === 'connect-src' && x.blocked.startsWith('https://example.com'))).toBe(true);
    const workerHeader = (await request.get(worker.url())).headers()['content-security-policy'];
    expect(parseCsp(workerHeader ?? '').get('connect-src')).toEqual(["'self'"]);

    expect(workerViolations, 'CSP violations in the model worker during load + recommend').toEqual([]);
    expect(await violations(), 'CSP violations in the page').toEqual([]);
    expect(consoleCsp, 'CSP messages on the console').toEqual([]);
    expect(pageErrors).toEqual([]);
    expect(offOrigin).toEqual([]);
  });
});
