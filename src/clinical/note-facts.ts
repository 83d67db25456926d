/**
 * Safety-relevant facts read from one note: eGFR, serum potassium (via ./lab-values.ts),
 * pregnancy, drug allergies and adverse reactions tied to a drug, pattern-derived conditions
 * (type 1 diabetes, HLA-B*5801 positive, GI bleeding), and condition keywords (with simple
 * negation). Pure and cue-based, in the spirit of baselines/mention.ts:
 * conservative heuristics for a demonstration, not a clinical NLP system.
 *
 * Every fact carries its source (field + the clause it came from) so the UI can cite the note.
 */
import type { FactSource } from './fact-source.ts';
import { extractLabs } from './lab-values.ts';
import type { CDrugRedRecord } from './record.ts';

export type { FactSource };

export interface AllergyFact {
  /** What the patient is allergic to, as written ("磺胺类", "青霉素", "头孢类抗生素"). */
  substance: string;
  source: FactSource;
  /**
   * Set when the fact is an adverse reaction the note ties to a drug rather than the word 过敏
   * ("服用别嘌醇后出现全身皮疹", "贝那普利所致干咳"): the reaction as written.
   */
  reaction?: string;
}

/**
 * A condition read through a pattern rather than a literal keyword, under the canonical keyword
 * the formulary uses: '1型糖尿病' (also T1DM, Ⅰ型糖尿病), 'HLA-B*5801阳性' (any spelling, with
 * 阳性 / (+) / 携带), '消化道出血' (also 呕血, 黑便, 溃疡出血, 胃出血).
 */
export interface DerivedCondition {
  keyword: string;
  source: FactSource;
}

export interface NoteFacts {
  /** The lowest eGFR / creatinine clearance in the note (ml/min), or null. */
  egfr: { value: number; source: FactSource } | null;
  pregnancy: { source: FactSource } | null;
  allergies: AllergyFact[];
  /** "否认药物过敏史" and the like: the note explicitly denies drug allergies. */
  deniesAllergy: FactSource | null;
  /** The highest serum potassium in the note (mmol/L; src/clinical/lab-values.ts), or null. */
  potassium: { value: number; source: FactSource } | null;
  /** Conditions recognised by pattern (see DerivedCondition); findCondition consults them. */
  conditions: DerivedCondition[];
  /** The searchable text of the note, by field (text fields, 出院诊断, 其他). */
  texts: ReadonlyArray<{ field: string; text: string }>;
}

const SCANNED_FIELDS = ['主诉', '现病史', '既往史', '入院情况', '诊疗过程描述'] as const;
const CLAUSE_SPLIT = /[。；;，,\n]/;
/**
 * Negation cue before a keyword in the same clause; a condition the note aims to prevent
 * ("加用贝特类降TG，预防急性胰腺炎", "警惕低血糖"), or one the patient is taught to watch for
 * ("告知粒细胞缺乏及肝损症状", "如出现发热、咽痛立即停药"), is not one the patient has.
 */
// A bare 防 is prevention too ("首剂睡前，防体位性低血压"), but not 消防/国防, and 防治 names the disease.
// "除外肾上腺皮质功能不全" excludes it as "排除…" does (RULE-1210a).
const NEG_BEFORE = /(?:否认|无(?!明显诱因|诱因)|未见|未发现|未诉|排除|除外|不考虑|预防|防止|以防|谨防|(?<![消国])防(?!治)|警惕|避免|告知|宣教|如出现|若出现|一旦出现)[^。；;，,\n]*$/;

export function noteTexts(record: CDrugRedRecord): Array<{ field: string; text: string }> {
  const out: Array<{ field: string; text: string }> = [];
  for (const f of SCANNED_FIELDS) {
    const t = record[f];
    if (typeof t === 'string' && t.trim() !== '') out.push({ field: f, text: t });
  }
  if (record.出院诊断.length > 0) out.push({ field: '出院诊断', text: record.出院诊断.join('；') });
  for (const [k, v] of Object.entries(record.其他 ?? {})) if (v.trim() !== '') out.push({ field: k, text: v });
  return out;
}

/** The clause of `text` around [start, end). */
function clauseAround(text: string, start: number, end: number): { text: string; start: number } {
  let s = start;
  while (s > 0 && !CLAUSE_SPLIT.test(text[s - 1] ?? '')) s--;
  let e = end;
  while (e < text.length && !CLAUSE_SPLIT.test(text[e] ?? '')) e++;
  return { text: text.slice(s, e), start: s };
}

// ---- eGFR ----------------------------------------------------------------------------------

/**
 * "eGFR 38", "eGFR(CKD-EPI)：28ml/min", "估算肾小球滤过率 45.2 mL/min/1.73m²", "肌酐清除率24ml/min",
 * "Ccr 22". An optional bracketed qualifier and 为/约/: may sit between the name and the number.
 */
const EGFR_RE =
  /(?:e?GFR|估算肾小球滤过率|肾小球滤过率|肌酐清除率|Ccr|CrCl)\s*(?:[（(][^）)]{0,20}[）)])?\s*(?:[:：=]|为|约|是|下降至|降至|仅)?\s*(?:为|约)?\s*(\d{1,3}(?:\.\d+)?)/gi;

function extractEgfr(texts: ReadonlyArray<{ field: string; text: string }>): NoteFacts['egfr'] {
  let best: NoteFacts['egfr'] = null;
  for (const { field, text } of texts) {
    for (const m of text.matchAll(EGFR_RE)) {
      const value = Number(m[1]);
      if (!Number.isFinite(value) || value <= 0 || value > 250) continue;
      if (best === null || value < best.value) {
        const c = clauseAround(text, m.index, m.index + m[0].length);
        best = { value, source: { field, text: c.text.trim() } };
      }
    }
  }
  return best;
}

// ---- pregnancy -----------------------------------------------------------------------------

/** Current pregnancy, not obstetric history ("孕2产1") and not negated ("否认妊娠", "未孕"). */
const PREGNANCY_RE = /妊娠\s*\d+|孕\s*\d+\s*\+?\s*\d*\s*周|宫内(?:早孕|妊娠)|早孕|中孕|晚孕|怀孕|妊娠状态|妊娠期(?!糖尿病史)|妊娠合并|孕期|孕妇/g;
const PREGNANCY_NEG = /否认|未孕|非孕|非妊娠|无(?:妊娠|怀孕)|(?:排除|除外)妊娠|未怀孕|既往|曾/;

/** After delivery: a pregnancy the note mentions is over ("孕期起服PTU，现产后4月哺乳中"). */
const POSTPARTUM = /产后|分娩后|产褥期|哺乳期|哺乳中/;

function extractPregnancy(record: CDrugRedRecord, texts: ReadonlyArray<{ field: string; text: string }>): NoteFacts['pregnancy'] {
  if (/男/.test(record.性别)) return null;
  if (texts.some(({ text }) => POSTPARTUM.test(text))) return null;
  for (const { field, text } of texts) {
    for (const m of text.matchAll(PREGNANCY_RE)) {
      const c = clauseAround(text, m.index, m.index + m[0].length);
      const before = text.slice(c.start, m.index);
      if (PREGNANCY_NEG.test(before) || /^[^。；;，,\n]{0,2}(?:试验)?阴性/.test(text.slice(m.index + m[0].length))) continue;
      return { source: { field, text: c.text.trim() } };
    }
  }
  return null;
}

// ---- allergies -----------------------------------------------------------------------------

const GENERIC_SUBSTANCE = /^(?:药物|药品|食物|食物及药物|药物及食物|食物、药物|药物、食物|其他药物|其它药物|其他|其它|任何药物|明确药物)?$/;
const ALLERGY_NEG = /否认|无(?!明显)|未发现|未诉|不详/;

function cleanSubstance(s: string): string {
  return s
    .replace(/^(?:既往|自诉|患者|曾|有|对|诉|存在|明确|已知)+/, '')
    .replace(/(?:等|药物|药品|制剂)+$/, '')
    .replace(/^对/, '')
    .trim();
}

function extractAllergies(texts: ReadonlyArray<{ field: string; text: string }>): Pick<NoteFacts, 'allergies' | 'deniesAllergy'> {
  const allergies: AllergyFact[] = [];
  let deniesAllergy: FactSource | null = null;
  const add = (substance: string, source: FactSource) => {
    const s = cleanSubstance(substance);
    if (GENERIC_SUBSTANCE.test(s)) return;
    if (!allergies.some((a) => a.substance === s)) allergies.push({ substance: s, source });
  };
  for (const { field, text } of texts) {
    // "过敏史：青霉素、头孢类" / "过敏史：无"
    for (const m of text.matchAll(/(?:药物)?过敏史\s*[:：]\s*([^。；;\n]+)/g)) {
      const list = m[1]!.trim();
      const source = { field, text: m[0].trim() };
      if (/^(?:无|否认|不详|未发现)/.test(list)) {
        deniesAllergy ??= source;
        continue;
      }
      for (const part of list.split(/[、，,及和]/)) add(part.replace(/过敏$/, ''), source);
    }
    // Clause by clause: "磺胺类药物过敏", "对青霉素过敏", "有头孢类过敏史", "否认药物过敏史".
    for (const clause of text.split(/[。；;，,\n]/)) {
      // The first 过敏 that is not a disease name (过敏性鼻炎, 过敏性紫癜).
      const i = clause.search(/过敏(?!性)/);
      if (i < 0 || /过敏史\s*[:：]/.test(clause)) continue;
      const source = { field, text: clause.trim() };
      const head = clause.slice(0, i);
      if (ALLERGY_NEG.test(head)) {
        // "否认药物过敏史" — but "否认高血压，青霉素过敏" splits into clauses first.
        deniesAllergy ??= source;
        continue;
      }
      // "对X过敏" takes what follows 对; else the tail of the clause before 过敏.
      const dui = head.lastIndexOf('对');
      let substance = dui >= 0 ? head.slice(dui + 1) : head;
      // Keep only the last phrase: "高血压病史10年，磺胺过敏" is already split; strip leading verbs.
      substance = substance.replace(/^.*(?:服用|使用|应用|注射|口服)(?=.)/, '');
      substance = substance.replace(/(?:类)?(?:药物|药品)?$/, (x) => (x.startsWith('类') ? '类' : ''));
      for (const part of substance.split(/[、及和与]/)) add(part, source);
    }
    // Adverse reactions tied to a drug: "服用别嘌醇后出现全身皮疹", "贝那普利所致干咳".
    for (const sentence of text.split(/[。；;\n]/)) {
      for (const m of sentence.matchAll(ADR_RE)) {
        const between = m[2] ?? '';
        if (/无|未|否认|没有|不伴/.test(between)) continue;
        const substance = cleanSubstance(m[1]!.replace(/^.*(?:服用|使用|口服|应用|加用|予|给予)(?=.)/, ''));
        if (substance.length < 2 || GENERIC_SUBSTANCE.test(substance)) continue;
        const source = { field, text: sentence.slice(m.index, m.index + m[0].length).trim() };
        if (!allergies.some((a) => a.substance === substance)) allergies.push({ substance, source, reaction: m[3]! });
      }
    }
  }
  return { allergies, deniesAllergy };
}

/**
 * A drug, then 后/期间/所致/引起/相关, then (within a few characters, same sentence) a
 * hypersensitivity or class-effect reaction. Group 1: the text naming the drug; 2: what lies
 * between (checked for negation); 3: the reaction.
 */
const ADR_RE =
  /((?:服用|使用|口服|应用|加用|予|给予)?[\u4e00-\u9fa5A-Za-z0-9*\-]{2,14}?)(?:片|胶囊)?(?:治疗)?(?:后|期间|所致|引起|导致|相关)的?([，,]?[^。；;\n]{0,8}?)(?:出现|发生|诱发)?(?:全身|严重|大面积|剧烈)?(皮疹|药疹|剥脱性皮炎|重症多形红斑|中毒性表皮坏死|Stevens-Johnson|SJS|超敏反应|过敏反应|荨麻疹|血管神经性水肿|血管性水肿|干咳)/g;

// ---- pattern-derived conditions ------------------------------------------------------------

const DERIVED: ReadonlyArray<{ keyword: string; re: RegExp; negatedAfter?: RegExp; requireAfter?: RegExp }> = [
  { keyword: '1型糖尿病', re: /(?<![0-9A-Za-z])(?:T1DM|1型糖尿病|I型糖尿病|Ⅰ型糖尿病|暴发性1型糖尿病)/gi },
  {
    keyword: 'HLA-B*5801阳性',
    re: /HLA[-\s]?B\s*\*?\s*58\s*[:：]?\s*01/gi,
    negatedAfter: /^[^。；;，,\n]{0,12}?(?:阴性|[(（]\s*[-－]\s*[)）]|negative)/i,
    requireAfter: /^[^。；;，,\n]{0,12}?(?:阳性|[(（]\s*[+＋]\s*[)）]|positive|[+＋])/i,
  },
  { keyword: '消化道出血', re: /消化道(?:大)?出血|呕血|黑便|柏油样便|溃疡(?:并|伴|合并)?出血|胃出血|十二指肠[^。；;，,\n]{0,6}出血/g },
];
const CARRIER_BEFORE = /携带[^。；;，,\n]{0,4}$/;

function extractDerived(texts: ReadonlyArray<{ field: string; text: string }>): DerivedCondition[] {
  const out: DerivedCondition[] = [];
  for (const def of DERIVED) {
    let hit: DerivedCondition | null = null;
    for (const { field, text } of texts) {
      for (const m of text.matchAll(def.re)) {
        const c = clauseAround(text, m.index, m.index + m[0].length);
        const before = text.slice(c.start, m.index);
        const after = text.slice(m.index + m[0].length);
        if (NEG_BEFORE.test(before)) continue;
        if (def.negatedAfter?.test(after)) continue;
        if (def.requireAfter && !def.requireAfter.test(after) && !CARRIER_BEFORE.test(before)) continue;
        hit = { keyword: def.keyword, source: { field, text: c.text.trim() } };
        break;
      }
      if (hit) break;
    }
    if (hit) out.push(hit);
  }
  return out;
}

// ---- conditions ----------------------------------------------------------------------------

function fold(s: string): string {
  return s.normalize('NFKC').toLowerCase();
}

/**
 * fold() of a note text, remembered: callers look up many keywords in the same few texts
 * (src/clinical/area-support.ts asks ~150), and NFKC over a long course for each is the cost.
 */
const foldedTexts = new Map<string, string>();
function foldText(s: string): string {
  let f = foldedTexts.get(s);
  if (f === undefined) {
    if (foldedTexts.size >= 64) foldedTexts.clear();
    f = fold(s);
    foldedTexts.set(s, f);
  }
  return f;
}

/** Keywords that read as something else when a character follows: 无尿 + 频/急/痛 is 无 + 尿频. */
const KEYWORD_NOT_BEFORE: Readonly<Record<string, RegExp>> = { 无尿: /^[频急痛色]/ };

/**
 * The first non-negated mention of a condition keyword in the note (with its clause), or null.
 * Negation: 否认/无/未见/排除/非 … earlier in the same clause ("否认冠心病病史", "无心力衰竭").
 * Matching is NFKC + case-folded (Ⅲ度 = III度, dka = DKA).
 */
export function findCondition(facts: Pick<NoteFacts, 'texts'> & Partial<Pick<NoteFacts, 'conditions'>>, keyword: string): FactSource | null {
  const k = fold(keyword);
  if (k === '') return null;
  const derived = facts.conditions?.find((c) => fold(c.keyword) === k);
  if (derived) return derived.source;
  for (const { field, text } of facts.texts) {
    const t = foldText(text);
    let from = 0;
    for (;;) {
      const i = t.indexOf(k, from);
      if (i < 0) break;
      from = i + 1;
      const c = clauseAround(t, i, i + k.length);
      if (NEG_BEFORE.test(t.slice(c.start, i))) continue;
      // "1型糖尿病" must not match inside "11型"; ASCII keywords must not be glued to letters
      // on either side ("TG" is not in "TgAb", the thyroglobulin antibody), a plural s aside
      // ("NSAIDs").
      const prev = t[i - 1] ?? '';
      if (/^[0-9a-z]/.test(k) && /[0-9a-z]/.test(prev)) continue;
      const glued = /[a-z]$/.test(k) ? (/^[a-z]+/.exec(t.slice(i + k.length))?.[0] ?? '') : '';
      if (glued !== '' && glued !== 's') continue;
      // A keyword that is also the start of a denied symptom list: "无尿频尿急尿痛" is no anuria.
      if (KEYWORD_NOT_BEFORE[k]?.test(t.slice(i + k.length))) continue;
      // Cite the original text when folding kept the length (the usual case), else the folded one.
      const shown = t.length === text.length ? text.slice(c.start, c.start + c.text.length) : c.text;
      return { field, text: shown.trim() };
    }
  }
  return null;
}

export function extractNoteFacts(record: CDrugRedRecord): NoteFacts {
  const texts = noteTexts(record);
  const k = extractLabs(record as unknown as Record<string, unknown>).k;
  return {
    egfr: extractEgfr(texts),
    pregnancy: extractPregnancy(record, texts),
    ...extractAllergies(texts),
    potassium: k ? { value: k.value, source: k.source } : null,
    conditions: extractDerived(texts),
    texts,
  };
}
