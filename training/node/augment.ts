/**
 * Training-time augmentation of CDrugRed records, so the model learns to read a note rather than
 * one generator's surface habits. Deterministic: the same (seed, index) gives the same record.
 *
 * Every operation keeps the label's meaning:
 *  - drug names are swapped for another alias of the same candidate (salt/form, trade name);
 *  - diagnosis names are swapped for a synonym or abbreviation, and the diagnosis list is shuffled;
 *  - sentences that name no drug and carry no plan/stop cue may be dropped (a dropped
 *    "停用二甲双胍" would change what the label means, so those always stay);
 *  - 既往史 sentences (an unordered list of history items) may be reordered — never the course,
 *    whose order decides which statement is the latest;
 *  - surface noise: half/full-width punctuation, unit spelling, spaces and line breaks.
 */
import type { DrugLexicon } from '../../src/clinical/baselines/types.ts';
import { Formulary } from '../../src/clinical/formulary.ts';

type AnyRecord = { [key: string]: unknown };

/** sfc32, seeded from (seed, index): small, fast and identical on every platform. */
class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  constructor(seed: number, index: number) {
    this.a = seed >>> 0;
    this.b = (index * 0x9e3779b9) >>> 0;
    this.c = 0x243f6a88 ^ index;
    this.d = 0xb7e15162;
    for (let i = 0; i < 12; i++) this.next();
  }
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4294967296;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)]!;
  }
  shuffle<T>(xs: readonly T[]): T[] {
    const out = [...xs];
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  }
}

/** Groups of interchangeable diagnosis spellings (the first is the full name). */
const DIAGNOSIS_SYNONYMS: readonly (readonly string[])[] = [
  ['2型糖尿病', 'T2DM', 'II型糖尿病', '2型糖尿病'],
  ['1型糖尿病', 'T1DM', 'I型糖尿病'],
  ['高血压病', '高血压', 'HTN'],
  ['高脂血症', '血脂异常', '高脂'],
  ['高尿酸血症', 'HUA', '高尿酸'],
  ['冠状动脉粥样硬化性心脏病', '冠心病', 'CHD'],
  ['慢性肾脏病', 'CKD', '慢性肾病'],
  ['糖尿病肾病', 'DKD', '糖尿病肾脏病'],
  ['糖尿病周围神经病变', 'DPN', '糖尿病周围神经病'],
  ['糖尿病视网膜病变', 'DR', '糖网'],
  ['骨质疏松症', '骨质疏松'],
  ['非酒精性脂肪性肝病', '脂肪肝', 'NAFLD'],
  ['甲状腺功能减退症', '甲减', '甲状腺功能减退'],
  ['甲状腺功能亢进症', '甲亢', '甲状腺功能亢进'],
  ['心力衰竭', '心衰'],
  ['心房颤动', '房颤'],
  ['脑梗死', '脑梗塞', '腔隙性脑梗死'],
];

const CUE = /出院|继续|加用|改为|换用|调整|停用|停药|停服|已停|同前|过敏|不耐受|禁用|否认|未服|带药/;
const PUNCT_SWAPS: ReadonlyArray<[string, string]> = [
  ['，', ','],
  ['：', ':'],
  ['；', ';'],
  ['（', '('],
  ['）', ')'],
];

function splitKeep(text: string): string[] {
  return text.match(/[^。；;！!？?\n]+[。；;！!？?\n]?/g) ?? [];
}

function swapAliases(text: string, lexicon: DrugLexicon, formulary: Formulary, rng: Rng, rate: number): string {
  const ms = [...lexicon.findMentions(text)].sort((a, b) => a.start - b.start);
  let out = '';
  let pos = 0;
  for (const m of ms) {
    if (m.start < pos) continue;
    out += text.slice(pos, m.start);
    const surface = text.slice(m.start, m.end);
    const drug = formulary.get(m.name);
    // The route is a cue (注射用X is given in hospital): injectables keep their spelling.
    const injectable = /注射|针/.test(surface) || /注射用?$/.test(text.slice(Math.max(0, m.start - 3), m.start));
    const options =
      drug && !injectable ? [drug.name, ...(drug.aliases ?? [])].filter((a) => a !== surface && !/注射|针|粉|吸入/.test(a)) : [];
    out += options.length > 0 && rng.chance(rate) ? rng.pick(options) : surface;
    pos = m.end;
  }
  return out + text.slice(pos);
}

function swapDiagnosis(text: string, rng: Rng, rate: number): string {
  let out = text;
  for (const group of DIAGNOSIS_SYNONYMS) {
    // Longest spelling first, so "2型糖尿病" inside "II型糖尿病" is not matched twice.
    const hit = [...group].sort((a, b) => b.length - a.length).find((g) => out.includes(g));
    if (hit && rng.chance(rate)) out = out.split(hit).join(rng.pick(group.filter((g) => g !== hit)));
  }
  return out;
}

function noise(text: string, rng: Rng): string {
  let out = text;
  for (const [full, half] of PUNCT_SWAPS) if (rng.chance(0.15)) out = out.split(full).join(half);
  if (rng.chance(0.2)) out = out.replace(/mmol\/L/g, 'mmol/l');
  if (rng.chance(0.1)) out = out.replace(/。/g, () => (rng.chance(0.3) ? '。\n' : '。'));
  if (rng.chance(0.1)) out = out.replace(/([0-9])([a-zA-Zμ])/g, (_, a: string, b: string) => (rng.chance(0.5) ? `${a} ${b}` : a + b));
  return out;
}

const TEXT_FIELDS = ['主诉', '现病史', '既往史', '入院情况', '诊疗过程描述'] as const;

export interface AugmentOptions {
  /** Probability that a record is augmented at all (the rest stay as generated). */
  rate: number;
}

/** One augmented copy of `record` (a new object; the label is untouched). */
export function augmentRecord(record: AnyRecord, seed: number, index: number, lexicon: Formulary, opts: AugmentOptions): AnyRecord {
  const rng = new Rng(seed, index);
  if (!rng.chance(opts.rate)) return record;
  const out: AnyRecord = { ...record };
  for (const field of TEXT_FIELDS) {
    const raw = out[field];
    if (typeof raw !== 'string' || raw === '') continue;
    let sents = splitKeep(raw);
    // Drop sentences that name no drug and carry no cue.
    sents = sents.filter((s) => !(sents.length > 1 && rng.chance(0.12) && !CUE.test(s) && lexicon.findMentions(s).length === 0));
    if (field === '既往史' && rng.chance(0.3)) sents = rng.shuffle(sents);
    let text = sents.join('');
    text = swapAliases(text, lexicon, lexicon, rng, 0.4);
    text = swapDiagnosis(text, rng, 0.3);
    text = noise(text, rng);
    out[field] = text;
  }
  const dx = out['出院诊断'];
  if (Array.isArray(dx)) {
    let items = dx.filter((d): d is string => typeof d === 'string').map((d) => swapDiagnosis(d, rng, 0.3));
    if (rng.chance(0.5)) items = rng.shuffle(items);
    out['出院诊断'] = items;
  }
  return out;
}

export function augmentRecords(records: readonly AnyRecord[], seed: number, opts: AugmentOptions, lexicon: Formulary = Formulary.bundled()): AnyRecord[] {
  return records.map((r, i) => augmentRecord(r, seed, i, lexicon, opts));
}
