/**
 * Glue between the batch screen, the store, the runner and the recommenders (engine worker or
 * co-occurrence baseline). Module-level, outside React: it holds the parsed records of the
 * current file (plain data) and the AbortController of the running batch.
 */
import { isRecordError } from '../../clinical/errors.ts';
import { Formulary } from '../../clinical/formulary.ts';
import { decodeUtf8Strict, parseRecordsText } from '../../clinical/read-records.ts';
import type { CDrugRedRecord } from '../../clinical/record.ts';
import { openBatchEngines } from '../../app/engine-session.ts';
import type { EnginePool } from '../../engine/engine-pool.ts';
import { useBatchStore, type BatchMethod } from '../../state/batch-store.ts';
import { useUiStore } from '../../state/ui-store.ts';
import { predictWithBaseline } from './batch-baseline.ts';
import { computeMetrics, runBatch, submissionText, type BatchRow, type RecommendFn } from './batch-runner.ts';

/** Above this many records the parsed file is released after a run (re-read from the File on the next one). */
export const RELEASE_AFTER_RUN = 500;
const FLUSH_MS = 150;

let heldFile: File | null = null;
let heldRecords: CDrugRedRecord[] | null = null;
let controller: AbortController | null = null;

function heapBytes(): number | null {
  const m = (performance as Performance & { memory?: { usedJSHeapSize?: number } }).memory;
  return typeof m?.usedJSHeapSize === 'number' ? m.usedJSHeapSize : null;
}

const normalize = (name: string) => Formulary.bundled().normalize(name);

async function readRecords(file: File): Promise<CDrugRedRecord[]> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  const text = decodeUtf8Strict(bytes, file.name);
  return parseRecordsText(text, file.name);
}

function describeFileError(e: unknown, fileName: string): string {
  if (isRecordError(e)) return e.message; // already "file line N, field F: reason"
  const msg = e instanceof Error ? e.message : String(e);
  return `${fileName}: ${msg}`;
}

/** Reads, strictly decodes and validates a records file; errors go to the store, never thrown. */
export async function loadBatchFile(file: File): Promise<void> {
  const store = useBatchStore.getState();
  if (store.status === 'running') return;
  store.reset();
  heldFile = null;
  heldRecords = null;
  useBatchStore.getState().patch({ status: 'reading' });
  try {
    const records = await readRecords(file);
    heldFile = file;
    heldRecords = records;
    useBatchStore.getState().patch({
      status: 'ready',
      total: records.length,
      file: {
        name: file.name,
        bytes: file.size,
        records: records.length,
        labelled: records.every((r) => Array.isArray(r.出院带药列表)),
      },
    });
  } catch (e) {
    useBatchStore.getState().patch({ status: 'empty', error: describeFileError(e, file.name) });
  }
}

function recommenderFor(method: BatchMethod, engines: EnginePool | null): RecommendFn {
  if (method === 'baseline' || !engines) return (record) => predictWithBaseline(record, useUiStore.getState().safety);
  return async (record, signal) => {
    // Each engine reloads its model first after a worker crash (src/engine/engine-pool.ts).
    const result = await engines.recommend({ record: record as unknown as Record<string, unknown>, safety: useUiStore.getState().safety }, { signal });
    return { drugs: result.drugs.map((d) => d.name), withheld: (result.withheld ?? []).map((w) => ({ drug: w.drug, reason: w.reason })) };
  };
}

/** Runs the current file with the chosen method. Resolves when the batch ends (done or cancelled). */
export async function startBatch(): Promise<void> {
  const s = useBatchStore.getState();
  if (s.status === 'running' || !heldFile) return;
  const method = s.method;
  controller = new AbortController();
  const { signal } = controller;
  s.patch({
    status: 'running',
    error: null,
    rows: [],
    metrics: null,
    done: 0,
    errors: 0,
    page: 0,
    startedAt: performance.now(),
    updatedAt: null,
    finishedAt: null,
    ranWith: method,
    heapAt200: null,
    heapAtEnd: null,
    engines: null,
    loadingModel: method === 'model',
  });
  let records: CDrugRedRecord[] | null = heldRecords;
  let engines: EnginePool | null = null;
  try {
    records ??= await readRecords(heldFile);
    if (method === 'model') {
      // The model and its settings as the batch starts; the extra engines load while the app's
      // engine already decodes.
      engines = await openBatchEngines(useUiStore.getState());
      useBatchStore.getState().patch({ loadingModel: false, startedAt: performance.now(), engines: engines.size });
    }
  } catch (e) {
    const msg = isRecordError(e) ? e.message : e instanceof Error ? e.message : String(e);
    useBatchStore.getState().patch({ status: 'ready', loadingModel: false, error: msg });
    controller = null;
    return;
  }
  if (signal.aborted) {
    engines?.close();
    useBatchStore.getState().patch({ status: 'cancelled', finishedAt: performance.now() });
    controller = null;
    return;
  }

  let buffer: BatchRow[] = [];
  let lastFlush = performance.now();
  let done = 0;
  let errors = 0;
  const flush = () => {
    const at = performance.now();
    useBatchStore.getState().appendRows(buffer, done, errors, at);
    buffer = [];
    lastFlush = at;
  };
  const outcome = await runBatch({
    records,
    recommend: recommenderFor(method, engines),
    signal,
    normalize,
    // Every engine busy, and the next record already waiting in each (see EnginePool.capacity).
    concurrency: engines?.capacity ?? 1,
    onRow: (row, d) => {
      buffer.push(row);
      done = d;
      if (row.error !== null) errors++;
      if (d === 200) useBatchStore.getState().patch({ heapAt200: heapBytes() });
      if (performance.now() - lastFlush >= FLUSH_MS) flush();
    },
  });
  // Done or cancelled: the extra engines' workers go now (a cancel also stops what they decode).
  // The count shown is what was left at the end: an engine that could not load left early.
  if (engines) useBatchStore.getState().patch({ engines: engines.size });
  engines?.close();
  engines = null;
  flush();
  const rows = useBatchStore.getState().rows;
  const labelled = useBatchStore.getState().file?.labelled ?? false;
  useBatchStore.getState().patch({
    status: outcome.status,
    finishedAt: performance.now(),
    metrics: labelled ? computeMetrics(rows, normalize) : null,
    heapAtEnd: heapBytes(),
  });
  // Records are only needed to run; a large file is re-read from disk on the next run.
  if (records.length > RELEASE_AFTER_RUN) heldRecords = null;
  records = null;
  controller = null;
}

/** Stops the running batch within the record in flight; finished rows are kept. */
export function cancelBatch(): void {
  controller?.abort(new DOMException('batch cancelled by the user', 'AbortError'));
}

/** Builds the CHIP submission file of the finished rows and hands it to the browser. */
export function downloadSubmission(): void {
  const { rows, file } = useBatchStore.getState();
  const blob = new Blob([submissionText(rows)], { type: 'application/json;charset=utf-8' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = `${(file?.name ?? 'batch').replace(/\.(jsonl?|json)$/i, '')}.submission.json`;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
