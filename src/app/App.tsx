import { useEffect } from 'react';
import { BatchScreen } from '../features/batch/BatchScreen.tsx';
import { CacheNotice, ModelsScreen } from '../features/models/ModelsScreen.tsx';
import { SiteSelectionBanner } from '../features/models/SitePanels.tsx';
import { refreshSiteData } from '../features/models/site-actions.ts';
import { listenForCacheNotices } from '../storage/cache-status.ts';
import { RecommendScreen } from '../features/recommend/RecommendScreen.tsx';
import { useUiStore, type Screen } from '../state/ui-store.ts';
import { useMessages, useT, type FeatureMessages } from './i18n.ts';

const tabLabels: FeatureMessages<Screen> = {
  zh: { recommend: '单份病历推荐', batch: '批量评分', models: '模型与缓存' },
  en: { recommend: 'Recommend', batch: 'Batch scoring', models: 'Models & cache' },
};
const SCREENS: readonly Screen[] = ['recommend', 'batch', 'models'];

export function App() {
  const t = useT();
  const tab = useMessages(tabLabels);
  const locale = useUiStore((s) => s.locale);
  const toggleLocale = useUiStore((s) => s.toggleLocale);
  const screen = useUiStore((s) => s.screen);
  const setScreen = useUiStore((s) => s.setScreen);
  useEffect(() => {
    // The worker's cache notices (e.g. "running from memory") and the site's own models / lists.
    listenForCacheNotices();
    void refreshSiteData();
  }, []);
  useEffect(() => {
    document.documentElement.lang = locale === 'zh' ? 'zh-CN' : 'en';
    document.title = t('appTitle');
  }, [locale, t]);
  return (
    <div className="app">
      <header className="app-header">
        <h1>{t('appTitle')}</h1>
        <button type="button" onClick={toggleLocale} data-testid="toggle-locale">
          {t('language')}
        </button>
      </header>
      <p className="notice" role="note" data-testid="synthetic-notice">
        {t('syntheticNotice')}
      </p>
      {/* App-wide: visible on every screen, not only in the Models tab. */}
      <CacheNotice />
      <SiteSelectionBanner />
      <nav className="tabs" role="tablist">
        {SCREENS.map((s) => (
          <button
            key={s}
            type="button"
            role="tab"
            aria-selected={screen === s}
            className={screen === s ? 'tab active' : 'tab'}
            onClick={() => setScreen(s)}
            data-testid={`tab-${s}`}
          >
            {tab(s)}
          </button>
        ))}
      </nav>
      {/* Screens stay mounted so switching tabs never loses a typed note or a running batch. */}
      <div hidden={screen !== 'recommend'}>
        <RecommendScreen />
      </div>
      <div hidden={screen !== 'batch'}>
        <BatchScreen />
      </div>
      <div hidden={screen !== 'models'}>
        <ModelsScreen />
      </div>
    </div>
  );
}
