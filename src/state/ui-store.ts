import { create } from 'zustand';
import type { Locale } from '../app/i18n.ts';
import { MODEL_DTYPES, type BackendPreference, type ModelDtype } from '../engine/protocol.ts';

export type RecommendMethod = 'model' | 'baseline';

export interface EngineSettings {
  method: RecommendMethod;
  backend: BackendPreference;
  /** Forced weights variant; null = the backend's default (q4 WebGPU, q8 WASM). */
  dtype: ModelDtype | null;
  /** Bundled model folder id; null = the default one. */
  modelId: string | null;
}

/**
 * Settings from the URL (?method=model|baseline&backend=auto|webgpu|wasm&dtype=q8|q4|fp32|…&model=ID),
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
  };
}

/** Top-level screens of the app (tabs). */
export type Screen = 'recommend' | 'batch' | 'models';

interface UiState extends EngineSettings {
  locale: Locale;
  screen: Screen;
  setScreen: (screen: Screen) => void;
  toggleLocale: () => void;
  setMethod: (m: RecommendMethod) => void;
  setBackend: (b: BackendPreference) => void;
}

const fromUrl = settingsFromSearch(typeof location === 'undefined' ? '' : location.search);

export const useUiStore = create<UiState>((set) => ({
  locale: 'zh',
  screen: 'recommend',
  setScreen: (screen) => set({ screen }),
  ...fromUrl,
  toggleLocale: () => set((s) => ({ locale: s.locale === 'zh' ? 'en' : 'zh' })),
  setMethod: (method) => set({ method }),
  setBackend: (backend) => set({ backend }),
}));
