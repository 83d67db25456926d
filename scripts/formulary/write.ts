/**
 * Regenerates src/clinical/data/formulary.json from drug-lines.ts + source.ts.
 * Usage: npx tsx scripts/formulary/write.ts
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Formulary } from '../../src/clinical/formulary.ts';
import { buildFormularyFile, serializeFormulary } from './source.ts';

export const FORMULARY_JSON_PATH = fileURLToPath(new URL('../../src/clinical/data/formulary.json', import.meta.url));

const file = buildFormularyFile();
Formulary.fromJson(file, 'generated formulary'); // validates (collisions, sources, references)
writeFileSync(FORMULARY_JSON_PATH, serializeFormulary(file));
console.log(`wrote ${file.drugs.length} drugs to ${FORMULARY_JSON_PATH}`);
