/**
 * A site's own candidate lists (e.g. the official 651-drug CHIP list) imported from a local JSON
 * file into the `lists` store of the model database (./db.ts). Either the formulary format
 * (src/clinical/formulary-types.ts) or a plain JSON array of names, checked by Formulary.fromJson
 * (errors name the entry index). One record per list, keyed `list:<name>`, holding the file's
 * text and its SHA-256 (re-checked whenever the list is read). Page side, no React.
 */
import { Formulary, FormularyError } from '../clinical/formulary.ts';
import { withModelDb, type ListRecord } from './db.ts';
import { sha256Hex } from './hash.ts';

export const LIST_PREFIX = 'list:';

export type ListImportErrorCode =
  /** Not UTF-8 / not JSON (detail: the parser's message). */
  | 'list-bad-json'
  /** JSON, but not a valid candidate list (detail: FormularyError, with the entry index). */
  | 'list-invalid'
  | 'list-bad-name'
  | 'list-storage-failed';

export class ListImportError extends Error {
  override readonly name = 'ListImportError';
  constructor(
    readonly code: ListImportErrorCode,
    readonly detail?: string,
  ) {
    super(`${code}${detail ? `: ${detail}` : ''}`);
  }
}

export function isListImportError(e: unknown): e is ListImportError {
  return e instanceof ListImportError;
}

export interface CandidateListSummary {
  id: string;
  name: string;
  fileName: string;
  version: string;
  format: ListRecord['format'];
  count: number;
  unknownCount: number;
  unknownExamples: string[];
  importedAt: number;
}

/** A parsed, checked list: the names in file order and what the bundled formulary knows of them. */
export interface ParsedList {
  formulary: Formulary;
  names: string[];
  format: ListRecord['format'];
  unknown: string[];
}

/** `list:<name>`: letters, digits, '.', '_', '-' (others become '-'), ≤ 64. */
export function listId(rawName: string): string {
  const name = rawName
    .normalize('NFKC')
    .trim()
    .replace(/\.json$/i, '')
    .replace(/[^\p{L}\p{N}._-]+/gu, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, 64);
  if (!name || !/[\p{L}\p{N}]/u.test(name)) throw new ListImportError('list-bad-name', JSON.stringify(rawName));
  return `${LIST_PREFIX}${name}`;
}

/** Parses and checks a list file's text (formulary format or a JSON array of names). */
export function parseCandidateList(text: string, sourceLabel: string): ParsedList {
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, '')) as unknown;
  } catch (e) {
    throw new ListImportError('list-bad-json', `${sourceLabel}: ${e instanceof Error ? e.message : String(e)}`);
  }
  let formulary: Formulary;
  try {
    formulary = Formulary.fromJson(json, sourceLabel);
  } catch (e) {
    if (e instanceof FormularyError) throw new ListImportError('list-invalid', e.message);
    throw e;
  }
  const bundled = Formulary.bundled();
  const names = [...formulary.names];
  return {
    formulary,
    names,
    format: Array.isArray(json) ? 'names' : 'formulary',
    // Safety facts and classes come from the bundled formulary, by exact name.
    unknown: names.filter((n) => bundled.get(n) === undefined),
  };
}

function decodeText(bytes: ArrayBuffer, fileName: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ListImportError('list-bad-json', `${fileName}: not valid UTF-8`);
  }
}

function summaryOf(r: ListRecord): CandidateListSummary {
  return {
    id: r.key,
    name: r.name,
    fileName: r.fileName,
    version: r.version,
    format: r.format,
    count: r.count,
    unknownCount: r.unknownCount,
    unknownExamples: r.unknownExamples,
    importedAt: r.importedAt,
  };
}

/** The record an import writes (pure; unit-tested). */
export async function buildListRecord(fileName: string, bytes: ArrayBuffer, name?: string, now = Date.now()): Promise<ListRecord> {
  const id = listId(name?.trim() || fileName);
  const text = decodeText(bytes, fileName);
  const parsed = parseCandidateList(text, fileName);
  const sha256 = await sha256Hex(new TextEncoder().encode(text));
  return {
    key: id,
    name: id.slice(LIST_PREFIX.length),
    fileName,
    text,
    sha256,
    version: `sha256-${sha256.slice(0, 12)}`,
    format: parsed.format,
    count: parsed.names.length,
    unknownCount: parsed.unknown.length,
    unknownExamples: parsed.unknown.slice(0, 5),
    importedAt: now,
  };
}

/** Validates and stores a list file; a list of the same name is replaced. Nothing is stored on any error. */
export async function importCandidateList(file: { name: string; arrayBuffer(): Promise<ArrayBuffer> }, name?: string): Promise<CandidateListSummary> {
  const rec = await buildListRecord(file.name, await file.arrayBuffer(), name);
  try {
    await withModelDb(async (db) => void (await db.put('lists', rec)));
  } catch (e) {
    throw new ListImportError('list-storage-failed', String((e as Error)?.message ?? e));
  }
  invalidate(rec.key);
  return summaryOf(rec);
}

export function listCandidateLists(): Promise<CandidateListSummary[]> {
  return withModelDb(async (db) => (await db.getAll('lists')).map(summaryOf).sort((a, b) => a.name.localeCompare(b.name)));
}

export async function deleteCandidateList(id: string): Promise<void> {
  await withModelDb((db) => db.delete('lists', id));
  invalidate(id);
}

/** Names of the last few lists read (id + version → names), so a recommendation does not re-parse. */
const loaded = new Map<string, { version: string; names: string[] }>();
function invalidate(id: string): void {
  loaded.delete(id);
}

/**
 * The candidate names of a stored list, re-checked (SHA-256 of its text, then parsed again), or
 * null when the list is not stored or fails the check.
 */
export async function loadCandidateNames(id: string): Promise<string[] | null> {
  const rec = await withModelDb((db) => db.get('lists', id));
  if (!rec) {
    loaded.delete(id);
    return null;
  }
  const hit = loaded.get(id);
  if (hit && hit.version === rec.version) return hit.names;
  if ((await sha256Hex(new TextEncoder().encode(rec.text))) !== rec.sha256) return null;
  let names: string[];
  try {
    names = parseCandidateList(rec.text, rec.fileName).names;
  } catch {
    return null;
  }
  loaded.set(id, { version: rec.version, names });
  return names;
}
