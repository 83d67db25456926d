/**
 * `predict --method model`, `calibrate` and `model-report` end to end on the random-weight
 * micro-model fixture (training/tests/fixtures/micro-model) and the tiny cohort: spawned as
 * real processes so exit codes and stderr are what a user sees. The fixture is copied to a
 * temp folder first, so calibrate's decoding.json never lands in the repository.
 * The micro-model's predictions are garbage; the tests check contracts, not quality.
 */
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDecodingConfig } from '../src/decoding/decoding-config.ts';
import { Formulary } from '../src/clinical/formulary.ts';
import { percentile, resolveSettings } from './model-method.ts';
import { chooseInBand, eachSourceWithin, parseRatioBand, sourceExcess, SOURCE_BAND_DEFAULT } from './calibrate.ts';
import type { CalibrationResult } from '../src/decoding/threshold.ts';

const ROOT = resolve(import.meta.dirname, '..');
const MICRO = join(ROOT, 'training', 'tests', 'fixtures', 'micro-model');
const TINY = join(ROOT, 'training', 'tests', 'fixtures', 'tiny');
const CANDIDATES = join(TINY, 'candidates.json');
const CANDIDATE_NAMES = JSON.parse(readFileSync(CANDIDATES, 'utf8')) as string[];

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(script: 'predict' | 'calibrate' | 'model-report', args: string[]): Promise<Run> {
  return new Promise((res) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', join(ROOT, 'cli', `${script}.ts`), ...args],
      { cwd: ROOT, env: { ...process.env, DISCHARGERX_DEBUG: '' }, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        res({ code, stdout, stderr });
      },
    );
  });
}

function expectOneLineError(r: Run, code: number, ...parts: string[]): void {
  expect(r.code, r.stderr).toBe(code);
  const lines = r.stderr.split('\n').filter((l) => l.trim() !== '');
  expect(lines, r.stderr).toHaveLength(1);
  expect(r.stderr).not.toMatch(/^\s+at /m);
  for (const p of parts) expect(lines[0]).toContain(p);
}

let dir: string;
let model: string;
const p = (name: string) => join(dir, name);

function readSubmission(path: string): { ID: string; prediction: string[] }[] {
  const sub = JSON.parse(readFileSync(path, 'utf8')) as { ID: string; prediction: string[] }[];
  expect(Array.isArray(sub)).toBe(true);
  for (const e of sub) {
    expect(typeof e.ID).toBe('string');
    expect(Array.isArray(e.prediction)).toBe(true);
    expect(new Set(e.prediction).size).toBe(e.prediction.length);
  }
  return sub;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'dischargerx-model-cli-'));
  model = p('micro');
  cpSync(MICRO, model, { recursive: true });
  rmSync(join(model, 'decoding.json'), { force: true });
  mkdirSync(p('noconfig'));
  writeFileSync(p('noconfig/tokenizer.json'), '{}');
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('predict --method model (micro-model fixture)', () => {
  const base = ['--in', join(TINY, 'test.jsonl'), '--method', 'model', '--candidates', CANDIDATES, '--limit', '8'];

  it('writes a valid submission of candidate names only and prints latency p50/p95, load time and dtype', async () => {
    const r = await run('predict', [...base, '--out', p('pred.json'), '--model', model]);
    expect(r.code, r.stderr).toBe(0);
    const sub = readSubmission(p('pred.json'));
    expect(sub).toHaveLength(8);
    const names = sub.flatMap((e) => e.prediction);
    expect(names.length).toBeGreaterThan(0);
    for (const n of names) expect(CANDIDATE_NAMES).toContain(n);
    expect(r.stderr).toMatch(/latency per record: p50 [\d.]+ ms, p95 [\d.]+ ms/);
    expect(r.stderr).toMatch(/dtype q8 .*model_quantized\.onnx.*load \d+ ms/);
    expect(r.stderr).toMatch(/input is labelled: score [\d.]+/);
    expect(r.stderr).toContain('stopThreshold none (default)');
  });

  it('with the bundled formulary (no --candidates) every name is a formulary entry', async () => {
    const r = await run('predict', ['--in', join(TINY, 'test.jsonl'), '--method', 'model', '--limit', '3', '--out', p('pred-bundled.json'), '--model', model]);
    expect(r.code, r.stderr).toBe(0);
    const names = readSubmission(p('pred-bundled.json')).flatMap((e) => e.prediction);
    expect(names.length).toBeGreaterThan(0);
    const f = Formulary.bundled();
    for (const n of names) expect(f.has(n), n).toBe(true);
    // the micro-model's 368-token vocabulary cannot spell most formulary names: reported, not hidden
    expect(r.stderr).toMatch(/\d+ of \d+ candidate names cannot be written by this tokenizer/);
  });

  it.each(['fp32', 'q4'])('decodes the %s variant', async (dtype) => {
    const r = await run('predict', [...base, '--limit', '3', '--out', p(`pred-${dtype}.json`), '--model', model, '--dtype', dtype, '--beam', '2']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`dtype ${dtype}`);
    expect(r.stderr).toContain('beam 2 (flag)');
    for (const n of readSubmission(p(`pred-${dtype}.json`)).flatMap((e) => e.prediction)) expect(CANDIDATE_NAMES).toContain(n);
  });

  it('--threshold: a higher stop threshold never gives more drugs on the same record (greedy)', async () => {
    const counts: number[][] = [];
    for (const t of ['0', '0.1', '0.3', '0.6', '1']) {
      const out = p(`pred-t${t}.json`);
      const r = await run('predict', [...base, '--limit', '5', '--out', out, '--model', model, '--beam', '1', '--threshold', t]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain(`stopThreshold ${Number(t)} (flag)`);
      counts.push(readSubmission(out).map((e) => e.prediction.length));
    }
    for (let i = 1; i < counts.length; i++) {
      counts[i]!.forEach((n, rec) => expect(n, `record ${rec}, threshold step ${i}`).toBeLessThanOrEqual(counts[i - 1]![rec]!));
    }
    // t = 0 never stops early, t = 1 stops after the first drug: the knob really moves the count
    expect(counts[0]!.reduce((a, b) => a + b, 0)).toBeGreaterThan(counts[counts.length - 1]!.reduce((a, b) => a + b, 0));
    for (const n of counts[counts.length - 1]!) expect(n).toBe(1);
  });

  it('bad --model path: one clear error line, exit 1', async () => {
    const missing = await run('predict', [...base, '--out', p('x.json'), '--model', p('nope')]);
    expectOneLineError(missing, 1, 'nope', 'model folder not found');
    const noConfig = await run('predict', [...base, '--out', p('x.json'), '--model', p('noconfig')]);
    expectOneLineError(noConfig, 1, 'noconfig', 'no config.json');
    const noFp16 = await run('predict', [...base, '--out', p('x.json'), '--model', model, '--dtype', 'fp16']);
    expectOneLineError(noFp16, 1, 'model_fp16.onnx', 'not found', 'available dtypes: fp32, q8, q4');
    expect(existsSync(p('x.json'))).toBe(false);
  });

  it('flag errors are usage errors (exit 2)', async () => {
    expectOneLineError(await run('predict', [...base, '--out', p('x.json'), '--model', model, '--dtype', 'int3']), 2, '--dtype');
    expectOneLineError(await run('predict', [...base, '--out', p('x.json'), '--model', model, '--threshold', '1.5']), 2, '--threshold');
    expectOneLineError(await run('predict', [...base, '--out', p('x.json'), '--model', model, '--beam', '0']), 2, '--beam');
    expectOneLineError(await run('predict', [...base, '--out', p('x.json'), '--limit', '-1']), 2, '--limit');
    expectOneLineError(
      await run('predict', ['--in', join(TINY, 'test.jsonl'), '--out', p('x.json'), '--method', 'mention', '--beam', '2']),
      2,
      '--beam applies to --method model only',
    );
  });
});

describe('calibrate → decoding.json → predict', () => {
  it('writes decoding.json with a threshold from the grid, and predict reads it', async () => {
    const r = await run('calibrate', ['--model', model, '--dev', join(TINY, 'dev.jsonl'), '--candidates', CANDIDATES, '--limit', '10', '--beam', '1']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/t=0\.50 +score [\d.]+ +mean_pred [\d.]+ \/ mean_gold [\d.]+ = [\d.]+/);
    expect(r.stderr).toMatch(/chosen.*ratio [\d.]+/);
    const cfg = parseDecodingConfig(JSON.parse(readFileSync(join(model, 'decoding.json'), 'utf8')));
    const onGrid = (x: number, step: number, max: number) => x >= 0 && x <= max + 1e-9 && Math.abs(x / step - Math.round(x / step)) < 1e-6;
    expect(onGrid(cfg.stopThreshold, 0.02, 0.98)).toBe(true);
    expect(onGrid(cfg.minConfidence, 0.05, 0.5)).toBe(true);
    expect(cfg.beamWidth).toBe(1);
    expect(cfg.calibratedOn).toMatchObject({ visits: 10, dtype: 'q8', exact: true });
    expect(cfg.calibratedOn!.meanGold).toBeGreaterThan(0);

    const pr = await run('predict', ['--in', join(TINY, 'dev.jsonl'), '--out', p('pred-cal.json'), '--method', 'model', '--model', model, '--candidates', CANDIDATES, '--limit', '10']);
    expect(pr.code, pr.stderr).toBe(0);
    expect(pr.stderr).toContain(`beam 1 (decoding.json), stopThreshold ${cfg.stopThreshold} (decoding.json), minConfidence ${cfg.minConfidence} (decoding.json)`);
    // greedy calibration is exact: predict on the same records reproduces the calibrated score
    const score = Number(/input is labelled: score ([\d.]+)/.exec(pr.stderr)?.[1]);
    expect(score).toBeCloseTo(cfg.calibratedOn!.score, 3);
    // the flag still overrides the file
    const over = await run('predict', ['--in', join(TINY, 'dev.jsonl'), '--out', p('pred-over.json'), '--method', 'model', '--model', model, '--candidates', CANDIDATES, '--limit', '2', '--threshold', '0.9']);
    expect(over.code, over.stderr).toBe(0);
    expect(over.stderr).toContain('stopThreshold 0.9 (flag)');
  });

  it('--site-dev pools a site file with the dev visits, weighted to count the same, and records it', async () => {
    const out = p('decoding-site.json');
    const site = join(TINY, 'test.jsonl');
    const siteVisits = readFileSync(site, 'utf8').split('\n').filter((l) => l.trim() !== '').length;
    const r = await run('calibrate', ['--model', model, '--dev', join(TINY, 'dev.jsonl'), '--candidates', CANDIDATES, '--limit', '6', '--beam', '1', '--site-dev', site, '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`${siteVisits} visits pooled with the dev visits`);
    expect(r.stderr).toMatch(/at the chosen cut, .*dev\.jsonl: score [\d.]+/);
    expect(r.stderr).toMatch(/at the chosen cut, .*test\.jsonl: score [\d.]+/);
    const cfg = parseDecodingConfig(JSON.parse(readFileSync(out, 'utf8')));
    expect(cfg.calibratedOn!.site).toEqual({ file: site, visits: siteVisits, weight: Math.round((6 / siteVisits) * 1e4) / 1e4 });
    expectOneLineError(await run('calibrate', ['--model', model, '--dev', join(TINY, 'dev.jsonl'), '--site-weight', '2']), 2, '--site-weight needs --site-dev');
  });

  it('--site-dev reads several files joined by commas as one site', async () => {
    const out = p('decoding-sites.json');
    const sites = [join(TINY, 'test.jsonl'), join(TINY, 'dev.jsonl')];
    const visits = sites.map((f) => readFileSync(f, 'utf8').split('\n').filter((l) => l.trim() !== '').length).reduce((a, b) => a + b, 0);
    const r = await run('calibrate', ['--model', model, '--dev', join(TINY, 'dev.jsonl'), '--candidates', CANDIDATES, '--limit', '6', '--beam', '1', '--site-dev', sites.join(','), '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`${visits} visits pooled with the dev visits`);
    expect(parseDecodingConfig(JSON.parse(readFileSync(out, 'utf8'))).calibratedOn!.site).toEqual({ file: sites.join(','), visits, weight: Math.round((6 / visits) * 1e4) / 1e4 });
    expectOneLineError(await run('calibrate', ['--model', model, '--dev', join(TINY, 'dev.jsonl'), '--site-dev', `${sites[0]},`]), 1, '--site-dev has an empty path');
  });

  it('bad model path: one line, exit 1', async () => {
    expectOneLineError(await run('calibrate', ['--model', p('nope'), '--dev', join(TINY, 'dev.jsonl')]), 1, 'model folder not found');
  });
});

describe('model-report', () => {
  it('scores the baselines and every present dtype, all names candidates, and writes JSON', async () => {
    const out = p('metrics.json');
    const r = await run('model-report', [
      '--model', model, '--test', join(TINY, 'test.jsonl'), '--train', join(TINY, 'train.jsonl'), '--dev', join(TINY, 'dev.jsonl'),
      '--candidates', CANDIDATES, '--limit', '4', '--dtypes', 'q8,fp16', '--beam', '1', '--out', out,
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('skipping dtypes without weights');
    expect(r.stdout).toMatch(/^\| method \/ dtype \| Jaccard \| precision \| recall \| F1 \| score \| mean pred \| mean true \| pred\/true \| latency p50 \/ p95 ms \| file MB/m);
    for (const m of ['frequency', 'cooccurrence', 'mention', 'model (q8)']) expect(r.stdout).toContain(`| ${m}`);
    expect(r.stdout).not.toContain('model (fp16)');
    expect(r.stdout).toContain('= 100.00%');
    type Row = { method: string; dtype?: string; n: number; latencyP50Ms?: number; latencyP95Ms?: number; fileMB?: number; fileBytes?: number; ruleViolations?: number };
    const json = JSON.parse(readFileSync(out, 'utf8')) as { candidatePercent: number; safetyViolations: number; sets: { name: string; rows: Row[] }[] };
    expect(json.candidatePercent).toBe(100);
    expect(json.sets.map((x) => x.name)).toEqual(['test']);
    const rows = json.sets[0]!.rows;
    expect(rows.map((x) => x.dtype ?? x.method)).toEqual(['frequency', 'cooccurrence', 'mention', 'mention+cooccurrence', 'q8']);
    expect(rows.every((x) => x.ruleViolations === 0)).toBe(true);
    expect(json.safetyViolations).toBe(0);
    const q8 = rows[4]!;
    expect(q8.n).toBe(4);
    expect(q8.latencyP95Ms!).toBeGreaterThanOrEqual(q8.latencyP50Ms!);
    expect(q8.fileBytes).toBe(readFileSync(join(model, 'onnx', 'model_quantized.onnx')).length);
    expect(q8.fileMB!).toBeCloseTo(q8.fileBytes! / 1e6, 3);
  });
});

describe('helpers', () => {
  it('percentile is nearest-rank', () => {
    expect(percentile([5, 1, 4, 2, 3], 50)).toBe(3);
    expect(percentile([1, 2, 3, 4], 50)).toBe(2);
    expect(percentile(Array.from({ length: 20 }, (_, i) => i + 1), 95)).toBe(19);
    expect(percentile([7], 95)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
  });

  it('settings: flags over decoding.json over defaults', () => {
    expect(resolveSettings(null, {}).settings).toEqual({ beamWidth: 4, stopThreshold: undefined, minConfidence: 0, minDrugs: 1 });
    const cfg = { version: 'dischargerx-decoding-1', stopThreshold: 0.3, minConfidence: 0.1, beamWidth: 2 };
    expect(resolveSettings(cfg, {}).settings).toMatchObject({ beamWidth: 2, stopThreshold: 0.3, minConfidence: 0.1 });
    const o = resolveSettings(cfg, { stopThreshold: 0.7, beamWidth: 1 });
    expect(o.settings).toMatchObject({ beamWidth: 1, stopThreshold: 0.7, minConfidence: 0.1 });
    expect(o.source).toEqual({ beamWidth: 'flag', stopThreshold: 'flag', minConfidence: 'decoding.json' });
  });

  it('ratio band: best score inside the band, else the overall best', () => {
    const res: CalibrationResult = {
      stopThreshold: 0,
      minConfidence: 0,
      score: 0.5,
      meanPredicted: 20,
      meanGold: 10,
      ratio: 2,
      exact: true,
      curve: [
        { stopThreshold: 0, minConfidence: 0, score: 0.5, meanPredicted: 20 },
        { stopThreshold: 0.2, minConfidence: 0, score: 0.45, meanPredicted: 11 },
        { stopThreshold: 0.4, minConfidence: 0, score: 0.45, meanPredicted: 10 },
        { stopThreshold: 0.6, minConfidence: 0, score: 0.3, meanPredicted: 9 },
      ],
    };
    const { result, inBand } = chooseInBand(res, parseRatioBand(undefined));
    expect(inBand).toBe(true);
    expect(result).toMatchObject({ stopThreshold: 0.4, score: 0.45, ratio: 1 });
    expect(chooseInBand(res, null).result.stopThreshold).toBe(0);
    expect(chooseInBand(res, [3, 4])).toMatchObject({ inBand: false, result: { stopThreshold: 0 } });
    expect(() => parseRatioBand('1.2,0.8')).toThrow(/ratio-band/);
    expect(() => parseRatioBand('x', '--source-band')).toThrow(/^--source-band must be/);
  });

  it('each source must keep its own ratio in the source band: a pooled ratio near 1 can hide a split', () => {
    const curve = (preds: number[]) => [0.1, 0.2, 0.3].map((t, i) => ({ stopThreshold: t, minConfidence: 0, score: 0, meanPredicted: preds[i]! }));
    const source = (meanGold: number, preds: number[]): CalibrationResult => ({ stopThreshold: 0, minConfidence: 0, score: 0, meanPredicted: 0, meanGold, ratio: 0, exact: false, curve: curve(preds) });
    // synthetic visits want a low cut, a site's notes a higher one
    const synthetic = source(10, [10, 9.4, 8.8]); // 1.00, 0.94, 0.88
    const site = source(5, [5.6, 5.3, 5.0]); // 1.12, 1.06, 1.00
    const pooled: CalibrationResult = {
      stopThreshold: 0, minConfidence: 0, score: 0, meanPredicted: 0, meanGold: 7.5, ratio: 0, exact: false,
      curve: [
        { stopThreshold: 0.1, minConfidence: 0, score: 0.6, meanPredicted: 7.8 },
        { stopThreshold: 0.2, minConfidence: 0, score: 0.62, meanPredicted: 7.35 },
        { stopThreshold: 0.3, minConfidence: 0, score: 0.65, meanPredicted: 6.9 },
      ],
    };
    const band = parseRatioBand('0.9,1.1');
    expect(chooseInBand(pooled, band).result.stopThreshold).toBe(0.3); // pooled 0.92 is in band, synthetic is at 0.88
    const both = chooseInBand(pooled, band, eachSourceWithin([synthetic, site], parseRatioBand(SOURCE_BAND_DEFAULT)));
    expect(both).toMatchObject({ inBand: true, result: { stopThreshold: 0.2, score: 0.62 } });
    expect(chooseInBand(pooled, band, eachSourceWithin([synthetic, site], null)).result.stopThreshold).toBe(0.3);
    // No cut keeps both within 0.97–1.03: the one that comes closest (0.2: 0.94 and 1.06) is kept.
    expect(chooseInBand(pooled, band, eachSourceWithin([synthetic, site], [0.97, 1.03])).result.stopThreshold).toBe(0.2);
    expect(sourceExcess([synthetic, site], [0.97, 1.03])({ stopThreshold: 0.1, minConfidence: 0 })).toBeCloseTo(0.09, 9);
  });
});
