import { useEffect, useMemo, useState } from 'react';
import { useMessages, useT } from '../../app/i18n.ts';
import { doseText, suggestDose, type DoseSuggestion } from '../../clinical/dose.ts';
import { drugEvidence, type DrugEvidence } from '../../clinical/evidence.ts';
import { Formulary } from '../../clinical/formulary.ts';
import { extractNoteFacts, type NoteFacts } from '../../clinical/note-facts.ts';
import { checkSafety, warningsFor, type SafetyWarning } from '../../clinical/safety.ts';
import type { WithheldDrug } from '../../clinical/withhold.ts';
import { useUiStore } from '../../state/ui-store.ts';
import { useEngineStore } from '../../state/engine-store.ts';
import { useNoteStore } from '../../state/note-store.ts';
import { saveCase } from '../../storage/saved-cases.ts';
import { useCandidateFormulary } from '../models/candidate-formulary.ts';
import { atStep, chipJson, cutLadder, exportText, finalList, searchCandidates, stepPreview, type CutLadder, type ListEntry } from './final-list.ts';
import type { RecommendedDrug } from '../../state/note-store.ts';
import { recommendMessages, type RecommendMessageKey } from './messages.ts';
import './recommend.css';

let formularyCache: Formulary | null = null;
function formulary(): Formulary {
  formularyCache ??= Formulary.bundled();
  return formularyCache;
}

type M = (key: RecommendMessageKey) => string;

function WarningText({ w, m }: { w: SafetyWarning; m: M }) {
  if (w.kind === 'duplication') {
    return (
      <>
        <strong>{m('dup')}</strong>：{w.drugs.join(' + ')} <small>({w.group})</small>
      </>
    );
  }
  if (w.kind === 'interaction') {
    return (
      <>
        <strong>
          {m('inter')}（{w.severity === 'major' ? m('sevMajor') : m('sevModerate')}）
        </strong>
        ：{w.drugs.join(' ↔ ')} — {w.note}
        {w.citation && (
          <small className="source">
            {' '}
            [{m('sourceLabel')}: {w.citation}]
          </small>
        )}
      </>
    );
  }
  return (
    <>
      <strong>{m('contra')}</strong>：{w.drug} — {w.note}
      <small className="evidence-quote">
        {' '}
        [{m('noteSays')} · {w.evidence.field}：「{w.evidence.text}」]
      </small>
      {w.citation && (
        <small className="source">
          {' '}
          [{m('sourceLabel')}: {w.citation}]
        </small>
      )}
    </>
  );
}

/** At-a-glance: does the note back this drug, or does it come from the recommender's priors only? */
function SupportBadge({ ev, m }: { ev: DrugEvidence; m: M }) {
  return ev.supported ? (
    <span className="badge support support-yes" data-testid="support-badge" data-supported="true" title={m('supportedHint')}>
      ✓ {m('supported')}
    </span>
  ) : (
    <span className="badge support support-no" data-testid="support-badge" data-supported="false" title={m('unsupportedHint')}>
      ? {m('unsupported')}
    </span>
  );
}

function Evidence({ ev, m }: { ev: DrugEvidence; m: M }) {
  if (ev.diagnoses.length === 0 && ev.mentions.length === 0) {
    return (
      <div className="evidence none" data-testid="evidence" data-empty="true" data-supported="false">
        {m('noEvidence')}
      </div>
    );
  }
  return (
    <div className="evidence" data-testid="evidence" data-supported={ev.supported} data-current={ev.current ?? 'none'}>
      {ev.diagnoses.length > 0 && (
        <div data-testid="evidence-diagnoses">
          {m('treats')}：{ev.diagnoses.join('；')}
        </div>
      )}
      {ev.current && ev.mentions.length > 1 && (
        <div data-testid="evidence-current" data-current={ev.current}>
          {m('currentStatus')}：
          <span className={`status status-${ev.current === 'taking' ? 'positive' : 'stopped'}`}>
            {ev.current === 'taking' ? m('status_positive') : m('status_stopped')}
          </span>{' '}
          <small>{m('latestDecides')}</small>
        </div>
      )}
      {/* In time order (主诉 → 既往史 → 现病史 → 入院情况 → 诊疗过程), numbered when there are several. */}
      {ev.mentions.map((x, i) => (
        <div key={i} data-testid="evidence-mention" data-status={x.status} data-field={x.field}>
          {ev.mentions.length > 1 ? `${i + 1}. ` : ''}
          {m('mentioned')}（{x.field}）：「{x.snippet}」{' '}
          <span className={`status status-${x.status}`}>{m(`status_${x.status}` as RecommendMessageKey)}</span>
        </div>
      ))}
    </div>
  );
}

/** The dose as exported: carried forward as written, a default marked as such, '' when none. */
function doseLabel(d: DoseSuggestion, m: M): string {
  if (d.kind === 'note') return doseText(d);
  if (d.kind === 'default') return `${doseText(d)}（${m('doseDefault')}）`;
  return '';
}

function Dose({ d, m }: { d: DoseSuggestion; m: M }) {
  if (d.kind === 'note') {
    return (
      <div className="dose dose-note" data-testid="dose" data-kind="note" data-dose={doseText(d)}>
        {m('doseLabel')}：<strong>{doseText(d)}</strong> <span className="badge dose-badge">{m('doseFromNote')}</span>
        <small className="evidence-quote">
          {' '}
          — {m('noteSays')}（{d.quote.field}）：「{d.quote.text}」
        </small>
      </div>
    );
  }
  if (d.kind === 'default') {
    return (
      <div className="dose dose-default" data-testid="dose" data-kind="default" data-dose={doseText(d)}>
        {m('doseLabel')}：{doseText(d)} <span className="badge dose-badge dose-badge-default">{m('doseDefault')}</span>
        {d.note && <small> — {d.note}</small>}
        <small className="source"> [{m('sourceLabel')}: {d.citation}]</small>
      </div>
    );
  }
  return (
    <div className="dose dose-none" data-testid="dose" data-kind="none">
      {m('doseLabel')}：<span className="badge dose-badge dose-badge-none">{m('doseNone')}</span>
    </div>
  );
}

function Facts({ facts, m }: { facts: NoteFacts; m: M }) {
  return (
    <p className="facts" data-testid="note-facts">
      {m('factsLabel')}：{m('egfrFact')}{' '}
      <span data-testid="fact-egfr">{facts.egfr ? facts.egfr.value : m('none')}</span> · {m('pregnancyFact')}{' '}
      {facts.pregnancy ? `「${facts.pregnancy.source.text}」` : m('none')} · {m('allergyFact')}{' '}
      <span data-testid="fact-allergies">
        {facts.allergies.length > 0
          ? facts.allergies.map((a) => a.substance).join('、')
          : facts.deniesAllergy
            ? m('deniesAllergy')
            : m('none')}
      </span>
    </p>
  );
}

function WithheldText({ w, m }: { w: WithheldDrug; m: M }) {
  return (
    <>
      <strong data-testid="withheld-reason" data-reason={w.reason}>
        {m(`reason_${w.reason}` as RecommendMessageKey)}
      </strong>
      ：{w.note}
      <small className="evidence-quote">
        {' '}
        [{m('noteSays')} · {w.evidence.field}：「{w.evidence.text}」]
      </small>
    </>
  );
}

/**
 * Drugs the safety filter kept out of the list (src/clinical/withhold.ts): the ones the note names
 * first (drug, reason, the note's words, "add anyway"), the rest folded away. "Add anyway" puts one
 * in the final list deliberately.
 */
function Withheld({ withheld, run, present, onAdd, m }: { withheld: readonly WithheldDrug[]; run: { record: Parameters<typeof drugEvidence>[1] }; present: ReadonlySet<string>; onAdd: (name: string) => void; m: M }) {
  const safety = useUiStore((s) => s.safety);
  const setSafety = useUiStore((s) => s.setSafety);
  const [relevant, rest] = useMemo(() => {
    const a: WithheldDrug[] = [];
    const b: WithheldDrug[] = [];
    for (const w of withheld) {
      const ev = drugEvidence(w.drug, run.record, formulary());
      // The note names it: shown. Withheld only because a diagnosis fits (often a whole class,
      // e.g. every metformin combination at eGFR 25): folded, so the section stays readable.
      (ev.mentions.length > 0 ? a : b).push(w);
    }
    return [a, b];
  }, [withheld, run]);
  const item = (w: WithheldDrug) => (
    <li key={w.drug} data-testid="withheld-drug" data-drug={w.drug} data-reason={w.reason}>
      <span className="drug-name">{w.drug}</span> <WithheldText w={w} m={m} />{' '}
      <button type="button" data-testid="add-anyway" disabled={present.has(w.drug)} onClick={() => onAdd(w.drug)}>
        {m('addAnyway')}
      </button>
    </li>
  );
  return (
    <div className="withheld" data-testid="withheld" data-count={withheld.length}>
      <h3>{m('withheldTitle')}</h3>
      <label className="safety-toggle">
        <input type="checkbox" data-testid="safety-toggle" checked={safety} onChange={(e) => setSafety(e.target.checked)} /> {m('safetyToggle')}
      </label>
      {!safety && <p className="hint" data-testid="safety-off">{m('safetyOffNote')}</p>}
      {withheld.length === 0 ? (
        <p>{m('noWithheld')}</p>
      ) : (
        <>
          <small className="hint">{m('withheldHint')}</small>
          {relevant.length > 0 && <ul>{relevant.map(item)}</ul>}
          {rest.length > 0 && (
            <details>
              <summary>
                {m('withheldMore')} ({rest.length})
              </summary>
              <ul>{rest.map(item)}</ul>
            </details>
          )}
        </>
      )}
    </div>
  );
}

const names = (drugs: readonly RecommendedDrug[]) => drugs.map((d) => `${d.name} ${d.score.toFixed(2)}`).join('、');

/**
 * Fewer ↔ more: discrete positions (src/features/recommend/final-list.ts `cutLadder`), each showing
 * a different list. Beside the control, what one step each way would remove or add, with the
 * confidences shown in the list, so its effect can be read before it is moved.
 */
function CutControl({ ladder, index, offset, onOffset, source, beam, m }: { ladder: CutLadder; index: number; offset: number; onOffset: (offset: number) => void; source: 'model' | 'baseline'; beam: boolean; m: M }) {
  const last = ladder.steps.length - 1;
  const preview = stepPreview(ladder, index);
  const shown = ladder.steps[index] ?? [];
  const lowest = shown.length > 0 ? Math.min(...shown.map((d) => d.score)) : null;
  const move = (to: number) => onOffset(Math.min(last, Math.max(0, to)) - ladder.defaultIndex);
  return (
    <div className="cut-slider" data-testid="cut-control" data-index={index} data-default-index={ladder.defaultIndex} data-steps={ladder.steps.length}>
      <label htmlFor="cut-slider">{source === 'model' ? m('sliderLabel') : m('sliderLabelBaseline')}</label>
      <div className="slider-row">
        <button type="button" data-testid="cut-fewer" disabled={index === 0} onClick={() => move(index - 1)} aria-label={m('fewer')}>
          − {m('fewer')}
        </button>
        <input
          id="cut-slider"
          type="range"
          data-testid="threshold-slider"
          min={0}
          max={last}
          step={1}
          disabled={last === 0}
          value={index}
          aria-valuetext={`${shown.length} ${m('drugsUnit')}`}
          onChange={(e) => move(Number(e.target.value))}
        />
        <button type="button" data-testid="cut-more" disabled={index === last} onClick={() => move(index + 1)} aria-label={m('more')}>
          + {m('more')}
        </button>
        <small data-testid="cut-value">
          {m('showing')} {shown.length} {m('drugsUnit')}
          {lowest !== null && (
            <>
              {' '}· {m('lowestShown')} <span data-testid="cut-lowest">{lowest.toFixed(2)}</span>
            </>
          )}
          {index === ladder.defaultIndex ? ` (${m('defaultCut')})` : ''}
        </small>
        {offset !== 0 && (
          <button type="button" onClick={() => onOffset(0)} data-testid="reset-cut">
            {m('resetCut')}
          </button>
        )}
      </div>
      <small className="hint cut-preview" data-testid="cut-preview">
        {preview.fewer ? (
          <span data-testid="preview-fewer" data-drugs={preview.fewer.map((d) => d.name).join('|')}>
            {m('fewerWouldRemove')} {names(preview.fewer)}
          </span>
        ) : (
          <span>{m('fewestReached')}</span>
        )}
        {' · '}
        {preview.more ? (
          <span data-testid="preview-more" data-drugs={preview.more.map((d) => d.name).join('|')}>
            {m('moreWouldAdd')} {names(preview.more)}
          </span>
        ) : (
          <span>{m('mostReached')}</span>
        )}
      </small>
      {source === 'model' && (
        <details className="tech">
          <summary>{m('howItWorks')}</summary>
          <small>
            {m('cutExplainModel')}
            {beam ? ` ${m('beamNote')}` : ''}
          </small>
        </details>
      )}
    </div>
  );
}

function AddDrug({ present, onAdd, m }: { present: ReadonlySet<string>; onAdd: (name: string) => void; m: M }) {
  const [query, setQuery] = useState('');
  // Offer the selected candidate list (a site's own, or the bundled formulary); classes and
  // safety facts below still come from the bundled formulary.
  const candidates = useCandidateFormulary();
  const matches = useMemo(() => searchCandidates(query, candidates), [query, candidates]);
  return (
    <div className="add-drug" data-testid="add-drug">
      <label>
        {m('addDrug')}{' '}
        <input
          data-testid="add-drug-search"
          value={query}
          placeholder={m('addPlaceholder')}
          onChange={(e) => setQuery(e.target.value)}
          autoComplete="off"
        />
      </label>
      {query.trim() !== '' && (
        <ul className="add-options" role="listbox">
          {matches.length === 0 && <li>{m('noMatch')}</li>}
          {matches.map((name) => (
            <li key={name}>
              <button
                type="button"
                role="option"
                aria-selected={false}
                data-testid="add-drug-option"
                data-drug={name}
                disabled={present.has(name)}
                onClick={() => {
                  onAdd(name);
                  setQuery('');
                }}
              >
                {name} <small>{formulary().get(name)?.class}</small>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function download(filename: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function RecommendationList() {
  const t = useT();
  const m = useMessages(recommendMessages);
  const run = useNoteStore((s) => s.run);
  const accepted = useNoteStore((s) => s.accepted);
  const removed = useNoteStore((s) => s.removed);
  const added = useNoteStore((s) => s.added);
  const modelRequests = useNoteStore((s) => s.modelRequests);
  const { accept, remove, restore, add } = useNoteStore.getState();
  // Steps from the calibrated default (negative = fewer); a new run starts at the default.
  const offset = useNoteStore((s) => s.cutOffset);
  const setOffset = useNoteStore((s) => s.setCutOffset);
  const [copyState, setCopyState] = useState<{ ok: boolean; text: string } | null>(null);
  const [saveState, setSaveState] = useState<{ ok: boolean; detail: string } | null>(null);
  useEffect(() => setSaveState(null), [run]);

  const ladder = useMemo(() => (run ? cutLadder(run) : null), [run]);
  const position = useMemo(() => (ladder ? atStep(ladder, offset) : { drugs: [], index: 0 }), [ladder, offset]);
  const list: ListEntry[] = useMemo(
    () => (run ? finalList(run, position.drugs, { accepted, removed, added }, formulary()) : []),
    [run, position, accepted, removed, added],
  );
  const facts = useMemo(() => (run ? extractNoteFacts(run.record) : null), [run]);
  const warnings = useMemo(() => (facts ? checkSafety(list.map((d) => d.name), facts, formulary()) : []), [list, facts]);
  const doses = useMemo(() => {
    const map = new Map<string, DoseSuggestion>();
    if (run) for (const d of list) map.set(d.name, suggestDose(d.name, run.record, formulary()));
    return map;
  }, [list, run]);
  const evidence = useMemo(() => {
    const map = new Map<string, DrugEvidence>();
    if (run) for (const d of list) map.set(d.name, drugEvidence(d.name, run.record, formulary()));
    return map;
  }, [list, run]);

  if (run === null || ladder === null) return null;
  const withheld = run.withheld ?? [];
  const withheldBy = new Map(withheld.map((w) => [w.drug, w]));
  const source = run.source;
  const scoreLabel = source === 'model' ? t('confidence') : t('score');
  const present = new Set(list.map((d) => d.name));

  const copy = async () => {
    const text = exportText(list, (name) => {
      const d = doses.get(name);
      return d ? doseLabel(d, m) : '';
    });
    try {
      await navigator.clipboard.writeText(text);
      setCopyState({ ok: true, text });
    } catch {
      setCopyState({ ok: false, text });
    }
  };

  const save = async () => {
    try {
      await saveCase({
        noteText: useNoteStore.getState().noteText,
        record: run.record as unknown as Record<string, unknown>,
        drugs: list,
        source,
        modelId: source === 'model' ? useEngineStore.getState().modelId : null,
      });
      useNoteStore.getState().bumpCases();
      setSaveState({ ok: true, detail: '' });
    } catch (e) {
      setSaveState({ ok: false, detail: e instanceof Error ? e.message : String(e) });
    }
  };

  return (
    <section
      className="panel clinician"
      data-testid="recommendations"
      data-source={source}
      data-model-requests={modelRequests}
      data-count={list.length}
    >
      <h2 className="panel-title">
        {t('recommendations')}{' '}
        <small>
          ({t('method')}: {source === 'model' ? t('methodModel') : t('methodCooccurrence')})
        </small>
      </h2>

      <CutControl ladder={ladder} index={position.index} onOffset={(o) => setOffset(o)} offset={offset} source={source} beam={run.beamWidth > 1} m={m} />

      {facts && <Facts facts={facts} m={m} />}

      {list.length === 0 ? (
        <p>{t('noRecommendations')}</p>
      ) : (
        <ol className="drugs">
          {list.map((drug) => {
            const own = warningsFor(drug.name, warnings);
            const ev = evidence.get(drug.name);
            return (
              <li
                key={drug.name}
                data-testid="drug"
                data-drug={drug.name}
                data-score={drug.score.toFixed(4)}
                data-origin={drug.origin}
                data-accepted={drug.accepted}
                data-warnings={own.length}
                data-supported={ev?.supported ?? false}
                className={drug.accepted ? 'accepted' : undefined}
              >
                <div className="drug-row">
                  <span className="drug-name">{drug.name}</span>
                  <span className="drug-class">{drug.drugClass}</span>
                  {drug.origin === 'added' && drug.score === 0 ? (
                    <span className="drug-added">{m('added')}</span>
                  ) : (
                    <>
                      <span
                        className="bar"
                        role="meter"
                        aria-valuemin={0}
                        aria-valuemax={1}
                        aria-valuenow={Number(drug.score.toFixed(3))}
                        aria-label={`${scoreLabel} ${drug.score.toFixed(2)}`}
                      >
                        <span style={{ width: `${Math.round(drug.score * 100)}%` }} />
                      </span>
                      <span className="drug-score" title={scoreLabel}>
                        {drug.score.toFixed(2)}
                      </span>
                    </>
                  )}
                  {ev && <SupportBadge ev={ev} m={m} />}
                  {own.length > 0 && (
                    <span className="badge badge-warning" data-testid="drug-warning-badge">
                      ⚠ {own.length}
                    </span>
                  )}
                  <button
                    type="button"
                    onClick={() => accept(drug.name)}
                    data-testid="accept-drug"
                    aria-pressed={drug.accepted}
                  >
                    {drug.accepted ? `✓ ${m('accepted')}` : m('accept')}
                  </button>
                  <button type="button" onClick={() => remove(drug.name)} data-testid="remove-drug">
                    {m('remove')}
                  </button>
                </div>
                {doses.get(drug.name) && <Dose d={doses.get(drug.name)!} m={m} />}
                {ev && <Evidence ev={ev} m={m} />}
                {withheldBy.has(drug.name) && (
                  <p className="drug-warnings" data-testid="drug-withheld">
                    ⚠ {m('withheldLabel')} — <WithheldText w={withheldBy.get(drug.name)!} m={m} />
                  </p>
                )}
                {own.length > 0 && (
                  <ul className="drug-warnings">
                    {own.map((w, i) => (
                      <li key={i} data-testid="drug-warning" data-kind={w.kind}>
                        <WarningText w={w} m={m} />
                      </li>
                    ))}
                  </ul>
                )}
              </li>
            );
          })}
        </ol>
      )}

      {removed.length > 0 && (
        <p className="removed" data-testid="removed">
          {m('removedList')}：
          {removed.map((name) => (
            <button key={name} type="button" onClick={() => restore(name)} data-testid="restore-drug" data-drug={name}>
              {name} ↺ {m('restore')}
            </button>
          ))}
        </p>
      )}

      <AddDrug present={present} onAdd={add} m={m} />

      <Withheld withheld={withheld} run={run} present={present} onAdd={add} m={m} />

      <div className="safety" data-testid="safety-warnings" data-count={warnings.length} role={warnings.length ? 'status' : undefined}>
        <h3>{m('warnings')}</h3>
        {warnings.length === 0 ? (
          <p>{m('noWarnings')}</p>
        ) : (
          <ul>
            {warnings.map((w, i) => (
              <li key={i} data-testid="safety-warning" data-kind={w.kind} className={`warning warning-${w.kind}`}>
                <WarningText w={w} m={m} />
              </li>
            ))}
          </ul>
        )}
        <small className="hint">{m('safetyDisclaimer')}</small>
      </div>

      <div className="actions export">
        <span data-testid="final-count">
          {m('finalCount')}：{list.length} {m('drugsUnit')}
        </span>
        <button type="button" onClick={() => void copy()} data-testid="export-text" disabled={list.length === 0}>
          {m('exportText')}
        </button>
        <button
          type="button"
          onClick={() => download(`chip-${run.record.就诊标识 || 'note'}.json`, chipJson(run.record.就诊标识, list))}
          data-testid="export-json"
        >
          {m('exportJson')}
        </button>
        <button type="button" onClick={() => void save()} data-testid="save-case">
          {m('saveCase')}
        </button>
      </div>
      {saveState && (
        <p data-testid="save-case-status" data-ok={saveState.ok} role="status">
          {saveState.ok ? m('caseSaved') : m('caseSaveFailed') + saveState.detail}
        </p>
      )}
      {copyState && (
        <div data-testid="copy-status" data-ok={copyState.ok}>
          {copyState.ok ? m('copied') : m('copyFailed')}
          <pre data-testid="export-preview">{copyState.text}</pre>
        </div>
      )}
    </section>
  );
}
