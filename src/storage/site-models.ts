/**
 * A site's own model folder, imported from local files into the weight cache's IndexedDB stores
 * (./db.ts): validated first, then every file written with its SHA-256, read back (./verified-store.ts), and the
 * manifest written LAST (a partial import is never used). Id `site:<name>`, version = a hash of
 * the stored files' hashes. The engine worker loads it through transformers.js' customCache
 * (./site-model-cache.ts) with remote models off: nothing is fetched.
 *
 * Page side (the Models tab). No React. The validation and the write sequence are pure over a
 * small store interface (`SiteModelStore`), so unit tests run them without IndexedDB.
 */
import * as v from 'valibot';
import promptSpec from '../clinical/prompt-spec.json' with { type: 'json' };
import { parseDecodingConfig, DECODING_CONFIG_FILE } from '../decoding/decoding-config.ts';
import {
  checkAgainstManifest,
  describeIssues,
  DTYPE_FILE,
  FormatError,
  IntegrityError,
  isManifestFile,
  issuePath,
  MANIFEST_FILE,
  MANIFEST_FORMAT,
  manifestVersionInput,
  parseManifest,
  versionFromDigest,
  type ManifestEntry,
  type ModelDtype,
  type ModelManifest,
} from '../model-folder/format.ts';
import {
  deleteModelEntries,
  fileKey,
  isQuotaError,
  isSiteModelId,
  manifestKey,
  openModelDb,
  SITE_MODEL_PREFIX,
  type Db,
  type FileRecord,
  type ManifestFile,
  type ManifestRecord,
  type SiteModelMeta,
  withModelDb,
} from './db.ts';
import { sha256Hex } from './hash.ts';
import { browserEstimate, checkSpace, verifyStored, type Estimate } from './verified-store.ts';

/** Decoder-only architectures the worker runs through AutoModelForCausalLM (what training exports). */
export const SUPPORTED_MODEL_TYPES: readonly string[] = ['llama', 'qwen2'];

/** Weights files of which at least one must be present (WASM: q8 / fp32, WebGPU: q4). */
export const REQUIRED_ONE_OF_WEIGHTS: readonly string[] = [DTYPE_FILE.fp32, DTYPE_FILE.q8, DTYPE_FILE.q4];

const REQUIRED_JSON = ['config.json', 'tokenizer.json', 'tokenizer_config.json'] as const;
const OPTIONAL_JSON = ['generation_config.json', 'special_tokens_map.json', DECODING_CONFIG_FILE, 'drug_order.json'] as const;
/** onnx/model.onnx, onnx/model_q4.onnx, onnx/model.onnx_data, onnx/model_q4.onnx_data_1 … */
const WEIGHTS_FILE = /^onnx\/model(_[a-z0-9]+)?\.onnx(_data(_\d+)?)?$/;

export type SiteImportErrorCode =
  /** Nothing was picked. */
  | 'no-files'
  | 'missing-config'
  | 'missing-tokenizer'
  | 'missing-tokenizer-config'
  /** None of onnx/model.onnx, model_quantized.onnx, model_q4.onnx. */
  | 'missing-onnx'
  /** A file of the folder is empty (an interrupted copy). */
  | 'empty-file'
  /** A JSON file does not parse (detail: the parser's message). */
  | 'bad-json'
  /** config.json model_type is not a causal LM the app runs (detail: the type). */
  | 'unsupported-model-type'
  /** The tokenizer has no single token for the list separator / end ("<sep>", "</s>"). */
  | 'missing-format-tokens'
  | 'bad-decoding'
  | 'bad-drug-order'
  /** manifest.json does not match its schema (detail: file, entry and field). */
  | 'bad-manifest'
  /** A file differs from the folder's manifest.json, or is not listed there (detail: what differs). */
  | 'integrity-mismatch'
  /** The name has no usable character. */
  | 'bad-name'
  /** storage.estimate() says it will not fit. */
  | 'no-space'
  | 'quota-exceeded'
  /** IndexedDB failed otherwise (detail: the error). */
  | 'storage-failed';

export class SiteImportError extends Error {
  override readonly name = 'SiteImportError';
  constructor(
    readonly code: SiteImportErrorCode,
    /** The file concerned (path inside the folder), when there is one. */
    readonly file?: string,
    /** Technical detail (English), e.g. the JSON parser's message. */
    readonly detail?: string,
  ) {
    super(`${code}${file ? ` (${file})` : ''}${detail ? `: ${detail}` : ''}`);
  }
}

export function isSiteImportError(e: unknown): e is SiteImportError {
  return e instanceof SiteImportError;
}

/** One picked file: its path as the browser gives it (webkitRelativePath, else the bare name). */
export interface PickedFile {
  path: string;
  size: number;
  read(): Promise<ArrayBuffer>;
}

/** A browser `File` as a PickedFile. */
export function pickedFromFile(file: File): PickedFile {
  return {
    path: file.webkitRelativePath || file.name,
    size: file.size,
    read: () => file.arrayBuffer(),
  };
}

export interface FolderPlan {
  /** Name of the picked folder (directory pick), else null. */
  folderName: string | null;
  /** Path inside the model folder → the picked file. */
  files: Map<string, PickedFile>;
  /** Picked paths that are not part of a model folder (not stored). */
  ignored: string[];
}

const basename = (p: string) => p.slice(p.lastIndexOf('/') + 1);

/**
 * Maps picked files to paths inside the model folder.
 * - Directory pick ("folder/config.json", "folder/onnx/model.onnx"): the folder holding the
 *   shallowest config.json is the model root (a parent folder may be picked).
 * - Multi-file pick (bare names): *.onnx / *.onnx_data go to onnx/, JSON files to the top level.
 * Only the files a model folder needs are kept: config / tokenizer / generation / special-tokens
 * / decoding / drug_order JSON, the integrity manifest.json and onnx/model*.onnx (+ external
 * data). Everything else is ignored.
 */
export function planModelFolder(picked: readonly PickedFile[]): FolderPlan {
  const norm = picked.map((f) => ({ f, path: f.path.replace(/\\/g, '/').replace(/^\.\//, '').replace(/^\/+/, '') }));
  const nested = norm.some((x) => x.path.includes('/'));
  let root = '';
  let folderName: string | null = null;
  if (nested) {
    const configs = norm.filter((x) => basename(x.path) === 'config.json').map((x) => x.path);
    configs.sort((a, b) => a.split('/').length - b.split('/').length || a.localeCompare(b));
    const first = configs[0];
    if (first !== undefined) root = first.slice(0, first.length - 'config.json'.length);
    else {
      // No config.json: the first segment (the picked folder) is the root; validation says what is missing.
      const seg = norm.find((x) => x.path.includes('/'))!.path.split('/')[0]!;
      root = `${seg}/`;
    }
    const rootSegs = root.split('/').filter(Boolean);
    folderName = rootSegs[rootSegs.length - 1] ?? null;
  }
  const files = new Map<string, PickedFile>();
  const ignored: string[] = [];
  for (const { f, path } of norm) {
    if (nested && !path.startsWith(root)) {
      ignored.push(path);
      continue;
    }
    let rel = nested ? path.slice(root.length) : path;
    const name = basename(rel);
    // Weights next to config.json (or picked as bare files) belong in onnx/.
    if (!rel.includes('/') && /\.onnx(_data(_\d+)?)?$/.test(name)) rel = `onnx/${name}`;
    const keep =
      (REQUIRED_JSON as readonly string[]).includes(rel) || (OPTIONAL_JSON as readonly string[]).includes(rel) || rel === MANIFEST_FILE || WEIGHTS_FILE.test(rel);
    if (!keep || files.has(rel)) {
      ignored.push(path);
      continue;
    }
    files.set(rel, f);
  }
  return { folderName, files, ignored: ignored.sort() };
}

/** `site:<name>` from a user-given or folder name: letters, digits, '.', '_', '-' (others become '-'), ≤ 64. */
export function siteModelId(rawName: string): string {
  const name = rawName
    .normalize('NFKC')
    .trim()
    .replace(/[^\p{L}\p{N}._-]+/gu, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, 64);
  if (!name || !/[\p{L}\p{N}]/u.test(name)) throw new SiteImportError('bad-name', undefined, JSON.stringify(rawName));
  return `${SITE_MODEL_PREFIX}${name}`;
}

function parseJson(bytes: Uint8Array, file: string): unknown {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new SiteImportError('bad-json', file, 'not valid UTF-8');
  }
  try {
    return JSON.parse(text.replace(/^\uFEFF/, '')) as unknown;
  } catch (e) {
    throw new SiteImportError('bad-json', file, e instanceof Error ? e.message : String(e));
  }
}

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

// ---- shapes of the folder's JSON files (valibot; the problem's field path goes into the error detail)

/** valibot's object() takes an array for an object (typeof 'object'): a JSON list is refused first. */
const jsonObject = (message: string) => v.custom<Record<string, unknown>>(isObj, message);
const AnyObject = jsonObject('expected a JSON object');
/**
 * config.json: model_type must be one the worker runs (its own error code); vocab_size and the
 * training note are read leniently (a wrong type reads as absent, as transformers.js does).
 */
const ConfigSchema = v.pipe(
  AnyObject,
  v.looseObject({
    model_type: v.picklist(SUPPORTED_MODEL_TYPES),
    vocab_size: v.fallback(v.nullable(v.number()), null),
    dischargerx: v.fallback(v.object({ note: v.fallback(v.string(), '') }), { note: '' }),
  }),
);
const TokenizerSchema = v.pipe(
  jsonObject('expected a tokenizers JSON object with a "model"'),
  v.looseObject({ model: jsonObject('must be an object (the tokenizer model)') }),
);
const DrugOrderSchema = v.array(v.string('must be a drug name'), 'expected a JSON array of drug names');

/** `value` checked by `schema`, or SiteImportError(code, file) with the file and field in its detail. */
function parseShape<S extends v.GenericSchema>(schema: S, value: unknown, code: SiteImportErrorCode, file: string): v.InferOutput<S> {
  const r = v.safeParse(schema, value);
  if (!r.success) throw new SiteImportError(code, file, describeIssues(file, r.issues));
  return r.output;
}

/** Every token string the tokenizer knows (vocab + added tokens). */
function tokenStrings(tokenizer: Record<string, unknown>): Set<string> {
  const out = new Set<string>();
  const added = tokenizer['added_tokens'];
  if (Array.isArray(added)) for (const t of added) if (isObj(t) && typeof t['content'] === 'string') out.add(t['content']);
  const model = tokenizer['model'];
  if (isObj(model)) {
    const vocab = model['vocab'];
    if (Array.isArray(vocab)) {
      // Unigram: [[piece, score], …]
      for (const p of vocab) if (Array.isArray(p) && typeof p[0] === 'string') out.add(p[0]);
    } else if (isObj(vocab)) {
      for (const k of Object.keys(vocab)) out.add(k);
    }
  }
  return out;
}

export type ValidatedModel = Omit<SiteModelMeta, 'name' | 'ignored' | 'importedAt'>;

/**
 * Checks a model folder's files (path → bytes) before anything is stored. Throws
 * SiteImportError with the first problem: required files, weights, JSON syntax, model type,
 * format tokens, decoding.json, drug_order.json.
 */
export function validateModelFiles(files: ReadonlyMap<string, Uint8Array>): ValidatedModel {
  if (files.size === 0) throw new SiteImportError('no-files');
  if (!files.has('config.json')) throw new SiteImportError('missing-config', 'config.json');
  if (!files.has('tokenizer.json')) throw new SiteImportError('missing-tokenizer', 'tokenizer.json');
  if (!files.has('tokenizer_config.json')) throw new SiteImportError('missing-tokenizer-config', 'tokenizer_config.json');
  if (!REQUIRED_ONE_OF_WEIGHTS.some((p) => files.has(p))) {
    throw new SiteImportError('missing-onnx', 'onnx/', `none of ${REQUIRED_ONE_OF_WEIGHTS.join(', ')}`);
  }
  for (const [path, bytes] of files) if (bytes.byteLength === 0) throw new SiteImportError('empty-file', path);

  const json = new Map<string, unknown>();
  for (const path of [...REQUIRED_JSON, ...OPTIONAL_JSON]) {
    const bytes = files.get(path);
    if (bytes) json.set(path, parseJson(bytes, path));
  }
  const parsedConfig = v.safeParse(ConfigSchema, json.get('config.json'));
  if (!parsedConfig.success) {
    const [first] = parsedConfig.issues;
    if (issuePath(first) !== 'model_type') throw new SiteImportError('bad-json', 'config.json', describeIssues('config.json', parsedConfig.issues));
    throw new SiteImportError('unsupported-model-type', 'config.json', typeof first.input === 'string' ? first.input : '(no model_type)');
  }
  const config = parsedConfig.output;
  const tokenizer = parseShape(TokenizerSchema, json.get('tokenizer.json'), 'bad-json', 'tokenizer.json');
  parseShape(AnyObject, json.get('tokenizer_config.json'), 'bad-json', 'tokenizer_config.json');
  for (const path of ['generation_config.json', 'special_tokens_map.json'] as const) {
    if (json.has(path)) parseShape(AnyObject, json.get(path), 'bad-json', path);
  }
  const known = tokenStrings(tokenizer);
  const { separator, end } = promptSpec.target;
  const missing = [separator, end].filter((t) => !known.has(t));
  if (missing.length > 0) throw new SiteImportError('missing-format-tokens', 'tokenizer.json', missing.join(' '));

  let calibrated = false;
  if (json.has(DECODING_CONFIG_FILE)) {
    try {
      parseDecodingConfig(json.get(DECODING_CONFIG_FILE), DECODING_CONFIG_FILE);
    } catch (e) {
      throw new SiteImportError('bad-decoding', DECODING_CONFIG_FILE, e instanceof Error ? e.message : String(e));
    }
    calibrated = true;
  }
  if (json.has('drug_order.json')) {
    parseShape(DrugOrderSchema, json.get('drug_order.json'), 'bad-drug-order', 'drug_order.json');
  }
  const dtypes = (Object.keys(DTYPE_FILE) as ModelDtype[]).filter((d) => files.has(DTYPE_FILE[d]));
  return {
    modelType: config.model_type,
    dtypes,
    vocabSize: config.vocab_size,
    calibrated,
    hasDrugOrder: json.has('drug_order.json'),
    fixture: /fixture|random/i.test(config.dischargerx.note),
  };
}

/**
 * The folder's integrity manifest (src/model-folder/format.ts), checked or recorded before
 * anything is stored. With a manifest.json: every picked file of the kinds it covers (weights,
 * config, tokenizer) must be listed with these bytes and this SHA-256 — altered bytes, or a file
 * from another export, are an 'integrity-mismatch'; a listed file left out of the pick is allowed
 * (a site may copy only the weights it runs). Without one: a manifest of the picked files is
 * recorded and stored with them (`bytes` and `hashes` gain manifest.json), so the copy can be
 * checked later as an exported folder is.
 */
export async function sealFolder(bytes: Map<string, Uint8Array>, hashes: Map<string, string>): Promise<'verified' | 'recorded'> {
  const given = bytes.get(MANIFEST_FILE);
  if (given) {
    let manifest: ModelManifest;
    try {
      manifest = parseManifest(parseJson(given, MANIFEST_FILE), MANIFEST_FILE);
    } catch (e) {
      if (e instanceof FormatError) throw new SiteImportError('bad-manifest', MANIFEST_FILE, e.message);
      throw e;
    }
    const listed = new Map(manifest.files.map((f) => [f.path, f]));
    for (const [path, b] of bytes) {
      if (!isManifestFile(path)) continue;
      const entry = listed.get(path);
      if (!entry) throw new SiteImportError('integrity-mismatch', path, `not listed in ${MANIFEST_FILE}`);
      try {
        checkAgainstManifest(entry, { bytes: b.byteLength, sha256: hashes.get(path)! });
      } catch (e) {
        if (e instanceof IntegrityError) throw new SiteImportError('integrity-mismatch', path, e.detail);
        throw e;
      }
    }
    return 'verified';
  }
  const files: ManifestEntry[] = [...bytes]
    .filter(([path]) => isManifestFile(path))
    .map(([path, b]) => ({ path, bytes: b.byteLength, sha256: hashes.get(path)! }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const version = versionFromDigest(await sha256Hex(new TextEncoder().encode(manifestVersionInput(files))));
  const recorded: ModelManifest = { format: MANIFEST_FORMAT, version, files };
  const out = new TextEncoder().encode(`${JSON.stringify(recorded, null, 1)}\n`);
  bytes.set(MANIFEST_FILE, out);
  hashes.set(MANIFEST_FILE, await sha256Hex(out));
  return 'recorded';
}

/** Version of a set of files: `sha256-<12 hex>` over the sorted (path, SHA-256) pairs. */
export async function contentVersion(hashes: ReadonlyMap<string, string>): Promise<string> {
  const text = [...hashes].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([p, h]) => `${p}\t${h}\n`).join('');
  return `sha256-${(await sha256Hex(new TextEncoder().encode(text))).slice(0, 12)}`;
}

/** The few IndexedDB operations an import needs (./db.ts through `idb`, or an in-memory fake in tests). */
export interface SiteModelStore {
  putFile(rec: FileRecord): Promise<void>;
  getFile(key: string): Promise<FileRecord | undefined>;
  deleteFile(key: string): Promise<void>;
  getManifest(key: string): Promise<ManifestRecord | undefined>;
  putManifest(m: ManifestRecord): Promise<void>;
  /** Every entry of `modelId` except version `keepVersion` (manifest first). */
  deleteOtherVersions(modelId: string, keepVersion: string): Promise<void>;
  close(): void;
}

export function idbSiteModelStore(db: Db): SiteModelStore {
  return {
    putFile: async (rec) => void (await db.put('files', rec)),
    getFile: (key) => db.get('files', key),
    deleteFile: (key) => db.delete('files', key),
    getManifest: (key) => db.get('manifests', key),
    putManifest: async (m) => void (await db.put('manifests', m)),
    deleteOtherVersions: async (modelId, keepVersion) => void (await deleteModelEntries(db, modelId, { keepVersion })),
    close: () => db.close(),
  };
}

export interface SiteModelSummary {
  id: string;
  version: string;
  meta: SiteModelMeta;
  files: { path: string; size: number }[];
  bytes: number;
  /** Every manifest file is present with its size (the worker re-hashes them at load). */
  complete: boolean;
}

export interface ImportOptions {
  /** Name for the id (default: the picked folder's name, else "model"). */
  name?: string;
  store?: () => Promise<SiteModelStore>;
  estimate?: Estimate;
  now?: () => number;
  /** Called as files are written (bytes so far, total). */
  onProgress?: (written: number, total: number) => void;
}

function summaryOf(m: ManifestRecord, complete = true): SiteModelSummary {
  return {
    id: m.modelId,
    version: m.version,
    meta: m.site!,
    files: Object.entries(m.files).map(([path, f]) => ({ path, size: f.size })),
    bytes: m.totalBytes,
    complete,
  };
}

/**
 * Validates and stores a model folder. Order: plan → read → validate → check manifest.json or
 * record one (sealFolder; nothing stored on any problem) → estimate → write each file (+ SHA-256) → read each back and re-verify → manifest
 * (last) → drop older versions of the same id. On a write failure every file written by this
 * import is deleted again and the error is typed ('quota-exceeded' / 'storage-failed').
 */
export async function importSiteModel(picked: readonly PickedFile[], options: ImportOptions = {}): Promise<SiteModelSummary> {
  if (picked.length === 0) throw new SiteImportError('no-files');
  const plan = planModelFolder(picked);
  const id = siteModelId(options.name?.trim() || plan.folderName || 'model');

  // Cheap presence checks before reading megabytes of weights.
  const present = new Map<string, Uint8Array>();
  for (const path of plan.files.keys()) present.set(path, new Uint8Array(1));
  if (!present.has('config.json')) throw new SiteImportError('missing-config', 'config.json');
  if (!present.has('tokenizer.json')) throw new SiteImportError('missing-tokenizer', 'tokenizer.json');
  if (!present.has('tokenizer_config.json')) throw new SiteImportError('missing-tokenizer-config', 'tokenizer_config.json');
  if (!REQUIRED_ONE_OF_WEIGHTS.some((p) => present.has(p))) {
    throw new SiteImportError('missing-onnx', 'onnx/', `none of ${REQUIRED_ONE_OF_WEIGHTS.join(', ')}`);
  }

  const bytes = new Map<string, Uint8Array>();
  for (const [path, f] of plan.files) bytes.set(path, new Uint8Array(await f.read()));
  const validated = validateModelFiles(bytes);

  const hashes = new Map<string, string>();
  for (const [path, b] of bytes) hashes.set(path, await sha256Hex(b));
  const integrity = await sealFolder(bytes, hashes);
  const version = await contentVersion(hashes);
  const total = [...bytes.values()].reduce((n, b) => n + b.byteLength, 0);

  const short = await checkSpace(total, options.estimate ?? browserEstimate);
  if (short) throw new SiteImportError('no-space', undefined, short.detail);

  let store: SiteModelStore;
  try {
    store = await (options.store ?? (async () => idbSiteModelStore(await openModelDb())))();
  } catch (e) {
    throw new SiteImportError('storage-failed', undefined, String(e));
  }
  const now = (options.now ?? Date.now)();
  const written: string[] = [];
  try {
    // The same content imported again under the same name: nothing to write.
    const existing = await store.getManifest(manifestKey(id, version));
    if (existing?.site && (await verifyStored((key) => store.getFile(key), existing)).problem === null) return summaryOf(existing);

    let done = 0;
    const files: Record<string, ManifestFile> = {};
    for (const [path, b] of bytes) {
      const sha256 = hashes.get(path)!;
      const data = b.buffer.byteLength === b.byteLength && b.byteOffset === 0 ? (b.buffer as ArrayBuffer) : b.slice().buffer;
      const key = fileKey(id, version, path);
      written.push(key);
      await store.putFile({ key, modelId: id, version, path, size: b.byteLength, sha256, data, storedAt: now });
      files[path] = { size: b.byteLength, sha256 };
      done += b.byteLength;
      options.onProgress?.(done, total);
    }
    const manifest: ManifestRecord = {
      key: manifestKey(id, version),
      modelId: id,
      version,
      files,
      totalBytes: total,
      cachedAt: now,
      updatedAt: now,
      site: { name: id.slice(SITE_MODEL_PREFIX.length), ...validated, integrity, ignored: plan.ignored, importedAt: now },
    };
    // Read back (present, right size, hash as written); the worker hashes every file at each load.
    const { problem } = await verifyStored((key) => store.getFile(key), manifest, { hash: false });
    if (problem !== null) throw new SiteImportError('storage-failed', undefined, `read-back verification failed: ${problem}`);
    // Manifest LAST: only now is the model usable.
    await store.putManifest(manifest);
    await store.deleteOtherVersions(id, version);
    return summaryOf(manifest);
  } catch (e) {
    for (const key of written) {
      try {
        await store.deleteFile(key);
      } catch {
        /* best effort: files without a manifest are never used */
      }
    }
    if (isSiteImportError(e)) throw e;
    if (isQuotaError(e)) throw new SiteImportError('quota-exceeded', undefined, String((e as Error)?.message ?? e));
    throw new SiteImportError('storage-failed', undefined, String((e as Error)?.message ?? e));
  } finally {
    store.close();
  }
}

/**
 * A site's models (those with a manifest). `complete` checks that every listed file is present
 * (keys only, no bytes read); the worker re-hashes every file when it loads the model.
 */
export function listSiteModels(): Promise<SiteModelSummary[]> {
  return withModelDb(async (db) => {
    const out: SiteModelSummary[] = [];
    for (const m of await db.getAll('manifests')) {
      if (!isSiteModelId(m.modelId) || !m.site) continue;
      const prefix = `${m.modelId}@${m.version}/`;
      const keys = new Set(await db.getAllKeys('files', IDBKeyRange.bound(prefix, `${prefix}\uffff`)));
      const complete = Object.keys(m.files).every((p) => keys.has(fileKey(m.modelId, m.version, p)));
      out.push(summaryOf(m, complete));
    }
    return out.sort((a, b) => a.id.localeCompare(b.id));
  });
}

/** The stored version of one site model (for the load request), or null. */
export async function getSiteModel(id: string): Promise<SiteModelSummary | null> {
  if (!isSiteModelId(id)) return null;
  return (await listSiteModels()).find((m) => m.id === id) ?? null;
}

/** Removes every version of a site model: manifest first, then its files (bytes freed). */
export function deleteSiteModel(id: string): Promise<number> {
  if (!isSiteModelId(id)) return Promise.resolve(0);
  return withModelDb((db) => deleteModelEntries(db, id));
}
