/**
 * Discharge-regimen logic (guideline-informed, with prescriber style and continuity of home
 * drugs). All discretionary decisions go through a Chooser so the same code yields the noisy
 * generator regimen (sampling) and the "oracle" regimen (modal decisions) used for the ceiling.
 *
 * Also: the home regimen of a first visit (what an outside doctor prescribed before), and label
 * noise (drops / spurious additions) applied after the logic.
 */
import type { Chooser, Rng } from './rng.ts';
import type { DoctorStyle, PrefPick } from './doctors.ts';
import type { Labs } from './labs.ts';
import type { VisitState } from './patient.ts';
import { hasAscvd, isDiabetic } from './patient.ts';
import { classOf, DISCHARGEABLE, drug } from './drugs.ts';

export interface Change {
  drug: string;
  kind: 'stop' | 'start';
  reason: string;
}

export interface Regimen {
  drugs: string[];
  changes: Change[];
  insulinScheme: 'none' | 'basal' | 'basal-bolus' | 'premix';
}

export interface RegimenInput {
  s: VisitState;
  labs: Labs;
  doc: DoctorStyle;
  /** Whether zoledronic acid was infused during the stay (then no oral bisphosphonate). */
  zoledronate: boolean;
}

/** Returns null if the drug may be given, else the reason it must not be. */
export function contraindication(name: string, s: VisitState, labs: Labs): string | null {
  const c = s.cond;
  const e = s.egfr;
  const allergy = (a: string) => s.patient.allergies.includes(a as never);
  const intol = (k: string) => s.patient.intolerances.includes(k);
  const cls = classOf(name);
  const preg = c.has('PREG');
  // visit-level stops for cause written by the stop-switch family (allopurinol rash, ACEI cough …)
  for (const f of s.forced ?? []) if (f.names?.includes(name) || f.classes?.includes(cls)) return f.reason;
  if (preg && ['MET', 'SGLT2', 'SU', 'GLN', 'TZD', 'AGI', 'DPP4', 'GLP1', 'STATIN', 'EZE', 'FIB', 'ARB', 'ACEI', 'ARNI', 'MRA', 'THZ', 'URATE', 'BISPH', 'AC', 'TCMDM', 'NSAID'].includes(cls))
    return '妊娠期';
  if (preg && (name === '左氧氟沙星' || name === '莫西沙星' || name === '甲巯咪唑')) return '妊娠期';
  switch (cls) {
    case 'MET':
      if (e < 30) return `eGFR ${e}<30 ml/min/1.73m²，肾功能下降`;
      if (intol('MET')) return '胃肠道反应明显不能耐受';
      break;
    case 'SGLT2':
      if (c.has('T1DM')) return '1型糖尿病';
      if (c.has('DKA')) return '酮症酸中毒';
      if (e < 25) return '肾功能下降';
      if (e < 45 && (name === '卡格列净' || name === '艾托格列净')) return '肾功能下降';
      if (intol('SGLT2')) return '反复泌尿生殖道感染';
      break;
    case 'SU':
      if (allergy('磺胺类') || allergy('磺脲类')) return '磺胺类药物过敏';
      if (c.has('HYPOGLY')) return '反复低血糖';
      if (e < 30 || (e < 60 && name !== '格列喹酮')) return '肾功能不全，低血糖风险';
      break;
    case 'GLN':
      if (c.has('HYPOGLY') && name === '那格列奈') return '低血糖';
      break;
    case 'TZD':
      if (c.has('HF')) return '心力衰竭';
      if (c.has('OSTEO')) return '骨质疏松';
      break;
    case 'AGI':
      if (e < 25) return '肾功能不全';
      break;
    case 'GLP1':
      if (e < 15) return '终末期肾病';
      break;
    case 'STATIN':
      if (intol('STATIN')) return '既往服用他汀后肌痛、CK升高';
      if (labs.alt > 120) return '转氨酶明显升高';
      break;
    case 'ARB':
    case 'ACEI':
    case 'ARNI':
      if (labs.k >= 5.5) return '高钾血症';
      break;
    case 'THZ':
      if (c.has('GOUT') || c.has('HU')) return '高尿酸血症';
      if (e < 30) return '肾功能不全';
      if (allergy('磺胺类')) return '磺胺类药物过敏';
      break;
    case 'MRA':
      if (labs.k >= 5.0 || e < 30) return '血钾偏高/肾功能不全';
      break;
    case 'BISPH':
      if (e < 35) return '肾功能不全';
      break;
    case 'NSAID':
      if (e < 60 || c.has('GI_BLEED_HX') || c.has('CHD')) return '肾功能不全或心血管风险';
      break;
    case 'ABX':
      if (allergy('青霉素') && name.startsWith('阿莫西林')) return '青霉素过敏';
      if (allergy('头孢类') && name.startsWith('头孢')) return '头孢类过敏';
      if (name === '呋喃妥因' && e < 45) return '肾功能不全';
      break;
  }
  if (name === '阿司匹林' && (allergy('阿司匹林') || c.has('GI_BLEED_HX'))) return allergy('阿司匹林') ? '阿司匹林过敏' : '既往消化道出血';
  if (name === '苯溴马隆' && e < 30) return '肾功能不全';
  if (name === '别嘌醇' && e < 30) return '肾功能不全';
  if (name === '秋水仙碱' && e < 30) return '肾功能不全';
  if (name === '二甲双胍' && c.has('HF') && labs.ntprobnp !== null && labs.ntprobnp > 3000) return '心功能不全';
  return null;
}

function pickPref(ch: Chooser, pref: PrefPick, ok: (n: string) => boolean): string | null {
  const items: string[] = [];
  const weights: number[] = [];
  pref.items.forEach((it, i) => {
    if (ok(it)) {
      items.push(it);
      weights.push(pref.weights[i] ?? 0.01);
    }
  });
  if (items.length === 0) return null;
  return ch.weighted(items, weights);
}

export function dischargeRegimen(inp: RegimenInput, ch: Chooser): Regimen {
  const { s, labs, doc } = inp;
  const c = s.cond;
  const e = s.egfr;
  const out: string[] = [];
  const changes: Change[] = [];
  const home = s.homeDrugs;
  const ok = (n: string) => contraindication(n, s, labs) === null;
  const has = (n: string) => out.includes(n);
  const hasCls = (cls: string) => out.some((d) => classOf(d) === cls);
  const homeOf = (cls: string) => home.find((d) => classOf(d) === cls);
  const add = (n: string | null | undefined, reason = '') => {
    if (!n || has(n) || !ok(n)) return;
    out.push(n);
    if (!home.includes(n)) changes.push({ drug: n, kind: 'start', reason });
  };
  /** Continue the home drug of a class (usually) or take the doctor's preferred one. */
  const slot = (cls: string, pref: PrefPick | null, pKeep = 0.88, reason = ''): void => {
    const h = homeOf(cls);
    if (h && ok(h) && ch.chance(pKeep)) return add(h);
    if (pref) add(pickPref(ch, pref, ok), reason);
    else if (h && ok(h)) add(h);
  };
  const dm = isDiabetic(s);
  const ascvd = hasAscvd(s);
  const ckd = e < 60 || (labs.uacr ?? 0) > 30;
  const a1c = labs.hba1c ?? 6;
  const preg = c.has('PREG');
  let insulinScheme: Regimen['insulinScheme'] = 'none';

  // ---------------- diabetes ----------------
  if (dm) {
    const homeIns = home.filter((d) => ['BASAL', 'PRAND', 'PREMIX'].includes(classOf(d)));
    const homeScheme: Regimen['insulinScheme'] = homeIns.some((d) => classOf(d) === 'PREMIX')
      ? 'premix'
      : homeIns.some((d) => classOf(d) === 'PRAND')
        ? 'basal-bolus'
        : homeIns.length
          ? 'basal'
          : 'none';
    const thr = 9.6 / doc.insulinAggressiveness;
    let needIns = c.has('T1DM') || preg || c.has('DKA');
    if (!needIns) {
      const pIns = homeScheme !== 'none' ? (a1c < 7 && c.has('HYPOGLY') ? 0.5 : 0.93) : 1 / (1 + Math.exp(-(a1c - thr) / 0.55));
      needIns = ch.chance(e < 30 && a1c > 8 ? Math.max(pIns, 0.7) : pIns);
    }
    if (needIns) {
      if (c.has('T1DM') || c.has('DKA') || preg) insulinScheme = ch.chance(c.has('T1DM') ? 0.85 : 0.7) ? 'basal-bolus' : 'premix';
      else if (homeScheme !== 'none' && !(a1c >= 9 && homeScheme === 'basal') && ch.chance(0.75)) insulinScheme = homeScheme;
      else if (a1c >= 11) insulinScheme = ch.chance(doc.premixOverBasalBolus) ? 'premix' : 'basal-bolus';
      else insulinScheme = ch.weighted(['basal', 'premix', 'basal-bolus'], [0.5, doc.premixOverBasalBolus * 0.6, 0.2]);
      const keepOr = (cls: string, pref: PrefPick) => {
        const h = homeOf(cls);
        if (h && ch.chance(0.85)) add(h);
        else add(pickPref(ch, pref, () => true), '调整胰岛素方案');
      };
      if (insulinScheme === 'basal' || insulinScheme === 'basal-bolus') keepOr('BASAL', preg ? { items: ['地特胰岛素', '甘精胰岛素'], weights: [0.7, 0.3] } : doc.basal);
      if (insulinScheme === 'basal-bolus') keepOr('PRAND', preg ? { items: ['门冬胰岛素', '生物合成人胰岛素'], weights: [0.7, 0.3] } : doc.prandial);
      if (insulinScheme === 'premix') keepOr('PREMIX', doc.premix);
    }
    if (!preg) {
      const t2 = c.has('T2DM');
      const bb = insulinScheme === 'basal-bolus';
      // metformin
      if (t2 || (c.has('T1DM') && c.has('OBESITY'))) {
        const pMet = homeOf('MET') ? 0.93 : t2 ? 0.85 : 0.3;
        if (ch.chance(pMet)) add('二甲双胍', '控制血糖');
      }
      if (t2) {
        // SGLT2 inhibitors: organ protection first
        const strong = ascvd || c.has('HF') || ckd;
        const avoidUti = c.has('UTI') && ch.chance(0.6);
        const pS = homeOf('SGLT2') ? 0.9 : strong ? 0.8 : a1c > 7 ? doc.sglt2Enthusiasm : doc.sglt2Enthusiasm * 0.3;
        if (!avoidUti && ch.chance(pS)) slot('SGLT2', doc.sglt2, 0.9, strong ? '心肾获益' : '控制血糖');
        // GLP-1 RA
        const obese = s.bmi >= 28;
        const pG = homeOf('GLP1') ? 0.85 : (ascvd && s.bmi >= 24) || obese ? 0.25 + doc.glp1Enthusiasm * 0.6 : a1c > 8 ? doc.glp1Enthusiasm * 0.4 : 0.03;
        if (!c.has('DKA') && ch.chance(pG)) {
          const pick = pickPref(ch, doc.glp1, (n) => ok(n) && !(n === '司美格鲁肽' && s.year < 2021));
          if (homeOf('GLP1')) slot('GLP1', null);
          else add(pick, '控制血糖、减重');
        }
        // DPP-4 inhibitors (not with GLP-1 RA)
        if (!hasCls('GLP1') && !bb) {
          const pD = homeOf('DPP4') ? 0.85 : a1c > 7.5 ? 0.38 : 0.12;
          if (ch.chance(pD)) {
            if (e < 45 && ok('利格列汀') && ch.chance(0.7)) add(homeOf('DPP4') ?? '利格列汀', '肾功能不全');
            else slot('DPP4', doc.dpp4, 0.88, '控制血糖');
          }
        }
        // sulfonylureas
        if (!bb && insulinScheme !== 'premix') {
          const pSu = homeOf('SU') ? 0.6 : a1c > 8.5 && s.age < 70 ? 0.18 : 0.05;
          if (ch.chance(pSu)) {
            if (e < 60) add('格列喹酮', '控制血糖');
            else slot('SU', doc.su, 0.9, '控制血糖');
          }
        }
        // glinides
        if (!bb && !hasCls('SU') && ch.chance(homeOf('GLN') ? 0.7 : e < 45 ? 0.15 : 0.05)) slot('GLN', { items: ['瑞格列奈', '那格列奈'], weights: [0.85, 0.15] });
        // TZD
        if (ch.chance(homeOf('TZD') ? 0.6 : 0.04)) add('吡格列酮', '改善胰岛素抵抗');
      }
      // AGI: Chinese favourite for post-prandial glucose, also in T1 adjunct
      const pA = homeOf('AGI') ? 0.8 : doc.agiUse + ((labs.ppg2h ?? 0) > 15 ? 0.1 : 0) - (c.has('T1DM') ? 0.3 : 0) - (bb ? 0.15 : 0);
      if (ch.chance(pA)) slot('AGI', doc.agi);
      if (ch.chance(homeOf('TCMDM') ? 0.6 : doc.tcm * 0.12)) slot('TCMDM', { items: ['津力达颗粒', '参芪降糖颗粒', '天麦消渴片'], weights: [0.5, 0.3, 0.2] });
      // cap oral agents
      const orals = out.filter((d) => ['MET', 'SGLT2', 'DPP4', 'SU', 'GLN', 'TZD', 'AGI', 'TCMDM'].includes(classOf(d)));
      const cap = bb ? 2 : insulinScheme === 'none' ? 3 : 2;
      const dropOrder = ['TCMDM', 'TZD', 'GLN', 'SU', 'AGI', 'DPP4', 'SGLT2', 'MET'];
      let excess = orals.length - cap;
      for (const cls of dropOrder) {
        if (excess <= 0) break;
        const i = out.findIndex((d) => classOf(d) === cls);
        if (i >= 0) out.splice(i, 1), excess--;
      }
    }
  }

  // ---------------- hypertension / heart failure ----------------
  if (c.has('HTN') || c.has('HF') || c.has('CHD')) {
    if (preg) {
      if (c.has('HTN')) {
        add('拉贝洛尔', '妊娠期降压');
        if (s.htnGrade >= 2 && ch.chance(0.6)) add('硝苯地平', '妊娠期降压');
      }
    } else {
      const combo = home.find((d) => ['缬沙坦氨氯地平', '厄贝沙坦氢氯噻嗪', '氯沙坦氢氯噻嗪'].includes(d));
      const comboKept = combo && ok(combo) && ch.chance(0.75);
      if (comboKept) add(combo);
      const nAgents = c.has('HTN') ? Math.min(3, Math.min(2, s.htnGrade) + (labs.sbp > 170 ? 1 : 0)) : 0;
      let count = comboKept ? 2 : 0;
      // RAS blockade
      const wantRas = c.has('HF') || (c.has('HTN') && (dm || ckd || ch.chance(0.6))) || (c.has('CHD') && ch.chance(0.35));
      if (wantRas && !comboKept) {
        if (c.has('HF') && (homeOf('ARNI') || ch.chance(0.6))) add('沙库巴曲缬沙坦', '抗心衰');
        else if (doc.acei.items.some(ok) && ((homeOf('ACEI') && ok(homeOf('ACEI')!)) || (!homeOf('ARB') && ch.chance(doc.aceiOverArb)))) slot('ACEI', doc.acei);
        else slot('ARB', doc.arb, 0.88, '降压、减少尿蛋白');
        if (out.some((d) => ['ARB', 'ACEI', 'ARNI'].includes(classOf(d)))) count++;
      }
      // beta blockers
      if (c.has('HF') || c.has('AF') || (c.has('CHD') && ch.chance(0.4)) || labs.hr > 95 || homeOf('BB')) {
        if (ch.chance(homeOf('BB') ? 0.9 : 0.85)) slot('BB', doc.bb, 0.9, '控制心室率');
        if (hasCls('BB') && c.has('HTN')) count++;
      }
      if (c.has('HTN') && count < nAgents && !comboKept) {
        slot('CCB', doc.ccb, 0.9, '降压');
        count++;
      } else if (homeOf('CCB') && !comboKept && ch.chance(0.8)) add(homeOf('CCB'));
      if (c.has('HTN') && count < nAgents) {
        if (e < 30) add(homeOf('LOOP') ?? '呋塞米', '利尿降压');
        else if (ok('吲达帕胺')) slot('THZ', { items: ['吲达帕胺', '氢氯噻嗪'], weights: [0.6, 0.4] }, 0.9, '利尿降压');
        count++;
      }
      if (c.has('HTN') && c.has('BPH') && ch.chance(0.3)) add('特拉唑嗪', '降压并改善排尿');
      if (c.has('HF')) {
        if (ch.chance(0.75)) slot('LOOP', { items: ['呋塞米', '托拉塞米'], weights: [0.7, 0.3] }, 0.9, '利尿减轻心脏负荷');
        if (ch.chance(0.6)) add('螺内酯', '抗心衰');
        if (ch.chance(0.75) && ok('达格列净')) {
          if (!hasCls('SGLT2')) add(homeOf('SGLT2') && ok(homeOf('SGLT2')!) ? homeOf('SGLT2') : ok('达格列净') ? '达格列净' : null, '心衰获益');
        }
        if (c.has('AF') && ch.chance(0.2)) add('地高辛', '控制心室率');
        if (ch.chance(doc.tcm * 0.6)) add('芪苈强心胶囊', '');
      }
    }
  }

  // ---------------- lipids ----------------
  if (!preg) {
    let pStatin = 0.1;
    if (ascvd) pStatin = 0.95;
    else if (dm && s.age >= 40) pStatin = 0.85;
    else if (c.has('DYSLIP') && labs.ldl > 3.4) pStatin = 0.75;
    else if (dm) pStatin = 0.35;
    else if (c.has('DYSLIP')) pStatin = 0.3;
    if (homeOf('STATIN')) pStatin = Math.max(pStatin, 0.85);
    if (ch.chance(pStatin)) {
      const before = out.length;
      slot('STATIN', doc.statin, 0.88, ascvd ? '稳定斑块' : '调脂');
      if (out.length === before && s.patient.intolerances.includes('STATIN')) add('依折麦布', '他汀不耐受');
    }
    if (ascvd && labs.ldl > 3.0 && ch.chance(homeOf('EZE') ? 0.9 : 0.3)) add('依折麦布', 'LDL-C未达标');
    else if (homeOf('EZE') && ch.chance(0.8)) add('依折麦布');
    if (labs.tg > 5.6 ? ch.chance(0.75) : labs.tg > 2.3 ? ch.chance(homeOf('FIB') ? 0.8 : 0.18) : false)
      slot('FIB', { items: ['非诺贝特', '苯扎贝特'], weights: [0.85, 0.15] }, 0.9, '降甘油三酯');
    if (c.has('DYSLIP') && ch.chance(doc.tcm * 0.25)) add('血脂康', '');
    if (labs.tg > 2.3 && ch.chance(0.04)) add(ch.weighted(['多烯酸乙酯', '阿昔莫司'], [0.6, 0.4]), '');
  }

  // ---------------- antithrombotic ----------------
  if (!preg) {
    if (c.has('AF')) {
      if (ch.chance(0.75)) slot('AC', { items: ['利伐沙班', '达比加群酯', '华法林'], weights: [0.6, 0.25, 0.15] }, 0.9, '抗凝预防卒中');
    }
    const needAp = c.has('CHD') || c.has('STROKE') || c.has('PAD') || (dm && s.age >= 50 && (c.has('HTN') || c.has('DYSLIP') || c.has('CAROTID')) && ch.chance(0.22));
    if (needAp && !(hasCls('AC') && !c.has('RECENT_PCI'))) {
      if (c.has('STROKE') && !c.has('CHD') && !homeOf('AP') && ch.chance(0.4)) add('氯吡格雷', '抗血小板');
      else if (ok('阿司匹林')) add('阿司匹林', '抗血小板聚集');
      else add(ch.weighted(['氯吡格雷', '吲哚布芬'], [0.7, 0.3]), '抗血小板');
      if (c.has('RECENT_PCI') && ch.chance(0.85)) {
        const h = home.find((d) => d === '氯吡格雷' || d === '替格瑞洛');
        add(h ?? ch.weighted(['氯吡格雷', '替格瑞洛'], [0.6, 0.4]), '双联抗血小板');
      }
    }
    if (c.has('PAD') && ch.chance(homeOf('PADX') ? 0.8 : 0.4)) slot('PADX', { items: ['西洛他唑', '贝前列素', '沙格雷酯'], weights: [0.45, 0.35, 0.2] }, 0.9, '改善下肢循环');
    if (c.has('CHD')) {
      if (ch.chance(homeOf('NITRATE') ? 0.85 : 0.3)) slot('NITRATE', { items: ['单硝酸异山梨酯', '硝酸异山梨酯'], weights: [0.85, 0.15] });
      if (ch.chance(homeOf('CARDIO') ? 0.8 : 0.15)) slot('CARDIO', { items: ['曲美他嗪', '尼可地尔'], weights: [0.7, 0.3] });
      if (ch.chance(doc.tcm * 0.7)) slot('TCM', doc.tcmHeart);
    }
    if (c.has('STROKE')) {
      if (ch.chance(0.1 + doc.tcm * 0.3)) add(ch.weighted(['丁苯酞', '银杏叶提取物', '脑心通胶囊', '尼麦角林'], [0.3, 0.3, 0.3, 0.1]), '改善脑循环');
    }
  }

  // ---------------- uric acid / gout ----------------
  if (c.has('HU') || c.has('GOUT')) {
    const pU = homeOf('URATE') ? 0.9 : c.has('GOUT') || labs.ua > 540 ? 0.75 : labs.ua > 480 ? 0.35 : 0.1;
    if (ch.chance(pU)) {
      const h = homeOf('URATE');
      if (h && ok(h) && ch.chance(0.88)) add(h);
      else if (h === '别嘌醇' && !ok(h) && ok('非布司他')) add('非布司他', '换用非布司他降尿酸');
      else add(pickPref(ch, doc.urate, (n) => ok(n) && !(e < 45 && n === '别嘌醇')), '降尿酸');
    }
    if (c.has('GOUT_FLARE')) {
      if (ok('秋水仙碱') && ch.chance(0.6)) add('秋水仙碱', '痛风急性发作');
      if (ch.chance(0.3)) add(ok('依托考昔') ? '依托考昔' : null, '止痛');
    }
    if (ch.chance(homeOf('ALK') ? 0.8 : c.has('GOUT') ? 0.3 : 0.1)) add('碳酸氢钠', '碱化尿液');
  }

  // ---------------- thyroid ----------------
  if (c.has('HYPOTHYROID') || (c.has('HASHIMOTO') && (labs.tsh ?? 0) > 4.5)) {
    const tsh = labs.tsh ?? 8;
    if (ch.chance(home.includes('左甲状腺素') ? 0.97 : tsh > 10 ? 0.95 : tsh > 4.5 ? 0.45 : 0.1)) add('左甲状腺素', '甲状腺激素替代');
  }
  if (c.has('HYPERTHYROID')) {
    if (ch.chance(0.92)) add(preg ? '丙硫氧嘧啶' : home.includes('丙硫氧嘧啶') && ch.chance(0.7) ? '丙硫氧嘧啶' : '甲巯咪唑', '抗甲状腺治疗');
    if (labs.hr > 95 && !hasCls('BB') && ch.chance(0.65)) add(ch.weighted(['普萘洛尔', '美托洛尔'], [0.55, 0.45]), '控制心率');
  }

  // ---------------- bone ----------------
  if (c.has('OSTEO')) {
    if (ch.chance(0.85)) add(ch.weighted(['碳酸钙D3', '碳酸钙'], [0.88, 0.12]), '补钙');
    if (ch.chance(0.7)) add(pickPref(ch, doc.vitd, ok), '活性维生素D');
    if (!inp.zoledronate && ch.chance(homeOf('BISPH') ? 0.9 : 0.45)) slot('BISPH', { items: ['阿仑膦酸钠', '利塞膦酸钠'], weights: [0.85, 0.15] }, 0.9, '抗骨质疏松');
  } else if (c.has('VITD_DEF') && ch.chance(0.4)) {
    add(ch.weighted(['维生素D', '骨化三醇', '碳酸钙D3'], [0.4, 0.3, 0.3]), '补充维生素D');
  }

  // ---------------- diabetic complications ----------------
  if (c.has('DPN')) {
    if (ch.chance(homeOf('NEURO') ? Math.max(doc.mecobalamin, 0.8) : doc.mecobalamin)) add('甲钴胺', '营养神经');
    if (ch.chance(doc.lipoicAcid)) add('硫辛酸', '抗氧化应激');
    if (ch.chance(doc.epalrestat)) add('依帕司他', '改善神经病变');
    if (c.has('PAINFUL_DPN') && ch.chance(0.6)) add(ch.weighted(['普瑞巴林', '度洛西汀', '加巴喷丁'], [0.6, 0.25, 0.15]), '缓解神经痛');
    if (ch.chance(0.06)) add(ch.weighted(['维生素B1', '腺苷钴胺', '木丹颗粒'], [0.5, 0.3, 0.2]), '');
  }
  if (c.has('DR') && ch.chance(0.33)) add('羟苯磺酸钙', '改善视网膜微循环');
  if (c.has('DKD') && ch.chance(0.1)) add('胰激肽原酶', '改善微循环');

  // ---------------- kidney ----------------
  if (e < 30 || (ckd && c.has('DKD'))) {
    if (ch.chance(e < 30 ? 0.6 : 0.18)) add('复方α-酮酸', '低蛋白饮食配合');
    if (ch.chance(doc.tcm * (e < 30 ? 0.8 : 0.5))) add(pickPref(ch, doc.tcmKidney, () => true), '护肾');
  }
  if (e < 30) {
    if ((labs.hco3 ?? 24) < 22 && ch.chance(0.6)) add('碳酸氢钠', '纠正代谢性酸中毒');
    if ((labs.phos ?? 1) > 1.6 && ch.chance(0.55)) add(ch.weighted(['司维拉姆', '碳酸钙', '碳酸镧'], [0.6, 0.3, 0.1]), '降磷');
    if (ch.chance(0.3)) add('骨化三醇', '');
    if (e < 20 && ch.chance(0.15)) add('药用炭', '');
  }
  if (labs.hb < (s.patient.sex === '男' ? 120 : 110)) {
    if (e < 45 && ch.chance(0.4)) add(ch.weighted(['罗沙司他', '重组人促红素'], [0.65, 0.35]), '纠正肾性贫血');
    if (ch.chance(0.35)) add(ch.weighted(['琥珀酸亚铁', '多糖铁复合物'], [0.75, 0.25]), '补铁');
    if (ch.chance(0.25)) add('叶酸', '');
  }
  // ---------------- liver ----------------
  if (c.has('NAFLD') || labs.alt > 40) {
    if (ch.chance(homeOf('LIVER') ? 0.8 : labs.alt > 40 ? 0.55 : 0.08)) slot('LIVER', doc.liver, 0.85, '保肝降酶');
  }
  // ---------------- GI ----------------
  const dapt = out.includes('阿司匹林') && (out.includes('氯吡格雷') || out.includes('替格瑞洛'));
  if (c.has('GASTRITIS') || dapt || c.has('GI_BLEED_HX')) {
    if (ch.chance(homeOf('PPI') ? 0.85 : c.has('GASTRITIS') ? 0.55 : 0.5)) {
      if (out.includes('氯吡格雷') && ch.chance(0.7)) add('泮托拉唑', '护胃');
      else slot('PPI', doc.ppi, 0.85, '护胃');
    }
    if (c.has('GASTRITIS') && ch.chance(0.25)) add(ch.weighted(['铝碳酸镁', '莫沙必利', '瑞巴派特', '替普瑞酮', '多潘立酮'], [0.3, 0.25, 0.2, 0.15, 0.1]), '');
  }
  // ---------------- infections ----------------
  if (c.has('UTI') && ch.chance(0.35)) add(pickPref(ch, doc.antibioticUti, ok), '继续抗感染');
  if (c.has('PNEUMONIA')) {
    if (ch.chance(0.3)) add(pickPref(ch, doc.antibioticResp, ok), '序贯口服抗感染');
    if (ch.chance(0.45)) add(ch.weighted(['氨溴索', '乙酰半胱氨酸', '羧甲司坦'], [0.55, 0.3, 0.15]), '化痰');
  }
  if (c.has('FOOT_ULCER') && ch.chance(0.3)) add(ch.weighted(['左氧氟沙星', '头孢呋辛', '莫西沙星'], [0.4, 0.35, 0.25]), '足部感染');
  // ---------------- misc ----------------
  if (c.has('INSOMNIA') && ch.chance(homeOf('SLEEP') ? 0.85 : 0.5)) slot('SLEEP', doc.sleep, 0.9);
  if (c.has('ANXIETY') && ch.chance(0.5)) add(ch.weighted(['氟哌噻吨美利曲辛', '艾司西酞普兰', '舍曲林'], [0.6, 0.25, 0.15]), '改善情绪');
  if (c.has('BPH') && ch.chance(homeOf('BPH') ? 0.85 : 0.45)) slot('BPH', { items: ['坦索罗辛', '非那雄胺', '普适泰'], weights: [0.6, 0.3, 0.1] }, 0.9);
  if (c.has('BPH') && out.includes('坦索罗辛') && ch.chance(0.3)) add('非那雄胺');
  if (c.has('COPD') && ch.chance(0.65)) add(ch.weighted(['噻托溴铵', '布地奈德福莫特罗', '孟鲁司特'], [0.45, 0.4, 0.15]), '');
  if (c.has('HYPOK') && ch.chance(0.5)) add(ch.weighted(['氯化钾', '枸橼酸钾'], [0.75, 0.25]), '补钾');
  if (c.has('VERTIGO') && ch.chance(0.45)) add('倍他司汀', '');
  if (preg) add('叶酸', '孕期补充');
  if (preg && ch.chance(0.5)) add('碳酸钙D3', '孕期补钙');
  if (c.has('OBESITY') && !dm && ch.chance(0.2) && ok('二甲双胍')) add('二甲双胍', '改善胰岛素抵抗');
  if (ch.chance(doc.tcm * 0.12)) add(ch.weighted(['维生素C', '复合维生素B', '维生素E', '谷维素'], [0.3, 0.3, 0.2, 0.2]), '');

  // ---------------- home drugs that did not make it ----------------
  for (const h of home) {
    if (out.includes(h)) continue;
    const reason = contraindication(h, s, labs);
    const cls = classOf(h);
    let r = reason;
    if (!r) {
      if (['MET', 'SGLT2', 'DPP4', 'SU', 'GLN', 'TZD', 'AGI', 'TCMDM', 'GLP1', 'BASAL', 'PRAND', 'PREMIX'].includes(cls)) r = c.has('HYPOGLY') ? '低血糖' : '血糖控制不佳，调整降糖方案';
      else if (['ARB', 'ACEI', 'CCB', 'BB', 'THZ', 'LOOP', 'ARNI'].includes(cls)) r = labs.sbp < 110 ? '血压偏低' : '调整降压方案';
      else r = '病情稳定';
    }
    changes.push({ drug: h, kind: 'stop', reason: r });
  }
  return { drugs: out, changes, insulinScheme };
}

/**
 * Home regimen of a first visit: what the patient was taking before admission (a simpler,
 * outside-hospital regimen with random brands, no ward-doctor style).
 */
export function firstHomeRegimen(rng: Rng, s: VisitState, labs0: { egfr: number }): string[] {
  const c = s.cond;
  const out: string[] = [];
  const put = (n: string) => {
    if (!out.includes(n)) out.push(n);
  };
  const durYears = s.year - s.patient.dmOnsetYear;
  if (c.has('T1DM') && durYears > 0) {
    if (rng.chance(0.75)) {
      put(rng.weighted(['甘精胰岛素', '德谷胰岛素', '地特胰岛素', '精蛋白生物合成人胰岛素'], [0.5, 0.2, 0.2, 0.1]));
      put(rng.weighted(['门冬胰岛素', '赖脯胰岛素', '生物合成人胰岛素', '谷赖胰岛素'], [0.5, 0.25, 0.15, 0.1]));
    } else put(rng.weighted(['门冬胰岛素30', '精蛋白生物合成人胰岛素(预混30R)', '赖脯胰岛素25'], [0.6, 0.25, 0.15]));
  }
  if (c.has('T2DM') && durYears > 0) {
    const metOk = labs0.egfr >= 30 && !s.patient.intolerances.includes('MET');
    if (metOk && rng.chance(0.7)) put('二甲双胍');
    if (rng.chance(0.3)) put(rng.weighted(['格列美脲', '格列齐特', '格列吡嗪', '格列喹酮', '消渴丸'], [0.45, 0.3, 0.12, 0.05, 0.08]));
    if (rng.chance(0.33)) put(rng.weighted(['阿卡波糖', '伏格列波糖'], [0.85, 0.15]));
    if (rng.chance(0.15)) put(rng.weighted(['西格列汀', '利格列汀', '沙格列汀', '维格列汀', '西格列汀二甲双胍'], [0.35, 0.2, 0.2, 0.15, 0.1]));
    if (s.year >= 2020 && rng.chance(0.12)) put(rng.weighted(['达格列净', '恩格列净', '卡格列净'], [0.5, 0.35, 0.15]));
    if (rng.chance(0.05)) put(rng.weighted(['瑞格列奈', '吡格列酮', '那格列奈'], [0.55, 0.3, 0.15]));
    if (rng.chance(0.04)) put(rng.weighted(['利拉鲁肽', '度拉糖肽', '艾塞那肽'], [0.5, 0.35, 0.15]));
    if (durYears > 6 && rng.chance(0.35)) put(rng.weighted(['门冬胰岛素30', '精蛋白生物合成人胰岛素(预混30R)', '赖脯胰岛素25', '甘精胰岛素', '地特胰岛素', '德谷胰岛素'], [0.35, 0.2, 0.1, 0.2, 0.08, 0.07]));
    if (rng.chance(0.03)) put(rng.pick(['津力达颗粒', '参芪降糖颗粒', '天麦消渴片']));
  }
  if (c.has('HTN')) {
    const n = rng.weighted([0, 1, 2, 3], [0.1, 0.5, 0.32, 0.08]);
    const pool = ['氨氯地平', '硝苯地平', '非洛地平', '左氨氯地平', '厄贝沙坦', '缬沙坦', '氯沙坦', '替米沙坦', '奥美沙坦', '贝那普利', '培哚普利', '美托洛尔', '比索洛尔', '吲达帕胺', '氢氯噻嗪', '缬沙坦氨氯地平', '厄贝沙坦氢氯噻嗪', '氯沙坦氢氯噻嗪', '依那普利', '坎地沙坦'];
    const w = [0.2, 0.18, 0.05, 0.05, 0.09, 0.08, 0.05, 0.05, 0.03, 0.03, 0.02, 0.05, 0.04, 0.03, 0.02, 0.03, 0.02, 0.01, 0.01, 0.01];
    const seen = new Set<string>();
    for (let i = 0; i < n * 3 && seen.size < n; i++) {
      const d = rng.weighted(pool, w);
      const cls = classOf(d);
      if ([...seen].some((x) => classOf(x) === cls)) continue;
      seen.add(d);
    }
    seen.forEach(put);
  }
  if (c.has('CHD') || c.has('STROKE') || c.has('PAD')) {
    if (rng.chance(0.65)) put(rng.chance(0.85) ? '阿司匹林' : '氯吡格雷');
    if (c.has('RECENT_PCI') && rng.chance(0.8)) put(rng.chance(0.6) ? '氯吡格雷' : '替格瑞洛');
    if (c.has('CHD') && rng.chance(0.2)) put(rng.weighted(['单硝酸异山梨酯', '曲美他嗪', '复方丹参滴丸', '麝香保心丸'], [0.4, 0.2, 0.25, 0.15]));
  }
  if ((c.has('CHD') || c.has('STROKE') || c.has('DYSLIP')) && rng.chance(c.has('CHD') ? 0.6 : 0.3)) put(rng.weighted(['阿托伐他汀', '瑞舒伐他汀', '辛伐他汀', '匹伐他汀', '普伐他汀'], [0.5, 0.3, 0.08, 0.07, 0.05]));
  if (c.has('HU') && rng.chance(0.3)) put(rng.weighted(['非布司他', '别嘌醇', '苯溴马隆'], [0.4, 0.35, 0.25]));
  if (c.has('HYPOTHYROID') && rng.chance(0.6)) put('左甲状腺素');
  if (c.has('HYPERTHYROID') && rng.chance(0.4)) put(rng.chance(0.85) ? '甲巯咪唑' : '丙硫氧嘧啶');
  if (c.has('OSTEO') && rng.chance(0.35)) put('碳酸钙D3');
  if (c.has('DPN') && rng.chance(0.35)) put('甲钴胺');
  if (c.has('DPN') && rng.chance(0.1)) put('依帕司他');
  if (c.has('AF') && rng.chance(0.5)) put(rng.chance(0.6) ? '利伐沙班' : '华法林');
  if (c.has('HF') && rng.chance(0.5)) put('呋塞米');
  if (c.has('HF') && rng.chance(0.4)) put('螺内酯');
  if (c.has('GASTRITIS') && rng.chance(0.25)) put(rng.pick(['奥美拉唑', '雷贝拉唑', '泮托拉唑']));
  if (c.has('INSOMNIA') && rng.chance(0.4)) put(rng.pick(['艾司唑仑', '阿普唑仑', '右佐匹克隆']));
  if (c.has('BPH') && rng.chance(0.4)) put(rng.pick(['坦索罗辛', '非那雄胺']));
  if (c.has('COPD') && rng.chance(0.4)) put(rng.pick(['噻托溴铵', '布地奈德福莫特罗']));
  if (c.has('NAFLD') && rng.chance(0.06)) put(rng.pick(['多烯磷脂酰胆碱', '水飞蓟宾']));
  return out;
}

/** Label noise: random omissions and spurious additions, so no rule recovers labels exactly. */
export interface NoiseOptions {
  /** Per-drug omission probability (default 0.04). */
  drop?: number;
  /** Probability of 1–2 spurious additions (default 0.14). */
  extra?: number;
  /** Drugs never added as spurious extras (e.g. home drugs the note stops for cause). */
  exclude?: ReadonlySet<string>;
}

export function applyLabelNoise(rng: Rng, drugs: string[], s: VisitState, labs: Labs, opt: NoiseOptions = {}): string[] {
  const out = drugs.filter(() => !rng.chance(opt.drop ?? 0.04));
  const extras = rng.chance(opt.extra ?? 0.14) ? (rng.chance(0.2) ? 2 : 1) : 0;
  for (let i = 0; i < extras; i++) {
    let d: string;
    if (rng.chance(0.6)) {
      // plausible extras for an old metabolic patient
      d = rng.weighted(
        ['阿司匹林', '阿托伐他汀', '瑞舒伐他汀', '甲钴胺', '硫辛酸', '依帕司他', '氨氯地平', '泮托拉唑', '奥美拉唑', '碳酸钙D3', '骨化三醇', '阿卡波糖', '二甲双胍', '维生素B1', '叶酸', '复方丹参滴丸', '银杏叶提取物', '羟苯磺酸钙', '胰激肽原酶', '多烯磷脂酰胆碱', '乳果糖', '双歧杆菌三联活菌', '聚乙二醇4000', '氯化钾'],
        [1, 1, 1, 1.2, 1, 1, 1, 0.8, 0.8, 0.6, 0.6, 0.6, 0.5, 0.5, 0.4, 0.5, 0.5, 0.5, 0.4, 0.5, 0.4, 0.3, 0.3, 0.3],
      );
    } else d = rng.pick(DISCHARGEABLE);
    if (contraindication(d, s, labs) !== null || opt.exclude?.has(d)) continue;
    if (!out.includes(d)) out.push(d);
  }
  if (out.length === 0 && drugs.length > 0) out.push(drugs[0]!);
  return out;
}

export function drugInfoExists(n: string): boolean {
  try {
    drug(n);
    return true;
  } catch {
    return false;
  }
}
