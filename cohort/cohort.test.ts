import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CDRUGRED_FIELDS } from '../src/clinical/record.ts';
import { generateCohort } from './generate.ts';
import { splitByPatient, toJsonl, SPLITS } from './split.ts';
import { DRUG_BY_NAME } from './drugs.ts';
import { computeStats } from './stats.ts';

const ROOT = resolve(import.meta.dirname, '..');
const jsonl = (seed: number, patients: number) => {
  const v = generateCohort({ seed, patients });
  const s = splitByPatient(v, seed);
  return SPLITS.map((k) => toJsonl(s[k].map((x) => x.record))).join('\u0000');
};

describe('determinism', () => {
  it('same seed gives byte-identical output, different seed differs', () => {
    const a = jsonl(7, 120);
    const b = jsonl(7, 120);
    expect(a).toBe(b);
    expect(jsonl(8, 120)).not.toBe(a);
  });
});

describe('split', () => {
  it('is patient-disjoint with a 6:1:3 ratio', () => {
    const v = generateCohort({ seed: 11, patients: 1000 });
    const s = splitByPatient(v, 11);
    const pids = SPLITS.map((k) => new Set(s[k].map((x) => x.record.患者序号)));
    expect(pids[0]!.size).toBe(600);
    expect(pids[1]!.size).toBe(100);
    expect(pids[2]!.size).toBe(300);
    for (const p of pids[0]!) expect(pids[1]!.has(p) || pids[2]!.has(p)).toBe(false);
    for (const p of pids[1]!) expect(pids[2]!.has(p)).toBe(false);
    expect(s.train.length + s.dev.length + s.test.length).toBe(v.length);
  });
});

describe('records', () => {
  const visits = generateCohort({ seed: 3, patients: 1500 });

  it('have exactly the 14 fields with the right types, and no latent state', () => {
    const ids = new Set<string>();
    for (const { record } of visits) {
      const o = JSON.parse(toJsonl([record]));
      expect(Object.keys(o)).toEqual([...CDRUGRED_FIELDS]);
      for (const f of ['患者序号', '就诊标识', '性别', '出生日期', '民族', '就诊时间', '诊疗过程描述', '入院情况', '现病史', '既往史', '主诉'] as const) {
        expect(typeof o[f]).toBe('string');
      }
      for (const f of ['诊疗过程描述', '入院情况', '现病史', '既往史', '主诉'] as const) expect(o[f].length).toBeGreaterThan(3);
      expect(o.BMI === null || typeof o.BMI === 'number').toBe(true);
      expect(Array.isArray(o.出院诊断) && o.出院诊断.length > 0).toBe(true);
      expect(o.出院诊断.every((d: unknown) => typeof d === 'string')).toBe(true);
      expect(Array.isArray(o.出院带药列表)).toBe(true);
      expect(new Set(o.出院带药列表).size).toBe(o.出院带药列表.length);
      expect(o.出生日期).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(o.就诊时间 >= '2019-01-01' && o.就诊时间 <= '2024-12-31').toBe(true);
      expect(ids.has(o.就诊标识)).toBe(false);
      ids.add(o.就诊标识);
    }
  });

  it('label sizes are sane, mean 5–7, and names come from the drug table (never inpatient-only)', () => {
    let sum = 0;
    for (const { record } of visits) {
      const L = record.出院带药列表!;
      expect(L.length).toBeLessThanOrEqual(22);
      sum += L.length;
      for (const d of L) {
        expect(DRUG_BY_NAME.has(d)).toBe(true);
        expect(DRUG_BY_NAME.get(d)!.inpatientOnly).toBe(false);
      }
    }
    const mean = sum / visits.length;
    expect(mean).toBeGreaterThan(5);
    expect(mean).toBeLessThan(7);
  });

  it('keeps ages consistent across a patient\'s visits and has multi-visit patients', () => {
    const byP = new Map<string, typeof visits>();
    for (const v of visits) byP.set(v.record.患者序号, [...(byP.get(v.record.患者序号) ?? []), v]);
    const mean = visits.length / byP.size;
    expect(mean).toBeGreaterThan(1.25);
    expect(mean).toBeLessThan(1.7);
    for (const vs of byP.values()) {
      expect(new Set(vs.map((v) => v.record.出生日期)).size).toBe(1);
      expect(new Set(vs.map((v) => v.record.性别)).size).toBe(1);
      for (let i = 1; i < vs.length; i++) expect(vs[i]!.record.就诊时间 > vs[i - 1]!.record.就诊时间).toBe(true);
    }
  });

  it('respects contraindications', () => {
    let lowEgfr = 0;
    for (const { record, latent } of visits) {
      const L = record.出院带药列表!;
      if (latent.egfr < 30) {
        lowEgfr++;
        expect(L).not.toContain('二甲双胍');
      }
      if (latent.pregnant) for (const d of ['阿托伐他汀', '瑞舒伐他汀', '二甲双胍', '厄贝沙坦', '缬沙坦']) expect(L).not.toContain(d);
      if (latent.allergies.includes('磺胺类')) for (const d of ['格列美脲', '格列齐特', '格列吡嗪', '格列喹酮']) expect(L).not.toContain(d);
      if (latent.allergies.includes('阿司匹林')) expect(L).not.toContain('阿司匹林');
    }
    expect(lowEgfr).toBeGreaterThan(10);
  });

  it('is hard for a mention baseline but learnable (oracle ceiling well above it)', () => {
    const st = computeStats(visits, splitByPatient(visits, 3));
    expect(st.mentionBaselineJaccard).toBeGreaterThan(0.15);
    expect(st.mentionBaselineJaccard).toBeLessThan(0.4);
    expect(st.oracleJaccard).toBeGreaterThan(st.mentionBaselineJaccard + 0.25);
    expect(st.distinctDrugs).toBeGreaterThan(150);
  });
});

describe('cli/cohort.ts', () => {
  const run = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'cli/cohort.ts', ...args], { cwd: ROOT, encoding: 'utf8' });

  it('writes three JSONL files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cohort-'));
    try {
      const r = run(['--seed', '5', '--patients', '60', '--out', dir, '--stats']);
      expect(r.status).toBe(0);
      expect(r.stdout).toContain('oracle');
      let total = 0;
      for (const k of ['train', 'dev', 'test']) {
        const f = join(dir, `${k}.jsonl`);
        expect(existsSync(f)).toBe(true);
        const text = readFileSync(f, 'utf8');
        const lines = text.split('\n').filter(Boolean);
        lines.forEach((l) => JSON.parse(l));
        total += lines.length;
      }
      expect(total).toBeGreaterThan(60);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects bad arguments with one line and exit code 2', () => {
    for (const args of [['--patients', 'abc', '--out', '/tmp/x'], ['--bogus'], ['--seed', '1'], ['--patients', '0', '--out', '/tmp/x']]) {
      const r = run(args);
      expect(r.status).toBe(2);
      const err = r.stderr.trim().split('\n').filter((l) => !l.includes('npm warn'));
      expect(err.length).toBe(1);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });
});

describe('formulary alignment', () => {
  const path = join(ROOT, 'src/clinical/data/formulary.json');
  it.skipIf(!existsSync(path))('every dischargeable drug name is a canonical formulary name', () => {
    const f = JSON.parse(readFileSync(path, 'utf8')) as { drugs: Array<{ name: string }> };
    const names = new Set(f.drugs.map((d) => d.name));
    const missing = [...DRUG_BY_NAME.values()].filter((d) => !d.inpatientOnly && !names.has(d.name)).map((d) => d.name);
    expect(missing).toEqual([]);
  });
});
