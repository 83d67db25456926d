import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The house reads top-down: a module imports only its own layer or the layers below it, and no
 * chain of imports comes back to where it started. Layers, top to bottom:
 *
 *   shell     src/main.tsx, src/app/App.tsx — mounts the screens
 *   features  src/features/** — the screens (recommend, batch, models)
 *   app       the rest of src/app/ — app-wide glue the screens share: i18n, tabs, online state,
 *             the page's engine session (one EngineClient wired to the stores)
 *   state     src/state/** — zustand stores of plain data (the only place a store is created)
 *   worker    src/worker/** — the Web Worker and its browser host
 *   engine    src/engine/** — ModelEngine, protocol, client, backend plan
 *   storage   src/storage/** — IndexedDB: verified store, caches, site models and lists
 *   decoding  src/decoding/** — constrained decoding, policy, fusion
 *   clinical  src/clinical/** — records, formulary, metrics, safety
 *   base      src/model-folder/**, src/runtime-options.ts, src/event-loop.ts — no app dependency
 *
 * Imports are read from the source text (static and dynamic `import`, `export … from`, and the
 * worker's `new URL(…, import.meta.url)`), type-only ones included: a circle through a type is
 * still a circle a reader has to untangle. Tests and test utilities are not part of the house.
 */
const LAYERS: readonly { name: string; owns: (file: string) => boolean }[] = [
  { name: 'shell', owns: (f) => f === 'src/main.tsx' || f === 'src/app/App.tsx' },
  { name: 'features', owns: (f) => f.startsWith('src/features/') },
  { name: 'app', owns: (f) => f.startsWith('src/app/') },
  { name: 'state', owns: (f) => f.startsWith('src/state/') },
  { name: 'worker', owns: (f) => f.startsWith('src/worker/') },
  { name: 'engine', owns: (f) => f.startsWith('src/engine/') },
  { name: 'storage', owns: (f) => f.startsWith('src/storage/') },
  { name: 'decoding', owns: (f) => f.startsWith('src/decoding/') },
  { name: 'clinical', owns: (f) => f.startsWith('src/clinical/') },
  { name: 'base', owns: (f) => f.startsWith('src/model-folder/') || f === 'src/runtime-options.ts' || f === 'src/event-loop.ts' },
];

function layerOf(file: string): number {
  return LAYERS.findIndex((l) => l.owns(file));
}

const isTestFile = (f: string) => /\.test\.tsx?$|test-utils\.ts$/.test(f);

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...sourceFiles(full));
    else if (/\.tsx?$/.test(name) && !isTestFile(full)) out.push(full.split('\\').join('/'));
  }
  return out.sort();
}

const IMPORT = /(?:^|[\s;])(?:import|export)\s[^;]*?\sfrom\s*['"](\.[^'"]+)['"]|(?:^|[\s;])import\s*['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)|new URL\(\s*['"](\.[^'"]+)['"]\s*,\s*import\.meta\.url/g;

/** Relative imports of one file, resolved to repository paths (query suffixes like ?url dropped). */
export function importsOf(file: string, text: string): string[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
  const out: string[] = [];
  for (const m of code.matchAll(IMPORT)) {
    const spec = (m[1] ?? m[2] ?? m[3] ?? m[4])!.replace(/\?.*$/, '');
    out.push(normalize(join(dirname(file), spec)).split('\\').join('/'));
  }
  return out;
}

function graph(): Map<string, string[]> {
  const g = new Map<string, string[]>();
  for (const file of sourceFiles('src')) g.set(file, importsOf(file, readFileSync(file, 'utf8')));
  return g;
}

/** Every import that runs from a lower layer up to a higher one ("from → to (lower → higher)"). */
export function upwardImports(g: ReadonlyMap<string, readonly string[]>): string[] {
  const bad: string[] = [];
  for (const [from, targets] of g) {
    const lf = layerOf(from);
    for (const to of targets) {
      if (!to.startsWith('src/')) continue;
      const lt = layerOf(to);
      if (lf < 0 || lt < 0) bad.push(`${from} → ${to}: outside every layer (add it to LAYERS)`);
      else if (lt < lf) bad.push(`${from} (${LAYERS[lf]!.name}) → ${to} (${LAYERS[lt]!.name})`);
    }
  }
  return bad;
}

/** The import circles (each as a path that returns to its start), found by depth-first search. */
export function circles(g: ReadonlyMap<string, readonly string[]>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (f: string) => {
    state.set(f, 'open');
    stack.push(f);
    for (const to of g.get(f) ?? []) {
      if (!g.has(to)) continue;
      if (state.get(to) === 'open') found.push([...stack.slice(stack.indexOf(to)), to]);
      else if (!state.has(to)) visit(to);
    }
    stack.pop();
    state.set(f, 'done');
  };
  for (const f of g.keys()) if (!state.has(f)) visit(f);
  return found;
}

describe('architecture', () => {
  const g = graph();

  it('reads every source file and resolves its imports to files that exist', () => {
    expect(g.size).toBeGreaterThan(50);
    const missing = [...g].flatMap(([from, to]) => to.filter((t) => t.startsWith('src/') && !existsFile(t)).map((t) => `${from} → ${t}`));
    expect(missing).toEqual([]);
  });

  it('every source file belongs to a layer', () => {
    expect([...g.keys()].filter((f) => layerOf(f) < 0 && !f.endsWith('.d.ts'))).toEqual([]);
  });

  it('no module imports a module of a layer above it', () => {
    expect(upwardImports(g)).toEqual([]);
  });

  it('there is no import circle', () => {
    expect(circles(g).map((c) => c.join(' → '))).toEqual([]);
  });

  it('zustand stores are created only in src/state/', () => {
    const elsewhere = [...g.keys()].filter((f) => !f.startsWith('src/state/') && /from\s+['"]zustand['"]/.test(readFileSync(f, 'utf8')));
    expect(elsewhere).toEqual([]);
  });

  it('the checks catch what they are for (a made-up upward import and a made-up circle)', () => {
    const fake = new Map<string, string[]>([
      ['src/clinical/a.ts', ['src/features/x/b.ts']],
      ['src/features/x/b.ts', ['src/features/x/c.ts']],
      ['src/features/x/c.ts', ['src/features/x/b.ts']],
    ]);
    expect(upwardImports(fake)).toEqual(['src/clinical/a.ts (clinical) → src/features/x/b.ts (features)']);
    expect(circles(fake)).toEqual([['src/features/x/b.ts', 'src/features/x/c.ts', 'src/features/x/b.ts']]);
    expect(importsOf('src/engine/x.ts', "import type { A } from '../state/s.ts';\nconst w = new URL('../worker/w.ts', import.meta.url);\n// import '../app/no.ts';")).toEqual([
      'src/state/s.ts',
      'src/worker/w.ts',
    ]);
  });
});

function existsFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
