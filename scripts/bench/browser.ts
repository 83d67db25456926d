/**
 * The browser half of `npm run bench`: Debian Chromium (playwright-core, the flags of
 * e2e/chromium-flags.ts) on the production build, driven through the app's own UI exactly as the
 * browser tests drive it (e2e/engine.spec.ts: ?backend=…&dtype=… in the URL, the note box and the
 * recommend button; e2e/batch.spec.ts: the batch screen). Nothing extra is exposed by the app.
 *
 * Timings come from two places:
 * - page side: a MutationObserver started in the same task as the click, so "click → engine ready"
 *   and "click → list shown" are measured in the page's own clock, without Playwright polling;
 * - worker side: the engine's own reply messages (EngineInfo: loadMs, warmupMs, loadPhases, bytes;
 *   result: inferenceMs, steps), copied as the page receives them by an init script that wraps the
 *   page's `Worker` (PAGE_TAP). Not page.route on the worker script: Playwright's routing turns
 *   Chromium's HTTP cache off, so every warm load fetched onnxruntime's 16.8 MB wasm again and
 *   Chromium could never reuse code it compiled for it, which a returning user's browser does.
 *
 * Each backend runs in its own persistent context on a fresh temporary profile (an incognito
 * context keeps its HTTP cache in memory, too small for the wasm): cold = the empty profile,
 * warm = a reload in it. The service worker is blocked: its cache is another path, not measured.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { chromiumLaunchOptions } from '../../e2e/chromium-flags.ts';
import type { AdapterSummary, EngineInfo } from '../../src/engine/protocol.ts';
import type { LoadMeasurement } from './report.ts';

const PAGE_TAP = `(() => {
  const seen = (self.__dischargerxBench = []);
  // Engine workers alive now and the most alive at once since the last reset (a batch pool).
  const workers = (self.__dischargerxWorkers = { alive: 0, peak: 0 });
  const Base = self.Worker;
  self.Worker = class extends Base {
    constructor(url, options) {
      super(url, options);
      if (!String(url).includes('engine.worker')) return;
      workers.alive++;
      workers.peak = Math.max(workers.peak, workers.alive);
      let ended = false;
      const terminate = this.terminate.bind(this);
      this.terminate = () => {
        if (!ended) { ended = true; workers.alive--; }
        terminate();
      };
      // Added before the app's own handler: the copy exists when the page reacts to the message.
      this.addEventListener('message', (ev) => {
        try {
          const m = ev.data;
          if (m && m.type === 'loaded') seen.push({ type: 'loaded', info: m.info });
          else if (m && m.type === 'result') {
            const r = m.result;
            seen.push({ type: 'result', inferenceMs: r.inferenceMs, steps: r.steps, backend: r.backend, dtype: r.dtype });
          }
        } catch { /* never disturb the app */ }
      });
    }
  };
})();
`;

type WorkerMessage =
  | { type: 'loaded'; info: EngineInfo }
  | { type: 'result'; inferenceMs: number; steps: number; backend: string; dtype: string };

export interface NoteTiming {
  /** Worker-side decode time (RecommendResult.inferenceMs). */
  inferenceMs: number;
  steps: number;
  /** Page side: click → the model's list is shown. */
  pageMs: number;
  backend: string;
  dtype: string;
}

export interface BackendRun {
  cold: LoadMeasurement;
  warm: LoadMeasurement;
  info: EngineInfo;
  notes: NoteTiming[];
}

export interface BatchRun {
  records: number;
  /** Page side: click "start" → status done. */
  ms: number;
  /** Sum of the workers' decode times over the batch (each worker's wall clock). */
  decodeMs: number;
  results: number;
  /** Engine workers alive at once during the batch (the app's one engine + a batch pool's extras). */
  workers: number;
  /** Engine workers still alive after the batch (the pool's extras must be gone). */
  workersAfter: number;
  /** Engines the batch screen reports at the end (an extra that did not pay was released early); null when not shown. */
  enginesKept: number | null;
  /** The pool's throughput check as the app logged it ("[engine] batch: …"), null when none ran. */
  poolCheck: string | null;
  /** The page's main thread busy during the batch (CDP Performance.getMetrics TaskDuration), ms. */
  mainThreadMs: number | null;
  /**
   * performance.measureUserAgentSpecificMemory() (page + its workers, after a GC) before the
   * batch, with the model loaded, and after it ended; null where the browser does not offer it.
   */
  memoryBefore: number | null;
  memoryAfter: number | null;
  /** The same, once while the batch runs (10 s in): what the batch's extra engines add. */
  memoryDuring: number | null;
}

/*
 * Page-side scripts, as plain JavaScript strings: tsx (esbuild, keepNames) would wrap the inner
 * functions of a TypeScript callback in a `__name` helper that does not exist in the page.
 * Each starts its MutationObserver, clicks, and resolves with the page-clock time to the outcome.
 */
const LOAD_SCRIPT = `(timeout) => new Promise((resolve) => {
  const t0 = performance.now();
  let obs, timer;
  function finish(outcome) { obs.disconnect(); clearTimeout(timer); resolve({ ms: performance.now() - t0, outcome }); }
  function check() {
    const phase = document.querySelector('[data-testid=engine-panel]')?.getAttribute('data-phase');
    if (phase === 'ready') finish('ready');
    else if (phase === 'error') finish('error: ' + (document.querySelector('[data-testid=engine-error]')?.textContent ?? ''));
  }
  obs = new MutationObserver(check);
  timer = setTimeout(() => finish('timeout'), timeout);
  obs.observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-phase'] });
  document.querySelector('[data-testid=load-model]').click();
})`;

const RECOMMEND_SCRIPT = `(timeout) => new Promise((resolve) => {
  const q = (s) => document.querySelector(s);
  const t0 = performance.now();
  let seenRunning = false, obs, timer;
  function finish(outcome) { obs.disconnect(); clearTimeout(timer); resolve({ ms: performance.now() - t0, outcome }); }
  function check() {
    if (q('[data-testid=engine-running]')) { seenRunning = true; return; }
    if (!seenRunning) return;
    const err = q('[data-testid=engine-error]');
    if (err) finish('error: ' + (err.textContent ?? ''));
    else if (q('[data-testid=recommendations][data-source=model]')) finish('ok');
  }
  obs = new MutationObserver(check);
  timer = setTimeout(() => finish('timeout'), timeout);
  obs.observe(document.body, { subtree: true, childList: true, attributes: true });
  q('[data-testid=recommend]').click();
  check();
})`;

const BATCH_SCRIPT = `(timeout) => new Promise((resolve) => {
  const t0 = performance.now();
  const progress = () => document.querySelector('[data-testid=batch-progress]');
  let obs, timer;
  function finish(outcome) { obs.disconnect(); clearTimeout(timer); resolve({ ms: performance.now() - t0, outcome, done: progress()?.getAttribute('data-done') ?? '' }); }
  function check() {
    const status = progress()?.getAttribute('data-status');
    if (status === 'done' || status === 'cancelled') finish(status);
    else if (document.querySelector('[data-testid=batch-error]')) finish('error');
  }
  obs = new MutationObserver(check);
  timer = setTimeout(() => finish('timeout'), timeout);
  obs.observe(document.body, { subtree: true, childList: true, attributes: true });
  document.querySelector('[data-testid=batch-start]').click();
})`;

const DRAIN_SCRIPT = `(() => (self.__dischargerxBench ?? []).splice(0))()`;

/** Resets the peak to the engine workers alive now; returns { alive, peak } before the reset. */
const WORKERS_SCRIPT = `((reset) => { const w = self.__dischargerxWorkers ?? { alive: 0, peak: 0 }; const out = { ...w }; if (reset) w.peak = w.alive; return out; })`;

/**
 * Bytes the page and its workers hold (includes wasm memories), after the GC the call forces;
 * null when not offered (needs cross-origin isolation). ForceEagerMeasureMemory (the bench's
 * Chromium flag) answers at once instead of at the next natural GC.
 */
const MEMORY_SCRIPT = `(() => typeof performance.measureUserAgentSpecificMemory === 'function'
  ? performance.measureUserAgentSpecificMemory().then((m) => m.bytes, () => null)
  : null)()`;

const CACHED_VERSION_SCRIPT = `(id) => new Promise((resolve) => {
  const r = indexedDB.open('dischargerx-models');
  r.onerror = () => resolve(null);
  r.onsuccess = () => {
    const db = r.result;
    if (!db.objectStoreNames.contains('manifests')) { db.close(); resolve(null); return; }
    const g = db.transaction('manifests').objectStore('manifests').getAll();
    g.onerror = () => { db.close(); resolve(null); };
    g.onsuccess = () => { db.close(); resolve((g.result.find((m) => m.modelId === id) ?? {}).version ?? null); };
  };
})`;

/** Runs one of the scripts above with an argument, in the page. */
function inPage<T>(page: Page, script: string, arg: unknown): Promise<T> {
  return page.evaluate(`(${script})(${JSON.stringify(arg)})`) as Promise<T>;
}

/** One browser page of the app with the bench's instrumentation. */
class AppPage {
  private cacheNotices: string[] = [];
  private poolChecks: string[] = [];

  constructor(
    readonly page: Page,
    private readonly baseUrl: string,
    /** The temporary profile directory, removed on close. */
    private readonly profile: string,
  ) {
    page.on('console', (m) => {
      const hit = /model cache: ([\w-]+)/.exec(m.text());
      if (hit) this.cacheNotices.push(hit[1]!);
      const check = /\[engine\] batch: (.*)/.exec(m.text());
      if (check) this.poolChecks.push(check[1]!);
    });
  }

  /** A fresh profile: empty IndexedDB and HTTP cache (a "cold" visit). */
  static async open(baseUrl: string): Promise<AppPage> {
    const profile = mkdtempSync(join(tmpdir(), 'dischargerx-bench-profile-'));
    const context: BrowserContext = await chromium.launchPersistentContext(profile, {
      ...chromiumLaunchOptions(['--enable-blink-features=ForceEagerMeasureMemory']),
      headless: true,
      serviceWorkers: 'block',
      viewport: { width: 1280, height: 900 },
    });
    await context.addInitScript(PAGE_TAP);
    return new AppPage(context.pages()[0] ?? (await context.newPage()), baseUrl, profile);
  }

  async close(): Promise<void> {
    await this.page.context().close();
    rmSync(this.profile, { recursive: true, force: true });
  }

  /** Chromium's full version (a persistent context has no Browser object to ask; the user agent string is reduced). */
  async chromiumVersion(): Promise<string> {
    const v = await this.page.evaluate(`navigator.userAgentData?.getHighEntropyValues(['uaFullVersion']).then((x) => x.uaFullVersion) ?? null`);
    return typeof v === 'string' && v ? v : 'unknown';
  }

  async goto(query: string): Promise<void> {
    await this.page.goto(`${this.baseUrl}?${query}`);
    await this.page.getByTestId('load-model').waitFor({ timeout: 60_000 });
  }

  /** The engine's reply messages since the last drain. */
  async drain(): Promise<WorkerMessage[]> {
    return (await this.page.evaluate(DRAIN_SCRIPT)) as WorkerMessage[];
  }

  /** Click "load model", wait for ready (page clock). */
  async load(timeoutMs: number): Promise<LoadMeasurement & { info: EngineInfo }> {
    const noticesBefore = this.cacheNotices.length;
    const wall = await inPage<{ ms: number; outcome: string }>(this.page, LOAD_SCRIPT, timeoutMs);
    if (wall.outcome !== 'ready') throw new Error(`model load did not finish: ${wall.outcome}`);
    const info = (await this.drain()).find((m): m is Extract<WorkerMessage, { type: 'loaded' }> => m.type === 'loaded')?.info;
    if (!info) throw new Error('the engine worker reported no "loaded" message (page instrumentation missing?)');
    // The cache notice is logged by the page after the worker's BroadcastChannel / log event.
    await this.page.waitForTimeout(100);
    const notices = this.cacheNotices.slice(noticesBefore);
    return {
      readyMs: wall.ms,
      loadMs: info.loadMs,
      warmupMs: info.warmupMs,
      phases: info.loadPhases ?? {},
      bytes: info.bytes,
      backend: info.backend,
      dtype: info.dtype,
      cache: notices.at(-1) ?? null,
      info,
    };
  }

  /** One recommendation through the note box; returns page and worker timings. */
  async recommend(note: string, timeoutMs: number): Promise<NoteTiming> {
    await this.page.getByTestId('tab-recommend').click();
    await this.page.getByTestId('note-input').fill(note);
    await this.drain();
    const wall = await inPage<{ ms: number; outcome: string }>(this.page, RECOMMEND_SCRIPT, timeoutMs);
    if (wall.outcome !== 'ok') throw new Error(`recommendation did not finish: ${wall.outcome}`);
    const result = (await this.drain()).filter((m): m is Extract<WorkerMessage, { type: 'result' }> => m.type === 'result').at(-1);
    if (!result) throw new Error('the engine worker reported no "result" message');
    return { inferenceMs: result.inferenceMs, steps: result.steps, pageMs: wall.ms, backend: result.backend, dtype: result.dtype };
  }

  /** The batch screen on `file` (records with the model), click start → done. */
  async batch(file: string, records: number, timeoutMs: number, log: (m: string) => void): Promise<BatchRun> {
    await this.page.getByTestId('tab-batch').click();
    await this.page.getByTestId('batch-file-input').setInputFiles(file);
    await this.page.waitForSelector(`[data-testid=batch-file-info][data-records="${records}"]`, { timeout: 60_000 });
    await this.page.getByTestId('batch-method').selectOption('model');
    await this.drain();
    const checksBefore = this.poolChecks.length;
    const memoryBefore = await this.memory();
    await this.page.evaluate(`${WORKERS_SCRIPT}(true)`);
    const cdp = await this.page.context().newCDPSession(this.page);
    await cdp.send('Performance.enable');
    const taskSeconds = async () => (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'TaskDuration')?.value ?? null;
    const taskBefore = await taskSeconds();
    // Progress on stderr every 30 s (a read of the progress bar's attributes; nothing is timed by it).
    const progress = setInterval(() => {
      this.page
        .getAttribute('[data-testid=batch-progress]', 'data-done', { timeout: 1000 })
        .then((done) => log(`batch: ${done ?? 0}/${records} records`))
        .catch(() => undefined);
    }, 30_000);
    let memoryDuring: Promise<number | null> = Promise.resolve(null);
    const during = setTimeout(() => (memoryDuring = this.memory().catch(() => null)), 10_000);
    let wall: { ms: number; outcome: string; done: string };
    try {
      wall = await inPage<{ ms: number; outcome: string; done: string }>(this.page, BATCH_SCRIPT, timeoutMs);
    } finally {
      clearInterval(progress);
      clearTimeout(during);
    }
    if (wall.outcome !== 'done' || wall.done !== String(records)) {
      throw new Error(`batch did not finish: ${wall.outcome}, ${wall.done}/${records} records`);
    }
    const taskAfter = await taskSeconds();
    await cdp.detach();
    const results = (await this.drain()).filter((m): m is Extract<WorkerMessage, { type: 'result' }> => m.type === 'result');
    const { peak } = (await this.page.evaluate(`${WORKERS_SCRIPT}(false)`)) as { alive: number; peak: number };
    const memoryAfter = await this.memory();
    const { alive } = (await this.page.evaluate(`${WORKERS_SCRIPT}(false)`)) as { alive: number; peak: number };
    const kept = await this.page.getAttribute('[data-testid=batch-run-info]', 'data-engines', { timeout: 1000 }).catch(() => null);
    return {
      records,
      ms: wall.ms,
      decodeMs: results.reduce((s, r) => s + r.inferenceMs, 0),
      results: results.length,
      workers: peak,
      workersAfter: alive,
      enginesKept: kept ? Number(kept) : null,
      poolCheck: this.poolChecks.slice(checksBefore).join('; ') || null,
      mainThreadMs: taskBefore !== null && taskAfter !== null ? (taskAfter - taskBefore) * 1000 : null,
      memoryBefore,
      memoryAfter,
      memoryDuring: await memoryDuring,
    };
  }

  /** See MEMORY_SCRIPT. */
  private async memory(): Promise<number | null> {
    const bytes = await this.page.evaluate(MEMORY_SCRIPT);
    return typeof bytes === 'number' ? bytes : null;
  }
}

export interface BrowserBenchOptions {
  baseUrl: string;
  modelId: string;
  /** Note texts, as a clinician pastes them; WASM uses all, WebGPU the first `webgpuNotes`. */
  notes: readonly string[];
  webgpuNotes: number;
  /** JSONL file for the batch screen and its record count (null = no batch). */
  batch: { file: string; records: number } | null;
  skipWebgpu: boolean;
  /**
   * Engine workers the batch screen may use (`?batchWorkers=N`; null = the app's own choice), one
   * batch per entry, in turn; empty = one batch with the app's own choice.
   */
  batchWorkers: readonly (number | null)[];
  /** How many times the batches above run, alternating (a before/after on one busy machine). */
  batchRounds: number;
  log: (m: string) => void;
}

export interface BrowserBenchResult {
  chromium: string;
  wasm: BackendRun | null;
  webgpu: BackendRun | null;
  /** Each batch run, in the order run; `requested` = the ?batchWorkers it ran with (null = the app's choice). */
  batches: (BatchRun & { requested: number | null; round: number })[];
  /** Version the weight cache is keyed with (IndexedDB manifest), i.e. the model version the app loaded. */
  modelVersion: string | null;
  errors: string[];
}

async function cachedVersion(page: Page, modelId: string): Promise<string | null> {
  return inPage<string | null>(page, CACHED_VERSION_SCRIPT, modelId);
}

/** Cold load, warm load, then per-note latency, on one backend in one fresh context. */
async function runBackend(
  o: BrowserBenchOptions,
  query: string,
  notes: readonly string[],
  timeouts: { load: number; note: number },
  label: string,
  after?: (app: AppPage) => Promise<void>,
): Promise<{ run: BackendRun; version: string | null }> {
  const app = await AppPage.open(o.baseUrl);
  try {
    o.log(`${label}: cold load (fresh profile: empty IndexedDB and HTTP cache)`);
    await app.goto(query);
    chromiumSeen ??= await app.chromiumVersion();
    const cold = await app.load(timeouts.load);
    const version = await cachedVersion(app.page, o.modelId);
    // One untimed note first (as Node's decodeRecords does), then the timed ones.
    if (notes.length > 0) await app.recommend(notes[0]!, timeouts.note);
    const timings: NoteTiming[] = [];
    for (const [i, note] of notes.entries()) {
      const t = await app.recommend(note, timeouts.note);
      timings.push(t);
      o.log(`${label}: note ${i + 1}/${notes.length}: ${Math.round(t.inferenceMs)} ms decode, ${t.steps} model calls`);
    }
    // The warm load comes after the notes, as a returning user's: the app has been used in this
    // profile, so Chromium has had the chance to keep compiled code for onnxruntime's wasm.
    o.log(`${label}: warm load (reload: weights from IndexedDB, onnxruntime from the HTTP cache)`);
    await app.goto(query);
    const warm = await app.load(timeouts.load);
    o.log(`${label}: ${warm.info.backend} ${warm.info.dtype}; cold ${Math.round(cold.readyMs)} ms, warm ${Math.round(warm.readyMs)} ms (cache: ${warm.cache ?? '—'})`);
    if (after) await after(app);
    const { info, ...warmLoad } = warm;
    const { info: _coldInfo, ...coldLoad } = cold;
    return { run: { cold: coldLoad, warm: warmLoad, info, notes: timings }, version };
  } finally {
    await app.close();
  }
}

/** Chromium's version, read in the first page opened. */
let chromiumSeen: string | null = null;

export async function runBrowserBench(o: BrowserBenchOptions): Promise<BrowserBenchResult> {
  chromiumSeen = null;
  const out: BrowserBenchResult = { chromium: '', wasm: null, webgpu: null, batches: [], modelVersion: null, errors: [] };
  const wasmQuery = `model=${encodeURIComponent(o.modelId)}&backend=wasm&dtype=q8`;
  try {
    try {
      const r = await runBackend(
        o,
        wasmQuery,
        o.notes,
        { load: 900_000, note: 900_000 },
        'WASM q8',
        async (app) => {
          if (!o.batch) return;
          const counts: (number | null)[] = o.batchWorkers.length ? [...o.batchWorkers] : [null];
          for (let round = 1; round <= o.batchRounds; round++) {
            for (const requested of counts) {
              if (out.batches.length > 0 || requested !== null) {
                // A fresh page with this engine count (the model from IndexedDB, as a warm load).
                await app.goto(requested === null ? wasmQuery : `${wasmQuery}&batchWorkers=${requested}`);
                await app.load(900_000);
              }
              const tag = `${requested === null ? "app's choice" : `batchWorkers=${requested}`}${o.batchRounds > 1 ? `, round ${round}` : ''}`;
              o.log(`WASM q8: batch screen, ${o.batch.records} records (${tag})`);
              const b = await app.batch(o.batch.file, o.batch.records, Math.max(900_000, o.batch.records * 120_000), o.log);
              out.batches.push({ ...b, requested, round });
              const mib = (x: number | null) => (x === null ? '—' : `${(x / 2 ** 20).toFixed(1)} MiB`);
              o.log(
                `WASM q8: batch (${tag}) ${b.records} records in ${(b.ms / 1000).toFixed(1)} s (${(b.records / (b.ms / 1000)).toFixed(2)} records/s) on ${b.workers} engine worker(s)${b.enginesKept !== null && b.enginesKept !== b.workers ? ` (${b.enginesKept} kept)` : ''}, ` +
                  `${b.workersAfter} left after; decode ${Math.round(b.decodeMs / b.records)} ms/record (worker wall); page main thread ${b.mainThreadMs === null ? '—' : Math.round(b.mainThreadMs / b.records)} ms/record; ` +
                  `memory ${mib(b.memoryBefore)} before → ${mib(b.memoryDuring)} during → ${mib(b.memoryAfter)} after` +
                  (b.poolCheck ? `; throughput check: ${b.poolCheck}` : ''),
              );
            }
          }
        },
      );
      out.wasm = r.run;
      out.modelVersion = r.version;
    } catch (e) {
      out.errors.push(`browser WASM: ${firstLine(e)}`);
    }
    if (!o.skipWebgpu) {
      try {
        // SwiftShader runs WebGPU on the CPU (minutes per note on a busy machine): generous limits.
        // The limits only stop a hung run; they say nothing about acceptable speed.
        const r = await runBackend(
          o,
          `model=${encodeURIComponent(o.modelId)}&backend=webgpu`,
          o.notes.slice(0, o.webgpuNotes),
          { load: 3_600_000, note: 3_600_000 },
          'WebGPU',
        );
        out.webgpu = r.run;
        out.modelVersion ??= r.version;
      } catch (e) {
        out.errors.push(`browser WebGPU: ${firstLine(e)}`);
      }
    }
  } finally {
    out.chromium = chromiumSeen ?? 'unknown';
  }
  return out;
}

export function adapterText(a: AdapterSummary | null): string | null {
  if (!a) return null;
  const name = [a.vendor, a.architecture, a.device || a.description].filter(Boolean).join(' ') || 'unknown adapter';
  return a.isFallback ? `${name} (fallback adapter)` : name;
}

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0]!;
}
