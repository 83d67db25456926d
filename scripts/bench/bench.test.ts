import { describe, expect, it } from 'vitest';
import {
  REPORT_SCHEMA,
  computeRatios,
  loadPhaseRows,
  renderMarkdown,
  renderText,
  summarizeLatency,
  summarizeThroughput,
  toJson,
  type BenchReport,
  type LatencyRow,
  type LoadRow,
  type ThroughputRow,
} from './report.ts';
import { compareDecodes, verdict, type DecodeSample } from './decoder-compare.ts';
import { displayWidth, fmtMs, fmtRatio, markdownTable, percentile, ratio, summarize, textTable, throughput } from './stats.ts';

describe('percentile (nearest rank, as npm run predict)', () => {
  it('picks ranks, not interpolations', () => {
    const xs = [50, 10, 40, 20, 30];
    expect(percentile(xs, 50)).toBe(30);
    expect(percentile(xs, 95)).toBe(50);
    expect(percentile(xs, 100)).toBe(50);
    expect(percentile(xs, 1)).toBe(10);
    expect(percentile([1, 2, 3, 4], 50)).toBe(2);
    expect(percentile(Array.from({ length: 20 }, (_, i) => i + 1), 95)).toBe(19);
  });
  it('is NaN for no values, rejects p outside (0, 100], does not reorder its input', () => {
    expect(percentile([], 50)).toBeNaN();
    expect(() => percentile([1], 0)).toThrow(RangeError);
    expect(() => percentile([1], 101)).toThrow(RangeError);
    const xs = [3, 1, 2];
    percentile(xs, 50);
    expect(xs).toEqual([3, 1, 2]);
  });
  it('summarize gives n, p50, p95, mean, min, max', () => {
    expect(summarize([4, 1, 3, 2])).toEqual({ n: 4, p50: 2, p95: 4, mean: 2.5, min: 1, max: 4 });
    const empty = summarize([]);
    expect(empty.n).toBe(0);
    expect(empty.p50).toBeNaN();
  });
});

describe('ratio / throughput', () => {
  it('divides, and is null when not measurable', () => {
    expect(ratio(3, 2)).toBe(1.5);
    expect(ratio(1, 0)).toBeNull();
    expect(ratio(null, 2)).toBeNull();
    expect(ratio(2, undefined)).toBeNull();
    expect(ratio(Number.NaN, 2)).toBeNull();
    expect(throughput(100, 50_000)).toBe(2);
    expect(throughput(10, 0)).toBeNull();
  });
});

describe('formatting', () => {
  it('formats ms and ratios', () => {
    expect(fmtMs(12.345)).toBe('12.3');
    expect(fmtMs(1234.4)).toBe('1,234');
    expect(fmtMs(null)).toBe('—');
    expect(fmtMs(Number.NaN)).toBe('—');
    expect(fmtRatio(2.314)).toBe('2.31×');
    expect(fmtRatio(12.34)).toBe('12.3×');
    expect(fmtRatio(0.0456)).toBe('0.046×');
    expect(fmtRatio(null)).toBe('—');
  });
  it('pads text tables by display width (CJK = 2 columns), numbers right-aligned', () => {
    expect(displayWidth('ab')).toBe(2);
    expect(displayWidth('模型')).toBe(4);
    const t = textTable(['name', 'ms'], [['模型', '5'], ['x', '1,234']]).split('\n');
    expect(t).toEqual(['name     ms', '----  -----', '模型      5', 'x     1,234']);
  });
  it('writes Markdown tables with numeric columns right-aligned and pipes escaped', () => {
    expect(markdownTable(['a', 'b'], [['x|y', '1'], ['z', '—']])).toBe('| a | b |\n|---|---:|\n| x\\|y | 1 |\n| z | — |');
  });
});

const load: LoadRow[] = [
  {
    id: 'wasm',
    label: 'Chromium WASM q8',
    cold: {
      readyMs: 2000,
      loadMs: 1500,
      warmupMs: 300,
      phases: { workerStart: 120, download: 700, integrity: 40, runtimeInit: 900, session: 450, warmup: 300 },
      bytes: 4_200_000,
      backend: 'wasm',
      dtype: 'q8',
      cache: 'cached',
    },
    warm: {
      readyMs: 1000,
      loadMs: 600,
      warmupMs: 300,
      phases: { workerStart: 110, idbRead: 35.5, integrity: 20, runtimeInit: 250, session: 400, warmup: 300 },
      bytes: 0,
      backend: 'wasm',
      dtype: 'q8',
      cache: 'hit',
    },
  },
];
const latency: LatencyRow[] = [
  { id: 'node-q8', label: 'Node q8', samplesMs: [100, 200, 300, 400], steps: [10, 10, 10, 10] },
  { id: 'wasm-q8', label: 'WASM q8', samplesMs: [300, 500, 700, 900], steps: [10, 10, 10, 10], pageMs: [320, 520, 720, 920] },
  { id: 'node-q4', label: 'Node q4', samplesMs: [100, 300], steps: [10, 10] },
  { id: 'webgpu-q4', label: 'WebGPU q4', samplesMs: [1000, 3000], steps: [10, 10], pageMs: [1100, 3100] },
];
const tp: ThroughputRow[] = [
  { id: 'browser-batch', label: 'browser', records: 100, ms: 50_000, decodeMs: 40_000 },
  { id: 'node-batch', label: 'node', records: 100, ms: 25_000 },
];

describe('ratios from one run', () => {
  const r = computeRatios(load, latency, tp);
  const get = (name: string) => r.find((x) => x.name === name)?.value;
  it('compares latency on the same notes', () => {
    expect(get('WASM q8 / Node q8, p50 latency')).toBe(500 / 200);
    expect(get('WASM q8 / Node q8, p95 latency')).toBe(900 / 400);
    expect(get('WebGPU q4 / Node q4, p50 latency')).toBe(1000 / 100);
    // WebGPU ran 2 notes: WASM's first 2 (p50 = 300) are its reference.
    expect(get('WebGPU q4 / WASM q8, p50 latency')).toBe(1000 / 300);
  });
  it('warm/cold load and batch throughput', () => {
    expect(get('Chromium WASM q8: warm / cold load (page, click → ready)')).toBe(0.5);
    expect(get('Chromium WASM q8: warm / cold load (worker, fetch + session)')).toBe(0.4);
    expect(get('Chromium WASM batch / Node batch, records/s')).toBe(0.5);
  });
  it('leaves out ratios whose rows are missing', () => {
    const only = computeRatios([], latency.slice(0, 2), []);
    expect(only.map((x) => x.name)).toEqual(['WASM q8 / Node q8, p50 latency', 'WASM q8 / Node q8, p95 latency']);
  });
});

function report(): BenchReport {
  return {
    schema: REPORT_SCHEMA,
    date: '2026-01-02T03:04:05.000Z',
    command: 'npm run bench -- --notes 4',
    machine: { cpus: 2, cpuModel: 'Test CPU', memGiB: 8, platform: 'Linux x64', node: 'v20', chromium: '140.0', loadAvgStart: [1, 1, 1], loadAvgEnd: [2, 2, 2] },
    model: { id: 'm', version: 'v1', files: [{ dtype: 'q8', path: 'models/m/onnx/model_quantized.onnx', bytes: 4_100_000 }] },
    input: { source: 'data/cohort/test.jsonl', notes: 4, webgpuNotes: 2, batch: 100, skipped: [] },
    decoding: null,
    browser: { wasmThreads: 1, webgpuAdapter: 'SwiftShader', webgpuIsFallback: true },
    load,
    nodeLoad: [{ dtype: 'q8', loadMs: 400, warmupMs: 900 }],
    latency: latency.map(summarizeLatency),
    throughput: tp.map(summarizeThroughput),
    ratios: computeRatios(load, latency, tp),
    caveats: ['SwiftShader WebGPU timings are not representative of GPU hardware.'],
    errors: [],
  };
}

describe('report rendering', () => {
  it('summarises rows', () => {
    const w = summarizeLatency(latency[1]!);
    expect(w.summary.p50).toBe(500);
    expect(w.stepsMean).toBe(10);
    expect(w.msPerStepP50).toBe(50);
    expect(w.pageP50).toBe(520);
    const b = summarizeThroughput(tp[0]!);
    expect(b.recordsPerSecond).toBe(2);
    expect(b.decodeRecordsPerSecond).toBe(2.5);
    // Two engines side by side: each decoded half the records in its share of the summed time.
    const pool = summarizeThroughput({ ...tp[0]!, workers: 2, ms: 25_000, decodeMs: 80_000, memoryBefore: 2 ** 20, memoryDuring: 3 * 2 ** 20, memoryAfter: 2 ** 20 });
    expect(pool.recordsPerSecond).toBe(4);
    expect(pool.decodeRecordsPerSecond).toBe(2.5);
  });
  it('the batch row shows the engine workers, main-thread time per record and memory before → during → after', () => {
    const r = report();
    r.throughput = [summarizeThroughput({ ...tp[0]!, workers: 2, mainThreadMs: 3_000, memoryBefore: 2 ** 20, memoryDuring: 3 * 2 ** 20, memoryAfter: 2 ** 20 })];
    expect(renderText(r)).toMatch(/browser\s+2\s+100\s+50\.0\s+2\.00\s+5\.00\s+30\.0\s+1\.0 → 3\.0 → 1\.0/);
    r.throughput = [summarizeThroughput({ ...tp[0]!, workers: 2, enginesKept: 1 })];
    expect(renderText(r)).toMatch(/browser\s+2 → 1\s+100/);
  });
  it('prints the header (machine, date, model, notes) and every table', () => {
    const text = renderText(report());
    expect(text).toContain('2 × Test CPU (os.cpus())');
    expect(text).toContain('2026-01-02T03:04:05.000Z');
    expect(text).toContain('model: m version v1');
    expect(text).toContain('notes: 4 for WASM and Node q8, 2 for WebGPU and Node q4, 100 records');
    expect(text).toMatch(/Chromium WASM q8\s+2,000\s+1,000\s+0\.50×/);
    expect(text).toMatch(/WASM q8\s+4\s+500\s+900\s+600/);
    expect(text).toContain('2.50×'); // WASM / Node p50
    expect(text).toContain('not representative of GPU hardware');
    expect(text).toContain('q8 400 ms load + 900 ms warm-up');
    expect(text).toContain('same 4 notes');
  });
  it('lists the load phases cold vs warm, in load order, a phase neither load ran left out', () => {
    const rows = loadPhaseRows(load);
    expect(rows.map((r) => r[0])).toEqual(['workerStart', 'idbRead', 'integrity', 'download', 'runtimeInit', 'session', 'warmup', 'click → ready (page)']);
    expect(rows.find((r) => r[0] === 'idbRead')).toEqual(['idbRead', '—', '35.5']);
    expect(rows.find((r) => r[0] === 'runtimeInit')).toEqual(['runtimeInit', '900', '250']);
    expect(rows.at(-1)).toEqual(['click → ready (page)', '2,000', '1,000']);
    expect(renderText(report())).toMatch(/phase\s+Chromium WASM q8 cold\s+Chromium WASM q8 warm\n[- ]+\nworkerStart\s+120\s+110\n/);
  });
  it('writes Markdown with a header table, the tables, and a link to the JSON', () => {
    const md = renderMarkdown(report());
    expect(md).toContain('[benchmark.json](benchmark.json)');
    expect(md).toContain('| machine | 2 × Test CPU (os.cpus()), 8.0 GiB RAM, Linux x64 |');
    expect(md).toContain('| model | `m` version `v1`');
    expect(md).toMatch(/\| WASM q8 \| 4 \| 500 \| 900 \|/);
    expect(md).toContain('## Notes');
  });
  it('JSON copy rounds numbers and turns NaN into null', () => {
    const j = toJson({ ...report(), latency: [summarizeLatency({ id: 'node-q8', label: 'x', samplesMs: [], steps: [] })] }) as BenchReport;
    expect(j.latency[0]!.summary.p50).toBeNull();
    expect((toJson({ a: 1.23456789 }) as { a: number }).a).toBe(1.235);
  });
});

describe('previous vs new decoder comparison', () => {
  const sample = (drugs: string[], score: number, calls: number, fedTokens: number, ms: number): DecodeSample => ({
    drugs,
    trajectory: drugs,
    score,
    calls,
    fedTokens,
    ms,
  });
  it('classifies each note: same set (order ignored), exact tie, strictly better or worse', () => {
    expect(verdict(sample(['a', 'b'], -3, 10, 9, 1), sample(['b', 'a'], -3.5, 5, 9, 1))).toBe('same');
    expect(verdict(sample(['a'], -3, 10, 9, 1), sample(['b'], -3, 5, 9, 1))).toBe('tie');
    expect(verdict(sample(['a'], -3, 10, 9, 1), sample(['b'], -2.5, 5, 9, 1))).toBe('better');
    expect(verdict(sample(['a'], -3, 10, 9, 1), sample(['a', 'b'], -3.5, 5, 9, 1))).toBe('worse');
  });
  it('summarises calls per note, tokens per call (after the prompt) and renders the section', () => {
    const pairs = [
      { previous: sample(['a'], -1, 11, 10, 100), next: sample(['a'], -1, 5, 10, 60) },
      { previous: sample(['a', 'b'], -2, 21, 20, 300), next: sample(['c'], -2, 11, 20, 200) },
    ];
    const c = compareDecodes(pairs);
    expect(c.notes).toBe(2);
    expect(c.sameDrugs).toBe(1);
    expect(c.verdicts).toEqual({ same: 1, tie: 1, better: 0, worse: 0 });
    expect(c.sameScore).toBe(2);
    expect(c.previous.callsMean).toBe(16);
    expect(c.previous.tokensPerCall).toBe(1); // 30 tokens over 30 calls after the prompts
    expect(c.next.callsMean).toBe(8);
    expect(c.next.tokensPerCall).toBe(30 / 14);
    const text = renderText({ ...report(), decoderComparison: c, threads: [
      { threads: 1, effective: 1, prefillMs: 400, stepMs: 60, jumpMs: 70 },
      { threads: 2, effective: 2, prefillMs: 250, stepMs: 40, jumpMs: 45 },
    ] });
    expect(text).toMatch(/previous\s+2\s+100\s+300\s+16\.0\s+1\.00/);
    expect(text).toMatch(/new\s+2\s+60\.0\s+200\s+8\.0\s+2\.14/);
    expect(text).toContain('1 / 2 (50.0%)');
    expect(text).toMatch(/2\s+2\s+250\s+40\.0\s+45\.0\s+0\.67×/);
  });
});
