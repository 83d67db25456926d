import { describe, expect, it } from 'vitest';
import { Formulary } from './formulary.ts';
import { candidateMappingFor, countLabels, describeMapping, mapCandidateList, toListSpellings } from './candidate-list.ts';
import { evaluate, evaluateExactAndNormalised } from './metrics.ts';
import { buildCandidateTrie } from '../decoding/trie.ts';
import { decodeDrugList } from '../decoding/constrained-decoder.ts';
import { EOS, SEP, UNK, fakeTokenizer, scriptedModel } from '../decoding/fake-model.test-utils.ts';

const bundled = Formulary.bundled();
/** The example from the CDrugRed README: dosage forms kept on some names and not on others. */
const OFFICIAL_STYLE = ['阿卡波糖', '瑞格列奈', '瑞舒伐他汀', '替米沙坦', '氨氯地平片', '碳酸钙片'];

describe('mapCandidateList', () => {
  it('maps each entry to the model name it folds to; outputs carry the list spelling', () => {
    const m = mapCandidateList(OFFICIAL_STYLE);
    expect(m.decodeNames).toEqual(['阿卡波糖', '瑞格列奈', '瑞舒伐他汀', '替米沙坦', '氨氯地平', '碳酸钙']);
    expect(m.entries.map((e) => e.model)).toEqual(m.decodeNames);
    expect(m.unmapped).toEqual([]);
    expect(m.identity).toBe(false);
    expect(m.toList('氨氯地平')).toBe('氨氯地平片');
    expect(m.toList('碳酸钙')).toBe('碳酸钙片');
    expect(m.toList('阿卡波糖')).toBe('阿卡波糖');
    // any spelling the model formulary folds still lands on the list's spelling
    expect(m.toList('苯磺酸氨氯地平片')).toBe('氨氯地平片');
    // distinct products stay distinct, and non-candidates are dropped
    expect(m.toList('左氨氯地平')).toBeNull();
    expect(m.toList('碳酸钙D3')).toBeNull();
    expect(toListSpellings(m, ['氨氯地平', '氨氯地平片', '二甲双胍', '碳酸钙'])).toEqual({ names: ['氨氯地平片', '碳酸钙片'], dropped: 1 });
  });

  it('the bundled list is the identity (and keeps the bundled formulary)', () => {
    const m = mapCandidateList(bundled.names);
    expect(m.identity).toBe(true);
    expect(m.decodeNames).toEqual(bundled.names);
    expect(m.formulary).toBe(bundled);
    expect(m.collisions).toEqual([]);
    expect(describeMapping(m, bundled.names.length)).toEqual([]);
  });

  it('entries mapping to no model name stay decodable by their spelling and are reported', () => {
    const m = mapCandidateList(['氨氯地平片', '某某胶囊', '某新药']);
    expect(m.unmapped).toEqual(['某某胶囊', '某新药']);
    expect(m.decodeNames).toEqual(['氨氯地平', '某某胶囊', '某新药']);
    expect(m.toList('某某胶囊')).toBe('某某胶囊');
    // the stripped core reaches it, as in a plain list (labels / mentions spelled without the form)
    expect(m.formulary.normalize('某某')).toBe('某某胶囊');
    expect(m.formulary.findMentions('出院带某某口服').map((x) => x.name)).toEqual(['某某胶囊']);
    // the model's aliases still work for mapped entries
    expect(m.formulary.normalize('络活喜')).toBe('氨氯地平');
    const lines = describeMapping(m, 3);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('2 of 3 candidate entries map to no model name');
    expect(lines[0]).toContain('某某胶囊');
  });

  describe('fold collisions (several entries → one model name)', () => {
    it('1. the plain form wins when present', () => {
      const m = mapCandidateList(['二甲双胍缓释片', '二甲双胍', '盐酸二甲双胍片'], { labelCounts: new Map([['二甲双胍缓释片', 99]]) });
      expect(m.collisions).toEqual([{ model: '二甲双胍', chosen: '二甲双胍', others: ['二甲双胍缓释片', '盐酸二甲双胍片'], rule: 'plain' }]);
      expect(m.decodeNames).toEqual(['二甲双胍']);
      expect(m.toList('二甲双胍')).toBe('二甲双胍');
      expect(m.toList('二甲双胍缓释片')).toBe('二甲双胍'); // never produced under its own spelling
    });

    it('2. else the most common form in the labelled data', () => {
      const labels = countLabels([{ 出院带药列表: ['二甲双胍缓释片', '阿卡波糖'] }, { 出院带药列表: [' 二甲双胍缓释片 '] }, { 出院带药列表: ['盐酸二甲双胍片'] }, {}]);
      expect(labels.get('二甲双胍缓释片')).toBe(2);
      const m = mapCandidateList(['盐酸二甲双胍片', '二甲双胍缓释片'], { labelCounts: labels });
      expect(m.collisions).toEqual([{ model: '二甲双胍', chosen: '二甲双胍缓释片', others: ['盐酸二甲双胍片'], rule: 'labels' }]);
      expect(m.toList('二甲双胍')).toBe('二甲双胍缓释片');
    });

    it('3. else (no labels, or none of the forms in them, or a tie) the shortest spelling, then the first', () => {
      expect(mapCandidateList(['盐酸二甲双胍缓释片', '二甲双胍片', '盐酸二甲双胍片']).collisions[0]).toMatchObject({ chosen: '二甲双胍片', rule: 'shortest' });
      expect(mapCandidateList(['盐酸二甲双胍片', '二甲双胍缓释片'], { labelCounts: new Map([['阿卡波糖', 5]]) }).collisions[0]).toMatchObject({ chosen: '盐酸二甲双胍片', rule: 'shortest' });
      // a labels tie falls back to shortest among the tied entries
      const tie = new Map([['盐酸二甲双胍缓释片', 3], ['二甲双胍缓释片', 3], ['二甲双胍片', 1]]);
      expect(mapCandidateList(['盐酸二甲双胍缓释片', '二甲双胍缓释片', '二甲双胍片'], { labelCounts: tie }).collisions[0]).toMatchObject({ chosen: '二甲双胍缓释片', rule: 'labels' });
      // equal length: the first in list order
      expect(mapCandidateList(['二甲双胍肠溶片', '二甲双胍缓释片']).collisions[0]).toMatchObject({ chosen: '二甲双胍肠溶片', rule: 'shortest' });
      expect(describeMapping(mapCandidateList(['二甲双胍肠溶片', '二甲双胍缓释片']), 2)[0]).toContain('二甲双胍肠溶片 (shortest) over 二甲双胍缓释片');
    });
  });

  it('keeps the drugs that treat a condition only while the list holds them (RULE-1208b)', () => {
    const treatedBy = (list: string[]) => {
      const d = mapCandidateList(list).formulary.get('左甲状腺素')!;
      return d.contraindications!.map((c) => (c.kind === 'condition' ? (c.treatedBy ?? null) : null));
    };
    expect(treatedBy(['左甲状腺素片', '二甲双胍']).filter((t) => t !== null)).toEqual([]);
    expect(treatedBy(['左甲状腺素片', '氢化可的松片', '二甲双胍']).filter((t) => t !== null)).toEqual([['氢化可的松']]);
  });

  it('candidateMappingFor memoises on the content (the worker gets a fresh copy per request)', () => {
    const a = candidateMappingFor([...OFFICIAL_STYLE]);
    expect(candidateMappingFor([...OFFICIAL_STYLE])).toBe(a);
  });
});

describe('a respelled single agent never turns into a combination product', () => {
  // The seen failure: with 氨氯地平 respelled 氨氯地平片, a trie over the list's spellings has no
  // name ending at 氨氯地平, so a model that wants to stop there is forced on into 氨氯地平阿托伐他汀.
  const LIST = ['氨氯地平片', '氨氯地平阿托伐他汀', '阿卡波糖'];
  const mapping = mapCandidateList(LIST);
  const tok = fakeTokenizer([...LIST, ...mapping.decodeNames].join(''));
  const PROMPT = [4, 5];
  const want = tok.encode('氨氯地平');
  // wants 氨氯地平 then the end; off-script it slightly prefers 阿 (as a model that has seen the combination would)
  const model = scriptedModel(tok.vocab.length, PROMPT.length, (g) => {
    const onScript = g.every((x, i) => want[i] === x);
    if (onScript && g.length < want.length) return { [want[g.length]!]: 8 };
    return { [EOS]: 8, [tok.id('阿')]: 1 };
  });
  const opts = { separatorId: SEP, eosId: EOS, beamWidth: 1 };

  it('trie over the list spellings (the old way): forced into the combination', async () => {
    const trie = buildCandidateTrie(LIST, tok.encode, { unkId: UNK, reservedIds: [SEP, EOS] });
    const r = await decodeDrugList(model, PROMPT, trie, opts);
    expect(r.drugs.map((d) => d.name)).toEqual(['氨氯地平阿托伐他汀']);
  });

  it('trie over the model names, answer mapped to the list spelling: 氨氯地平片', async () => {
    expect(mapping.decodeNames).toEqual(['氨氯地平', '氨氯地平阿托伐他汀', '阿卡波糖']);
    const trie = buildCandidateTrie(mapping.decodeNames, tok.encode, { unkId: UNK, reservedIds: [SEP, EOS] });
    const r = await decodeDrugList(model, PROMPT, trie, opts);
    expect(toListSpellings(mapping, r.drugs.map((d) => d.name)).names).toEqual(['氨氯地平片']);
  });
});

describe('exact (official) and normalised scores, hand-computed', () => {
  // v1: gold {氨氯地平片, 阿卡波糖}, pred {氨氯地平, 阿卡波糖}
  //     exact: tp 1 → J 1/3, P 1/2, R 1/2, F1 1/2;  normalised: tp 2 → J 1, P 1, R 1, F1 1
  // v2: gold {二甲双胍}, pred {二甲双胍, 二甲双胍, " 阿卡波糖 "} (duplicates count once; trimmed)
  //     exact = normalised: tp 1 of pred 2 → J 1/2, P 1/2, R 1, F1 2/3
  // v3: gold {} and pred {} → 1 for all four (both kinds)
  // v4: gold {碳酸钙片}, no prediction entry → 0 (both kinds)
  const gold = new Map([
    ['v1', ['氨氯地平片', '阿卡波糖']],
    ['v2', ['二甲双胍']],
    ['v3', []],
    ['v4', ['碳酸钙片']],
  ]);
  const pred = new Map([
    ['v1', ['氨氯地平', '阿卡波糖']],
    ['v2', ['二甲双胍', '二甲双胍', ' 阿卡波糖 ']],
    ['v3', []],
  ]);
  const normalize = (n: string) => bundled.normalize(n);
  const { exact, normalised } = evaluateExactAndNormalised(gold, pred, { normalize });

  it('exact compares trimmed strings', () => {
    expect(exact.n).toBe(4);
    expect(exact.jaccard).toBeCloseTo((1 / 3 + 1 / 2 + 1 + 0) / 4, 12);
    expect(exact.precision).toBeCloseTo((1 / 2 + 1 / 2 + 1 + 0) / 4, 12);
    expect(exact.recall).toBeCloseTo((1 / 2 + 1 + 1 + 0) / 4, 12);
    expect(exact.f1).toBeCloseTo((1 / 2 + 2 / 3 + 1 + 0) / 4, 12);
    expect(exact.score).toBeCloseTo((exact.jaccard + exact.f1) / 2, 12);
    expect(exact.mean_pred).toBeCloseTo((2 + 2 + 0 + 0) / 4, 12);
    expect(exact.missing_ids).toBe(1);
    expect(exact).toEqual(evaluate(gold, pred));
  });

  it('normalised folds spellings', () => {
    expect(normalised.jaccard).toBeCloseTo((1 + 1 / 2 + 1 + 0) / 4, 12);
    expect(normalised.precision).toBeCloseTo((1 + 1 / 2 + 1 + 0) / 4, 12);
    expect(normalised.recall).toBeCloseTo((1 + 1 + 1 + 0) / 4, 12);
    expect(normalised.f1).toBeCloseTo((1 + 2 / 3 + 1 + 0) / 4, 12);
    expect(normalised.score).toBeCloseTo(((1 + 1 / 2 + 1) / 4 + (1 + 2 / 3 + 1) / 4) / 2, 12);
  });
});
