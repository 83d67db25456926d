import { Fragment, useEffect, useMemo, useState } from 'react';
import { useMessages, useT } from '../../app/i18n.ts';
import { doseText, type DoseSuggestion } from '../../clinical/dose.ts';
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
import { atStep, chipJson, cutLadder, exportText, finalList, listDoses, searchCandidates, stepPreview, type CutLadder, type ListEntry } from './final-list.ts';
import type { RecommendedDrug } from '../../state/note-store.ts';
import { recommendMessages, type RecommendMessageKey } from './messages.ts';
import { useDrugText, Zh, type DrugText } from './drug-text.tsx';
import './recommend.css';

let formularyCache: Formulary | null = null;
function formulary(): Formulary {
  formularyCache ??= Formulary.bundled();
  return formularyCache;
}

type M = (key: RecommendMessageKey) => string;

/** Drug names joined, as data. */
function Drugs({ names, joint }: { names: readonly string[]; joint: string }) {
  return <Zh>{names.join(joint)}</Zh>;
}

function Source({ citation, m, x }: { citation: string; m: M; x: DrugText }) {
  return (
    <small className="source">
      {' '}
      [{m('sourceLabel')}
      {x.colon}
      {x.formulary('citations', citation)}]
    </small>
  );
}

function WarningText({ w, m }: { w: SafetyWarning; m: M }) {
  const x = useDrugText();
  if (w.kind === 'duplication') {
    // The group's class words (not its internal key, e.g. "arb").
    const cls = formulary().get(w.drugs[0] ?? '')?.class;
    return (
      <>
        <strong>{m('dup')}</strong>
        {x.colon}
        <Drugs names={w.drugs} joint=" + " /> {cls && <small>{x.paren(x.formulary('classes', cls))}</small>}
      </>
    );
  }
  if (w.kind === 'interaction') {
    return (
      <>
        <strong>
          {m('inter')}
          {x.paren(w.severity === 'major' ? m('sevMajor') : m('sevModerate'))}
        </strong>
        {x.colon}
        <Drugs names={w.drugs} joint=" ↔ " /> — {x.explanation(w)}
        {w.citation && <Source citation={w.citation} m={m} x={x} />}
      </>
    );
  }
  return (
    <>
      <strong>{m('contra')}</strong>
      {x.colon}
      <Zh>{w.drug}</Zh> — {x.explanation(w)}
      <small className="evidence-quote">
        {' '}
        [{m('noteSays')} · {x.field(w.evidence.field)}
        {x.colon}
        {x.quote(w.evidence.text)}]
      </small>
      {w.citation && <Source citation={w.citation} m={m} x={x} />}
      {w.acute && (
        <small className="acute-note" data-testid="acute-note">
          {' '}
          {m('acuteResumed')}
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
  const x = useDrugText();
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
          {m('treats')}
          {x.colon}
          <Zh>{ev.diagnoses.join('；')}</Zh>
        </div>
      )}
      {ev.current && ev.mentions.length > 1 && (
        <div data-testid="evidence-current" data-current={ev.current}>
          {m('currentStatus')}
          {x.colon}
          <span className={`status status-${ev.current === 'taking' ? 'positive' : 'stopped'}`}>
            {ev.current === 'taking' ? m('status_positive') : m('status_stopped')}
          </span>{' '}
          <small>{m('latestDecides')}</small>
        </div>
      )}
      {/* In time order (主诉 → 既往史 → 现病史 → 入院情况 → 诊疗过程), numbered when there are several. */}
      {ev.mentions.map((mention, i) => (
        <div key={i} data-testid="evidence-mention" data-status={mention.status} data-field={mention.field}>
          {ev.mentions.length > 1 ? `${i + 1}. ` : ''}
          {m('mentioned')}
          {x.paren(x.field(mention.field))}
          {x.colon}
          {x.quote(mention.snippet)}{' '}
          <span className={`status status-${mention.status}`}>{m(`status_${mention.status}` as RecommendMessageKey)}</span>
        </div>
      ))}
    </div>
  );
}

/** The dose as exported: carried forward as written, a default marked as such, '' when none. */
function doseLabel(d: DoseSuggestion, m: M, x: DrugText): string {
  if (d.kind === 'note') return doseText(d);
  if (d.kind === 'default') return `${doseText({ ...d, dose: x.formularyString('doses', d.dose) })}${x.locale === 'en' ? ` (${m('doseDefault')})` : `（${m('doseDefault')}）`}`;
  return '';
}

function Dose({ d, m }: { d: DoseSuggestion; m: M }) {
  const x = useDrugText();
  if (d.kind === 'note') {
    return (
      <div className="dose dose-note" data-testid="dose" data-kind="note" data-dose={doseText(d)}>
        {m('doseLabel')}
        {x.colon}
        <strong>{doseText(d)}</strong> <span className="badge dose-badge">{m('doseFromNote')}</span>
        <small className="evidence-quote">
          {' '}
          — {m('noteSays')}
          {x.paren(x.field(d.quote.field))}
          {x.colon}
          {x.quote(d.quote.text)}
        </small>
      </div>
    );
  }
  if (d.kind === 'default') {
    return (
      <div className="dose dose-default" data-testid="dose" data-kind="default" data-dose={doseText(d)}>
        {m('doseLabel')}
        {x.colon}
        {x.formulary('doses', d.dose)} {d.frequency} <span className="badge dose-badge dose-badge-default">{m('doseDefault')}</span>
        {d.note && <small> — {x.formulary('doseNotes', d.note)}</small>}
        <Source citation={d.citation} m={m} x={x} />
      </div>
    );
  }
  return (
    <div className="dose dose-none" data-testid="dose" data-kind="none">
      {m('doseLabel')}
      {x.colon}
      <span className="badge dose-badge dose-badge-none">{m('doseNone')}</span>
    </div>
  );
}

function Facts({ facts, m }: { facts: NoteFacts; m: M }) {
  const x = useDrugText();
  return (
    <p className="facts" data-testid="note-facts">
      {m('factsLabel')}
      {x.colon}
      {m('egfrFact')} <span data-testid="fact-egfr">{facts.egfr ? facts.egfr.value : m('none')}</span> · {m('pregnancyFact')}{' '}
      {facts.pregnancy ? x.quote(facts.pregnancy.source.text) : m('none')} · {m('allergyFact')}{' '}
      <span data-testid="fact-allergies">
        {facts.allergies.length > 0
          ? <Zh>{facts.allergies.map((a) => a.substance).join('、')}</Zh>
          : facts.deniesAllergy
            ? m('deniesAllergy')
            : m('none')}
      </span>
    </p>
  );
}

function WithheldText({ w, m }: { w: WithheldDrug; m: M }) {
  const x = useDrugText();
  return (
    <>
      <strong data-testid="withheld-reason" data-reason={w.reason}>
        {m(`reason_${w.reason}` as RecommendMessageKey)}
      </strong>
      {x.colon}
      {x.explanation(w)}
      <small className="evidence-quote">
        {' '}
        [{m('noteSays')} · {x.field(w.evidence.field)}
        {x.colon}
        {x.quote(w.evidence.text)}]
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
      <span className="drug-name" lang="zh-CN">{w.drug}</span> <WithheldText w={w} m={m} />{' '}
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

function Names({ drugs }: { drugs: readonly RecommendedDrug[] }) {
  const x = useDrugText();
  return (
    <>
      {drugs.map((d, i) => (
        <Fragment key={d.name}>
          {i > 0 && x.sep}
          <Zh>{d.name}</Zh> {d.score.toFixed(2)}
        </Fragment>
      ))}
    </>
  );
}

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
            {m('fewerWouldRemove')} <Names drugs={preview.fewer} />
          </span>
        ) : (
          <span>{m('fewestReached')}</span>
        )}
        {' · '}
        {preview.more ? (
          <span data-testid="preview-more" data-drugs={preview.more.map((d) => d.name).join('|')}>
            {m('moreWouldAdd')} <Names drugs={preview.more} />
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
  const x = useDrugText();
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
                <Zh>{name}</Zh> <small>{x.formulary('classes', formulary().get(name)?.class ?? '')}</small>
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
  const x = useDrugText();
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
  const doses = useMemo(() => (run ? listDoses(list, run.record, formulary()) : new Map<string, DoseSuggestion>()), [list, run]);
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
    const classed = list.map((d) => ({ name: d.name, drugClass: d.drugClass && x.formularyString('classes', d.drugClass) }));
    const text = exportText(classed, (name) => {
      const d = doses.get(name);
      return d ? doseLabel(d, m, x) : '';
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
                  <span className="drug-name" lang="zh-CN">
                    {drug.name}
                  </span>
                  <span className="drug-class">{drug.drugClass && x.formulary('classes', drug.drugClass)}</span>
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
          {m('removedList')}
          {x.colon}
          {removed.map((name) => (
            <button key={name} type="button" onClick={() => restore(name)} data-testid="restore-drug" data-drug={name}>
              <Zh>{name}</Zh> ↺ {m('restore')}
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
          {m('finalCount')}
          {x.colon}
          {list.length} {m('drugsUnit')}
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
