import { describe, expect, it } from 'vitest';
import { constrainedLogSoftmax, decodeDrugList } from './constrained-decoder.ts';
import { createRecomputeModel } from './reference-model.ts';
import { applyThresholds } from './threshold.ts';
import { buildCandidateTrie, type CandidateTrie } from './trie.ts';
import type { DecodeOptions, DecodeResult, StepModel } from './types.ts';
import { EOS, SEP, UNK, fakeTokenizer, randomModel, scriptedModel } from './fake-model.test-utils.ts';

const NAMES = ['二甲双胍', '二甲双胍缓释片', '门冬胰岛素', '门冬胰岛素30', '阿托伐他汀', '阿司匹林', '格列齐特'];
const tok = fakeTokenizer(NAMES.join(''));
const V = tok.vocab.length;
const PROMPT = [5, 6, 7];
const trie = buildCandidateTrie(NAMES, tok.encode, { unkId: UNK, reservedIds: [SEP, EOS] });
const base: DecodeOptions = { separatorId: SEP, eosId: EOS };
const idx = (n: string) => NAMES.indexOf(n);

/** Token sequence of a list in the output format. */
function seqOf(names: readonly string[]): number[] {
  const out: number[] = [];
  names.forEach((n, i) => {
    if (i > 0) out.push(SEP);
    out.push(...tok.encode(n));
  });
  out.push(EOS);
  return out;
}

/** A model that wants to write exactly `names` (strength s), plus constant biases. */
function listModel(names: readonly string[], s = 5, bias: Record<number, number> = {}) {
  const target = seqOf(names);
  return scriptedModel(V, PROMPT.length, (g) => {
    const prefix = g.every((x, i) => target[i] === x);
    const pref: Record<number, number> = { ...bias };
    const want = prefix && g.length < target.length ? target[g.length]! : EOS; // off-script: stop
    pref[want] = (pref[want] ?? 0) + s;
    return pref;
  });
}

/** Check the structural invariants every result must satisfy. */
function checkResult(r: DecodeResult, t: CandidateTrie = trie): void {
  const names = r.trajectory.map((d) => d.name);
  for (const d of [...r.trajectory, ...r.drugs]) expect(t.names).toContain(d.name);
  expect(new Set(names).size).toBe(names.length);
  // tokens spell exactly the trajectory in the output format (or are a maxTokens prefix)
  if (r.finishReason !== 'maxTokens') expect(r.tokens).toEqual(seqOf(names).slice(0, names.length === 0 ? 1 : undefined));
  for (const d of r.trajectory) {
    expect(d.confidence).toBeGreaterThan(0);
    expect(d.confidence).toBeLessThanOrEqual(1 + 1e-9);
  }
  expect(r.stopProbabilities.length).toBe(r.trajectory.length + 1);
}

describe('constrainedLogSoftmax', () => {
  it('renormalises over the allowed ids only', () => {
    const lp = constrainedLogSoftmax([0, Math.log(3), 100, 0], [0, 1]);
    expect(Math.exp(lp.get(0)!)).toBeCloseTo(0.25);
    expect(Math.exp(lp.get(1)!)).toBeCloseTo(0.75);
    expect(lp.has(2)).toBe(false);
  });
});

describe('decodeDrugList', () => {
  it('writes the list the model wants, greedy and beam', async () => {
    for (const beamWidth of [1, 4]) {
      const r = await decodeDrugList(listModel(['阿托伐他汀', '二甲双胍']), PROMPT, trie, { ...base, beamWidth });
      expect(r.drugs.map((d) => d.name)).toEqual(['阿托伐他汀', '二甲双胍']);
      expect(r.finishReason).toBe('eos');
      checkResult(r);
    }
  });

  it('never picks disallowed tokens even when the model prefers them', async () => {
    // The model strongly prefers 'X' (in no name), eos at the start and the separator everywhere.
    const bias = { [tok.id('X')]: 50, [EOS]: 30, [SEP]: 40, [UNK]: 60 };
    for (const beamWidth of [1, 3]) {
      const r = await decodeDrugList(listModel(['格列齐特'], 5, bias), PROMPT, trie, { ...base, beamWidth });
      expect(r.tokens).not.toContain(tok.id('X'));
      expect(r.tokens[0]).not.toBe(SEP);
      expect(r.trajectory.length).toBeGreaterThanOrEqual(1);
      checkResult(r);
    }
  });

  it('holds the invariants on random models (names exact, no duplicates, format)', async () => {
    for (let seed = 1; seed <= 40; seed++) {
      for (const beamWidth of [1, 4]) {
        const r = await decodeDrugList(randomModel(V, seed), PROMPT, trie, { ...base, beamWidth, maxDrugs: 10 });
        checkResult(r);
      }
    }
  });

  it('prevents duplicates: a model that repeats a drug cannot emit it twice', async () => {
    const repeat = seqOf(['阿司匹林', '阿司匹林', '阿司匹林', '阿司匹林']);
    const model = scriptedModel(V, PROMPT.length, (g) => {
      // always prefer the next token of the repeating script at the same position modulo
      const want = repeat[g.length % repeat.length]!;
      return { [want]: 8, [EOS]: g.length > 12 ? 20 : 0 };
    });
    for (const beamWidth of [1, 4]) {
      const r = await decodeDrugList(model, PROMPT, trie, { ...base, beamWidth });
      const names = r.trajectory.map((d) => d.name);
      expect(names[0]).toBe('阿司匹林');
      expect(new Set(names).size).toBe(names.length);
      checkResult(r);
    }
  });

  it('handles names that are prefixes of others (门冬胰岛素 / 门冬胰岛素30)', async () => {
    let r = await decodeDrugList(listModel(['门冬胰岛素30', '门冬胰岛素']), PROMPT, trie, { ...base, beamWidth: 1 });
    expect(r.drugs.map((d) => d.name)).toEqual(['门冬胰岛素30', '门冬胰岛素']);
    checkResult(r);
    r = await decodeDrugList(listModel(['门冬胰岛素', '格列齐特']), PROMPT, trie, { ...base, beamWidth: 1 });
    expect(r.drugs.map((d) => d.name)).toEqual(['门冬胰岛素', '格列齐特']);
    // After 门冬胰岛素 is emitted, the only way through 门冬胰岛素 again is to finish "30".
    r = await decodeDrugList(listModel(['门冬胰岛素', '门冬胰岛素']), PROMPT, trie, { ...base, beamWidth: 1 });
    expect(r.trajectory.map((d) => d.name)).toEqual(['门冬胰岛素', '门冬胰岛素30']);
    checkResult(r);
  });

  it('eos / separator handling: minDrugs, empty list, maxDrugs, exhausted list', async () => {
    const wantsEmpty = scriptedModel(V, PROMPT.length, () => ({ [EOS]: 10 }));
    let r = await decodeDrugList(wantsEmpty, PROMPT, trie, { ...base, minDrugs: 0 });
    expect(r.drugs).toEqual([]);
    expect(r.tokens).toEqual([EOS]);
    expect(r.stopProbabilities[0]).toBeGreaterThan(0.99);
    r = await decodeDrugList(wantsEmpty, PROMPT, trie, { ...base, minDrugs: 1 });
    expect(r.drugs.length).toBe(1);
    checkResult(r);
    r = await decodeDrugList(wantsEmpty, PROMPT, trie, { ...base, minDrugs: 3, beamWidth: 2 });
    expect(r.drugs.length).toBe(3);
    checkResult(r);

    const wantsMore = scriptedModel(V, PROMPT.length, () => ({ [SEP]: 10 }));
    r = await decodeDrugList(wantsMore, PROMPT, trie, { ...base, maxDrugs: 3 });
    expect(r.drugs.length).toBe(3);
    expect(r.finishReason).toBe('maxDrugs');
    checkResult(r);
    const small = buildCandidateTrie(['二甲双胍', '格列齐特'], tok.encode, { unkId: UNK });
    r = await decodeDrugList(wantsMore, PROMPT, small, { ...base, beamWidth: 2 });
    expect(r.drugs.map((d) => d.name).sort()).toEqual(['二甲双胍', '格列齐特'].sort());
    expect(r.finishReason).toBe('exhausted');
    checkResult(r, small);
    const empty = buildCandidateTrie([], tok.encode);
    r = await decodeDrugList(wantsMore, PROMPT, empty, base);
    expect(r.drugs).toEqual([]);
    expect(r.finishReason).toBe('exhausted');
  });

  it('beam search finds a more probable list than greedy (garden path)', async () => {
    // Names AB, AE share 'A'; CD alone. P(A)=0.6 > P(C)=0.4 but A splits 0.5/0.5 → 0.3 < 0.4.
    const t2 = fakeTokenizer('ABCDE');
    const tr = buildCandidateTrie(['AB', 'AE', 'CD'], t2.encode, { unkId: UNK });
    const [A, B, C, D, E] = [...'ABCDE'].map((c) => t2.id(c));
    const model = createRecomputeModel((ids) => {
      const g = ids.slice(PROMPT.length);
      const row = new Float32Array(t2.vocab.length);
      if (g.length === 0) {
        row[A!] = Math.log(0.6);
        row[C!] = Math.log(0.4);
      } else if (g.length === 1 && g[0] === A) {
        row[B!] = 0;
        row[E!] = 0;
      } else if (g.length === 1) {
        row[D!] = 0;
      } else row[EOS] = 10;
      return row;
    });
    const greedy = await decodeDrugList(model, PROMPT, tr, { ...base, beamWidth: 1 });
    const beam = await decodeDrugList(model, PROMPT, tr, { ...base, beamWidth: 2 });
    expect(greedy.trajectory[0]!.name[0]).toBe('A');
    expect(beam.drugs.map((d) => d.name)).toEqual(['CD']);
    expect(beam.score).toBeGreaterThan(greedy.score);
    expect(beam.drugs[0]!.confidence).toBeCloseTo(0.4, 2);
    expect(greedy.trajectory[0]!.confidence).toBeCloseTo(0.3, 2);
    expect(beam.alternatives[0]!.names).toEqual(['CD']);
  });

  it('dedupes hypotheses that are the same set in another order', async () => {
    // Symmetric model: any order of any two drugs, then stop.
    const model = scriptedModel(V, PROMPT.length, (g) => {
      const seps = g.filter((x) => x === SEP).length;
      return seps >= 1 ? { [EOS]: 3 } : { [SEP]: 3 };
    });
    const r = await decodeDrugList(model, PROMPT, trie, { ...base, beamWidth: 6, numAlternatives: 10 });
    const sets = r.alternatives.map((a) => [...a.names].sort().join('+'));
    expect(new Set(sets).size).toBe(sets.length);
    checkResult(r);
  });

  it('confidence = product of constrained-renormalised token probabilities', async () => {
    const t2 = fakeTokenizer('ABC');
    const tr = buildCandidateTrie(['A', 'AB', 'C'], t2.encode, { unkId: UNK });
    const [A, B, C] = [...'ABC'].map((c) => t2.id(c));
    const model = createRecomputeModel((ids) => {
      const g = ids.slice(PROMPT.length);
      const row = new Float32Array(t2.vocab.length).fill(-5);
      if (g.length === 0) {
        row[A!] = Math.log(3); // P(A…) = 3/4 among name starts (eos masked at start)
        row[C!] = 0;
        row[EOS] = 2;
      } else if (g.length === 1) {
        // at terminal 'A' (prefix of 'AB'): continue B (1) vs end (sep 1 + eos 2)
        row[B!] = Math.log(1);
        row[SEP] = Math.log(1);
        row[EOS] = Math.log(2);
      } else row[EOS] = 10;
      return row;
    });
    const r = await decodeDrugList(model, PROMPT, tr, { ...base, beamWidth: 1 });
    // P(end at A) = 3/4 > P(B) = 1/4; P(A as a drug) = 3/4 * 3/4
    expect(r.trajectory.map((d) => d.name)).toEqual(['A']);
    expect(r.trajectory[0]!.confidence).toBeCloseTo(0.5625, 5);
    expect(r.stopProbabilities[1]).toBeCloseTo(2 / 3, 5);
  });

  it('threshold: higher t never gives more drugs (greedy), and equals simulation from t=0', async () => {
    const ts = [0, 0.1, 0.3, 0.5, 0.6, 0.8, 0.95, 1];
    for (let seed = 100; seed < 130; seed++) {
      const model = randomModel(V, seed, 3);
      const rec = await decodeDrugList(model, PROMPT, trie, { ...base, beamWidth: 1, stopThreshold: 0, maxDrugs: 6 });
      let prev = Infinity;
      for (const t of ts) {
        const r = await decodeDrugList(model, PROMPT, trie, { ...base, beamWidth: 1, stopThreshold: t, maxDrugs: 6 });
        checkResult(r);
        expect(r.drugs.length).toBeLessThanOrEqual(prev);
        prev = r.drugs.length;
        const sim = applyThresholds(rec.trajectory, rec.stopProbabilities, { stopThreshold: t, minDrugs: 1 });
        expect(r.drugs.map((d) => d.name)).toEqual(sim.map((d) => d.name));
        for (const [i, d] of r.drugs.entries()) expect(d.confidence).toBeCloseTo(sim[i]!.confidence, 6);
      }
    }
  });

  it('threshold with beam search: monotone on a scripted example; minConfidence drops drugs', async () => {
    // Model continues with decreasing conviction: P(stop) after k drugs = k/5.
    const order = ['阿托伐他汀', '二甲双胍', '阿司匹林', '格列齐特', '门冬胰岛素30'];
    const target = seqOf(order);
    const model = scriptedModel(V, PROMPT.length, (g) => {
      const k = g.filter((x) => x === SEP).length + 1;
      const next = target[g.length];
      if (next === SEP || next === EOS) {
        const p = Math.min(0.99, k / 5);
        return { [EOS]: 6 + Math.log(p), [SEP]: 6 + Math.log(1 - p) };
      }
      return next === undefined ? { [EOS]: 5 } : { [next]: 6 };
    });
    let prev = Infinity;
    for (const t of [0.05, 0.3, 0.5, 0.7, 0.9]) {
      const r = await decodeDrugList(model, PROMPT, trie, { ...base, beamWidth: 4, stopThreshold: t });
      checkResult(r);
      expect(r.drugs.length).toBeLessThanOrEqual(prev);
      expect(r.drugs.map((d) => d.name)).toEqual(order.slice(0, r.drugs.length));
      prev = r.drugs.length;
    }
    expect(prev).toBe(1);
    const r = await decodeDrugList(model, PROMPT, trie, { ...base, beamWidth: 1, stopThreshold: 0, minConfidence: 1.1 });
    expect(r.drugs.length).toBe(1); // everything below the floor: the most confident one is kept
    expect(r.trajectory.length).toBe(NAMES.length); // t = 0 never stops: runs until the list is exhausted
    expect(r.finishReason).toBe('exhausted');
    // on-script drugs are confident, the forced off-script tail is not
    const floor = await decodeDrugList(model, PROMPT, trie, {
      ...base,
      beamWidth: 1,
      stopThreshold: 0,
      maxDrugs: 6,
      minConfidence: 0.6,
    });
    expect(floor.trajectory.length).toBe(6);
    expect(floor.trajectory[5]!.confidence).toBeCloseTo(0.5, 3); // 二… vs 门… tie at the root
    expect(floor.drugs.map((d) => d.name)).toEqual(order);
  });

  it('abort: pre-aborted never calls the model; aborting mid-decode rejects and releases the cache', async () => {
    const ac = new AbortController();
    ac.abort();
    const m0 = randomModel(V, 1);
    await expect(decodeDrugList(m0, PROMPT, trie, { ...base, signal: ac.signal })).rejects.toThrow();
    expect(m0.calls).toBe(0);

    const ac2 = new AbortController();
    const inner = randomModel(V, 2);
    let steps = 0;
    let released = 0;
    const model: StepModel<readonly (readonly number[])[]> = {
      start: (p) => inner.start(p),
      step: async (c, t) => {
        if (++steps === 3) ac2.abort(new Error('user cancelled'));
        return inner.step(c, t);
      },
      selectBeams: (c, i) => inner.selectBeams(c, i),
      release: () => {
        released++;
      },
    };
    await expect(
      decodeDrugList(model, PROMPT, trie, { ...base, signal: ac2.signal, stopThreshold: 0, maxDrugs: 20 }),
    ).rejects.toThrow('user cancelled');
    expect(steps).toBe(3);
    expect(released).toBe(1);
  });

  it('maxTokens cuts the search and keeps only completed drugs', async () => {
    const model = scriptedModel(V, PROMPT.length, () => ({ [SEP]: 10 }));
    const r = await decodeDrugList(model, PROMPT, trie, { ...base, beamWidth: 1, maxTokens: 7 });
    expect(r.finishReason).toBe('maxTokens');
    for (const d of r.drugs) expect(NAMES).toContain(d.name);
    expect(r.tokens.length).toBe(7);
  });
});

describe('decodeDrugList: candidate mask (safety)', () => {
  // NAMES = ['二甲双胍', '二甲双胍缓释片', '门冬胰岛素', '门冬胰岛素30', '阿托伐他汀', '阿司匹林', '格列齐特']


  it('never emits a blocked name, even when the model wants it most', async () => {
    const model = listModel(['二甲双胍', '阿司匹林', '格列齐特'], 8);
    for (const beamWidth of [1, 4]) {
      const free = await decodeDrugList(model, PROMPT, trie, { ...base, beamWidth });
      expect(free.trajectory.map((d) => d.name)).toContain('二甲双胍');
      const r = await decodeDrugList(model, PROMPT, trie, { ...base, beamWidth, mask: { blocked: [idx('二甲双胍')] } });
      const names = r.trajectory.map((d) => d.name);
      expect(names).not.toContain('二甲双胍');
      checkResult(r);
    }
  });

  it('a blocked prefix name still lets its longer sibling through (门冬胰岛素 blocked, 门冬胰岛素30 open)', async () => {
    const model = listModel(['门冬胰岛素'], 8);
    const r = await decodeDrugList(model, PROMPT, trie, { ...base, beamWidth: 1, mask: { blocked: [idx('门冬胰岛素')] } });
    expect(r.trajectory.map((d) => d.name)).not.toContain('门冬胰岛素');
    checkResult(r);
  });

  it('closes the rest of a duplication group once one member is emitted (per hypothesis)', async () => {
    // The model wants both metformin products; they share a group, so only the first is written.
    const model = listModel(['二甲双胍', '二甲双胍缓释片', '阿司匹林'], 8);
    const groups = NAMES.map((n) => (n.startsWith('二甲双胍') ? 'biguanide' : n.startsWith('门冬') ? 'prandial_insulin' : null));
    for (const beamWidth of [1, 4]) {
      const free = await decodeDrugList(model, PROMPT, trie, { ...base, beamWidth });
      expect(free.trajectory.map((d) => d.name).slice(0, 2)).toEqual(['二甲双胍', '二甲双胍缓释片']);
      const r = await decodeDrugList(model, PROMPT, trie, { ...base, beamWidth, mask: { groups } });
      const names = r.trajectory.map((d) => d.name);
      expect(names.filter((n) => n.startsWith('二甲双胍'))).toEqual(['二甲双胍']);
      for (const alt of r.alternatives) expect(alt.names.filter((n) => n.startsWith('二甲双胍')).length).toBeLessThanOrEqual(1);
      checkResult(r);
    }
  });

  it('a name with several groups (a combination) closes every one of them', async () => {
    // 二甲双胍缓释片 stands for a metformin combination: once written, metformin and the
    // 门冬 names (its other component's group) are closed.
    const model = listModel(['二甲双胍缓释片', '二甲双胍', '门冬胰岛素', '阿司匹林'], 8);
    const groups = NAMES.map((n) => (n === '二甲双胍缓释片' ? ['biguanide', 'insulin'] : n.startsWith('二甲双胍') ? 'biguanide' : n.startsWith('门冬') ? 'insulin' : null));
    for (const beamWidth of [1, 4]) {
      const free = await decodeDrugList(model, PROMPT, trie, { ...base, beamWidth });
      expect(free.trajectory.map((d) => d.name).slice(0, 3)).toEqual(['二甲双胍缓释片', '二甲双胍', '门冬胰岛素']);
      const r = await decodeDrugList(model, PROMPT, trie, { ...base, beamWidth, mask: { groups } });
      const names = r.trajectory.map((d) => d.name);
      expect(names[0]).toBe('二甲双胍缓释片');
      expect(names.filter((n) => n.startsWith('二甲双胍') || n.startsWith('门冬'))).toEqual(['二甲双胍缓释片']);
      checkResult(r);
    }
  });

  it('holds on random models: no blocked name, at most one name per group, in every alternative', async () => {
    const groups = NAMES.map((n) => (n.startsWith('二甲双胍') ? 'g1' : n.startsWith('门冬') ? 'g2' : null));
    for (let seed = 1; seed <= 30; seed++) {
      const r = await decodeDrugList(randomModel(V, seed), PROMPT, trie, {
        ...base,
        beamWidth: 3,
        maxDrugs: 6,
        mask: { blocked: [idx('阿司匹林')], groups },
      });
      for (const names of [r.trajectory.map((d) => d.name), ...r.alternatives.map((a) => a.names)]) {
        expect(names).not.toContain('阿司匹林');
        expect(names.filter((n) => n.startsWith('二甲双胍')).length).toBeLessThanOrEqual(1);
        expect(names.filter((n) => n.startsWith('门冬')).length).toBeLessThanOrEqual(1);
      }
      checkResult(r);
    }
  });

  it('everything blocked: an empty list (exhausted)', async () => {
    const r = await decodeDrugList(listModel(['阿司匹林']), PROMPT, trie, { ...base, mask: { blocked: NAMES.map((_, i) => i) } });
    expect(r.trajectory).toEqual([]);
    expect(r.finishReason).toBe('exhausted');
  });
});

type Seqs = readonly (readonly number[])[];

/**
 * The recompute reference with a multi-token call and a call log: stepMany feeds every run in
 * ONE call (rows recomputed from the full sequence, as in step).
 */
function withStepMany(inner: StepModel<Seqs>) {
  const calls: { rows: number; tokens: number }[] = [];
  const model: StepModel<Seqs> = {
    start: (p) => {
      calls.push({ rows: 1, tokens: p.length });
      return inner.start(p);
    },
    step: (c, t) => {
      calls.push({ rows: t.length, tokens: 1 });
      return inner.step(c, t);
    },
    stepMany: (c, runs) => {
      calls.push({ rows: runs.length, tokens: runs[0]!.length });
      // all but the last token of each run go straight into the sequences; the last is stepped
      const grown = c.map((seq, i) => [...seq, ...runs[i]!.slice(0, -1)]);
      return inner.step(grown, runs.map((r) => r[r.length - 1]!));
    },
    selectBeams: (c, i) => inner.selectBeams(c, i),
  };
  return { model, calls };
}

describe('decodeDrugList: jump-forward over trie-forced tokens', () => {
  it('counts calls: a forced run costs no call and is fed with the next call', async () => {
    // 阿托伐他汀 、 二甲双胍 </s>: after 阿托 / 阿托伐 / 阿托伐他 and 二 / 二甲 / 二甲双 the trie allows
    // one token only, so 4 of the 10 fed tokens need logits (阿, 阿托伐他汀, 、, 二甲双胍).
    const names = ['阿托伐他汀', '二甲双胍'];
    const old = withStepMany(listModel(names));
    const prev = await decodeDrugList(old.model, PROMPT, trie, { ...base, beamWidth: 1, jumpForward: false });
    const jf = withStepMany(listModel(names));
    const next = await decodeDrugList(jf.model, PROMPT, trie, { ...base, beamWidth: 1 });
    expect(next.drugs.map((d) => d.name)).toEqual(names);
    expect(prev.steps).toBe(11);
    expect(prev.fedTokens).toBe(10);
    expect(old.calls.slice(1).every((c) => c.tokens === 1)).toBe(true);
    expect(next.steps).toBe(5);
    expect(next.fedTokens).toBe(10);
    expect(jf.calls.map((c) => c.tokens)).toEqual([PROMPT.length, 1, 4, 1, 4]);
    expect(next.tokens).toEqual(prev.tokens);
    expect(next.score).toBe(prev.score);
  });

  it('gives the same trajectories, scores, confidences and alternatives as one call per token', async () => {
    const groups = NAMES.map((n) => (n.startsWith('二甲双胍') ? 'g1' : null));
    let saved = 0;
    for (let seed = 1; seed <= 30; seed++) {
      for (const beamWidth of [1, 3, 4]) {
        for (const stopThreshold of [undefined, 0, 0.5]) {
          const mask = seed % 3 === 0 ? { blocked: [idx('阿司匹林')], groups } : undefined;
          const opts = { ...base, beamWidth, stopThreshold, maxDrugs: 6, ...(mask ? { mask } : {}) };
          const prev = await decodeDrugList(randomModel(V, seed), PROMPT, trie, { ...opts, jumpForward: false });
          const jf = withStepMany(randomModel(V, seed));
          const next = await decodeDrugList(jf.model, PROMPT, trie, opts);
          // Bit-identical: the reference scores each row from its full sequence, however it was fed.
          expect(next.tokens).toEqual(prev.tokens);
          expect(next.score).toBe(prev.score);
          expect(next.trajectory).toEqual(prev.trajectory);
          expect(next.stopProbabilities).toEqual(prev.stopProbabilities);
          expect(next.alternatives).toEqual(prev.alternatives);
          expect(next.drugs).toEqual(prev.drugs);
          expect(next.fedTokens).toBe(prev.fedTokens);
          expect(next.steps).toBeLessThanOrEqual(prev.steps);
          expect(jf.calls.length).toBe(next.steps);
          saved += prev.steps - next.steps;
        }
      }
    }
    expect(saved).toBeGreaterThan(0);
  });

  it('a model without stepMany gets the run token by token (same result, calls counted)', async () => {
    const names = ['阿托伐他汀', '二甲双胍'];
    const r = await decodeDrugList(listModel(names), PROMPT, trie, { ...base, beamWidth: 1 });
    expect(r.drugs.map((d) => d.name)).toEqual(names);
    expect(r.steps).toBe(11);
  });
});
