/**
 * Dose and frequency for a drug on the discharge list.
 *
 *  - A drug the patient already takes (the note's latest taking-or-stopped statement is "taking",
 *    src/clinical/evidence.ts `currentStatus`): the dose the note gives right after the drug's
 *    name in its latest taking statement that has one ("长期服用格华止0.5g tid" → 0.5g tid), with
 *    those words as the citation. The note's dose is carried forward, never recomputed.
 *  - Otherwise: the usual adult starting dose from src/clinical/data/usual-doses.json, marked as a
 *    default with its source; a drug not in that table has no default dose (kind 'none').
 *
 * Pure; a display aid for a demonstration, not a dosing calculator (no eGFR/weight adjustment).
 */
import { analyzeRecord } from './baselines/mention.ts';
import usualDosesJson from './data/usual-doses.json' with { type: 'json' };
import { currentStatus } from './evidence.ts';
import type { Formulary } from './formulary.ts';
import type { FactSource } from './fact-source.ts';
import type { CDrugRedRecord } from './record.ts';

export interface UsualDose {
  drug: string;
  dose: string;
  frequency: string;
  source: string;
  note?: string;
}

export interface UsualDoseFile {
  version: string;
  description: string;
  sources: { id: string; citation: string }[];
  doses: UsualDose[];
}

export type DoseSuggestion =
  /** Carried forward from the note: its words are the citation. */
  | { kind: 'note'; dose: string; frequency: string | null; quote: FactSource }
  /** The table's usual starting dose: a default to check, not the patient's dose. */
  | { kind: 'default'; dose: string; frequency: string; note: string; citation: string }
  | { kind: 'none' };

export const USUAL_DOSES = usualDosesJson as UsualDoseFile;

const NUM = String.raw`\d+(?:\.\d+)?`;
const UNIT = String.raw`(?:mg|g|μg|µg|ug|mcg|IU|U|iu|u|单位|ml|mL|片|粒|袋|支|丸)(?![a-zA-Z])`;
const FREQ = String.raw`q\d+h|qod|qid|tid|bid|qd|qn|qw|biw|qm|每[日天晚周][一二三四1-4]?次?|[一1]日[一二三四1-4]次|日[一二三1-3]次|每晚|睡前|早餐前|晚餐前`;
/**
 * What may follow the drug's name before its dose: a dosage form, a parenthesised trade name, a
 * route or "每次"; then the dose, then an optional route and frequency.
 */
const AFTER_NAME = new RegExp(
  String.raw`^\s*(?:缓释|控释|肠溶|分散|普通)?(?:片|胶囊|颗粒|注射液|丸)?\s*(?:[（(][^）)\d]{0,12}[）)])?\s*(?:口服|po)?\s*(?:每次|一次|1次)?\s*(${NUM}\s*${UNIT})(?:\s*\/次)?\s*(?:口服|po|ih|皮下注射|皮下|餐前|餐时)?\s*[,，]?\s*(${FREQ})?`,
  'i',
);
const LEFT_BOUNDARY = /[。；;，,\n]/;

/** The dose written right after a drug name at `end` in `text`, or null. */
export function doseAfter(text: string, end: number): { dose: string; frequency: string | null; end: number } | null {
  const m = AFTER_NAME.exec(text.slice(end, end + 60));
  if (!m || m[1] === undefined) return null;
  return { dose: m[1].replace(/\s+/g, ''), frequency: m[2] ?? null, end: end + m[0].trimEnd().replace(/[,，]$/, '').length };
}

/** The note's dose for a drug the patient still takes (see the module comment), or null. */
export function noteDose(drug: string, record: CDrugRedRecord, formulary: Formulary): Extract<DoseSuggestion, { kind: 'note' }> | null {
  const mentions = analyzeRecord(record, formulary).filter((m) => m.name === drug);
  if (currentStatus(mentions) !== 'taking') return null;
  let found: Extract<DoseSuggestion, { kind: 'note' }> | null = null;
  for (const m of mentions) {
    if (m.status !== 'positive' && m.status !== 'discharge') continue;
    const text = record[m.field] ?? '';
    const d = doseAfter(text, m.end);
    if (!d) continue;
    let s = m.start;
    while (s > 0 && !LEFT_BOUNDARY.test(text[s - 1] ?? '') && m.start - s < 30) s--;
    found = { kind: 'note', dose: d.dose, frequency: d.frequency, quote: { field: m.field, text: text.slice(s, d.end).trim() } };
  }
  return found;
}

export function usualDose(drug: string, table: UsualDoseFile = USUAL_DOSES): Extract<DoseSuggestion, { kind: 'default' }> | null {
  const row = table.doses.find((d) => d.drug === drug);
  if (!row) return null;
  const citation = table.sources.find((s) => s.id === row.source)?.citation ?? row.source;
  return { kind: 'default', dose: row.dose, frequency: row.frequency, note: row.note ?? '', citation };
}

/** The note's dose for a continued drug, else the usual starting dose, else none. */
export function suggestDose(drug: string, record: CDrugRedRecord, formulary: Formulary, table: UsualDoseFile = USUAL_DOSES): DoseSuggestion {
  return noteDose(drug, record, formulary) ?? usualDose(drug, table) ?? { kind: 'none' };
}

/** "0.5g tid" (or just the dose when no frequency is known). */
export function doseText(s: Exclude<DoseSuggestion, { kind: 'none' }>): string {
  return s.frequency ? `${s.dose} ${s.frequency}` : s.dose;
}
