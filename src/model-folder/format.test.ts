import { describe, expect, it } from 'vitest';
import { FormatError, MANIFEST_FORMAT, parseManifest } from './format.ts';

const sha = 'a'.repeat(64);

describe('describeIssues (through parseManifest)', () => {
  it('names the file, the entry and the field of a nested problem', () => {
    const json = { format: MANIFEST_FORMAT, version: 'v', files: [{ path: 'a', bytes: 1, sha256: sha }, { path: 'b', bytes: 1, sha256: 'XY' }] };
    expect(() => parseManifest(json, 'm/manifest.json')).toThrow('m/manifest.json: files[1].sha256: must be 64 lowercase hex digits');
  });

  it('says a required key is missing instead of repeating the enclosing object’s message', () => {
    const json = { format: MANIFEST_FORMAT, version: 'v', files: [{ path: 'a', sha256: sha }] };
    expect(() => parseManifest(json, 'm/manifest.json')).toThrow('m/manifest.json: files[0].bytes: is missing');
  });

  it('gives a problem with the value itself no path', () => {
    let err: unknown;
    try {
      parseManifest(5, 'm/manifest.json');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(FormatError);
    expect((err as FormatError).message).toMatch(/^m\/manifest\.json: Invalid type/);
    expect((err as FormatError).message).not.toContain('top level');
  });
});
