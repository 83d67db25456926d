/**
 * npm run bench [-- --notes N] [--webgpu-notes N] [--batch N] [--out docs/benchmark.json] [--skip-webgpu]
 *
 * Measures, in one run on this machine (the npm script builds dist/ first):
 * - cold vs warm model load in Chromium (fresh context with empty IndexedDB, then a reload that
 *   reads the weights from IndexedDB), for WASM (q8) and WebGPU (q4; SwiftShader here);
 * - per-note latency p50 / p95 on the same notes for WASM q8 and WebGPU q4 in Chromium and for
 *   Node native (onnxruntime-node, the CLI's code) on q8 and q4, and their ratios;
 * - batch throughput: the app's batch screen (WASM q8) and the CLI's decode loop (Node q8).
 * Prints a table, writes the JSON (--out) and a Markdown table next to it (.md).
 * No timing is asserted: the numbers are what this machine did during this run.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseNote } from '../../src/features/recommend/parse-note.ts';
import type { CDrugRedRecord } from '../../src/clinical/record.ts';
import { CliError, UsageError, describeError, isMain, parseFlags, readRecordsFile, readTextFile } from '../../cli/cli-support.ts';
import { DTYPE_FILES, readDecodingConfig, type ModelDtype } from '../../cli/model-method.ts';
import { adapterText, runBrowserBench, type BrowserBenchResult, type BackendRun } from './browser.ts';
import { runNode, type NodeRun } from './node-native.ts';
import { runDecoderComparison, type ComparisonSummary } from './decoder-compare.ts';
import { runThreadsBench, type ThreadsRow } from './threads.ts';
import { chromium } from 'playwright-core';
import { chromiumLaunchOptions } from '../../e2e/chromium-flags.ts';
import {
  REPORT_SCHEMA,
  computeRatios,
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

export const BENCH_USAGE =
  'npm run bench -- [--notes N (30)] [--webgpu-notes N (5)] [--batch N (100, 0 = none)] [--compare-notes N (= --notes, 0 = none)] [--compare-previous forward|arena (forward)] [--threads 1,2,4 (none = skip)] [--out docs/benchmark.json] [--skip-webgpu] [--skip-node] [--batch-workers N|auto[,…] (auto = the app\'s choice)] [--batch-rounds R (1)] [--dist DIR (dist)]';

const COHORT_TEST = 'data/cohort/test.jsonl';
const TINY_TEST = 'training/tests/fixtures/tiny/test.jsonl';

function count(value: string | undefined, flag: string, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`--${flag} must be an integer ≥ ${min}, got "${value}"`);
  return n;
}

const log = (m: string) => process.stderr.write(`bench: ${m}\n`);

/** A port nobody listens on right now. */
function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      s.close(() => (typeof addr === 'object' && addr ? res(addr.port) : rej(new Error('no port'))));
    });
  });
}

/** `vite preview` of dist/ on a free localhost port (the same server the browser tests use). */
async function startPreview(dist: string): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['node_modules/vite/bin/vite.js', 'preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort', '--outDir', dist], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const url = `http://127.0.0.1:${port}/`;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new CliError(`vite preview exited (${child.exitCode}): ${output.trim()}`);
    try {
      const r = await fetch(url);
      if (r.ok) return { url, child };
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  child.kill();
  throw new CliError(`vite preview did not answer on ${url} within 60 s: ${output.trim()}`);
}

/** The note a clinician would paste: the record as JSON without its label (出院带药列表). */
function noteText(record: CDrugRedRecord): string {
  const { 出院带药列表: _label, ...rest } = record;
  return JSON.stringify(rest);
}

function bundledModelId(dist: string): string {
  const dir = join(dist, 'models');
  if (!existsSync(join(dist, 'index.html')) || !existsSync(dir)) {
    throw new CliError('dist/ is missing: build first (`npm run bench` runs `vite build`; or `npx vite build`)');
  }
  const ids = readdirSync(dir)
    .filter((d) => existsSync(join(dir, d, 'config.json')))
    .sort();
  if (ids.length === 0) throw new CliError('dist/models/ has no model folder (models/<id>/ with config.json + tokenizer.json)');
  return ids[0]!;
}

/** The browser (dist/models/<id>) and Node (models/<id>) must run the same files. */
function checkSameModel(distDir: string, srcDir: string): void {
  const hash = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');
  const files = ['config.json', 'tokenizer.json', 'decoding.json', ...Object.values(DTYPE_FILES).map((f) => `onnx/${f}`)];
  for (const f of files) {
    const a = join(distDir, f);
    const b = join(srcDir, f);
    if (!existsSync(a) && !existsSync(b)) continue;
    if (existsSync(a) !== existsSync(b) || hash(a) !== hash(b)) {
      throw new CliError(`${distDir}/${f} differs from ${srcDir}/${f}: dist/ is stale, rebuild it (npx vite build; npm run bench does)`);
    }
  }
}

function latencyFromBrowser(id: 'wasm-q8' | 'webgpu-q4', label: string, run: BackendRun): LatencyRow {
  return {
    id,
    label,
    samplesMs: run.notes.map((n) => n.inferenceMs),
    steps: run.notes.map((n) => n.steps),
    pageMs: run.notes.map((n) => n.pageMs),
  };
}

function latencyFromNode(id: 'node-q8' | 'node-q4', label: string, run: NodeRun, n: number): LatencyRow {
  return { id, label, samplesMs: run.latenciesMs.slice(0, n), steps: run.steps.slice(0, n) };
}

export async function main(argv: string[]): Promise<number> {
  const flags = parseFlags(argv, {
    notes: { type: 'string' },
    'webgpu-notes': { type: 'string' },
    batch: { type: 'string' },
    out: { type: 'string' },
    'skip-webgpu': { type: 'boolean' },
    'compare-notes': { type: 'string' },
    'compare-previous': { type: 'string' },
    threads: { type: 'string' },
    'skip-node': { type: 'boolean' },
    'batch-workers': { type: 'string' },
    'batch-rounds': { type: 'string' },
    dist: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (flags['help']) {
    process.stdout.write(BENCH_USAGE + '\n');
    return 0;
  }
  const wantNotes = count(flags['notes'] as string | undefined, 'notes', 30, 1);
  const wantGpuNotes = count(flags['webgpu-notes'] as string | undefined, 'webgpu-notes', 5, 1);
  const wantBatch = count(flags['batch'] as string | undefined, 'batch', 100, 0);
  const skipWebgpu = flags['skip-webgpu'] === true;
  const wantCompare = count(flags['compare-notes'] as string | undefined, 'compare-notes', wantNotes, 0);
  const comparePrevious = (flags['compare-previous'] as string | undefined) ?? 'forward';
  if (comparePrevious !== 'forward' && comparePrevious !== 'arena') throw new UsageError('--compare-previous takes forward or arena');
  const threadsFlag = (flags['threads'] as string | undefined) ?? '1,2,4';
  const threadCounts = threadsFlag === 'none' ? [] : threadsFlag.split(',').map((x) => count(x.trim(), 'threads', 1, 1));
  const outJson = (flags['out'] as string | undefined) ?? 'docs/benchmark.json';
  const skipNode = flags['skip-node'] === true;
  const batchWorkersFlag = flags['batch-workers'] as string | undefined;
  // One batch per count, in turn (e.g. 1,2: without and with the pool, on the same page and load).
  const batchWorkers = batchWorkersFlag === undefined ? [] : batchWorkersFlag.split(',').map((x) => (x.trim() === 'auto' ? null : count(x.trim(), 'batch-workers', 1, 1)));
  const batchRounds = count(flags['batch-rounds'] as string | undefined, 'batch-rounds', 1, 1);
  // Another build of the app (e.g. the previous commit's, for a before/after on the same bench).
  const dist = (flags['dist'] as string | undefined) ?? 'dist';
  const outMd = outJson.endsWith('.json') ? outJson.replace(/\.json$/, '.md') : `${outJson}.md`;
  const loadAvgStart = os.loadavg();

  const modelId = bundledModelId(dist);
  const modelDir = join('models', modelId);
  if (!existsSync(join(modelDir, 'config.json'))) throw new CliError(`${modelDir}: not found (Node runs the source folder dist/ was built from)`);
  checkSameModel(join(dist, 'models', modelId), modelDir);

  // Notes: the synthetic test split when generated, else the tiny fixture shipped with the repo.
  let source = COHORT_TEST;
  const skipped: string[] = [];
  if (!existsSync(source)) {
    source = TINY_TEST;
    log(`${COHORT_TEST} not found (generate it with \`npm run cohort -- --out data/cohort\`); using ${TINY_TEST}`);
  }
  const located = await readRecordsFile(source);
  const pool = located.map((x) => x.record);
  const need = Math.max(wantNotes, wantBatch, wantCompare);
  if (pool.length < need) skipped.push(`${source} has ${pool.length} records; asked for ${need}, using ${pool.length}`);
  const records = pool.slice(0, need);
  const texts = records.map(noteText);
  // Node decodes the record the page parses from the same text (parseNote, as the app does).
  const parsed = texts.map((t, i) => {
    const p = parseNote(t);
    if (!p.ok) throw new CliError(`${source} record ${i + 1}: ${p.message}`);
    return p.record;
  });
  const nNotes = Math.min(wantNotes, records.length);
  const nGpu = Math.min(wantGpuNotes, nNotes);
  const nBatch = Math.min(wantBatch, records.length);
  if (skipWebgpu) skipped.push('WebGPU (--skip-webgpu)');
  if (nBatch === 0) skipped.push('batch throughput (--batch 0)');

  const tmp = mkdtempSync(join(os.tmpdir(), 'dischargerx-bench-'));
  let batchFile: string | null = null;
  if (nBatch > 0) {
    batchFile = join(tmp, `batch-${nBatch}.jsonl`);
    const lines = (await readTextFile(source)).split(/\r?\n/).filter((l) => l.trim() !== '');
    // JSONL: the first nBatch lines; JSON array files: re-serialised records.
    const body = source.endsWith('.jsonl') && lines.length >= nBatch ? lines.slice(0, nBatch) : records.slice(0, nBatch).map((r) => JSON.stringify(r));
    writeFileSync(batchFile, body.join('\n') + '\n');
  }

  const errors: string[] = [];
  log(`model ${modelId}; ${nNotes} notes (WASM, Node q8), ${skipWebgpu ? 0 : nGpu} (WebGPU, Node q4), batch ${nBatch}, from ${source}`);

  // ---- browser ----
  let browser: BrowserBenchResult | null = null;
  const server = await startPreview(dist);
  const stop = () => {
    if (server.child.exitCode === null) server.child.kill();
  };
  process.once('SIGINT', () => {
    stop();
    process.exit(130);
  });
  try {
    log(`vite preview at ${server.url}`);
    browser = await runBrowserBench({
      baseUrl: server.url,
      modelId,
      notes: texts.slice(0, nNotes),
      webgpuNotes: nGpu,
      batch: batchFile ? { file: batchFile, records: nBatch } : null,
      skipWebgpu,
      batchWorkers,
      batchRounds,
      log,
    });
    errors.push(...browser.errors);
  } catch (e) {
    errors.push(`browser: ${e instanceof Error ? e.message : String(e)}`);
  }
  let threads: ThreadsRow[] = [];
  if (threadCounts.length) {
    try {
      log(`WASM threads ${threadCounts.join(' / ')}: onnxruntime-web on an isolated page`);
      const b = await chromium.launch({ ...chromiumLaunchOptions(), headless: true });
      try {
        threads = await runThreadsBench(b, { baseUrl: server.url, modelId, threads: threadCounts, past: 330, repeats: 15, log });
      } finally {
        await b.close();
      }
    } catch (e) {
      errors.push(`threads: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  stop();

  // ---- Node native ----
  let node8: NodeRun | null = null;
  let node4: NodeRun | null = null;
  if (skipNode) skipped.push('Node native (--skip-node)');
  else {
    try {
      log(`Node q8 on ${Math.max(nNotes, nBatch)} records`);
      node8 = await runNode(modelDir, 'q8', parsed.slice(0, Math.max(nNotes, nBatch)), log);
    } catch (e) {
      errors.push(`Node q8: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  if (!skipWebgpu && !skipNode) {
    try {
      log(`Node q4 on ${nGpu} records`);
      node4 = await runNode(modelDir, 'q4', parsed.slice(0, nGpu), log);
    } catch (e) {
      errors.push(`Node q4: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  rmSync(tmp, { recursive: true, force: true });
  let comparison: ComparisonSummary | null = null;
  const nCompare = Math.min(wantCompare, parsed.length);
  if (nCompare > 0) {
    try {
      log(`previous vs new decoder, Node q8, ${nCompare} records`);
      comparison = (await runDecoderComparison(modelDir, 'q8', parsed.slice(0, nCompare), log, undefined, comparePrevious)).summary;
    } catch (e) {
      errors.push(`decoder comparison: ${e instanceof Error ? e.message : String(e)}`);
    }
  } else skipped.push('previous vs new decoder (--compare-notes 0)');

  // ---- report ----
  const gpuRun = browser?.webgpu ?? null;
  const gpuInfo = gpuRun?.info ?? null;
  const gpuOnGpu = gpuInfo?.backend === 'webgpu';
  const gpuAdapter = adapterText(gpuInfo?.adapter ?? null);
  const swiftShader = gpuAdapter !== null && (/swiftshader/i.test(gpuAdapter) || gpuInfo?.adapter?.isFallback === true);
  const gpuLabel = !gpuRun
    ? 'WebGPU'
    : gpuOnGpu
      ? `Chromium WebGPU ${gpuInfo!.dtype}${swiftShader ? ' (SwiftShader, CPU)' : ''}`
      : `Chromium WebGPU requested → fell back to ${gpuInfo!.backend} ${gpuInfo!.dtype}`;

  const load: LoadRow[] = [];
  if (browser?.wasm) load.push({ id: 'wasm', label: `Chromium WASM ${browser.wasm.info.dtype}`, cold: browser.wasm.cold, warm: browser.wasm.warm });
  if (gpuRun) load.push({ id: 'webgpu', label: gpuLabel, cold: gpuRun.cold, warm: gpuRun.warm });

  const latency: LatencyRow[] = [];
  if (node8) latency.push(latencyFromNode('node-q8', 'Node native q8 (onnxruntime-node)', node8, nNotes));
  if (browser?.wasm) latency.push(latencyFromBrowser('wasm-q8', `Chromium WASM ${browser.wasm.info.dtype}`, browser.wasm));
  if (node4) latency.push(latencyFromNode('node-q4', 'Node native q4 (onnxruntime-node)', node4, nGpu));
  if (gpuRun) latency.push(latencyFromBrowser('webgpu-q4', gpuLabel, gpuRun));

  const throughput: ThroughputRow[] = [];
  for (const b of browser?.batches ?? []) {
    const how = [b.requested === null ? null : `?batchWorkers=${b.requested}`, batchRounds > 1 ? `round ${b.round}` : null].filter(Boolean).join(', ');
    throughput.push({
      id: 'browser-batch',
      label: `Chromium WASM ${browser?.wasm?.info.dtype ?? 'q8'}, batch screen (parse, decode, table, metrics)${how ? `, ${how}` : ''}`,
      records: b.records,
      ms: b.ms,
      decodeMs: b.decodeMs,
      workers: b.workers,
      enginesKept: b.enginesKept,
      poolCheck: b.poolCheck,
      mainThreadMs: b.mainThreadMs,
      memoryBefore: b.memoryBefore,
      memoryAfter: b.memoryAfter,
      memoryDuring: b.memoryDuring,
    });
  }
  const batch = browser?.batches[0] ?? null;
  if (node8 && nBatch > 0) {
    const ms = node8.latenciesMs.slice(0, nBatch).reduce((a, b) => a + b, 0);
    throughput.push({ id: 'node-batch', label: 'Node native q8, CLI decode loop (predict --method model)', records: Math.min(nBatch, node8.latenciesMs.length), ms });
  }

  const caveats: string[] = [];
  if (gpuRun) {
    caveats.push(
      swiftShader || !gpuOnGpu
        ? `WebGPU here runs on ${gpuAdapter ?? 'no GPU adapter'}: SwiftShader is Chromium's CPU implementation of a GPU, so these WebGPU timings are not representative of GPU hardware; they only show that the WebGPU path loads and decodes.`
        : `WebGPU adapter: ${gpuAdapter ?? '—'}.`,
    );
  }
  caveats.push(
    'Latency = decode time per note: prompt build + tokenisation + constrained beam search over the candidate list. Browser: measured in the engine worker (RecommendResult.inferenceMs); Node: decodeRecords of cli/model-method.ts (what `npm run predict --method model` runs). Both after the model load and one untimed warm-up note; notes run one at a time. "Page round trip" adds the page side (parse, messaging, rendering): click → list shown.',
    'p95 is nearest-rank (as in `npm run predict`): with fewer than 20 notes it is the slowest note.',
    'Cold load = a fresh browser profile (empty IndexedDB and HTTP cache; model files and onnxruntime\'s wasm from the local `vite preview` server, so no real network). Warm load = page reload in the same profile after the timed notes, as a returning user\'s: the weights come from IndexedDB, re-hashed (SHA-256) before use; onnxruntime\'s wasm comes from Chromium\'s HTTP cache (revalidated), with whatever compiled code Chromium kept for it from the earlier use. The service worker is blocked (its cache, which installed users get, is not measured). Until issue 10\'s warm-start work the bench injected its instrumentation with page.route, which turns the HTTP cache off: warm loads then fetched the 16.8 MB wasm again, so older warm figures are not comparable. "Ready" is page side (click "load model" → ready: fetch or IndexedDB read, session creation and the app\'s warm-up decode); "fetch+session" is the worker\'s EngineInfo.loadMs.',
  );
  if (load.length) {
    caveats.push(
      'Load phases: EngineInfo.loadPhases, timed in the worker (src/engine/protocol.ts TIMED_LOAD_PHASES). workerStart = the worker is created → its script runs (fetch + compile of the bundle); runtimeImport = evaluating the bundle (transformers.js, onnxruntime-web); idbRead / integrity = reading the cached files from IndexedDB / their SHA-256; download = fetching model files (cold); runtimeInit = onnxruntime-web\'s first initialisation in the worker (on WASM its wasm is fetched and compiled from the start of the load, alongside idbRead; then instantiated and the runtime started; timed with a one-node session created just before the model\'s); modelRead = transformers.js reading config + weights; session = the model\'s session creation; tokenizer (alongside modelRead + session); trie = the candidate trie; warmup = the warm-up decode. Durations on the worker clock, not a partition: "click → ready" also holds the page side (click → worker created, messages, rendering).',
    );
  }
  const wasmThreads = browser?.wasm?.info.numThreads ?? null;
  if (wasmThreads !== null) {
    caveats.push(
      `The app's WASM engine ran with ${wasmThreads} thread(s) (the engine's own choice for this page and ${os.cpus().length} cores); onnxruntime-node uses its own thread pool. The threads table runs onnxruntime-web directly with each requested count.`,
    );
  }
  if (comparison) {
    caveats.push(
      'Previous vs new decoder: both in one Node process on the same loaded q8 model, each note decoded by the previous decoder (jumpForward: false, one call per token) and then by the new one, so load hits both alike. "tokens/call" = tokens fed per beam row per call after the prompt. A different final list is classified by the two best search scores: an exact tie, or the new search strictly better / worse. Scores can differ in the last bits because a multi-token call sums in another order than single-token calls.',
    );
  }
  const wasmSteps = browser?.wasm ? summarizeLatency(latencyFromBrowser('wasm-q8', '', browser.wasm)).stepsMean : null;
  const nodeSteps = node8 ? summarizeLatency(latencyFromNode('node-q8', '', node8, nNotes)).stepsMean : null;
  if (wasmSteps !== null && nodeSteps !== null && Math.abs(wasmSteps - nodeSteps) / nodeSteps > 0.05) {
    caveats.push(
      `The browser and Node did not search the same amount per note (mean ${wasmSteps.toFixed(1)} vs ${nodeSteps.toFixed(1)} model calls), so part of the latency ratio is a difference in work, not in runtime speed; "ms/call" compares per model call.`,
    );
  }
  const loadAvgEnd = os.loadavg();
  const cores = os.cpus().length;
  if (Math.max(loadAvgStart[0] ?? 0, loadAvgEnd[0] ?? 0) > cores * 0.5) {
    caveats.push(`The machine was busy (1-minute load average ${loadAvgStart[0]!.toFixed(2)} at start, ${loadAvgEnd[0]!.toFixed(2)} at end, on ${cores} cores): absolute times are inflated; ratios within the run are less affected.`);
  }
  if (batch) {
    caveats.push(
      `Batch throughput: the browser row times the app's batch screen (click "start" → done, model already loaded; records in the workers are decoded with their default settings). "Engine workers": how many decoded side by side (the app's engine plus the batch's pool, counted in the page; "2 → 1": the extra was released after the pool's throughput check); "decode-only" = records × workers / the workers' summed decode time. "Page main thread" = the page's busy time during the batch (CDP TaskDuration: parsing, scoring, store, React), per record. "Memory" = performance.measureUserAgentSpecificMemory (page and workers, after a GC) with the model loaded before the batch, 10 s into it, and after it ended. The Node row is the CLI's decode loop over the same ${batch.records} records.${browser!.batches.length > 1 ? ' Several browser rows: the batch ran once per engine count in turn, each on a freshly loaded page (model from IndexedDB), so a busy machine hits them alike.' : ''}`,
    );
  }

  const files = (['q8', 'q4', 'fp32'] as ModelDtype[]).flatMap((d) => {
    const p = join(modelDir, 'onnx', DTYPE_FILES[d]);
    return existsSync(p) ? [{ dtype: d, path: p, bytes: statSync(p).size }] : [];
  });
  const decoding = await readDecodingConfig(modelDir).catch(() => null);
  const report: BenchReport = {
    schema: REPORT_SCHEMA,
    date: new Date().toISOString(),
    command: `npm run bench${argv.length ? ` -- ${argv.join(' ')}` : ''}`,
    machine: {
      cpus: cores,
      cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
      memGiB: os.totalmem() / 2 ** 30,
      platform: `${os.type()} ${os.release()} ${os.arch()}`,
      node: process.version,
      chromium: browser?.chromium ?? null,
      loadAvgStart,
      loadAvgEnd,
    },
    model: { id: modelId, version: browser?.modelVersion ?? null, files },
    input: { source, notes: nNotes, webgpuNotes: skipWebgpu ? 0 : nGpu, batch: nBatch, skipped },
    decoding: decoding as Record<string, unknown> | null,
    browser: {
      wasmThreads,
      webgpuAdapter: gpuAdapter,
      webgpuIsFallback: gpuInfo?.adapter?.isFallback ?? null,
    },
    load,
    nodeLoad: [node8, node4].flatMap((n) => (n ? [{ dtype: n.dtype, loadMs: n.loadMs, warmupMs: n.warmupMs }] : [])),
    latency: latency.map(summarizeLatency),
    throughput: throughput.map(summarizeThroughput),
    ratios: computeRatios(load, latency, throughput),
    decoderComparison: comparison,
    threads,
    caveats,
    errors,
  };

  process.stdout.write('\n' + renderText(report));
  mkdirSync(dirname(resolve(outJson)), { recursive: true });
  writeFileSync(outJson, JSON.stringify(toJson(report), null, 2) + '\n');
  const jsonName = dirname(resolve(outJson)) === dirname(resolve(outMd)) ? outJson.split('/').pop()! : resolve(outJson);
  writeFileSync(outMd, renderMarkdown(report, jsonName));
  log(`wrote ${outJson} and ${outMd}`);
  if (errors.length) log(`${errors.length} part(s) failed: see ERRORS above`);
  return errors.length ? 1 : 0;
}

if (isMain(import.meta.url)) {
  // Exit explicitly: onnxruntime-node and Playwright may keep handles open.
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      const { message, code } = describeError(e, BENCH_USAGE);
      process.stderr.write(message + '\n');
      process.exit(code);
    },
  );
}
