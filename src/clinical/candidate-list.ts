/**
 * Decode in the model's vocabulary, answer in the candidate list's spelling.
 *
 * A site's candidate list (e.g. the official 651-entry CHIP 2025 / CDrugRed list) spells names
 * its own way: some keep the dosage form (氨氯地平片, 碳酸钙片), others do not (阿卡波糖). The
 * model writes the bundled formulary's canonical names (氨氯地平). A trie over the list's
 * spellings would forbid stopping at 氨氯地平 and push the model into a longer name that starts
 * the same way (氨氯地平阿托伐他汀, a combination product). So:
 *
 *  * every list entry is mapped to the model name it folds to — `model.normalize(entry)`, the
 *    one implementation of alias / salt / dosage-form / spec folding (src/clinical/formulary.ts);
 *  * the decoder (trie) and the baselines work on `decodeNames`: those model names, plus the
 *    entries that map to no model name, which stay decodable by their own spelling (reported
 *    in `unmapped`);
 *  * every output is mapped back with `toList`, so predictions carry the list's exact spelling.
 *
 * Several entries folding to ONE model name (二甲双胍 and 二甲双胍缓释片): one of them answers for
 * that name, the others are not produced (they are in `collisions`). The rule, in order:
 *   1. 'plain'    — the entry spelled exactly as the model name (after trimming);
 *   2. 'labels'   — else, when the site's labelled data is given (`labelCounts`, e.g. from
 *                   `--train`), the entry that occurs most often among the labels (exact,
 *                   trimmed strings); ties fall through to rule 3 among the tied entries;
 *   3. 'shortest' — else the shortest spelling (in code points); ties: the first in list order.
 *
 * Pure and browser-safe.
 */
import { Formulary, strippedCore } from './formulary.ts';
import { duplicationGroupsOf, type FormularyDrug, type FormularyFile } from './formulary-types.ts';

export type CollisionRule = 'plain' | 'labels' | 'shortest';

export interface CandidateEntry {
  /** The entry exactly as the list spells it (trimmed). */
  list: string;
  /** The model name it folds to, or null (decoded by its own spelling). */
  model: string | null;
}

export interface FoldCollision {
  /** The model name several entries fold to. */
  model: string;
  /** The entry that answers for it. */
  chosen: string;
  /** The other entries (never produced), in list order. */
  others: string[];
  rule: CollisionRule;
}

export interface CandidateMapping {
  /** The list entries, in list order. */
  readonly entries: readonly CandidateEntry[];
  /**
   * What the decoder's trie and the baselines work on, in list order (one per answering entry):
   * the model name for a mapped entry, the entry's own spelling for an unmapped one.
   */
  readonly decodeNames: readonly string[];
  /** Entries that map to no model name (decoded by their own spelling). */
  readonly unmapped: readonly string[];
  readonly collisions: readonly FoldCollision[];
  /** True when every entry is its own model name (e.g. the bundled list): nothing is respelled. */
  readonly identity: boolean;
  /**
   * A Formulary over `decodeNames`, for the baselines, the safety checks and canonicalising
   * free-form names into decode space: the model formulary's entries (aliases, class, safety
   * facts; interactions, and the drugs that treat a condition, only with drugs / groups still
   * present) for mapped entries; the entry and its stripped core, without facts, for unmapped ones.
   */
  readonly formulary: Formulary;
  /** Decode name (or any spelling the model formulary folds to one) → the list's spelling; null when not a candidate. */
  toList(name: string): string | null;
}

export interface MapOptions {
  /** The model's vocabulary (default: the bundled formulary). */
  model?: Formulary;
  /** Occurrences of each exact (trimmed) label string in the site's labelled data. */
  labelCounts?: ReadonlyMap<string, number>;
}

const length = (s: string) => [...s].length;

/** Counts each trimmed label string over labelled records (for the 'labels' collision rule). */
export function countLabels(records: Iterable<{ 出院带药列表?: readonly string[] | null | undefined }>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of records) {
    for (const raw of r.出院带药列表 ?? []) {
      const t = raw.trim();
      if (t) counts.set(t, (counts.get(t) ?? 0) + 1);
    }
  }
  return counts;
}

function choose(model: string, group: readonly string[], labelCounts: ReadonlyMap<string, number> | undefined): { chosen: string; rule: CollisionRule } {
  if (group.includes(model)) return { chosen: model, rule: 'plain' };
  let pool = group;
  let rule: CollisionRule = 'shortest';
  if (labelCounts) {
    const best = Math.max(...group.map((g) => labelCounts.get(g) ?? 0));
    if (best > 0) {
      pool = group.filter((g) => (labelCounts.get(g) ?? 0) === best);
      rule = 'labels';
    }
  }
  let chosen = pool[0] as string;
  for (const g of pool) if (length(g) < length(chosen)) chosen = g;
  return { chosen, rule };
}

/** Maps the entries of a loaded candidate list (`Formulary.names` of the site's list) to the model's names. */
export function mapCandidateList(listNames: readonly string[], options: MapOptions = {}): CandidateMapping {
  const model = options.model ?? Formulary.bundled();
  const entries: CandidateEntry[] = listNames.map((raw) => {
    const list = raw.trim();
    const m = model.normalize(list);
    return { list, model: m !== null && model.has(m) ? m : null };
  });
  const groups = new Map<string, string[]>();
  for (const e of entries) {
    if (e.model === null) continue;
    const g = groups.get(e.model);
    if (g) g.push(e.list);
    else groups.set(e.model, [e.list]);
  }
  const answerFor = new Map<string, string>(); // model name → chosen list spelling
  const collisions: FoldCollision[] = [];
  for (const [m, group] of groups) {
    if (group.length === 1) {
      answerFor.set(m, group[0] as string);
      continue;
    }
    const { chosen, rule } = choose(m, group, options.labelCounts);
    answerFor.set(m, chosen);
    collisions.push({ model: m, chosen, others: group.filter((g) => g !== chosen), rule });
  }
  const decodeNames: string[] = [];
  const unmapped: string[] = [];
  const toListMap = new Map<string, string>();
  for (const e of entries) {
    if (e.model === null) {
      unmapped.push(e.list);
      decodeNames.push(e.list);
      toListMap.set(e.list, e.list);
    } else if (answerFor.get(e.model) === e.list) {
      decodeNames.push(e.model);
      toListMap.set(e.model, e.list);
    }
  }
  const identity = entries.every((e) => e.model === e.list);
  const formulary = identity && decodeNames.length === model.names.length ? model : decodingFormulary(model, decodeNames, new Set(unmapped));
  return {
    entries,
    decodeNames,
    unmapped,
    collisions,
    identity,
    formulary,
    toList(name: string): string | null {
      const t = name.trim();
      const direct = toListMap.get(t);
      if (direct !== undefined) return direct;
      const m = formulary.normalize(t);
      return m === null ? null : (toListMap.get(m) ?? null);
    },
  };
}

/** The model formulary restricted to the decode names (see CandidateMapping.formulary). */
function decodingFormulary(model: Formulary, decodeNames: readonly string[], unmapped: ReadonlySet<string>): Formulary {
  const drugs: FormularyDrug[] = [];
  const claimed = new Set<string>();
  const present = new Set(decodeNames);
  const groups = new Set(decodeNames.flatMap((n) => (unmapped.has(n) ? [] : duplicationGroupsOf(model.get(n)))));
  const kept = (w: string) => (w.startsWith('group:') ? groups.has(w.slice(6)) : present.has(w) && !unmapped.has(w));
  for (const n of decodeNames) {
    const d = unmapped.has(n) ? undefined : model.get(n);
    if (d) {
      const copy: FormularyDrug = { ...d };
      if (d.interactions) {
        const ix = d.interactions.filter((x) => kept(x.with));
        if (ix.length) copy.interactions = ix;
        else delete copy.interactions;
      }
      // A condition treated by a drug the list lacks: the note's use of it cannot be read with this
      // lexicon, so the fact stays a contraindication (the safe side).
      if (d.contraindications?.some((c) => c.kind === 'condition' && c.treatedBy)) {
        copy.contraindications = d.contraindications.map((c) => {
          if (c.kind !== 'condition' || !c.treatedBy) return c;
          const { treatedBy, ...rest } = c;
          const still = treatedBy.filter((n) => present.has(n) && !unmapped.has(n));
          return still.length ? { ...rest, treatedBy: still } : rest;
        });
      }
      drugs.push(copy);
      continue;
    }
    // An unmapped entry: also reachable by its stripped core (XX片 ← XX), as a plain list
    // indexes it, when the core is free (not a model name/alias, not another entry's core).
    const c = strippedCore(n);
    const aliases: string[] = [];
    if (c.length >= 2 && c !== n && !claimed.has(c) && model.normalize(c) === null && !decodeNames.includes(c)) {
      aliases.push(c);
      claimed.add(c);
    }
    drugs.push({ name: n, aliases, atc: '', class: '', area: 'other' });
  }
  const file: FormularyFile = { version: `${model.version} mapped (${decodeNames.length} names)`, description: 'a candidate list mapped to the model names', sources: [...model.sources], drugs };
  try {
    return Formulary.fromJson(file, 'candidate list mapped to the model names');
  } catch {
    // A derived core collided with something the checks above missed: drop the derived aliases.
    return Formulary.fromJson({ ...file, drugs: drugs.map((d) => (unmapped.has(d.name) ? { ...d, aliases: [] } : d)) }, 'candidate list mapped to the model names');
  }
}

/** Maps raw predictions (decode names or any spelling the model folds) to list spellings; non-candidates are dropped and counted. */
export function toListSpellings(mapping: CandidateMapping, names: readonly string[]): { names: string[]; dropped: number } {
  const out: string[] = [];
  const seen = new Set<string>();
  let dropped = 0;
  for (const n of names) {
    const l = mapping.toList(n);
    if (l === null) dropped++;
    else if (!seen.has(l)) {
      seen.add(l);
      out.push(l);
    }
  }
  return { names: out, dropped };
}

const memo = new Map<string, CandidateMapping>();

/**
 * mapCandidateList with the bundled model formulary, memoised on the list's content (the worker
 * gets a fresh copy of the same list with every request).
 */
export function candidateMappingFor(listNames: readonly string[]): CandidateMapping {
  const key = listNames.join('\u0000');
  const hit = memo.get(key);
  if (hit) return hit;
  const mapping = mapCandidateList(listNames);
  memo.set(key, mapping);
  while (memo.size > 4) memo.delete(memo.keys().next().value as string);
  return mapping;
}

/** Lines describing unmapped entries and fold collisions (none when there are none), for the CLIs' stderr. */
export function describeMapping(mapping: CandidateMapping, total: number): string[] {
  const lines: string[] = [];
  const eg = (xs: readonly string[]) => xs.slice(0, 5).join(', ') + (xs.length > 5 ? ', …' : '');
  if (mapping.unmapped.length > 0) {
    lines.push(`${mapping.unmapped.length} of ${total} candidate entries map to no model name and are decoded by their own spelling: ${eg(mapping.unmapped)}`);
  }
  if (mapping.collisions.length > 0) {
    const parts = mapping.collisions.map((c) => `${c.chosen} (${c.rule}) over ${c.others.join('/')}`);
    lines.push(`${mapping.collisions.length} model names have several candidate entries; answering with ${eg(parts)}`);
  }
  return lines;
}
