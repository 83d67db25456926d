/**
 * Shared CLI plumbing: argument parsing, file reading with clear errors, and the top-level
 * runner that turns any error into ONE line on stderr plus an exit code:
 *   2 — usage error (missing/unknown flag, unknown method);
 *   1 — bad input (file not found/unreadable, empty, not UTF-8, malformed JSON, missing id…)
 *       or any other failure.
 * No stack traces unless DISCHARGERX_DEBUG=1.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Formulary, FormularyError } from '../src/clinical/formulary.ts';
import { RecordError, oneLine } from '../src/clinical/errors.ts';
import { decodeUtf8Strict, describeJsonError, parseLocatedRecords } from '../src/clinical/read-records.ts';
import type { LocatedRecord } from '../src/clinical/parse-record.ts';

/** Wrong command line: exit code 2, usage hint appended. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** An input/IO problem that is not located inside a record: exit code 1. */
export class CliError extends Error {
  override readonly name = 'CliError';
}

export type FlagSpec = Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }>;

/** Parse argv strictly (unknown flags and stray positionals are usage errors). */
export function parseFlags(argv: readonly string[], spec: FlagSpec): Record<string, string | boolean | string[] | undefined> {
  try {
    const { values } = parseArgs({ args: [...argv], options: spec, strict: true, allowPositionals: false });
    return values as Record<string, string | boolean | string[] | undefined>;
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    throw new UsageError(oneLine(msg.replace(/\. To specify a positional argument.*$/s, '')));
  }
}

/** A required string flag. */
export function requireFlag(values: Record<string, unknown>, name: string): string {
  const v = values[name];
  if (typeof v !== 'string' || v.trim() === '') throw new UsageError(`missing required flag --${name}`);
  return v;
}

export function optionalFlag(values: Record<string, unknown>, name: string): string | undefined {
  const v = values[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || v.trim() === '') throw new UsageError(`flag --${name} needs a value`);
  return v;
}

/** Parse repeated `--opt key=value` flags. */
export function parseKeyValues(list: readonly string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const kv of list ?? []) {
    const i = kv.indexOf('=');
    if (i <= 0) throw new UsageError(`--opt expects key=value, got "${kv}"`);
    out[kv.slice(0, i).trim()] = kv.slice(i + 1).trim();
  }
  return out;
}

/** Read a file as strict UTF-8 text (BOM stripped), with one-line errors. */
export async function readTextFile(path: string): Promise<string> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new CliError(`${path}: file not found`);
    if (code === 'EISDIR') throw new CliError(`${path}: is a directory, expected a file`);
    if (code === 'EACCES' || code === 'EPERM') throw new CliError(`${path}: permission denied`);
    throw new CliError(`${path}: cannot read file (${code ?? (e instanceof Error ? e.message : String(e))})`);
  }
  return decodeUtf8Strict(bytes, path);
}

/** Read a CDrugRed records file (JSON object, JSON array or JSONL). */
export async function readRecordsFile(path: string): Promise<LocatedRecord[]> {
  return parseLocatedRecords(await readTextFile(path), path);
}

/** Read a whole-file JSON document (e.g. a candidate list). */
export async function readJsonFile(path: string): Promise<unknown> {
  const text = (await readTextFile(path)).replace(/\r\n?/g, '\n');
  if (text.trim() === '') throw new RecordError('file is empty', { source: path });
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    const { reason, line } = describeJsonError(e, text);
    throw new RecordError(reason, line === undefined ? { source: path } : { source: path, line });
  }
}

/** The candidate list: `--candidates FILE` (plain array of names or FormularyFile) or the bundled formulary. */
export async function loadCandidates(path: string | undefined): Promise<Formulary> {
  if (path === undefined) return Formulary.bundled();
  const json = await readJsonFile(path);
  try {
    return Formulary.fromJson(json, path);
  } catch (e) {
    if (e instanceof FormularyError) {
      const msg = oneLine(e.message);
      throw new CliError(msg.includes(path) ? msg : `${path}: ${msg}`);
    }
    throw e;
  }
}

/** Map an error to its one-line message and exit code. */
export function describeError(e: unknown, usage?: string): { message: string; code: number } {
  if (e instanceof UsageError) {
    return { message: oneLine(`error: ${e.message}`) + (usage ? ` (usage: ${oneLine(usage)})` : ''), code: 2 };
  }
  if (e instanceof RecordError || e instanceof CliError || e instanceof FormularyError) {
    return { message: `error: ${oneLine(e.message)}`, code: 1 };
  }
  const msg = e instanceof Error ? e.message : String(e);
  return { message: `error: ${oneLine(msg)}`, code: 1 };
}

/**
 * Run a CLI main function: on failure print one line to stderr and set the exit code.
 * `main` returns the exit code (default 0).
 */
export function runCli(main: (argv: string[]) => Promise<number | void>, usage: string): void {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code ?? 0;
    },
    (e: unknown) => {
      const { message, code } = describeError(e, usage);
      process.stderr.write(message + '\n');
      if (process.env['DISCHARGERX_DEBUG'] === '1' && e instanceof Error && e.stack) process.stderr.write(e.stack + '\n');
      process.exitCode = code;
    },
  );
}

/** Format a number with a fixed maximum of decimals for JSON output. */
export function round(x: number, digits = 4): number {
  const k = 10 ** digits;
  return Math.round(x * k) / k;
}

/** True when the module at `importMetaUrl` is the script node/tsx was started with. */
export function isMain(importMetaUrl: string): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(importMetaUrl));
  } catch {
    return false;
  }
}

/**
 * Refuses an output path that is one of the command's inputs, and makes sure its folder exists
 * and is writable — before any work starts, so a long run never ends in a write error and never
 * overwrites what it read. Missing folders are created one level at a time: Node's recursive
 * mkdir can hang for good on paths like /proc/….
 */
export async function assertWritableOutput(outPath: string, inputs: readonly string[]): Promise<void> {
  const { access, mkdir, stat, realpath } = await import('node:fs/promises');
  const { constants } = await import('node:fs');
  const { dirname, resolve } = await import('node:path');
  const real = async (p: string) => {
    try {
      return await realpath(p);
    } catch {
      return resolve(p);
    }
  };
  const out = await real(outPath);
  for (const input of inputs) if ((await real(input)) === out) throw new UsageError(`--out ${outPath} is also an input file; choose another path`);
  const dir = dirname(resolve(outPath));
  const missing: string[] = [];
  let existing = dir;
  for (;;) {
    try {
      if (!(await stat(existing)).isDirectory()) throw new CliError(`${outPath}: cannot write there (${existing} is not a folder)`);
      break;
    } catch (e) {
      if (e instanceof CliError) throw e;
      const parent = dirname(existing);
      if (parent === existing) break;
      missing.unshift(existing);
      existing = parent;
    }
  }
  try {
    await access(existing, constants.W_OK);
    for (const d of missing) await mkdir(d);
    await access(dir, constants.W_OK);
  } catch {
    throw new CliError(`${outPath}: cannot write there (the folder ${dir} cannot be created or is not writable)`);
  }
}

/** Writes `text` to a temporary file beside `path`, then renames it over `path`. */
export async function writeOutputAtomically(path: string, text: string): Promise<void> {
  const { writeFile, rename, rm } = await import('node:fs/promises');
  const tmp = `${path}.tmp-${process.pid}`;
  try {
    await writeFile(tmp, text, 'utf8');
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw new CliError(`${path}: cannot write (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
}
