/**
 * The model-folder format, at the bottom of the house: what a DischargeRx model folder is (the
 * Hugging Face / transformers.js layout) — dtype → weights file, the files every folder needs,
 * which files ship, and the integrity manifest (file, bytes, SHA-256) that training's export
 * writes and every reader checks (the app build embeds it, the worker checks the first download
 * against it, the Node CLI verifies the folder). Pure: no `node:` import, no DOM; imports nothing
 * of the app. Node file access is in ./node-folder.ts.
 */
import * as v from 'valibot';

/** transformers.js dtype names. */
export type ModelDtype = 'fp32' | 'fp16' | 'q8' | 'q4' | 'q4f16';
export const MODEL_DTYPES: readonly ModelDtype[] = ['fp32', 'fp16', 'q8', 'q4', 'q4f16'];

/** Weights file of each dtype, relative to the folder (transformers.js naming, model file name "model"). */
export const DTYPE_FILE: Readonly<Record<ModelDtype, string>> = {
  fp32: 'onnx/model.onnx',
  fp16: 'onnx/model_fp16.onnx',
  q8: 'onnx/model_quantized.onnx',
  q4: 'onnx/model_q4.onnx',
  q4f16: 'onnx/model_q4f16.onnx',
};

export function isModelDtype(x: unknown): x is ModelDtype {
  return typeof x === 'string' && (MODEL_DTYPES as readonly string[]).includes(x);
}

/** Files without which a folder is not a model folder. */
export const REQUIRED_FILES: readonly string[] = ['config.json', 'tokenizer.json'];

/** The integrity manifest's file name (top level of the folder). */
export const MANIFEST_FILE = 'manifest.json';
export const MANIFEST_FORMAT = 'dischargerx-manifest-1';

/** True for a weights file of `dtype` or one of its external-data companions. */
export function isWeightsOf(path: string, dtype: ModelDtype): boolean {
  const w = DTYPE_FILE[dtype];
  return path === w || path.startsWith(`${w}_data`) || path === `${w}.data`;
}

/**
 * Files of a folder that ship with it (relative paths): top-level JSON / markdown (not the test
 * artefact reference.json, not the manifest itself) and onnx/ weights with their data files.
 */
export function isShippedFile(path: string): boolean {
  if (path === MANIFEST_FILE) return false;
  if (path.startsWith('onnx/')) {
    const f = path.slice(5);
    return !f.includes('/') && (/\.(onnx|onnx_data|onnx\.data)$/.test(f) || /\.onnx_data_\d+$/.test(f));
  }
  return !path.includes('/') && ((/\.json$/.test(path) && path !== 'reference.json') || /\.md$/.test(path));
}

/**
 * Files written after export by the calibration CLIs (`npm run calibrate` → decoding.json,
 * `npm run fit-fusion` → fusion.json), each checked by its own schema.
 */
export const CALIBRATION_FILES: readonly string[] = ['decoding.json', 'fusion.json'];

/**
 * Files the integrity manifest lists: what training's export writes (weights, config, tokenizer).
 * Not the model card (*.md, edited by people) and not the calibration files (rewritten later
 * by the CLIs): a manifest over them would go stale.
 */
export function isManifestFile(path: string): boolean {
  return isShippedFile(path) && !path.endsWith('.md') && !CALIBRATION_FILES.includes(path);
}

/** Files a load of `dtype` reads (weights + top-level JSON), for download sizes and progress. */
export function isLoadFile(path: string, dtype: ModelDtype): boolean {
  return isWeightsOf(path, dtype) || (/^[^/]+\.json$/.test(path) && path !== MANIFEST_FILE);
}

const Sha256 = v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex digits'));
const ManifestEntrySchema = v.object({
  path: v.pipe(v.string(), v.minLength(1)),
  bytes: v.pipe(v.number(), v.integer(), v.minValue(0)),
  sha256: Sha256,
});
const ManifestSchema = v.object({
  format: v.literal(MANIFEST_FORMAT),
  /** Content version: sha256 over the sorted entries (see manifestVersion); keys the browser cache. */
  version: v.pipe(v.string(), v.minLength(1)),
  files: v.pipe(v.array(ManifestEntrySchema), v.minLength(1)),
});

export type ManifestEntry = v.InferOutput<typeof ManifestEntrySchema>;
export type ModelManifest = v.InferOutput<typeof ManifestSchema>;

/** A JSON file that does not match its schema: names the file, the entry and the field. */
export class FormatError extends Error {
  override readonly name = 'FormatError';
}

/** Where an issue is: "files[3].sha256", "drugs[0].aliases[1]"; '' for the value itself. */
export function issuePath(issue: v.BaseIssue<unknown>): string {
  return (issue.path ?? [])
    .map((p) => (typeof p.key === 'number' ? `[${p.key}]` : `.${String(p.key)}`))
    .join('')
    .replace(/^\./, '');
}

/**
 * The issue's message, except for a required key that is absent: valibot reports that with the
 * enclosing object's message (or its generic "Invalid key"), which would read as if the object
 * itself were wrong, so it becomes "is missing".
 */
export function issueMessage(issue: v.BaseIssue<unknown>): string {
  const last = issue.path?.[issue.path.length - 1];
  const missingKey = issue.kind === 'schema' && issue.received === 'undefined' && last !== undefined && issue.expected === `"${String(last.key)}"`;
  return missingKey ? 'is missing' : issue.message;
}

/** Valibot issues → "file: files[3].sha256: must be …" (the first few; no path for the value itself). */
export function describeIssues(source: string, issues: readonly v.BaseIssue<unknown>[]): string {
  const parts = issues.slice(0, 3).map((i) => {
    const path = issuePath(i);
    return path ? `${path}: ${issueMessage(i)}` : issueMessage(i);
  });
  return `${source}: ${parts.join('; ')}`;
}

/** Parses a manifest.json (already JSON-decoded); throws FormatError naming file, entry and field. */
export function parseManifest(json: unknown, source = MANIFEST_FILE): ModelManifest {
  const r = v.safeParse(ManifestSchema, json);
  if (!r.success) throw new FormatError(describeIssues(source, r.issues));
  const seen = new Set<string>();
  for (const [i, f] of r.output.files.entries()) {
    if (seen.has(f.path)) throw new FormatError(`${source}: files[${i}].path: "${f.path}" listed twice`);
    seen.add(f.path);
  }
  return r.output;
}

/** The text the version hash is taken over: one "path bytes sha256" line per file, sorted by path. */
export function manifestVersionInput(files: readonly ManifestEntry[]): string {
  return [...files]
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    .map((f) => `${f.path} ${f.bytes} ${f.sha256}\n`)
    .join('');
}

/** The manifest's content version from the SHA-256 (hex) of manifestVersionInput: `sha256-<16 hex>`. */
export function versionFromDigest(hex: string): string {
  return `sha256-${hex.slice(0, 16)}`;
}

/** Bytes or hash of a file differ from the manifest: the folder was altered after export. */
export class IntegrityError extends Error {
  override readonly name = 'IntegrityError';
  constructor(
    readonly file: string,
    readonly detail: string,
  ) {
    super(`integrity check failed: ${file}: ${detail} (the file differs from the model's manifest.json; it was altered or damaged after export)`);
  }
}

export function manifestEntry(manifest: Pick<ModelManifest, 'files'>, path: string): ManifestEntry | undefined {
  return manifest.files.find((f) => f.path === path);
}

/** Throws IntegrityError unless `bytes` / `sha256` are what the manifest lists for `path`. */
export function checkAgainstManifest(entry: ManifestEntry, actual: { bytes: number; sha256?: string }): void {
  if (actual.bytes !== entry.bytes) throw new IntegrityError(entry.path, `${actual.bytes} bytes, manifest says ${entry.bytes}`);
  if (actual.sha256 !== undefined && actual.sha256 !== entry.sha256) {
    throw new IntegrityError(entry.path, `SHA-256 ${actual.sha256.slice(0, 12)}…, manifest says ${entry.sha256.slice(0, 12)}…`);
  }
}
