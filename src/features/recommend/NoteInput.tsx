import { useT } from '../../app/i18n.ts';
import { useNoteStore } from '../../state/note-store.ts';
import { EXAMPLE_NOTE } from './example-note.ts';

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
    </section>
  );
}
