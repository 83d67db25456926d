/**
 * Where a fact read from a note came from. Its own module because the readers that produce facts
 * (./note-facts.ts, ./lab-values.ts, ./dose.ts) all cite it, and note-facts also uses lab-values:
 * kept in note-facts it made a circle.
 */

/** Where a fact was read: the record field and the clause of the note it came from. */
export interface FactSource {
  field: string;
  /** The clause (between 。；;，,\n) that contains the fact, trimmed. */
  text: string;
}
