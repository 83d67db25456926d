import { create } from 'zustand';
import type { BatchMetrics, BatchRow } from './batch-types.ts';

/**
 * Plain, serialisable state of the batch-scoring screen. The parsed records themselves are not
 * kept here (src/features/batch/batch-controller.ts holds them, and drops them after a large run);
 * the store keeps only what the screen shows: file facts, progress, rows and metrics.
 */
export type BatchMethod = 'model' | 'baseline';
export type BatchStatus = 'empty' | 'reading' | 'ready' | 'running' | 'done' | 'cancelled';

export interface BatchFileInfo {
  name: string;
  bytes: number;
  records: number;
  /** Every record carries 出院带药列表. */
  labelled: boolean;
}

export interface BatchState {
  status: BatchStatus;
  method: BatchMethod;
  file: BatchFileInfo | null;
  /** File reading / parsing error (one line naming file, line and field), or a run failure. */
  error: string | null;
  /** Model loading phase while a model run waits for the engine. */
  loadingModel: boolean;
  total: number;
  done: number;
  errors: number;
  startedAt: number | null;
  /** performance.now() of the last progress update (for the ETA). */
  updatedAt: number | null;
  finishedAt: number | null;
  /** Method the rows were produced with. */
  ranWith: BatchMethod | null;
  rows: BatchRow[];
  metrics: BatchMetrics | null;
  /** Chromium's usedJSHeapSize at the 200th and the last record of the last run (bytes). */
  heapAt200: number | null;
  heapAtEnd: number | null;
  /** Engines decoding the last model run side by side (the app's engine + the batch's extras); null for the baseline. */
  engines: number | null;
  page: number;
  /**
   * Records pasted on another screen, handed over as text (plain data) for the batch screen to
   * read as a file: the recommend screen asks, the batch feature takes it, neither imports the other.
   */
  handoff: { name: string; text: string } | null;
}

interface BatchActions {
  patch: (p: Partial<BatchState>) => void;
  setMethod: (m: BatchMethod) => void;
  setPage: (page: number) => void;
  appendRows: (rows: BatchRow[], done: number, errors: number, at: number) => void;
  reset: () => void;
  handOff: (name: string, text: string) => void;
  takeHandoff: () => { name: string; text: string } | null;
}

const initial: BatchState = {
  status: 'empty',
  method: 'baseline',
  file: null,
  error: null,
  loadingModel: false,
  total: 0,
  done: 0,
  errors: 0,
  startedAt: null,
  updatedAt: null,
  finishedAt: null,
  ranWith: null,
  rows: [],
  metrics: null,
  heapAt200: null,
  heapAtEnd: null,
  engines: null,
  page: 0,
  handoff: null,
};

export const useBatchStore = create<BatchState & BatchActions>((set, get) => ({
  ...initial,
  patch: (p) => set(p),
  setMethod: (method) => set({ method }),
  setPage: (page) => set({ page }),
  appendRows: (rows, done, errors, at) => set((s) => ({ rows: s.rows.concat(rows), done, errors, updatedAt: at })),
  reset: () => set((s) => ({ ...initial, method: s.method, handoff: s.handoff })),
  handOff: (name, text) => set({ handoff: { name, text } }),
  takeHandoff: () => {
    const h = get().handoff;
    if (h) set({ handoff: null });
    return h;
  },
}));
