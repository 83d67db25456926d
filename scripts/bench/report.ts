/**
 * The benchmark report of `npm run bench`: its JSON shape (docs/benchmark.json), the ratios
 * computed from one run's numbers, and the two renderings (stdout table, docs/benchmark.md).
 * Pure: no I/O, so the unit test (bench.test.ts) covers it.
 */
import { fmtBytes, fmtMs, fmtRate, fmtRatio, markdownTable, ratio, roundOrNull, summarize, textTable, type Summary } from './stats.ts';
import { TIMED_LOAD_PHASES, type LoadPhaseTimings } from '../../src/engine/protocol.ts';
import type { ComparisonSummary } from './decoder-compare.ts';
import type { ThreadsRow } from './threads.ts';

export const REPORT_SCHEMA = 'dischargerx-bench-1';

export type RuntimeId = 'node-q8' | 'wasm-q8' | 'webgpu-q4' | 'node-q4';

export interface LoadMeasurement {
  /** Page side: click "load model" → engine ready (fetch or IndexedDB read, session, warm-up decode), ms. */
  readyMs: number;
  /** Worker side (EngineInfo.loadMs): fetch or IndexedDB read + tokenizer + session creation, ms. */
  loadMs: number;
  /** Worker side (EngineInfo.warmupMs): the app's warm-up decode, ms. */
  warmupMs: number;
  /** Worker side (EngineInfo.loadPhases): the load step by step, ms. */
  phases: LoadPhaseTimings;
  /** Bytes the worker fetched from the server during the load (0 when everything came from IndexedDB). */
  bytes: number;
  backend: string;
  dtype: string;
  /** Last weight-cache notice of the load ('cached' = written, 'hit' = read from IndexedDB, …). */
  cache: string | null;
}

export interface LoadRow {
  id: 'wasm' | 'webgpu';
  label: string;
  cold: LoadMeasurement;
  warm: LoadMeasurement;
}

export interface LatencyRow {
  id: RuntimeId;
  label: string;
  /** Per-note decode time (prompt build + tokenisation + constrained search), ms, in note order. */
  samplesMs: number[];
  /** Model calls per note, in note order (null when not reported). */
  steps: (number | null)[];
  /** Browser rows: page round trip (click → list shown), ms, in note order. */
  pageMs?: number[];
}

export interface ThroughputRow {
  id: 'browser-batch' | 'node-batch';
  label: string;
  records: number;
  ms: number;
  /** Browser batch: the workers' decode time summed over the records, ms. */
  decodeMs?: number;
  /** Browser batch: engine workers decoding at once (1 = the app's one engine; more = a batch pool). */
  workers?: number;
  /** Browser batch: engines left at the end (fewer when an extra did not pay and was released). */
  enginesKept?: number | null;
  /** Browser batch: the pool's throughput check as the app logged it (why an extra engine went). */
  poolCheck?: string | null;
  /** Browser batch: the page's main thread busy during the batch, ms (parse, scoring, store, React). */
  mainThreadMs?: number | null;
  /** Browser batch: page + workers memory (measureUserAgentSpecificMemory) before / after, bytes. */
  memoryBefore?: number | null;
  memoryAfter?: number | null;
  /** Browser batch: the same once while the batch runs (the extra engines loaded), bytes. */
  memoryDuring?: number | null;
}

export interface RatioRow {
  name: string;
  value: number | null;
  /** How it was computed (which numbers of this run). */
  of: string;
}

export interface MachineInfo {
  cpus: number;
  cpuModel: string;
  memGiB: number;
  platform: string;
  node: string;
  chromium: string | null;
  /** os.loadavg() at the start and at the end of the run. */
  loadAvgStart: number[];
  loadAvgEnd: number[];
}

export interface BenchReport {
  schema: typeof REPORT_SCHEMA;
  date: string;
  command: string;
  machine: MachineInfo;
  model: { id: string; version: string | null; files: { dtype: string; path: string; bytes: number }[] };
  input: { source: string; notes: number; webgpuNotes: number; batch: number; skipped: string[] };
  decoding: Record<string, unknown> | null;
  /** Browser facts as reported by the engine (threads, adapter). */
  browser: { wasmThreads: number | null; webgpuAdapter: string | null; webgpuIsFallback: boolean | null };
  load: LoadRow[];
  /** Node native: from_pretrained from disk (no cache involved) and its warm-up decode, ms. */
  nodeLoad: { dtype: string; loadMs: number; warmupMs: number }[];
  latency: (LatencyRow & { summary: Summary; stepsMean: number | null; msPerStepP50: number | null; pageP50: number | null })[];
  throughput: (ThroughputRow & { recordsPerSecond: number | null; decodeRecordsPerSecond: number | null })[];
  ratios: RatioRow[];
  /** Previous decoder (one call per token) vs the new one on the same notes, Node q8 (decoder-compare.ts). */
  decoderComparison?: ComparisonSummary | null;
  /** onnxruntime-web in Chromium with 1 / 2 / 4 WASM threads, cross-origin isolated (threads.ts). */
  threads?: ThreadsRow[];
  caveats: string[];
  errors: string[];
}

const notes = (n: number) => `${n} note${n === 1 ? '' : 's'}`;

function mean(xs: readonly (number | null)[]): number | null {
  const v = xs.filter((x): x is number => x !== null && Number.isFinite(x));
  return v.length ? v.reduce((a, b) => a + b, 0) / v.length : null;
}

/** Row summaries: percentiles, model calls per note, ms per model call. */
export function summarizeLatency(row: LatencyRow): BenchReport['latency'][number] {
  const perStep = row.samplesMs.flatMap((ms, i) => {
    const s = row.steps[i];
    return s !== null && s !== undefined && s > 0 ? [ms / s] : [];
  });
  return {
    ...row,
    summary: summarize(row.samplesMs),
    stepsMean: mean(row.steps),
    msPerStepP50: perStep.length ? summarize(perStep).p50 : null,
    pageP50: row.pageMs?.length ? summarize(row.pageMs).p50 : null,
  };
}

export function summarizeThroughput(row: ThroughputRow): BenchReport['throughput'][number] {
  return {
    ...row,
    recordsPerSecond: ratio(row.records, row.ms / 1000),
    // Workers decode side by side: the batch's decode-only rate is each worker's rate, summed.
    decodeRecordsPerSecond: row.decodeMs !== undefined ? ratio(row.records * (row.workers ?? 1), row.decodeMs / 1000) : null,
  };
}

/**
 * The ratios, each from numbers of this run only. Latency ratios compare the same notes: the
 * WebGPU ones use the first n WASM / Node samples, n = the WebGPU note count.
 */
export function computeRatios(
  load: readonly LoadRow[],
  latency: readonly LatencyRow[],
  throughput: readonly ThroughputRow[],
): RatioRow[] {
  const lat = (id: RuntimeId) => latency.find((r) => r.id === id);
  const p = (row: LatencyRow | undefined, q: 50 | 95, n?: number) => {
    if (!row || row.samplesMs.length === 0) return null;
    const s = summarize(n === undefined ? row.samplesMs : row.samplesMs.slice(0, n));
    return q === 50 ? s.p50 : s.p95;
  };
  const out: RatioRow[] = [];
  const push = (name: string, value: number | null, of: string) => out.push({ name, value, of });
  const wasm = lat('wasm-q8');
  const node8 = lat('node-q8');
  const gpu = lat('webgpu-q4');
  const node4 = lat('node-q4');
  if (wasm && node8) {
    const n = Math.min(wasm.samplesMs.length, node8.samplesMs.length);
    push('WASM q8 / Node q8, p50 latency', ratio(p(wasm, 50, n), p(node8, 50, n)), `same ${notes(n)}`);
    push('WASM q8 / Node q8, p95 latency', ratio(p(wasm, 95, n), p(node8, 95, n)), `same ${notes(n)}`);
  }
  if (gpu && node4) {
    const n = Math.min(gpu.samplesMs.length, node4.samplesMs.length);
    push('WebGPU q4 / Node q4, p50 latency', ratio(p(gpu, 50, n), p(node4, 50, n)), `same ${notes(n)}`);
    push('WebGPU q4 / Node q4, p95 latency', ratio(p(gpu, 95, n), p(node4, 95, n)), `same ${notes(n)}`);
  }
  if (gpu && wasm) {
    const n = Math.min(gpu.samplesMs.length, wasm.samplesMs.length);
    push('WebGPU q4 / WASM q8, p50 latency', ratio(p(gpu, 50, n), p(wasm, 50, n)), `first ${notes(n)} (different weights: q4 vs q8)`);
  }
  for (const row of load) {
    push(`${row.label}: warm / cold load (page, click → ready)`, ratio(row.warm.readyMs, row.cold.readyMs), 'one cold + one warm load');
    push(`${row.label}: warm / cold load (worker, fetch + session)`, ratio(row.warm.loadMs, row.cold.loadMs), 'EngineInfo.loadMs');
  }
  const tb = throughput.find((t) => t.id === 'browser-batch');
  const tn = throughput.find((t) => t.id === 'node-batch');
  if (tb && tn) {
    push(
      'Chromium WASM batch / Node batch, records/s',
      ratio(ratio(tb.records, tb.ms), ratio(tn.records, tn.ms)),
      `${tb.records} vs ${tn.records} records`,
    );
  }
  return out;
}

export function renderHeader(r: BenchReport): string[] {
  const m = r.machine;
  const load = (xs: number[]) => xs.map((x) => x.toFixed(2)).join(' / ');
  return [
    `DischargeRx benchmark — ${r.date}`,
    `machine: ${m.cpus} × ${m.cpuModel} (os.cpus()), ${m.memGiB.toFixed(1)} GiB RAM, ${m.platform}, Node ${m.node}, Chromium ${m.chromium ?? '—'}`,
    `load average (1/5/15 min): ${load(m.loadAvgStart)} at start, ${load(m.loadAvgEnd)} at end`,
    `model: ${r.model.id} version ${r.model.version ?? '—'} (${r.model.files.map((f) => `${f.dtype} ${fmtBytes(f.bytes)}`).join(', ')})`,
    `notes: ${r.input.notes} for WASM and Node q8, ${r.input.webgpuNotes} for WebGPU and Node q4, ${r.input.batch} records for batch throughput — from ${r.input.source}`,
    `command: ${r.command}`,
  ];
}

function tables(r: BenchReport, table: (h: readonly string[], rows: readonly (readonly string[])[]) => string): { title: string; body: string }[] {
  const out: { title: string; body: string }[] = [];
  if (r.load.length) {
    out.push({
      title: 'Model load: cold (empty IndexedDB, fresh browser context) vs warm (reload, weights from IndexedDB), ms',
      body: table(
        ['backend', 'cold ready', 'warm ready', 'warm/cold', 'cold fetch+session', 'warm IndexedDB+session', 'warm-up decode (cold/warm)', 'fetched cold / warm', 'warm cache'],
        r.load.map((l) => [
          l.label,
          fmtMs(l.cold.readyMs),
          fmtMs(l.warm.readyMs),
          fmtRatio(ratio(l.warm.readyMs, l.cold.readyMs)),
          fmtMs(l.cold.loadMs),
          fmtMs(l.warm.loadMs),
          `${fmtMs(l.cold.warmupMs)} / ${fmtMs(l.warm.warmupMs)}`,
          `${fmtBytes(l.cold.bytes)} / ${fmtBytes(l.warm.bytes)}`,
          l.warm.cache ?? '—',
        ]),
      ) + (r.nodeLoad.length ? `\n\nNode native, for reference (from_pretrained from disk, no cache; then one warm-up decode): ${r.nodeLoad.map((n) => `${n.dtype} ${fmtMs(n.loadMs)} ms load + ${fmtMs(n.warmupMs)} ms warm-up`).join(', ')}.` : ''),
    });
    out.push({
      title: 'Load phases in the worker (EngineInfo.loadPhases; durations on the worker clock, some overlap: see notes), ms',
      body: table(['phase', ...r.load.flatMap((l) => [`${l.label} cold`, `${l.label} warm`])], loadPhaseRows(r.load)),
    });
  }
  if (r.latency.length) {
    const node = (id: RuntimeId) => r.latency.find((x) => x.id === id);
    out.push({
      title: 'Per-note latency (decode: prompt + tokenisation + constrained beam search; after load and one warm-up note), ms',
      body: table(
        ['runtime', 'n', 'p50', 'p95', 'mean', 'model calls/note', 'ms/call p50', 'page round trip p50', 'p50 vs Node same dtype'],
        r.latency.map((l) => {
          const ref = l.id === 'wasm-q8' ? node('node-q8') : l.id === 'webgpu-q4' ? node('node-q4') : undefined;
          const n = ref ? Math.min(ref.samplesMs.length, l.samplesMs.length) : 0;
          const vs = ref ? ratio(summarize(l.samplesMs.slice(0, n)).p50, summarize(ref.samplesMs.slice(0, n)).p50) : l.id.startsWith('node') ? 1 : null;
          return [
            l.label,
            String(l.summary.n),
            fmtMs(l.summary.p50),
            fmtMs(l.summary.p95),
            fmtMs(l.summary.mean),
            l.stepsMean === null ? '—' : l.stepsMean.toFixed(1),
            fmtMs(l.msPerStepP50),
            fmtMs(l.pageP50),
            fmtRatio(vs),
          ];
        }),
      ),
    });
  }
  if (r.throughput.length) {
    out.push({
      title: 'Batch throughput',
      body: table(
        ['path', 'engine workers', 'records', 'seconds', 'records/s', 'decode-only records/s', 'page main thread ms/record', 'memory before → during → after, MiB'],
        r.throughput.map((t) => [
          t.label,
          t.workers === undefined ? '—' : t.enginesKept !== undefined && t.enginesKept !== null && t.enginesKept !== t.workers ? `${t.workers} → ${t.enginesKept}` : String(t.workers),
          String(t.records),
          (t.ms / 1000).toFixed(1),
          fmtRate(t.recordsPerSecond),
          fmtRate(t.decodeRecordsPerSecond ?? t.recordsPerSecond),
          t.mainThreadMs === undefined || t.mainThreadMs === null ? '—' : (t.mainThreadMs / t.records).toFixed(1),
          t.memoryBefore === undefined ? '—' : [t.memoryBefore, t.memoryDuring ?? null, t.memoryAfter ?? null].map((b) => (b === null ? '—' : (b / 2 ** 20).toFixed(1))).join(' → '),
        ]),
      ),
    });
  }
  const c = r.decoderComparison;
  if (c) {
    const pct = (n: number) => `${n} / ${c.notes} (${((100 * n) / Math.max(1, c.notes)).toFixed(1)}%)`;
    const side = (label: string, x: ComparisonSummary['previous']) => [
      label,
      String(x.latency.n),
      fmtMs(x.latency.p50),
      fmtMs(x.latency.p95),
      x.callsMean.toFixed(1),
      x.tokensPerCall.toFixed(2),
    ];
    out.push({
      title:
        c.previousDecoder === 'arena'
          ? "Previous decoder (slot arena, the prompt's K/V in every beam's slot) vs new decoder (the prompt fed once as a shared prefix), same notes, Node q8, alternating per note"
          : 'Previous decoder (one model call per token, whole KV cache handed back each call) vs new decoder (jump-forward, decoder-kept KV cache), same notes, Node q8, alternating per note',
      body:
        table(['decoder', 'n', 'p50', 'p95', 'model calls/note', 'tokens/call'], [
          side('previous', c.previous),
          side('new', c.next),
        ]) +
        '\n\n' +
        table(
          ['same-drugs check', 'notes'],
          [
            ['same final drugs', pct(c.sameDrugs)],
            ['same searched trajectory', pct(c.sameTrajectory)],
            ['bit-identical search score', pct(c.sameScore)],
            ['different drugs, exact score tie', pct(c.verdicts.tie)],
            ['different drugs, new search score strictly better', pct(c.verdicts.better)],
            ['different drugs, new search score worse', pct(c.verdicts.worse)],
          ],
        ),
    });
  }
  if (r.threads?.length) {
    const slots = r.threads.some((t) => t.slotsStepMs != null);
    out.push({
      title: 'WASM threads (onnxruntime-web in Chromium, cross-origin isolated page, q8; median ms per call)',
      body: table(
        [
          'threads requested',
          'threads kept',
          'prefill (B1, prompt)',
          'beam step (B4, T1)',
          'jump call (B4, T4)',
          ...(slots ? ['step, prompt in every row (previous)', 'jump, prompt in every row (previous)'] : []),
          'step vs 1 thread',
        ],
        r.threads.map((t) => [
          String(t.threads),
          String(t.effective),
          fmtMs(t.prefillMs),
          fmtMs(t.stepMs),
          fmtMs(t.jumpMs),
          ...(slots ? [fmtMs(t.slotsStepMs ?? null), fmtMs(t.slotsJumpMs ?? null)] : []),
          fmtRatio(ratio(t.stepMs, r.threads!.find((x) => x.threads === 1)?.stepMs ?? null)),
        ]),
      ),
    });
  }
  if (r.ratios.length) {
    out.push({
      title: 'Ratios (all from this run)',
      body: table(['ratio', 'value', 'of'], r.ratios.map((x) => [x.name, fmtRatio(x.value), x.of])),
    });
  }
  return out;
}

/** One row per phase any load reported (in TIMED_LOAD_PHASES order), then the page's click → ready. */
export function loadPhaseRows(load: readonly LoadRow[]): string[][] {
  const runs = load.flatMap((l) => [l.cold, l.warm]);
  const cell = (ms: number | undefined) => (ms === undefined ? '—' : fmtMs(ms));
  return [
    ...TIMED_LOAD_PHASES.filter((p) => runs.some((m) => m.phases?.[p] !== undefined)).map((p) => [p, ...runs.map((m) => cell(m.phases?.[p]))]),
    ['click → ready (page)', ...runs.map((m) => fmtMs(m.readyMs))],
  ];
}

/** The stdout rendering. */
export function renderText(r: BenchReport): string {
  const parts = [renderHeader(r).join('\n')];
  for (const t of tables(r, textTable)) parts.push(`${t.title}\n${t.body}`);
  if (r.caveats.length) parts.push(['Notes:', ...r.caveats.map((c) => `- ${c}`)].join('\n'));
  if (r.input.skipped.length) parts.push(['Skipped:', ...r.input.skipped.map((c) => `- ${c}`)].join('\n'));
  if (r.errors.length) parts.push(['ERRORS:', ...r.errors.map((c) => `- ${c}`)].join('\n'));
  return parts.join('\n\n') + '\n';
}

/** docs/benchmark.md */
export function renderMarkdown(r: BenchReport, jsonName = 'benchmark.json'): string {
  const m = r.machine;
  const lines = [
    '# Benchmark',
    '',
    `Measured in one run of \`npm run bench\` (scripts/bench/; raw numbers in [${jsonName}](${jsonName})). Regenerate with`,
    '`npm run bench` (flags: `--notes N --webgpu-notes N --batch N --out FILE --skip-webgpu`). Nothing here is asserted',
    'by a test: the numbers depend on the machine and on whatever else it is running.',
    '',
    '| | |',
    '|---|---|',
    `| date | ${r.date} |`,
    `| machine | ${m.cpus} × ${m.cpuModel} (os.cpus()), ${m.memGiB.toFixed(1)} GiB RAM, ${m.platform} |`,
    `| load average (1/5/15 min) | ${m.loadAvgStart.map((x) => x.toFixed(2)).join(' / ')} at start, ${m.loadAvgEnd.map((x) => x.toFixed(2)).join(' / ')} at end |`,
    `| software | Node ${m.node}, Chromium ${m.chromium ?? '—'} (headless) |`,
    `| model | \`${r.model.id}\` version \`${r.model.version ?? '—'}\` (${r.model.files.map((f) => `${f.dtype} ${fmtBytes(f.bytes)}`).join(', ')}) |`,
    `| notes | ${r.input.notes} (WASM, Node q8), ${r.input.webgpuNotes} (WebGPU, Node q4), ${r.input.batch} records (batch) from \`${r.input.source}\` |`,
    `| command | \`${r.command}\` |`,
    '',
  ];
  for (const t of tables(r, markdownTable)) lines.push(`## ${t.title}`, '', t.body, '');
  if (r.caveats.length) lines.push('## Notes', '', ...r.caveats.map((c) => `- ${c}`), '');
  if (r.input.skipped.length) lines.push('## Skipped', '', ...r.input.skipped.map((c) => `- ${c}`), '');
  if (r.errors.length) lines.push('## Errors in this run', '', ...r.errors.map((c) => `- ${c}`), '');
  return lines.join('\n');
}

/** JSON-friendly copy: numbers rounded to 3 decimals, NaN → null. */
export function toJson(r: unknown): unknown {
  return JSON.parse(
    JSON.stringify(r, (_k, v: unknown) => (typeof v === 'number' ? (Number.isInteger(v) ? v : roundOrNull(v, 3)) : v)),
  );
}
