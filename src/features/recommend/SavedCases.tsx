import { useEffect, useRef, useState } from 'react';
import { useFormat, useMessages, type FeatureMessages } from '../../app/i18n.ts';
import { useNoteStore } from '../../state/note-store.ts';
import { deleteAllCases, deleteCase, listCases, summarizeCase, type CaseRecord } from '../../storage/saved-cases.ts';
import { recommendMessages } from './messages.ts';

/** This panel's own words (the confirmation step); the rest comes from the recommend dictionary. */
const confirmMessages: FeatureMessages<'confirmDelete' | 'confirmYes' | 'confirmNo'> = {
  zh: { confirmDelete: '删除这份已保存病例？删除后无法恢复。', confirmYes: '确认删除', confirmNo: '取消' },
  en: { confirmDelete: 'Delete this saved case? This cannot be undone.', confirmYes: 'Delete', confirmNo: 'Keep' },
};

/** The question and its two answers, in place of the button that asked; "keep" has the focus (the safe answer). */
function ConfirmDelete({ question, onYes, onNo }: { question: string; onYes: () => void; onNo: () => void }) {
  const c = useMessages(confirmMessages);
  const keep = useRef<HTMLButtonElement>(null);
  useEffect(() => keep.current?.focus(), []);
  return (
    <span className="confirm-delete" role="alert" data-testid="confirm-delete">
      {question}{' '}
      <button type="button" className="danger" onClick={onYes} data-testid="confirm-delete-yes">
        {c('confirmYes')}
      </button>{' '}
      <button type="button" ref={keep} onClick={onNo} data-testid="confirm-delete-no">
        {c('confirmNo')}
      </button>
    </span>
  );
}

/** Cases the user saved (IndexedDB, this browser only): load back into the editor, delete after a confirmation. */
export function SavedCases() {
  const m = useMessages(recommendMessages);
  const c = useMessages(confirmMessages);
  const fmt = useFormat();
  const revision = useNoteStore((s) => s.casesRevision);
  const [cases, setCases] = useState<CaseRecord[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  /** The case id whose deletion waits for a confirmation, or 'all'. */
  const [confirming, setConfirming] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    listCases().then(
      (c) => live && setCases(c),
      (e: unknown) => live && setError(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      live = false;
    };
  }, [revision]);

  const act = (p: Promise<void>) => {
    setConfirming(null);
    return p.then(
      () => useNoteStore.getState().bumpCases(),
      (e: unknown) => setError(e instanceof Error ? e.message : String(e)),
    );
  };

  return (
    <details className="panel saved-cases" data-testid="saved-cases" data-count={cases?.length ?? 0}>
      <summary>
        {m('savedCases')} ({cases?.length ?? 0})
      </summary>
      <p className="hint">{m('savedCasesHint')}</p>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {cases && cases.length === 0 && <p>{m('noSavedCases')}</p>}
      {cases && cases.length > 0 && (
        <>
          <ul>
            {cases.map((rec) => {
              const s = summarizeCase(rec);
              return (
                <li key={rec.id} data-testid="saved-case" data-id={rec.id} data-drugs={s.drugCount}>
                  <time dateTime={new Date(s.savedAt).toISOString()} title={m('savedAtLabel')} data-testid="saved-case-date">
                    {fmt.dateTime(s.savedAt)}
                  </time>{' '}
                  · <span data-testid="saved-case-preview" lang="zh-CN">{s.preview}</span> ·{' '}
                  <span>
                    {s.drugCount} {m('drugsUnit')}
                  </span>{' '}
                  <button type="button" data-testid="load-case" onClick={() => useNoteStore.getState().loadNote(rec.noteText)}>
                    {m('loadCase')}
                  </button>{' '}
                  {confirming === rec.id ? (
                    <ConfirmDelete question={c('confirmDelete')} onYes={() => void act(deleteCase(rec.id))} onNo={() => setConfirming(null)} />
                  ) : (
                    <button type="button" data-testid="delete-case" onClick={() => setConfirming(rec.id)}>
                      {m('deleteCase')}
                    </button>
                  )}
                </li>
              );
            })}
          </ul>
          {confirming === 'all' ? (
            <ConfirmDelete question={m('confirmDeleteAll')} onYes={() => void act(deleteAllCases())} onNo={() => setConfirming(null)} />
          ) : (
            <button type="button" data-testid="delete-all-cases" onClick={() => setConfirming('all')}>
              {m('deleteAllCases')}
            </button>
          )}
        </>
      )}
    </details>
  );
}
