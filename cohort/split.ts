/** Patient-disjoint 6:1:3 split and JSONL serialisation (key order fixed by CDRUGRED_FIELDS). */
import { CDRUGRED_FIELDS, type CDrugRedRecord } from '../src/clinical/record.ts';
import { Rng } from './rng.ts';

export type SplitName = 'train' | 'dev' | 'test';
export const SPLITS: readonly SplitName[] = ['train', 'dev', 'test'];

export function splitByPatient<T extends { record: CDrugRedRecord }>(visits: readonly T[], seed: number): Record<SplitName, T[]> {
  const pids: string[] = [];
  const seen = new Set<string>();
  for (const v of visits) {
    if (!seen.has(v.record.患者序号)) seen.add(v.record.患者序号), pids.push(v.record.患者序号);
  }
  const order = new Rng(seed, 'split').shuffle(pids);
  const nTrain = Math.round(order.length * 0.6);
  const nDev = Math.round(order.length * 0.1);
  const where = new Map<string, SplitName>();
  order.forEach((p, i) => where.set(p, i < nTrain ? 'train' : i < nTrain + nDev ? 'dev' : 'test'));
  const out: Record<SplitName, T[]> = { train: [], dev: [], test: [] };
  for (const v of visits) out[where.get(v.record.患者序号)!].push(v);
  return out;
}

export function recordToJson(r: CDrugRedRecord): string {
  const o: Record<string, unknown> = {};
  for (const f of CDRUGRED_FIELDS) o[f] = r[f];
  return JSON.stringify(o);
}

export function toJsonl(records: readonly CDrugRedRecord[]): string {
  return records.map((r) => recordToJson(r) + '\n').join('');
}
