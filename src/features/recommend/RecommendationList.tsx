import { useT } from '../../app/i18n.ts';
import { useNoteStore } from '../../state/note-store.ts';

export function RecommendationList({ methodLabel }: { methodLabel: string }) {
  const t = useT();
  const recommendations = useNoteStore((s) => s.recommendations);
  if (recommendations === null) return null;
  return (
    <section className="panel" data-testid="recommendations">
      <h2 className="panel-title">
        {t('recommendations')} <small>({t('method')}: {methodLabel})</small>
      </h2>
      {recommendations.length === 0 ? (
        <p>{t('noRecommendations')}</p>
      ) : (
        <ol className="drugs">
          {recommendations.map((drug) => (
            <li key={drug.name} data-testid="drug" data-drug={drug.name}>
              <span className="drug-name">{drug.name}</span>
              <span className="drug-class">{drug.drugClass}</span>
              <span className="bar" aria-label={`${t('score')} ${drug.score.toFixed(2)}`}>
                <span style={{ width: `${Math.round(drug.score * 100)}%` }} />
              </span>
              <span className="drug-score">{drug.score.toFixed(2)}</span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
