import { useMemo, useState, useEffect } from 'react';
import { Formulary } from '../../../clinical/formulary.ts';
import { extractNoteFacts } from '../../../clinical/note-facts.ts';
import { checkSafety } from '../../../clinical/safety.ts';
import { useNoteStore } from '../../../state/note-store.ts';
import { atStep, cutLadder, finalList, listDoses } from '../final-list.ts';
import { PrintSheet, type PrintEntry, type PrintSheetProps } from './PrintSheet.tsx';

/**
 * The print sheet fed from the note store: the same derived final list and safety check the
 * recommend screen shows (final-list.ts with its `listDoses`, clinical/safety.ts), so what prints
 * is what is on screen, doses included.
 * Mounted once by the app shell.
 */
export function PrintSheetFromStores() {
  const run = useNoteStore((s) => s.run);
  const offset = useNoteStore((s) => s.cutOffset);
  const accepted = useNoteStore((s) => s.accepted);
  const removed = useNoteStore((s) => s.removed);
  const added = useNoteStore((s) => s.added);
  // The printed date is the day of printing: refreshed when the browser is about to print.
  const [printedAt, setPrintedAt] = useState(() => Date.now());
  useEffect(() => {
    const before = () => setPrintedAt(Date.now());
    window.addEventListener('beforeprint', before);
    return () => window.removeEventListener('beforeprint', before);
  }, []);
  const sheet = useMemo((): PrintSheetProps['sheet'] => {
    if (!run) return null;
    const formulary = Formulary.bundled();
    const list = finalList(run, atStep(cutLadder(run), offset).drugs, { accepted, removed, added }, formulary);
    const warnings = checkSafety(list.map((d) => d.name), extractNoteFacts(run.record), formulary);
    const doses = listDoses(list, run.record, formulary);
    const entries: PrintEntry[] = list.map((d) => ({ name: d.name, drugClass: d.drugClass, origin: d.origin, dose: doses.get(d.name) ?? { kind: 'none' } }));
    return {
      patientId: run.record.患者序号,
      visitId: run.record.就诊标识,
      visitDate: run.record.就诊时间,
      diagnoses: run.record.出院诊断,
      source: run.source,
      entries,
      warnings,
    };
  }, [run, offset, accepted, removed, added]);
  return <PrintSheet sheet={sheet} printedAt={printedAt} />;
}
