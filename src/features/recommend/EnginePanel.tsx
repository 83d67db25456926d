import { useEffect, useState } from 'react';
import { formatBytes, useMessages, useT, type MessageKey } from '../../app/i18n.ts';
import { downloadSize, findBundledModel } from '../../engine/bundled-models.ts';
import { ensureModelLoaded } from '../../app/engine-session.ts';
import { isWeightsOf, MODEL_DTYPES } from '../../model-folder/format.ts';
import { cachedVersionFiles } from '../../storage/cache-admin.ts';
import type { BackendPreference, BackendReasonCode, EngineErrorCode } from '../../engine/protocol.ts';
import { useEngineStore } from '../../state/engine-store.ts';
import { useUiStore } from '../../state/ui-store.ts';
import { recommendMessages } from './messages.ts';

export function reasonKey(code: BackendReasonCode): MessageKey {
  return `reason_${code.replaceAll('-', '_')}` as MessageKey;
}

export function errorKey(code: EngineErrorCode): MessageKey {
  return `err_${code.replaceAll('-', '_')}` as MessageKey;
}

/**
 * Whether the model being loaded has weights complete in this browser's cache (checked once per
 * load, before any byte arrives): then a load that has read nothing from the network is reading
 * the cache, and the progress says so instead of "downloading 0 MB".
 */
function useLoadFromCache(loading: boolean, modelId: string | null, version: string | null): boolean | null {
  // null while not known yet: the progress then names no source and no byte count.
  const [cached, setCached] = useState<boolean | null>(null);
  useEffect(() => {
    setCached(null);
    if (!loading || !modelId || !version) return;
    if (!findBundledModel(modelId)) {
      setCached(false); // a site's own model: its progress is its own byte count
      return;
    }
    let live = true;
    cachedVersionFiles(modelId, version)
      .then((files) => live && setCached(files !== null && files.some((f) => MODEL_DTYPES.some((d) => isWeightsOf(f, d)))))
      .catch(() => live && setCached(false) /* no IndexedDB: a download, as the worker will find */);
    return () => {
      live = false;
    };
  }, [loading, modelId, version]);
  return cached;
}

function ms(v: number | null): string {
  return v === null ? '—' : v < 1000 ? `${Math.round(v)} ms` : `${(v / 1000).toFixed(2)} s`;
}

/** Method + backend selectors, load progress, backend badge with its reason, timings. */
export function EnginePanel() {
  const t = useT();
  const m = useMessages(recommendMessages);
  const method = useUiStore((s) => s.method);
  const backendPref = useUiStore((s) => s.backend);
  const setMethod = useUiStore((s) => s.setMethod);
  const setBackend = useUiStore((s) => s.setBackend);
  const st = useEngineStore();
  const fromCache = useLoadFromCache(st.phase === 'loading', st.modelId, st.modelVersion);
  // Nothing has come over the network: the files are being read from the cache (or not known yet).
  const source = st.bytesLoaded > 0 ? 'network' : fromCache === null ? 'unknown' : fromCache ? 'cache' : 'network';
  const bundled = st.modelId ? findBundledModel(st.modelId) : undefined;
  // The loaded variant's size: the one function over the bundled file list (as the Models screen).
  const variantBytes = bundled && st.dtype ? downloadSize(bundled, st.dtype) : null;

  const load = () => {
    const { backend, dtype, modelId } = useUiStore.getState();
    ensureModelLoaded({ backend, dtype, modelId }).catch(() => undefined /* shown from the store */);
  };

  const pct = st.bytesTotal > 0 ? Math.min(100, Math.round((st.bytesLoaded / st.bytesTotal) * 100)) : 0;
  const status =
    st.phase === 'loading' ? t('engineLoading') : st.phase === 'ready' ? t('engineReady') : st.phase === 'error' ? t('engineError') : t('engineIdle');

  return (
    <section className="panel engine" data-testid="engine-panel" data-phase={st.phase}>
      <div className="engine-row">
        <label>
          {t('methodLabel')}{' '}
          <select data-testid="method-select" value={method} onChange={(e) => setMethod(e.target.value === 'baseline' ? 'baseline' : 'model')}>
            <option value="model">{t('methodModel')}</option>
            <option value="baseline">{t('methodCooccurrence')}</option>
          </select>
        </label>
        {method === 'model' && (
          <>
            <label>
              {t('backendLabel')}{' '}
              <select
                data-testid="backend-select"
                value={backendPref}
                onChange={(e) => setBackend(e.target.value as BackendPreference)}
              >
                <option value="auto">{t('backendAuto')}</option>
                <option value="webgpu">{t('backendWebgpu')}</option>
                <option value="wasm">{t('backendWasm')}</option>
              </select>
            </label>
            <button type="button" onClick={load} disabled={st.phase === 'loading'} data-testid="load-model">
              {t('loadModel')}
            </button>
          </>
        )}
      </div>
      {method === 'model' && (
        <div className="engine-status">
          <span data-testid="engine-status">{status}</span>
          {st.phase === 'loading' && (
            <div className="progress" data-testid="load-progress" data-load-phase={st.loadPhase ?? ''} data-source={source}>
              <span data-testid="load-phase-text">
                {st.loadPhase === 'download' && source === 'cache'
                  ? t('phase_cache')
                  : st.loadPhase === 'download' && source === 'network'
                    ? `${t('phase_download_network')}${st.bytesTotal > 0 ? ` ${formatBytes(st.bytesLoaded)} / ${formatBytes(st.bytesTotal)}` : ''}`
                    : st.loadPhase
                      ? t(`phase_${st.loadPhase}` as MessageKey)
                      : ''}
              </span>
              <progress max={100} value={pct} aria-label={t('engineLoading')} />
            </div>
          )}
          {/* Clinical words first; how the model runs (backend, quantisation, versions, timings) behind a toggle. */}
          {(st.backend || st.reason || st.phase === 'ready') && (
            <details className="tech" data-testid="engine-details">
              <summary>{m('engineDetails')}</summary>
              {st.backend && (
                <span
                  className={`badge badge-${st.backend}`}
                  data-testid="backend-badge"
                  data-backend={st.backend}
                  title={st.reason?.detail ?? st.adapter ?? ''}
                >
                  {st.backend === 'webgpu' ? 'WebGPU' : 'WASM'}
                  {st.dtype ? ` · ${st.dtype}` : ''}
                </span>
              )}
              {st.reason && st.phase !== 'loading' && (
                <p className="engine-reason" data-testid="backend-reason" data-reason={st.reason.code}>
                  {t(reasonKey(st.reason.code))}
                  {st.reason.detail && st.reason.code !== 'webgpu-ok' ? <small> ({st.reason.detail})</small> : null}
                  {st.adapter && st.backend === 'webgpu' && st.reason.code === 'webgpu-ok' ? <small> {st.adapter}</small> : null}
                </p>
              )}
              {st.phase === 'ready' && (
                <p className="engine-timings" data-testid="engine-timings">
                  {st.modelId} {st.modelVersion ? <small>({st.modelVersion})</small> : null} · {t('loadTime')} {ms(st.loadMs)} · {t('warmupTime')}{' '}
                  {ms(st.warmupMs)}
                  {variantBytes !== null && (
                    <>
                      {' · '}
                      {t('variantSize')} <span data-testid="variant-bytes" data-bytes={variantBytes}>{formatBytes(variantBytes)}</span>
                    </>
                  )}
                  {' · '}
                  <span data-testid="load-source" data-source={st.bytesLoaded === 0 ? 'cache' : 'network'} data-bytes={st.bytesLoaded}>
                    {st.bytesLoaded === 0 ? t('readFromCache') : `${t('downloadedNow')} ${formatBytes(st.bytesLoaded)}`}
                  </span>
                  {st.inferenceMs !== null && (
                    <>
                      {' · '}
                      {t('inferenceTime')}{' '}
                      <span data-testid="inference-time" data-ms={Math.round(st.inferenceMs)}>
                        {ms(st.inferenceMs)}
                      </span>
                    </>
                  )}
                </p>
              )}
            </details>
          )}
          {st.running && <span data-testid="engine-running">{t('running')}</span>}
          {st.fixture && (
            <p className="notice" data-testid="fixture-notice">
              {t('fixtureModel')}
            </p>
          )}
          {st.error && st.error.code !== 'aborted' && (
            <div role="alert" className="error" data-testid="engine-error" data-code={st.error.code}>
              {t(errorKey(st.error.code))}
              <details>
                <summary>{t('errorDetail')}</summary>
                <code>{st.error.message}</code>
              </details>
            </div>
          )}
        </div>
      )}
    </section>
  );
}
