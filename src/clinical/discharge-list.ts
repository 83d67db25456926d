/**
 * A complete explicit discharge list (LABELLING.md §1 rule 1): "出院带药：1.二甲双胍缓释片…2.达格列净片…
 * 3.苯磺酸氨氯地平片…" names what the patient goes home on, so a home drug the list leaves out
 * (格列吡嗪 taken before admission) and a suggestion the note never makes are not on the list
 * (RULE-1208d).
 *
 * Read conservatively, because a list this reader only half understands would drop real drugs:
 *  - the list opens with a cue and a colon (出院带药：, 出院后继续：, 院外继续：, 嘱出院后：, 出院用药：, 出院续服：,
 *    出院方案：…) and runs to the
 *    end of its sentence, or over the lines that go on numbering it;
 *  - it names at least two drugs the reader sends home (status 'discharge');
 *  - every item of it is a drug the lexicon knows, or an instruction (监测血糖, 2周后门诊复诊…): an
 *    item that may be a drug the lexicon does not know ("吉加", "ASA") leaves the list unread;
 *  - neither the list nor the rest of the course keeps anything by reference (同前, 不变, 如上, 其余…)
 *    or by class ("利尿剂继续口服"): those go home without being listed. Except area continuations
 *    ("降压同前", "降糖方案不变"), when they are the only references and the caller gives the note's
 *    statuses: the list then goes on with the drugs of those areas the note takes or plans (RULE-1209m).
 */
import { analyzeText, takenOrPlanned, type AnalyzedMention, type MentionStatus } from './baselines/mention.ts';
import { CLASS_WORD_PREFIX, withClassWords } from './class-words.ts';
import type { Formulary } from './formulary.ts';
import type { CDrugRedRecord } from './record.ts';
import { continuedRegimens, regimenCovers, withoutContinuedRegimens, type RegimenScope } from './stated-regimens.ts';

/** The cue that opens a list, with its colon. */
const LIST_CUE = /(?:出院带药|出院后继续|院外继续|嘱出院后|出院用药|出院医嘱|出院续服|出院续用|出院继续|出院方案|出院治疗方案)[^：:。；;\n]{0,8}[：:]/g;
/** Words that keep drugs without naming them. */
const KEPT_BY_REFERENCE = /同前|不变|照旧|维持原|原方案|继续原|余药|其余|其他|如上|同住院|剂量同|原剂量/;
/** Where one item of a list ends. */
const ITEM_BREAK = /[；;，,、。\n]|\s+(?=\d{1,2}\s*[.、．)）])/;
/** An item that is an instruction, not a drug: "出院后监测血糖", "2周后内分泌门诊复诊". */
const INSTRUCTION = /监测|复诊|复查|门诊|随访|随诊|饮食|运动|宣教|注意|嘱|定期|教育|戒烟|戒酒|观察|避免|就诊|指导|血糖|血压|心率/;
/** What a dose, a time or a route fragment is made of ("晚12U 餐前", "0.5g tid"): removed, nothing is left. */
const DOSE_WORDS = /[\d.\s%×xX*~～\-/()（）:：]+|mg|μg|ug|g|IU|U|ml|片|粒|支|袋|丸|qd|bid|tid|qid|qn|qw|qod|prn|po|ih|iv|h|次|天|日|周|月|早|中|午|晚|餐前|餐后|餐时|睡前|随餐|每|口服|皮下注射|一|二|三|两|半|减量|加量|新加|新增|再服|续服|连服|再用|共/gi;

/** The drugs of the course's complete explicit discharge list, or null when it has none this reader can trust. */
export function completeDischargeList(
  record: Pick<CDrugRedRecord, '诊疗过程描述'>,
  formulary: Formulary,
  statuses?: ReadonlyMap<string, MentionStatus>,
): Set<string> | null {
  const course = record['诊疗过程描述'] ?? '';
  const cues = [...course.matchAll(LIST_CUE)];
  if (cues.length === 0) return null;
  const referenced = KEPT_BY_REFERENCE.test(course);
  // Area continuations as the only references: their areas go on beside the list (RULE-1209m).
  const continued: ReadonlySet<RegimenScope> =
    referenced && statuses !== undefined && !KEPT_BY_REFERENCE.test(withoutContinuedRegimens(course)) ? continuedRegimens(record) : new Set();
  if (referenced && continued.size === 0) return null;
  const mentions = analyzeText(course, '诊疗过程描述', withClassWords(formulary));
  const drugs = new Set<string>();
  for (const cue of cues) {
    const from = cue.index + cue[0].length;
    const to = listEnd(course, from, cues);
    const inList = mentions.filter((m) => m.start >= from && m.start < to);
    if (inList.some((m) => m.name.startsWith(CLASS_WORD_PREFIX))) return null;
    if (!everyItemRead(course, from, to, inList)) return null;
    for (const m of inList) if (m.status === 'discharge') drugs.add(m.name);
  }
  if (drugs.size < 2) return null;
  // The areas the course continues by reference go home as the note has them.
  for (const scope of continued) {
    for (const [name, status] of statuses ?? []) {
      const d = formulary.get(name);
      if (d !== undefined && takenOrPlanned(status) && regimenCovers(scope, d)) drugs.add(name);
    }
  }
  return drugs;
}

/** A line that goes on with a numbered list: "2. 阿托伐他汀 20mg qn", "②西格列汀", "- 氨氯地平". */
const LIST_LINE = /^\s*(?:\d{1,2}\s*[.、．)）]|[①-⑳]|[-·•*])/;

/** A list runs to the end of its sentence or line, over the lines that go on numbering it, and never past the next cue. */
function listEnd(course: string, from: number, cues: readonly RegExpMatchArray[]): number {
  const next = cues.find((c) => (c.index ?? 0) >= from)?.index ?? course.length;
  let e = from;
  for (;;) {
    while (e < next && !/[。\n]/.test(course[e]!)) e++;
    if (e < next && course[e] === '\n' && LIST_LINE.test(course.slice(e + 1))) {
      e++;
      continue;
    }
    return e;
  }
}

/** Every item between `from` and `to` names a known drug or is an instruction. */
function everyItemRead(course: string, from: number, to: number, inList: readonly AnalyzedMention[]): boolean {
  let at = from;
  for (const item of course.slice(from, to).split(ITEM_BREAK)) {
    const start = course.indexOf(item, at);
    const end = start + item.length;
    at = end;
    const text = item.trim();
    if (text.replace(DOSE_WORDS, '') === '' || INSTRUCTION.test(text)) continue;
    if (!inList.some((m) => m.start >= start && m.start < end)) return false;
  }
  return true;
}
