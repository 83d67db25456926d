import { Fragment, memo } from 'react';
import { fill, useFormat, useMessages } from '../../app/i18n.ts';
import { Formulary } from '../../clinical/formulary.ts';
import { useBatchStore } from '../../state/batch-store.ts';
import type { BatchRow } from '../../state/batch-types.ts';
import { batchMessages } from './messages.ts';

export const PAGE_SIZE = 50;

function norm(name: string): string {
  return Formulary.bundled().normalize(name) ?? name.trim();
}

/** Paginated (50 rows a page), so thousands of rows keep the DOM small. */
export function ResultsTable() {
  const m = useMessages(batchMessages);
  const fmt = useFormat();
  const rows = useBatchStore((s) => s.rows);
  const page = useBatchStore((s) => s.page);
  const setPage = useBatchStore((s) => s.setPage);
  const pages = Math.max(1, Math.ceil(rows.length / PAGE_SIZE));
  const current = Math.min(page, pages - 1);
  const slice = rows.slice(current * PAGE_SIZE, (current + 1) * PAGE_SIZE);
  const labelled = rows.some((r) => r.gold !== null);
  if (rows.length === 0) return null;
  return (
    <section className="panel" data-testid="batch-results" data-rows={rows.length}>
      <h2 className="panel-title">
        {m('results')} ({fmt.number(rows.length)})
      </h2>
      {labelled && (
        <p className="hint batch-legend" data-testid="batch-legend">
          {m('legend')}
        </p>
      )}
      <div className="batch-table-wrap">
        <table className="batch-table">
          <thead>
            <tr>
              <th>{m('colIndex')}</th>
              <th>{m('colId')}</th>
              <th>{m('colPred')}</th>
              {labelled && <th>{m('colGold')}</th>}
              {labelled && <th>{m('colJaccard')}</th>}
              <th>{m('colSafety')}</th>
            </tr>
          </thead>
          <tbody>
            {slice.map((r) => (
              <Row key={r.index} r={r} labelled={labelled} />
            ))}
          </tbody>
        </table>
      </div>
      <div className="batch-pager">
        <button type="button" disabled={current === 0} onClick={() => setPage(current - 1)} data-testid="batch-prev">
          {m('prev')}
        </button>
        <span data-testid="batch-page">
          {fmt.number(current + 1)} / {fmt.number(pages)} {m('pageOf')}
        </span>
        <button type="button" disabled={current >= pages - 1} onClick={() => setPage(current + 1)} data-testid="batch-next">
          {m('next')}
        </button>
      </div>
    </section>
  );
}

/**
 * One row. Memoised: a finished row never changes (the store appends new rows and keeps the old
 * objects), so a progress update during a run renders only the rows it adds, not the whole page
 * with its name normalisation.
 */
const Row = memo(function Row({ r, labelled }: { r: BatchRow; labelled: boolean }) {
  const m = useMessages(batchMessages);
  const fmt = useFormat();
  const gold = r.gold ? new Set(r.gold.map(norm)) : null;
  const predicted = new Set(r.predicted.map(norm));
  return (
    <tr data-testid="batch-row" data-id={r.id} className={r.error ? 'err' : undefined}>
      <td className="num">{fmt.number(r.index + 1)}</td>
      <td>{r.id}</td>
      <td>
        {r.error ? (
          <span className="batch-miss" data-testid="batch-row-error" title={r.error}>
            {m('rowError')}: {r.error}
          </span>
        ) : (
          r.predicted.map((d, i) => {
            // Right and wrong differ by a mark and its words too, not by colour alone.
            const hit = gold ? gold.has(norm(d)) : null;
            // The space between drugs sits outside the unbreakable drug span: lines break between drugs.
            return (
              <Fragment key={d}>
                {i > 0 ? ' ' : ''}
                <span
                  className={hit === null ? 'batch-drug' : hit ? 'batch-drug batch-hit' : 'batch-drug batch-miss'}
                  data-testid="batch-pred"
                  data-hit={hit === null ? undefined : String(hit)}
                >
                  {hit !== null && (
                    <span className="batch-mark" role="img" aria-label={hit ? m('hit') : m('miss')} title={hit ? m('hit') : m('miss')}>
                      {hit ? '✓' : '✗'}
                    </span>
                  )}
                  <span lang="zh-CN">{d}</span>
                </span>
              </Fragment>
            );
          })
        )}
      </td>
      {labelled && (
        <td>
          {r.gold?.map((d, i) => {
            const missed = !predicted.has(norm(d));
            return (
              <Fragment key={d}>
                {i > 0 ? ' ' : ''}
                <span className={missed ? 'batch-drug batch-missed' : 'batch-drug'} data-testid="batch-gold" data-missed={String(missed)}>
                  {missed && (
                    <span className="batch-mark" role="img" aria-label={m('missed')} title={m('missed')}>
                      ○
                    </span>
                  )}
                  <span lang="zh-CN">{d}</span>
                </span>
              </Fragment>
            );
          })}
        </td>
      )}
      {labelled && <td className="num">{r.jaccard === null ? '' : fmt.number(r.jaccard, 3)}</td>}
      <td data-testid="batch-safety" data-withheld={r.withheld.length} data-rule-hits={r.ruleHits.length}>
        {r.ruleHits.length > 0 && (
          <div className="batch-rule-hit">{fill(m('ruleHitsN'), { list: r.ruleHits.join('、') })}</div>
        )}
        {r.withheld.length > 0 && (
          <div className="hint" lang="zh-CN">
            {fill(m('withheldN'), { list: r.withheld.map((w) => w.drug).join('、') })}
          </div>
        )}
        {r.ruleHits.length === 0 && r.withheld.length === 0 && m('safetyNone')}
      </td>
    </tr>
  );
});
