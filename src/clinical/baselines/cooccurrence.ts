/**
 * Diagnosis → drug co-occurrence baseline.
 *
 * 1. Each 出院诊断 string is mapped to one or more *diagnosis keys* (diagnosisKeys):
 *    NFKC (full-width → ASCII, Ⅱ → II), list numbering and bracketed qualifiers removed
 *    ("高血压病3级（极高危）" → "高血压病3级"), then matched against DIAGNOSIS_KEYWORDS, a small
 *    ordered keyword table: "2型糖尿病", "II型糖尿病", "T2DM", "二型糖尿病" → `T2DM` (+ `DM`);
 *    "慢性肾脏病3期", "CKD 3期", "CKD G3a" → `CKD` + `CKD-3`; "高血压病3级" → `HTN` + `HTN-3`;
 *    "2型糖尿病性周围神经病变" → `T2DM`, `DM`, `DPN`. A diagnosis matching no keyword becomes the
 *    key `dx:<cleaned text>`, so specific diagnoses still learn their own drugs.
 * 2. On training records: P(drug | key) = #(visits with key and drug) / #(visits with key),
 *    for keys seen in at least `minSupport` visits.
 * 3. A record's score for a drug combines its keys' P(drug | key) by max (default) or
 *    noisy-or 1 − Π(1 − P). Records with no known key fall back to the prior P(drug).
 * 4. Predict the drugs scoring ≥ cutoff (best first); keep at least the top drug.
 *    The cutoff is tuned on a grid 0.05…0.95 to maximise the CHIP score on the training
 *    records (or `dev` if given), unless fixed by options.cutoff.
 */
import type { CDrugRedRecord } from '../record.ts';
import { evaluate } from '../metrics.ts';
import { stripNumbering } from '../parse-record.ts';
import { byCodePoint, canonicalLabels, type DrugLexicon, type Recommender } from './types.ts';

interface KeywordRule {
  key: string;
  pattern: RegExp;
  /** Extra keys implied by this one (T2DM ⇒ DM). */
  implies?: string[];
  /** Derive a staged key from the match, e.g. CKD + stage 3 → CKD-3. */
  stage?: RegExp;
}

/**
 * Keyword table, matched on the cleaned, NFKC-normalised, upper-cased diagnosis. Order only
 * matters for readability; every matching rule contributes its key.
 */
export const DIAGNOSIS_KEYWORDS: readonly KeywordRule[] = [
  { key: 'T2DM', pattern: /(?:2|II|二)型糖尿病|T2DM|2-?DM|DM2|2型DM/, implies: ['DM'] },
  { key: 'T1DM', pattern: /(?:(?<![I\d])1|(?<!I)I|一)型糖尿病|T1DM|LADA|成人隐匿性自身免疫/, implies: ['DM'] },
  { key: 'GDM', pattern: /妊娠(?:期)?糖尿病|GDM/, implies: ['DM'] },
  { key: 'DM', pattern: /糖尿病|(?<![A-Z])DM(?![A-Z])/ },
  { key: 'DKA', pattern: /酮症|酮症酸中毒|DKA/ },
  { key: 'DKD', pattern: /糖尿病(?:性)?肾(?:脏)?病|DKD|DN(?![A-Z])/ },
  { key: 'DPN', pattern: /周围神经病|神经病变|DPN/ },
  { key: 'DR', pattern: /视网膜病/ },
  { key: 'DFU', pattern: /糖尿病足|足溃疡/ },
  { key: 'HTN', pattern: /高血压/, stage: /高血压病?\s*([123一二三])\s*级/ },
  { key: 'CKD', pattern: /慢性肾(?:脏)?病|慢性肾功能不全|CKD|肾功能不全|肾衰/, stage: /(?:CKD|慢性肾(?:脏)?病)\s*(?:G)?\s*([1-5])\s*[AB]?\s*期?|([1-5])\s*期/ },
  { key: 'LIPID', pattern: /高脂血症|血脂异常|高胆固醇|高甘油三酯|脂代谢|高脂|低高密度脂蛋白/ },
  { key: 'HUA', pattern: /高尿酸/ },
  { key: 'GOUT', pattern: /痛风/ },
  { key: 'CHD', pattern: /冠心病|冠状动脉粥样硬化|冠状动脉.*心脏病|心绞痛|心肌梗|PCI/ },
  { key: 'HF', pattern: /心力衰竭|心衰|心功能不全|心功能\s*(?:II|III|IV)级/ },
  { key: 'AF', pattern: /心房颤动|房颤/ },
  { key: 'STROKE', pattern: /脑梗|脑卒中|脑血管病|腔隙性梗死|腔梗/ },
  { key: 'ATHERO', pattern: /动脉粥样硬化|斑块|动脉硬化/ },
  { key: 'FATTY_LIVER', pattern: /脂肪肝|脂肪性肝病|NAFLD|MAFLD/ },
  { key: 'HYPOTHYROID', pattern: /甲状腺功能减退|甲减|桥本/ },
  { key: 'HYPERTHYROID', pattern: /甲状腺功能亢进|甲亢|GRAVES/ },
  { key: 'THYROID_NODULE', pattern: /甲状腺结节/ },
  { key: 'OSTEOPOROSIS', pattern: /骨质疏松|骨量减少/ },
  { key: 'OBESITY', pattern: /肥胖|超重/ },
  { key: 'HYPOKALEMIA', pattern: /低钾/ },
  { key: 'ANEMIA', pattern: /贫血/ },
  { key: 'HYPOGLYCEMIA', pattern: /低血糖/ },
  { key: 'INFECTION_URINARY', pattern: /泌尿系(?:统)?感染|尿路感染|膀胱炎/ },
  { key: 'INFECTION_LUNG', pattern: /肺炎|肺部感染|支气管炎|上呼吸道感染/ },
  { key: 'BPH', pattern: /前列腺增生/ },
  { key: 'GASTRITIS', pattern: /胃炎|胃溃疡|反流性食管炎|消化性溃疡/ },
  { key: 'INSOMNIA', pattern: /失眠|睡眠障碍|焦虑|抑郁/ },
];

/** Clean a diagnosis string: NFKC, numbering and bracketed qualifiers removed, upper-cased. */
export function cleanDiagnosis(diagnosis: string): string {
  let s = stripNumbering(diagnosis.normalize('NFKC'));
  let prev: string;
  do {
    prev = s;
    s = s.replace(/[(\[【〔][^()\[\]【】〔〕]*[)\]】〕]/g, '');
  } while (s !== prev);
  return s.replace(/[?？]$/, '').replace(/\s+/g, ' ').trim().toUpperCase();
}

/** Diagnosis keys of one 出院诊断 entry (see module doc). */
export function diagnosisKeys(diagnosis: string): string[] {
  const s = cleanDiagnosis(diagnosis);
  if (!s) return [];
  const keys = new Set<string>();
  for (const rule of DIAGNOSIS_KEYWORDS) {
    if (!rule.pattern.test(s)) continue;
    keys.add(rule.key);
    for (const k of rule.implies ?? []) keys.add(k);
    if (rule.stage) {
      const m = rule.stage.exec(s);
      const stage = m?.[1] ?? m?.[2];
      if (stage) keys.add(`${rule.key}-${'一二三'.includes(stage) ? '一二三'.indexOf(stage) + 1 : stage}`);
    }
  }
  if (keys.size === 0) keys.add(`dx:${s}`);
  return [...keys];
}

/** All keys of a record's diagnoses, de-duplicated. */
export function recordKeys(record: CDrugRedRecord): string[] {
  return [...new Set(record.出院诊断.flatMap(diagnosisKeys))];
}

export interface CooccurrenceOptions {
  /** Minimum visits with a key for its P(drug|key) to be used (default 2). */
  minSupport?: number;
  combine?: 'max' | 'noisy-or';
  /** Fixed cut-off; tuned when absent. */
  cutoff?: number;
  /** Records to tune the cut-off on (default: the training records). */
  dev?: readonly CDrugRedRecord[];
}

export interface CooccurrenceRecommender extends Recommender {
  readonly cutoff: number;
  /** Drug scores for a record, best first. */
  scores(record: CDrugRedRecord): Array<{ name: string; score: number }>;
}

export const CUTOFF_GRID: readonly number[] = Array.from({ length: 19 }, (_, i) => Math.round((0.05 + i * 0.05) * 100) / 100);

/**
 * The fitted co-occurrence model as plain JSON, so the browser can use a table fitted offline
 * (models/baselines/cooccurrence.json) without shipping any training records.
 */
export interface CooccurrenceTable {
  kind: 'dischargerx-cooccurrence';
  combine: 'max' | 'noisy-or';
  minSupport: number;
  cutoff: number;
  /** Diagnosis key → [drug, P(drug | key)] pairs. */
  conditional: Record<string, Array<[string, number]>>;
  /** Drug → overall frequency, used when a record has no known diagnosis key. */
  prior: Array<[string, number]>;
  trainedOn: { visits: number };
}

export function fitCooccurrence(
  train: readonly CDrugRedRecord[],
  lexicon: DrugLexicon,
  options: CooccurrenceOptions = {},
): CooccurrenceRecommender {
  return cooccurrenceFromTable(fitCooccurrenceTable(train, lexicon, options));
}

export function fitCooccurrenceTable(
  train: readonly CDrugRedRecord[],
  lexicon: DrugLexicon,
  options: CooccurrenceOptions = {},
): CooccurrenceTable {
  const minSupport = options.minSupport ?? 2;
  const combine = options.combine ?? 'max';
  const keyCount = new Map<string, number>();
  const pair = new Map<string, Map<string, number>>();
  const prior = new Map<string, number>();
  let labelled = 0;
  for (const r of train) {
    if (r.出院带药列表 === undefined) continue;
    labelled++;
    const drugs = canonicalLabels(r.出院带药列表, lexicon);
    for (const d of drugs) prior.set(d, (prior.get(d) ?? 0) + 1);
    for (const k of recordKeys(r)) {
      keyCount.set(k, (keyCount.get(k) ?? 0) + 1);
      let m = pair.get(k);
      if (!m) pair.set(k, (m = new Map()));
      for (const d of drugs) m.set(d, (m.get(d) ?? 0) + 1);
    }
  }
  if (labelled === 0) throw new Error('cooccurrence baseline: no labelled training records (出院带药列表)');

  const conditional: CooccurrenceTable['conditional'] = {};
  for (const [k, n] of [...keyCount].sort((a, b) => byCodePoint(a[0], b[0]))) {
    if (n < minSupport) continue;
    conditional[k] = [...(pair.get(k) ?? [])]
      .map(([d, c]) => [d, roundProbability(c / n)] as [string, number])
      .filter(([, p]) => p >= MIN_TABLE_PROBABILITY)
      .sort((a, b) => b[1] - a[1] || byCodePoint(a[0], b[0]));
  }
  const table: CooccurrenceTable = {
    kind: 'dischargerx-cooccurrence',
    combine,
    minSupport,
    cutoff: options.cutoff ?? 0.5,
    conditional,
    prior: [...prior].map(([d, c]) => [d, roundProbability(c / labelled)] as [string, number]).sort((a, b) => b[1] - a[1] || byCodePoint(a[0], b[0])),
    trainedOn: { visits: labelled },
  };
  if (options.cutoff === undefined) {
    const dev = (options.dev ?? train).filter((r) => r.出院带药列表 !== undefined);
    const gold = new Map(dev.map((r) => [r.就诊标识, r.出院带药列表 ?? []] as const));
    const scorer = cooccurrenceFromTable(table);
    const ranked = dev.map((r) => [r.就诊标识, scorer.scores(r)] as const);
    let best = -1;
    for (const c of CUTOFF_GRID) {
      const pred = new Map(ranked.map(([id, rk]) => [id, selectAboveCutoff(rk, c)] as const));
      const s = evaluate(gold, pred, { normalize: (n) => lexicon.normalize(n) }).score;
      if (s > best + 1e-12) {
        best = s;
        table.cutoff = c;
      }
    }
  }
  return table;
}

/**
 * The table ships to the browser: 4 decimals and no near-zero pairs keep it small. Applied
 * when fitting, so the CLI and the browser score from exactly the same numbers.
 */
const MIN_TABLE_PROBABILITY = 0.005;
function roundProbability(p: number): number {
  return Math.round(p * 1e4) / 1e4;
}

function selectAboveCutoff(ranked: ReadonlyArray<{ name: string; score: number }>, cutoff: number): string[] {
  const out = ranked.filter((x) => x.score >= cutoff - 1e-12).map((x) => x.name);
  if (out.length === 0 && ranked[0]) out.push(ranked[0].name);
  return out;
}

/** Rebuilds the recommender from a table; throws a clear error on a file that is not one. */
export function cooccurrenceFromTable(json: unknown): CooccurrenceRecommender {
  const table = json as Partial<CooccurrenceTable> | null;
  if (
    table?.kind !== 'dischargerx-cooccurrence' ||
    typeof table.conditional !== 'object' ||
    !Array.isArray(table.prior) ||
    typeof table.cutoff !== 'number'
  ) {
    throw new Error('not a DischargeRx co-occurrence table (expected kind "dischargerx-cooccurrence")');
  }
  const cutoff = table.cutoff;
  const cond = new Map(Object.entries(table.conditional).map(([k, pairs]) => [k, new Map(pairs)] as const));
  const priorP = new Map(table.prior);
  const combine = table.combine;

  const scores = (record: CDrugRedRecord): Array<{ name: string; score: number }> => {
    const known = recordKeys(record).filter((k) => cond.has(k));
    const acc = new Map<string, number>();
    if (known.length === 0) {
      for (const [d, p] of priorP) acc.set(d, p);
    } else {
      for (const k of known) {
        for (const [d, p] of cond.get(k) ?? []) {
          const cur = acc.get(d);
          if (combine === 'max') acc.set(d, Math.max(cur ?? 0, p));
          else acc.set(d, 1 - (1 - (cur ?? 0)) * (1 - p));
        }
      }
    }
    return [...acc.entries()]
      .map(([name, score]) => ({ name, score }))
      .sort((a, b) => b.score - a.score || (priorP.get(b.name) ?? 0) - (priorP.get(a.name) ?? 0) || byCodePoint(a.name, b.name));
  };

  return {
    name: 'cooccurrence',
    cutoff,
    scores,
    predict: (record) => selectAboveCutoff(scores(record), cutoff),
  };
}
