/**
 * Token trie over the candidate drug list, built with the LOADED model's tokenizer (the caller
 * passes `encode`), so a site's model with another tokenizer gets its own trie.
 */

export interface TrieNode {
  /** token id → child */
  readonly children: Map<number, TrieNode>;
  /** Candidate index of the name that ends exactly here, or -1. */
  terminal: number;
  /** Candidate indices of every name in this subtree (terminal included), ascending. */
  readonly names: number[];
  /** Number of tokens from the root. */
  readonly depth: number;
}

export type ExclusionReason =
  /** The encoding contains the tokenizer's unk id: the model cannot produce this name. */
  | 'unk'
  /** Empty string / encodes to no tokens. */
  | 'empty'
  /** The encoding contains the separator or eos token (ambiguous with list structure). */
  | 'special-token'
  /** Same string appears earlier in the list. */
  | 'duplicate-name'
  /** A different string earlier in the list encodes to the same tokens. */
  | 'duplicate-encoding';

export interface ExcludedName {
  index: number;
  name: string;
  reason: ExclusionReason;
  /** For duplicates: the index of the entry that was kept. */
  duplicateOf?: number;
}

export interface CandidateTrie {
  readonly root: TrieNode;
  /** The candidate list exactly as given (the trie's index space). */
  readonly names: readonly string[];
  /** Token ids of each candidate, or null when excluded. */
  readonly encodings: readonly (readonly number[] | null)[];
  /** Indices of the candidates in the trie. */
  readonly included: readonly number[];
  readonly excluded: readonly ExcludedName[];
  /** Longest encoding (tokens). */
  readonly maxDepth: number;
}

export interface BuildTrieOptions {
  /** Tokenizer's unk id; names whose encoding contains it are excluded. */
  unkId?: number | null;
  /** Ids that may not occur inside a name (separator, eos, pad, bos...). */
  reservedIds?: readonly number[];
}

export type EncodeFn = (name: string) => readonly number[];

function newNode(depth: number): TrieNode {
  return { children: new Map(), terminal: -1, names: [], depth };
}

/** Build the trie. O(total tokens); 651 names take ~1 ms plus the tokenizer's time. */
export function buildCandidateTrie(
  names: readonly string[],
  encode: EncodeFn,
  options: BuildTrieOptions = {},
): CandidateTrie {
  const unkId = options.unkId ?? null;
  const reserved = new Set(options.reservedIds ?? []);
  const root = newNode(0);
  const encodings: (readonly number[] | null)[] = [];
  const included: number[] = [];
  const excluded: ExcludedName[] = [];
  const seenName = new Map<string, number>();
  let maxDepth = 0;

  names.forEach((name, index) => {
    const prev = seenName.get(name);
    if (prev !== undefined) {
      encodings.push(null);
      excluded.push({ index, name, reason: 'duplicate-name', duplicateOf: prev });
      return;
    }
    seenName.set(name, index);
    const ids = name.length === 0 ? [] : Array.from(encode(name));
    let reason: ExclusionReason | null = null;
    if (ids.length === 0) reason = 'empty';
    else if (unkId !== null && ids.includes(unkId)) reason = 'unk';
    else if (ids.some((t) => reserved.has(t))) reason = 'special-token';
    if (reason !== null) {
      encodings.push(null);
      excluded.push({ index, name, reason });
      return;
    }
    // Walk / create the path.
    let node = root;
    const path: TrieNode[] = [root];
    for (const t of ids) {
      let child = node.children.get(t);
      if (!child) {
        child = newNode(node.depth + 1);
        node.children.set(t, child);
      }
      node = child;
      path.push(node);
    }
    if (node.terminal !== -1) {
      encodings.push(null);
      excluded.push({ index, name, reason: 'duplicate-encoding', duplicateOf: node.terminal });
      return;
    }
    node.terminal = index;
    for (const n of path) n.names.push(index);
    encodings.push(ids);
    included.push(index);
    if (ids.length > maxDepth) maxDepth = ids.length;
  });

  return { root, names: names.slice(), encodings, included, excluded, maxDepth };
}

/** True when the subtree of `node` still holds a name that has not been emitted. */
export function hasOpenName(node: TrieNode, emitted: ReadonlySet<number>): boolean {
  if (emitted.size === 0) return node.names.length > 0;
  for (const i of node.names) if (!emitted.has(i)) return true;
  return false;
}

/** Children of `node` that lead to at least one not-yet-emitted name. */
export function openChildren(node: TrieNode, emitted: ReadonlySet<number>): [number, TrieNode][] {
  const out: [number, TrieNode][] = [];
  for (const entry of node.children) if (hasOpenName(entry[1], emitted)) out.push(entry);
  return out;
}

/**
 * Memo of tries per (encode function, list content, options): rebuilding is cheap, but the
 * browser worker and the CLI call decode per record, so cache the last few.
 */
export function createTrieCache(maxEntries = 4): (
  names: readonly string[],
  encode: EncodeFn,
  options?: BuildTrieOptions,
) => CandidateTrie {
  const byEncoder = new WeakMap<EncodeFn, Map<string, CandidateTrie>>();
  return (names, encode, options = {}) => {
    let m = byEncoder.get(encode);
    if (!m) {
      m = new Map();
      byEncoder.set(encode, m);
    }
    const key = `${options.unkId ?? ''}|${(options.reservedIds ?? []).join(',')}|${names.join('\u0000')}`;
    const hit = m.get(key);
    if (hit) {
      // refresh LRU order
      m.delete(key);
      m.set(key, hit);
      return hit;
    }
    const trie = buildCandidateTrie(names, encode, options);
    m.set(key, trie);
    while (m.size > maxEntries) {
      const oldest = m.keys().next().value;
      if (oldest === undefined) break;
      m.delete(oldest);
    }
    return trie;
  };
}
