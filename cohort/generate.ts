/**
 * Orchestrates one synthetic cohort: patients → visits → latent state → regimen → labels → prose.
 * Returns records plus the latent state (for tests and the oracle ceiling; never serialised).
 */
import type { CDrugRedRecord } from '../src/clinical/record.ts';
import { Rng, modalChooser, samplingChooser } from './rng.ts';
import { makeDoctors } from './doctors.ts';
import { makePatient, makeVisitState, dayToIso, DAY0_2019, DAY_END_2024, type VisitState } from './patient.ts';
import { makeLabs, type Labs } from './labs.ts';
import { applyLabelNoise, dischargeRegimen, firstHomeRegimen } from './regimen.ts';
import { inpatientPlan, isDmDrug } from './prose.ts';
import { applyScenario, applyScenarioLabs, drawFamily, writeVisitText, type ScenarioKind, type StyleFamily } from './families.ts';

export const DEFAULT_SEED = 20251;
export const DEFAULT_PATIENTS = 36000;
export const N_DOCTORS = 40;
/** How strongly prescribers follow the modal decision (1 = plain probabilities). */
export const SHARPNESS = 2;

export interface Latent {
  patientId: string;
  visitIndex: number;
  egfr: number;
  conditions: string[];
  doctorId: number;
  hba1c: number | null;
  pregnant: boolean;
  allergies: string[];
  homeDrugs: string[];
  /** Regimen before label noise (the sampled latent logic). */
  regimen: string[];
  /** Regimen with modal decisions and no noise: what an oracle of the latent logic would predict. */
  oracle: string[];
  /** Documentation style family of the note (never written into the record). */
  styleFamily: StyleFamily;
  /** stop-switch: the stop-for-cause scenario imposed on the visit, if any. */
  scenario: ScenarioKind | null;
  /** explicit-plan: drugs the note names as the discharge plan (the label follows them). */
  planNamed: string[];
  /** Home drugs the note writes as stopped/switched with a cause (never in the label). */
  stoppedForCause: string[];
}

export interface GeneratedVisit {
  record: CDrugRedRecord;
  latent: Latent;
}

export interface CohortOptions {
  seed: number;
  patients: number;
  /**
   * Draw the complete-record family too (families.ts; default on, the shipped model's cohort).
   * false = the seven-family cohort of the models shipped before it (train sha256 e44475f4…).
   */
  completeRecord?: boolean;
}

function visitId(rng: Rng, used: Set<string>): string {
  for (;;) {
    let h = '';
    for (let i = 0; i < 4; i++) h += rng.u32().toString(16).padStart(8, '0');
    const id = h.slice(0, 24);
    if (!used.has(id)) {
      used.add(id);
      return id;
    }
  }
}

export function generateCohort(opts: CohortOptions): GeneratedVisit[] {
  const { seed, patients, completeRecord = true } = opts;
  const doctors = makeDoctors(seed, N_DOCTORS);
  const out: GeneratedVisit[] = [];
  const usedIds = new Set<string>();
  for (let i = 0; i < patients; i++) {
    const rng = new Rng(seed, 'patient', i);
    const pid = String(1000000 + ((i * 7919 + (seed % 9000000)) % 9000000));
    const nVisits = rng.weighted([1, 2, 3, 4, 5], [0.64, 0.21, 0.09, 0.04, 0.02]);
    const firstDay = DAY0_2019 + Math.floor(Math.pow(rng.next(), 1.4) * (DAY_END_2024 - 60 - DAY0_2019));
    const patient = makePatient(rng, i, pid, firstDay);
    let day = firstDay;
    let prev: VisitState | null = null;
    let prevLabels: string[] = [];
    let doctorId = rng.int(0, N_DOCTORS - 1);
    for (let v = 0; v < nVisits; v++) {
      if (v > 0) {
        day += rng.int(60, 800);
        if (day > DAY_END_2024) break;
        if (!rng.chance(0.5)) doctorId = rng.int(0, N_DOCTORS - 1);
      }
      const vr = new Rng(seed, 'visit', i, v);
      // home drugs: previous discharge regimen minus some non-adherence
      let home: string[] = [];
      if (v > 0) home = prevLabels.filter((d) => !vr.chance(0.1));
      const s = makeVisitState(vr, patient, v, day, prev, doctorId, home);
      if (v === 0) s.homeDrugs = firstHomeRegimen(vr, s, { egfr: s.egfr });
      const doc = doctors[doctorId]!;
      let family = drawFamily(seed, doctorId, i, v, completeRecord);
      const sr = new Rng(seed, 'scenario', i, v);
      const scenario = family === 'stop-switch' ? applyScenario(sr, s, doc) : null;
      const labs: Labs = makeLabs(vr, s, s.homeDrugs.filter(isDmDrug).length);
      applyScenarioLabs(sr, scenario, labs);
      const plan = inpatientPlan(vr, s);
      const input = { s, labs, doc, zoledronate: plan.zoledronate };
      const reg = dischargeRegimen(input, samplingChooser(new Rng(seed, 'regimen', i, v), SHARPNESS));
      const oracle = dischargeRegimen(input, modalChooser).drugs;
      const stopped = reg.changes.filter((c) => c.kind === 'stop').map((c) => c.drug);
      if (family === 'stop-switch' && !scenario && stopped.length === 0) family = 'templated';
      const noise = family === 'explicit-plan' || family === 'complete-record' ? { drop: 0.015, extra: 0.04 } : {};
      const labels = applyLabelNoise(new Rng(seed, 'noise', i, v), reg.drugs, s, labs, { ...noise, exclude: new Set(stopped) });
      const pr = new Rng(seed, 'prose', i, v);
      const txt = writeVisitText(pr, { family, scenario, s, labs, reg, doc, plan });
      const record: CDrugRedRecord = {
        患者序号: pid,
        就诊标识: visitId(vr, usedIds),
        性别: patient.sex,
        出生日期: dayToIso(patient.birthDay),
        民族: patient.ethnicity,
        BMI: s.bmiRecorded ? s.bmi : null,
        就诊时间: dayToIso(day),
        诊疗过程描述: txt.诊疗过程描述,
        入院情况: txt.入院情况,
        现病史: txt.现病史,
        既往史: txt.既往史,
        主诉: txt.主诉,
        出院诊断: txt.出院诊断,
        出院带药列表: labels,
      };
      out.push({
        record,
        latent: {
          patientId: pid,
          visitIndex: v,
          egfr: s.egfr,
          conditions: [...s.cond].sort(),
          doctorId,
          hba1c: labs.hba1c,
          pregnant: s.cond.has('PREG'),
          allergies: [...patient.allergies],
          homeDrugs: [...s.homeDrugs],
          regimen: reg.drugs,
          oracle,
          styleFamily: family,
          scenario,
          planNamed: txt.planNamed,
          stoppedForCause: txt.stoppedForCause,
        },
      });
      prev = s;
      prevLabels = labels;
    }
  }
  return out;
}
