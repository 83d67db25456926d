/**
 * The build's view of models/: which folders ship, their files, version and integrity manifest
 * (the `virtual:dischargerx/bundled-models` module), and the Vite plugin that serves them in dev
 * and copies them into dist/. The folder format itself is src/model-folder/format.ts.
 *
 * The scan is cached on a cheap signature (names, sizes, mtimes): dev requests no longer re-read
 * and re-hash the folder each time.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, createReadStream, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Plugin } from 'vite';
import { CALIBRATION_FILES, REQUIRED_FILES, type ModelManifest } from '../../src/model-folder/format.ts';
import { readManifest, shippedFiles } from '../../src/model-folder/node-folder.ts';

/** One shipped model folder as the app sees it (src/engine/bundled-models.ts). */
export interface BundledModelEntry {
  id: string;
  version: string;
  /** Path relative to the app base, with trailing slash: `models/<id>/`. */
  basePath: string;
  files: { path: string; size: number }[];
  modelType: string | null;
  /** True when the folder says it is a random-weight test fixture (config.json `dischargerx.note`). */
  fixture: boolean;
  manifest: ModelManifest | null;
}

function readJson(path: string): Record<string, unknown> {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch {
    return {}; // the worker reports a broken file when it loads it
  }
}

/** One folder, or null when it is not a model folder (no config.json / tokenizer.json). */
export function scanModelFolder(modelsDir: string, id: string): BundledModelEntry | null {
  const dir = join(modelsDir, id);
  if (!statSync(dir).isDirectory() || !REQUIRED_FILES.every((f) => existsSync(join(dir, f)))) return null;
  const files = shippedFiles(dir).map((path) => ({ path, size: statSync(join(dir, path)).size }));
  const config = readJson(join(dir, 'config.json'));
  // A malformed manifest fails the build with the file and field named (src/model-folder/format.ts).
  const manifest = readManifest(dir);
  const dx = (config['dischargerx'] ?? {}) as Record<string, unknown>;
  // Version (keys the browser's weight cache): the manifest's content version, else a declared
  // one, else a content hash of config + tokenizer + sizes. The calibration files (decoding.json,
  // fusion.json: written later, not in the manifest) are folded in, so a recalibration never
  // serves a stale cached copy.
  const h = createHash('sha256');
  const declared = [manifest?.version, dx['version'], dx['model_version']].find((v) => typeof v === 'string') as string | undefined;
  if (declared) h.update(declared);
  else {
    for (const f of ['config.json', 'tokenizer.json']) h.update(readFileSync(join(dir, f)));
    for (const f of files) h.update(`${f.path}:${f.size};`);
  }
  const calibration = CALIBRATION_FILES.filter((f) => existsSync(join(dir, f)));
  for (const f of calibration) h.update(readFileSync(join(dir, f)));
  const version = declared && calibration.length === 0 ? declared : `sha256-${h.digest('hex').slice(0, 12)}`;
  return {
    id,
    version,
    basePath: `models/${id}/`,
    files,
    modelType: typeof config['model_type'] === 'string' ? config['model_type'] : null,
    fixture: typeof dx['note'] === 'string' && /fixture|random/i.test(dx['note']),
    manifest,
  };
}

/** Cheap signature of models/: every entry's name, size and mtime (two levels down). */
function signature(modelsDir: string): string {
  const parts: string[] = [];
  const walk = (d: string, depth: number) => {
    for (const name of readdirSync(d).sort()) {
      const full = join(d, name);
      const st = statSync(full);
      parts.push(`${full}:${st.size}:${st.mtimeMs}`);
      if (st.isDirectory() && depth < 2) walk(full, depth + 1);
    }
  };
  if (existsSync(modelsDir)) walk(modelsDir, 0);
  return parts.join('|');
}

const scans = new Map<string, { sig: string; entries: BundledModelEntry[] }>();

/** Every `models/<id>/` with config.json and tokenizer.json, cached until the folder changes. */
export function scanBundledModels(modelsDir: string): BundledModelEntry[] {
  const sig = signature(modelsDir);
  const hit = scans.get(modelsDir);
  if (hit && hit.sig === sig) return hit.entries;
  const entries = existsSync(modelsDir)
    ? readdirSync(modelsDir)
        .sort()
        .map((id) => scanModelFolder(modelsDir, id))
        .filter((e): e is BundledModelEntry => e !== null)
    : [];
  scans.set(modelsDir, { sig, entries });
  return entries;
}

const MIME: Record<string, string> = { '.json': 'application/json', '.onnx': 'application/octet-stream' };

/**
 * Ships the model folders with the app (same origin, no CDN): dev serves models/<id>/ (only the
 * shipped files, 404 for anything else), the build copies them to dist/models/<id>/; also the
 * data-driven list of bundled models.
 */
export function modelAssetsPlugin(modelsDir: string): Plugin {
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
      return `export default ${JSON.stringify(scanBundledModels(modelsDir))};`;
    },
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const url = new URL(req.url ?? '/', 'http://x');
        const base = server.config.base === './' ? '/' : server.config.base;
        const rel = decodeURIComponent(url.pathname.startsWith(base) ? url.pathname.slice(base.length) : url.pathname);
        let file: string | null = null;
        // Only plain requests for files inside a bundled model folder (not `?import` module
        // requests): shipped files are served, anything else in the folder answers 404, as in the build.
        if (rel.startsWith('models/') && url.search === '') {
          const [id, ...rest] = rel.slice(7).split('/');
          const model = scanBundledModels(modelsDir).find((m) => m.id === id);
          if (model && model.files.some((f) => f.path === rest.join('/'))) file = join(modelsDir, id!, ...rest);
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
      for (const model of scanBundledModels(modelsDir)) {
        for (const f of model.files) {
          const dest = join(outDir, 'models', model.id, ...f.path.split('/'));
          mkdirSync(dirname(dest), { recursive: true });
          copyFileSync(join(modelsDir, model.id, ...f.path.split('/')), dest);
        }
      }
    },
  };
}
