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
import { admissionStatus, chiefComplaint, courseText, diagnoses, inpatientPlan, isDmDrug, pastHistory, presentIllness } from './prose.ts';

export const DEFAULT_SEED = 20251;
export const DEFAULT_PATIENTS = 8500;
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
}

export interface GeneratedVisit {
  record: CDrugRedRecord;
  latent: Latent;
}

export interface CohortOptions {
  seed: number;
  patients: number;
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
  const { seed, patients } = opts;
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
      const labs: Labs = makeLabs(vr, s, s.homeDrugs.filter(isDmDrug).length);
      const plan = inpatientPlan(vr, s);
      const input = { s, labs, doc, zoledronate: plan.zoledronate };
      const reg = dischargeRegimen(input, samplingChooser(new Rng(seed, 'regimen', i, v), SHARPNESS));
      const oracle = dischargeRegimen(input, modalChooser).drugs;
      const labels = applyLabelNoise(new Rng(seed, 'noise', i, v), reg.drugs, s, labs);
      const pr = new Rng(seed, 'prose', i, v);
      const record: CDrugRedRecord = {
        患者序号: pid,
        就诊标识: visitId(vr, usedIds),
        性别: patient.sex,
        出生日期: dayToIso(patient.birthDay),
        民族: patient.ethnicity,
        BMI: s.bmiRecorded ? s.bmi : null,
        就诊时间: dayToIso(day),
        诊疗过程描述: courseText(pr, s, labs, reg, doc, plan).text,
        入院情况: admissionStatus(pr, s, labs, doc),
        现病史: presentIllness(pr, s, labs, reg, doc),
        既往史: pastHistory(pr, s, reg, doc),
        主诉: chiefComplaint(pr, s),
        出院诊断: diagnoses(pr, s, labs, doc),
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
        },
      });
      prev = s;
      prevLabels = labels;
    }
  }
  return out;
}
