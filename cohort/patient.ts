/**
 * Patient / condition model: demographics, chronic conditions, per-visit acute events and the
 * evolution between visits (ageing, eGFR decline, new conditions). Pure latent state — no prose.
 */
import { Rng } from './rng.ts';

export type Cond =
  | 'T2DM' | 'T1DM' | 'HTN' | 'DYSLIP' | 'HU' | 'GOUT' | 'GOUT_FLARE' | 'NAFLD' | 'CHD' | 'RECENT_PCI'
  | 'STROKE' | 'HF' | 'AF' | 'DKD' | 'DPN' | 'PAINFUL_DPN' | 'DR' | 'PAD' | 'FOOT_ULCER' | 'CAROTID'
  | 'HYPOTHYROID' | 'HYPERTHYROID' | 'HASHIMOTO' | 'NODULE' | 'OSTEO' | 'OBESITY' | 'GASTRITIS'
  | 'UTI' | 'PNEUMONIA' | 'DKA' | 'HYPOGLY' | 'BPH' | 'INSOMNIA' | 'ANXIETY' | 'COPD' | 'HYPOK'
  | 'VITD_DEF' | 'VERTIGO' | 'PREG' | 'GI_BLEED_HX';

export type Allergy = '磺胺类' | '青霉素' | '头孢类' | '阿司匹林' | '碘造影剂' | '链霉素' | '磺脲类';

export interface Patient {
  pid: string;
  index: number;
  sex: '男' | '女';
  birthDay: number; // days since 1900-01-01 (UTC)
  ethnicity: string;
  heightM: number;
  dm: 'T2' | 'T1' | 'none';
  dmOnsetYear: number;
  htnOnsetYear: number;
  allergies: Allergy[];
  /** Drugs (class keys) the patient does not tolerate: MET (GI), STATIN (myalgia), SGLT2 (genital infection). */
  intolerances: string[];
  surgeries: string[];
  smoker: boolean;
  drinker: boolean;
  /** Chronic conditions; the per-visit set is derived from this plus acute events. */
  chronic: Set<Cond>;
  /** Latent glycaemic control tendency (higher = worse). */
  controlBias: number;
  egfrBase: number;
  baseBmi: number;
}

export interface VisitState {
  patient: Patient;
  visitIndex: number;
  day: number; // days since 1900-01-01
  year: number;
  age: number;
  cond: Set<Cond>;
  egfr: number;
  bmi: number;
  bmiRecorded: boolean;
  admitReason: AdmitReason;
  doctorId: number;
  homeDrugs: string[];
  /** Drugs the patient had stopped before admission by themselves or on advice (prose only). */
  priorStopped: Array<{ drug: string; reason: string }>;
  htnGrade: 0 | 1 | 2 | 3;
  /** Visit-level stops for cause (stop-switch family): matching drugs are contraindicated with `reason`. */
  forced?: Array<{ names?: string[]; classes?: string[]; reason: string }>;
}

export type AdmitReason =
  | 'dm_control' | 'dm_new' | 'dka' | 'hypogly' | 'dm_complication' | 'foot' | 'infection'
  | 'thyroid' | 'gout' | 'osteo' | 'htn' | 'obesity' | 'hypok';

const ETHNIC = ['汉族', '回族', '满族', '蒙古族', '壮族', '朝鲜族', '土家族', '苗族', '维吾尔族', '彝族'];
const ETHNIC_W = [90, 3, 2.5, 1.5, 1, 0.7, 0.5, 0.4, 0.3, 0.3];

export const DAY0_2019 = daysFrom1900(2019, 1, 1);
export const DAY_END_2024 = daysFrom1900(2024, 12, 31);

export function daysFrom1900(y: number, m: number, d: number): number {
  return Math.round((Date.UTC(y, m - 1, d) - Date.UTC(1900, 0, 1)) / 86400000);
}
export function dayToIso(day: number): string {
  return new Date(Date.UTC(1900, 0, 1) + day * 86400000).toISOString().slice(0, 10);
}
export function dayToYear(day: number): number {
  return new Date(Date.UTC(1900, 0, 1) + day * 86400000).getUTCFullYear();
}
export function ageAt(birthDay: number, day: number): number {
  const b = new Date(Date.UTC(1900, 0, 1) + birthDay * 86400000);
  const v = new Date(Date.UTC(1900, 0, 1) + day * 86400000);
  let a = v.getUTCFullYear() - b.getUTCFullYear();
  if (v.getUTCMonth() < b.getUTCMonth() || (v.getUTCMonth() === b.getUTCMonth() && v.getUTCDate() < b.getUTCDate())) a--;
  return a;
}

const clamp = (x: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, x));

/** Creates a patient "as of" his first visit day. */
export function makePatient(rng: Rng, index: number, pid: string, firstDay: number): Patient {
  const dmRoll = rng.next();
  const dm: Patient['dm'] = dmRoll < 0.81 ? 'T2' : dmRoll < 0.86 ? 'T1' : 'none';
  const sex: Patient['sex'] = rng.chance(dm === 'T2' ? 0.57 : 0.48) ? '男' : '女';
  let age: number;
  if (dm === 'T1') age = clamp(Math.round(rng.normal(36, 13)), 18, 78);
  else if (dm === 'T2') age = clamp(Math.round(62 - Math.abs(rng.normal(0, 1)) * 4 + rng.normal(0, 11)), 25, 90);
  else age = clamp(Math.round(rng.normal(52, 16)), 20, 88);
  const birthDay = firstDay - age * 365 - rng.int(0, 364);
  const year = dayToYear(firstDay);
  const dmDur = dm === 'none' ? 0 : dm === 'T1' ? rng.int(0, Math.max(0, age - 12)) : clamp(Math.round(Math.abs(rng.normal(0, 9))), 0, age - 22);
  const chronic = new Set<Cond>();
  if (dm === 'T2') chronic.add('T2DM');
  if (dm === 'T1') chronic.add('T1DM');
  const old = (age - 25) / 65; // 0..1
  const baseBmi = clamp(dm === 'T1' ? rng.normal(22, 2.8) : rng.normal(dm === 'none' ? 25 : 26, 3.6), 16, 42);
  const obese = baseBmi >= 28;
  const add = (c: Cond, p: number) => {
    if (rng.chance(clamp(p, 0, 0.98))) chronic.add(c);
  };
  add('HTN', dm === 'T1' ? 0.15 : 0.25 + 0.55 * old + (obese ? 0.12 : 0));
  add('DYSLIP', dm === 'none' ? 0.35 : 0.5 + (obese ? 0.1 : 0));
  add('HU', 0.16 + (sex === '男' ? 0.07 : 0) + (obese ? 0.08 : 0));
  if (chronic.has('HU')) add('GOUT', 0.4);
  add('NAFLD', 0.18 + (obese ? 0.3 : 0) - (dm === 'T1' ? 0.12 : 0));
  const ascvdRisk = dm === 'T1' ? 0.03 : 0.02 + 0.35 * old * old + (chronic.has('HTN') ? 0.05 : 0) + (sex === '男' ? 0.04 : 0);
  add('CHD', ascvdRisk);
  if (chronic.has('CHD')) add('RECENT_PCI', 0.22);
  add('STROKE', ascvdRisk * 0.55);
  add('HF', 0.015 + 0.08 * old * old + (chronic.has('CHD') ? 0.1 : 0));
  add('AF', 0.01 + 0.05 * old * old);
  add('CAROTID', dm === 'none' ? 0.2 : 0.25 + 0.4 * old);
  if (dm !== 'none') {
    const durF = clamp(dmDur / 15, 0, 1.2);
    add('DPN', 0.12 + 0.4 * durF);
    if (chronic.has('DPN')) add('PAINFUL_DPN', 0.2);
    add('DR', 0.05 + 0.3 * durF);
    add('DKD', 0.06 + 0.3 * durF);
    add('PAD', 0.03 + 0.15 * durF * old + (rng.chance(0.2) ? 0.05 : 0));
  }
  add('HYPOTHYROID', sex === '女' ? 0.08 : 0.025);
  add('HASHIMOTO', sex === '女' ? 0.07 : 0.015);
  if (!chronic.has('HYPOTHYROID')) add('HYPERTHYROID', sex === '女' ? 0.035 : 0.012);
  add('NODULE', 0.2);
  add('OSTEO', sex === '女' ? (age >= 55 ? 0.3 : 0.04) : age >= 70 ? 0.12 : 0.02);
  if (obese) chronic.add('OBESITY');
  add('GASTRITIS', 0.12);
  add('GI_BLEED_HX', 0.015);
  if (sex === '男') add('BPH', age >= 60 ? 0.18 : 0.02);
  add('INSOMNIA', 0.07);
  add('ANXIETY', 0.035);
  add('COPD', 0.01 + 0.05 * old);
  add('VERTIGO', 0.03);
  add('VITD_DEF', 0.12);
  // eGFR: age + diabetes duration + DKD; ~25% below 60.
  let egfr = 114 - 0.95 * (age - 20) + rng.normal(0, 14);
  if (chronic.has('DKD')) egfr -= Math.abs(rng.normal(26, 24));
  if (chronic.has('HTN')) egfr -= rng.uniform(0, 8);
  if (chronic.has('HF')) egfr -= rng.uniform(0, 15);
  egfr = clamp(egfr, 6, 140);
  const allergies: Allergy[] = [];
  const allergyPool: Allergy[] = ['磺胺类', '青霉素', '头孢类', '阿司匹林', '碘造影剂', '链霉素', '磺脲类'];
  const allergyP = [0.035, 0.06, 0.02, 0.01, 0.01, 0.01, 0.005];
  allergyPool.forEach((a, i) => {
    if (rng.chance(allergyP[i] ?? 0)) allergies.push(a);
  });
  const intolerances: string[] = [];
  if (rng.chance(0.06)) intolerances.push('MET');
  if (rng.chance(0.025)) intolerances.push('STATIN');
  if (rng.chance(0.02)) intolerances.push('SGLT2');
  const surgeries: string[] = [];
  const surgPool = ['阑尾切除术', '胆囊切除术', '剖宫产术', '子宫肌瘤切除术', '白内障手术', '腰椎间盘手术', '甲状腺部分切除术', '痔疮手术', '疝修补术', '骨折内固定术'];
  if (rng.chance(0.3)) {
    let s = rng.pick(surgPool);
    if (sex === '男' && (s === '剖宫产术' || s === '子宫肌瘤切除术')) s = '阑尾切除术';
    surgeries.push(s);
  }
  if (chronic.has('RECENT_PCI') || (chronic.has('CHD') && rng.chance(0.3))) surgeries.push('PCI');
  return {
    pid,
    index,
    sex,
    birthDay,
    ethnicity: rng.weighted(ETHNIC, ETHNIC_W),
    heightM: clamp(rng.normal(sex === '男' ? 1.7 : 1.58, 0.06), 1.45, 1.92),
    dm,
    dmOnsetYear: year - dmDur,
    htnOnsetYear: year - rng.int(1, 25),
    allergies,
    intolerances,
    surgeries,
    smoker: rng.chance(sex === '男' ? 0.35 : 0.03),
    drinker: rng.chance(sex === '男' ? 0.3 : 0.02),
    chronic,
    controlBias: rng.normal(0, 1),
    egfrBase: egfr,
    baseBmi,
  };
}

/** Per-visit state: ageing, progression, acute events, admission reason. */
export function makeVisitState(
  rng: Rng,
  p: Patient,
  visitIndex: number,
  day: number,
  prev: VisitState | null,
  doctorId: number,
  homeDrugs: string[],
): VisitState {
  const age = ageAt(p.birthDay, day);
  const cond = new Set<Cond>(p.chronic);
  let egfr = p.egfrBase;
  if (prev) {
    const years = (day - prev.day) / 365;
    egfr = prev.egfr - years * (cond.has('DKD') ? rng.uniform(2, 7) : rng.uniform(0, 2.5)) + rng.normal(0, 3);
    // progression: new chronic conditions between visits
    const maybe = (c: Cond, pr: number) => {
      if (!p.chronic.has(c) && rng.chance(pr * years)) p.chronic.add(c), cond.add(c);
    };
    maybe('DPN', 0.06);
    maybe('DKD', 0.04);
    maybe('DR', 0.03);
    maybe('HTN', 0.04);
    maybe('CHD', 0.02);
    maybe('DYSLIP', 0.05);
    maybe('HU', 0.03);
  }
  egfr = clamp(Math.round(egfr * 10) / 10, 5, 140);
  const dmAny = p.dm !== 'none';
  // acute events of this admission
  if (cond.has('GOUT') && rng.chance(0.25)) cond.add('GOUT_FLARE');
  if (rng.chance(p.sex === '女' ? 0.08 : 0.035) && dmAny) cond.add('UTI');
  if (rng.chance(0.02 + (age > 70 ? 0.05 : 0))) cond.add('PNEUMONIA');
  if (p.dm === 'T1' && rng.chance(0.22)) cond.add('DKA');
  if (p.dm === 'T2' && rng.chance(0.025)) cond.add('DKA');
  if (dmAny && rng.chance(0.05)) cond.add('HYPOGLY');
  if (cond.has('PAD') && rng.chance(0.25)) cond.add('FOOT_ULCER');
  if (rng.chance(0.05)) cond.add('HYPOK');
  if (p.sex === '女' && age >= 22 && age <= 40 && dmAny && rng.chance(0.05)) cond.add('PREG');
  // admission reason
  let admitReason: AdmitReason;
  if (cond.has('DKA')) admitReason = 'dka';
  else if (cond.has('HYPOGLY') && rng.chance(0.6)) admitReason = 'hypogly';
  else if (cond.has('FOOT_ULCER')) admitReason = 'foot';
  else if (dmAny) {
    const newDx = visitIndex === 0 && new Date(Date.UTC(1900, 0, 1) + day * 86400000).getUTCFullYear() - p.dmOnsetYear <= 0;
    if (newDx) admitReason = 'dm_new';
    else
      admitReason = rng.weighted<AdmitReason>(
        ['dm_control', 'dm_complication', 'infection', 'thyroid', 'gout', 'osteo', 'htn'],
        [
          70,
          cond.has('DPN') || cond.has('DKD') || cond.has('DR') ? 18 : 0,
          cond.has('UTI') || cond.has('PNEUMONIA') ? 25 : 0,
          cond.has('HYPERTHYROID') || cond.has('HYPOTHYROID') ? 5 : 0,
          cond.has('GOUT_FLARE') ? 8 : 0,
          cond.has('OSTEO') ? 3 : 0,
          cond.has('HTN') ? 3 : 0,
        ],
      );
  } else {
    const opts: AdmitReason[] = [];
    if (cond.has('HYPERTHYROID') || cond.has('HYPOTHYROID') || cond.has('HASHIMOTO')) opts.push('thyroid', 'thyroid');
    if (cond.has('GOUT')) opts.push('gout');
    if (cond.has('OSTEO')) opts.push('osteo', 'osteo');
    if (cond.has('OBESITY')) opts.push('obesity');
    if (cond.has('HYPOK')) opts.push('hypok');
    if (cond.has('HTN')) opts.push('htn');
    if (opts.length === 0) {
      // A non-diabetic metabolic admission always has a metabolic reason: give one.
      const r = rng.weighted<Cond>(['HYPOTHYROID', 'HYPERTHYROID', 'OSTEO', 'GOUT', 'OBESITY'], [3, 3, 2, 2, 1]);
      p.chronic.add(r);
      cond.add(r);
      if (r === 'GOUT') p.chronic.add('HU'), cond.add('HU');
      opts.push(r === 'HYPOTHYROID' || r === 'HYPERTHYROID' ? 'thyroid' : r === 'OSTEO' ? 'osteo' : r === 'GOUT' ? 'gout' : 'obesity');
    }
    admitReason = rng.pick(opts);
    if (admitReason === 'gout') cond.add('GOUT_FLARE');
  }
  if (admitReason === 'thyroid' && !cond.has('HYPERTHYROID') && !cond.has('HYPOTHYROID')) cond.add('HYPOTHYROID');
  const bmi = clamp(Math.round((p.baseBmi + rng.normal(0, 0.6) - (admitReason === 'dm_new' ? 1 : 0)) * 100) / 100, 15, 45);
  const htnGrade: VisitState['htnGrade'] = cond.has('HTN') ? (rng.weighted([1, 2, 3], [0.3, 0.35, 0.35]) as 1 | 2 | 3) : 0;
  return {
    patient: p,
    visitIndex,
    day,
    year: dayToYear(day),
    age,
    cond,
    egfr,
    bmi,
    bmiRecorded: rng.chance(0.9),
    admitReason,
    doctorId,
    homeDrugs,
    priorStopped: [],
    htnGrade,
  };
}

export const hasAscvd = (s: VisitState) => s.cond.has('CHD') || s.cond.has('STROKE') || s.cond.has('PAD');
export const isDiabetic = (s: VisitState) => s.cond.has('T2DM') || s.cond.has('T1DM');
