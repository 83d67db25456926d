import { create } from 'zustand';
import { MODEL_DTYPES, type BackendPreference, type ModelDtype } from '../engine/protocol.ts';

export type RecommendMethod = 'model' | 'baseline';

/**
 * The UI languages (中文 is the default: the users are Chinese clinicians). Declared here, below
 * src/app/i18n.ts, because i18n reads the locale from this store: the type living in i18n made
 * the two modules import each other.
 */
export const LOCALES = ['zh', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

/** localStorage key of the UI language: a setting only, never note content. */
export const LOCALE_KEY = 'dischargerx.locale';

export function readLocale(): Locale | null {
  try {
    const v = typeof localStorage === 'undefined' ? null : localStorage.getItem(LOCALE_KEY);
    return (LOCALES as readonly string[]).includes(v ?? '') ? (v as Locale) : null;
  } catch {
    return null;
  }
}

function writeLocale(locale: Locale): void {
  try {
    if (typeof localStorage === 'undefined') return;
    if (locale === 'zh') localStorage.removeItem(LOCALE_KEY);
    else localStorage.setItem(LOCALE_KEY, locale);
  } catch {
    /* storage blocked (private mode): the choice lasts for this visit */
  }
}

export interface EngineSettings {
  method: RecommendMethod;
  backend: BackendPreference;
  /** Forced weights variant; null = the backend's default (q4 WebGPU, q8 WASM). */
  dtype: ModelDtype | null;
  /** Bundled model folder id, or `site:<name>` (a site's own model); null = the default one. */
  modelId: string | null;
  /** A site's own candidate list (`list:<name>`); null = the bundled formulary. */
  listId: string | null;
}

/**
 * Settings from the URL (?method=model|baseline&backend=auto|webgpu|wasm&dtype=q8|q4|fp32|…&model=ID&list=ID),
 * so a site (and the browser tests) can pin a backend without touching the UI.
 */
export function settingsFromSearch(search: string): EngineSettings {
  const q = new URLSearchParams(search);
  const method = q.get('method');
  const backend = q.get('backend');
  const dtype = q.get('dtype');
  return {
    method: method === 'baseline' ? 'baseline' : 'model',
    backend: backend === 'wasm' || backend === 'webgpu' ? backend : 'auto',
    dtype: dtype && (MODEL_DTYPES as readonly string[]).includes(dtype) ? (dtype as ModelDtype) : null,
    modelId: q.get('model') || null,
    listId: q.get('list') || null,
  };
}

/** localStorage key of the model / list the user selected (ids only; never note content). */
export const SELECTION_KEY = 'dischargerx.selection';

export interface Selection {
  modelId: string | null;
  listId: string | null;
}

export function readSelection(): Selection {
  try {
    const raw = typeof localStorage === 'undefined' ? null : localStorage.getItem(SELECTION_KEY);
    const v = raw ? (JSON.parse(raw) as Partial<Selection>) : {};
    return {
      modelId: typeof v.modelId === 'string' && v.modelId ? v.modelId : null,
      listId: typeof v.listId === 'string' && v.listId ? v.listId : null,
    };
  } catch {
    return { modelId: null, listId: null };
  }
}

/**
 * localStorage key of the backend the user chose (auto / webgpu / wasm): a setting only, never
 * note content. A `?backend=` in the URL pins the backend for that visit without changing it.
 */
export const BACKEND_KEY = 'dischargerx.backend';

export function readBackend(): BackendPreference | null {
  try {
    const v = typeof localStorage === 'undefined' ? null : localStorage.getItem(BACKEND_KEY);
    return v === 'auto' || v === 'webgpu' || v === 'wasm' ? v : null;
  } catch {
    return null;
  }
}

function writeBackend(b: BackendPreference): void {
  try {
    if (typeof localStorage === 'undefined') return;
    if (b === 'auto') localStorage.removeItem(BACKEND_KEY);
    else localStorage.setItem(BACKEND_KEY, b);
  } catch {
    /* storage blocked (private mode): the choice lasts for this visit */
  }
}

function writeSelection(s: Selection): void {
  try {
    if (typeof localStorage === 'undefined') return;
    if (s.modelId === null && s.listId === null) localStorage.removeItem(SELECTION_KEY);
    else localStorage.setItem(SELECTION_KEY, JSON.stringify(s));
  } catch {
    /* storage blocked (private mode): the selection lasts for this visit */
  }
}

/** Top-level screens of the app (tabs). */
export type Screen = 'recommend' | 'batch' | 'models';

interface UiState extends EngineSettings {
  locale: Locale;
  screen: Screen;
  setScreen: (screen: Screen) => void;
  /** Switches 中文 ↔ English; persisted across visits (localStorage, LOCALE_KEY). */
  toggleLocale: () => void;
  setMethod: (m: RecommendMethod) => void;
  /** Chooses the backend; persisted across visits (localStorage, BACKEND_KEY). */
  setBackend: (b: BackendPreference) => void;
  /** Selects the model (null = default); persisted across visits. */
  setModelId: (id: string | null) => void;
  /** Selects the candidate list (null = bundled formulary); persisted across visits. */
  setListId: (id: string | null) => void;
  /**
   * Safety filter (src/clinical/withhold.ts): drugs the note rules out are withheld from every
   * recommendation (model and baseline, single and batch). On by default; `?safety=off` or the
   * switch on the recommend screen turns it off for research.
   */
  safety: boolean;
  setSafety: (on: boolean) => void;
}

const search = typeof location === 'undefined' ? '' : location.search;
const fromUrl = settingsFromSearch(search);
// The URL pins a model / list / backend for this visit; otherwise the last choice is restored.
const saved = readSelection();
if (!fromUrl.modelId) fromUrl.modelId = saved.modelId;
if (!fromUrl.listId) fromUrl.listId = saved.listId;
if (!new URLSearchParams(search).has('backend')) fromUrl.backend = readBackend() ?? 'auto';

export const useUiStore = create<UiState>((set) => ({
  locale: readLocale() ?? 'zh',
  screen: 'recommend',
  setScreen: (screen) => set({ screen }),
  ...fromUrl,
  toggleLocale: () =>
    set((s) => {
      const locale: Locale = s.locale === 'zh' ? 'en' : 'zh';
      writeLocale(locale);
      return { locale };
    }),
  setMethod: (method) => set({ method }),
  setBackend: (backend) => {
    writeBackend(backend);
    set({ backend });
  },
  setModelId: (modelId) =>
    set((s) => {
      writeSelection({ modelId, listId: s.listId });
      return { modelId };
    }),
  setListId: (listId) =>
    set((s) => {
      writeSelection({ modelId: s.modelId, listId });
      return { listId };
    }),
  safety: new URLSearchParams(search).get('safety') !== 'off',
  setSafety: (safety) => set({ safety }),
}));
