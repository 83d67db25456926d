import { existsSync } from 'node:fs';

/**
 * The one place that says which Chromium the browser tests and `npm run bench` drive and with
 * which flags (playwright.config.ts, e2e/batch.spec.ts, scripts/bench/).
 *
 * `npx playwright install` cannot download browsers here; Debian's Chromium is used when present
 * (CHROMIUM_PATH overrides). Headless, `--enable-unsafe-webgpu` gives WebGPU through SwiftShader
 * (a CPU implementation: WebGPU works, its timings say nothing about GPU hardware).
 */
const DEBIAN_CHROMIUM = '/usr/bin/chromium';

export const chromiumExecutablePath: string | undefined =
  process.env['CHROMIUM_PATH'] ?? (existsSync(DEBIAN_CHROMIUM) ? DEBIAN_CHROMIUM : undefined);

export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--enable-unsafe-webgpu',
];

/** launchOptions for Playwright (test `use.launchOptions` or playwright-core `chromium.launch`). */
export function chromiumLaunchOptions(extraArgs: readonly string[] = []): { executablePath?: string; args: string[] } {
  return {
    ...(chromiumExecutablePath ? { executablePath: chromiumExecutablePath } : {}),
    args: [...CHROMIUM_ARGS, ...extraArgs],
  };
}
