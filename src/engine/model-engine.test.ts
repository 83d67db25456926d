/**
 * ModelEngine in Node over the REAL shipped model (models/dischargerx-small, q8, onnxruntime-node
 * as the CLI loads it): load through the backend plan, the one decoding policy (identical drugs to
 * the CLI's decodeRecords, record by record), the candidate list set once, errors as EngineError,
 * the WebGPU → WASM fallback from the one plan, and an altered copy of the folder refused by both
 * the engine and the CLI loader (manifest.json, src/model-folder).
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeRecords, loadModel, readDecodingConfig, readFusionWeights, resolveModelFolder, resolveSettings, type LoadedModel } from '../../cli/model-method.ts';
import { mapCandidateList } from '../clinical/candidate-list.ts';
import { Formulary } from '../clinical/formulary.ts';
import type { CDrugRedRecord } from '../clinical/record.ts';
import { safetyFormulary } from '../clinical/withhold.ts';
import { cutSettings, cutTrajectory } from '../decoding/policy.ts';
import { parseDecodingConfig } from '../decoding/decoding-config.ts';
import { MANIFEST_FILE, parseManifest } from '../model-folder/format.ts';
import { EngineError } from './errors.ts';
import { ModelEngine, type EngineHost } from './model-engine.ts';
import { nodeHost } from './node-host.ts';
import { TIMED_LOAD_PHASES, type LoadProgress } from './protocol.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
const MODELS = join(ROOT, 'models');
const MODEL_ID = 'dischargerx-small';
const DIR = join(MODELS, MODEL_ID);
const RECORDS: CDrugRedRecord[] = readFileSync(join(ROOT, 'training/tests/fixtures/tiny/train.jsonl'), 'utf8')
  .split('\n')
  .filter((l) => l.trim())
  .slice(0, 6)
  .map((l) => JSON.parse(l) as CDrugRedRecord);
const spec = { modelId: MODEL_ID, baseUrl: '', backend: 'wasm' as const, dtype: 'q8' as const };
const signal = () => new AbortController().signal;

let engine: ModelEngine;
const progress: LoadProgress[] = [];

beforeAll(async () => {
  engine = new ModelEngine(nodeHost(MODELS));
  await engine.load(spec, { signal: signal(), onProgress: (p) => progress.push(p) });
}, 180_000);

afterAll(async () => {
  await engine?.dispose();
});

describe('ModelEngine over the shipped model (Node, onnxruntime-node)', () => {
  it('loads through the backend plan: WASM entry (CPU here), q8, calibrated from decoding.json, warm-up run', () => {
    const info = engine.info!;
    expect(info).toMatchObject({ modelId: MODEL_ID, backend: 'wasm', dtype: 'q8', reason: { code: 'forced-wasm' }, calibrated: true });
    const cfg = parseDecodingConfig(JSON.parse(readFileSync(join(DIR, 'decoding.json'), 'utf8')), 'decoding.json');
    expect(info.decoding).toMatchObject({ stopThreshold: cfg.stopThreshold, minConfidence: cfg.minConfidence, beamWidth: cfg.beamWidth });
    expect(info.candidateReport?.total).toBe(Formulary.bundled().names.length);
    expect(info.candidateReport?.usable).toBeGreaterThan(0);
    expect(info.warmupMs).toBeGreaterThan(0);
    expect(progress.map((p) => p.phase)).toEqual(['probe', 'warmup']);
  });

  it('reports the load step by step (loadPhases): the steps this host ran, named, plain data, consistent with loadMs / warmupMs', () => {
    const info = engine.info!;
    const phases = info.loadPhases;
    expect(JSON.parse(JSON.stringify(phases))).toEqual(phases); // crosses postMessage as is
    for (const name of Object.keys(phases)) expect(TIMED_LOAD_PHASES).toContain(name);
    // Node: the manifest check, decoding.json + fusion.json, model + tokenizer side by side, the trie, the warm-up.
    expect(Object.keys(phases).sort()).toEqual(['calibration', 'integrity', 'session', 'tokenizer', 'trie', 'warmup']);
    for (const name of ['integrity', 'session', 'tokenizer', 'trie', 'warmup'] as const) expect(phases[name]).toBeGreaterThan(0);
    // No probe on a WASM choice, no worker boot in Node.
    expect(phases.probe).toBeUndefined();
    expect(phases.workerStart).toBeUndefined();
    expect(phases.warmup).toBeCloseTo(info.warmupMs, 0);
    // The host's steps run one after another (model ‖ tokenizer): together they fit in loadMs.
    expect(phases.integrity! + phases.calibration! + Math.max(phases.session!, phases.tokenizer!)).toBeLessThanOrEqual(info.loadMs + 0.5);
  });

  it('recommends with the one policy: the same drugs as the CLI (predict --method model) record by record, and the page re-cut of the trajectory gives them back', async () => {
    const folder = resolveModelFolder(DIR, 'q8');
    const { settings } = resolveSettings(await readDecodingConfig(DIR), {});
    settings.safety = true;
    settings.fusion = await readFusionWeights(DIR);
    expect(settings.fusion).not.toBeNull(); // the shipped folder fuses: the engine must too
    // Exactly what `predict --method model` builds (cli/predict.ts + the model method).
    const mapping = mapCandidateList(Formulary.bundled().names);
    const loaded: LoadedModel = await loadModel(folder);
    let cli;
    try {
      cli = await decodeRecords(loaded, RECORDS, mapping.formulary.names, settings, { formulary: safetyFormulary(mapping.formulary) });
    } finally {
      await loaded.dispose();
    }
    const cut = cutSettings(engine.info!.decoding);
    let drugs = 0;
    for (const [i, record] of RECORDS.entries()) {
      const r = await engine.recommend(record as unknown as Record<string, unknown>, { signal: signal() });
      const names = r.drugs.map((d) => d.name);
      expect(names, `record ${i}`).toEqual(cli.results[i]!.drugs.map((d) => d.name));
      expect(r.applied).toEqual(cut);
      // What the recommend page does with the returned trajectory at the default cut.
      expect(cutTrajectory(r, cut).map((d) => d.name)).toEqual(names);
      expect(r.trajectory.length).toBeGreaterThanOrEqual(names.length);
      drugs += names.length;
    }
    expect(drugs).toBeGreaterThan(0);
  }, 300_000);

  it('the candidate list is set once and every later request decodes over it', async () => {
    const list = ['二甲双胍', '阿卡波糖', '阿托伐他汀', '氨氯地平'];
    const report = engine.setCandidates(list)!;
    expect(report).toMatchObject({ total: 4, usable: 4 });
    try {
      const r = await engine.recommend(RECORDS[0] as unknown as Record<string, unknown>);
      expect(r.candidates.total).toBe(4);
      for (const d of r.trajectory) expect(list).toContain(d.name);
      expect(engine.inspect()).toEqual(report);
      // A list the tokenizer can write none of is refused with a typed error.
      engine.setCandidates(['\u{1F9EA}\u{1F9EA}']);
      await expect(engine.recommend(RECORDS[0] as unknown as Record<string, unknown>)).rejects.toMatchObject({ code: 'no-candidates' });
      expect(() => engine.setCandidates([42 as unknown as string])).toThrow(EngineError);
    } finally {
      engine.setCandidates(null);
    }
    expect(engine.inspect().total).toBe(Formulary.bundled().names.length);
  }, 120_000);

  it('typed errors: aborted, invalid record, not loaded', async () => {
    const ac = new AbortController();
    ac.abort();
    await expect(engine.recommend(RECORDS[0] as unknown as Record<string, unknown>, { signal: ac.signal })).rejects.toMatchObject({ code: 'aborted' });
    await expect(engine.recommend(null as unknown as Record<string, unknown>)).rejects.toMatchObject({ code: 'invalid-request' });
    const fresh = new ModelEngine(nodeHost(MODELS));
    await expect(fresh.recommend({})).rejects.toBeInstanceOf(EngineError);
    await expect(fresh.recommend({})).rejects.toMatchObject({ code: 'not-loaded' });
  });

  it('WebGPU failing at load → webgpu-failed carrying the plan’s WASM attempt (one plan, no second copy)', async () => {
    const node = nodeHost(MODELS);
    const host: EngineHost = {
      ...node,
      probe: () =>
        Promise.resolve({
          available: true,
          adapter: { vendor: 'x', architecture: 'y', device: 'z', description: 'test GPU', shaderF16: false, isFallback: false },
        }),
      open: (attempt, s, ctx) => (attempt.backend === 'webgpu' ? Promise.reject(new Error('no WebGPU in Node')) : node.open(attempt, s, ctx)),
    };
    const logs: string[] = [];
    const e = new ModelEngine(host, (ev) => ev.kind === 'log' && logs.push(ev.message));
    const err = await e.load({ ...spec, backend: 'auto', dtype: undefined }, { signal: signal(), onProgress: () => undefined }).catch((x: unknown) => x);
    expect(err).toBeInstanceOf(EngineError);
    expect(err).toMatchObject({ code: 'webgpu-failed', fallback: { backend: 'wasm', dtype: 'q8', reason: { code: 'webgpu-session-failed' } } });
    expect(logs.join('\n')).toMatch(/falling back to WASM/);
  });

  it('missing model folder → model-not-found', async () => {
    const e = new ModelEngine(nodeHost(MODELS));
    await expect(e.load({ ...spec, modelId: 'no-such-model' }, { signal: signal(), onProgress: () => undefined })).rejects.toMatchObject({
      code: 'model-not-found',
    });
  });
});

describe('integrity: an altered copy of the model folder is refused', () => {
  let copy: string;
  beforeAll(() => {
    const root = mkdtempSync(join(tmpdir(), 'dischargerx-altered-'));
    copy = join(root, MODEL_ID);
    mkdirSync(join(copy, 'onnx'), { recursive: true });
    const manifest = parseManifest(JSON.parse(readFileSync(join(DIR, MANIFEST_FILE), 'utf8')));
    for (const f of [MANIFEST_FILE, 'decoding.json', ...manifest.files.map((x) => x.path).filter((p) => !p.startsWith('onnx/'))]) {
      copyFileSync(join(DIR, f), join(copy, f));
    }
    // 30,000 bytes altered in the middle of the q8 weights: the file still parses as ONNX.
    const w = readFileSync(join(DIR, 'onnx/model_quantized.onnx'));
    const mid = Math.floor(w.length / 2);
    for (let i = mid; i < mid + 30_000; i++) w[i] = w[i]! ^ 0x5a;
    writeFileSync(join(copy, 'onnx/model_quantized.onnx'), w);
  });
  afterAll(() => rmSync(resolve(copy, '..'), { recursive: true, force: true }));

  it('by the CLI loader (predict / calibrate / model-report)', async () => {
    await expect(loadModel(resolveModelFolder(copy, 'q8'))).rejects.toThrow(/integrity check failed: onnx\/model_quantized\.onnx: SHA-256/);
  });

  it('by the ModelEngine (load-failed, the file named)', async () => {
    const e = new ModelEngine(nodeHost(resolve(copy, '..')));
    const err = await e.load(spec, { signal: signal(), onProgress: () => undefined }).catch((x: unknown) => x);
    expect(err).toBeInstanceOf(EngineError);
    expect(err).toMatchObject({ code: 'load-failed' });
    expect((err as Error).message).toMatch(/integrity check failed: onnx\/model_quantized\.onnx/);
  });
});
