import { useEffect, useRef, useState, type ChangeEvent } from 'react';
import { formatBytes, useMessages } from '../../app/i18n.ts';
import { Formulary } from '../../clinical/formulary.ts';
import { candidateMappingFor } from '../../clinical/candidate-list.ts';
import { availableDtypes, BUNDLED_MODELS, DEFAULT_MODEL_ID, downloadSize } from '../../engine/bundled-models.ts';
import { checkCandidates } from '../../app/engine-session.ts';
import { useEngineStore } from '../../state/engine-store.ts';
import { useSiteStore, type SiteImportProblem } from '../../state/site-store.ts';
import { useUiStore } from '../../state/ui-store.ts';
import { fmt, importErrorKey, modelsMessages, type ModelsMessageKey } from './messages.ts';
import { importListFile, importModelFolder, removeCandidateList, removeSiteModel, selectList, selectModel } from './site-actions.ts';

type T = (key: ModelsMessageKey) => string;

function ImportError({ problem, testId, t }: { problem: SiteImportProblem; testId: string; t: T }) {
  const key = importErrorKey(problem.code);
  const text = key ? fmt(t(key), { file: problem.file ?? '', detail: problem.detail ?? '' }) : problem.code;
  return (
    <div role="alert" className="error" data-testid={testId} data-code={problem.code}>
      {text} {t('nothingStored')}
      {problem.detail && (
        <details>
          <summary>{problem.file ?? problem.code}</summary>
          <code>{problem.detail}</code>
        </details>
      )}
    </div>
  );
}

/** Bundled + site models; pick one, import a folder, remove a site model. */
export function ModelChooser() {
  const t = useMessages(modelsMessages);
  const selected = useUiStore((s) => s.modelId) ?? DEFAULT_MODEL_ID;
  const models = useSiteStore((s) => s.models);
  const importing = useSiteStore((s) => s.importingModel);
  const progress = useSiteStore((s) => s.importProgress);
  const error = useSiteStore((s) => s.modelError);
  const [name, setName] = useState('');
  const dirInput = useRef<HTMLInputElement>(null);
  useEffect(() => {
    // Not in React's typings: folder selection (Chromium, Firefox, Safari all support it).
    dirInput.current?.setAttribute('webkitdirectory', '');
    dirInput.current?.setAttribute('directory', '');
  }, []);

  const onPick = (e: ChangeEvent<HTMLInputElement>) => {
    const files = [...(e.target.files ?? [])];
    e.target.value = '';
    void importModelFolder(files, name.trim() || undefined);
  };

  return (
    <section className="site-section" data-testid="model-chooser">
      <h3>{t('siteTitle')}</h3>
      <p className="hint">{t('siteExplain')}</p>
      <ul className="choices" role="radiogroup" aria-label={t('siteTitle')}>
        {BUNDLED_MODELS.map((m) => (
          <li key={m.id} data-testid="model-option" data-model={m.id} data-selected={String(selected === m.id)}>
            <label>
              <input type="radio" name="model-choice" checked={selected === m.id} onChange={() => selectModel(m.id === DEFAULT_MODEL_ID ? null : m.id)} />{' '}
              <strong>{m.id}</strong> <code>{m.version}</code> ·{' '}
              {/* One size per weights variant (bundled-models.ts downloadSize, as the load progress and the engine details). */}
              {availableDtypes(m).map((d, i) => (
                <span key={d} data-testid="variant-size" data-dtype={d} data-bytes={downloadSize(m, d)}>
                  {i > 0 && ' / '}
                  {d} {formatBytes(downloadSize(m, d))}
                </span>
              ))}{' '}
              · {t('bundledTag')}
              {m.id === DEFAULT_MODEL_ID && <> · {t('defaultTag')}</>}
              {m.fixture && <> · {t('fixtureTag')}</>}
            </label>
          </li>
        ))}
        {models.map((m) => (
          <li key={m.id} data-testid="site-model" data-model={m.id} data-version={m.version} data-selected={String(selected === m.id)} data-complete={String(m.complete)}>
            <label>
              <input type="radio" name="model-choice" checked={selected === m.id} disabled={!m.complete} onChange={() => selectModel(m.id)} data-testid="select-site-model" />{' '}
              <strong>{m.id}</strong> <code>{m.version}</code> · {formatBytes(m.bytes)} · {t('siteTag')} · {t('modelType')} {m.meta.modelType} · {t('weights')}{' '}
              {m.meta.dtypes.join(' / ')}
              {m.meta.calibrated && <> · {t('calibratedTag')}</>}
              {m.meta.fixture && <> · {t('fixtureTag')}</>}
              {!m.complete && <strong className="warn-text"> · {t('incomplete')}</strong>}
            </label>{' '}
            <button type="button" data-testid="remove-site-model" onClick={() => void removeSiteModel(m.id)}>
              {t('remove')}
            </button>
            {m.meta.ignored.length > 0 && (
              <small className="hint" title={m.meta.ignored.join('\n')}>
                {' '}
                ({t('ignoredFiles')}: {m.meta.ignored.length})
              </small>
            )}
          </li>
        ))}
      </ul>
      <fieldset className="site-import" disabled={importing}>
        <legend>{t('importModel')}</legend>
        <label>
          {t('importName')}{' '}
          <input type="text" value={name} onChange={(e) => setName(e.target.value)} data-testid="site-model-name" maxLength={64} />
        </label>
        <label>
          {t('importFolder')} <input ref={dirInput} type="file" multiple onChange={onPick} data-testid="site-model-dir-input" />
        </label>
        <label>
          {t('importFiles')} <input type="file" multiple accept=".json,.onnx,.onnx_data" onChange={onPick} data-testid="site-model-files-input" />
        </label>
        {importing && (
          <span data-testid="site-model-importing">
            {t('importing')}
            {progress ? ` ${formatBytes(progress.written)} / ${formatBytes(progress.total)}` : ''}
          </span>
        )}
      </fieldset>
      {error && <ImportError problem={error} testId="site-model-error" t={t} />}
    </section>
  );
}

let bundledCount: number | null = null;

/** Bundled formulary + site lists; pick one, import a JSON list, remove a site list; tokenizer report. */
export function ListChooser() {
  const t = useMessages(modelsMessages);
  const listId = useUiStore((s) => s.listId);
  const modelId = useUiStore((s) => s.modelId) ?? DEFAULT_MODEL_ID;
  const lists = useSiteStore((s) => s.lists);
  const importing = useSiteStore((s) => s.importingList);
  const error = useSiteStore((s) => s.listError);
  const [name, setName] = useState('');
  const [checking, setChecking] = useState(false);
  bundledCount ??= Formulary.bundled().names.length;
  const active = lists.find((l) => l.id === listId) ?? null;

  const onPick = (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (file) void importListFile(file, name.trim() || undefined);
  };

  const check = async () => {
    setChecking(true);
    try {
      const { backend, dtype } = useUiStore.getState();
      await checkCandidates({ backend, dtype, modelId: useUiStore.getState().modelId, listId: useUiStore.getState().listId });
    } catch {
      /* shown by the engine panel / report */
    } finally {
      setChecking(false);
    }
  };

  return (
    <section className="site-section" data-testid="list-chooser">
      <h3>{t('listTitle')}</h3>
      <p className="hint">{t('listExplain')}</p>
      <ul className="choices" role="radiogroup" aria-label={t('listTitle')}>
        <li data-testid="list-option" data-list="bundled" data-selected={String(listId === null)}>
          <label>
            <input type="radio" name="list-choice" checked={listId === null} onChange={() => void selectList(null)} />{' '}
            <strong>{t('bundledList')}</strong> · {bundledCount} {t('drugsUnit')} · {t('defaultTag')}
          </label>
        </li>
        {lists.map((l) => (
          <li key={l.id} data-testid="site-list" data-list={l.id} data-count={l.count} data-unknown={l.unknownCount} data-selected={String(listId === l.id)}>
            <label>
              <input type="radio" name="list-choice" checked={listId === l.id} onChange={() => void selectList(l.id)} data-testid="select-site-list" />{' '}
              <strong>{l.id}</strong> <code>{l.version}</code> · {l.count} {t('drugsUnit')} · {l.format === 'names' ? t('listFormatNames') : t('listFormatFormulary')} ·{' '}
              <small>{l.fileName}</small>
            </label>{' '}
            <button type="button" data-testid="remove-site-list" onClick={() => void removeCandidateList(l.id)}>
              {t('remove')}
            </button>
          </li>
        ))}
      </ul>
      {active && active.unknownCount > 0 && (
        <p className="notice" data-testid="list-unknown-note" data-unknown={active.unknownCount}>
          {fmt(t('unknownNote'), { n: active.unknownCount, eg: active.unknownExamples.join('、') })}
        </p>
      )}
      {active && <MappingNote t={t} />}
      <CandidateReportLine listId={listId} modelId={modelId} t={t} />
      <p>
        <button type="button" onClick={() => void check()} disabled={checking} data-testid="check-candidates">
          {checking ? t('checking') : t('checkNames')}
        </button>
      </p>
      <fieldset className="site-import" disabled={importing}>
        <legend>{t('importList')}</legend>
        <label>
          {t('importListName')}{' '}
          <input type="text" value={name} onChange={(e) => setName(e.target.value)} data-testid="site-list-name" maxLength={64} />
        </label>
        <label>
          {t('importListFile')}{' '}
          <input type="file" accept=".json,application/json" onChange={onPick} data-testid="site-list-input" />
        </label>
        {importing && <span>{t('importing')}</span>}
      </fieldset>
      {error && <ImportError problem={error} testId="site-list-error" t={t} />}
    </section>
  );
}

/**
 * How the selected list maps to the model's names (src/clinical/candidate-list.ts, the rule the
 * worker decodes with): respelled entries, entries decoded by their own spelling, fold collisions.
 */
function MappingNote({ t }: { t: T }) {
  const names = useSiteStore((s) => s.activeListNames);
  if (!names) return null;
  const m = candidateMappingFor(names);
  const respelled = m.entries.filter((e) => e.model !== null && e.model !== e.list);
  const eg = (xs: readonly string[]) => xs.slice(0, 3).join('、');
  return (
    <div data-testid="list-mapping-note" data-respelled={respelled.length} data-unmapped={m.unmapped.length} data-collisions={m.collisions.length}>
      {respelled.length > 0 && (
        <p className="hint">{fmt(t('mappingNote'), { n: respelled.length, eg: eg(respelled.map((e) => `${e.list} → ${e.model}`)) })}</p>
      )}
      {m.unmapped.length > 0 && (
        <p className="notice" data-testid="list-unmapped-note">{fmt(t('unmappedNote'), { n: m.unmapped.length, eg: eg(m.unmapped) })}</p>
      )}
      {m.collisions.length > 0 && (
        <p className="notice" data-testid="list-collision-note">
          {fmt(t('collisionNote'), { n: m.collisions.length, eg: eg(m.collisions.map((c) => `${c.chosen} ← ${c.others.join('/')}`)) })}
        </p>
      )}
    </div>
  );
}

/** The last tokenizer report, when it is about the selected list and model. */
export function CandidateReportLine({
  listId,
  modelId,
  t,
  testId = 'candidate-report',
}: {
  listId: string | null;
  modelId: string | null;
  t: T;
  testId?: string;
}) {
  const report = useEngineStore((s) => s.candidateReport);
  if (!report || report.listId !== listId || report.modelId !== modelId) return null;
  const values = {
    model: report.modelId,
    unk: report.unk,
    excluded: report.excluded,
    usable: report.usable,
    total: report.total,
    eg: report.examples.map((x) => x.name).join('、'),
  };
  return (
    <p
      className={report.excluded > 0 ? 'notice warn' : 'hint'}
      data-testid={testId}
      data-unk={report.unk}
      data-excluded={report.excluded}
      data-usable={report.usable}
      data-total={report.total}
      role={report.excluded > 0 ? 'status' : undefined}
    >
      {report.excluded > 0 ? fmt(t('reportLine'), values) : fmt(t('reportOk'), values)}
    </p>
  );
}

/**
 * One line in the app shell when a site's own model or list is selected (every screen): which,
 * and what that means (names without safety facts, names the model cannot write).
 */
export function SiteSelectionBanner() {
  const t = useMessages(modelsMessages);
  const modelId = useUiStore((s) => s.modelId);
  const listId = useUiStore((s) => s.listId);
  const lists = useSiteStore((s) => s.lists);
  const siteModel = modelId?.startsWith('site:') ? modelId : null;
  if (!siteModel && listId === null) return null;
  const list = lists.find((l) => l.id === listId) ?? null;
  return (
    <div className="site-banner" data-testid="site-banner" data-model={siteModel ?? ''} data-list={listId ?? ''}>
      {siteModel && (
        <span>
          {t('activeModel')}: <strong>{siteModel}</strong>
        </span>
      )}
      {listId && (
        <span>
          {t('activeList')}: <strong>{listId}</strong>
          {list ? ` (${list.count} ${t('drugsUnit')})` : ''}
        </span>
      )}
      {list && list.unknownCount > 0 && (
        <span data-testid="banner-unknown-note">{fmt(t('unknownNote'), { n: list.unknownCount, eg: list.unknownExamples.slice(0, 3).join('、') })}</span>
      )}
      <CandidateReportLine listId={listId} modelId={modelId ?? DEFAULT_MODEL_ID} t={t} testId="banner-candidate-report" />
    </div>
  );
}
