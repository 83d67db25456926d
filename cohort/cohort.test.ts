import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CDRUGRED_FIELDS } from '../src/clinical/record.ts';
import { generateCohort, type GeneratedVisit } from './generate.ts';
import { splitByPatient, toJsonl, SPLITS } from './split.ts';
import { DRUG_BY_NAME, classOf } from './drugs.ts';
import { FAMILIES } from './families.ts';
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
    for (const { record, latent } of visits) {
      const o = JSON.parse(toJsonl([record]));
      expect(Object.keys(o)).toEqual([...CDRUGRED_FIELDS]);
      for (const f of ['患者序号', '就诊标识', '性别', '出生日期', '民族', '就诊时间', '诊疗过程描述', '入院情况', '现病史', '既往史', '主诉'] as const) {
        expect(typeof o[f]).toBe('string');
      }
      // terse notes may leave 既往史/入院情况 empty and keep the others very short
      const terse = latent.styleFamily === 'terse';
      for (const f of ['诊疗过程描述', '入院情况', '现病史', '既往史', '主诉'] as const) {
        const min = !terse ? 4 : f === '既往史' || f === '入院情况' ? 0 : 2;
        expect(o[f].length).toBeGreaterThanOrEqual(min);
      }
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
    // half the doctors name most of the regimen they discharge on, half summarise it
    expect(st.mentionBaselineJaccard).toBeGreaterThan(0.3);
    expect(st.mentionBaselineJaccard).toBeLessThan(0.55);
    expect(st.oracleJaccard).toBeGreaterThan(st.mentionBaselineJaccard + 0.2);
    const f = st.families;
    expect(f.templated!.mentionJaccard).toBeLessThan(0.55);
    // an explicit plan is readable; class-level plans hide drug names
    expect(f['explicit-plan']!.mentionJaccard).toBeGreaterThan(f.templated!.mentionJaccard + 0.2);
    expect(f['class-plan']!.mentionJaccard).toBeLessThan(f.templated!.mentionJaccard);
    expect(st.distinctDrugs).toBeGreaterThan(150);
  });
});

describe('style families', () => {
  it('completeRecord: false is the seven-family cohort of earlier models: never draws it, keeps its shares (templated ~30%)', () => {
    const plain = generateCohort({ seed: 13, patients: 1500, completeRecord: false });
    expect(plain.some((v) => v.latent.styleFamily === 'complete-record')).toBe(false);
    const t = plain.filter((v) => v.latent.styleFamily === 'templated').length / plain.length;
    expect(t).toBeGreaterThan(0.25);
    expect(t).toBeLessThan(0.42);
  });

  const visits = generateCohort({ seed: 13, patients: 2500 });
  const byFam = (f: string) => visits.filter((v) => v.latent.styleFamily === f);
  /** A family whose note names the whole regimen: the named plan is the latent regimen and the label keeps it (minus light noise). */
  const expectPlanKept = (fam: readonly GeneratedVisit[]) => {
    expect(fam.length).toBeGreaterThan(100);
    let named = 0;
    let kept = 0;
    for (const { latent, record } of fam) {
      expect(new Set(latent.planNamed)).toEqual(new Set(latent.regimen));
      const L = new Set(record.出院带药列表);
      named += latent.planNamed.length;
      kept += latent.planNamed.filter((d) => L.has(d)).length;
    }
    expect(named).toBeGreaterThan(300);
    expect(kept / named).toBeGreaterThan(0.96);
  };

  it('every family is present; templated is the largest (~20%), none below 5%', () => {
    for (const f of FAMILIES) expect(byFam(f).length / visits.length).toBeGreaterThan(0.05);
    const t = byFam('templated').length / visits.length;
    for (const f of FAMILIES) expect(byFam(f).length / visits.length).toBeLessThanOrEqual(t);
    expect(t).toBeGreaterThan(0.16);
    expect(t).toBeLessThan(0.42);
  });

  it('the family is latent only: never written into the record', () => {
    for (const { record } of visits.slice(0, 300)) {
      const json = toJsonl([record]);
      for (const f of FAMILIES) if (f !== 'terse') expect(json).not.toContain(f);
    }
  });

  it('explicit-plan: the named plan is the latent regimen and the label keeps it (minus light noise)', () => {
    expectPlanKept(byFam('explicit-plan'));
    const documented = new Set(['explicit-plan', 'complete-record']);
    for (const v of visits) if (!documented.has(v.latent.styleFamily)) expect(v.latent.planNamed).toEqual([]);
  });

  it('complete-record: the note documents the regimen (every stop written; the label is what it documents, minus light noise)', () => {
    const cr = byFam('complete-record');
    expectPlanKept(cr);
    for (const { latent, record } of cr) for (const d of latent.stoppedForCause) expect(record.出院带药列表).not.toContain(d);
    const st = computeStats(visits, splitByPatient(visits, 3)).families;
    // a reader of the note's mentions gets close to the stated-plan family, far above a summarising note
    expect(st['complete-record']!.mentionJaccard).toBeGreaterThan(st.templated!.mentionJaccard + 0.2);
  });

  it('stop-switch: a drug written as stopped for cause is never in the label; scenarios follow the contraindication logic', () => {
    const ss = byFam('stop-switch');
    expect(ss.length).toBeGreaterThan(100);
    const kinds = new Set<string>();
    for (const { latent, record } of visits) {
      const L = record.出院带药列表!;
      for (const d of latent.stoppedForCause) expect(L).not.toContain(d);
      for (const d of latent.stoppedForCause) expect(latent.homeDrugs).toContain(d);
      if (!latent.scenario) continue;
      kinds.add(latent.scenario);
      const cls = L.map(classOf);
      switch (latent.scenario) {
        case 'met-renal':
          expect(latent.egfr).toBeLessThan(30);
          expect(latent.stoppedForCause).toContain('二甲双胍');
          expect(record.入院情况).toContain(String(latent.egfr));
          expect(L).not.toContain('二甲双胍');
          break;
        case 'hyperk':
          for (const c of ['ARB', 'ACEI', 'ARNI', 'MRA']) expect(cls).not.toContain(c);
          expect(record.诊疗过程描述).toMatch(/血钾[56]\.\dmmol\/L/);
          break;
        case 'allopurinol':
          expect(L).not.toContain('别嘌醇');
          expect(latent.stoppedForCause).toContain('别嘌醇');
          break;
        case 'gi-bleed':
          expect(L).not.toContain('阿司匹林');
          expect(latent.stoppedForCause).toContain('阿司匹林');
          break;
        case 'acei-cough':
          expect(cls).not.toContain('ACEI');
          break;
        case 'sulfa':
          expect(latent.allergies).toContain('磺胺类');
          expect(cls).not.toContain('SU');
          break;
      }
    }
    expect(kinds.size).toBe(6);
    // allopurinol stopped for cause → febuxostat instead in most visits that keep urate lowering
    const allo = ss.filter((v) => v.latent.scenario === 'allopurinol');
    expect(allo.filter((v) => v.record.出院带药列表!.includes('非布司他')).length).toBeGreaterThan(allo.length * 0.6);
    // a stop written in the course is in the text
    for (const { latent, record } of ss.slice(0, 200)) if (latent.stoppedForCause.length) expect(record.诊疗过程描述).toMatch(/停|改为|换用/);
  });
});

describe('cli/cohort.ts', () => {
  const run = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'cli/cohort.ts', ...args], { cwd: ROOT, encoding: 'utf8' });

  it('an --out that cannot be created fails at once with one line, before generating (no hang on /proc)', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'cli/cohort.ts', '--patients', '50', '--out', '/proc/nope/cohort'], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('cannot write there');
  });

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

  it('--hold-out-family removes the family from train/dev, writes holdout.jsonl and families.json; same seed → identical files', () => {
    const dirs = [mkdtempSync(join(tmpdir(), 'cohort-')), mkdtempSync(join(tmpdir(), 'cohort-'))];
    try {
      for (const d of dirs) expect(run(['--seed', '9', '--patients', '400', '--out', d, '--hold-out-family', 'terse']).status).toBe(0);
      for (const f of ['train.jsonl', 'dev.jsonl', 'test.jsonl', 'holdout.jsonl', 'families.json'])
        expect(readFileSync(join(dirs[1]!, f), 'utf8')).toBe(readFileSync(join(dirs[0]!, f), 'utf8'));
      const dir = dirs[0]!;
      const fam = JSON.parse(readFileSync(join(dir, 'families.json'), 'utf8')) as Record<string, string>;
      const ids = (f: string) => readFileSync(join(dir, f), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l).就诊标识 as string);
      const truth = new Map(generateCohort({ seed: 9, patients: 400 }).map((v) => [v.record.就诊标识, v.latent.styleFamily]));
      for (const k of ['train.jsonl', 'dev.jsonl', 'test.jsonl']) for (const id of ids(k)) expect(fam[id]).toBe(truth.get(id));
      for (const k of ['train.jsonl', 'dev.jsonl']) for (const id of ids(k)) expect(fam[id]).not.toBe('terse');
      const test = new Set(ids('test.jsonl'));
      const ho = ids('holdout.jsonl');
      expect(ho.length).toBeGreaterThan(5);
      for (const id of ho) expect(test.has(id) && fam[id] === 'terse').toBe(true);
      expect(ho.length).toBe([...test].filter((id) => fam[id] === 'terse').length);
      expect(Object.keys(fam).length).toBe(ids('train.jsonl').length + ids('dev.jsonl').length + test.size);
    } finally {
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    }
  });

  it('rejects bad arguments with one line and exit code 2', () => {
    for (const args of [['--patients', 'abc', '--out', '/tmp/x'], ['--bogus'], ['--seed', '1'], ['--patients', '0', '--out', '/tmp/x'], ['--hold-out-family', 'nope', '--out', '/tmp/x']]) {
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
