/**
 * What the Models tab does with a site's own models and candidate lists: read them from
 * IndexedDB into the site store, import, select (UI store, persisted), remove. No React.
 */
import { forgetModel } from '../../app/engine-session.ts';
import { useSiteStore } from '../../state/site-store.ts';
import { useUiStore } from '../../state/ui-store.ts';
import { isSiteModelId } from '../../storage/db.ts';
import {
  deleteCandidateList,
  importCandidateList,
  isListImportError,
  listCandidateLists,
  loadCandidateNames,
} from '../../storage/site-lists.ts';
import { deleteSiteModel, importSiteModel, isSiteImportError, listSiteModels, pickedFromFile } from '../../storage/site-models.ts';

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Names of the selected site list into the store (for the drug search); null for the bundled formulary. */
async function loadActiveList(): Promise<void> {
  const listId = useUiStore.getState().listId;
  if (listId === null) {
    useSiteStore.getState().patch({ activeListNames: null });
    return;
  }
  const names = await loadCandidateNames(listId);
  // Still the selected one after the await?
  if (useUiStore.getState().listId === listId) useSiteStore.getState().patch({ activeListNames: names });
}

let queue: Promise<void> = Promise.resolve();

/**
 * Reads the site's models and lists from IndexedDB (calls run one after another, so the last
 * one sees every earlier change). A persisted selection whose model / list is gone (removed in
 * another tab, storage cleared) falls back to the default.
 */
export function refreshSiteData(): Promise<void> {
  queue = queue.then(async () => {
    try {
      const [models, lists] = await Promise.all([listSiteModels(), listCandidateLists()]);
      useSiteStore.getState().patch({ models, lists, ready: true, storageError: null });
      const ui = useUiStore.getState();
      if (isSiteModelId(ui.modelId) && !models.some((m) => m.id === ui.modelId)) ui.setModelId(null);
      if (ui.listId !== null && !lists.some((l) => l.id === ui.listId)) ui.setListId(null);
      await loadActiveList();
    } catch (e) {
      useSiteStore.getState().patch({ ready: true, storageError: message(e) });
    }
  });
  return queue;
}

/** Imports a model folder (directory pick or loose files). Errors go to the store, typed. */
export async function importModelFolder(files: readonly File[], name?: string): Promise<string | null> {
  const store = useSiteStore.getState();
  if (store.importingModel) return null;
  store.patch({ importingModel: true, modelError: null, importProgress: null });
  try {
    const summary = await importSiteModel(files.map(pickedFromFile), {
      ...(name ? { name } : {}),
      onProgress: (written, total) => useSiteStore.getState().patch({ importProgress: { written, total } }),
    });
    // A re-import under the same name replaces the stored version: drop the loaded one.
    await forgetModel(summary.id);
    await refreshSiteData();
    return summary.id;
  } catch (e) {
    useSiteStore.getState().patch({
      modelError: isSiteImportError(e)
        ? { code: e.code, ...(e.file ? { file: e.file } : {}), ...(e.detail ? { detail: e.detail } : {}) }
        : { code: 'storage-failed', detail: message(e) },
    });
    return null;
  } finally {
    useSiteStore.getState().patch({ importingModel: false, importProgress: null });
  }
}

export async function importListFile(file: File, name?: string): Promise<string | null> {
  const store = useSiteStore.getState();
  if (store.importingList) return null;
  store.patch({ importingList: true, listError: null });
  try {
    const summary = await importCandidateList(file, name);
    await refreshSiteData();
    return summary.id;
  } catch (e) {
    useSiteStore.getState().patch({
      listError: isListImportError(e) ? { code: e.code, ...(e.detail ? { detail: e.detail } : {}) } : { code: 'list-storage-failed', detail: message(e) },
    });
    return null;
  } finally {
    useSiteStore.getState().patch({ importingList: false });
  }
}

export function selectModel(id: string | null): void {
  useUiStore.getState().setModelId(id);
}

export async function selectList(id: string | null): Promise<void> {
  useUiStore.getState().setListId(id);
  await loadActiveList();
}

/** Removes a site model (its bytes are freed); if it was selected, the default model is selected. */
export async function removeSiteModel(id: string): Promise<void> {
  try {
    if (useUiStore.getState().modelId === id) useUiStore.getState().setModelId(null);
    await forgetModel(id);
    await deleteSiteModel(id);
  } catch (e) {
    useSiteStore.getState().patch({ storageError: message(e) });
  }
  await refreshSiteData();
}

/** Removes a site list; if it was selected, the bundled formulary is selected. */
export async function removeCandidateList(id: string): Promise<void> {
  try {
    if (useUiStore.getState().listId === id) await selectList(null);
    await deleteCandidateList(id);
  } catch (e) {
    useSiteStore.getState().patch({ storageError: message(e) });
  }
  await refreshSiteData();
}
