/**
 * Prompts for Python training, from the one implementation in src/clinical/prompt.ts.
 * Usage: node --import tsx training/node/build-prompts.ts IN.jsonl OUT.json [--augment SEED --rate P]
 * IN: one JSON record per line (any object; missing fields are handled by buildPrompt).
 * OUT: a JSON array of prompt strings, one per input line, same order.
 * --augment: each record is first augmented (training/node/augment.ts) with probability P
 * (default 0.5), deterministically from SEED and its line index. Training data only.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { buildPrompt } from '../../src/clinical/prompt.ts';
import { augmentRecords } from './augment.ts';

const args = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const [inPath, outPath] = args.filter((a, i) => !a.startsWith('--') && !(i > 0 && args[i - 1]!.startsWith('--')));
if (!inPath || !outPath) {
  console.error('usage: build-prompts.ts IN.jsonl OUT.json [--augment SEED --rate P]');
  process.exit(2);
}
let records = readFileSync(inPath, 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line) as Record<string, unknown>);
const seed = flag('--augment');
if (seed !== undefined) records = augmentRecords(records, Number(seed), { rate: Number(flag('--rate') ?? '0.5') });
writeFileSync(outPath, JSON.stringify(records.map((r) => buildPrompt(r))));
