/**
 * The pieces `model-report` needs to score one model on several evaluation sets at once: the
 * `--set NAME=PATH[:LIMIT]` flag, the drugs a note rules out (the formulary's rules through
 * src/clinical/withhold.ts, plus an independent `ruled-out.json` written with a hand-labelled
 * set), the count of predictions that break them, and per-family scores for a cohort's
 * `families.json`.
 */
import { readFile } from 'node:fs/promises';
import type { Formulary } from '../src/clinical/formulary.ts';
import { normalizeSet, scoreSets } from '../src/clinical/metrics.ts';
import type { CDrugRedRecord } from '../src/clinical/record.ts';
import { withheldDrugs } from '../src/clinical/withhold.ts';
import { CliError, UsageError } from './cli-support.ts';

export interface SetSpec {
  name: string;
  path: string;
  /** Score only the first `limit` records. */
  limit?: number;
}

/** "synthetic-test=data/cohort/test.jsonl:1000" → {name, path, limit}. */
export function parseSetFlag(value: string): SetSpec {
  const eq = value.indexOf('=');
  if (eq <= 0 || eq === value.length - 1) throw new UsageError(`--set must look like NAME=PATH[:LIMIT], got "${value}"`);
  const name = value.slice(0, eq);
  let path = value.slice(eq + 1);
  let limit: number | undefined;
  const m = /^(.*):(\d+)$/.exec(path);
  if (m) {
    path = m[1]!;
    limit = Number(m[2]);
    if (!Number.isInteger(limit) || limit < 1) throw new UsageError(`--set ${name}: the limit must be a positive integer`);
  }
  if (!/^[A-Za-z0-9._-]+$/.test(name)) throw new UsageError(`--set: the name "${name}" may use letters, digits, . _ - only`);
  return limit === undefined ? { name, path } : { name, path, limit };
}

/** {visit id: drugs it rules out}, from a ruled-out.json ({"id": [{"drug": …}, …]}). */
export type RuledOut = ReadonlyMap<string, ReadonlySet<string>>;

/** Comma-separated per-set files, each {visit id: …}, merged; a visit may appear in one file only. */
async function readPerSetFiles<V>(paths: string, read: (path: string) => Promise<ReadonlyMap<string, V>>, clash: string): Promise<Map<string, V>> {
  const out = new Map<string, V>();
  for (const path of paths.split(',').map((p) => p.trim()).filter((p) => p !== '')) {
    for (const [id, value] of await read(path)) {
      if (out.has(id)) throw new CliError(`${path}: visit "${id}" ${clash}`);
      out.set(id, value);
    }
  }
  return out;
}

/** Several ruled-out files (one per evaluation set) merged. */
export function readRuledOutFiles(paths: string, formulary: Formulary): Promise<RuledOut> {
  return readPerSetFiles(paths, (p) => readRuledOut(p, formulary), 'is already listed in another ruled-out file');
}

export async function readRuledOut(path: string, formulary: Formulary): Promise<RuledOut> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (e) {
    throw new CliError(`${path}: cannot read ruled-out drugs (${e instanceof Error ? e.message : String(e)})`);
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new CliError(`${path}: expected an object {visit id: [{drug, reason, evidence}]}`);
  const out = new Map<string, Set<string>>();
  for (const [id, entries] of Object.entries(json as Record<string, unknown>)) {
    if (!Array.isArray(entries)) throw new CliError(`${path}: entry "${id}" is not a list`);
    const drugs = new Set<string>();
    entries.forEach((e, i) => {
      const drug = (e as { drug?: unknown } | null)?.drug;
      if (typeof drug !== 'string' || drug.trim() === '') throw new CliError(`${path}: entry "${id}"[${i}] has no "drug"`);
      drugs.add(formulary.normalize(drug) ?? drug);
    });
    out.set(id, drugs);
  }
  return out;
}

export interface SafetyCount {
  /** Predicted drugs the formulary's rules withhold for that note. */
  ruleViolations: number;
  /** Predicted drugs listed in the set's independent ruled-out.json. */
  ruledOutViolations: number;
  /** Visits with at least one of either. */
  visitsWithViolation: number;
}

/**
 * Counts predictions that break a safety rule. `predicted[i]` are canonical (model) names for
 * `records[i]`. The rules are evaluated whatever the decoding's own safety switch was, so a
 * `--no-safety` run shows what the filter prevents.
 */
export function countSafetyViolations(
  records: readonly CDrugRedRecord[],
  predicted: readonly (readonly string[])[],
  candidates: readonly string[],
  formulary: Formulary,
  ruledOut: RuledOut | null,
): SafetyCount {
  let ruleViolations = 0;
  let ruledOutViolations = 0;
  let visitsWithViolation = 0;
  records.forEach((r, i) => {
    const names = new Set((predicted[i] ?? []).map((n) => formulary.normalize(n) ?? n));
    const withheld = new Set(withheldDrugs(r, candidates, formulary).map((w) => w.drug));
    const listed = ruledOut?.get(r.就诊标识) ?? new Set<string>();
    let hit = false;
    for (const n of names) {
      if (withheld.has(n)) {
        ruleViolations++;
        hit = true;
      }
      if (listed.has(n)) {
        ruledOutViolations++;
        hit = true;
      }
    }
    if (hit) visitsWithViolation++;
  });
  return { ruleViolations, ruledOutViolations, visitsWithViolation };
}

/** {visit id: family} from a cohort's families.json, or null when there is none. */
/** Several id → family files (a cohort's families.json, a set's styles.json) merged. */
export function readFamilyFiles(paths: string): Promise<ReadonlyMap<string, string>> {
  return readPerSetFiles(paths, readFamilies, 'already has a family from another file');
}

export async function readFamilies(path: string): Promise<ReadonlyMap<string, string>> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (e) {
    throw new CliError(`${path}: cannot read families (${e instanceof Error ? e.message : String(e)})`);
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new CliError(`${path}: expected {visit id: family}`);
  return new Map(Object.entries(json as Record<string, unknown>).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

/** Mean per-visit Jaccard of each family (exact names, as the official scorer), for every method. */
export function familyJaccard(
  records: readonly CDrugRedRecord[],
  predictions: ReadonlyMap<string, readonly (readonly string[])[]>,
  families: ReadonlyMap<string, string>,
): Array<{ family: string; n: number; jaccard: Record<string, number> }> {
  const byFamily = new Map<string, number[]>();
  records.forEach((r, i) => {
    const f = families.get(r.就诊标识);
    if (f === undefined) return;
    const list = byFamily.get(f) ?? [];
    list.push(i);
    byFamily.set(f, list);
  });
  return [...byFamily.entries()]
    .sort((a, b) => a[0].localeCompare(b[0]))
    .map(([family, idx]) => {
      const out: Record<string, number> = {};
      for (const [method, preds] of predictions) {
        const sum = idx.reduce(
          (a, i) => a + scoreSets(normalizeSet(records[i]!.出院带药列表 ?? []).set, normalizeSet(preds[i] ?? []).set).jaccard,
          0,
        );
        out[method] = idx.length === 0 ? Number.NaN : sum / idx.length;
      }
      return { family, n: idx.length, jaccard: out };
    });
}

/** Union of two methods' predictions per visit (the first method's order, then the second's new names). */
export function unionPredictions(a: readonly (readonly string[])[], b: readonly (readonly string[])[]): string[][] {
  return a.map((x, i) => [...new Set([...x, ...(b[i] ?? [])])]);
}
