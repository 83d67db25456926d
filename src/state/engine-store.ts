import { create } from 'zustand';
import type { Backend, BackendReason, CandidateReport, EngineErrorCode, LoadPhase, ModelDtype } from '../engine/protocol.ts';

/**
 * Plain, serialisable status of the model engine for the UI. The engine itself (worker, model,
 * tokenizer) lives in the worker behind src/app/engine-session.ts, never here.
 */
export interface EngineStatus {
  phase: 'idle' | 'loading' | 'ready' | 'error';
  loadPhase: LoadPhase | null;
  bytesLoaded: number;
  bytesTotal: number;
  currentFile: string | null;
  modelId: string | null;
  modelVersion: string | null;
  /** The loaded model (bundled or a site's own) is a random-weight test fixture. */
  fixture: boolean;
  backend: Backend | null;
  dtype: ModelDtype | null;
  reason: BackendReason | null;
  adapter: string | null;
  numThreads: number | null;
  loadMs: number | null;
  warmupMs: number | null;
  calibrated: boolean;
  /** Worker-side decode time of the last recommendation, ms. */
  inferenceMs: number | null;
  /** Page-side time of the last recommendation (click → result), ms. */
  totalMs: number | null;
  running: boolean;
  error: { code: EngineErrorCode; message: string } | null;
  /**
   * How the candidate list (listId null = bundled formulary) fits the loaded model's tokenizer:
   * from the last load, recommendation or check. Names it cannot write are left out.
   */
  candidateReport: (CandidateReport & { listId: string | null }) | null;
}

interface EngineState extends EngineStatus {
  patch: (p: Partial<EngineStatus>) => void;
  reset: () => void;
}

const initial: EngineStatus = {
  phase: 'idle',
  loadPhase: null,
  bytesLoaded: 0,
  bytesTotal: 0,
  currentFile: null,
  modelId: null,
  modelVersion: null,
  fixture: false,
  backend: null,
  dtype: null,
  reason: null,
  adapter: null,
  numThreads: null,
  loadMs: null,
  warmupMs: null,
  calibrated: false,
  inferenceMs: null,
  totalMs: null,
  running: false,
  error: null,
  candidateReport: null,
};

export const useEngineStore = create<EngineState>((set) => ({
  ...initial,
  patch: (p) => set(p),
  reset: () => set(initial),
}));
