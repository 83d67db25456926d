// Loads an exported model folder with transformers.js (as the app does) and compares its logits
// with the PyTorch reference written by the Python side; also runs a 5-token greedy generate()
// to exercise the KV-cache wiring.
//
// Usage: node training/node/parity.mjs MODEL_DIR [REFERENCE_JSON] [--dtype fp32|q8|q4]
//   REFERENCE_JSON defaults to MODEL_DIR/reference.json (micro fixture) — for a trained model use
//   runs/<name>/parity_reference.json. Prints one JSON line; exit code 1 when fp32 diff > 1e-4.
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { AutoModelForCausalLM, AutoTokenizer, Tensor, env } from '@huggingface/transformers';

const args = process.argv.slice(2);
let dtype = 'fp32';
const pos = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--dtype') dtype = args[++i];
  else pos.push(args[i]);
}
const modelDir = resolve(pos[0] ?? 'training/tests/fixtures/micro-model');
const refPath = resolve(pos[1] ?? join(modelDir, 'reference.json'));
if (!existsSync(refPath)) {
  console.error(`no reference file ${refPath}`);
  process.exit(2);
}
const ref = JSON.parse(readFileSync(refPath, 'utf8'));

env.allowRemoteModels = false;
env.allowLocalModels = true;
env.localModelPath = dirname(modelDir) + '/';
const name = basename(modelDir);

const tokenizer = await AutoTokenizer.from_pretrained(name, { local_files_only: true });
const model = await AutoModelForCausalLM.from_pretrained(name, { dtype, device: 'cpu', local_files_only: true });

// A graph with shared-prefix inputs (prefix_key_values.N.*, training/README.md) runs as the
// graph without a prefix when they are fed empty; transformers.js passes them through to the session.
const session = model.sessions.model;
const prefixNames = session.inputNames.filter((n) => n.startsWith('prefix_key_values.'));
const cfg = model.config;
const headDim = cfg.head_dim ?? cfg.hidden_size / cfg.num_attention_heads;
const emptyPrefix = Object.fromEntries(
  prefixNames.map((n) => [n, new Tensor('float32', new Float32Array(0), [1, cfg.num_key_value_heads ?? cfg.num_attention_heads, 0, headDim])]),
);
// generate() keeps only the inputs it knows, so its forward gets them too.
const forward = model.forward.bind(model);
model.forward = (modelInputs) => forward({ ...emptyPrefix, ...modelInputs });
const inputs = tokenizer(ref.prompt);
const ids = Array.from(inputs.input_ids.data, Number);
const idsMatch = JSON.stringify(ids) === JSON.stringify(ref.input_ids);

const out = await model(inputs);
const [, T, V] = out.logits.dims;
const logits = out.logits.data;
const refRows = ref.logits_all ?? ref.logits;
const first = T - refRows.length;
let maxDiff = 0;
let top1Agree = 0;
refRows.forEach((row, r) => {
  const t = first + r;
  let best = 0;
  let bestRef = 0;
  for (let v = 0; v < V; v++) {
    const x = logits[t * V + v];
    maxDiff = Math.max(maxDiff, Math.abs(x - row[v]));
    if (x > logits[t * V + best]) best = v;
    if (row[v] > row[bestRef]) bestRef = v;
  }
  if (best === bestRef) top1Agree++;
});

let generateOk = null;
let generated = null;
const gen = await model.generate({ ...inputs, max_new_tokens: 5, do_sample: false, min_new_tokens: 5 });
generated = Array.from(gen.data, Number).slice(ids.length);
if (ref.greedy_new_tokens) generateOk = JSON.stringify(generated) === JSON.stringify(ref.greedy_new_tokens);

const result = {
  model: modelDir,
  dtype,
  ids_match: idsMatch,
  positions_compared: refRows.length,
  max_abs_diff: maxDiff,
  top1_agree: top1Agree / refRows.length,
  generated,
  generate_matches_reference: generateOk,
};
console.log(JSON.stringify(result));
await model.dispose?.();
if (!idsMatch || (dtype === 'fp32' && maxDiff > 1e-4)) process.exit(1);
