/**
 * The ModelEngine's host in Node (unit tests, and any Node caller): a model folder on disk,
 * verified against its manifest.json when it has one (src/model-folder), decoding.json and
 * fusion.json read and checked, model + tokenizer on onnxruntime-node (device 'cpu' — the plan's 'wasm' entry
 * is the CPU here), no WebGPU.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DECODING_CONFIG_FILE, parseDecodingConfig, type DecodingConfig } from '../decoding/decoding-config.ts';
import { loadCausalLm } from '../decoding/load-causal-lm.ts';
import { FUSION_FILE, parseFusionWeights, type FusionWeights } from '../decoding/evidence-fusion.ts';
import { DTYPE_FILE, REQUIRED_FILES } from '../model-folder/format.ts';
import { verifyFolder } from '../model-folder/node-folder.ts';
import { EngineError } from './errors.ts';
import type { EngineHost } from './model-engine.ts';

/** `root`: the folder holding model folders (a LoadSpec's modelId is a sub-folder of it). */
export function nodeHost(root: string): EngineHost {
  return {
    probe: () => Promise.resolve(null),
    numThreads: () => 1,
    runtime: () => 'onnxruntime-node',
    async open(attempt, spec, { phases }) {
      const dir = resolve(root, spec.modelId);
      for (const f of [...REQUIRED_FILES, DTYPE_FILE[attempt.dtype]]) {
        if (!existsSync(join(dir, f))) throw new EngineError('model-not-found', `${join(dir, f)}: not found`);
      }
      // The files this load reads, against the export's manifest (when the folder has one).
      const manifest = await phases.time('integrity', () => verifyFolder(dir, [...REQUIRED_FILES, DTYPE_FILE[attempt.dtype]]));
      const calibrationAt = performance.now();
      let decoding: DecodingConfig | null = null;
      const cfgPath = join(dir, DECODING_CONFIG_FILE);
      if (existsSync(cfgPath)) decoding = parseDecodingConfig(JSON.parse(readFileSync(cfgPath, 'utf8')), cfgPath);
      let fusion: FusionWeights | null = null;
      const fusionPath = join(dir, FUSION_FILE);
      if (existsSync(fusionPath)) {
        try {
          fusion = parseFusionWeights(JSON.parse(readFileSync(fusionPath, 'utf8')), fusionPath);
        } catch (e) {
          throw new EngineError('load-failed', (e as Error).message);
        }
      }
      phases.add('calibration', performance.now() - calibrationAt);
      // Here 'session' is the model's whole from_pretrained (reading the file from disk included).
      const lm = await loadCausalLm(dir, { dtype: attempt.dtype, device: 'cpu', onTimed: (part, ms) => phases.add(part === 'model' ? 'session' : 'tokenizer', ms) });
      const bytes = manifest?.files.filter((f) => f.path === DTYPE_FILE[attempt.dtype] || REQUIRED_FILES.includes(f.path)).reduce((n, f) => n + f.bytes, 0) ?? 0;
      return { lm, decoding, fusion, bytes };
    },
  };
}
