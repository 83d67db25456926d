import { useT } from '../../app/i18n.ts';
import { cancelRecommendation, recommendWithModel } from '../../app/engine-session.ts';
import { FALLBACK_STOP_THRESHOLD } from '../../decoding/policy.ts';
import { Formulary } from '../../clinical/formulary.ts';
import type { CDrugRedRecord } from '../../clinical/record.ts';
import { useEngineStore } from '../../state/engine-store.ts';
import { useNoteStore } from '../../state/note-store.ts';
import { useUiStore } from '../../state/ui-store.ts';
import { EnginePanel } from './EnginePanel.tsx';
import { NoteInput } from './NoteInput.tsx';
import { ParsedFields } from './ParsedFields.tsx';
import { RecommendationList } from './RecommendationList.tsx';
import { SavedCases } from './SavedCases.tsx';
import { blockThinInput, parseIntoStore } from './parse-into-store.ts';
import { rankWithBaseline } from './baseline-recommender.ts';

export function RecommendScreen() {
  const t = useT();
  const error = useNoteStore((s) => s.error);
  const method = useUiStore((s) => s.method);
  const running = useEngineStore((s) => s.running);

  /** Parses the current note into the store (dropping field edits); returns the record, or null after showing why not. */
  const parse = (): Promise<CDrugRedRecord | null> => parseIntoStore();

  /** The record to recommend for: the edited fields while the paste is unchanged, else a fresh parse. */
  const currentRecord = async (): Promise<CDrugRedRecord | null> => {
    const { parsed, noteText } = useNoteStore.getState();
    if (parsed && parsed.fromText === noteText) {
      useNoteStore.getState().setError(null);
      return parsed.record;
    }
    return parse();
  };

  const recommend = async () => {
    const record = await currentRecord();
    if (!record || blockThinInput(record)) return;
    const settings = useUiStore.getState();
    const notes = useNoteStore.getState();
    if (settings.method === 'baseline') {
      const { ranked, cutoff, withheld } = rankWithBaseline(record, settings.safety);
      notes.setRun({
        source: 'baseline',
        ranked,
        stopProbabilities: null,
        defaultCut: cutoff,
        minConfidence: 0,
        minDrugs: 1,
        beamWidth: 1,
        record,
        withheld,
      });
      return;
    }
    notes.setRun(null);
    recommendWithModel(record as unknown as Record<string, unknown>, settings, () => useNoteStore.getState().countModelRequest()).then(
      ({ result, info }) => {
        const formulary = Formulary.bundled();
        const stop = info.decoding.stopThreshold;
        useNoteStore.getState().setRun({
          source: 'model',
          ranked: result.trajectory.map((d) => ({ name: d.name, drugClass: formulary.get(d.name)?.class ?? '', score: d.confidence })),
          stopProbabilities: result.stopProbabilities,
          defaultCut: stop ?? FALLBACK_STOP_THRESHOLD,
          minConfidence: info.decoding.minConfidence ?? 0,
          minDrugs: info.decoding.minDrugs ?? 1,
          beamWidth: info.decoding.beamWidth ?? 1,
          record,
          withheld: result.withheld ?? [],
        });
      },
      () => undefined /* the engine panel shows the error; the note stays as typed */,
    );
  };

  const cancel = () => {
    cancelRecommendation();
  };

  return (
    <main className="screen">
      <NoteInput onParse={() => void parse()} onRecommend={() => void recommend()} />
      <EnginePanel />
      {running && method === 'model' && (
        <button type="button" onClick={cancel} data-testid="cancel">
          {t('cancel')}
        </button>
      )}
      {error && (
        <p role="alert" className="error" data-testid="error">
          {error}
        </p>
      )}
      <div className="columns">
        <ParsedFields onDiscardEdits={() => void parse()} />
        <RecommendationList />
      </div>
      <SavedCases />
    </main>
  );
}
