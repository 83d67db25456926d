/**
 * End-to-end tests of the evaluate/predict CLIs: spawned as real processes so exit codes and
 * the one-line stderr contract are what a user sees.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MINI_FORMULARY } from '../src/clinical/__fixtures__/mini-formulary.ts';

const ROOT = resolve(import.meta.dirname, '..');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(script: 'evaluate' | 'predict', args: string[]): Promise<Run> {
  return new Promise((res) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', join(ROOT, 'cli', `${script}.ts`), ...args],
      { cwd: ROOT, env: { ...process.env, DISCHARGERX_DEBUG: '' }, timeout: 60_000 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        res({ code, stdout, stderr });
      },
    );
  });
}

/** The CLI contract for failures: one line on stderr, no stack trace. */
function expectOneLineError(r: Run, code: number, ...parts: Array<string | RegExp>): void {
  expect(r.code, r.stderr).toBe(code);
  const lines = r.stderr.split('\n').filter((l) => l.trim() !== '');
  expect(lines, r.stderr).toHaveLength(1);
  expect(r.stderr).not.toMatch(/^\s+at /m);
  expect(r.stdout).toBe('');
  for (const p of parts) {
    if (typeof p === 'string') expect(lines[0]).toContain(p);
    else expect(lines[0]).toMatch(p);
  }
}

let dir: string;
const p = (name: string) => join(dir, name);

const gold = [
  { 就诊标识: 'v1', 出院诊断: '2型糖尿病', 现病史: '口服二甲双胍片、阿卡波糖片。', 出院带药列表: ['二甲双胍片', '阿卡波糖片', '阿托伐他汀钙片'] },
  { 就诊标识: 'v2', 出院诊断: ['高血压病2级'], 既往史: '服用苯磺酸氨氯地平片', 出院带药列表: '苯磺酸氨氯地平片' },
  { 就诊标识: 'v3', 出院诊断: ['甲状腺结节'], 出院带药列表: [] },
  { 就诊标识: 'v4', BMI: '27.1kg/m2', 出院带药列表: ['格列美脲片'] },
];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'dischargerx-cli-'));
  writeFileSync(p('candidates.json'), JSON.stringify(MINI_FORMULARY));
  writeFileSync(p('names.json'), JSON.stringify(MINI_FORMULARY.drugs.map((d) => d.name)));
  // BOM + CRLF JSONL
  writeFileSync(p('gold.jsonl'), '\uFEFF' + gold.map((g) => JSON.stringify(g)).join('\r\n') + '\r\n');
  writeFileSync(
    p('pred.json'),
    JSON.stringify([
      { ID: 'v1', prediction: ['盐酸二甲双胍缓释片', '阿卡波糖', '瑞格列奈'] },
      { ID: 'v2', prediction: ['氨氯地平'] },
      { ID: 'v3', prediction: [] },
      { ID: 'zz', prediction: ['二甲双胍'] },
    ]),
  );
  writeFileSync(p('empty.jsonl'), '\uFEFF\r\n');
  writeFileSync(p('badline.jsonl'), `${JSON.stringify(gold[0])}\n{"就诊标识": "v2", 出院带药列表: []}\n`);
  writeFileSync(p('noid.jsonl'), `${JSON.stringify(gold[0])}\n\n${JSON.stringify({ 主诉: '口干', 出院带药列表: [] })}\n`);
  writeFileSync(p('nolabel.jsonl'), `${JSON.stringify(gold[0])}\n${JSON.stringify({ 就诊标识: 'v9' })}\n`);
  // "糖尿病" in GBK on line 2
  writeFileSync(
    p('gbk.jsonl'),
    Buffer.concat([Buffer.from('{"就诊标识":"a"}\n{"就诊标识":"b","主诉":"'), Buffer.from([0xcc, 0xc7, 0xc4, 0xf2, 0xb2, 0xa1]), Buffer.from('"}\n')]),
  );
  writeFileSync(p('badpred.json'), JSON.stringify([{ ID: 'v1', prediction: ['二甲双胍'] }, { ID: 'v2', prediction: '阿卡波糖', extra: 1 }, { prediction: [] }]));
  writeFileSync(p('badcand.json'), '{"version": 1,');
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('evaluate CLI', () => {
  it('prints one JSON line with hand-computed metrics', async () => {
    const r = await run('evaluate', ['--gold', p('gold.jsonl'), '--pred', p('pred.json'), '--candidates', p('candidates.json')]);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const { exact, normalised, ...m } = JSON.parse(lines[0]!) as Record<string, number> & { exact: Record<string, number>; normalised: Record<string, number> };
    // Exact (official; the top-level keys): no predicted string equals a gold string except in
    // v3 (both empty → 1); v4: missing prediction → 0.
    expect(m).toEqual({ n: 4, jaccard: 0.25, precision: 0.25, recall: 0.25, f1: 0.25, score: 0.25, mean_pred: 1, mean_gold: 1.25, extra_ids: 1, missing_ids: 1 });
    expect(exact).toEqual({ jaccard: 0.25, precision: 0.25, recall: 0.25, f1: 0.25, score: 0.25, mean_pred: 1, mean_gold: 1.25 });
    // Normalised:
    // v1: G={二甲双胍,阿卡波糖,阿托伐他汀} P={二甲双胍,阿卡波糖,瑞格列奈(raw)}: J .5, P 2/3, R 2/3, F 2/3
    // v2: 苯磺酸氨氯地平片 = 氨氯地平 → 1; v3: both empty → 1; v4: missing prediction → 0
    expect(normalised).toMatchObject({ jaccard: 0.625, precision: 0.6667, recall: 0.6667, f1: 0.6667, score: 0.6458, mean_pred: 1, mean_gold: 1.25 });
    expect(r.stderr).toContain('1 predicted IDs are not in');
  });

  it('accepts a plain array of names as the candidate list', async () => {
    const r = await run('evaluate', ['--gold', p('gold.jsonl'), '--pred', p('pred.json'), '--candidates', p('names.json')]);
    expect(r.code, r.stderr).toBe(0);
    const m = JSON.parse(r.stdout) as Record<string, number>;
    expect(m['n']).toBe(4);
  });

  it('adds per-drug stats with --per-drug', async () => {
    const r = await run('evaluate', ['--gold', p('gold.jsonl'), '--pred', p('pred.json'), '--candidates', p('candidates.json'), '--per-drug']);
    const m = JSON.parse(r.stdout) as { per_drug: Array<{ name: string; support: number }> };
    expect(m.per_drug.find((d) => d.name === '二甲双胍')).toMatchObject({ support: 1, predicted: 1, tp: 1 });
  });

  it.each([
    [['--pred', 'x.json'], 2, 'missing required flag --gold'],
    [['--gold', 'g.jsonl', '--pred', 'p.json', '--bogus'], 2, /Unknown option '--bogus'/],
  ])('usage error %j', async (args, code, msg) => {
    expectOneLineError(await run('evaluate', args as string[]), code as number, msg as string | RegExp, 'usage:');
  });

  it('file not found', async () => {
    const r = await run('evaluate', ['--gold', p('nope.jsonl'), '--pred', p('pred.json'), '--candidates', p('candidates.json')]);
    expectOneLineError(r, 1, `${p('nope.jsonl')}: file not found`);
  });

  it('empty gold file', async () => {
    const r = await run('evaluate', ['--gold', p('empty.jsonl'), '--pred', p('pred.json'), '--candidates', p('candidates.json')]);
    expectOneLineError(r, 1, `${p('empty.jsonl')}: file is empty`);
  });

  it('malformed JSON line names the line', async () => {
    const r = await run('evaluate', ['--gold', p('badline.jsonl'), '--pred', p('pred.json'), '--candidates', p('candidates.json')]);
    expectOneLineError(r, 1, `${p('badline.jsonl')} line 2: invalid JSON`);
  });

  it('missing visit id names line and field', async () => {
    const r = await run('evaluate', ['--gold', p('noid.jsonl'), '--pred', p('pred.json'), '--candidates', p('candidates.json')]);
    expectOneLineError(r, 1, `${p('noid.jsonl')} line 3, field 就诊标识: missing visit id`);
  });

  it('gold record without a label', async () => {
    const r = await run('evaluate', ['--gold', p('nolabel.jsonl'), '--pred', p('pred.json'), '--candidates', p('candidates.json')]);
    expectOneLineError(r, 1, `${p('nolabel.jsonl')} line 2, field 出院带药列表`);
  });

  it('not UTF-8', async () => {
    const r = await run('evaluate', ['--gold', p('gbk.jsonl'), '--pred', p('pred.json'), '--candidates', p('candidates.json')]);
    expectOneLineError(r, 1, `${p('gbk.jsonl')} line 2: not valid UTF-8 (GBK? re-save as UTF-8)`);
  });

  it('bad submission element names element and field', async () => {
    const r = await run('evaluate', ['--gold', p('gold.jsonl'), '--pred', p('badpred.json'), '--candidates', p('candidates.json')]);
    expectOneLineError(r, 1, `${p('badpred.json')}[2], field ID: missing visit id`);
  });

  it('malformed candidate list', async () => {
    const r = await run('evaluate', ['--gold', p('gold.jsonl'), '--pred', p('pred.json'), '--candidates', p('badcand.json')]);
    expectOneLineError(r, 1, `${p('badcand.json')}`, 'invalid JSON');
  });
});

describe('predict CLI', () => {
  it('mention method writes a CHIP submission with candidate names only', async () => {
    const out = p('out/mention.json');
    const r = await run('predict', ['--in', p('gold.jsonl'), '--out', out, '--method', 'mention', '--candidates', p('candidates.json')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^predict: method=mention.*, 4 records, mean [\d.]+ drugs\/visit/m);
    expect(r.stderr).toContain('input is labelled: score');
    const sub = JSON.parse(readFileSync(out, 'utf8')) as Array<{ ID: string; prediction: string[] }>;
    expect(sub).toEqual([
      { ID: 'v1', prediction: ['二甲双胍', '阿卡波糖'] },
      { ID: 'v2', prediction: ['氨氯地平'] },
      { ID: 'v3', prediction: [] },
      { ID: 'v4', prediction: [] },
    ]);
    expect(readFileSync(out, 'utf8')).not.toContain('\\u');
    // and the result evaluates
    const e = await run('evaluate', ['--gold', p('gold.jsonl'), '--pred', out, '--candidates', p('candidates.json')]);
    expect(e.code, e.stderr).toBe(0);
    expect((JSON.parse(e.stdout) as { n: number }).n).toBe(4);
  });

  it('frequency and cooccurrence use --train', async () => {
    for (const method of ['frequency', 'cooccurrence']) {
      const out = p(`${method}.json`);
      const r = await run('predict', ['--in', p('gold.jsonl'), '--out', out, '--method', method, '--train', p('gold.jsonl'), '--candidates', p('candidates.json')]);
      expect(r.code, r.stderr).toBe(0);
      const sub = JSON.parse(readFileSync(out, 'utf8')) as Array<{ ID: string; prediction: string[] }>;
      expect(sub.map((e) => e.ID)).toEqual(['v1', 'v2', 'v3', 'v4']);
      const names = new Set(MINI_FORMULARY.drugs.map((d) => d.name));
      for (const e of sub) for (const n of e.prediction) expect(names.has(n)).toBe(true);
    }
  });

  it('passes --opt to the method', async () => {
    const out = p('k1.json');
    const r = await run('predict', ['--in', p('gold.jsonl'), '--out', out, '--method', 'frequency', '--train', p('gold.jsonl'), '--candidates', p('candidates.json'), '--opt', 'k=1']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('(k=1,');
    const sub = JSON.parse(readFileSync(out, 'utf8')) as Array<{ prediction: string[] }>;
    expect(sub.every((e) => e.prediction.length === 1)).toBe(true);
  });

  it.each([
    [['--in', 'a', '--out', 'b', '--method', 'cooccurrence'], 'method "cooccurrence" needs --train'],
    [['--in', 'a', '--out', 'b', '--method', 'frequency'], 'method "frequency" needs --train'],
    [['--in', 'a', '--out', 'b', '--method', 'magic'], 'unknown method "magic" (known: frequency, cooccurrence, mention, model)'],
    [['--in', 'a', '--method', 'mention'], 'missing required flag --out'],
    [['--in', 'a', '--out', 'b', '--method', 'mention', '--opt', 'k=2'], 'method "mention" has no option "k"'],
    [['--in', 'a', '--out', 'b', '--method', 'frequency', '--train', 't', '--opt', 'oops'], '--opt expects key=value'],
    [['stray'], /Unexpected argument 'stray'/],
  ])('usage error %j', async (args, msg) => {
    expectOneLineError(await run('predict', args as string[]), 2, msg as string | RegExp);
  });

  it('never overwrites an input, and refuses an unwritable --out before any work', async () => {
    const before = readFileSync(p('gold.jsonl'), 'utf8');
    expectOneLineError(await run('predict', ['--in', p('gold.jsonl'), '--out', p('gold.jsonl'), '--method', 'mention', '--candidates', p('candidates.json')]), 2, 'also an input file');
    expectOneLineError(await run('predict', ['--in', p('gold.jsonl'), '--out', p('candidates.json'), '--method', 'mention', '--candidates', p('candidates.json')]), 2, 'also an input file');
    expect(readFileSync(p('gold.jsonl'), 'utf8')).toBe(before);
    expectOneLineError(await run('predict', ['--in', p('gold.jsonl'), '--out', '/proc/nope/x.json', '--method', 'mention', '--candidates', p('candidates.json')]), 1, 'cannot write there');
  });

  it('data errors in --in and --train name file, line and field', async () => {
    const base = ['--out', p('x.json'), '--candidates', p('candidates.json')];
    expectOneLineError(await run('predict', ['--in', p('noid.jsonl'), '--method', 'mention', ...base]), 1, `${p('noid.jsonl')} line 3, field 就诊标识`);
    expectOneLineError(await run('predict', ['--in', p('gold.jsonl'), '--method', 'frequency', '--train', p('nolabel.jsonl'), ...base]), 1, `${p('nolabel.jsonl')} line 2, field 出院带药列表`);
    expectOneLineError(await run('predict', ['--in', p('missing.jsonl'), '--method', 'mention', ...base]), 1, 'file not found');
  });
});
