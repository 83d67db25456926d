/**
 * Cases the user explicitly saved from the recommend screen, in the `cases` store of the model
 * database (./db.ts). A case is written ONLY by saveCase (the "save case" button); the note is
 * otherwise kept in page memory. Cases stay in this browser profile; deleteCase / deleteAllCases
 * remove them. Page side, no React.
 */
import { withModelDb, type CaseRecord } from './db.ts';

export type { CaseRecord } from './db.ts';

export type CaseInput = Omit<CaseRecord, 'id' | 'savedAt'>;

export interface CaseSummary {
  id: string;
  savedAt: number;
  /** The first 30 characters of the note (whitespace collapsed). */
  preview: string;
  drugCount: number;
}

function newId(): string {
  const c = globalThis.crypto;
  if (c && typeof c.randomUUID === 'function') return `case-${c.randomUUID()}`;
  return `case-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}

/** The record stored for `input` (copies of plain data only). */
export function buildCaseRecord(input: CaseInput, now: number = Date.now(), id: string = newId()): CaseRecord {
  return {
    id,
    savedAt: now,
    noteText: input.noteText,
    record: JSON.parse(JSON.stringify(input.record)) as Record<string, unknown>,
    drugs: input.drugs.map(({ name, drugClass, score, origin, accepted }) => ({ name, drugClass, score, origin, accepted })),
    source: input.source,
    modelId: input.modelId,
  };
}

export function summarizeCase(c: CaseRecord, previewLength = 30): CaseSummary {
  const flat = c.noteText.replace(/\s+/g, ' ').trim();
  const chars = Array.from(flat);
  const preview = chars.length > previewLength ? `${chars.slice(0, previewLength).join('')}…` : flat;
  return { id: c.id, savedAt: c.savedAt, preview, drugCount: c.drugs.length };
}

/** Newest first. */
export function sortCases(cases: CaseRecord[]): CaseRecord[] {
  return [...cases].sort((a, b) => b.savedAt - a.savedAt || a.id.localeCompare(b.id));
}

export async function saveCase(input: CaseInput): Promise<CaseRecord> {
  const rec = buildCaseRecord(input);
  await withModelDb((db) => db.put('cases', rec));
  return rec;
}

export async function listCases(): Promise<CaseRecord[]> {
  return sortCases(await withModelDb((db) => db.getAll('cases')));
}

export async function getCase(id: string): Promise<CaseRecord | undefined> {
  return withModelDb((db) => db.get('cases', id));
}

export async function deleteCase(id: string): Promise<void> {
  await withModelDb((db) => db.delete('cases', id));
}

export async function deleteAllCases(): Promise<void> {
  await withModelDb((db) => db.clear('cases'));
}
