/**
 * Writes (or with --check verifies) the integrity manifest of a model folder:
 *   tsx scripts/model-manifest.ts models/dischargerx-small          # write manifest.json
 *   tsx scripts/model-manifest.ts --check models/dischargerx-small  # verify, exit 1 on a mismatch
 * Training's export writes the same file (training/dischargerx_train/manifest.py).
 */
import { verifyFolder, writeManifest } from '../src/model-folder/node-folder.ts';

const args = process.argv.slice(2);
const check = args.includes('--check');
const dirs = args.filter((a) => a !== '--check');
if (dirs.length === 0) {
  process.stderr.write('usage: tsx scripts/model-manifest.ts [--check] MODEL_DIR...\n');
  process.exit(2);
}
try {
  for (const dir of dirs) {
    if (check) {
      const m = await verifyFolder(dir);
      process.stdout.write(m ? `${dir}: ${m.files.length} file(s) match manifest ${m.version}\n` : `${dir}: no manifest.json\n`);
    } else {
      const m = await writeManifest(dir);
      process.stdout.write(`${dir}/manifest.json: ${m.files.length} file(s), version ${m.version}\n`);
    }
  }
} catch (e) {
  process.stderr.write(`model-manifest: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
}
