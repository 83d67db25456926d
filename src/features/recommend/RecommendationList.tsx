import { useT } from '../../app/i18n.ts';
import { useNoteStore } from '../../state/note-store.ts';

export function RecommendationList() {
  const t = useT();
  const recommendations = useNoteStore((s) => s.recommendations);
  const source = useNoteStore((s) => s.recommendationSource);
  if (recommendations === null) return null;
  const scoreLabel = source === 'model' ? t('confidence') : t('score');
  return (
    <section className="panel" data-testid="recommendations" data-source={source}>
      <h2 className="panel-title">
        {t('recommendations')}{' '}
        <small>
          ({t('method')}: {source === 'model' ? t('methodModel') : t('methodCooccurrence')})
        </small>
      </h2>
      {recommendations.length === 0 ? (
        <p>{t('noRecommendations')}</p>
      ) : (
        <ol className="drugs">
          {recommendations.map((drug) => (
            <li key={drug.name} data-testid="drug" data-drug={drug.name} data-score={drug.score.toFixed(4)}>
              <span className="drug-name">{drug.name}</span>
              <span className="drug-class">{drug.drugClass}</span>
              <span className="bar" role="meter" aria-valuemin={0} aria-valuemax={1} aria-valuenow={Number(drug.score.toFixed(3))} aria-label={`${scoreLabel} ${drug.score.toFixed(2)}`}>
                <span style={{ width: `${Math.round(drug.score * 100)}%` }} />
              </span>
              <span className="drug-score" title={scoreLabel}>
                {drug.score.toFixed(2)}
              </span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
