/**
 * Adapter tests. Part 1 always runs: a tiny llama-shaped ONNX graph written by
 * tiny-onnx.test-utils.ts is loaded through transformers.js (AutoModelForCausalLM, onnxruntime-node)
 * and the KV-cache StepModel is checked against the no-cache reference (full recompute).
 * Part 2 runs the real exported model when a model folder exists (models/NAME/ with
 * config.json, tokenizer.json, onnx/model.onnx); it is skipped ONLY when none exists.
 * (Tests may use node: modules; the shipped src/decoding files do not.)
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { AutoModelForCausalLM, AutoTokenizer, Tensor, env } from '@huggingface/transformers';
import type { PreTrainedModel } from '@huggingface/transformers';
import { beforeAll, describe, expect, it } from 'vitest';
import { createCausalLmStepModel, gatherRows, recommendWithCausalLm, withMaskedPrefix, type ForwardModel, type KvCache } from './causal-lm.ts';
import { decodeDrugList } from './constrained-decoder.ts';
import { createRecomputeModel } from './reference-model.ts';
import { buildCandidateTrie } from './trie.ts';
import { hostKvLayout } from './host-kv-step-model.ts';
import type { LogitsRow, StepModel } from './types.ts';
import { tinyCausalLmConfig, tinyCausalLmOnnx, tinyTokenizerFiles, type TinyLmSpec } from './tiny-onnx.test-utils.ts';
import { decodingModel, loadCausalLm } from './load-causal-lm.ts';

env.allowRemoteModels = false;

const SPEC: TinyLmSpec = { vocabSize: 24, hidden: 8, maxPositions: 128, seed: 7 };
const SEP = 2;
const EOS = 3;

function maxAbsDiff(a: LogitsRow, b: LogitsRow): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

/** No-cache reference over the same transformers.js model: full forward per sequence. */
function recomputeOver(raw: PreTrainedModel) {
  const model = withMaskedPrefix<ForwardModel>(raw);
  return createRecomputeModel(async (ids) => {
    const n = ids.length;
    const t = (v: number[]) => new Tensor('int64', BigInt64Array.from(v, (x) => BigInt(x)), [1, n]);
    const out = (await model.forward({
      input_ids: t([...ids]),
      attention_mask: t(new Array<number>(n).fill(1)),
      position_ids: t(Array.from({ length: n }, (_, i) => i)),
    })) as Record<string, Tensor>;
    const logits = out['logits']!;
    const V = logits.dims[2]!;
    return Float32Array.from((logits.data as Float32Array).subarray((n - 1) * V, n * V));
  });
}

describe('createCausalLmStepModel on a tiny ONNX llama-shaped graph', () => {
  let model: PreTrainedModel;
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dischargerx-tiny-'));
    mkdirSync(join(dir, 'onnx'));
    writeFileSync(join(dir, 'onnx', 'model.onnx'), tinyCausalLmOnnx(SPEC));
    writeFileSync(join(dir, 'config.json'), JSON.stringify(tinyCausalLmConfig(SPEC, EOS)));
    model = (await AutoModelForCausalLM.from_pretrained(dir, {
      dtype: 'fp32',
      device: 'cpu',
      local_files_only: true,
    })) as PreTrainedModel;
  });

  it('matches the no-cache reference through expand, step and reorder', async () => {
    const kv = createCausalLmStepModel(model);
    const ref = recomputeOver(model);
    const prompt = [1, 5, 9, 4, 11];
    let a = await kv.start(prompt);
    let r = await ref.start(prompt);
    expect(maxAbsDiff(a.logits[0]!, r.logits[0]!)).toBeLessThan(1e-4);
    let c: KvCache = await kv.selectBeams(a.cache, [0, 0, 0]);
    let rc = await ref.selectBeams(r.cache, [0, 0, 0]);
    a = await kv.step(c, [6, 7, 8]);
    r = await ref.step(rc, [6, 7, 8]);
    for (let i = 0; i < 3; i++) expect(maxAbsDiff(a.logits[i]!, r.logits[i]!)).toBeLessThan(1e-4);
    // rows differ from each other (the test would be vacuous otherwise)
    expect(maxAbsDiff(a.logits[0]!, a.logits[2]!)).toBeGreaterThan(1e-3);
    c = await kv.selectBeams(a.cache, [2, 0]);
    rc = await ref.selectBeams(r.cache, [2, 0]);
    a = await kv.step(c, [10, 12]);
    r = await ref.step(rc, [10, 12]);
    expect(a.cache.rows).toBe(2);
    expect(a.cache.pastLength).toBe(prompt.length + 2);
    for (let i = 0; i < 2; i++) expect(maxAbsDiff(a.logits[i]!, r.logits[i]!)).toBeLessThan(1e-4);
  });

  it('stepMany feeds several tokens per row in one call; a permutation moves no data', async () => {
    const kv = createCausalLmStepModel(model);
    const ref = recomputeOver(model);
    const prompt = [1, 5, 9, 4, 11];
    const a = await kv.start(prompt);
    const r = await ref.start(prompt);
    const c3 = await kv.selectBeams(a.cache, [0, 0, 0]);
    const r3 = await ref.selectBeams(r.cache, [0, 0, 0]);
    const runs = [
      [6, 7, 8],
      [9, 10, 11],
      [12, 13, 14],
    ];
    const many = await kv.stepMany!(c3, runs);
    const refRows = r3.map((seq, i) => [...seq, ...runs[i]!.slice(0, -1)]);
    const refOut = await ref.step(refRows, runs.map((x) => x[2]!));
    expect(many.cache.pastLength).toBe(prompt.length + 3);
    for (let i = 0; i < 3; i++) expect(maxAbsDiff(many.logits[i]!, refOut.logits[i]!)).toBeLessThan(1e-4);
    // Permutation: same tensors, only the beam → row map changes; the next step still matches.
    const perm = await kv.selectBeams(many.cache, [2, 0, 1]);
    expect(perm.order).toEqual([2, 0, 1]);
    for (const [name, t] of Object.entries(perm.entries)) expect(t).toBe(many.cache.entries[name]);
    const after = await kv.step(perm, [15, 16, 17]);
    const refPerm = await ref.selectBeams(refOut.cache, [2, 0, 1]);
    const refAfter = await ref.step(refPerm, [15, 16, 17]);
    for (let i = 0; i < 3; i++) expect(maxAbsDiff(after.logits[i]!, refAfter.logits[i]!)).toBeLessThan(1e-4);
    expect(maxAbsDiff(after.logits[0]!, after.logits[1]!)).toBeGreaterThan(1e-3);
    // A gather after a permutation (duplicate + drop) reads the rows through the map.
    const dup = await kv.selectBeams(after.cache, [1, 1]);
    expect(dup.order).toBeUndefined();
    const last = await kv.stepMany!(dup, [
      [18, 19],
      [20, 21],
    ]);
    const refDup = await ref.selectBeams(refAfter.cache, [1, 1]);
    const refLast = await ref.step([[...refDup[0]!, 18], [...refDup[1]!, 20]], [19, 21]);
    for (let i = 0; i < 2; i++) expect(maxAbsDiff(last.logits[i]!, refLast.logits[i]!)).toBeLessThan(1e-4);
  });

  it('constrained decode with the KV cache equals decode with full recompute (greedy and beam)', async () => {
    // names over token ids 4..23
    const names = ['甲乙', '甲乙丙', '丁戊', '己庚辛', '壬癸', '子丑', '寅卯辰'];
    const chars = [...new Set(names.join(''))];
    const encode = (s: string) => [...s].map((ch) => 4 + chars.indexOf(ch));
    const trie = buildCandidateTrie(names, encode, { unkId: 1, reservedIds: [SEP, EOS] });
    for (const beamWidth of [1, 3]) {
      for (const stopThreshold of [undefined, 0]) {
        const opts = { separatorId: SEP, eosId: EOS, beamWidth, stopThreshold, maxDrugs: 5 };
        const prompt = [1, 20, 21, 22];
        const viaKv = await decodeDrugList(createCausalLmStepModel(model) as StepModel<KvCache>, prompt, trie, opts);
        const viaRef = await decodeDrugList(recomputeOver(model), prompt, trie, opts);
        expect(viaKv.tokens).toEqual(viaRef.tokens);
        expect(viaKv.drugs.map((d) => d.name)).toEqual(viaRef.drugs.map((d) => d.name));
        for (const [i, d] of viaKv.trajectory.entries()) expect(d.confidence).toBeCloseTo(viaRef.trajectory[i]!.confidence, 4);
        for (const d of viaKv.drugs) expect(names).toContain(d.name);
      }
    }
  });

  it('gatherRows reorders, duplicates and drops batch rows', async () => {
    const t = new Tensor('float32', Float32Array.from([0, 1, 10, 11, 20, 21]), [3, 1, 2]);
    const g = await gatherRows(t, [2, 2, 0]);
    expect(g.dims).toEqual([3, 1, 2]);
    expect(Array.from(g.data as Float32Array)).toEqual([20, 21, 20, 21, 0, 1]);
    const h = new Tensor('float16', Uint16Array.from([1, 2, 3, 4]), [2, 2]);
    const gh = await gatherRows(h, [1]);
    expect(gh.type).toBe('float16');
    expect(Array.from(gh.data as Uint16Array)).toEqual([3, 4]);
  });
});

describe('loadCausalLm + recommendWithCausalLm on a tiny model folder with a training-format tokenizer', () => {
  it('loads offline, excludes unencodable names, decodes exact candidate names', async () => {
    const names = ['二甲双胍', '二甲双胍缓释片', '门冬胰岛素', '门冬胰岛素30', '阿托伐他汀', '氯吡格雷'];
    const chars = [...new Set([...names.slice(0, 5).join(''), ...'性别女年龄出院带药【】：\n'])];
    const tok = tinyTokenizerFiles(chars);
    const spec: TinyLmSpec = { vocabSize: tok.vocabSize, hidden: 8, maxPositions: 256, seed: 11 };
    const dir = mkdtempSync(join(tmpdir(), 'dischargerx-tinytok-'));
    mkdirSync(join(dir, 'onnx'));
    writeFileSync(join(dir, 'onnx', 'model.onnx'), tinyCausalLmOnnx(spec));
    writeFileSync(join(dir, 'config.json'), JSON.stringify(tinyCausalLmConfig(spec, 3)));
    writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify(tok.tokenizer));
    writeFileSync(join(dir, 'tokenizer_config.json'), JSON.stringify(tok.config));
    const { model, tokenizer } = await loadCausalLm(dir, { dtype: 'fp32' });
    expect(tokenizer.encode('<sep>', { add_special_tokens: false })).toEqual([4]);
    expect(tokenizer.encode('门冬', { add_special_tokens: false })).toHaveLength(2);
    for (const beamWidth of [1, 3]) {
      const res = await recommendWithCausalLm({
        model,
        tokenizer,
        prompt: '性别：女\n【出院带药】',
        candidates: names,
        options: { beamWidth, maxDrugs: 4 },
      });
      expect(res.trie.excluded).toEqual([{ index: 5, name: '氯吡格雷', reason: 'unk' }]);
      expect(res.tokens[0]).not.toBe(4);
      expect(res.drugs.length).toBeGreaterThan(0);
      for (const d of res.drugs) expect(names.slice(0, 5)).toContain(d.name);
      expect(new Set(res.drugs.map((d) => d.name)).size).toBe(res.drugs.length);
    }
  });
});

// ---- Part 2: the real exported model, when one exists -------------------------------------
const ROOT = resolve(import.meta.dirname, '../..');
function findModelDirs(): string[] {
  const out: string[] = [];
  const roots = [join(ROOT, 'models'), join(ROOT, 'training', 'tests', 'fixtures')];
  const walk = (dir: string, depth: number) => {
    if (depth > 3 || !existsSync(dir)) return;
    if (existsSync(join(dir, 'onnx', 'model.onnx')) && existsSync(join(dir, 'config.json')) && existsSync(join(dir, 'tokenizer.json'))) {
      out.push(dir);
      return;
    }
    for (const e of readdirSync(dir, { withFileTypes: true })) if (e.isDirectory()) walk(join(dir, e.name), depth + 1);
  };
  for (const r of roots) walk(r, 0);
  return out;
}
const MODEL_DIRS = findModelDirs();

describe('the shipped model folder', () => {
  it('exports new_key_values and shared-prefix inputs, so CPU backends keep the KV cache on the host and the prompt once', async () => {
    const dir = resolve(ROOT, 'models', 'dischargerx-small');
    const lm = await loadCausalLm(dir, { dtype: 'q8' });
    expect(lm.hostKv?.names).toHaveLength(8);
    expect(lm.hostKv).toMatchObject({ heads: 4, headDim: 32 });
    expect(lm.hostKv?.prefixNames).toEqual(lm.hostKv!.names.map((n) => n.replace('past_key_values', 'prefix_key_values')));
    await lm.model.dispose();
  });

  it('detects each graph generation by its input and output names', () => {
    const cfg = { num_key_value_heads: 4, head_dim: 32 };
    const past = ['past_key_values.0.key', 'past_key_values.0.value'];
    const base = ['input_ids', 'attention_mask', 'position_ids', ...past];
    const present = ['logits', 'present.0.key', 'present.0.value'];
    const newKv = ['new_key_values.0.key', 'new_key_values.0.value'];
    const prefix = ['prefix_key_values.0.key', 'prefix_key_values.0.value'];
    // Oldest (site models, the micro fixture): present.* only → transformers.js's forward.
    expect(hostKvLayout(base, present, cfg)).toBeNull();
    // Before the shared prefix: new_key_values → the slot arena with the prompt in every slot.
    expect(hostKvLayout(base, [...present, ...newKv], cfg)).toEqual({ names: past, heads: 4, headDim: 32, prefixNames: null });
    // Now: prefix inputs as well → the prompt fed once as the shared prefix.
    expect(hostKvLayout([...base, ...prefix], [...present, ...newKv], cfg)).toEqual({ names: past, heads: 4, headDim: 32, prefixNames: prefix });
    // Prefix inputs for only some layers are not a shared-prefix graph.
    expect(hostKvLayout([...base, prefix[0]!], [...present, ...newKv], cfg)?.prefixNames).toBeNull();
  });
});
const SKIP_REASON =
  'no exported model folder (models/NAME/ or training/tests/fixtures/**/ with config.json, tokenizer.json, onnx/model.onnx)';

describe('real exported model', () => {
  if (MODEL_DIRS.length === 0) it.skip(`skipped: ${SKIP_REASON}`, () => {});
  for (const dir of MODEL_DIRS) {
    it(`decodes candidate names with ${dir.slice(ROOT.length + 1)}`, async () => {
      const model = (await AutoModelForCausalLM.from_pretrained(dir, { dtype: 'fp32', device: 'cpu', local_files_only: true })) as PreTrainedModel;
      const tokenizer = await AutoTokenizer.from_pretrained(dir, { local_files_only: true });
      const candPath = [join(dir, 'candidates.json'), join(ROOT, 'training', 'tests', 'fixtures', 'tiny', 'candidates.json')].find(existsSync);
      expect(candPath, 'a candidates.json').toBeDefined();
      const raw = JSON.parse(readFileSync(candPath!, 'utf8')) as unknown;
      const candidates = (Array.isArray(raw) ? raw : ((raw as { names?: unknown[] }).names ?? [])).map((x) =>
        typeof x === 'string' ? x : String((x as { name: string }).name),
      );
      const prompt = '性别：女 年龄：60\n出院诊断：2型糖尿病;高血压\n【出院带药】';
      for (const beamWidth of [1, 3]) {
        const res = await recommendWithCausalLm({ model, tokenizer, prompt, candidates, options: { beamWidth, maxDrugs: 8 } });
        for (const d of res.drugs) expect(candidates).toContain(d.name);
        expect(res.steps).toBeGreaterThan(0);
      }
      // KV cache path == recompute path on the real graph (greedy)
      const promptIds = tokenizer.encode(prompt);
      const sep = tokenizer.encode('<sep>', { add_special_tokens: false })[0]!;
      const eos = tokenizer.encode('</s>', { add_special_tokens: false })[0]!;
      const trie = buildCandidateTrie(candidates, (s) => tokenizer.encode(s, { add_special_tokens: false }), {
        unkId: tokenizer.unk_token_id ?? null,
        reservedIds: [sep, eos],
      });
      const opts = { separatorId: sep, eosId: eos, beamWidth: 2, maxDrugs: 4 };
      const a = await decodeDrugList(createCausalLmStepModel(model), promptIds, trie, opts);
      const b = await decodeDrugList(recomputeOver(model), promptIds, trie, opts);
      expect(a.drugs.map((d) => d.name)).toEqual(b.drugs.map((d) => d.name));

      // PyTorch reference (exporter's reference.json): prompt logits and unconstrained greedy
      // tokens, reproduced through the KV-cache path with 2 duplicated beams.
      const refPath = join(dir, 'reference.json');
      if (existsSync(refPath)) {
        const ref = JSON.parse(readFileSync(refPath, 'utf8')) as {
          input_ids: number[];
          logits_all: number[][];
          greedy_new_tokens: number[];
        };
        const kv = createCausalLmStepModel(model);
        let out = await kv.start(ref.input_ids);
        expect(maxAbsDiff(out.logits[0]!, ref.logits_all[ref.logits_all.length - 1]!)).toBeLessThan(1e-3);
        let cache = await kv.selectBeams(out.cache, [0, 0]);
        let rows = [out.logits[0]!, out.logits[0]!];
        const argmax = (row: LogitsRow) => {
          let best = 0;
          for (let i = 1; i < row.length; i++) if (row[i]! > row[best]!) best = i;
          return best;
        };
        const got: number[] = [];
        for (let i = 0; i < ref.greedy_new_tokens.length; i++) {
          const t = argmax(rows[0]!);
          expect(argmax(rows[1]!)).toBe(t);
          got.push(t);
          out = await kv.step(cache, [t, t]);
          cache = out.cache;
          rows = out.logits;
        }
        expect(got).toEqual(ref.greedy_new_tokens);
      }

      // quantized variants load through loadCausalLm and decode exact names
      for (const [dtype, file] of [
        ['q8', 'model_quantized.onnx'],
        ['q4', 'model_q4.onnx'],
      ] as const) {
        if (!existsSync(join(dir, 'onnx', file))) continue;
        const q = await loadCausalLm(dir, { dtype });
        const res = await recommendWithCausalLm({ ...q, prompt, candidates, options: { beamWidth: 2, maxDrugs: 5 } });
        for (const d of res.drugs) expect(candidates).toContain(d.name);
        // The host-KV decoder (new_key_values outputs, each beam's cache in a fixed-capacity slot
        // of a reused arena, the unfilled tail masked) searches as transformers.js's forward with
        // present.* does: same drugs in the same order, same calls, the same numbers up to float
        // summation order (the masked tail shifts the softmax's sums in the last bits), also on
        // a second note through the same (reused) arena.
        if (q.hostKv) {
          for (const text of [prompt, '性别：男 年龄：47\n出院诊断：痛风;高尿酸血症;高血压\n【出院带药】']) {
            const options = { beamWidth: 4, maxDrugs: 10 };
            const viaForward = await recommendWithCausalLm({ model: q.model, tokenizer: q.tokenizer, prompt: text, candidates, options });
            const viaHost = await recommendWithCausalLm({ model: decodingModel(q), tokenizer: q.tokenizer, prompt: text, candidates, options });
            const shape = (r: typeof viaHost) => r.trajectory.map((d) => [d.name, d.index, d.position]);
            expect(shape(viaHost)).toEqual(shape(viaForward));
            viaHost.trajectory.forEach((d, i) => expect(d.confidence).toBeCloseTo(viaForward.trajectory[i]!.confidence, 5));
            expect(viaHost.stopProbabilities).toHaveLength(viaForward.stopProbabilities.length);
            viaHost.stopProbabilities.forEach((p, i) => expect(p).toBeCloseTo(viaForward.stopProbabilities[i]!, 5));
            expect(viaHost.steps).toBe(viaForward.steps);
          }
        }
      }
    });
  }
});
