import { useT } from '../../app/i18n.ts';
import { useNoteStore } from '../../state/note-store.ts';
import { NoteInput } from './NoteInput.tsx';
import { ParsedFields } from './ParsedFields.tsx';
import { RecommendationList } from './RecommendationList.tsx';
import { parseNote } from './parse-note.ts';
import { recommendWithBaseline } from './baseline-recommender.ts';

export function RecommendScreen() {
  const t = useT();
  const error = useNoteStore((s) => s.error);

  /** Parses the current note into the store; returns the record, or null after showing why not. */
  const parse = () => {
    const { noteText, setParsed, setError } = useNoteStore.getState();
    const result = parseNote(noteText);
    if (!result.ok) {
      setError(result.reason === 'empty' ? t('emptyNote') : t('parseErrorPrefix') + result.message);
      return null;
    }
    setParsed({ record: result.record, kind: result.kind, unrecognised: result.unrecognised });
    return result.record;
  };

  const recommend = () => {
    const record = parse();
    if (record) useNoteStore.getState().setRecommendations(recommendWithBaseline(record));
  };

  return (
    <main className="screen">
      <NoteInput onParse={parse} onRecommend={recommend} />
      {error && (
        <p role="alert" className="error" data-testid="error">
          {error}
        </p>
      )}
      <div className="columns">
        <ParsedFields />
        <RecommendationList methodLabel={t('methodCooccurrence')} />
      </div>
    </main>
  );
}
