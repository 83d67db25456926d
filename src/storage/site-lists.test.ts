import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Formulary } from '../clinical/formulary.ts';
import { sha256Hex } from './hash.ts';
import { buildListRecord, listId, ListImportError, parseCandidateList } from './site-lists.ts';

// The `lists` store itself is exercised in Chromium (e2e/site-model.spec.ts).

const bytes = (text: string) => new TextEncoder().encode(text).buffer as ArrayBuffer;

async function errorOf(p: Promise<unknown>): Promise<ListImportError> {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(ListImportError);
  return e as ListImportError;
}

describe('candidate list import', () => {
  it('a plain JSON array of names: names in order, unknown-to-formulary names counted', async () => {
    const known = Formulary.bundled().names.slice(0, 3);
    const text = JSON.stringify([...known, '测试新药X']);
    const rec = await buildListRecord('official-651.json', bytes(text), undefined, 5);
    expect(rec).toMatchObject({
      key: 'list:official-651',
      name: 'official-651',
      fileName: 'official-651.json',
      format: 'names',
      count: 4,
      unknownCount: 1,
      unknownExamples: ['测试新药X'],
      importedAt: 5,
      text,
    });
    expect(rec.sha256).toBe(await sha256Hex(new TextEncoder().encode(text)));
    expect(rec.version).toBe(`sha256-${rec.sha256.slice(0, 12)}`);
    expect(parseCandidateList(text, 'x').names).toEqual([...known, '测试新药X']);
  });

  it('the formulary format (the bundled file itself) is accepted and fully known', async () => {
    const text = readFileSync('src/clinical/data/formulary.json', 'utf8');
    const rec = await buildListRecord('formulary.json', bytes(text), 'my list');
    expect(rec.key).toBe('list:my-list');
    expect(rec.format).toBe('formulary');
    expect(rec.count).toBe(Formulary.bundled().names.length);
    expect(rec.unknownCount).toBe(0);
  });

  it('a BOM is accepted', async () => {
    const rec = await buildListRecord('a.json', bytes('\uFEFF["二甲双胍"]'));
    expect(rec.count).toBe(1);
  });

  it('bad JSON / bad UTF-8 → list-bad-json', async () => {
    expect((await errorOf(buildListRecord('a.json', bytes('["x",')))).code).toBe('list-bad-json');
    expect((await errorOf(buildListRecord('a.json', new Uint8Array([0x5b, 0xff, 0x5d]).buffer))).code).toBe('list-bad-json');
  });

  it('invalid entries → list-invalid naming the entry index', async () => {
    const e = await errorOf(buildListRecord('a.json', bytes('["二甲双胍", 3]')));
    expect(e.code).toBe('list-invalid');
    expect(e.detail).toMatch(/entry 1/);
    const dup = await errorOf(buildListRecord('a.json', bytes('["二甲双胍", "二甲双胍"]')));
    expect(dup.code).toBe('list-invalid');
    expect(dup.detail).toMatch(/entry 1.*duplicates entry 0/);
    expect((await errorOf(buildListRecord('a.json', bytes('[]')))).code).toBe('list-invalid');
    expect((await errorOf(buildListRecord('a.json', bytes('{"drugs": []}')))).code).toBe('list-invalid');
  });

  it('list ids: from the file name without .json, sanitised', () => {
    expect(listId('CHIP 651.json')).toBe('list:CHIP-651');
    expect(listId('本院目录')).toBe('list:本院目录');
    expect(() => listId('.json')).toThrow(ListImportError);
  });
});
