// Runs an ONNX model with onnxruntime-node on JSON inputs; used by the Python tests
// (training/tests) to check exported and quantized graphs without onnxruntime-python.
// Usage: node training/node/ort-run.mjs MODEL.onnx INPUTS.json OUTPUTS.json
// INPUTS.json: {"name": {"dtype": "int64"|"float32", "dims": [...], "data": [...]}, ...}
import { readFileSync, writeFileSync } from 'node:fs';
import * as ort from 'onnxruntime-node';

const [modelPath, inPath, outPath] = process.argv.slice(2);
if (!modelPath || !inPath || !outPath) {
  console.error('usage: node ort-run.mjs MODEL.onnx INPUTS.json OUTPUTS.json');
  process.exit(2);
}
const spec = JSON.parse(readFileSync(inPath, 'utf8'));
const feeds = {};
for (const [name, t] of Object.entries(spec)) {
  const data = t.dtype === 'int64' ? BigInt64Array.from(t.data.map((x) => BigInt(x))) : Float32Array.from(t.data);
  feeds[name] = new ort.Tensor(t.dtype, data, t.dims);
}
const session = await ort.InferenceSession.create(modelPath, { executionProviders: ['cpu'], graphOptimizationLevel: 'all' });
const res = await session.run(feeds);
const out = {};
for (const [name, t] of Object.entries(res)) {
  out[name] = { dims: t.dims, data: Array.from(t.data, (x) => Number(x)) };
}
writeFileSync(outPath, JSON.stringify(out));
