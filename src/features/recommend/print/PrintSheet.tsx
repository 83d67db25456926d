import { translate, useFormat, useMessages } from '../../../app/i18n.ts';
import type { DoseSuggestion } from '../../../clinical/dose.ts';
import type { SafetyWarning } from '../../../clinical/safety.ts';
import { useUiStore } from '../../../state/ui-store.ts';
import { recommendMessages } from '../messages.ts';
import { printMessages } from './messages.ts';
import { useDrugText, Zh, type DrugText } from '../drug-text.tsx';
import './print.css';

/** One line of the printed list, with the dose the screen shows for it (final-list.ts `listDoses`). */
export interface PrintEntry {
  name: string;
  drugClass: string;
  origin: 'recommended' | 'added';
  dose: DoseSuggestion;
}

export interface PrintSheetProps {
  /** Null before any recommendation: the sheet then says so (and still hides the note). */
  sheet: {
    patientId: string;
    visitId: string;
    visitDate: string;
    diagnoses: readonly string[];
    source: 'model' | 'baseline';
    entries: readonly PrintEntry[];
    warnings: readonly SafetyWarning[];
  } | null;
  /** When the sheet is printed (epoch ms). */
  printedAt: number;
}

function WarningLine({ w, r, x }: { w: SafetyWarning; r: (k: 'dup' | 'contra' | 'inter' | 'sevMajor' | 'sevModerate') => string; x: DrugText }) {
  if (w.kind === 'duplication') {
    return (
      <>
        {r('dup')}
        {x.colon}
        <Zh>{w.drugs.join(' + ')}</Zh>
      </>
    );
  }
  if (w.kind === 'interaction') {
    return (
      <>
        {r('inter')}
        {x.paren(w.severity === 'major' ? r('sevMajor') : r('sevModerate'))}
        {x.colon}
        <Zh>{w.drugs.join(' ↔ ')}</Zh> — {x.explanation(w)}
      </>
    );
  }
  return (
    <>
      {r('contra')}
      {x.colon}
      <Zh>{w.drug}</Zh> — {x.explanation(w)}
    </>
  );
}

/**
 * The printable discharge-medication sheet: hidden on screen, and in print the only thing on the
 * page (print.css hides the rest of the app, the pasted note included). Drug names, diagnoses
 * and the formulary's warning notes are data and print as written.
 */
export function PrintSheet({ sheet, printedAt }: PrintSheetProps) {
  const p = useMessages(printMessages);
  const r = useMessages(recommendMessages);
  const fmt = useFormat();
  const locale = useUiStore((s) => s.locale);
  const x = useDrugText();
  const colon = x.colon;
  return (
    <section className="print-sheet" data-testid="print-sheet">
      <h1>{p('title')}</h1>
      {sheet === null ? (
        <p data-testid="print-no-run">{p('noRun')}</p>
      ) : (
        <>
          <dl className="print-facts">
            <div>
              <dt>{p('patientId')}</dt>
              <dd data-testid="print-patient-id">{sheet.patientId || p('notStated')}</dd>
            </div>
            <div>
              <dt>{p('visitId')}</dt>
              <dd data-testid="print-visit-id">{sheet.visitId || p('notStated')}</dd>
            </div>
            <div>
              <dt>{p('visitDate')}</dt>
              <dd>{sheet.visitDate || p('notStated')}</dd>
            </div>
            <div>
              <dt>{p('printedOn')}</dt>
              <dd data-testid="print-date">{fmt.date(printedAt)}</dd>
            </div>
          </dl>
          {sheet.diagnoses.length > 0 && (
            <p>
              <strong>{p('diagnoses')}</strong>
              {colon}
              <span lang="zh-CN">{sheet.diagnoses.join('；')}</span>
            </p>
          )}
          <h2>{p('drugs')}</h2>
          {sheet.entries.length === 0 ? (
            <p>{p('noDrugs')}</p>
          ) : (
            <table className="print-drugs" data-testid="print-drugs">
              <thead>
                <tr>
                  <th>{p('colNo')}</th>
                  <th>{p('colDrug')}</th>
                  <th>{p('colClass')}</th>
                  <th>{p('colDose')}</th>
                  <th>{p('colFrequency')}</th>
                </tr>
              </thead>
              <tbody>
                {sheet.entries.map((e, i) => (
                  <tr key={e.name} data-testid="print-drug" data-drug={e.name} data-dose-kind={e.dose.kind}>
                    <td>{fmt.number(i + 1)}</td>
                    <td lang="zh-CN">
                      {e.name}
                      {e.origin === 'added' && <small> ({p('added')})</small>}
                    </td>
                    <td>{e.drugClass && x.formulary('classes', e.drugClass)}</td>
                    {e.dose.kind === 'none' ? (
                      // Left blank to be written by hand: the table has no default for this drug.
                      <td data-testid="print-dose" colSpan={2}>
                        <small>{r('doseNone')}</small>
                      </td>
                    ) : (
                      <>
                        <td data-testid="print-dose">
                          <span data-testid="print-dose-value">{e.dose.kind === 'default' ? x.formularyString('doses', e.dose.dose) : e.dose.dose}</span>
                          {/* A default is not the patient's dose: the paper says so, as the screen does. */}
                          {e.dose.kind === 'default' && <small> ({r('doseDefault')})</small>}
                        </td>
                        <td data-testid="print-frequency">{e.dose.frequency ?? ''}</td>
                      </>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <h2>{p('warnings')}</h2>
          {sheet.warnings.length === 0 ? (
            <p>{p('noWarnings')}</p>
          ) : (
            <ul data-testid="print-warnings">
              {sheet.warnings.map((w, i) => (
                <li key={i} data-kind={w.kind}>
                  <WarningLine w={w} r={r} x={x} />
                </li>
              ))}
            </ul>
          )}
          <p>
            {p('method')}
            {colon}
            {sheet.source === 'model' ? p('methodModel') : p('methodBaseline')}
          </p>
          <p className="print-signature">{p('signature')}</p>
        </>
      )}
      <p className="print-disclaimer" data-testid="print-disclaimer">
        {translate(locale, 'syntheticNotice')}
      </p>
    </section>
  );
}
