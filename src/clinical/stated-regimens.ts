/**
 * Areas whose discharge regimen the hospital course states outright: "降糖：基础胰岛素及GLP-1RA周制剂同前",
 * "降压改为CCB+袢利尿剂", "降糖改为DPP-4抑制剂单药", "降压方案调整为…". The sentence is the plan for
 * that area, so a drug of the area the note never names is not on the list. The evidence fusion
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
import type { TherapeuticArea } from './formulary-types.ts';
import type { CDrugRedRecord } from './record.ts';

/** The area words a regimen sentence starts with, and their areas. */
const AREA_WORDS: Readonly<Record<string, TherapeuticArea>> = {
  降压: 'hypertension',
  降糖: 'diabetes',
  调脂: 'lipids',
  降脂: 'lipids',
  降尿酸: 'gout',
  抗血小板: 'antithrombotic',
};

/**
 * An area word directly followed by a statement verb: "降糖：", "降压改为", "降脂方案调整为", "降糖治疗为".
 * A bare 为 counts only after 方案/治疗 ("降压为主" is not a regimen).
 */
const REGIMEN_STATEMENT = new RegExp(
  `(${Object.keys(AREA_WORDS).join('|')})(?:(?:方案|治疗)(?:[：:]|为|改为|调整为|更改为|更换为)|[：:]|改为|调整为|改用|换为|换用)`,
  'g',
);

/** A condition or deferral earlier in the clause: "若血压仍高，…" is in another clause, "必要时降压改为…" is not a plan yet. */
const CONDITIONAL_BEFORE = /(?:如|若|必要时|待|考虑|拟|可)[^，,。；;\n]*$/;

/** The areas whose regimen the course states (see the file comment). */
export function statedRegimenAreas(record: Pick<CDrugRedRecord, '诊疗过程描述'>): Set<TherapeuticArea> {
  const course = record.诊疗过程描述 ?? '';
  const out = new Set<TherapeuticArea>();
  for (const m of course.matchAll(REGIMEN_STATEMENT)) {
    if (CONDITIONAL_BEFORE.test(course.slice(0, m.index))) continue;
    out.add(AREA_WORDS[m[1]!]!);
  }
  return out;
}
