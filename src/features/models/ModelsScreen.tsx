import { useCallback, useEffect, useState } from 'react';
import { formatBytes, useMessages } from '../../app/i18n.ts';
import { useUiStore } from '../../state/ui-store.ts';
import {
  deleteAllCachedModels,
  deleteCachedModel,
  listCachedModels,
  storageInfo,
  type CachedModelSummary,
  type StorageInfo,
} from '../../storage/cache-admin.ts';
import { useCacheStatusStore } from '../../state/cache-status-store.ts';
import { modelsMessages, noticeKey } from './messages.ts';
import { ListChooser, ModelChooser } from './SitePanels.tsx';
import { refreshSiteData } from './site-actions.ts';


/**
 * The "running from memory" notice (no space / quota exceeded / no IndexedDB); null when none.
 * Rendered once, in the app shell (src/app/App.tsx), so it shows on every screen.
 */
export function CacheNotice() {
  const t = useMessages(modelsMessages);
  const memoryOnly = useCacheStatusStore((s) => s.memoryOnly);
  if (!memoryOnly) return null;
  const key = noticeKey(memoryOnly.kind);
  return (
    <p className="notice warn" role="status" data-testid="cache-notice" data-kind={memoryOnly.kind}>
      {key ? t(key) : memoryOnly.kind}
    </p>
  );
}

export function ModelsScreen() {
  const t = useMessages(modelsMessages);
  const locale = useUiStore((s) => s.locale);
  const revision = useCacheStatusStore((s) => s.revision);
  const latest = useCacheStatusStore((s) => s.latest);
  const [models, setModels] = useState<CachedModelSummary[] | null>(null);
  const [storage, setStorage] = useState<StorageInfo | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const refresh = useCallback(async () => {
    try {
      const [list, info] = await Promise.all([listCachedModels(), storageInfo()]);
      setModels(list);
      setStorage(info);
      setError(null);
    } catch (e) {
      setModels([]);
      setStorage(await storageInfo());
      setError(e instanceof Error ? e.message : String(e));
    }
  }, []);

  useEffect(() => {
    void refresh();
  }, [refresh, revision]);
  useEffect(() => {
    void refreshSiteData();
  }, [revision]);

  const run = async (fn: () => Promise<unknown>) => {
    setBusy(true);
    try {
      await fn();
    } finally {
      setBusy(false);
      await refresh();
    }
  };

  const dateFmt = new Intl.DateTimeFormat(locale === 'zh' ? 'zh-CN' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short' });
  const notices = Object.values(latest);

  return (
    <section className="panel" data-testid="models-screen">
      <h2>{t('title')}</h2>
      <ModelChooser />
      <ListChooser />

      <h3>{t('cachedModels')}</h3>
      <p className="hint">{t('explain')}</p>
      {notices.map((n) => {
        const key = noticeKey(n.kind);
        return (
          <p key={n.modelId} className="notice" data-testid="cache-last-notice" data-kind={n.kind} data-model={n.modelId}>
            {n.modelId}: {key ? t(key) : n.kind}
          </p>
        );
      })}

      {error && <p className="error">{error}</p>}
      {models && models.length === 0 && <p data-testid="cache-empty">{t('none')}</p>}
      {models && models.length > 0 && (
        <table data-testid="cached-models">
          <thead>
            <tr>
              <th>{t('model')}</th>
              <th>{t('version')}</th>
              <th>{t('size')}</th>
              <th>{t('files')}</th>
              <th>{t('verified')}</th>
              <th>{t('cachedAt')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {models.map((m) => (
              <tr key={`${m.modelId}@${m.version}`} data-testid="cached-model" data-model={m.modelId} data-version={m.version} data-bytes={m.bytes} data-verified={String(m.verified)}>
                <td>{m.modelId}</td>
                <td>
                  <code>{m.version}</code>
                </td>
                <td data-testid="cached-model-size">{formatBytes(m.bytes)}</td>
                <td>{m.files}</td>
                <td title={m.problem ?? undefined}>{m.verified ? `✓ ${t('verifiedYes')}` : `✗ ${t('verifiedNo')}`}</td>
                <td>{dateFmt.format(new Date(m.cachedAt))}</td>
                <td>
                  <button type="button" disabled={busy} data-testid="delete-model" onClick={() => void run(() => deleteCachedModel(m.modelId))}>
                    {t('delete')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p>
        <button type="button" disabled={busy || !models?.length} data-testid="delete-all-models" onClick={() => void run(deleteAllCachedModels)}>
          {t('deleteAll')}
        </button>{' '}
        <button type="button" disabled={busy} data-testid="refresh-cache" onClick={() => void refresh()}>
          {t('refresh')}
        </button>
      </p>

      <h3>{t('storage')}</h3>
      <dl className="storage-info" data-testid="storage-info" data-usage={storage?.usage ?? ''} data-quota={storage?.quota ?? ''} data-persisted={String(storage?.persisted ?? '')}>
        <dt>{t('usage')}</dt>
        <dd>{formatBytes(storage?.usage ?? null)}</dd>
        <dt>{t('quota')}</dt>
        <dd>{formatBytes(storage?.quota ?? null)}</dd>
        <dt>{t('persisted')}</dt>
        <dd data-testid="storage-persisted">{storage?.persisted == null ? t('unknown') : storage.persisted ? t('yes') : t('no')}</dd>
      </dl>

    </section>
  );
}
