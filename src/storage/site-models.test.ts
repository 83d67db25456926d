import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isManifestFile, MANIFEST_FILE, MANIFEST_FORMAT, parseManifest } from '../model-folder/format.ts';
import { fileKey, manifestKey, type FileRecord, type ManifestRecord } from './db.ts';
import { sha256Hex } from './hash.ts';
import {
  importSiteModel,
  planModelFolder,
  SiteImportError,
  siteModelId,
  validateModelFiles,
  type PickedFile,
  type SiteModelStore,
} from './site-models.ts';

// IndexedDB itself is exercised in Chromium (e2e/site-model.spec.ts); here the validation and the
// write sequence run over an in-memory SiteModelStore.

const FIXTURE = 'training/tests/fixtures/micro-model';
/** The fixture's model files (it may be regenerated): everything but its test artefact reference.json. */
const FIXTURE_FILES = pickFolder(FIXTURE)
  .map((f) => f.path.slice('micro-model/'.length))
  .filter((p) => p !== 'reference.json')
  .sort();
const FIXTURE_CONFIG = JSON.parse(readFileSync(join(FIXTURE, 'config.json'), 'utf8')) as { vocab_size: number; model_type: string };

/** Every file under the fixture folder as a directory pick gives it ("micro-model/onnx/model.onnx"). */
function pickFolder(dir: string, top = 'micro-model'): PickedFile[] {
  const out: PickedFile[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const full = join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else {
        const bytes = readFileSync(full);
        out.push({ path: `${top}/${relative(dir, full).split('\\').join('/')}`, size: bytes.length, read: async () => bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer });
      }
    }
  };
  walk(dir);
  return out;
}

const enc = (x: unknown) => new TextEncoder().encode(typeof x === 'string' ? x : JSON.stringify(x));
const picked = (path: string, content: unknown): PickedFile => {
  const b = enc(content);
  return { path, size: b.byteLength, read: async () => b.slice().buffer };
};

/** A minimal valid folder (no real weights; validation does not parse ONNX). */
function minimalFiles(over: Record<string, unknown> = {}): Map<string, Uint8Array> {
  const base: Record<string, unknown> = {
    'config.json': { model_type: 'llama', vocab_size: 8 },
    'tokenizer.json': { model: { type: 'WordPiece', vocab: { '<unk>': 0, '<sep>': 1, '</s>': 2, a: 3 } }, added_tokens: [] },
    'tokenizer_config.json': { tokenizer_class: 'PreTrainedTokenizerFast' },
    'onnx/model_quantized.onnx': 'not-really-onnx',
    ...over,
  };
  const m = new Map<string, Uint8Array>();
  for (const [k, v] of Object.entries(base)) if (v !== undefined) m.set(k, enc(v));
  return m;
}

function codeOf(fn: () => unknown): string | null {
  try {
    fn();
    return null;
  } catch (e) {
    return e instanceof SiteImportError ? `${e.code}${e.file ? `@${e.file}` : ''}${e.detail && e.code === 'unsupported-model-type' ? `:${e.detail}` : ''}` : `other:${String(e)}`;
  }
}

/** In-memory store with an operation log; `failPutAt` throws QuotaExceededError on that putFile call (1-based). */
function memoryStore(opts: { failPutAt?: number } = {}) {
  const files = new Map<string, FileRecord>();
  const manifests = new Map<string, ManifestRecord>();
  const log: string[] = [];
  let puts = 0;
  let opened = 0;
  const store: SiteModelStore = {
    putFile: async (rec) => {
      puts++;
      if (opts.failPutAt === puts) throw new DOMException('quota (test)', 'QuotaExceededError');
      log.push(`file ${rec.path}`);
      files.set(rec.key, structuredClone(rec));
    },
    getFile: async (key) => files.get(key),
    deleteFile: async (key) => {
      log.push(`delete ${key}`);
      files.delete(key);
    },
    getManifest: async (key) => manifests.get(key),
    putManifest: async (m) => {
      log.push('manifest');
      manifests.set(m.key, structuredClone(m));
    },
    deleteOtherVersions: async (modelId, keep) => {
      log.push('drop-other-versions');
      for (const [k, m] of manifests) if (m.modelId === modelId && m.version !== keep) manifests.delete(k);
      for (const [k, f] of files) if (f.modelId === modelId && f.version !== keep) files.delete(k);
    },
    close: () => undefined,
  };
  return { store, files, manifests, log, open: async () => (opened++, store), opened: () => opened };
}

const noEstimate = async () => ({});

describe('planModelFolder', () => {
  it('maps a directory pick to paths inside the folder and ignores non-model files', () => {
    const plan = planModelFolder(pickFolder(FIXTURE));
    expect(plan.folderName).toBe('micro-model');
    expect(FIXTURE_FILES).toEqual(expect.arrayContaining(['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model_quantized.onnx']));
    expect([...plan.files.keys()].sort()).toEqual(FIXTURE_FILES);
    expect(plan.ignored).toEqual(['micro-model/reference.json']);
  });

  it('takes the folder of the shallowest config.json when a parent folder is picked', () => {
    const plan = planModelFolder([
      picked('exports/notes.txt', 'x'),
      picked('exports/site-a/config.json', {}),
      picked('exports/site-a/onnx/model_q4.onnx', 'w'),
      picked('exports/site-a/old/config.json', {}),
    ]);
    expect(plan.folderName).toBe('site-a');
    expect([...plan.files.keys()].sort()).toEqual(['config.json', 'onnx/model_q4.onnx']);
    expect(plan.ignored).toEqual(['exports/notes.txt', 'exports/site-a/old/config.json']);
  });

  it('multi-file fallback: bare .onnx files go to onnx/, JSON to the top level', () => {
    const plan = planModelFolder([picked('config.json', {}), picked('model_quantized.onnx', 'w'), picked('model.onnx_data', 'd'), picked('readme.txt', '')]);
    expect(plan.folderName).toBeNull();
    expect([...plan.files.keys()].sort()).toEqual(['config.json', 'onnx/model.onnx_data', 'onnx/model_quantized.onnx']);
    expect(plan.ignored).toEqual(['readme.txt']);
  });
});

describe('validateModelFiles', () => {
  it('accepts the committed micro-model fixture', async () => {
    const plan = planModelFolder(pickFolder(FIXTURE));
    const bytes = new Map<string, Uint8Array>();
    for (const [p, f] of plan.files) bytes.set(p, new Uint8Array(await f.read()));
    expect(validateModelFiles(bytes)).toMatchObject({
      modelType: FIXTURE_CONFIG.model_type,
      vocabSize: FIXTURE_CONFIG.vocab_size,
      fixture: true,
    });
    expect(validateModelFiles(bytes).dtypes).toEqual(expect.arrayContaining(['fp32', 'q8', 'q4']));
  });

  it('names the first missing required file', () => {
    expect(codeOf(() => validateModelFiles(new Map()))).toBe('no-files');
    expect(codeOf(() => validateModelFiles(minimalFiles({ 'config.json': undefined })))).toBe('missing-config@config.json');
    expect(codeOf(() => validateModelFiles(minimalFiles({ 'tokenizer.json': undefined })))).toBe('missing-tokenizer@tokenizer.json');
    expect(codeOf(() => validateModelFiles(minimalFiles({ 'tokenizer_config.json': undefined })))).toBe('missing-tokenizer-config@tokenizer_config.json');
    expect(codeOf(() => validateModelFiles(minimalFiles({ 'onnx/model_quantized.onnx': undefined })))).toBe('missing-onnx@onnx/');
    // fp16-only weights are not enough (WASM cannot run them).
    expect(codeOf(() => validateModelFiles(minimalFiles({ 'onnx/model_quantized.onnx': undefined, 'onnx/model_fp16.onnx': 'w' })))).toBe('missing-onnx@onnx/');
    expect(codeOf(() => validateModelFiles(minimalFiles({ 'onnx/model_quantized.onnx': '' })))).toBe('empty-file@onnx/model_quantized.onnx');
  });

  it('unparseable JSON names the file', () => {
    expect(codeOf(() => validateModelFiles(minimalFiles({ 'tokenizer_config.json': '{"a": ' })))).toBe('bad-json@tokenizer_config.json');
    expect(codeOf(() => validateModelFiles(minimalFiles({ 'generation_config.json': 'nope' })))).toBe('bad-json@generation_config.json');
    const bad = minimalFiles();
    bad.set('config.json', new Uint8Array([0x7b, 0xff, 0x7d]));
    expect(codeOf(() => validateModelFiles(bad))).toBe('bad-json@config.json');
  });

  it('rejects model types that are not llama / qwen2 causal LMs', () => {
    expect(codeOf(() => validateModelFiles(minimalFiles({ 'config.json': { model_type: 'bert' } })))).toBe('unsupported-model-type@config.json:bert');
    expect(codeOf(() => validateModelFiles(minimalFiles({ 'config.json': { model_type: 't5' } })))).toBe('unsupported-model-type@config.json:t5');
    expect(codeOf(() => validateModelFiles(minimalFiles({ 'config.json': {} })))).toBe('unsupported-model-type@config.json:(no model_type)');
    expect(codeOf(() => validateModelFiles(minimalFiles({ 'config.json': { model_type: 'qwen2' } })))).toBeNull();
  });

  it('needs the list separator and end token in the tokenizer', () => {
    const tok = { model: { type: 'BPE', vocab: { a: 0, '</s>': 1 } }, added_tokens: [] };
    expect(codeOf(() => validateModelFiles(minimalFiles({ 'tokenizer.json': tok })))).toBe('missing-format-tokens@tokenizer.json');
    // Added tokens count too; Unigram vocabularies are [piece, score] pairs.
    const uni = { model: { type: 'Unigram', vocab: [['a', 0], ['</s>', 0]] }, added_tokens: [{ id: 9, content: '<sep>' }] };
    expect(codeOf(() => validateModelFiles(minimalFiles({ 'tokenizer.json': uni })))).toBeNull();
  });

  it('names the file and the field of a wrong-typed nested value in the detail', () => {
    const detailOf = (over: Record<string, unknown>) => {
      try {
        validateModelFiles(minimalFiles(over));
      } catch (e) {
        if (e instanceof SiteImportError) return `${e.code}@${e.file}: ${e.detail}`;
        throw e;
      }
      return null;
    };
    expect(detailOf({ 'tokenizer.json': { model: 'BPE' } })).toBe('bad-json@tokenizer.json: tokenizer.json: model: must be an object (the tokenizer model)');
    expect(detailOf({ 'tokenizer.json': { added_tokens: [] } })).toBe('bad-json@tokenizer.json: tokenizer.json: model: is missing');
    expect(detailOf({ 'drug_order.json': ['二甲双胍', 3] })).toBe('bad-drug-order@drug_order.json: drug_order.json: [1]: must be a drug name');
    expect(detailOf({ 'special_tokens_map.json': ['<sep>'] })).toBe('bad-json@special_tokens_map.json: special_tokens_map.json: expected a JSON object');
  });

  it('reads vocab_size and the training note leniently', () => {
    const odd = validateModelFiles(minimalFiles({ 'config.json': { model_type: 'qwen2', vocab_size: '8', dischargerx: 'x' } }));
    expect([odd.vocabSize, odd.fixture]).toEqual([null, false]);
    const fixture = validateModelFiles(minimalFiles({ 'config.json': { model_type: 'llama', vocab_size: 8, dischargerx: { note: 'random init fixture' } } }));
    expect([fixture.vocabSize, fixture.fixture, fixture.modelType]).toEqual([8, true, 'llama']);
    expect(validateModelFiles(minimalFiles({ 'config.json': { model_type: 'llama' } })).vocabSize).toBeNull();
  });

  it('checks decoding.json and drug_order.json when present', () => {
    expect(codeOf(() => validateModelFiles(minimalFiles({ 'decoding.json': { version: 'x' } })))).toBe('bad-decoding@decoding.json');
    expect(codeOf(() => validateModelFiles(minimalFiles({ 'drug_order.json': [1, 2] })))).toBe('bad-drug-order@drug_order.json');
    const ok = validateModelFiles(minimalFiles({ 'drug_order.json': ['二甲双胍'] }));
    expect(ok.hasDrugOrder).toBe(true);
  });
});

describe('siteModelId', () => {
  it('keeps letters (any script), digits, . _ - and prefixes site:', () => {
    expect(siteModelId('micro-model')).toBe('site:micro-model');
    expect(siteModelId('  本院 模型 v2 ')).toBe('site:本院-模型-v2');
    expect(siteModelId('a/b\\c:d')).toBe('site:a-b-c-d');
    expect(() => siteModelId('---')).toThrow(SiteImportError);
  });
});

describe('importSiteModel', () => {
  it('stores every file with its SHA-256 and writes the manifest last', async () => {
    const mem = memoryStore();
    const progress: number[] = [];
    const summary = await importSiteModel(pickFolder(FIXTURE), { store: mem.open, estimate: noEstimate, now: () => 1000, onProgress: (w) => progress.push(w) });
    expect(summary.id).toBe('site:micro-model');
    expect(summary.version).toMatch(/^sha256-[0-9a-f]{12}$/);
    expect(summary.meta).toMatchObject({ name: 'micro-model', modelType: 'llama', fixture: true, integrity: 'recorded', ignored: ['micro-model/reference.json'], importedAt: 1000 });
    expect(mem.log.at(-2)).toBe('manifest');
    expect(mem.log.at(-1)).toBe('drop-other-versions');
    // The fixture has no manifest.json: one is recorded and stored with the files.
    expect(mem.log.filter((l) => l.startsWith('file '))).toHaveLength(FIXTURE_FILES.length + 1);
    const manifest = mem.manifests.get(manifestKey(summary.id, summary.version))!;
    expect(Object.keys(manifest.files).sort()).toEqual([...FIXTURE_FILES, MANIFEST_FILE].sort());
    const cfg = readFileSync(join(FIXTURE, 'config.json'));
    const rec = mem.files.get(fileKey(summary.id, summary.version, 'config.json'))!;
    expect(rec.sha256).toBe(await sha256Hex(cfg));
    expect(manifest.files['config.json']).toEqual({ size: cfg.length, sha256: rec.sha256 });
    expect(manifest.totalBytes).toBe(summary.bytes);
    expect(progress.at(-1)).toBe(summary.bytes);

    // Same content again: same version, nothing rewritten.
    const before = mem.log.length;
    const again = await importSiteModel(pickFolder(FIXTURE), { store: mem.open, estimate: noEstimate });
    expect(again.version).toBe(summary.version);
    expect(mem.log.length).toBe(before);

    // Another name → another id; a custom name wins over the folder name.
    const named = await importSiteModel(pickFolder(FIXTURE), { name: 'hospital A', store: mem.open, estimate: noEstimate });
    expect(named.id).toBe('site:hospital-A');
    expect(named.version).toBe(summary.version);
  });

  it('a changed file is a new version and replaces the old one', async () => {
    const mem = memoryStore();
    const first = await importSiteModel(pickFolder(FIXTURE), { store: mem.open, estimate: noEstimate });
    const files = pickFolder(FIXTURE).map((f) => (f.path.endsWith('/tokenizer_config.json') ? picked(f.path, { tokenizer_class: 'PreTrainedTokenizerFast', changed: true }) : f));
    const second = await importSiteModel(files, { store: mem.open, estimate: noEstimate });
    expect(second.id).toBe(first.id);
    expect(second.version).not.toBe(first.version);
    expect([...mem.manifests.values()].map((m) => m.version)).toEqual([second.version]);
    expect([...mem.files.values()].every((f) => f.version === second.version)).toBe(true);
  });

  it('an invalid folder stores nothing (the store is never opened)', async () => {
    const mem = memoryStore();
    const noOnnx = pickFolder(FIXTURE).filter((f) => !f.path.includes('/onnx/'));
    await expect(importSiteModel(noOnnx, { store: mem.open, estimate: noEstimate })).rejects.toMatchObject({ code: 'missing-onnx' });
    const bert = pickFolder(FIXTURE).map((f) => (f.path.endsWith('/config.json') ? picked(f.path, { model_type: 'bert' }) : f));
    await expect(importSiteModel(bert, { store: mem.open, estimate: noEstimate })).rejects.toMatchObject({ code: 'unsupported-model-type', detail: 'bert' });
    await expect(importSiteModel([], { store: mem.open })).rejects.toMatchObject({ code: 'no-files' });
    expect(mem.opened()).toBe(0);
    expect(mem.files.size + mem.manifests.size).toBe(0);
  });

  it('QuotaExceededError mid-import: typed error, written files deleted, no manifest', async () => {
    const mem = memoryStore({ failPutAt: 4 });
    await expect(importSiteModel(pickFolder(FIXTURE), { store: mem.open, estimate: noEstimate })).rejects.toMatchObject({ code: 'quota-exceeded' });
    expect(mem.manifests.size).toBe(0);
    expect(mem.files.size).toBe(0);
    expect(mem.log.filter((l) => l.startsWith('delete '))).toHaveLength(4);
  });

  it('estimate() without room: no-space before anything is written', async () => {
    const mem = memoryStore();
    await expect(importSiteModel(pickFolder(FIXTURE), { store: mem.open, estimate: async () => ({ usage: 10, quota: 1000 }) })).rejects.toMatchObject({
      code: 'no-space',
    });
    expect(mem.opened()).toBe(0);
  });
});

describe('site import integrity (manifest.json)', () => {
  /** The fixture's files plus a manifest.json over them, as training's export writes it. */
  async function withManifest(edit: (m: { path: string; bytes: number; sha256: string }[]) => unknown = (m) => m): Promise<PickedFile[]> {
    const files = pickFolder(FIXTURE).filter((f) => !f.path.endsWith('/reference.json'));
    const entries = [];
    for (const f of files) {
      const path = f.path.slice('micro-model/'.length);
      if (!isManifestFile(path)) continue;
      const b = await f.read();
      entries.push({ path, bytes: b.byteLength, sha256: await sha256Hex(b) });
    }
    return [...files, picked(`micro-model/${MANIFEST_FILE}`, { format: MANIFEST_FORMAT, version: 'sha256-test', files: edit(entries) })];
  }

  /** `picked` with bytes 100–199 of one file flipped (same length: it still parses). */
  function altered(files: PickedFile[], suffix: string): PickedFile[] {
    return files.map((f) => {
      if (!f.path.endsWith(suffix)) return f;
      return { ...f, read: async () => {
        const b = new Uint8Array(await f.read());
        for (let i = 100; i < 200; i++) b[i] = b[i]! ^ 0xff;
        return b.buffer;
      } };
    });
  }

  it('a folder with its manifest: every file checked, the manifest stored as given', async () => {
    const mem = memoryStore();
    const files = await withManifest();
    const summary = await importSiteModel(files, { store: mem.open, estimate: noEstimate });
    expect(summary.meta.integrity).toBe('verified');
    const stored = mem.files.get(fileKey(summary.id, summary.version, MANIFEST_FILE))!;
    const given = await files.find((f) => f.path.endsWith(MANIFEST_FILE))!.read();
    expect(new Uint8Array(stored.data)).toEqual(new Uint8Array(given));
  });

  it('altered bytes: integrity-mismatch naming the file, nothing stored', async () => {
    const mem = memoryStore();
    const files = altered(await withManifest(), '/onnx/model_quantized.onnx');
    const err = await importSiteModel(files, { store: mem.open, estimate: noEstimate }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SiteImportError);
    expect(err).toMatchObject({ code: 'integrity-mismatch', file: 'onnx/model_quantized.onnx' });
    expect((err as SiteImportError).detail).toMatch(/SHA-256/);
    expect(mem.opened()).toBe(0);
  });

  it('a file the manifest does not list, or a manifest that breaks its schema, is refused', async () => {
    const mem = memoryStore();
    const unlisted = await withManifest((m) => m.filter((e) => e.path !== 'tokenizer.json'));
    await expect(importSiteModel(unlisted, { store: mem.open, estimate: noEstimate })).rejects.toMatchObject({
      code: 'integrity-mismatch',
      file: 'tokenizer.json',
      detail: 'not listed in manifest.json',
    });
    const bad = await withManifest((m) => m.map((e, i) => (i === 1 ? { ...e, sha256: 'XYZ' } : e)));
    const err = await importSiteModel(bad, { store: mem.open, estimate: noEstimate }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'bad-manifest', file: MANIFEST_FILE });
    expect((err as SiteImportError).detail).toContain('files[1].sha256');
    // A listed file left out of the pick is allowed (a site may copy only the weights it runs).
    const partial = (await withManifest()).filter((f) => !f.path.endsWith('/onnx/model_q4.onnx'));
    expect((await importSiteModel(partial, { store: mem.open, estimate: noEstimate })).meta.integrity).toBe('verified');
    expect(mem.opened()).toBe(1);
  });

  it('a recorded manifest lists the stored files and verifies a later import of the copy', async () => {
    const mem = memoryStore();
    const summary = await importSiteModel(pickFolder(FIXTURE), { store: mem.open, estimate: noEstimate });
    const rec = mem.files.get(fileKey(summary.id, summary.version, MANIFEST_FILE))!;
    const recorded = parseManifest(JSON.parse(new TextDecoder().decode(rec.data)));
    expect(recorded.files.map((f) => f.path).sort()).toEqual(FIXTURE_FILES.filter(isManifestFile));
    const cfg = readFileSync(join(FIXTURE, 'config.json'));
    expect(recorded.files.find((f) => f.path === 'config.json')).toEqual({ path: 'config.json', bytes: cfg.length, sha256: await sha256Hex(cfg) });
    // The stored copy, exported with its recorded manifest, imports as verified; altered, it does not.
    const copy = [...pickFolder(FIXTURE).filter((f) => !f.path.endsWith('/reference.json')), picked(`micro-model/${MANIFEST_FILE}`, new TextDecoder().decode(rec.data))];
    expect((await importSiteModel(copy, { name: 'copy', store: mem.open, estimate: noEstimate })).meta.integrity).toBe('verified');
    await expect(importSiteModel(altered(copy, '/onnx/model.onnx'), { name: 'copy2', store: mem.open, estimate: noEstimate })).rejects.toMatchObject({
      code: 'integrity-mismatch',
      file: 'onnx/model.onnx',
    });
  });
});
