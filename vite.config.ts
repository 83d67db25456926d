import { createHash } from 'node:crypto';
import { copyFileSync, createReadStream, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { VitePWA } from 'vite-plugin-pwa';

const root = dirname(fileURLToPath(import.meta.url));

/*
 * onnxruntime-web: transformers.js 4.3.1 imports `onnxruntime-web/webgpu`
 * (ort.webgpu.bundle.min.mjs), which embeds the asyncify Emscripten factory and serves both the
 * WASM and the WebGPU execution provider from ONE binary, ort-wasm-simd-threaded.asyncify.wasm.
 * The worker imports that file with `?url` (Vite emits it once, content-hashed, under assets/,
 * the same asset the bundle's own `new URL(…, import.meta.url)` points at) and sets
 * `env.backends.onnx.wasm.wasmPaths = { wasm: thatUrl }`, so nothing comes from a CDN.
 */

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

/** One shipped model folder as the app sees it (the `virtual:dischargerx/bundled-models` module). */
interface BundledModelEntry {
  id: string;
  version: string;
  /** Path relative to the app base, with trailing slash: `models/<id>/`. */
  basePath: string;
  files: { path: string; size: number }[];
  modelType: string | null;
  /** True when the folder says it is a random-weight test fixture (config.json `dischargerx.note`). */
  fixture: boolean;
}

/** Files of a model folder that ship: top-level JSON/markdown (not test artefacts) and onnx/ weights. */
function shippedFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) {
      if (name !== 'onnx') continue;
      for (const f of readdirSync(full).sort()) {
        if (/\.(onnx|onnx_data|onnx\.data)$/.test(f) || /\.onnx_data_\d+$/.test(f)) out.push(`onnx/${f}`);
      }
    } else if ((/\.json$/.test(name) && name !== 'reference.json') || /\.md$/.test(name)) {
      out.push(name);
    }
  }
  return out;
}

/** Every `models/<id>/` with a config.json and a tokenizer.json is a bundled model. */
function scanBundledModels(): BundledModelEntry[] {
  if (!existsSync(MODELS_DIR)) return [];
  const entries: BundledModelEntry[] = [];
  for (const id of readdirSync(MODELS_DIR).sort()) {
    const dir = join(MODELS_DIR, id);
    if (!statSync(dir).isDirectory()) continue;
    if (!existsSync(join(dir, 'config.json')) || !existsSync(join(dir, 'tokenizer.json'))) continue;
    const files = shippedFiles(dir).map((path) => ({ path, size: statSync(join(dir, path)).size }));
    let config: Record<string, unknown> = {};
    try {
      config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as Record<string, unknown>;
    } catch {
      /* the worker reports a broken config when it loads it */
    }
    let manifest: Record<string, unknown> = {};
    if (existsSync(join(dir, 'manifest.json'))) {
      try {
        manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Record<string, unknown>;
      } catch {
        /* ignored: version falls back to the content hash */
      }
    }
    const dx = (config['dischargerx'] ?? {}) as Record<string, unknown>;
    // Version: declared (manifest.json / config.json dischargerx.version), else a content hash of
    // config + tokenizer + weight sizes, so a replaced model never reuses a stale cache key.
    let version = [manifest['version'], dx['version'], dx['model_version']].find((v) => typeof v === 'string') as
      | string
      | undefined;
    if (!version) {
      const h = createHash('sha256');
      for (const f of ['config.json', 'tokenizer.json', 'decoding.json']) {
        if (existsSync(join(dir, f))) h.update(readFileSync(join(dir, f)));
      }
      for (const f of files) h.update(`${f.path}:${f.size};`);
      version = `sha256-${h.digest('hex').slice(0, 12)}`;
    }
    entries.push({
      id,
      version,
      basePath: `models/${id}/`,
      files,
      modelType: typeof config['model_type'] === 'string' ? config['model_type'] : null,
      fixture: typeof dx['note'] === 'string' && /fixture|random/i.test(dx['note']),
    });
  }
  return entries;
}

const MIME: Record<string, string> = {
  '.json': 'application/json',
  '.onnx': 'application/octet-stream',
};

/**
 * Ships the model folders with the app (same origin, no CDN): dev serves models/<id>/ (only the
 * shipped files, 404 for anything else), the build copies them to dist/models/<id>/. Also provides the data-driven list of bundled models.
 */
function dischargerxAssets(): Plugin {
  const VIRTUAL = 'virtual:dischargerx/bundled-models';
  const RESOLVED = '\0' + VIRTUAL;
  let outDir = 'dist';
  return {
    name: 'dischargerx-assets',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
    resolveId(id) {
      return id === VIRTUAL ? RESOLVED : null;
    },
    load(id) {
      if (id !== RESOLVED) return null;
      return `export default ${JSON.stringify(scanBundledModels())};`;
    },
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const url = new URL(req.url ?? '/', 'http://x');
        const base = server.config.base === './' ? '/' : server.config.base;
        const rel = decodeURIComponent(url.pathname.startsWith(base) ? url.pathname.slice(base.length) : url.pathname);
        let file: string | null = null;
        // Only plain requests for files inside a bundled model folder (not `?import` module
        // requests such as models/baselines/cooccurrence.json): shipped files are served,
        // anything else in the folder answers 404, as in the build.
        if (rel.startsWith('models/') && url.search === '') {
          const [id, ...rest] = rel.slice(7).split('/');
          const model = scanBundledModels().find((m) => m.id === id);
          if (model && model.files.some((f) => f.path === rest.join('/'))) file = join(MODELS_DIR, id!, ...rest);
          else if (model) {
            res.statusCode = 404;
            res.end('Not found');
            return;
          }
        }
        if (!file || !existsSync(file)) return next();
        const ext = file.slice(file.lastIndexOf('.'));
        res.setHeader('Content-Type', MIME[ext] ?? 'application/octet-stream');
        res.setHeader('Content-Length', String(statSync(file).size));
        createReadStream(file).pipe(res);
      });
    },
    writeBundle() {
      for (const model of scanBundledModels()) {
        for (const f of model.files) {
          const dest = join(outDir, 'models', model.id, ...f.path.split('/'));
          mkdirSync(dirname(dest), { recursive: true });
          copyFileSync(join(MODELS_DIR, model.id, ...f.path.split('/')), dest);
        }
      }
    },
  };
}

export default defineConfig({
  plugins: [
    react(),
    cspMeta(),
    dischargerxAssets(),
    /*
     * Offline: a workbox service worker (generateSW) precaches the app shell (html/js/css), the
     * onnxruntime wasm (~27 MB, hence the size limit) and the icons. Model files are NOT precached:
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
        globPatterns: ['**/*.{html,js,css,wasm,png,svg,ico,webmanifest}'],
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
  worker: { format: 'es', plugins: () => [dischargerxAssets()], rolldownOptions: { checks: { bundlerTimings: false } } },
  // `npm start` / `npm run preview`: a busy 4173 moves on to the next free port (Vite prints the URL).
  // The browser tests pin 4173 with --strictPort (playwright.config.ts webServer).
  preview: { host: '127.0.0.1', port: 4173, strictPort: false, headers: { 'Content-Security-Policy': CSP_HEADER, ...SECURITY_HEADERS, ...ISOLATION_HEADERS } },
  server: { headers: { 'Content-Security-Policy': DEV_CSP, ...SECURITY_HEADERS, ...ISOLATION_HEADERS } },
  // Never pre-bundle transformers.js/onnxruntime-web in dev: their wasm loader must see its own URLs.
  optimizeDeps: { exclude: ['@huggingface/transformers', 'onnxruntime-web'] },
});
