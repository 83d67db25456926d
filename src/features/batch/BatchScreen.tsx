import { useRef, useState, type DragEvent } from 'react';
import { useMessages } from '../../app/i18n.ts';
import { useBatchStore, type BatchMethod } from '../../state/batch-store.ts';
import { cancelBatch, downloadSubmission, loadBatchFile, RELEASE_AFTER_RUN, startBatch } from './batch-controller.ts';
import { etaSeconds, type BatchMetrics, type ScoreSummary } from './batch-runner.ts';
import { batchMessages, type BatchMessageKey } from './messages.ts';
import { PerDrugChart } from './PerDrugChart.tsx';
import { ResultsTable } from './ResultsTable.tsx';
import './batch.css';

const round4 = (x: number) => Math.round(x * 1e4) / 1e4;

function formatDuration(s: number): string {
  if (s < 60) return `${Math.ceil(s)} s`;
  const min = Math.floor(s / 60);
  return `${min} min ${Math.round(s - min * 60)} s`;
}

function FilePicker() {
  const m = useMessages(batchMessages);
  const status = useBatchStore((s) => s.status);
  const [over, setOver] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const disabled = status === 'running' || status === 'reading';
  const take = (files: FileList | null) => {
    const f = files?.[0];
    if (f && !disabled) void loadBatchFile(f);
  };
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    take(e.dataTransfer.files);
  };
  return (
    <div
      className={over ? 'batch-drop over' : 'batch-drop'}
      data-testid="batch-drop"
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
    >
      {m('dropHint')}{' '}
      <label htmlFor="batch-file">{m('chooseFile')}</label>
      <input
        ref={input}
        id="batch-file"
        type="file"
        accept=".json,.jsonl,application/json"
        data-testid="batch-file-input"
        disabled={disabled}
        style={{ display: 'none' }}
        onChange={(e) => {
          take(e.target.files);
          e.target.value = ''; // the same file can be picked again
        }}
      />
    </div>
  );
}

function Progress() {
  const m = useMessages(batchMessages);
  const s = useBatchStore();
  if (s.status !== 'running' && s.status !== 'done' && s.status !== 'cancelled') return null;
  const eta =
    s.status === 'running' && s.startedAt !== null && s.updatedAt !== null ? etaSeconds(s.done, s.total, s.updatedAt - s.startedAt) : null;
  const elapsed = s.startedAt !== null && s.finishedAt !== null ? (s.finishedAt - s.startedAt) / 1000 : null;
  return (
    <div
      className="batch-progress"
      data-testid="batch-progress"
      data-status={s.status}
      data-done={s.done}
      data-total={s.total}
      data-heap-200={s.heapAt200 ?? ''}
      data-heap-end={s.heapAtEnd ?? ''}
    >
      {s.loadingModel ? (
        <span>{m('loadingModel')}</span>
      ) : (
        <>
          <progress max={s.total || 1} value={s.done} aria-label={m('progress')} />
          <span data-testid="batch-count">
            {s.done} / {s.total}
          </span>
          {s.errors > 0 && (
            <span className="batch-miss" data-testid="batch-errors">
              {s.errors} {m('errorsCount')}
            </span>
          )}
          {eta !== null && (
            <span data-testid="batch-eta">
              {m('eta')} {formatDuration(eta)}
            </span>
          )}
          {s.status === 'done' && <span>{m('statusDone')}{elapsed !== null ? ` (${formatDuration(elapsed)})` : ''}</span>}
          {s.status === 'cancelled' && <span data-testid="batch-cancelled">{m('statusCancelled')}</span>}
        </>
      )}
    </div>
  );
}

const METRIC_KEYS: Array<[keyof BatchMetrics, string, BatchMessageKey]> = [
  ['jaccard', 'jaccard', 'jaccard'],
  ['f1', 'f1', 'f1'],
  ['precision', 'precision', 'precision'],
  ['recall', 'recall', 'recall'],
  ['score', 'score', 'score'],
  ['meanPred', 'mean_pred', 'meanPred'],
  ['meanGold', 'mean_gold', 'meanGold'],
  ['ratio', 'ratio', 'ratio'],
];

const NORMALISED_KEYS: Array<[keyof ScoreSummary, BatchMessageKey]> = [
  ['jaccard', 'jaccard'],
  ['f1', 'f1'],
  ['precision', 'precision'],
  ['recall', 'recall'],
  ['score', 'score'],
];

function Metrics({ metrics, partial }: { metrics: BatchMetrics; partial: boolean }) {
  const m = useMessages(batchMessages);
  return (
    <section className="panel" data-testid="batch-metrics" data-n={metrics.n}>
      <h2 className="panel-title">
        {m('metrics')} (n = {metrics.n}) {partial ? m('metricsPartial') : ''}
      </h2>
      <h3 className="batch-metrics-kind">{m('metricsExact')}</h3>
      <dl className="batch-metrics" data-testid="batch-metrics-exact">
        {METRIC_KEYS.map(([key, id, label]) => {
          const v = metrics[key] as number;
          return (
            <div key={id}>
              <dt>{m(label)}</dt>
              <dd data-testid={`metric-${id}`} data-value={round4(v)}>
                {key === 'meanPred' || key === 'meanGold' ? v.toFixed(2) : v.toFixed(4)}
              </dd>
            </div>
          );
        })}
      </dl>
      {metrics.normalised && (
        <>
          <h3 className="batch-metrics-kind">{m('metricsNormalised')}</h3>
          <dl className="batch-metrics" data-testid="batch-metrics-normalised">
            {NORMALISED_KEYS.map(([key, label]) => (
              <div key={key}>
                <dt>{m(label)}</dt>
                <dd data-testid={`metric-normalised-${key}`} data-value={round4(metrics.normalised![key])}>
                  {metrics.normalised![key].toFixed(4)}
                </dd>
              </div>
            ))}
          </dl>
        </>
      )}
    </section>
  );
}

export function BatchScreen() {
  const m = useMessages(batchMessages);
  const status = useBatchStore((s) => s.status);
  const method = useBatchStore((s) => s.method);
  const setMethod = useBatchStore((s) => s.setMethod);
  const file = useBatchStore((s) => s.file);
  const error = useBatchStore((s) => s.error);
  const metrics = useBatchStore((s) => s.metrics);
  const done = useBatchStore((s) => s.done);
  const total = useBatchStore((s) => s.total);
  const hasRows = useBatchStore((s) => s.rows.length > 0);
  const running = status === 'running';
  const finished = status === 'done' || status === 'cancelled';
  return (
    <section className="screen" data-testid="batch-screen" data-status={status}>
      <section className="panel">
        <h2 className="panel-title">{m('title')}</h2>
        <FilePicker />
        {status === 'reading' && <p data-testid="batch-reading">{m('reading')}</p>}
        {error && (
          <p role="alert" className="error" data-testid="batch-error">
            {error}
          </p>
        )}
        {file && (
          <p data-testid="batch-file-info" data-records={file.records} data-labelled={String(file.labelled)}>
            <strong>{file.name}</strong> — {file.records} {m('fileInfo')}, {(file.bytes / 1024).toFixed(0)} KiB,{' '}
            {file.labelled ? m('labelled') : m('unlabelled')}
          </p>
        )}
        <div className="batch-row-controls">
          <label>
            {m('method')}{' '}
            <select
              value={method}
              disabled={running}
              onChange={(e) => setMethod(e.target.value as BatchMethod)}
              data-testid="batch-method"
            >
              <option value="baseline">{m('methodBaseline')}</option>
              <option value="model">{m('methodModel')}</option>
            </select>
          </label>
          <button
            type="button"
            className="primary"
            disabled={!file || running || status === 'reading'}
            onClick={() => void startBatch()}
            data-testid="batch-start"
          >
            {m('start')}
          </button>
          {running && (
            <button type="button" onClick={cancelBatch} data-testid="batch-cancel">
              {m('cancel')}
            </button>
          )}
          {finished && hasRows && (
            <button type="button" onClick={downloadSubmission} data-testid="batch-download">
              {m('download')}
            </button>
          )}
        </div>
        <Progress />
        {finished && file && file.records > RELEASE_AFTER_RUN && <p className="engine-reason">{m('released')}</p>}
      </section>
      {finished && file && !file.labelled && <p data-testid="batch-no-labels">{m('noLabels')}</p>}
      {metrics && <Metrics metrics={metrics} partial={done < total} />}
      {metrics && metrics.perDrug.length > 0 && <PerDrugChart drugs={metrics.perDrug} />}
      <ResultsTable />
    </section>
  );
}
