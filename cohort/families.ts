/**
 * Documentation style families. Each visit gets one family (doctor habit + per-visit chance),
 * kept in the latent state only. A family decides how the note is written and, for
 * explicit-plan / stop-switch, what the text commits to (the label follows the stated plan; a
 * drug stopped for cause is absent from the label).
 */
import { Rng } from './rng.ts';
import type { DoctorStyle } from './doctors.ts';
import type { Labs } from './labs.ts';
import type { VisitState } from './patient.ts';
import { isDiabetic } from './patient.ts';
import type { Regimen } from './regimen.ts';
import { contraindication } from './regimen.ts';
import { CLASS_LABEL, classOf } from './drugs.ts';
import { admissionStatus, chiefComplaint, courseText, diagnoses, mention, pastHistory, presentIllness } from './prose.ts';

export const FAMILIES = ['templated', 'long-course', 'terse', 'explicit-plan', 'class-plan', 'trade-names', 'stop-switch', 'complete-record'] as const;
export type StyleFamily = (typeof FAMILIES)[number];
// stop-switch is drawn more often because visits with no fitting stop-for-cause scenario and no
// stopped home drug fall back to templated (≈1/3 of them); realised shares are in README.md.
const WEIGHTS = [0.27, 0.114, 0.114, 0.114, 0.114, 0.114, 0.16];
/**
 * complete-record is opt-in (`npm run cohort -- --complete-record`): the shipped model was trained
 * on the cohort without it, and the default run stays byte-identical to that cohort. With it,
 * every family is drawn with these weights.
 */
const WEIGHTS_WITH_COMPLETE_RECORD = [0.2, 0.105, 0.105, 0.105, 0.105, 0.105, 0.15, 0.125];
const DEFAULT_FAMILIES = FAMILIES.filter((f) => f !== 'complete-record');
/** Probability that a visit is written in the doctor's habitual family (else a fresh draw). */
const HABIT = 0.4;

export function isFamily(x: string): x is StyleFamily {
  return (FAMILIES as readonly string[]).includes(x);
}

export function drawFamily(seed: number, doctorId: number, patient: number, visit: number, completeRecord = false): StyleFamily {
  const [families, weights] = completeRecord ? [FAMILIES, WEIGHTS_WITH_COMPLETE_RECORD] : [DEFAULT_FAMILIES, WEIGHTS];
  const r = new Rng(seed, 'family', patient, visit);
  if (r.chance(HABIT)) return new Rng(seed, 'docfamily', doctorId).weighted(families, weights);
  return r.weighted(families, weights);
}

// ------------------------------------------------------------------ stop-switch scenarios
export type ScenarioKind = 'met-renal' | 'hyperk' | 'allopurinol' | 'gi-bleed' | 'acei-cough' | 'sulfa';
const RAS = ['ARB', 'ACEI', 'ARNI'];

/** Picks a stop-for-cause scenario that fits the visit and edits the latent state (before labs). */
export function applyScenario(rng: Rng, s: VisitState, doc: DoctorStyle): ScenarioKind | null {
  const c = s.cond;
  if (c.has('PREG')) return null;
  const home = s.homeDrugs;
  const opts: ScenarioKind[] = [];
  if (c.has('T2DM')) opts.push('met-renal');
  if (c.has('HTN')) opts.push('hyperk');
  if (c.has('HU') || c.has('GOUT')) opts.push('allopurinol');
  if ((c.has('CHD') || c.has('STROKE') || c.has('PAD')) && !c.has('GI_BLEED_HX') && !c.has('AF')) opts.push('gi-bleed');
  if (c.has('HTN') && (isDiabetic(s) || s.egfr < 60) && !c.has('HF')) opts.push('acei-cough');
  if (c.has('T2DM') && !s.patient.allergies.includes('磺胺类') && s.egfr >= 60 && !c.has('HYPOGLY')) opts.push('sulfa');
  if (opts.length === 0) return null;
  const k = rng.pick(opts);
  const put = (d: string) => {
    if (!home.includes(d)) home.push(d);
  };
  const forced = (s.forced ??= []);
  switch (k) {
    case 'met-renal':
      s.egfr = Math.min(s.egfr, rng.int(14, 29));
      put('二甲双胍');
      break;
    case 'hyperk':
      if (!home.some((d) => RAS.includes(classOf(d)))) put(doc.arb.items[0]!);
      break;
    case 'allopurinol':
      for (const d of home.filter((x) => classOf(x) === 'URATE')) home.splice(home.indexOf(d), 1);
      put('别嘌醇');
      forced.push({ names: ['别嘌醇'], reason: rng.pick(['服用别嘌醇后出现皮疹', 'HLA-B*5801阳性', '服用别嘌醇后全身皮疹伴瘙痒']) });
      break;
    case 'gi-bleed':
      put('阿司匹林');
      c.add('GI_BLEED_HX');
      break;
    case 'acei-cough':
      for (const d of home.filter((x) => RAS.includes(classOf(x)))) home.splice(home.indexOf(d), 1);
      put(doc.acei.items[0]!);
      forced.push({ classes: ['ACEI'], reason: rng.pick(['干咳', '服用后出现刺激性干咳', '持续干咳']) });
      break;
    case 'sulfa':
      put(home.find((d) => classOf(d) === 'SU') ?? doc.su.items[0]!);
      s.patient.allergies.push('磺胺类');
      break;
  }
  return k;
}

/** Lab edits that must follow makeLabs (hyperkalaemia). */
export function applyScenarioLabs(rng: Rng, k: ScenarioKind | null, labs: Labs): void {
  if (k === 'hyperk') labs.k = Math.round(rng.uniform(5.6, 6.4) * 10) / 10;
}

// ------------------------------------------------------------------ helpers
const joinCn = (xs: string[], rng: Rng) => (xs.length <= 1 ? (xs[0] ?? '') : rng.chance(0.5) ? xs.join('、') : xs.slice(0, -1).join('、') + '及' + xs[xs.length - 1]);

const ABBR: Record<string, string[]> = {
  MET: ['MET', '二甲双胍'], SGLT2: ['SGLT2i', 'SGLT-2i'], DPP4: ['DPP-4i', 'DPP4i'], SU: ['SU', '磺脲'], GLN: ['格列奈'], TZD: ['TZD'], AGI: ['AGI', '阿卡波糖'],
  GLP1: ['GLP-1RA', 'GLP1RA'], BASAL: ['基础胰岛素', '长效胰岛素'], PRAND: ['餐时胰岛素', '速效胰岛素'], PREMIX: ['预混胰岛素', '预混'], STATIN: ['他汀'],
  ARB: ['ARB'], ACEI: ['ACEI'], ARNI: ['ARNI'], CCB: ['CCB'], BB: ['BB', 'β阻滞剂'], AP: ['抗血小板'], PPI: ['PPI'], URATE: ['降尿酸药'], THY: ['优甲乐', 'L-T4'],
};

/** A short mention for terse notes: class abbreviation, or a bare name with a compact dose. */
function terseMention(rng: Rng, d: string, doc: DoctorStyle): string {
  const a = ABBR[classOf(d)];
  if (a && rng.chance(0.55)) return rng.pick(a);
  return mention(rng, d, doc, 0.4).replace(/片|胶囊|注射液/g, '');
}

function dxAbbr(rng: Rng, s: VisitState): string[] {
  const c = s.cond;
  const out: string[] = [];
  if (c.has('T2DM')) out.push(rng.pick(['T2DM', '2型DM', 'T2DM']));
  if (c.has('T1DM')) out.push('T1DM');
  if (c.has('DKA')) out.push('DKA');
  if (c.has('HTN')) out.push(`HTN${s.htnGrade ? s.htnGrade + '级' : ''}`);
  if (c.has('CHD')) out.push(rng.pick(['CHD', '冠心病']));
  if (c.has('STROKE')) out.push(rng.pick(['脑梗', 'CI']));
  if (c.has('HF')) out.push(rng.pick(['CHF', '心衰']));
  if (c.has('AF')) out.push('AF');
  if (c.has('DYSLIP')) out.push(rng.pick(['高脂', '血脂异常']));
  if (c.has('DKD') || s.egfr < 60) out.push(s.egfr < 60 ? `CKD${s.egfr < 30 ? 4 : 3}期` : 'DKD');
  if (c.has('DPN')) out.push('DPN');
  if (c.has('DR')) out.push('DR');
  if (c.has('NAFLD')) out.push('NAFLD');
  if (c.has('GOUT')) out.push('痛风');
  else if (c.has('HU')) out.push('HUA');
  if (c.has('HYPOTHYROID')) out.push('甲减');
  if (c.has('HYPERTHYROID')) out.push('甲亢');
  if (c.has('OSTEO')) out.push('OP');
  if (c.has('COPD')) out.push('COPD');
  if (out.length === 0) out.push(rng.pick(['肥胖', '低钾']));
  return out;
}

// ------------------------------------------------------------------ per-family text
export interface VisitText {
  诊疗过程描述: string;
  入院情况: string;
  现病史: string;
  既往史: string;
  主诉: string;
  出院诊断: string[];
  /** explicit-plan: drugs the note states as the discharge plan. */
  planNamed: string[];
  /** Home drugs the note writes as stopped / switched for a cause. */
  stoppedForCause: string[];
}

export interface TextInput {
  family: StyleFamily;
  scenario: ScenarioKind | null;
  s: VisitState;
  labs: Labs;
  reg: Regimen;
  doc: DoctorStyle;
  plan: { items: string[] };
}

function standard(rng: Rng, t: TextInput, doc: DoctorStyle, opt: Parameters<typeof courseText>[6] = {}): VisitText {
  const { s, labs, reg, plan } = t;
  return {
    诊疗过程描述: courseText(rng, s, labs, reg, doc, plan, opt).text,
    入院情况: admissionStatus(rng, s, labs, doc),
    现病史: presentIllness(rng, s, labs, reg, doc),
    既往史: pastHistory(rng, s, reg, doc),
    主诉: chiefComplaint(rng, s),
    出院诊断: diagnoses(rng, s, labs, doc),
    planNamed: [],
    stoppedForCause: [],
  };
}

const CONSULTS: Array<[string, (s: VisitState) => boolean, string]> = [
  ['眼科', (s) => s.cond.has('DR') || isDiabetic(s), '建议定期眼底检查'],
  ['心内科', (s) => s.cond.has('CHD') || s.cond.has('HF') || s.cond.has('AF'), '建议继续冠心病二级预防'],
  ['肾内科', (s) => s.egfr < 45, '建议低蛋白饮食，定期复查肾功能'],
  ['血管外科', (s) => s.cond.has('PAD') || s.cond.has('FOOT_ULCER'), '建议改善循环、定期换药'],
  ['神经内科', (s) => s.cond.has('STROKE') || s.cond.has('DPN'), '同意目前治疗'],
  ['营养科', () => true, '制定糖尿病饮食方案'],
];

function longCourse(rng: Rng, t: TextInput): VisitText {
  const { s, labs } = t;
  const doc = { ...t.doc, homeNameRate: 0.95, nameRate: 0.03, classRate: 0.3, verbosity: 1 };
  const extra: string[] = [];
  for (const [dept, f, adv] of CONSULTS) if (f(s) && rng.chance(0.6)) extra.push(`请${dept}会诊，${adv}`);
  if (isDiabetic(s)) {
    const d = rng.int(3, 6);
    extra.push(`住院第${d}天空腹血糖${(labs.fpg * rng.uniform(0.55, 0.8)).toFixed(1)}mmol/L，餐后2h血糖${rng.int(8, 13)}.${rng.int(0, 9)}mmol/L`);
    extra.push(rng.pick(['根据血糖谱逐步调整胰岛素剂量', '每日监测七段血糖，动态调整胰岛素泵基础率及餐前大剂量', '住院期间未再发生低血糖']));
    if (rng.chance(0.5)) extra.push(`予${rng.pick(['氯化钾缓释片补钾', '0.9%氯化钠注射液补液', '注射用水溶性维生素支持治疗'])}`);
  }
  if (rng.chance(0.5)) extra.push(`复查${rng.pick(['肝肾功能', '电解质', '血常规', '尿常规'])}${rng.pick(['未见明显异常', '较前好转', '基本正常'])}`);
  const plan = { items: [...t.plan.items, ...(rng.chance(0.5) ? [`予${rng.pick(['丹红注射液', '前列地尔注射液', '硫辛酸注射液', '注射用泮托拉唑钠', '甲钴胺注射液'])}静滴`] : [])] };
  return standard(rng, { ...t, plan }, doc, { extra, workup: [3, 6] });
}

function tradeNames(rng: Rng, t: TextInput): VisitText {
  return standard(rng, t, { ...t.doc, tradeRate: 0.92, abbrevRate: 0.9, homeNameRate: Math.max(t.doc.homeNameRate, 0.7) });
}

function classPlan(rng: Rng, t: TextInput): VisitText {
  const { reg } = t;
  const doc = { ...t.doc, nameRate: 0, classRate: 0.95, homeNameRate: t.doc.homeNameRate * 0.5 };
  const news = new Set(reg.changes.filter((c) => c.kind === 'start').map((c) => c.drug));
  const contCls = [...new Set(reg.drugs.filter((d) => !news.has(d)).map(classOf))];
  const bits: string[] = [];
  const anti = ['ARB', 'ACEI', 'CCB', 'BB', 'THZ', 'ARNI'];
  if (contCls.some((c) => anti.includes(c))) bits.push(rng.pick(['降压方案同前', '继续原降压方案', '原降压药物继续']));
  if (contCls.includes('STATIN') || [...news].some((d) => classOf(d) === 'STATIN')) bits.push(rng.pick(['他汀强化降脂', '继续他汀调脂稳定斑块', '他汀类调脂']));
  if (reg.insulinScheme === 'basal') bits.push(rng.pick(['改为基础胰岛素', '予基础胰岛素控制空腹血糖']));
  for (const cl of contCls) {
    if (anti.includes(cl) || cl === 'STATIN' || !CLASS_LABEL[cl] || !rng.chance(0.6)) continue;
    bits.push(`继续${rng.pick(CLASS_LABEL[cl]!)}治疗`);
  }
  return standard(rng, t, doc, { extra: bits.length ? [bits.join('，')] : [] });
}

function explicitPlan(rng: Rng, t: TextInput): VisitText {
  const { reg } = t;
  const doc = { ...t.doc, tradeRate: rng.uniform(0.15, 0.6) };
  const named = reg.drugs.slice();
  const news = new Set(reg.changes.filter((c) => c.kind === 'start').map((c) => c.drug));
  const m = (d: string) => mention(rng, d, doc, rng.chance(0.5) ? 0.7 : 0.15);
  let tail: string;
  if (named.length === 0) tail = rng.pick(['出院后无需带药，定期随访', '嘱出院后饮食运动控制，暂不予药物治疗']);
  else if (rng.chance(0.55)) tail = `${rng.pick(['出院带药：', '出院带药:', '带药出院：', '出院医嘱：'])}${rng.shuffle(named).map(m).join(rng.pick(['、', '，', '；']))}`;
  else {
    const cont = named.filter((d) => !news.has(d));
    const add = named.filter((d) => news.has(d));
    const parts: string[] = [];
    if (cont.length) parts.push(`${rng.pick(['出院后继续', '院外继续口服', '嘱出院后继续'])}${joinCn(cont.map(m), rng)}`);
    if (add.length) parts.push(`${rng.pick(['加用', '新加', '并加用', '出院后加用'])}${joinCn(add.map(m), rng)}`);
    tail = parts.join('，') + rng.pick(['', '，门诊随诊', '，定期复查肝肾功能']);
  }
  const out = standard(rng, t, doc, { tail });
  out.planNamed = named;
  return out;
}

function stopSwitch(rng: Rng, t: TextInput): VisitText {
  const { reg, labs, s, scenario } = t;
  const doc = { ...t.doc, homeNameRate: 0.95, stopNoteRate: 0 };
  const stops = reg.changes.filter((c) => c.kind === 'stop');
  const starts = reg.changes.filter((c) => c.kind === 'start');
  const extra: string[] = [];
  const written: string[] = [];
  if (scenario === 'sulfa' && rng.chance(0.5)) extra.push(rng.pick(['追问病史，患者磺胺类过敏', '患者自诉磺胺类药物过敏']));
  for (const st of stops) {
    const cls = classOf(st.drug);
    let why = st.reason;
    if (scenario === 'hyperk' && (RAS.includes(cls) || cls === 'MRA')) why = `血钾${labs.k.toFixed(1)}mmol/L`;
    else if (scenario === 'gi-bleed' && st.drug === '阿司匹林') why = rng.pick(['住院期间出现黑便，胃镜示胃溃疡伴出血', '出现消化道出血']);
    else if (scenario === 'met-renal' && cls === 'MET') why = rng.pick([`eGFR ${s.egfr}ml/min/1.73m²`, `eGFR<30(${s.egfr})`, `肾功能下降，eGFR ${s.egfr}`]);
    const x = mention(rng, st.drug, doc, 0);
    const swap = starts.find((c) => classOf(c.drug) === cls || (RAS.includes(cls) && RAS.includes(classOf(c.drug))) || (cls === 'AP' && classOf(c.drug) === 'AP'));
    if (swap && reg.drugs.includes(swap.drug)) {
      const y = mention(rng, swap.drug, doc, 0.5);
      extra.push(rng.pick([`因${why}，将${x}改为${y}`, `${why}，${x}换用${y}`, `因${why}停用${x}，改用${y}`]));
    } else extra.push(rng.pick([`因${why}停用${x}`, `${why}，予停用${x}`, `考虑${why}，停${x}`]));
    written.push(st.drug);
  }
  if (scenario === 'gi-bleed' && reg.drugs.some((d) => classOf(d) === 'PPI')) extra.push(rng.pick(['加用PPI护胃', '予质子泵抑制剂抑酸护胃']));
  const out = standard(rng, t, doc, { extra });
  out.stoppedForCause = written;
  return out;
}

/**
 * A chart that documents the whole regimen without a discharge list: every home drug named with
 * its dose in the history, every start named in the course, every stop written with its cause,
 * "余用药同前" meaning the named home drugs. The label is what the note documents (light noise,
 * as explicit-plan). Without this family every generated note left some discharge drugs unnamed,
 * so a model learned that a drug the note never names is still likely, which is false for charts
 * written this way (issue #9: the model added unnamed drugs to hand-written notes).
 */
function completeRecord(rng: Rng, t: TextInput): VisitText {
  const { reg } = t;
  const doc = { ...t.doc, homeNameRate: 1, nameRate: 1, classRate: 0, stopNoteRate: 0 };
  const extra: string[] = [];
  const written: string[] = [];
  for (const st of reg.changes.filter((c) => c.kind === 'stop')) {
    const x = mention(rng, st.drug, doc, 0);
    extra.push(rng.pick([`因${st.reason}停用${x}`, `${st.reason}，予停用${x}`, `考虑${st.reason}，停${x}`, `${x}因${st.reason}停用`]));
    written.push(st.drug);
  }
  const out = standard(rng, t, doc, { extra });
  out.planNamed = reg.drugs.slice();
  out.stoppedForCause = written;
  return out;
}

function terse(rng: Rng, t: TextInput): VisitText {
  const { s, labs, reg, doc } = t;
  const dx = dxAbbr(rng, s);
  const home = s.homeDrugs.filter(() => rng.chance(0.7));
  const dur = Math.max(0, s.year - s.patient.dmOnsetYear);
  const hpi: string[] = [`${dx[0]}${isDiabetic(s) && dur > 0 ? ` ${dur}年` : ''}`];
  if (home.length) hpi.push(`院外${home.map((d) => terseMention(rng, d, doc)).join('+')}`);
  hpi.push(rng.pick(['血糖控制差', '控制欠佳', '症状加重', '入院调整', '']));
  const past = rng.chance(0.3) ? '' : dx.slice(1, 4).join('，') || rng.pick(['无特殊', '否认慢病史', '']);
  const adm = rng.chance(0.2) ? '' : [`BP ${labs.sbp}/${labs.dbp}`, labs.hba1c !== null ? `HbA1c ${labs.hba1c}%` : '', `eGFR ${s.egfr}`, labs.k > 5.5 || labs.k < 3.5 ? `K ${labs.k}` : ''].filter(Boolean).join('，');
  const course: string[] = [];
  if (isDiabetic(s)) course.push(rng.pick(['予降糖', '胰岛素泵降糖', '强化降糖', 'CSII降糖']));
  for (const it of t.plan.items.filter(() => rng.chance(0.35))) course.push(it.replace(/^予/, ''));
  const news = reg.changes.filter((c) => c.kind === 'start' && reg.drugs.includes(c.drug)).map((c) => c.drug);
  const cues = [...new Set(news.filter(() => rng.chance(0.5)).map((d) => terseMention(rng, d, doc)))];
  if (cues.length) course.push(`加${cues.join('+')}`);
  const stop = reg.changes.filter((c) => c.kind === 'stop' && rng.chance(0.3));
  for (const st of stop) course.push(`停${terseMention(rng, st.drug, doc)}(${st.reason.slice(0, 8)})`);
  course.push(rng.pick(['好转出院', '平稳出院', '出院', '余同前']));
  return {
    诊疗过程描述: course.join('，') + '。',
    入院情况: adm,
    现病史: hpi.filter(Boolean).join('，') + '。',
    既往史: past,
    主诉: chiefComplaint(rng, s),
    出院诊断: dx,
    planNamed: [],
    stoppedForCause: [],
  };
}

export function writeVisitText(rng: Rng, t: TextInput): VisitText {
  switch (t.family) {
    case 'templated':
      return standard(rng, t, t.doc);
    case 'long-course':
      return longCourse(rng, t);
    case 'terse':
      return terse(rng, t);
    case 'explicit-plan':
      return explicitPlan(rng, t);
    case 'class-plan':
      return classPlan(rng, t);
    case 'trade-names':
      return tradeNames(rng, t);
    case 'stop-switch':
      return stopSwitch(rng, t);
    case 'complete-record':
      return completeRecord(rng, t);
  }
}

/** Used by tests: a scenario stop is grounded in the latent contraindication logic. */
export function stopIsContraindicated(name: string, s: VisitState, labs: Labs): boolean {
  return contraindication(name, s, labs) !== null;
}

