import { useEffect, useState } from 'react';
import { useMessages } from '../../app/i18n.ts';
import { useNoteStore } from '../../state/note-store.ts';
import { deleteAllCases, deleteCase, listCases, summarizeCase, type CaseRecord } from '../../storage/saved-cases.ts';
import { recommendMessages } from './messages.ts';

/** Cases the user saved (IndexedDB, this browser only): load back into the editor, delete. */
export function SavedCases() {
  const m = useMessages(recommendMessages);
  const revision = useNoteStore((s) => s.casesRevision);
  const [cases, setCases] = useState<CaseRecord[] | null>(null);
  const [error, setError] = useState<string | null>(null);

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

  const act = (p: Promise<void>) =>
    p.then(
      () => useNoteStore.getState().bumpCases(),
      (e: unknown) => setError(e instanceof Error ? e.message : String(e)),
    );

  const removeAll = () => {
    if (window.confirm(m('confirmDeleteAll'))) void act(deleteAllCases());
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
            {cases.map((c) => {
              const s = summarizeCase(c);
              return (
                <li key={c.id} data-testid="saved-case" data-id={c.id} data-drugs={s.drugCount}>
                  <span title={m('savedAtLabel')}>{new Date(s.savedAt).toLocaleString()}</span> ·{' '}
                  <span data-testid="saved-case-preview">{s.preview}</span> ·{' '}
                  <span>
                    {s.drugCount} {m('drugsUnit')}
                  </span>{' '}
                  <button type="button" data-testid="load-case" onClick={() => useNoteStore.getState().loadNote(c.noteText)}>
                    {m('loadCase')}
                  </button>
                  <button type="button" data-testid="delete-case" onClick={() => void act(deleteCase(c.id))}>
                    {m('deleteCase')}
                  </button>
                </li>
              );
            })}
          </ul>
          <button type="button" data-testid="delete-all-cases" onClick={removeAll}>
            {m('deleteAllCases')}
          </button>
        </>
      )}
    </details>
  );
}
