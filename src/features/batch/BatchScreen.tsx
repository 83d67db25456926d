import { useEffect, useRef, useState, type DragEvent } from 'react';
import { fill, useFormat, useMessages } from '../../app/i18n.ts';
import type { Backend, ModelDtype } from '../../engine/protocol.ts';
import { useBatchStore, type BatchMethod } from '../../state/batch-store.ts';
import { useEngineStore } from '../../state/engine-store.ts';
import { cancelBatch, downloadSubmission, loadBatchFile, RELEASE_AFTER_RUN, startBatch } from './batch-controller.ts';
import type { BatchMetrics, ScoreSummary } from './batch-runner.ts';
import { measuredEta, type Sample } from './eta.ts';
import { batchMessages, type BatchMessageKey } from './messages.ts';
import { PerDrugChart } from './PerDrugChart.tsx';
import { ResultsTable } from './ResultsTable.tsx';
import './batch.css';

const round4 = (x: number) => Math.round(x * 1e4) / 1e4;

/** The progress samples of the current run (start, then every store update), for the estimate. */
function useRunSamples(): Sample[] {
  const startedAt = useBatchStore((s) => s.startedAt);
  const updatedAt = useBatchStore((s) => s.updatedAt);
  const done = useBatchStore((s) => s.done);
  const samples = useRef<Sample[]>([]);
  const runStart = useRef<number | null>(null);
  if (startedAt !== runStart.current) {
    runStart.current = startedAt;
    samples.current = startedAt === null ? [] : [{ done: 0, at: startedAt }];
  }
  const last = samples.current[samples.current.length - 1];
  if (updatedAt !== null && last && updatedAt > last.at && done > last.done) samples.current.push({ done, at: updatedAt });
  return samples.current;
}

function backendLabel(m: (k: BatchMessageKey) => string, backend: Backend | null, dtype: ModelDtype | null): string {
  if (!backend) return '';
  return `${backend === 'webgpu' ? m('backendWebgpu') : m('backendWasm')}${dtype ? ` · ${dtype}` : ''}`;
}

/** A finished run, kept to compare the two methods on the same file. */
interface RunSummary {
  method: BatchMethod;
  backend: Backend | null;
  dtype: ModelDtype | null;
  /** name + size + record count: the same file, as far as the screen can tell. */
  fileKey: string;
  score: number | null;
  jaccard: number | null;
  f1: number | null;
  n: number;
  seconds: number | null;
}

function FilePicker() {
  const m = useMessages(batchMessages);
  const status = useBatchStore((s) => s.status);
  const [over, setOver] = useState(false);
  /** A file dropped while a run (or a read) was going on: refused, and said so. */
  const [refused, setRefused] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const disabled = status === 'running' || status === 'reading';
  useEffect(() => {
    if (!disabled) setRefused(null);
  }, [disabled]);
  // Records sent from the recommend screen (batch-store `handOff`): read as a file once no run is going on.
  const handoff = useBatchStore((s) => s.handoff);
  useEffect(() => {
    if (!handoff || disabled) return;
    const h = useBatchStore.getState().takeHandoff();
    if (h) void loadBatchFile(new File([h.text], h.name, { type: 'application/json' }));
  }, [handoff, disabled]);
  const take = (files: FileList | null) => {
    const f = files?.[0];
    if (!f) return;
    // Loading a file resets the screen; doing it under a running batch would mix two files' rows.
    if (disabled) setRefused(f.name);
    else {
      setRefused(null);
      void loadBatchFile(f);
    }
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
      {refused !== null && (
        <p role="alert" className="batch-refused" data-testid="batch-drop-refused">
          {fill(m('dropRefused'), { name: refused })}
        </p>
      )}
    </div>
  );
}

function Progress() {
  const m = useMessages(batchMessages);
  const fmt = useFormat();
  const s = useBatchStore();
  const samples = useRunSamples();
  if (s.status !== 'running' && s.status !== 'done' && s.status !== 'cancelled') return null;
  const eta = s.status === 'running' && !s.loadingModel ? measuredEta(samples, s.total) : null;
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
            {fmt.number(s.done)} / {fmt.number(s.total)}
          </span>
          {s.errors > 0 && (
            <span className="batch-miss" data-testid="batch-errors">
              {fmt.number(s.errors)} {m('errorsCount')}
            </span>
          )}
          {s.status === 'running' &&
            (eta !== null ? (
              <span data-testid="batch-eta" data-seconds={Math.round(eta.seconds)} data-basis={eta.basis}>
                {m('eta')} {fmt.duration(eta.seconds)}{' '}
                <small>({fill(m('etaBasis'), { n: fmt.number(eta.basis), per: fmt.duration(eta.perRecordMs / 1000) })})</small>
              </span>
            ) : (
              <span data-testid="batch-eta-pending">{m('etaPending')}</span>
            ))}
          {s.status === 'done' && <span>{m('statusDone')}{elapsed !== null ? ` (${fmt.duration(elapsed)})` : ''}</span>}
          {s.status === 'cancelled' && <span data-testid="batch-cancelled">{m('statusCancelled')}</span>}
        </>
      )}
    </div>
  );
}

/** Which method and backend produced the rows on screen (the backend only for a model run). */
function RunInfo() {
  const m = useMessages(batchMessages);
  const ranWith = useBatchStore((s) => s.ranWith);
  const status = useBatchStore((s) => s.status);
  const loadingModel = useBatchStore((s) => s.loadingModel);
  const engines = useBatchStore((s) => s.engines);
  const backend = useEngineStore((s) => s.backend);
  const dtype = useEngineStore((s) => s.dtype);
  if (ranWith === null || status === 'ready' || status === 'empty' || status === 'reading') return null;
  const showBackend = ranWith === 'model' && !loadingModel && backend !== null;
  return (
    <p
      className="batch-run-info"
      data-testid="batch-run-info"
      data-method={ranWith}
      data-backend={showBackend ? backend : ''}
      data-engines={showBackend && engines !== null ? engines : ''}
    >
      {m('ranWith')}: {ranWith === 'model' ? m('methodModel') : m('methodBaseline')}
      {showBackend && (
        <>
          {' · '}
          {m('backend')}: {backendLabel(m, backend, dtype)}
          {engines !== null && ` · ${m('engines')}: ${engines}`}
        </>
      )}
    </p>
  );
}

/** Both methods' last runs on the same file, the better CHIP score marked in words, not colour. */
function Comparison({ runs }: { runs: readonly RunSummary[] }) {
  const m = useMessages(batchMessages);
  const fmt = useFormat();
  if (runs.length < 2 || runs.some((r) => r.score === null)) return null;
  const [a, b] = runs as [RunSummary, RunSummary];
  const best = a.score === b.score ? null : (a.score as number) > (b.score as number) ? a.method : b.method;
  return (
    <section className="panel" data-testid="batch-compare" data-better={best ?? 'tie'}>
      <h2 className="panel-title">{m('compareTitle')}</h2>
      <div className="batch-table-wrap">
        <table className="batch-table">
          <thead>
            <tr>
              <th>{m('method')}</th>
              <th>{m('score')}</th>
              <th>{m('jaccard')}</th>
              <th>{m('f1')}</th>
              <th>n</th>
              <th>{m('elapsed')}</th>
            </tr>
          </thead>
          <tbody>
            {runs.map((r) => (
              <tr key={r.method} data-testid="batch-compare-row" data-method={r.method} data-better={String(best === r.method)}>
                <td>
                  {r.method === 'model' ? m('methodModel') : m('methodBaseline')}
                  {r.backend && <small> · {backendLabel(m, r.backend, r.dtype)}</small>}{' '}
                  {best === r.method && <strong className="batch-better">★ {m('better')}</strong>}
                </td>
                <td className="num">{fmt.number(r.score as number, 4)}</td>
                <td className="num">{fmt.number(r.jaccard as number, 4)}</td>
                <td className="num">{fmt.number(r.f1 as number, 4)}</td>
                <td className="num">{fmt.number(r.n)}</td>
                <td className="num">{r.seconds === null ? '—' : fmt.duration(r.seconds)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {best === null && <p>{m('tie')}</p>}
    </section>
  );
}

/**
 * Remembers the last finished run of each method for the loaded file (screens stay mounted, so
 * this lives as long as the page); forgets when another file is loaded.
 */
function useRunHistory(): RunSummary[] {
  const status = useBatchStore((s) => s.status);
  const file = useBatchStore((s) => s.file);
  const [history, setHistory] = useState<RunSummary[]>([]);
  const fileKey = file ? `${file.name}\u0000${file.bytes}\u0000${file.records}` : '';
  useEffect(() => {
    setHistory((h) => h.filter((r) => r.fileKey === fileKey));
  }, [fileKey]);
  useEffect(() => {
    if (status !== 'done') return;
    const s = useBatchStore.getState();
    const e = useEngineStore.getState();
    if (s.ranWith === null || !s.file) return;
    const summary: RunSummary = {
      method: s.ranWith,
      backend: s.ranWith === 'model' ? e.backend : null,
      dtype: s.ranWith === 'model' ? e.dtype : null,
      fileKey,
      score: s.metrics?.score ?? null,
      jaccard: s.metrics?.jaccard ?? null,
      f1: s.metrics?.f1 ?? null,
      n: s.done,
      seconds: s.startedAt !== null && s.finishedAt !== null ? (s.finishedAt - s.startedAt) / 1000 : null,
    };
    setHistory((h) => [...h.filter((r) => r.method !== summary.method && r.fileKey === fileKey), summary].sort((x, y) => x.method.localeCompare(y.method)));
  }, [status, fileKey]);
  return history;
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
  const fmt = useFormat();
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
                {fmt.number(v, key === 'meanPred' || key === 'meanGold' ? 2 : 4)}
              </dd>
            </div>
          );
        })}
      </dl>
      {metrics.normalised && (
        <>
          <h3 className="batch-metrics-kind">
            {m('metricsNormalised')} <span lang="zh-CN">氨氯地平片 = 氨氯地平</span>
            {m('normalisedExample')}
          </h3>
          <dl className="batch-metrics" data-testid="batch-metrics-normalised">
            {NORMALISED_KEYS.map(([key, label]) => (
              <div key={key}>
                <dt>{m(label)}</dt>
                <dd data-testid={`metric-normalised-${key}`} data-value={round4(metrics.normalised![key])}>
                  {fmt.number(metrics.normalised![key], 4)}
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
  const fmt = useFormat();
  const history = useRunHistory();
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
            <strong>{file.name}</strong> — {fmt.number(file.records)} {m('fileInfo')}, {fmt.number(file.bytes / 1024)} {m('kib')},{' '}
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
        <RunInfo />
        <Progress />
        {finished && file && file.records > RELEASE_AFTER_RUN && <p className="engine-reason">{m('released')}</p>}
      </section>
      {finished && file && !file.labelled && <p data-testid="batch-no-labels">{m('noLabels')}</p>}
      {metrics && <Metrics metrics={metrics} partial={done < total} />}
      <Comparison runs={history} />
      {metrics && metrics.perDrug.length > 0 && <PerDrugChart drugs={metrics.perDrug} />}
      <ResultsTable />
    </section>
  );
}
