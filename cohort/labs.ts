/**
 * Admission labs and vitals consistent with the latent conditions, plus their textual rendering
 * (units, ↑/↓ markers, several naming styles).
 */
import type { Rng } from './rng.ts';
import type { VisitState } from './patient.ts';
import { isDiabetic } from './patient.ts';

export interface Labs {
  hba1c: number | null;
  fpg: number;
  ppg2h: number | null;
  cpep: number | null;
  cr: number;
  egfr: number;
  ua: number;
  tc: number;
  tg: number;
  ldl: number;
  hdl: number;
  alt: number;
  ast: number;
  tsh: number | null;
  ft3: number | null;
  ft4: number | null;
  ntprobnp: number | null;
  uacr: number | null;
  hb: number;
  k: number;
  vitd: number | null;
  tscore: number | null;
  ketone: number | null;
  phos: number | null;
  hco3: number | null;
  wbc: number;
  crp: number | null;
  sbp: number;
  dbp: number;
  hr: number;
  temp: number;
}

const r1 = (x: number) => Math.round(x * 10) / 10;
const r2 = (x: number) => Math.round(x * 100) / 100;
const clamp = (x: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, x));

export function makeLabs(rng: Rng, s: VisitState, homeIntensity: number): Labs {
  const c = s.cond;
  const p = s.patient;
  const dm = isDiabetic(s);
  let hba1c: number | null = null;
  let fpg: number;
  if (dm) {
    let base = 8.6 + 0.9 * p.controlBias - 0.35 * homeIntensity + rng.normal(0, 1.1);
    if (s.admitReason === 'dm_new') base = 10.5 + rng.normal(0, 1.8);
    if (s.admitReason === 'dka') base = 11.5 + rng.normal(0, 1.5);
    if (s.admitReason === 'hypogly') base = 6.8 + rng.normal(0, 0.8);
    if (s.admitReason === 'dm_control') base += 0.6;
    if (c.has('T1DM')) base += 0.4;
    hba1c = r1(clamp(base, 5.6, 16.5));
    fpg = r1(clamp(hba1c * 1.35 - 1.5 + rng.normal(0, 1.6), 3.9, 28));
  } else {
    hba1c = rng.chance(0.7) ? r1(clamp(rng.normal(5.6, 0.35), 4.5, 6.4)) : null;
    fpg = r1(clamp(rng.normal(5.4, 0.6), 3.9, 6.9));
  }
  const ppg2h = dm ? r1(clamp(fpg * rng.uniform(1.3, 1.9), 6, 33)) : rng.chance(0.3) ? r1(rng.uniform(5, 7.7)) : null;
  const cpep = dm ? (rng.chance(0.8) ? r2(c.has('T1DM') ? rng.uniform(0.01, 0.3) : clamp(rng.normal(1.9, 0.8), 0.2, 5)) : null) : null;
  const egfr = s.egfr;
  const crBase = p.sex === '男' ? 88 : 68;
  const cr = Math.round(clamp(crBase * Math.pow(90 / Math.max(egfr, 5), 1.05) * rng.uniform(0.9, 1.1) * (s.age > 70 ? 0.92 : 1), 35, 900));
  let ua = rng.normal(p.sex === '男' ? 370 : 300, 60);
  if (c.has('HU')) ua = rng.normal(520, 70);
  if (c.has('GOUT_FLARE')) ua += rng.uniform(0, 60);
  if (egfr < 45) ua += 50;
  const dys = c.has('DYSLIP');
  const tgHigh = dys && rng.chance(0.55);
  const tg = r2(clamp(tgHigh ? Math.exp(rng.normal(Math.log(3.6), 0.5)) : rng.normal(1.4, 0.45), 0.4, 25));
  const ldl = r2(clamp(dys && rng.chance(0.7) ? rng.normal(3.8, 0.7) : rng.normal(2.6, 0.6), 0.8, 7));
  const hdl = r2(clamp(rng.normal(p.sex === '男' ? 1.0 : 1.2, 0.2) - (tgHigh ? 0.15 : 0), 0.5, 2.2));
  const tc = r2(ldl + hdl + tg / 2.2 + rng.normal(0, 0.2));
  const altHigh = (c.has('NAFLD') && rng.chance(0.45)) || rng.chance(0.03);
  const alt = Math.round(clamp(altHigh ? rng.normal(78, 30) : rng.normal(22, 8), 5, 300));
  const ast = Math.round(clamp(alt * rng.uniform(0.6, 1.0) + rng.normal(5, 4), 8, 260));
  let tsh: number | null = null;
  let ft3: number | null = null;
  let ft4: number | null = null;
  const thyroidChecked = c.has('HYPOTHYROID') || c.has('HYPERTHYROID') || c.has('HASHIMOTO') || c.has('NODULE') || rng.chance(0.55);
  if (thyroidChecked) {
    if (c.has('HYPERTHYROID')) {
      tsh = r2(rng.uniform(0.005, 0.08));
      ft3 = r2(rng.uniform(8, 25));
      ft4 = r2(rng.uniform(25, 70));
    } else if (c.has('HYPOTHYROID')) {
      const onLt4 = s.homeDrugs.includes('左甲状腺素');
      tsh = r2(onLt4 ? rng.uniform(0.8, 12) : rng.uniform(6, 60));
      ft3 = r2(rng.uniform(2.0, 3.6));
      ft4 = r2(tsh > 10 ? rng.uniform(6, 11.5) : rng.uniform(10, 16));
    } else {
      tsh = r2(clamp(c.has('HASHIMOTO') ? rng.uniform(2, 8) : rng.normal(2.2, 0.9), 0.4, 9));
      ft3 = r2(rng.uniform(3.2, 6.2));
      ft4 = r2(rng.uniform(12, 21));
    }
  }
  const ntprobnp = c.has('HF') ? Math.round(rng.uniform(600, 6000)) : c.has('CHD') || rng.chance(0.3) ? Math.round(rng.uniform(20, 300)) : null;
  const uacr = dm ? (c.has('DKD') ? Math.round(Math.exp(rng.normal(Math.log(280), 1))) : Math.round(clamp(rng.normal(14, 7), 2, 29))) : null;
  let hb = rng.normal(p.sex === '男' ? 142 : 126, 11);
  if (egfr < 45) hb -= (45 - egfr) * rng.uniform(0.6, 1.1);
  hb = Math.round(clamp(hb, 60, 175));
  let k = rng.normal(4.1, 0.35);
  if (c.has('HYPOK')) k = rng.uniform(2.7, 3.4);
  if (egfr < 30) k += rng.uniform(0, 0.9);
  const vitd = c.has('OSTEO') || c.has('VITD_DEF') || rng.chance(0.3) ? r1(c.has('VITD_DEF') ? rng.uniform(6, 19) : rng.uniform(14, 38)) : null;
  const tscore = c.has('OSTEO') ? r1(rng.uniform(-4.2, -2.5)) : rng.chance(0.12) ? r1(rng.uniform(-2.4, 0.5)) : null;
  const ketone = c.has('DKA') ? r2(rng.uniform(3, 7.5)) : dm && rng.chance(0.4) ? r2(rng.uniform(0.02, 0.5)) : null;
  const phos = egfr < 45 || rng.chance(0.2) ? r2(egfr < 30 ? rng.uniform(1.2, 2.4) : rng.uniform(0.9, 1.5)) : null;
  const hco3 = egfr < 45 || c.has('DKA') ? r1(c.has('DKA') ? rng.uniform(8, 17) : egfr < 30 ? rng.uniform(15, 23) : rng.uniform(20, 26)) : null;
  const infect = c.has('UTI') || c.has('PNEUMONIA') || c.has('FOOT_ULCER');
  const wbc = r2(infect ? rng.uniform(9.5, 18) : rng.normal(6.5, 1.4));
  const crp = infect ? r1(rng.uniform(15, 120)) : rng.chance(0.3) ? r1(rng.uniform(0.5, 8)) : null;
  const onAntiHtn = s.homeDrugs.length > 0;
  let sbp = rng.normal(124, 10);
  let dbp = rng.normal(76, 7);
  if (c.has('HTN')) {
    sbp = [0, 142, 156, 168][s.htnGrade]! + rng.normal(0, 12) - (onAntiHtn ? 6 : 0);
    dbp = [0, 86, 92, 96][s.htnGrade]! + rng.normal(0, 8);
  }
  const hr = Math.round(clamp(c.has('HYPERTHYROID') ? rng.normal(108, 10) : rng.normal(78, 9), 48, 140));
  const temp = r1(c.has('PNEUMONIA') || c.has('UTI') ? rng.uniform(36.6, 38.9) : rng.uniform(36.2, 36.9));
  return {
    hba1c, fpg, ppg2h, cpep, cr, egfr, ua: Math.round(clamp(ua, 150, 800)), tc, tg, ldl, hdl, alt, ast, tsh, ft3, ft4,
    ntprobnp, uacr, hb, k: r2(clamp(k, 2.5, 6.5)), vitd, tscore, ketone, phos, hco3, wbc, crp,
    sbp: Math.round(clamp(sbp, 95, 215)), dbp: Math.round(clamp(dbp, 50, 125)), hr, temp,
  };
}

interface LabDef {
  key: keyof Labs;
  names: string[];
  unit: string;
  lo: number | ((s: VisitState) => number);
  hi: number | ((s: VisitState) => number);
}

const LAB_DEFS: LabDef[] = [
  { key: 'hba1c', names: ['HbA1c', '糖化血红蛋白', '糖化血红蛋白(HbA1c)'], unit: '%', lo: 4, hi: 6 },
  { key: 'fpg', names: ['空腹血糖', 'FPG', '空腹葡萄糖', 'GLU'], unit: 'mmol/L', lo: 3.9, hi: 6.1 },
  { key: 'ppg2h', names: ['餐后2h血糖', '2hPG', '餐后2小时血糖'], unit: 'mmol/L', lo: 3.9, hi: 7.8 },
  { key: 'cpep', names: ['空腹C肽', 'C肽(0h)', 'C-P'], unit: 'ng/ml', lo: 0.8, hi: 4.2 },
  { key: 'cr', names: ['肌酐', 'Cr', '血肌酐', 'Scr'], unit: 'μmol/L', lo: 45, hi: (s) => (s.patient.sex === '男' ? 104 : 84) },
  { key: 'egfr', names: ['eGFR', '估算肾小球滤过率', 'eGFR(CKD-EPI)'], unit: 'ml/min/1.73m²', lo: 90, hi: 999 },
  { key: 'ua', names: ['尿酸', 'UA', '血尿酸'], unit: 'μmol/L', lo: 150, hi: (s) => (s.patient.sex === '男' ? 420 : 360) },
  { key: 'tc', names: ['总胆固醇', 'TC', 'CHOL'], unit: 'mmol/L', lo: 2.8, hi: 5.2 },
  { key: 'tg', names: ['甘油三酯', 'TG', 'TRIG'], unit: 'mmol/L', lo: 0.4, hi: 1.7 },
  { key: 'ldl', names: ['低密度脂蛋白胆固醇', 'LDL-C', 'LDL'], unit: 'mmol/L', lo: 0, hi: 3.4 },
  { key: 'hdl', names: ['高密度脂蛋白胆固醇', 'HDL-C', 'HDL'], unit: 'mmol/L', lo: 1.0, hi: 99 },
  { key: 'alt', names: ['ALT', '谷丙转氨酶', '丙氨酸氨基转移酶'], unit: 'U/L', lo: 7, hi: 40 },
  { key: 'ast', names: ['AST', '谷草转氨酶', '天冬氨酸氨基转移酶'], unit: 'U/L', lo: 13, hi: 35 },
  { key: 'tsh', names: ['TSH', '促甲状腺激素'], unit: 'mIU/L', lo: 0.27, hi: 4.2 },
  { key: 'ft3', names: ['FT3', '游离T3', '游离三碘甲状腺原氨酸'], unit: 'pmol/L', lo: 3.1, hi: 6.8 },
  { key: 'ft4', names: ['FT4', '游离T4', '游离甲状腺素'], unit: 'pmol/L', lo: 12, hi: 22 },
  { key: 'ntprobnp', names: ['NT-proBNP', 'N端脑钠肽前体', 'proBNP'], unit: 'pg/ml', lo: 0, hi: 125 },
  { key: 'uacr', names: ['UACR', '尿微量白蛋白/肌酐', '尿白蛋白肌酐比'], unit: 'mg/g', lo: 0, hi: 30 },
  { key: 'hb', names: ['Hb', '血红蛋白', 'HGB'], unit: 'g/L', lo: (s) => (s.patient.sex === '男' ? 130 : 115), hi: 175 },
  { key: 'k', names: ['K', '血钾', 'K+'], unit: 'mmol/L', lo: 3.5, hi: 5.3 },
  { key: 'vitd', names: ['25(OH)D', '25-OH-D', '25(OH)D3'], unit: 'ng/ml', lo: 20, hi: 100 },
  { key: 'tscore', names: ['骨密度T值', 'BMD T值', '腰椎T值'], unit: '', lo: -1, hi: 99 },
  { key: 'ketone', names: ['血酮', 'β-羟丁酸', '血β-羟丁酸'], unit: 'mmol/L', lo: 0, hi: 0.6 },
  { key: 'phos', names: ['血磷', 'P', '磷'], unit: 'mmol/L', lo: 0.85, hi: 1.51 },
  { key: 'hco3', names: ['HCO3-', '碳酸氢根', 'CO2CP'], unit: 'mmol/L', lo: 22, hi: 29 },
  { key: 'wbc', names: ['WBC', '白细胞', '白细胞计数'], unit: '×10^9/L', lo: 3.5, hi: 9.5 },
  { key: 'crp', names: ['CRP', 'C反应蛋白', 'hs-CRP'], unit: 'mg/L', lo: 0, hi: 10 },
];

/** Renders a subset of labs as text in one of several styles. */
export function renderLabs(rng: Rng, s: VisitState, labs: Labs, style: number): string {
  const defs = LAB_DEFS.filter((d) => labs[d.key] !== null && labs[d.key] !== undefined);
  // keep the clinically relevant ones, drop some of the rest; shuffle order mildly
  const kept = defs.filter((d) => ['hba1c', 'fpg', 'egfr', 'cr'].includes(d.key) || rng.chance(0.75));
  const order = rng.chance(0.5) ? kept : rng.shuffle(kept);
  const parts = order.map((d) => {
    const v = labs[d.key] as number;
    const lo = typeof d.lo === 'function' ? d.lo(s) : d.lo;
    const hi = typeof d.hi === 'function' ? d.hi(s) : d.hi;
    const flag = v > hi ? '↑' : v < lo ? '↓' : '';
    const name = d.names[(style + rng.int(0, 1)) % d.names.length] ?? d.names[0]!;
    const sep = style === 0 ? ' ' : style === 1 ? '：' : '';
    const unit = d.unit && rng.chance(style === 2 ? 0.5 : 0.95) ? d.unit : '';
    return `${name}${sep}${v}${unit}${flag}`;
  });
  const joiner = style === 2 ? '，' : rng.chance(0.5) ? '；' : '，';
  return parts.join(joiner);
}
