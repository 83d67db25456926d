import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Formulary } from '../src/clinical/formulary.ts';
import { rec } from '../src/clinical/baselines/test-helpers.ts';
import { assertWritableOutput } from './cli-support.ts';
import { countSafetyViolations, familyJaccard, parseSetFlag, readRuledOut, readRuledOutFiles, readFamilyFiles, unionPredictions } from './report-sets.ts';

const formulary = Formulary.bundled();

describe('--set NAME=PATH[:LIMIT]', () => {
  it('parses name, path and an optional limit', () => {
    expect(parseSetFlag('synthetic-test=data/cohort/test.jsonl:1000')).toEqual({ name: 'synthetic-test', path: 'data/cohort/test.jsonl', limit: 1000 });
    expect(parseSetFlag('hw=eval/handwritten/records.jsonl')).toEqual({ name: 'hw', path: 'eval/handwritten/records.jsonl' });
  });
  it('rejects a flag without a name or path', () => {
    expect(() => parseSetFlag('data/cohort/test.jsonl')).toThrow(/NAME=PATH/);
    expect(() => parseSetFlag('a b=x.jsonl')).toThrow(/letters/);
  });
});

describe('safety violations', () => {
  const candidates = formulary.names;
  const r1 = rec('v1', { 诊疗过程描述: '因eGFR<30，停用二甲双胍。', 出院诊断: ['2型糖尿病'] });
  const r2 = rec('v2', { 现病史: '长期服用二甲双胍0.5g tid。', 出院诊断: ['2型糖尿病'] });

  it('counts predictions the rules withhold and those the set lists as ruled out, per visit', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ro-'));
    const path = join(dir, 'ruled-out.json');
    writeFileSync(path, JSON.stringify({ v2: [{ drug: '阿司匹林', reason: 'GI bleed', evidence: '…' }] }));
    const ruledOut = await readRuledOut(path, formulary);
    const count = countSafetyViolations([r1, r2], [['二甲双胍', '阿托伐他汀'], ['二甲双胍', '阿司匹林']], candidates, formulary, ruledOut);
    expect(count).toEqual({ ruleViolations: 1, ruledOutViolations: 1, visitsWithViolation: 2 });
  });

  it('merges one ruled-out file per set, and refuses a visit listed in two', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ro-'));
    const a = join(dir, 'a.json');
    const b = join(dir, 'b.json');
    writeFileSync(a, JSON.stringify({ v1: [{ drug: '二甲双胍', reason: 'eGFR', evidence: '…' }] }));
    writeFileSync(b, JSON.stringify({ v2: [{ drug: '阿司匹林', reason: 'GI bleed', evidence: '…' }] }));
    const merged = await readRuledOutFiles(`${a},${b}`, formulary);
    expect([...merged.keys()].sort()).toEqual(['v1', 'v2']);
    await expect(readRuledOutFiles(`${a},${a}`, formulary)).rejects.toThrow(/already listed/);
  });

  it('merges family files (a cohort families.json and a set styles.json)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fam-'));
    const a = join(dir, 'families.json');
    const b = join(dir, 'styles.json');
    writeFileSync(a, JSON.stringify({ v1: 'templated' }));
    writeFileSync(b, JSON.stringify({ h1: 'terse' }));
    expect([...(await readFamilyFiles(`${a},${b}`))]).toEqual([['v1', 'templated'], ['h1', 'terse']]);
    await expect(readFamilyFiles(`${b},${b}`)).rejects.toThrow(/already has a family/);
  });

  it('finds nothing when the predictions respect the note', () => {
    expect(countSafetyViolations([r1, r2], [['阿托伐他汀'], ['二甲双胍']], candidates, formulary, null)).toEqual({
      ruleViolations: 0,
      ruledOutViolations: 0,
      visitsWithViolation: 0,
    });
  });
});

describe('per-family scores and the union baseline', () => {
  it('averages exact per-visit Jaccard within each family', () => {
    const records = [rec('a', { 出院带药列表: ['二甲双胍'] }), rec('b', { 出院带药列表: ['二甲双胍', '阿司匹林'] }), rec('c', { 出院带药列表: ['阿司匹林'] })];
    const preds = new Map([['m', [['二甲双胍'], ['二甲双胍'], []]]]);
    const fams = familyJaccard(records, preds, new Map([['a', 'x'], ['b', 'x'], ['c', 'y']]));
    expect(fams).toEqual([
      { family: 'x', n: 2, jaccard: { m: 0.75 } },
      { family: 'y', n: 1, jaccard: { m: 0 } },
    ]);
  });
  it('unions two lists without duplicates, first list first', () => {
    expect(unionPredictions([['a', 'b'], []], [['b', 'c'], ['d']])).toEqual([['a', 'b', 'c'], ['d']]);
  });
});

describe('output paths', () => {
  it('refuses an --out that is an input or cannot be created; creates missing folders otherwise', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'out-'));
    const input = join(dir, 'in.jsonl');
    writeFileSync(input, '');
    await expect(assertWritableOutput(input, [input])).rejects.toThrow(/also an input/);
    await expect(assertWritableOutput(join(dir, 'a', 'b', 'x.json'), [input])).resolves.toBeUndefined();
    writeFileSync(join(dir, 'file'), '');
    await expect(assertWritableOutput(join(dir, 'file', 'x.json'), [input])).rejects.toThrow(/not a folder/);
    await expect(assertWritableOutput('/proc/nope/x.json', [input])).rejects.toThrow(/cannot write there/);
    await expect(assertWritableOutput(join(dir, 'out.json'), [input])).resolves.toBeUndefined();
  });
});
