/**
 * Latent prescriber model. Each ward doctor has a stable prescribing style (preferred agent in
 * each class, enthusiasm for newer classes, TCM propensity) and a stable writing style. The two
 * are drawn together, so prose style weakly reveals prescribing preference — as in real wards.
 */
import { Rng } from './rng.ts';

export interface PrefPick {
  /** Candidate names and the doctor's weights for them (first = most preferred). */
  items: string[];
  weights: number[];
}

export interface DoctorStyle {
  id: number;
  sglt2: PrefPick;
  dpp4: PrefPick;
  glp1: PrefPick;
  statin: PrefPick;
  arb: PrefPick;
  acei: PrefPick;
  ccb: PrefPick;
  bb: PrefPick;
  basal: PrefPick;
  prandial: PrefPick;
  premix: PrefPick;
  su: PrefPick;
  agi: PrefPick;
  ppi: PrefPick;
  urate: PrefPick;
  liver: PrefPick;
  vitd: PrefPick;
  antibioticUti: PrefPick;
  antibioticResp: PrefPick;
  sleep: PrefPick;
  tcmHeart: PrefPick;
  tcmKidney: PrefPick;
  /** Propensities in [0,1]. */
  aceiOverArb: number;
  sglt2Enthusiasm: number;
  glp1Enthusiasm: number;
  agiUse: number;
  mecobalamin: number;
  lipoicAcid: number;
  epalrestat: number;
  tcm: number;
  /** >1: starts insulin at lower HbA1c. */
  insulinAggressiveness: number;
  premixOverBasalBolus: number;
  // ---- writing style ----
  /**
   * Probability that a newly started discharge drug is named explicitly in 诊疗过程描述
   * (continuing drugs: 0.8× this). Bimodal: many real charts name the regimen they leave on, others
   * summarise it ("余治疗同前"), so a reader must learn both that a named drug matters and that an
   * unnamed one may still go home.
   */
  nameRate: number;
  /** Probability of a class-level mention for an un-named new discharge drug. */
  classRate: number;
  /** Probability to write a trade name instead of a generic one. */
  tradeRate: number;
  /** Probability that a stopped home drug is written down with its reason. */
  stopNoteRate: number;
  /** Probability that each home drug is named in the history. */
  homeNameRate: number;
  verbosity: number;
  /** Index of the doctor's favourite template family (0..3). */
  templateFamily: number;
  labStyle: number;
  abbrevRate: number;
}

function pref(rng: Rng, items: string[], base: number[]): PrefPick {
  // Reorder candidates by a noisy version of the base popularity; the top one gets most weight.
  const keyed = items.map((it, i) => ({ it, k: (base[i] ?? 0.1) * rng.uniform(0.3, 1.7) }));
  keyed.sort((a, b) => b.k - a.k || (a.it < b.it ? -1 : 1));
  const top = rng.uniform(0.72, 0.92);
  const rest = keyed.length > 1 ? (1 - top) / (keyed.length - 1) : 0;
  return { items: keyed.map((x) => x.it), weights: keyed.map((_, i) => (i === 0 ? top : rest)) };
}

/** A propensity that is either low or high for a doctor (decisive habits, not coin flips). */
function bimodal(rng: Rng, lo: number, hi: number, pHigh: number): number {
  return rng.chance(pHigh) ? Math.min(0.97, hi + rng.uniform(-0.08, 0.08)) : Math.max(0.01, lo + rng.uniform(-0.04, 0.04));
}

export function makeDoctors(seed: number, n: number): DoctorStyle[] {
  const out: DoctorStyle[] = [];
  for (let id = 0; id < n; id++) {
    const r = new Rng(seed, 'doctor', id);
    out.push({
      id,
      sglt2: pref(r, ['达格列净', '恩格列净', '卡格列净', '艾托格列净'], [0.45, 0.35, 0.12, 0.06]),
      dpp4: pref(r, ['西格列汀', '利格列汀', '沙格列汀', '维格列汀', '阿格列汀'], [0.35, 0.3, 0.15, 0.1, 0.08]),
      glp1: pref(r, ['利拉鲁肽', '度拉糖肽', '司美格鲁肽', '聚乙二醇洛塞那肽', '艾塞那肽', '利司那肽', '贝那鲁肽'], [0.3, 0.3, 0.3, 0.05, 0.04, 0.03, 0.02]),
      statin: pref(r, ['阿托伐他汀', '瑞舒伐他汀', '匹伐他汀', '普伐他汀', '辛伐他汀'], [0.55, 0.4, 0.08, 0.03, 0.03]),
      arb: pref(r, ['厄贝沙坦', '缬沙坦', '氯沙坦', '替米沙坦', '奥美沙坦', '坎地沙坦', '阿利沙坦酯'], [0.25, 0.22, 0.15, 0.15, 0.1, 0.05, 0.1]),
      acei: pref(r, ['贝那普利', '培哚普利', '福辛普利', '依那普利'], [0.4, 0.3, 0.2, 0.1]),
      ccb: pref(r, ['氨氯地平', '硝苯地平', '非洛地平', '左氨氯地平', '贝尼地平', '拉西地平'], [0.45, 0.35, 0.1, 0.1, 0.04, 0.03]),
      bb: pref(r, ['美托洛尔', '比索洛尔', '卡维地洛', '阿罗洛尔'], [0.6, 0.4, 0.05, 0.04]),
      basal: pref(r, ['甘精胰岛素', '德谷胰岛素', '地特胰岛素'], [0.5, 0.3, 0.2]),
      prandial: pref(r, ['门冬胰岛素', '赖脯胰岛素', '谷赖胰岛素', '生物合成人胰岛素'], [0.6, 0.25, 0.1, 0.05]),
      premix: pref(r, ['门冬胰岛素30', '赖脯胰岛素25', '德谷门冬双胰岛素', '精蛋白生物合成人胰岛素(预混30R)', '门冬胰岛素50', '赖脯胰岛素50'], [0.5, 0.2, 0.15, 0.1, 0.04, 0.03]),
      su: pref(r, ['格列美脲', '格列齐特', '格列吡嗪'], [0.6, 0.3, 0.1]),
      agi: pref(r, ['阿卡波糖', '伏格列波糖', '米格列醇'], [0.85, 0.15, 0.02]),
      ppi: pref(r, ['泮托拉唑', '奥美拉唑', '雷贝拉唑', '艾司奥美拉唑', '兰索拉唑'], [0.3, 0.3, 0.2, 0.15, 0.05]),
      urate: pref(r, ['非布司他', '别嘌醇', '苯溴马隆'], [0.6, 0.25, 0.15]),
      liver: pref(r, ['多烯磷脂酰胆碱', '水飞蓟宾', '双环醇', '复方甘草酸苷', '甘草酸二铵'], [0.4, 0.3, 0.15, 0.1, 0.05]),
      vitd: pref(r, ['骨化三醇', '阿法骨化醇', '维生素D'], [0.5, 0.4, 0.1]),
      antibioticUti: pref(r, ['左氧氟沙星', '头孢克肟', '呋喃妥因', '磷霉素'], [0.4, 0.3, 0.15, 0.15]),
      antibioticResp: pref(r, ['莫西沙星', '左氧氟沙星', '头孢呋辛', '阿莫西林克拉维酸', '阿奇霉素'], [0.3, 0.3, 0.2, 0.15, 0.05]),
      sleep: pref(r, ['艾司唑仑', '右佐匹克隆', '阿普唑仑', '唑吡坦', '劳拉西泮'], [0.4, 0.25, 0.15, 0.15, 0.05]),
      tcmHeart: pref(r, ['复方丹参滴丸', '麝香保心丸', '通心络胶囊', '脑心通胶囊', '血塞通', '参松养心胶囊'], [0.3, 0.25, 0.15, 0.15, 0.1, 0.05]),
      tcmKidney: pref(r, ['百令胶囊', '金水宝胶囊', '黄葵胶囊', '海昆肾喜胶囊', '尿毒清颗粒'], [0.35, 0.3, 0.2, 0.08, 0.07]),
      aceiOverArb: bimodal(r, 0.03, 0.7, 0.15),
      sglt2Enthusiasm: bimodal(r, 0.12, 0.8, 0.5),
      glp1Enthusiasm: bimodal(r, 0.05, 0.6, 0.35),
      agiUse: bimodal(r, 0.08, 0.55, 0.4),
      mecobalamin: bimodal(r, 0.2, 0.92, 0.7),
      lipoicAcid: bimodal(r, 0.06, 0.75, 0.25),
      epalrestat: bimodal(r, 0.06, 0.75, 0.25),
      tcm: bimodal(r, 0.03, 0.7, 0.25),
      insulinAggressiveness: r.uniform(0.85, 1.2),
      premixOverBasalBolus: bimodal(r, 0.2, 0.8, 0.5),
      nameRate: bimodal(r, 0.14, 0.8, 0.5),
      classRate: r.uniform(0.2, 0.6),
      tradeRate: r.uniform(0.05, 0.5),
      stopNoteRate: r.uniform(0.4, 0.95),
      homeNameRate: r.uniform(0.35, 0.8),
      verbosity: r.uniform(0, 1),
      templateFamily: r.int(0, 3),
      labStyle: r.int(0, 2),
      abbrevRate: r.uniform(0, 0.6),
    });
  }
  return out;
}
