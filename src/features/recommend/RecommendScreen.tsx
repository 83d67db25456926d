import { useT } from '../../app/i18n.ts';
import { cancelRecommendation, recommendWithModel } from '../../engine/engine-instance.ts';
import { Formulary } from '../../clinical/formulary.ts';
import { useEngineStore } from '../../state/engine-store.ts';
import { useNoteStore } from '../../state/note-store.ts';
import { useUiStore } from '../../state/ui-store.ts';
import { EnginePanel } from './EnginePanel.tsx';
import { NoteInput } from './NoteInput.tsx';
import { ParsedFields } from './ParsedFields.tsx';
import { RecommendationList } from './RecommendationList.tsx';
import { parseNote } from './parse-note.ts';
import { recommendWithBaseline } from './baseline-recommender.ts';

export function RecommendScreen() {
  const t = useT();
  const error = useNoteStore((s) => s.error);
  const method = useUiStore((s) => s.method);
  const running = useEngineStore((s) => s.running);

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
    if (!record) return;
    const settings = useUiStore.getState();
    const notes = useNoteStore.getState();
    if (settings.method === 'baseline') {
      notes.setRecommendations(recommendWithBaseline(record), 'baseline');
      return;
    }
    notes.setRecommendations(null, 'model');
    recommendWithModel(record as unknown as Record<string, unknown>, settings).then(
      (result) => {
        const formulary = Formulary.bundled();
        useNoteStore.getState().setRecommendations(
          result.drugs.map((d) => ({ name: d.name, drugClass: formulary.get(d.name)?.class ?? '', score: d.confidence })),
          'model',
        );
      },
      () => undefined /* the engine panel shows the error; the note stays as typed */,
    );
  };

  return (
    <main className="screen">
      <NoteInput onParse={parse} onRecommend={recommend} />
      <EnginePanel />
      {running && method === 'model' && (
        <button type="button" onClick={cancelRecommendation} data-testid="cancel">
          {t('cancel')}
        </button>
      )}
      {error && (
        <p role="alert" className="error" data-testid="error">
          {error}
        </p>
      )}
      <div className="columns">
        <ParsedFields />
        <RecommendationList />
      </div>
    </main>
  );
}
