/**
 * Node side of the model-folder format (./format.ts): list the shipped files, write the integrity
 * manifest, verify a folder against it. Used by the CLI's model loader, the build plugin and the
 * `model-manifest` script. Hashes stream from disk (a weights file is never held twice).
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  checkAgainstManifest,
  FormatError,
  IntegrityError,
  isManifestFile,
  isShippedFile,
  MANIFEST_FILE,
  MANIFEST_FORMAT,
  manifestVersionInput,
  parseManifest,
  versionFromDigest,
  type ManifestEntry,
  type ModelManifest,
} from './format.ts';

/** Shipped files of a folder (relative, '/'-separated, sorted). */
export function shippedFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) {
      if (name !== 'onnx') continue;
      for (const f of readdirSync(full).sort()) if (isShippedFile(`onnx/${f}`)) out.push(`onnx/${f}`);
    } else if (isShippedFile(name)) out.push(name);
  }
  return out;
}

export function sha256File(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256');
    createReadStream(path)
      .on('data', (c) => h.update(c))
      .on('error', reject)
      .on('end', () => resolve(h.digest('hex')));
  });
}

export function versionOf(files: readonly ManifestEntry[]): string {
  return versionFromDigest(createHash('sha256').update(manifestVersionInput(files)).digest('hex'));
}

/** Hashes every shipped file and writes DIR/manifest.json (through a temporary file). */
export async function writeManifest(dir: string): Promise<ModelManifest> {
  const files: ManifestEntry[] = [];
  for (const path of shippedFiles(dir).filter(isManifestFile)) {
    const full = join(dir, ...path.split('/'));
    files.push({ path, bytes: statSync(full).size, sha256: await sha256File(full) });
  }
  if (files.length === 0) throw new FormatError(`${dir}: no model files to list`);
  const manifest: ModelManifest = { format: MANIFEST_FORMAT, version: versionOf(files), files };
  const out = join(dir, MANIFEST_FILE);
  writeFileSync(`${out}.tmp`, JSON.stringify(manifest, null, 1) + '\n');
  renameSync(`${out}.tmp`, out);
  return manifest;
}

/** DIR/manifest.json parsed, or null when the folder has none. */
export function readManifest(dir: string): ModelManifest | null {
  const path = join(dir, MANIFEST_FILE);
  if (!existsSync(path)) return null;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new FormatError(`${path}: not valid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  return parseManifest(json, path);
}

/**
 * Checks `paths` (default: every listed file) against the folder's manifest: size first (cheap),
 * then SHA-256. Returns the manifest (null when the folder has none); throws IntegrityError.
 * A listed file that a load needs but is missing is an IntegrityError too.
 */
export async function verifyFolder(dir: string, paths?: readonly string[]): Promise<ModelManifest | null> {
  const manifest = readManifest(dir);
  if (!manifest) return null;
  const wanted = paths ? manifest.files.filter((f) => paths.includes(f.path)) : manifest.files;
  for (const entry of wanted) {
    const full = join(dir, ...entry.path.split('/'));
    if (!existsSync(full)) throw new IntegrityError(entry.path, 'missing');
    checkAgainstManifest(entry, { bytes: statSync(full).size });
    checkAgainstManifest(entry, { bytes: entry.bytes, sha256: await sha256File(full) });
  }
  return manifest;
}
