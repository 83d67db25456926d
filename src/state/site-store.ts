import { create } from 'zustand';
import type { CandidateListSummary } from '../storage/site-lists.ts';
import type { SiteModelSummary } from '../storage/site-models.ts';

/**
 * A site's own models and candidate lists as the UI shows them: plain, serialisable summaries
 * read from IndexedDB (src/storage/site-models.ts, site-lists.ts). Which one is selected lives in
 * the UI store (modelId / listId, persisted). Filled by src/features/models/site-actions.ts.
 */
export interface SiteImportProblem {
  /** SiteImportErrorCode / ListImportErrorCode. */
  code: string;
  file?: string;
  detail?: string;
}

export interface SiteData {
  /** False until the first read from IndexedDB finished. */
  ready: boolean;
  models: SiteModelSummary[];
  lists: CandidateListSummary[];
  /** Names of the selected site list (null: the bundled formulary is selected), for the drug search. */
  activeListNames: string[] | null;
  importingModel: boolean;
  importingList: boolean;
  /** Bytes written / total of the running model import. */
  importProgress: { written: number; total: number } | null;
  modelError: SiteImportProblem | null;
  listError: SiteImportProblem | null;
  /** A storage error while listing / removing (detail only). */
  storageError: string | null;
}

interface SiteState extends SiteData {
  patch: (p: Partial<SiteData>) => void;
}

export const useSiteStore = create<SiteState>((set) => ({
  ready: false,
  models: [],
  lists: [],
  activeListNames: null,
  importingModel: false,
  importingList: false,
  importProgress: null,
  modelError: null,
  listError: null,
  storageError: null,
  patch: (p) => set(p),
}));
