/**
 * Constrained beam / greedy search over drug SETS. Pure (no transformers.js): the model is a
 * `StepModel`. Every emitted name is an exact entry of the candidate list. See docs/decoding.md.
 */

import { applyThresholds } from './threshold.ts';
import { hasOpenName, openChildren, type CandidateTrie, type TrieNode } from './trie.ts';
import type {
  DecodeAlternative,
  DecodedDrug,
  DecodeOptions,
  DecodeResult,
  FinishReason,
  LogitsRow,
  StepModel,
} from './types.ts';
import { maskGroupsAt } from './types.ts';

interface Hyp {
  /** Sum of constrained log-probs of the tokens so far. */
  score: number;
  tokens: number[];
  /** Trie position: root = between drugs (or at the start). */
  node: TrieNode;
  emitted: ReadonlySet<number>;
  /** Names this hypothesis may no longer write: emitted ∪ mask.blocked ∪ groups of emitted. */
  closed: ReadonlySet<number>;
  /** Sorted emitted indices joined by ',' (set identity). */
  emittedKey: string;
  drugs: DecodedDrug[];
  /** Tokens of the name in progress. */
  curTokens: number[];
  /** log confidence of the name in progress. */
  curLogConf: number;
  stops: number[];
  finishReason?: FinishReason;
}

/**
 * One way to extend a hypothesis by one token. Plain data, no closures: a search step builds
 * one per open trie child of every beam (hundreds at a drug boundary), sorts them and turns only
 * the first few into hypotheses, so their key and hypothesis are built on demand (candidateKey,
 * makeHyp). Closures per candidate made most of a note's garbage.
 */
interface Candidate {
  parent: number;
  token: number;
  score: number;
  finished: boolean;
  /** The hypothesis it extends. */
  h: Hyp;
  /** Inside a name (or starting one): the trie node after the token. */
  child: TrieNode | null;
  /** The token's share of the name's confidence (log). */
  confLp: number;
  /** Stop probabilities to set (a list's first boundary, or the empty list). */
  stops: number[] | null;
  /** A completed drug: the state after it. */
  boundary: Boundary | null;
  finishReason: FinishReason | undefined;
}

interface Boundary {
  emitted: ReadonlySet<number>;
  closed: ReadonlySet<number>;
  emittedKey: string;
  drug: DecodedDrug;
  stops: number[];
}

/** Key identifying the candidate's state as a set plus the name in progress (for dedupe). */
function candidateKey(c: Candidate): string {
  const h = c.h;
  if (c.child) return `${h.emittedKey}|${h.curTokens.join(',')},${c.token}`;
  if (c.boundary) return c.finishReason === undefined ? `${c.boundary.emittedKey}|` : c.boundary.emittedKey;
  return h.emittedKey; // the empty list
}

function makeHyp(c: Candidate, root: TrieNode): Hyp {
  const h = c.h;
  if (c.child) {
    const made: Hyp = { ...h, score: c.score, tokens: [...h.tokens, c.token], node: c.child, curTokens: [...h.curTokens, c.token], curLogConf: h.curLogConf + c.confLp };
    if (c.stops) made.stops = c.stops;
    return made;
  }
  const b = c.boundary;
  if (b) {
    return {
      score: c.score,
      tokens: [...h.tokens, c.token],
      node: root,
      emitted: b.emitted,
      closed: b.closed,
      emittedKey: b.emittedKey,
      drugs: [...h.drugs, b.drug],
      curTokens: [],
      curLogConf: 0,
      stops: b.stops,
      ...(c.finishReason !== undefined ? { finishReason: c.finishReason } : {}),
    };
  }
  return { ...h, score: c.score, tokens: [...h.tokens, c.token], stops: c.stops ?? h.stops, ...(c.finishReason !== undefined ? { finishReason: c.finishReason } : {}) };
}

const NEG_INF = Number.NEGATIVE_INFINITY;

/** Logit of `id`; missing / NaN read as -Infinity (a broken row can never select a token). */
function at(row: LogitsRow, id: number): number {
  const v = row[id];
  return v === undefined || Number.isNaN(v) ? NEG_INF : v;
}

function logSumExp(row: LogitsRow, ids: Iterable<number>): number {
  let max = NEG_INF;
  for (const i of ids) {
    const v = at(row, i);
    if (v > max) max = v;
  }
  if (max === NEG_INF || max === Number.POSITIVE_INFINITY) return max;
  let s = 0;
  for (const i of ids) s += Math.exp(at(row, i) - max);
  return max + Math.log(s);
}

/** x − z, guarded so that an all −∞ (or +∞) row never yields NaN. */
function sub(x: number, z: number): number {
  const d = x - z;
  return Number.isNaN(d) ? (x === NEG_INF ? NEG_INF : 0) : d;
}

function logAddExp(a: number, b: number): number {
  const m = Math.max(a, b);
  if (m === NEG_INF) return NEG_INF;
  return m + Math.log(Math.exp(a - m) + Math.exp(b - m));
}

/** Constrained log-softmax: log-probs of `allowed` ids renormalised over `allowed` only. */
export function constrainedLogSoftmax(row: LogitsRow, allowed: readonly number[]): Map<number, number> {
  const z = logSumExp(row, allowed);
  const out = new Map<number, number>();
  for (const id of allowed) out.set(id, sub(at(row, id), z));
  return out;
}

/** P(eos) / (P(eos) + P(sep)) computed stably. */
function stopProbability(row: LogitsRow, sepId: number, eosId: number): number {
  const e = at(row, eosId);
  const s = at(row, sepId);
  if (e === s) return 0.5;
  return 1 / (1 + Math.exp(s - e));
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) {
    throw signal.reason ?? new DOMException('Decoding aborted', 'AbortError');
  }
}

function addToKey(key: string, index: number): string {
  if (key === '') return String(index);
  const parts = key.split(',').map(Number);
  parts.push(index);
  parts.sort((a, b) => a - b);
  return parts.join(',');
}

/**
 * Decode a drug list for one prompt.
 *
 * @param model  batch-of-beams causal LM
 * @param promptIds  tokenised prompt (ends where the first drug name starts)
 * @param trie  candidate trie built with the same tokenizer
 */
export async function decodeDrugList<C>(
  model: StepModel<C>,
  promptIds: readonly number[],
  trie: CandidateTrie,
  options: DecodeOptions,
): Promise<DecodeResult> {
  const B = Math.max(1, Math.floor(options.beamWidth ?? 4));
  const t = options.stopThreshold;
  if (t !== undefined && !(t >= 0 && t <= 1)) throw new RangeError(`stopThreshold must be in [0, 1], got ${t}`);
  const thresholdMode = t !== undefined;
  const minConfidence = options.minConfidence ?? 0;
  const minDrugs = Math.max(0, options.minDrugs ?? 1);
  const maxDrugs = Math.max(0, options.maxDrugs ?? 30);
  const maxTokens = Math.max(1, options.maxTokens ?? 512);
  const lengthPenalty = options.lengthPenalty ?? 0;
  const numAlternatives = options.numAlternatives ?? B;
  const { separatorId: sep, eosId: eos, signal } = options;
  if (sep === eos) throw new Error('separatorId and eosId must differ');
  const root = trie.root;
  const names = trie.names;
  // Mask: blocked names start closed; emitting a grouped name closes the rest of its group.
  const initialClosed = new Set<number>(options.mask?.blocked ?? []);
  const groupMembers = new Map<string, number[]>();
  options.mask?.groups?.forEach((_, i) => {
    for (const g of maskGroupsAt(options.mask, i)) {
      const list = groupMembers.get(g) ?? [];
      list.push(i);
      groupMembers.set(g, list);
    }
  });
  const closeAfter = (closed: ReadonlySet<number>, idx: number): Set<number> => {
    const next = new Set(closed);
    next.add(idx);
    for (const g of maskGroupsAt(options.mask, idx)) for (const j of groupMembers.get(g) ?? []) next.add(j);
    return next;
  };

  /**
   * The one token the trie allows next, or null when h needs the model's logits to choose.
   * Forced: inside a name with a single open continuation and no open name ending here, or
   * right after a separator with a single open name. Its constrained log-prob (and confidence
   * term) is then sub(l, logSumExp([l])) = l − l = 0 for any finite logit l, which is what
   * `expand` computes from a row — so the search needs no row for it (jump-forward).
   */
  function forcedNext(h: Hyp): [number, TrieNode] | null {
    if (h.node === root && h.drugs.length === 0) return null;
    if (h.node !== root && h.node.terminal >= 0 && !h.closed.has(h.node.terminal)) return null;
    const open = openChildren(h.node, h.closed);
    return open.length === 1 ? open[0]! : null;
  }

  /** Candidates extending hypothesis h (index `parent`) given its next-token logits. */
  function expand(h: Hyp, parent: number, row: LogitsRow | undefined, out: Candidate[]): void {
    const k = h.drugs.length;
    const emitted = h.closed;

    const childCandidate = (tok: number, child: TrieNode, score: number, confLp: number, stops: number[] | null = null): Candidate => ({
      parent,
      token: tok,
      score: h.score + score,
      finished: false,
      h,
      child,
      confLp,
      stops,
      boundary: null,
      finishReason: undefined,
    });

    if (row === undefined) {
      // Forced token, no model call: log-prob 0 (see forcedNext).
      const forced = forcedNext(h);
      if (!forced) throw new Error('decoder: no logits for a hypothesis that needs them');
      out.push(childCandidate(forced[0], forced[1], 0, 0));
      return;
    }

    if (h.node === root) {
      const open = openChildren(root, emitted);
      const openIds = open.map(([id]) => id);
      const zStarts = logSumExp(row, openIds);
      if (k === 0) {
        // Start boundary: a first drug, or the empty list.
        const pStop0 =
          open.length === 0 ? 1 : Math.exp(sub(at(row, eos), logAddExp(at(row, eos), zStarts)));
        const stops = [pStop0];
        const contAllowed = open.length > 0 && maxDrugs > 0;
        const stopAllowed = !contAllowed || minDrugs <= 0;
        let allowStart = contAllowed;
        let allowEos = stopAllowed;
        if (contAllowed && stopAllowed && thresholdMode) {
          if (1 - pStop0 >= t) allowEos = false;
          else allowStart = false;
        }
        const eosReason: FinishReason = !contAllowed
          ? open.length === 0
            ? 'exhausted'
            : 'maxDrugs'
          : thresholdMode
            ? 'threshold'
            : 'eos';
        // Natural mode renormalises over everything allowed; threshold mode scores the drug
        // choice only (the list decision is deterministic and costs 0).
        const z = thresholdMode ? zStarts : logAddExp(allowEos ? at(row, eos) : NEG_INF, allowStart ? zStarts : NEG_INF);
        if (allowStart) {
          for (const [tok, child] of open) {
            const lp = sub(at(row, tok), z);
            out.push(childCandidate(tok, child, lp, sub(at(row, tok), zStarts), stops));
          }
        }
        if (allowEos) {
          const lp = thresholdMode || !allowStart ? 0 : sub(at(row, eos), z);
          out.push({ parent, token: eos, score: h.score + lp, finished: true, h, child: null, confLp: 0, stops, boundary: null, finishReason: eosReason });
        }
      } else {
        // After a separator: a next drug must start (eos right after a separator is not a format).
        for (const [tok, child] of open) {
          const lp = sub(at(row, tok), zStarts);
          out.push(childCandidate(tok, child, lp, lp));
        }
      }
      return;
    }

    // Inside a name.
    const node = h.node;
    const open = openChildren(node, emitted);
    const termOpen = node.terminal >= 0 && !emitted.has(node.terminal);
    const lSep = at(row, sep);
    const lEos = at(row, eos);
    const lEnd = logAddExp(lSep, lEos);
    const zChildren = logSumExp(row, open.map(([id]) => id));
    // Confidence renormalisation: continuations of open names, plus "this name ends here".
    const zConf = termOpen ? logAddExp(zChildren, lEnd) : zChildren;

    if (!termOpen) {
      for (const [tok, child] of open) {
        const lp = sub(at(row, tok), zConf);
        out.push(childCandidate(tok, child, lp, lp));
      }
      return;
    }

    const idx = node.terminal;
    const emittedAfter = new Set(h.emitted);
    emittedAfter.add(idx);
    const closedAfter = closeAfter(h.closed, idx);
    const keyAfter = addToKey(h.emittedKey, idx);
    const kAfter = k + 1;
    const moreOpen = hasOpenName(root, closedAfter);
    const contAllowed = moreOpen && kAfter < maxDrugs;
    const stopAllowed = !contAllowed || kAfter >= minDrugs;
    const pStop = stopProbability(row, sep, eos);
    const endConf = sub(lEnd, zConf);
    const drug: DecodedDrug = {
      name: names[idx]!,
      index: idx,
      confidence: Math.exp(h.curLogConf + endConf),
      position: k,
    };
    const stops = [...h.stops, pStop];

    let allowSep = contAllowed;
    let allowEos = stopAllowed;
    if (contAllowed && stopAllowed && thresholdMode) {
      if (1 - pStop >= t) allowEos = false;
      else allowSep = false;
    }
    const eosReason: FinishReason = !contAllowed
      ? moreOpen
        ? 'maxDrugs'
        : 'exhausted'
      : thresholdMode
        ? 'threshold'
        : 'eos';

    let zAllowed: number;
    let sepLp: number;
    let eosLp: number;
    if (thresholdMode) {
      zAllowed = zConf;
      sepLp = endConf;
      eosLp = endConf;
    } else {
      zAllowed = logAddExp(zChildren, logAddExp(allowSep ? lSep : NEG_INF, allowEos ? lEos : NEG_INF));
      sepLp = sub(lSep, zAllowed);
      eosLp = sub(lEos, zAllowed);
    }
    for (const [tok, child] of open) {
      out.push(childCandidate(tok, child, sub(at(row, tok), zAllowed), sub(at(row, tok), zConf)));
    }
    // A drug boundary: the completed name is appended, then either a separator (the list goes
    // on) or the end token (the hypothesis is finished).
    const after: Boundary = { emitted: emittedAfter, closed: closedAfter, emittedKey: keyAfter, drug, stops };
    const boundary = (token: number, lp: number, finishReason?: FinishReason) => {
      out.push({ parent, token, score: h.score + lp, finished: finishReason !== undefined, h, child: null, confLp: 0, stops: null, boundary: after, finishReason });
    };
    if (allowSep) boundary(sep, sepLp);
    if (allowEos) boundary(eos, eosLp, eosReason);
  }

  const rankScore = (h: Hyp): number =>
    lengthPenalty === 0 ? h.score : h.score / Math.pow(Math.max(1, h.tokens.length), lengthPenalty);

  const jumpForward = options.jumpForward ?? true;
  throwIfAborted(signal);
  const started = await model.start(promptIds);
  let cache = started.cache;
  /** logits[i]: next-token row of live[i], or undefined when live[i]'s next token is forced. */
  let logits: (LogitsRow | undefined)[] = started.logits;
  let steps = 1;
  let fedTokens = 0;
  let rows = 1;
  /** Per live hypothesis: its ancestor's row in `cache`, and its tokens not yet fed to the model. */
  let cacheRows: number[] = [0];
  let pending: number[][] = [[]];
  try {
    throwIfAborted(signal);
    let live: Hyp[] = [
      {
        score: 0,
        tokens: [],
        node: root,
        emitted: new Set(),
        closed: initialClosed,
        emittedKey: '',
        drugs: [],
        curTokens: [],
        curLogConf: 0,
        stops: [],
      },
    ];
    const finished = new Map<string, Hyp>();
    const finishedRanked = (): Hyp[] => [...finished.values()].sort((a, b) => rankScore(b) - rankScore(a));

    for (let generated = 0; live.length > 0; generated++) {
      if (generated >= maxTokens) {
        for (const h of live) {
          const key = h.emittedKey;
          const prev = finished.get(key);
          const done: Hyp = { ...h, finishReason: 'maxTokens' };
          if (!prev || rankScore(done) > rankScore(prev)) finished.set(key, done);
        }
        break;
      }
      const cands: Candidate[] = [];
      if (logits.length !== live.length) {
        throw new Error(`model returned ${logits.length} logits rows for ${live.length} beams`);
      }
      live.forEach((h, i) => expand(h, i, logits[i], cands));
      cands.sort((a, b) => b.score - a.score);

      const next: Hyp[] = [];
      const parents: number[] = [];
      const nextTokens: number[] = [];
      const seen = new Set<string>();
      for (let r = 0; r < cands.length && next.length < B; r++) {
        const c = cands[r]!;
        if (c.finished) {
          if (r >= B) continue; // only top-B-ranked eos candidates finish (standard beam search)
          const key = candidateKey(c);
          const prev = finished.get(key);
          if (!prev || c.score > prev.score) finished.set(key, makeHyp(c, root));
          continue;
        }
        const key = candidateKey(c);
        if (seen.has(key)) continue; // same set + same partial name, different order: keep best
        seen.add(key);
        next.push(makeHyp(c, root));
        parents.push(c.parent);
        nextTokens.push(c.token);
      }

      if (next.length === 0) break;
      if (finished.size >= B) {
        if (lengthPenalty !== 0) break;
        const top = finishedRanked().slice(0, B);
        const worst = top[top.length - 1]!.score;
        if (next[0]!.score <= worst) break;
      }

      // Every live beam got one token this step, so all pending runs have the same length.
      const nextRows = parents.map((p) => cacheRows[p]!);
      const nextPending = parents.map((p, j) => [...pending[p]!, nextTokens[j]!]);
      live = next;
      if (jumpForward && next.every((h) => forcedNext(h) !== null)) {
        // Every beam's next token is forced: no call yet; the run is fed with the next call.
        cacheRows = nextRows;
        pending = nextPending;
        logits = next.map(() => undefined);
        continue;
      }
      throwIfAborted(signal);
      const identity = nextRows.length === rows && nextRows.every((p, i) => p === i);
      if (!identity) cache = await model.selectBeams(cache, nextRows);
      throwIfAborted(signal);
      const run = nextPending[0]!.length;
      if (run === 1) ({ logits, cache } = await model.step(cache, nextTokens));
      else if (model.stepMany) ({ logits, cache } = await model.stepMany(cache, nextPending));
      else {
        // A model without multi-token calls: feed the run token by token (same result).
        for (let p = 0; p < run; p++) {
          if (p > 0) {
            steps++;
            throwIfAborted(signal);
          }
          ({ logits, cache } = await model.step(cache, nextPending.map((toks) => toks[p]!)));
        }
      }
      rows = nextTokens.length;
      steps++;
      fedTokens += run;
      cacheRows = nextRows.map((_, i) => i);
      pending = nextRows.map(() => []);
      throwIfAborted(signal);
    }

    const ranked = finishedRanked();
    const best = ranked[0];
    if (!best) throw new Error('constrained decoding produced no hypothesis');
    const settings = { beamWidth: B, stopThreshold: t, minConfidence, minDrugs, maxDrugs };
    const kept = applyThresholds(best.drugs, best.stops, { stopThreshold: t, minConfidence, minDrugs });
    const alternatives: DecodeAlternative[] = ranked
      .slice(0, Math.max(1, numAlternatives))
      .map((h) => ({ names: h.drugs.map((d) => d.name), score: h.score }));
    return {
      drugs: kept.map((d) => ({ name: d.name, confidence: d.confidence })),
      trajectory: best.drugs,
      stopProbabilities: best.stops,
      steps,
      fedTokens,
      tokens: best.tokens,
      score: best.score,
      finishReason: best.finishReason ?? 'eos',
      alternatives,
      settings,
    };
  } finally {
    await model.release?.(cache);
  }
}
