/**
 * The candidate list the "add drug" search should offer: the selected site list (names only, no
 * facts) or the bundled formulary. Classes and safety facts always come from the bundled one.
 */
import { Formulary } from '../../clinical/formulary.ts';
import { useSiteStore } from '../../state/site-store.ts';

let memo: { names: readonly string[]; formulary: Formulary } | null = null;

/** A Formulary over `names` (memoised on the array), or the bundled formulary for null. */
export function candidateFormulary(names: readonly string[] | null): Formulary {
  if (!names) return Formulary.bundled();
  if (memo?.names !== names) memo = { names, formulary: Formulary.fromJson([...names], 'selected candidate list') };
  return memo.formulary;
}

/** React hook: the selected candidate list as a Formulary (for searchCandidates). */
export function useCandidateFormulary(): Formulary {
  return candidateFormulary(useSiteStore((s) => s.activeListNames));
}
