/**
 * The Node half of `npm run bench`: onnxruntime-node through exactly the code `npm run predict
 * --method model` runs (cli/model-method.ts: model-folder checks, decoding.json, loadModel,
 * decodeRecords — prompt build + tokenisation + constrained search per record, one record at a
 * time, after one untimed warm-up decode), with the bundled formulary as candidates, as in the app.
 */
import { Formulary } from '../../src/clinical/formulary.ts';
import type { CDrugRedRecord } from '../../src/clinical/record.ts';
import {
  decodeRecords,
  loadModel,
  readDecodingConfig,
  resolveModelFolder,
  resolveSettings,
  type DecodeSettings,
  type ModelDtype,
} from '../../cli/model-method.ts';

export interface NodeRun {
  dtype: ModelDtype;
  /** from_pretrained (model + tokenizer) from disk, ms. */
  loadMs: number;
  warmupMs: number;
  latenciesMs: number[];
  steps: number[];
  settings: DecodeSettings;
  onnxPath: string;
  onnxBytes: number;
}

export async function runNode(
  modelDir: string,
  dtype: ModelDtype,
  records: readonly CDrugRedRecord[],
  log: (m: string) => void,
): Promise<NodeRun> {
  const folder = resolveModelFolder(modelDir, dtype);
  const config = await readDecodingConfig(modelDir);
  const { settings } = resolveSettings(config, {});
  const loaded = await loadModel(folder);
  try {
    let next = 0;
    const timed = await decodeRecords(loaded, records, Formulary.bundled().names, settings, {
      warmup: records.length > 0,
      onProgress: (done, total) => {
        if (done >= next || done === total) {
          log(`Node ${dtype}: ${done}/${total} records`);
          next = done + Math.max(1, Math.ceil(total / 5));
        }
      },
    });
    return {
      dtype,
      loadMs: loaded.loadMs,
      warmupMs: timed.warmupMs,
      latenciesMs: timed.latenciesMs,
      steps: timed.results.map((r) => r.steps),
      settings,
      onnxPath: folder.onnxPath,
      onnxBytes: folder.onnxBytes,
    };
  } finally {
    await loaded.dispose();
  }
}
