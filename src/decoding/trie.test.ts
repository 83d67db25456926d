import { describe, expect, it } from 'vitest';
import { buildCandidateTrie, createTrieCache, hasOpenName, openChildren } from './trie.ts';
import { EOS, SEP, UNK, fakeTokenizer } from './fake-model.test-utils.ts';

const NAMES = ['二甲双胍', '二甲双胍缓释片', '门冬胰岛素', '门冬胰岛素30', '阿托伐他汀'];
const tok = fakeTokenizer(NAMES.join(''));

describe('buildCandidateTrie', () => {
  it('shares prefixes and marks prefix-names as terminals with children', () => {
    const trie = buildCandidateTrie(NAMES, tok.encode, { unkId: UNK, reservedIds: [SEP, EOS] });
    expect(trie.included).toEqual([0, 1, 2, 3, 4]);
    expect(trie.excluded).toEqual([]);
    // root has 3 children: 二, 门, 阿
    expect([...trie.root.children.keys()].map((i) => tok.vocab[i])).toEqual(['二', '门', '阿']);
    let node = trie.root;
    for (const id of tok.encode('门冬胰岛素')) node = node.children.get(id)!;
    expect(node.terminal).toBe(2);
    expect([...node.children.keys()].map((i) => tok.vocab[i])).toEqual(['3']);
    expect(node.names).toEqual([2, 3]);
    expect(trie.root.names).toEqual([0, 1, 2, 3, 4]);
    expect(trie.maxDepth).toBe(7);
    expect(trie.encodings[1]).toEqual(tok.encode('二甲双胍缓释片'));
  });

  it('excludes names with unk, empty, reserved tokens and duplicates, and reports why', () => {
    const names = ['二甲双胍', '格列齐特', '', '二甲双胍', '门冬、胰岛素', '阿托伐他汀'];
    const small = fakeTokenizer('二甲双胍门冬胰岛素阿托伐他汀');
    const trie = buildCandidateTrie(names, small.encode, { unkId: UNK, reservedIds: [SEP, EOS] });
    expect(trie.included).toEqual([0, 5]);
    expect(trie.excluded).toEqual([
      { index: 1, name: '格列齐特', reason: 'unk' },
      { index: 2, name: '', reason: 'empty' },
      { index: 3, name: '二甲双胍', reason: 'duplicate-name', duplicateOf: 0 },
      { index: 4, name: '门冬、胰岛素', reason: 'special-token' },
    ]);
    expect(trie.encodings[1]).toBeNull();
  });

  it('reports different strings with the same encoding', () => {
    const enc = (s: string) => [...s.toLowerCase()].map((c) => c.charCodeAt(0));
    const trie = buildCandidateTrie(['Abc', 'abc'], enc);
    expect(trie.included).toEqual([0]);
    expect(trie.excluded).toEqual([{ index: 1, name: 'abc', reason: 'duplicate-encoding', duplicateOf: 0 }]);
  });

  it('open-name masking follows emitted names through shared paths', () => {
    const trie = buildCandidateTrie(NAMES, tok.encode, { unkId: UNK });
    const men = trie.root.children.get(tok.id('门'))!;
    expect(hasOpenName(men, new Set())).toBe(true);
    expect(hasOpenName(men, new Set([2]))).toBe(true); // 门冬胰岛素30 still open
    expect(hasOpenName(men, new Set([2, 3]))).toBe(false);
    expect(openChildren(trie.root, new Set([2, 3, 4])).map(([id]) => tok.vocab[id])).toEqual(['二']);
  });

  it('builds a 651-name list and rebuilds for a changed list', () => {
    const chars = '阿司匹林氯吡格雷二甲双胍格列美脲吡格列酮西格列汀达格列净恩格列净利拉鲁肽甘精胰岛素门冬赖脯地特阿托伐他汀瑞舒伐匹伐依折麦布非诺贝特苯扎氨氯地平硝苯缬沙坦厄贝坦氯噻酮吲达帕胺美托洛尔比索螺内酯呋塞米';
    const big = fakeTokenizer(chars);
    const r = (i: number) => chars[(i * 7919) % chars.length]!;
    const names = Array.from({ length: 651 }, (_, i) => `${r(i)}${r(i + 1)}${r(i * 3)}${r(i * 5 + 2)}${i}`);
    const trie = buildCandidateTrie(names, big.encode, { unkId: UNK, reservedIds: [SEP, EOS] });
    expect(trie.included.length).toBe(651 - trie.excluded.length);
    expect(trie.excluded.every((e) => e.reason === 'unk')).toBe(true); // digits not in vocab
    const withDigits = fakeTokenizer(chars + '0123456789');
    const trie2 = buildCandidateTrie(names, withDigits.encode, { unkId: UNK });
    expect(trie2.included.length).toBe(651);
    // rebuild with a changed list
    const trie3 = buildCandidateTrie([...names.slice(1), '新药'], withDigits.encode, { unkId: UNK });
    expect(trie3.names[650]).toBe('新药');
    expect(trie3.excluded).toEqual([{ index: 650, name: '新药', reason: 'unk' }]);
  });

  it('createTrieCache memoises per encoder + list and rebuilds when the list changes', () => {
    const get = createTrieCache(2);
    const a = get(NAMES, tok.encode, { unkId: UNK });
    expect(get([...NAMES], tok.encode, { unkId: UNK })).toBe(a);
    const b = get(NAMES.slice(1), tok.encode, { unkId: UNK });
    expect(b).not.toBe(a);
    expect(b.names).toEqual(NAMES.slice(1));
    const other = (s: string) => tok.encode(s);
    expect(get(NAMES, other, { unkId: UNK })).not.toBe(a);
  });
});
