import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RecordError } from '../src/clinical/errors.ts';
import { CliError, UsageError, describeError, loadCandidates, parseFlags, parseKeyValues, readTextFile, requireFlag } from './cli-support.ts';

describe('cli-support', () => {
  it('maps errors to one line and exit codes', () => {
    expect(describeError(new UsageError('missing required flag --in'), 'tool --in X')).toEqual({
      message: 'error: missing required flag --in (usage: tool --in X)',
      code: 2,
    });
    expect(describeError(new RecordError('missing visit id', { source: 'a.jsonl', line: 3 }, '就诊标识'))).toEqual({
      message: 'error: a.jsonl line 3, field 就诊标识: missing visit id',
      code: 1,
    });
    expect(describeError(new CliError('x: file not found')).code).toBe(1);
    expect(describeError(new Error('boom\n  at foo (bar.ts:1:1)'))).toEqual({ message: 'error: boom at foo (bar.ts:1:1)', code: 1 });
  });

  it('parses flags strictly', () => {
    expect(parseFlags(['--in', 'a.jsonl'], { in: { type: 'string' } })).toMatchObject({ in: 'a.jsonl' });
    expect(() => parseFlags(['--nope'], { in: { type: 'string' } })).toThrow(UsageError);
    expect(() => parseFlags(['pos'], { in: { type: 'string' } })).toThrow(UsageError);
    expect(() => requireFlag({}, 'in')).toThrow('missing required flag --in');
  });

  it('parses --opt key=value', () => {
    expect(parseKeyValues(['k=3', 'combine = noisy-or'])).toEqual({ k: '3', combine: 'noisy-or' });
    expect(() => parseKeyValues(['=3'])).toThrow(UsageError);
  });

  it('reads files with clear errors', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dischargerx-support-'));
    try {
      await expect(readTextFile(join(dir, 'none.json'))).rejects.toThrow(`${join(dir, 'none.json')}: file not found`);
      await expect(readTextFile(dir)).rejects.toThrow('is a directory');
      writeFileSync(join(dir, 'u16.json'), Buffer.from([0xff, 0xfe, 0x5b, 0x00]));
      await expect(readTextFile(join(dir, 'u16.json'))).rejects.toThrow('UTF-16LE');
      writeFileSync(join(dir, 'names.json'), '\uFEFF["二甲双胍", "阿卡波糖"]');
      const f = await loadCandidates(join(dir, 'names.json'));
      expect(f.names).toEqual(['二甲双胍', '阿卡波糖']);
      writeFileSync(join(dir, 'bad.json'), '[1]');
      await expect(loadCandidates(join(dir, 'bad.json'))).rejects.toThrow(CliError);
      writeFileSync(join(dir, 'empty.json'), '  ');
      await expect(loadCandidates(join(dir, 'empty.json'))).rejects.toThrow('file is empty');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
