/**
 * Prompts for Python training, from the one implementation in src/clinical/prompt.ts.
 * Usage: node --import tsx training/node/build-prompts.ts IN.jsonl OUT.json
 * IN: one JSON record per line (any object; missing fields are handled by buildPrompt).
 * OUT: a JSON array of prompt strings, one per input line, same order.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { buildPrompt } from '../../src/clinical/prompt.ts';

const [inPath, outPath] = process.argv.slice(2);
if (!inPath || !outPath) {
  console.error('usage: build-prompts.ts IN.jsonl OUT.json');
  process.exit(2);
}
const prompts = readFileSync(inPath, 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => buildPrompt(JSON.parse(line) as Record<string, unknown>));
writeFileSync(outPath, JSON.stringify(prompts));
