import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from './e2e/chromium-flags.ts';
import { E2E_PORT, ORIGIN } from './e2e/support/origin.ts';

export default defineConfig({
  testDir: './e2e',
  outputDir: './test-results',
  timeout: 120_000,
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: ORIGIN,
    screenshot: 'only-on-failure',
    trace: 'off',
    // Debian's Chromium and its flags (shared with npm run bench): e2e/chromium-flags.ts.
    launchOptions: chromiumLaunchOptions(),
  },
  webServer: {
    // The tests run against the production build (the same thing users get).
    command: `npx vite preview --host 127.0.0.1 --port ${E2E_PORT} --strictPort`,
    url: ORIGIN,
    reuseExistingServer: !process.env.CI,
    timeout: 60_000,
  },
});
