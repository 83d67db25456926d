import { useEffect, useRef, type KeyboardEvent } from 'react';
import { BatchScreen } from '../features/batch/BatchScreen.tsx';
import { CacheNotice, ModelsScreen } from '../features/models/ModelsScreen.tsx';
import { SiteSelectionBanner } from '../features/models/SitePanels.tsx';
import { refreshSiteData } from '../features/models/site-actions.ts';
import { RecommendScreen } from '../features/recommend/RecommendScreen.tsx';
import { printMessages } from '../features/recommend/print/messages.ts';
import { PrintSheetFromStores } from '../features/recommend/print/PrintSheetFromStores.tsx';
import { useNoteStore } from '../state/note-store.ts';
import { useUiStore, type Screen } from '../state/ui-store.ts';
import { localeTag, useMessages, useT } from './i18n.ts';
import { SCREENS, tabLabels } from './tabs.ts';
import { useOnline } from './online.ts';

export function App() {
  const t = useT();
  const tab = useMessages(tabLabels);
  const p = useMessages(printMessages);
  const hasRun = useNoteStore((s) => s.run !== null);
  const locale = useUiStore((s) => s.locale);
  const toggleLocale = useUiStore((s) => s.toggleLocale);
  const screen = useUiStore((s) => s.screen);
  const setScreen = useUiStore((s) => s.setScreen);
  const online = useOnline();
  const tabRefs = useRef<Array<HTMLButtonElement | null>>([]);
  const onTabKey = (e: KeyboardEvent) => {
    const at = SCREENS.indexOf(screen);
    const next =
      e.key === 'ArrowRight' ? (at + 1) % SCREENS.length
      : e.key === 'ArrowLeft' ? (at - 1 + SCREENS.length) % SCREENS.length
      : e.key === 'Home' ? 0
      : e.key === 'End' ? SCREENS.length - 1
      : null;
    if (next === null) return;
    e.preventDefault();
    setScreen(SCREENS[next] as Screen);
    tabRefs.current[next]?.focus();
  };
  useEffect(() => {
    // The site's own models / lists (cache notices arrive on the engine's event channel).
    void refreshSiteData();
  }, []);
  useEffect(() => {
    document.documentElement.lang = localeTag(locale);
    document.title = t('appTitle');
  }, [locale, t]);
  return (
    <div className="app">
      <header className="app-header">
        <h1>{t('appTitle')}</h1>
        <div className="app-header-actions">
          {screen === 'recommend' && hasRun && (
            <button type="button" onClick={() => window.print()} data-testid="print-button">
              {p('print')}
            </button>
          )}
          {/* The button names the other language, in that language. */}
          <button type="button" onClick={toggleLocale} data-testid="toggle-locale" lang={locale === 'zh' ? 'en' : 'zh-CN'}>
            {t('language')}
          </button>
        </div>
      </header>
      <p className="notice" role="note" data-testid="synthetic-notice">
        {t('syntheticNotice')}
      </p>
      {!online && (
        <p className="notice warn" role="status" data-testid="offline-indicator">
          {t('offline')}
        </p>
      )}
      {/* App-wide: visible on every screen, not only in the Models tab. */}
      <CacheNotice />
      <SiteSelectionBanner />
      {/* WAI-ARIA tabs: arrow keys / Home / End move between tabs and select (automatic activation). */}
      <div className="tabs" role="tablist" aria-label={t('tabsLabel')} onKeyDown={onTabKey}>
        {SCREENS.map((s, i) => (
          <button
            key={s}
            ref={(el) => {
              tabRefs.current[i] = el;
            }}
            type="button"
            role="tab"
            id={`tab-${s}`}
            aria-controls={`panel-${s}`}
            aria-selected={screen === s}
            tabIndex={screen === s ? 0 : -1}
            className={screen === s ? 'tab active' : 'tab'}
            onClick={() => setScreen(s)}
            data-testid={`tab-${s}`}
          >
            {tab(s)}
          </button>
        ))}
      </div>
      {/* Screens stay mounted so switching tabs never loses a typed note or a running batch. */}
      <div role="tabpanel" id="panel-recommend" aria-labelledby="tab-recommend" hidden={screen !== 'recommend'}>
        <RecommendScreen />
      </div>
      <div role="tabpanel" id="panel-batch" aria-labelledby="tab-batch" hidden={screen !== 'batch'}>
        <BatchScreen />
      </div>
      <div role="tabpanel" id="panel-models" aria-labelledby="tab-models" hidden={screen !== 'models'}>
        <ModelsScreen />
      </div>
      {/* Print-only (print.css): the discharge-medication sheet replaces the whole app on paper. */}
      <PrintSheetFromStores />
    </div>
  );
}
