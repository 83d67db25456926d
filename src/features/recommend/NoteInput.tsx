import { useMessages, useT } from '../../app/i18n.ts';
import { useBatchStore } from '../../state/batch-store.ts';
import { useNoteStore } from '../../state/note-store.ts';
import { useUiStore } from '../../state/ui-store.ts';
import { EXAMPLE_NOTE } from './example-note.ts';
import { parseMessages, wordNotice, wordProblem } from './parse-messages.ts';

/**
 * Hands a multi-record paste to the batch screen through the batch store (the batch screen reads
 * it as a file and parses it itself; features do not import each other).
 */
function sendToBatch(text: string): void {
  const name = text.trimStart().startsWith('[') ? 'pasted-records.json' : 'pasted-records.jsonl';
  useBatchStore.getState().handOff(name, text);
  useUiStore.getState().setScreen('batch');
}

/** What the parse step refused or noticed, under the note, in the current language. */
function ParseFeedback() {
  const t = useT();
  const m = useMessages(parseMessages);
  const locale = useUiStore((s) => s.locale);
  const problem = useNoteStore((s) => s.problem);
  const parsed = useNoteStore((s) => s.parsed);
  const noteText = useNoteStore((s) => s.noteText);
  const pickRecord = useNoteStore((s) => s.pickRecord);
  const batchRunning = useBatchStore((s) => s.status === 'running');
  // Notices belong to the parse on screen; they go stale (and are hidden) once the note changes.
  const current = parsed && parsed.fromText === noteText ? parsed : null;
  const records = current?.records;
  const used = current?.notices?.find((n) => n.kind === 'records')?.used ?? 0;
  const notices = (current?.notices ?? []).filter((n) => n.kind !== 'bmi' || n.record === undefined || n.record === used);
  const worded = problem ? wordProblem(problem, locale, t('emptyNote')) : null;
  return (
    <>
      {worded && problem && (
        <div role="alert" className="error" data-testid="parse-problem" data-kind={problem.kind}>
          {worded.lines.map((line, i) => (
            <p key={i}>{line}</p>
          ))}
          {worded.detail && (
            <details>
              <summary>{m('technicalDetail')}</summary>
              <code>{worded.detail}</code>
            </details>
          )}
        </div>
      )}
      {notices.length > 0 && (
        <div role="status" className="hint" data-testid="parse-notices">
          {notices.map((n, i) => (
            <p key={i} data-testid="parse-notice" data-kind={n.kind}>
              {wordNotice(n, locale)}
            </p>
          ))}
          {records && (
            <p className="actions">
              <label>
                {m('pickRecord')}{' '}
                <select data-testid="record-picker" value={used} onChange={(e) => pickRecord(Number(e.target.value))}>
                  {records.map((r, i) => (
                    <option key={i} value={i}>
                      {i + 1}. {r.就诊标识}
                    </option>
                  ))}
                </select>
              </label>{' '}
              <button type="button" data-testid="send-to-batch" disabled={batchRunning} onClick={() => sendToBatch(noteText)}>
                {m('sendToBatch')}
              </button>
            </p>
          )}
        </div>
      )}
    </>
  );
}

export function NoteInput({ onParse, onRecommend }: { onParse: () => void; onRecommend: () => void }) {
  const t = useT();
  const noteText = useNoteStore((s) => s.noteText);
  const setNoteText = useNoteStore((s) => s.setNoteText);
  return (
    <section className="panel">
      <label htmlFor="note" className="panel-title">
        {t('noteLabel')}
      </label>
      <textarea
        id="note"
        data-testid="note-input"
        value={noteText}
        placeholder={t('notePlaceholder')}
        onChange={(e) => setNoteText(e.target.value)}
        rows={12}
        spellCheck={false}
      />
      <div className="actions">
        <button type="button" onClick={() => setNoteText(EXAMPLE_NOTE)} data-testid="load-example">
          {t('loadExample')}
        </button>
        <button type="button" onClick={onParse} data-testid="parse">
          {t('parse')}
        </button>
        <button type="button" className="primary" onClick={onRecommend} data-testid="recommend">
          {t('recommend')}
        </button>
      </div>
      <ParseFeedback />
    </section>
  );
}
