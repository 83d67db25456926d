import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { VitePWA } from 'vite-plugin-pwa';
import { modelAssetsPlugin } from './scripts/build/model-assets.ts';

const root = dirname(fileURLToPath(import.meta.url));

/*
 * onnxruntime-web: transformers.js 4.3.1 imports `onnxruntime-web/webgpu` (the asyncify build).
 * ortRuntimeRedirect points that one import at src/worker/ort-runtime.ts, which picks the JSPI
 * build where the browser has JSPI and the asyncify build elsewhere (both serve the WASM and the
 * WebGPU execution provider from one binary). Both binaries are imported with `?url` (Vite emits
 * them content-hashed under assets/, and the service worker precaches them) and the worker sets
 * `env.backends.onnx.wasm.wasmPaths = { wasm: thatUrl }`, so nothing comes from a CDN.
 */
const ORT_RUNTIME = join(root, 'src', 'worker', 'ort-runtime.ts');

function ortRuntimeRedirect(): Plugin {
  return {
    name: 'dischargerx-ort-runtime',
    enforce: 'pre',
    resolveId(source, importer) {
      // Only transformers.js' import: ort-runtime.ts itself must reach the real package.
      if (source !== 'onnxruntime-web/webgpu' || !importer || !/[\\/]@huggingface[\\/]transformers[\\/]/.test(importer)) return null;
      return ORT_RUNTIME;
    },
  };
}

/*
 * `vite preview`: the build's assets/ files carry a content hash in their name, so they never
 * change under one URL and may be kept for a year without asking the server again (docs/privacy.md
 * has the same for nginx, Apache and IIS). Why it matters (issue #10, Chromium traces of warm
 * loads with the service worker blocked): with sirv's `no-cache`, Chromium wrote V8's code cache
 * for onnxruntime's ~17 MB wasm on every load and never read it back (each load revalidates the
 * file), so every warm load compiled the runtime's start-up code again on the worker thread
 * (~0.5 s of CPU); served immutable, the next load deserialises the cached module instead. Through
 * the service worker (Cache Storage) the cache is used either way.
 */
export const IMMUTABLE_ASSET = 'public, max-age=31536000, immutable';

function immutableAssets(): Plugin {
  return {
    name: 'dischargerx-immutable-assets',
    configurePreviewServer(server) {
      server.middlewares.use((req, res, next) => {
        // Vite writes only content-hashed files to assets/ (public/ files go to the root).
        // sirv keeps a Cache-Control header that is already set (its own default is no-cache).
        if (/\/assets\/[^/]+$/.test((req.url ?? '').split('?')[0]!)) res.setHeader('Cache-Control', IMMUTABLE_ASSET);
        next();
      });
    },
  };
}

const MODELS_DIR = join(root, 'models');

/*
 * Content-Security-Policy (docs/privacy.md), one source for the HTTP header (`vite preview`,
 * `vite dev`) and the <meta> tag in index.html (for static hosts that cannot set headers; the
 * build fails if the tag drifts from CSP_META). Nothing may leave the origin: connect-src 'self'.
 * 'wasm-unsafe-eval' lets onnxruntime compile its WebAssembly; no 'unsafe-eval', no inline script,
 * no blob: workers (transformers.js only builds a blob: wasm factory when wasmPaths.mjs is set; the
 * worker sets wasmPaths.wasm only). data: images = the empty favicon `data:,`.
 */
const CSP_DIRECTIVES: ReadonlyArray<readonly [string, string]> = [
  ['default-src', "'self'"],
  ['script-src', "'self' 'wasm-unsafe-eval'"],
  ['worker-src', "'self'"],
  ['connect-src', "'self'"],
  ['img-src', "'self' data:"],
  ['style-src', "'self'"],
  ['font-src', "'self'"],
  ['manifest-src', "'self'"],
  ['object-src', "'none'"],
  ['base-uri', "'self'"],
  ['form-action', "'none'"],
];
const serializeCsp = (d: ReadonlyArray<readonly [string, string]>) => d.map(([k, v]) => `${k} ${v}`).join('; ');
/** The <meta> tag's policy (exactly the content of index.html's tag). */
export const CSP_META = serializeCsp(CSP_DIRECTIVES);
/** The HTTP header: the meta policy plus what only a header can say (no framing by other sites). */
export const CSP_HEADER = `${CSP_META}; frame-ancestors 'none'`;
/**
 * Sent beside the CSP by `vite preview` and `vite dev` (docs/privacy.md has the same for nginx,
 * Apache and IIS): no MIME sniffing, no Referer to anyone, and no powerful browser feature the
 * app does not use.
 */
export const SECURITY_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), bluetooth=()',
} as const;
/**
 * Cross-origin isolation (docs/privacy.md): with both headers the page gets `crossOriginIsolated`,
 * hence SharedArrayBuffer, which onnxruntime-web needs to run WASM with threads. The app loads
 * nothing cross-origin, so `require-corp` blocks nothing (same-origin resources need no CORP
 * header) and is supported more widely than `credentialless`. public/coi-headers.js adds the same
 * two headers in the service worker for static hosts that cannot set headers.
 */
export const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
} as const;

/**
 * `vite dev` only: the React fast-refresh preamble is an inline module script (allowed by its
 * SHA-256, not by 'unsafe-inline') and Vite injects CSS as <style> elements ('unsafe-inline' for
 * styles). The HMR websocket is same-origin ('self' covers ws:). The build never uses these.
 */
function devDirectives(): [string, string][] {
  const preamble = react.preambleCode.replace('__BASE__', '/');
  const hash = `'sha256-${createHash('sha256').update(preamble).digest('base64')}'`;
  return CSP_DIRECTIVES.map(([k, v]): [string, string] =>
    k === 'script-src' ? [k, `${v} ${hash}`] : k === 'style-src' ? [k, `${v} 'unsafe-inline'`] : [k, v],
  );
}
const DEV_CSP_META = serializeCsp(devDirectives());
const DEV_CSP = `${DEV_CSP_META}; frame-ancestors 'none'`;

const CSP_META_RE = /(<meta\s+http-equiv="Content-Security-Policy"\s+content=")([^"]*)(")/;

/** Checks index.html's CSP <meta> against CSP_META (build) / swaps in the dev policy (dev). */
function cspMeta(): Plugin {
  let serve = false;
  return {
    name: 'dischargerx-csp-meta',
    configResolved(config) {
      serve = config.command === 'serve';
    },
    transformIndexHtml: {
      order: 'pre',
      handler(html) {
        const m = CSP_META_RE.exec(html);
        if (!m) throw new Error('index.html: the Content-Security-Policy <meta> tag is missing (see vite.config.ts CSP_META)');
        if (serve) return html.replace(CSP_META_RE, `$1${DEV_CSP_META}$3`);
        if (m[2] !== CSP_META) {
          throw new Error(`index.html: the Content-Security-Policy <meta> differs from vite.config.ts CSP_META.\n  meta: ${m[2]}\n  want: ${CSP_META}`);
        }
        return html;
      },
    },
  };
}

export default defineConfig({
  plugins: [
    react(),
    cspMeta(),
    ortRuntimeRedirect(),
    immutableAssets(),
    // models/ → the app (dev server, dist/, the bundled-model list with manifests): scripts/build/model-assets.ts
    modelAssetsPlugin(MODELS_DIR),
    /*
     * Offline: a workbox service worker (generateSW) precaches the app shell (html/js/css), the
     * onnxruntime wasm builds (JSPI ~17 MB and asyncify ~27 MB, hence the size limit) and the icons. Model files are NOT precached:
     * they live in IndexedDB (src/storage). The SW never answers /models/ with index.html, so a
     * missing model file still 404s (transformers.js' optional-file detection depends on it).
     */
    VitePWA({
      strategies: 'generateSW',
      registerType: 'autoUpdate',
      injectRegister: 'script',
      includeAssets: ['icons/*.png'],
      manifest: {
        name: 'DischargeRx 出院带药推荐',
        short_name: 'DischargeRx',
        description: 'Offline, in-browser discharge-medication recommender (synthetic data, not for clinical use).',
        lang: 'zh-CN',
        start_url: './',
        scope: './',
        display: 'standalone',
        theme_color: '#0f766e',
        background_color: '#ffffff',
        icons: [
          { src: 'icons/icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: 'icons/icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: 'icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      workbox: {
        // Adds COOP/COEP to what the service worker answers, for static hosts that cannot send
        // headers (public/coi-headers.js, docs/privacy.md).
        importScripts: ['coi-headers.js'],
        globPatterns: ['**/*.{html,js,mjs,css,wasm,png,svg,ico,webmanifest}'],
        globIgnores: ['models/**', '**/*.map'],
        maximumFileSizeToCacheInBytes: 64 * 1024 * 1024,
        navigateFallback: 'index.html',
        navigateFallbackDenylist: [/\/models\//],
        cleanupOutdatedCaches: true,
        clientsClaim: true,
        skipWaiting: true,
      },
    }),
  ],
  // Relative base so the built app works from any sub-path a hospital intranet serves it under.
  base: './',
  // No SPA fallback: a missing file (an optional model file, a wrong path) must answer 404, not
  // index.html, or transformers.js' optional-file detection breaks.
  appType: 'mpa',
  build: {
    target: 'es2022',
    sourcemap: true,
    chunkSizeWarningLimit: 2000,
    // Rolldown's PLUGIN_TIMINGS notice (mostly vite-plugin-pwa's closeBundle) is not actionable
    // here and prints raw ANSI colour codes when the output is not a terminal (npm start logs).
    rolldownOptions: { checks: { bundlerTimings: false } },
  },
  // The worker imports the bundled-model list too (its version keys the weight cache).
  worker: { format: 'es', plugins: () => [ortRuntimeRedirect(), modelAssetsPlugin(MODELS_DIR)], rolldownOptions: { checks: { bundlerTimings: false } } },
  // `npm start` / `npm run preview`: a busy 4173 moves on to the next free port (Vite prints the URL).
  // The browser tests pin 4173 with --strictPort (playwright.config.ts webServer).
  preview: { host: '127.0.0.1', port: 4173, strictPort: false, headers: { 'Content-Security-Policy': CSP_HEADER, ...SECURITY_HEADERS, ...ISOLATION_HEADERS } },
  server: { headers: { 'Content-Security-Policy': DEV_CSP, ...SECURITY_HEADERS, ...ISOLATION_HEADERS } },
  // Never pre-bundle transformers.js/onnxruntime-web in dev: their wasm loader must see its own URLs.
  optimizeDeps: { exclude: ['@huggingface/transformers', 'onnxruntime-web'] },
});
