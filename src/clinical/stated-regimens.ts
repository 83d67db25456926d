/**
 * Regimens the hospital course states outright: "降糖：基础胰岛素及GLP-1RA周制剂同前",
 * "降压改为CCB+袢利尿剂", "降糖改为DPP-4抑制剂单药", "降压方案调整为…", or continues unchanged ("降糖方案不变",
 * "降压、调脂同前"; `continuedRegimens`). The sentence is the plan for what
 * its area word is about (glucose, pressure, lipids, urate, platelets: `regimenCovers`), so a drug
 * of that scope the note never names is not on the list. The evidence fusion
 * (src/decoding/evidence-fusion.ts) leaves such unnamed suggestions out; named drugs keep their own
 * statuses, and a class the note plans keeps its usual drug.
 *
 * Only the course (诊疗过程描述) counts: that is where the discharge decision is written. The same
 * words in 现病史 ("降糖方案为二甲双胍…") describe the home regimen before admission, which the
 * course may change.
 *
 * Why a reading rule and not the model: the synthetic generator never writes such a sentence in the
 * course, so a model trained on it cannot learn what the sentence closes (docs/decision-rules/RULE-1204y.md).
 */
import { analyzeText, CONDITION_WORDS } from './baselines/mention.ts';
import { classWordOf, drugsOfClassWord, withClassWords } from './class-words.ts';
import type { Formulary } from './formulary.ts';
import type { FormularyDrug } from './formulary-types.ts';
import type { CDrugRedRecord } from './record.ts';

/** What a regimen sentence is about: the drugs its area word names (not the formulary's whole area). */
export type RegimenScope = 'glucose' | 'pressure' | 'lipids' | 'urate' | 'antiplatelet';

/** The area words a regimen sentence starts with, and their scopes. */
const AREA_WORDS: Readonly<Record<string, RegimenScope>> = {
  降压: 'pressure',
  降糖: 'glucose',
  调脂: 'lipids',
  降脂: 'lipids',
  降尿酸: 'urate',
  抗血小板: 'antiplatelet',
};

/**
 * Antihypertensive groups whose drugs are as often given for heart rate, angina, heart failure or
 * oedema: a sentence about blood pressure says nothing about them.
 */
const NOT_ONLY_FOR_PRESSURE = new Set(['beta_blocker', 'ccb_nondhp', 'loop_diuretic', 'mra']);

/** Whether a drug is one a regimen sentence of that scope decides. */
export function regimenCovers(scope: RegimenScope, drug: Pick<FormularyDrug, 'area' | 'duplicationGroup'>): boolean {
  const group = drug.duplicationGroup;
  switch (scope) {
    case 'glucose':
      return drug.area === 'diabetes';
    case 'lipids':
      return drug.area === 'lipids';
    case 'pressure':
      return drug.area === 'hypertension' && !(group !== undefined && NOT_ONLY_FOR_PRESSURE.has(group));
    // Not colchicine prophylaxis nor a urine alkaliniser, which go with a urate-lowering start.
    case 'urate':
      return group === 'xanthine_oxidase_inhibitor' || group === 'uricosuric';
    // Not an anticoagulant.
    case 'antiplatelet':
      return group === 'antiplatelet_cox' || group === 'antiplatelet_p2y12';
  }
}

/**
 * An area word directly followed by a statement verb: "降糖：", "降压改为", "降脂方案调整为", "降糖治疗为".
 * A bare 为 counts only after 方案/治疗 ("降压为主" is not a regimen).
 */
const REGIMEN_STATEMENT = new RegExp(
  `(${Object.keys(AREA_WORDS).join('|')})(?:(?:方案|治疗)(?:[：:]|为|改为|调整为|更改为|更换为)|[：:]|改为|调整为|改用|换为|换用)`,
  'g',
);

const AREA_WORD = Object.keys(AREA_WORDS).join('|');
/** Each area word of a matched sentence (matchAll copies it, so one shared instance is safe). */
const EACH_AREA_WORD = new RegExp(AREA_WORD, 'g');

/**
 * Area words, one or joined ("降压、调脂", "抗血小板及降糖"), that go on unchanged: "降糖方案不变",
 * "降压同前", "降压、调脂方案不变", "降压药物继续".
 */
const REGIMEN_CONTINUED = new RegExp(`((?:${AREA_WORD})(?:(?:、|及|和|与)(?:${AREA_WORD}))*)(?:方案|治疗|药物|用药)?(?:同前|不变|继续|维持|照旧)`, 'g');

/** An area the course defers in so many words: "暂不调脂", "暂不加用调脂药", "暂不予降尿酸药物治疗" (RULE-1209h). */
const REGIMEN_DEFERRED = new RegExp(`(?:暂不|暂缓|不予|无需|暂未)(?:予以?|加用|启动|启用|使用)?(${AREA_WORD})(?:药物?|治疗)?`, 'g');

/** A condition or deferral earlier in the clause: "若血压仍高，…" is in another clause, "必要时降压改为…" is not a plan yet. */
const CONDITIONAL_BEFORE = new RegExp(`(?:${CONDITION_WORDS}|考虑|可)[^，,。；;\\n]*$`);

function scopesIn(record: Pick<CDrugRedRecord, '诊疗过程描述'>, sentence: RegExp): Set<RegimenScope> {
  const course = record.诊疗过程描述 ?? '';
  const out = new Set<RegimenScope>();
  for (const m of course.matchAll(sentence)) {
    if (CONDITIONAL_BEFORE.test(course.slice(0, m.index))) continue;
    for (const word of m[1]!.matchAll(EACH_AREA_WORD)) out.add(AREA_WORDS[word[0]]!);
  }
  return out;
}

/** The scopes whose regimen the course states (see the file comment). */
export function statedRegimens(record: Pick<CDrugRedRecord, '诊疗过程描述'>): Set<RegimenScope> {
  return scopesIn(record, REGIMEN_STATEMENT);
}

/**
 * The scopes whose regimen the course continues unchanged ("降糖方案不变"). Such a sentence closes a
 * scope only where the note names the regimen it continues (a drug of the scope as taken or
 * planned; src/clinical/unsuggested.ts): after "院外ARB+CCB" alone, "降压方案同前" leaves the drug
 * unknown (docs/decision-rules/RULE-1205c.md).
 */
export function continuedRegimens(record: Pick<CDrugRedRecord, '诊疗过程描述'>): Set<RegimenScope> {
  return scopesIn(record, REGIMEN_CONTINUED);
}

/** The text with its area continuations ("降压同前", "降糖方案不变") taken out: what else it keeps by reference. */
export function withoutContinuedRegimens(text: string): string {
  return text.replace(REGIMEN_CONTINUED, '');
}

/** The scopes the course defers ("暂不调脂"): no drug of them is started now, so none is suggested. */
export function deferredRegimens(record: Pick<CDrugRedRecord, '诊疗过程描述'>): Set<RegimenScope> {
  return scopesIn(record, REGIMEN_DEFERRED);
}

/** A switch cue ending at most 6 characters before its target: "出院改为来得时…", "调整为二甲双胍+…". */
const SWITCH_BEFORE = /(?:改为|调整为|更改为|转为|过渡为|换为|换用|改用)[^，,。；;\n]{0,6}$/;
/** A clause that goes on with the same regimen: "…，联合DPP-4抑制剂". */
const JOINED_CLAUSE = /^[，,]\s*(?:联合|加用|并用|及)/;
/** An unnamed part of the regimen ("联合口服药降糖"): the switch does not say the whole regimen. */
const UNNAMED_PART = /口服药|降糖药/;

/**
 * The course switches to a glucose regimen of two or more named agents ("改为基础胰岛素联合二甲双胍",
 * "出院改为来得时睡前18U+诺和锐三餐前6-6-6U", "改为基础胰岛素每日一次，联合…DPP-4抑制剂"): the switch
 * states the whole regimen, as "降糖改为…" does (RULE-1208e). A switch to one agent may leave others
 * as they were, and "联合口服药" leaves a part unnamed: neither states it.
 */
export function switchedGlucoseRegimen(record: Pick<CDrugRedRecord, '诊疗过程描述'>, formulary: Formulary): boolean {
  const course = record.诊疗过程描述 ?? '';
  const glucose = (name: string): boolean => {
    const word = classWordOf(name);
    const drugs = word ? drugsOfClassWord(word, formulary.drugs) : [name];
    return drugs.some((n) => {
      const d = formulary.get(n);
      return d !== undefined && regimenCovers('glucose', d);
    });
  };
  const mentions = analyzeText(course, '诊疗过程描述', withClassWords(formulary)).filter((m) => glucose(m.name));
  return mentions.some((m) => {
    const clauseBefore = course.slice(Math.max(0, m.start - 12), m.start).split(/[，,。；;\n]/).pop() ?? '';
    if (!SWITCH_BEFORE.test(clauseBefore) || CONDITIONAL_BEFORE.test(course.slice(0, m.start))) return false;
    let end = clauseEndAt(course, m.start);
    if (JOINED_CLAUSE.test(course.slice(end))) end = clauseEndAt(course, end + 1);
    if (UNNAMED_PART.test(course.slice(m.start, end))) return false;
    return new Set(mentions.filter((x) => x.start >= m.start && x.start < end).map((x) => x.name)).size >= 2;
  });
}

function clauseEndAt(text: string, from: number): number {
  const i = text.slice(from).search(/[，,。；;\n]/);
  return i < 0 ? text.length : from + i;
}
