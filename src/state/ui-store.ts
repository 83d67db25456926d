import { create } from 'zustand';
import type { Locale } from '../app/i18n.ts';

interface UiState {
  locale: Locale;
  toggleLocale: () => void;
}

export const useUiStore = create<UiState>((set) => ({
  locale: 'zh',
  toggleLocale: () => set((s) => ({ locale: s.locale === 'zh' ? 'en' : 'zh' })),
}));
