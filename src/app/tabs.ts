import type { FeatureMessages } from './i18n.ts';
import type { Screen } from '../state/ui-store.ts';

/** The app's screens, in tab order, and their tab labels (kept apart from App.tsx so tests can read them). */
export const SCREENS: readonly Screen[] = ['recommend', 'batch', 'models'];

export const tabLabels: FeatureMessages<Screen> = {
  zh: { recommend: '单份病历推荐', batch: '批量评分', models: '模型与缓存' },
  en: { recommend: 'Recommend', batch: 'Batch scoring', models: 'Models & cache' },
};
