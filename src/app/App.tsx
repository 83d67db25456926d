import { useEffect } from 'react';
import { RecommendScreen } from '../features/recommend/RecommendScreen.tsx';
import { useUiStore } from '../state/ui-store.ts';
import { useT } from './i18n.ts';

export function App() {
  const t = useT();
  const locale = useUiStore((s) => s.locale);
  const toggleLocale = useUiStore((s) => s.toggleLocale);
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
      <RecommendScreen />
    </div>
  );
}
