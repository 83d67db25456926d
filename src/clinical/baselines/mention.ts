/**
 * Mention baseline: predict the candidate drugs the note itself says the patient takes.
 *
 * Mentions come from `lexicon.findMentions(text)` over the text fields, processed in
 * rough chronological order 主诉 → 既往史 → 现病史 → 入院情况 → 诊疗过程描述. Each mention gets a
 * status from a small cue-based state machine over *clauses* (split at 。；;！？!? newline and
 * ，, — the enumeration comma 、 does not split, so "否认高血压、二甲双胍服用史" negates both):
 *
 *  - negated: a negation cue earlier in the clause (否认, 无 — except 无明显/无特殊/无诱因/无需…,
 *    未服用/未使用/未用/未予/未加用, 从未, 拒绝/拒用), or an allergy/intolerance right after the
 *    mention ("青霉素过敏", "二甲双胍不耐受").
 *  - stopped: a stop cue before it in the clause (停用/停服/停药/已停/撤停/不再使用/服用/口服/注射, a bare 停,
 *    and the avoidance words 避免/禁用/忌用/不宜/不选用/不予/勿用/暂不 …, and a deferred start: "再决定是否加用", "仍不达标再联合", "2周门诊启动"
 *    "停用二甲双胍、格列美脲"), or a stop cue shortly after it in the same sentence with no
 *    drug following the cue ("二甲双胍因胃肠道反应已停用", "二甲双胍已停"); and the drug *before*
 *    a replacement cue (改为/换为/换用/改用/调整为/更换为/替换为, a bare 改, an arrow →) when a drug (or insulin) follows the cue
 *    ("将二甲双胍改为达格列净", "诺和力改诺和泰" → the first stopped, the second kept; "先予A，后…简化为B"
 *    stops the first regimen A across the clause break); and the drug
 *    right *after* 替代/代替/取代/替换 ("以氯吡格雷替代阿司匹林" → 阿司匹林 stopped, 氯吡格雷 kept). A replacement cue followed by
 *    a dose ("剂量调整为1.0g") is ignored.
 *  - inpatient: in 诊疗过程描述 only, a clause with an intravenous/pump route or intensive insulin (静滴, 静脉, 静推, 强化降糖,
 *    泵入, 微泵, 输注, 滴注, 胰岛素泵/CSII, ivgtt, iv), or the drug named in an injection form (注射用X, X注射液),
 *    or a dose the note bounds to the stay (a fixed course "×5天", a single dose "皮下注射1次" /
 *    "…栓各1次", "临时予", "（住院期间）"), or, in any field, a next dose the sentence gives in clinic
 *    ("下次6个月后门诊注射") — drugs given only during the admission or by the clinic. Plain 注射 / 皮下注射 does NOT count, and neither
 *    does the injection form of a drug patients inject at home (insulin, GLP-1 RAs, EPO, bone and
 *    PCSK9 biologics).
 *  - past: a drug of an earlier regimen (既往曾使用, 曾先后服用, 起初予, 以往服用…), and in 现病史 a
 *    course before admission counted in days ("外院予头孢克肟口服5天无效", "自服芬必得数天") or a drug
 *    taken for past flares ("发作时自服双氯芬酸钠"): it says what the patient used to take, not what
 *    they take now, so it neither adds nor removes a drug.
 *  - discharge: named after a discharge-plan cue (出院带药, 出院后继续, 出院续服, 院外继续, 嘱出院后 …) in
 *    the same sentence — a numbered list on the following lines belongs to it too. An explicit
 *    plan is what the patient goes home on, so it is neither inpatient nor overridden by an
 *    earlier 停用; a stop cue inside the plan ("出院后停用X") still stops X.
 *  - not a mention at all: a function test ("卡托普利试验"), a lab value ("维生素B12 186pg/ml",
 *    "25-羟维生素D"), or a drug name inside a class word ("活性维生素D": src/clinical/class-plans.ts).
 *  - positive otherwise. Positive cues (予/给予/加用/继续/开始/联合/单用/已用, and the restarts 恢复/重新使用/
 *    重启) end a negation or stop scope ("停用二甲双胍后恢复二甲双胍": the second is positive).
 *
 * A drug is predicted when its *last* positive-or-stopped mention is positive (negated and
 * inpatient mentions neither add nor remove a drug). Output order: first positive mention.
 */
import type { CDrugRedRecord, TextField } from '../record.ts';
import { CLASS_WORD_PREFIX, withClassWordMentions } from '../class-words.ts';
import type { DrugLexicon, LexiconMention, Recommender } from './types.ts';

export type MentionStatus = 'positive' | 'discharge' | 'negated' | 'stopped' | 'inpatient' | 'past';

/** The note names the drug as taken or planned (its final status is positive or discharge). */
export function takenOrPlanned(status: MentionStatus | null | undefined): boolean {
  return status === 'positive' || status === 'discharge';
}

export interface AnalyzedMention {
  field: TextField;
  name: string;
  start: number;
  end: number;
  status: MentionStatus;
  /**
   * Where the cue that decided the status ends, when it stands after the mention in a later clause
   * ("非布司他心血管风险增加，不宜选用"): the words a reason should quote run to here.
   */
  decidedUntil?: number;
}

export const MENTION_FIELD_ORDER: readonly TextField[] = ['主诉', '既往史', '现病史', '入院情况', '诊疗过程描述'];

const CLAUSE_BOUNDARY = /[。；;！!？?\n，,]/g;
/** Where a sentence ends in a note (also read by withhold.ts). */
export const SENTENCE_BOUNDARY = /[。；;！!？?\n]/;
// "暂未予" is a decision not to start it yet (an avoidance, below), not a history without it.
const NEG_CUE = /否认|无(?!明显|特殊|诱因|不适|好转|缓解|法|效|需)|(?<!暂)未(?:曾)?(?:服用|使用|应用|加用|启用|启动|用药|用|予)|从未|拒绝|拒用/g;
// "切勿自行停药", "不要随意停用": a stop the note forbids is no stop.
const FORBIDDEN = '(?<!(?:切勿|勿|不要|不可|不能|不得|禁止)(?:自行|随意|擅自)?)';
// "泼尼松疗程已结束": only at the clause's end, so it refers back and never stops a drug after it.
const STOP_WORDS = `${FORBIDDEN}(?:疗程(?:已)?(?:结束|完成)(?=\\s*(?:[，,。；;\\n]|$))|停用|停服|停药|已停|撤停|撤除|停止(?:使用|服用|(?=(?:口服|静脉)?补钾|$))|不再(?:继续)?(?:使用|服用|口服|注射|应用|恢复|加用|用|服|吃)|不再继续|未再(?:继续)?(?:使用|服用|口服|应用|用|服)|自行停|暂停|予停|(?<![暂予已自撤不])停(?![止经留顿用服药泵]))`;
/** Avoidance: the note rules the drug out ("避免NSAIDs", "不选用非布司他", "不予甲巯咪唑", "苯溴马隆…疗效差，未选"). */
// "无需抗甲状腺药物", "无需联用抗血小板药物": no need for it rules it out; "无需根据肾功能调整剂量的DPP-4抑制剂"
// (a 的 soon after) describes the drug instead.
const AVOID_PHRASES = '(?:无需|无须|不需要?|不必)(?:再)?(?:加用|使用|服用|应用|联用|联合|予以?|用)?(?![^，,。；;\\n]{0,12}的)|避免(?:使用|服用|应用|自行服用)?|避开|禁用|忌用|不宜(?:选用|使用|服用|应用)?|(?:不|未)选(?:用|择)?|不作为[^，,。；;\\n]{0,4}?(?:选择|首选|选用)|不予以?(?:使用|应用|选用|选择|采用|考虑)?|勿用|避用|暂不(?:加用|使用|应用|服用|恢复|启用|启动|予以?|用)?|暂未(?:予以?|加用|使用|应用|启用|启动|用)|不(?:再)?推荐(?:使用|应用|服用)?|不用(?![担心药说再于来去])|(?:患者|家属)?拒绝(?=\\s*(?:[，,。；;\\n]|$))';
/**
 * A deferred decision: "3月后复查血脂再决定是否启用贝特类", "视血糖考虑是否加用二甲双胍". The drug is
 * not started now, so it reads like "暂不加用" (an avoidance that only looks forward).
 */
// A start on a condition not yet met is deferred too: "4-6周复查，仍不达标再联合依折麦布",
// "未达标考虑PCSK9抑制剂". The 再 / 考虑 must follow: a bare "血糖不达标，" is a finding.
// A start left to a later clinic visit is deferred too: "2周后门诊启动非布司他", "门诊评估PCSK9抑制剂" (not "门诊随诊，继续X").
// So is a start left to need: "必要时加PCSK9抑制剂" (not "必要时含服硝酸甘油", a drug taken as needed; RULE-1210a).
// So is a start left until something else is done: "PTH待血磷控制后再考虑活性维生素D".
// So is a start left to another department: "孕12周后产科评估小剂量阿司匹林", "131I后是否口服泼尼松…由核医学科决定";
// an evaluation with no object of its own ("DAPT满12月后心内科评估。", "…（满12个月后心内科评估）") is not one.
const DEFER = '(?:必要时(?:再)?(?=加(?!量|至|到|大|强))|(?:再|后)?(?:决定|考虑|评估|斟酌)是否|是否(?=[^，,。；;\\n]{0,24}?决定)|(?<=[\\u4e00-\\u9fff])科(?:门诊)?评估(?:是否)?(?=[^）)，,。；;\\n\\s])|再考虑|再议|仍[^，,。；;\\n]{1,16}?(?:时|者|则)?再(?=加|用|联|启)|(?:仍|如|若)?(?:不|未)达标(?:时|者|则)?(?:再|可|则|考虑)(?:考虑)?|门诊(?:再|可)?(?:(?:评估|考虑)(?:是否)?|(?=启动|启用|加用|开始|加(?!量|至|到|大|强))))';
const DEFER_START = `${DEFER}(?:需要?)?(?:加用|加回|用回|启用|启动|开始|恢复|使用|应用|服用|联合|予以?|用)?`;
/** A deferred stop ("复查胃镜后决定是否停用阿司匹林"): the drug goes on until then, so no stop at all. */
const DEFER_STOP = new RegExp(`${DEFER}(?:需要?)?(?:停用|停药|停服|减停|撤停|停)`, 'g');
const STOP_CUE = new RegExp(`${STOP_WORDS}|${AVOID_PHRASES}|${DEFER_START}`, 'g');
/** A stop or avoidance cue, unanchored (class-level statements in src/clinical/withhold.ts). */
export const STOP_OR_AVOID = new RegExp(`(?:${STOP_WORDS}|${AVOID_PHRASES}|${DEFER_START})`);
/** Avoidance words that only ever look forward ("避免X"), never back at the drug before them. */
const LEADING_AVOID = new RegExp(`^(?:无需|无须|不需|不必|避免|不宜|不选|未选|不予|勿用|避用|不用|${DEFER})`);
/** "先予A，后…改为B": the regimen given first, and the later clause that replaces it. */
const FIRST_REGIMEN = /先(?:予以?|给予|使用|应用|用)/;
const THEN_CLAUSE = /[，,；;]\s*(?:后|之后|然后|随后|再)/;
/** A clause break between a drug and a later cue. */
const CLAUSE_BREAK = /[，,；;]/;
/**
 * Just before a stop cue: it is scheduled for later ("…后停用", "大便通畅后可停", "至停药", "…时停用"), a
 * taper ("心悸好转后普萘洛尔逐渐减停": the drug goes home and is tapered there), on
 * a condition ("心率<70次/分停用"), or together with another drug ("随泼尼松停用": that drug is not
 * stopped either).
 */
const FUTURE_BEFORE = /(?:(?:后|至|时|则)(?:可|即|再)?|[<>≤≥＜＞][^，,；;。\n]{1,14}|随[^，,；;。\n]{1,12}|(?:逐渐|逐步)(?:减量至|减至|减)?)\s*$/;
/**
 * A taper over a period still to come ("奇曼丁50mg bid，2周内减停"), anywhere in the course: the drug goes
 * home and is tapered there. A taper done on the ward is written as done ("已减停").
 */
const TAPER_WITHIN = /(?:\d+|[一二两三四五六七八九十半])\s*(?:周|个?月)内(?:逐渐|逐步)?减$/;
/**
 * A stop at an end point still to come ("…至孕36周停用", "至满12个月停用"), on a condition still to be met
 * ("心率<90次/分后减停", RULE-1209j) or a taper by a rule the patient follows at home ("出院带泼尼松15mg qd，
 * 按上法减停", "根据血糖逐步减停基础胰岛素"): no stop now.
 */
const STOP_AHEAD = /(?:至(?:孕|满|术后|产后|分娩)[^，,。；;\n]{0,8}|(?:根据|视|按|依)[^，,。；;\n]{0,8}?(?:逐渐|逐步)?减|[<>≤≥＜＞][^，,；;。\n]{1,14}(?:后|时)(?:可|即|再)?(?:逐渐|逐步)?减?)$/;
/** Nothing but the clause's end after a cue: it takes no object, so it refers back. */
// A duration is no object either: "钙尔奇D，已自行停用半年", "阿卡波糖已停药3月余".
const BARE_CUE_END = /^(?:用|服|药|止|掉)?\s*(?:约?(?:\d+|[一二两三四五六七八九十半数])+\s*个?(?:天|日|周|月|年)(?:余|多|左右)?\s*)?(?:[。；;！!？?\n，,）)]|$)/;
/** Words that rule a drug out rather than stop it (for wording a withheld drug's reason). */
export const AVOID_WORDS = /避免|禁用|忌用|不宜|不选|未选|不予|勿用|避用|暂不|暂未|不推荐|不再推荐|不用|无需|无须|不需|不必/;
/** Words that make a start conditional, not a plan yet: "待急性期后", "拟", "必要时", "若/如…" (for the readers of plans). */
export const CONDITION_WORDS = '待|拟|必要时|若|如';
/** Words that defer the decision to start a drug (for wording a withheld drug's reason). */
export const DEFER_WORDS = new RegExp(DEFER);
/** A deferral that ends on a (re)start verb: the drug is started later, not kept and reviewed later. */
const DEFERRED_START_VERB = /(?:加用|加回|用回|启用|启动|开始|恢复)$/;
// A bare 改 between two drugs is a switch too ("诺和力改诺和泰"); 改善/改变 are not cues, and a cue
// only acts when a drug follows it ("改口服" leaves the drug before it alone).
/** The words that switch one regimen for another (also read around class words, src/clinical/withhold.ts). */
export const SWITCH_WORDS = '改为|换为|换成|换用|改用|调整为|更换为|替换为';
// "由胰岛素泵转为每日多次皮下注射：诺和锐…" switches too: the pump is the old regimen's route.
// An arrow between two regimens is a switch in terse notes ("胰岛素泵3d → 门冬30 20-0-16U").
// A bare 换 too ("停贝那普利36h后换诺欣妥"), not 换药 (a dressing), 换季, 换气, 换算, nor inside 更换/替换/转换.
const REPLACE_CUE = new RegExp(`${SWITCH_WORDS}|简化为|转换为|转为|过渡为|改(?![善变良正])|(?<![更替转变交])换(?![为成用药季气算])|→|->|⇒`, 'g');
/**
 * The other word order (also read around class words, src/clinical/withhold.ts): "以氯吡格雷替代阿司匹林",
 * "氯吡格雷代替阿司匹林" — the drug right AFTER the cue
 * is the one stopped ("…单片复方制剂替换原ARB" too; "替换为" is a switch the other way round). It only
 * looks forward: "左甲状腺素替代治疗" is replacement therapy, not a stop.
 */
// Not hormone replacement therapy: "糖皮质激素替代：氢化可的松…", "替代治疗" (RULE-1210c).
export const REPLACED_BY_WORDS = '(?:(?<!激素)替代|代替|取代|替换(?![为成]))(?!\\s*[:：]|治疗)';
const REPLACED_BY_CUE = new RegExp(REPLACED_BY_WORDS, 'g');
/** "改胰岛素" / "改为胰岛素控制血糖": insulin is the switch's target, though no drug of the lexicon. */
const INSULIN_TARGET = /^\s*(?:治疗)?胰岛素/;
/** A resume that names no drug: "恢复原剂量", "恢复原方案", "恢复使用". */
const BARE_RESUME = /^恢复(?:原(?:剂量|用量|方案|治疗)|用药|使用|服用|口服)/;
/** Words that start, continue or restart a drug (also read before a class word: withhold.ts). */
export const START_WORDS = '加用|给予|予以?|继续|开始|启动|启用|联合|单用|已(?:在)?(?:用|服用)|恢复|重新(?:加用|使用|服用|启用)|重启';
const POS_CUE = new RegExp(START_WORDS, 'g');
/**
 * A drug of the past regimen: "既往曾使用诺和龙", "曾先后服用格列吡嗪、瑞格列奈", "起初予消渴丸治疗".
 * The cue swallows its verb, so the 予 of "起初予" does not end the scope.
 */
// "平素偶服复方丹参滴丸": taken now and then, no regular home drug (RULE-1210g).
const PAST_CUE = /偶(?:尔)?(?:服用?|口服|用)|(?:既往)?曾(?:经)?(?:先后)?(?:服用|使用|应用|口服|予以?|用|注射)?|(?:起初|最初|初始|早年|以往|此前)(?:曾)?(?:予以?|服用|使用|应用|口服)?|先后(?:服用|使用|应用|予以?|口服)/g;
// "强化降糖" / "胰岛素强化治疗" / "…睡前强化皮下注射" is the short course of intensive insulin given on the ward; what the
// patient goes home on is whatever the note switches to or plans, not this clause's regimen.
const INPATIENT_CUE = /静滴|静脉|静推|泵入|微泵|输注|滴注|雾化|胰岛素泵|CSII|强化降糖|胰岛素强化|强化(?:皮下)?注射|ivgtt|iv(?![a-z])/i;
/** An intravenous route (no pump: a patient may go home on an insulin pump). */
const INFUSION = /静滴|静脉|静推|(?<!皮下)输注|滴注|ivgtt/i;
/**
 * The drug's next dose is given in clinic ("唑来膦酸每年1次，明年3月门诊输注", "地舒单抗…，下次6个月后
 * 门诊注射"): the patient does not take it home.
 */
const CLINIC_DOSE = /门诊(?:输注|注射|静滴|静脉)/;
/**
 * A yearly or six-monthly drug with its schedule or next dose ("唑来膦酸每年1次（下次2023年5月）"), outside a
 * discharge list: it is given in hospital or clinic, never taken home (LABELLING.md §1 rule 5).
 */
const LONG_INTERVAL_DRUGS: ReadonlySet<string> = new Set(['唑来膦酸', '地舒单抗']);
const NEXT_DOSE = /每年\s*[1一]\s*次|每\s*(?:6|六)\s*个?月\s*[1一]?\s*次|每半年|下次/;
/**
 * A dose or course the note itself bounds to the admission: a fixed course ("×2天"), a single dose
 * ("皮下注射1次", "…栓各1次", "0.5g 1次后退热"), an ad-hoc dose ("临时予"), the words "（住院期间）" or doses
 * given rectally ("纳肛2次"). A dosing frequency ("每日1次", "1次/周") is not a single dose: the verb must
 * come right before it.
 */
const INPATIENT_COURSE = /[×xX*]\s*\d+\s*(?:天|日|d(?![a-z]))|(?:注射|静推|静注|肌注|口服|含服|予以?|给予|使用|各)\s*[1一]\s*次(?![\/／])|\d\s*(?:g|mg|μg|ug|U|IU|ml|片|粒|支)\s*[×xX*]?\s*[1一]\s*次(?!\s*[\/／每日天周月])|临时(?:予|给予|口服|使用|加用|(?:皮下)?注射)|[（(]住院期间[）)]|(?:纳肛|塞肛)\s*\d+\s*次/i;
/**
 * A course counted in days right after the verb ("予头孢呋辛酯片口服5天，复查尿常规(-)"; not "口服3天后…"):
 * given on the ward, unless a stop refers back to it ("…口服2天降钾，复查K 4.9mmol/L后停用": stopped).
 */
const DAY_COURSE = /(?:口服|服用)\s*\d+\s*(?:天|日)(?![后余以])/;
/** A fixed course written with a multiplication sign ("qd×5天", "×3d"). */
const FIXED_COURSE = /[×xX*]\s*\d+\s*(?:天|日|d(?![a-z]))/;
/** A dosing interval with its count ("每2周皮下注射1次", "每6个月注射1次"): a frequency, not a single dose. */
const DOSING_INTERVAL = /每\s*[\d一二两三四五六七八九十半]*\s*个?(?:周|日|天|月|年)[^，,。；;\n]{0,8}?[1一]\s*次/g;
/**
 * In 现病史, a course counted in days after the drug in its clause ("外院予头孢克肟口服5天无效",
 * "自服芬必得2天无缓解", "院外布洛芬0.3g bid×5d"): an episode before admission, read as an earlier regimen ('past'), not as a
 * drug the patient takes. Not a time point (3天前/后/内), a frequency (1天1次) or a course that goes
 * on (至今/目前/仍).
 */
const COURSE_BEFORE_ADMISSION = /(?:^|[^\d前])(?:\d+|[一二两三四五六七八九十半数几]+)\s*天(?![前后内]|\s*\d|\s*[一二三]次)|[×xX*]\s*\d+\s*d(?![a-z])/;
const COURSE_GOES_ON = /至今|目前|仍/;
/** In 现病史, taken without effect before admission ("自服“连花清瘟胶囊”无好转"): an earlier regimen too. */
// 明显 may stand inside ("自服布洛芬缓释胶囊无明显缓解", RULE-1210a).
const NO_EFFECT_WORDS = '无(?:明显)?(?:好转|缓解|改善)|无效|未见(?:明显)?(?:好转|缓解)|未(?:明显)?(?:好转|缓解)|不缓解';
const WITHOUT_EFFECT = new RegExp(NO_EFFECT_WORDS);
/**
 * A poor effect closing the drug's sentence ("外院予头孢克洛、复方甲氧那明效果差。"); not one an add-on
 * follows ("阿卡波糖效果不佳，加用西格列汀": the drug goes on) (RULE-1209l).
 */
/** Between a drug and a switch cue: its poor effect closes its clause, the next clause switches ("…效果差，第3天改"). */
const POOR_EFFECT_THEN_SWITCH = /^[^，,。；;\n]{0,12}?(?:(?:效果|疗效)(?:差|不佳)|无效)\s*[，,][^，,。；;\n]{0,10}$/;
const POOR_EFFECT_ENDS_SENTENCE = /^[^。；;\n，,]*?(?:效果|疗效)(?:差|不佳)\s*(?:[。；;\n]|$)/;
/** …also when the verdict is a short clause of its own right after ("…×5d，无效", "…，疼痛无缓解"). */
const WITHOUT_EFFECT_NEXT = new RegExp(`^[，,]\\s*[^，,。；;\\n]{0,6}?(?:${NO_EFFECT_WORDS})\\s*(?:[。；;，,\\n]|$)`);
/** One character that ends a clause. */
const CLAUSE_DELIMITER = /[。；;！!？?\n，,]/;
/** In 现病史, a drug taken for past flares as needed ("发作时自服双氯芬酸钠"): an earlier regimen too. */
const AS_NEEDED_FOR_FLARES = /(?:发作时|每次发作时?|疼痛时|痛时)[^，,。；;]{0,4}?(?:自服|自行服用|服用|口服|自用)[^，,。；;]{0,30}$/;
/**
 * The clause before a bare stop gives the end point of the course: "K降至4.9mmol/L后", "肿痛基本缓解后",
 * a re-check ("复查K 4.9mmol/L后"), the end point as a clause of its own ("…2天后血钾降至4.9mmol/L，停用"), or
 * a time and the value reached ("2天后K 4.9mmol/L停用").
 */
const RESOLVED_THEN = /(?:(?:降至|恢复|缓解|正常|好转|消退|消失|稳定|转阴)[^，,。；;\n]{0,12}|复查[^，,。；;\n]{0,16})(?:后|[，,])$|\d\s*(?:天|日|小时|h)后\s*[A-Za-z\u4e00-\u9fff+]{1,6}\s*\d+(?:\.\d+)?\s*(?:mmol\/L|μmol\/L|umol\/L|mg\/dl)?\s*$/i;
/** Right after a name: a function test ("卡托普利试验") or a lab value ("维生素B12 186pg/ml"), not a drug taken. */
// …or a deficiency ("维生素D缺乏伴继发性甲旁亢", "叶酸不足"), though not a lack of evidence ("达格列净缺乏
// 妊娠安全性资料"), or a susceptibility result, alone or ending a list of drugs ("对左氧氟沙星、头孢呋辛敏感").
const NOT_TAKEN_AFTER = /^(?:[^，,。；;\n]{0,4}试验|(?:缺乏|缺少)(?![^，,。；;\n]{0,8}?(?:资料|证据|数据|经验|研究))|不足|偏低|(?:水平)?(?:正常|降低|减低|升高)|(?:[、和及][^、和及，,。；;\n]{1,12}?)*均?(?:敏感|耐药|中介)|\s*(?:水平|浓度)?\s*[:：]?\s*[<>≤≥]?\s*\d+(?:\.\d+)?\s*(?:pg|ng|μg|ug|nmol|pmol|μmol|umol|mmol)\s*\/\s*(?:ml|l|dl)(?![a-z]))/i;
/** Right before a name: a class word around it ("活性维生素D") or a lab ("25-羟维生素D", "25(OH)D"). */
const NOT_TAKEN_BEFORE = /(?:活性|羟基?-?|\(OH\)|（OH）|[（(]含)$/;
/**
 * Vitamin D as the object of supplementation ("补充维生素D：骨化三醇…", "补充钙及维生素D"): the aim of a
 * therapy, not a drug named; unless a dose or a form follows ("补充维生素D滴剂400IU").
 */
const SUPPLEMENTED_BEFORE = /(?:补充|补)(?:钙剂?[及和、与]?)?$/;
const DOSE_OR_FORM_AFTER = /^\s*(?:[\d０-９]|滴剂|软胶囊|胶囊|片|颗粒|注射液)/;
const aimNotDrug = (name: string, text: string, start: number, end: number): boolean =>
  name === '维生素D' && SUPPLEMENTED_BEFORE.test(text.slice(Math.max(0, start - 6), start)) && !DOSE_OR_FORM_AFTER.test(text.slice(end));
/** Right before a name: an item of a list of things to re-check ("复查血脂、胰酶"), a lab. */
// Not over a time point or a cue: "检查完成后停用维拉帕米及多沙唑嗪" stops both.
const RECHECK_LIST_BEFORE = /(?:复查|检查|监测|检测)(?:(?!后|停|用|服|予|改)[^，,。；;\n]){0,12}[、及和]$/;
/** The first item of a list of labs to re-check ("出院后3月复查维生素D、血钙"), or a lab alone ("复查维生素D。"). */
const RECHECKED_NAME = (text: string, start: number, end: number): boolean =>
  /(?:复查|检测)$/.test(text.slice(Math.max(0, start - 2), start)) && /^(?:[、及和]|水平|浓度|[，,。；;\n]|$)/.test(text.slice(end));
/** An injection form named with the drug ("注射用奥美拉唑钠", "前列地尔注射液"): given on the ward. */
const INJECTION_BEFORE = /注射用$/;
const INJECTION_AFTER = /^[^，,。；;\n]{0,3}注射液/;
/**
 * Drugs given on the ward wherever the course names them (home only when a discharge plan does):
 * low-molecular-weight heparins (thrombosis prophylaxis in bed) and alprostadil, an injection only
 * (LABELLING.md §1 rule 4; RULE-1209l).
 */
const WARD_ONLY_DRUGS: ReadonlySet<string> = new Set(['低分子肝素', '依诺肝素', '那屈肝素', '达肝素', '前列地尔']);
/** Injectables patients take home (insulin, GLP-1 RAs, EPO, osteoporosis and PCSK9 biologics). */
const HOME_INJECTABLE = /胰岛素|鲁肽|那肽|糖肽|泊肽|促红|特立帕肽|地舒单抗|尤单抗/;
const ALLERGY_AFTER = /^[^。；;，,\n]{0,3}(?:过敏|不耐受)/;
/** "出院带药同上（氯雷他定除外）": the drug is left out of what goes home (RULE-1210a). */
const EXCEPTED_AFTER = /^[^。；;，,\n（(]{0,2}除外/;
/**
 * A drug for an acute symptom of the stay, the purpose right after it ("蒙脱石散止泻", "自服“布洛芬”退热"):
 * short acute treatment (LABELLING.md §1 rule 4), not a home drug; pain relief is not read so, as
 * "秋水仙碱…抗炎止痛" in a gout flare often goes home (RULE-1210h).
 */
const ACUTE_SYMPTOM_AFTER = /^[^，,。；;\n]{0,12}?(?:止泻|止吐|退热|退烧)/;
/**
 * Analgesics given as needed in the course ("对乙酰氨基酚必要时口服", "必要时短期对乙酰氨基酚止痛"): ward pain
 * relief, unless a discharge plan names them (RULE-1210k). The formulary's paracetamol and NSAIDs.
 */
const PRN_ANALGESICS: ReadonlySet<string> = new Set(['对乙酰氨基酚', '布洛芬', '双氯芬酸', '洛索洛芬', '美洛昔康', '塞来昔布', '依托考昔']);
const AS_NEEDED = /必要时/;
/** A single dose right after the name ("予对乙酰氨基酚1次后缓解"): given on the ward (RULE-1210a). */
const SINGLE_DOSE_AFTER = /^\s*[1一]\s*次(?![\/／每日天周月])/;
/**
 * A stop the patient is told to make on a condition ("嘱生病进食差、呕吐时暂停二甲双胍", "如出现腹泻时停用"):
 * a sick-day instruction about a drug that goes on, not a stop (RULE-1210a).
 */
const CONDITIONAL_STOP_BEFORE = /(?:嘱|如|若|一旦)[^，,。；;\n]*时$/;
/** A list joined by 、 or 及 ("原ARB及β受体阻滞剂不再恢复"): a bare cue after it is about every item (RULE-1210a). */
const LIST_JOINER = /^\s*[、及]\s*$/;
/** A risk given as the reason between a drug and a bare cue after it (RULE-1210m). */
const RISK_REASON = /风险|警示|禁忌|不良反应/;
/** "…均停用", "…一并停用": a bare stop about every drug of its sentence (RULE-1210c). */
const ALL_OF_THEM_BEFORE = /(?:均|都|一并|全部)$/;
// A bare 出院 with a colon opens the discharge list too ("出院：波立维、潘妥洛克、可定").
const DISCHARGE_CUE = /出院带药|出院带(?=[\u4e00-\u9fff])|带药出院|出院用药|出院医嘱|出院后(?:继续|予|给予|口服|服用|使用|规律|改为|加用)?|出院(?:续服|续用|继续|口服|治疗方案|治疗|方案)|出院[:：]|院外继续|继续院外|回家后继续/g;
/** The new route right after a switch cue: "改口服", "改为皮下注射". */
const ROUTE_AFTER_SWITCH = /^\s*(?:口服|po(?![a-z])|皮下)/i;
/** After the second drug of a pair: what is avoided is the combination ("…与氯吡格雷相互作用", "…与华法林合用"). */
const COMBINATION_AFTER = /^[^，,。；;\n]{0,6}?(?:相互作用|合用|联用|同服|同用|并用)/;
/** A line that continues a plan list: "2. 阿托伐他汀 20mg qn", "②乳果糖口服溶液", "- 氨氯地平". */
const LIST_LINE = /^\s*(?:\d{1,2}\s*[.、．)）]|[①-⑳]|[-·•*])/;

/** A plan cue that ends its line with a colon: the plan is the next line ("院外继续：\n二甲双胍…；…"). */
const HEADING_END = /^\s*[:：]\s*\n/;

/** [start, end) ranges of the text that lie inside a discharge-plan statement. */
function dischargeScopes(text: string): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const m of text.matchAll(DISCHARGE_CUE)) {
    let e = m.index + m[0].length;
    const heading = HEADING_END.exec(text.slice(e));
    if (heading) e += heading[0].length;
    for (;;) {
      while (e < text.length && !/[。\n]/.test(text[e]!)) e++;
      if (e < text.length && text[e] === '\n' && LIST_LINE.test(text.slice(e + 1))) {
        e++;
        continue;
      }
      break;
    }
    out.push([m.index, e]);
  }
  return out;
}

type CueKind = 'neg' | 'stop' | 'replace' | 'replacedBy' | 'pos' | 'past' | 'boundary';
type Token = { kind: 'mention'; start: number; end: number; mention: LexiconMention } | { kind: CueKind; start: number; end: number };

function tokens(text: string, mentions: readonly LexiconMention[]): Token[] {
  const out: Token[] = [];
  const add = (re: RegExp, kind: CueKind) => {
    for (const m of text.matchAll(re)) out.push({ kind, start: m.index, end: m.index + m[0].length });
  };
  add(CLAUSE_BOUNDARY, 'boundary');
  add(NEG_CUE, 'neg');
  add(STOP_CUE, 'stop');
  add(DEFER_STOP, 'pos');
  add(REPLACE_CUE, 'replace');
  add(REPLACED_BY_CUE, 'replacedBy');
  add(POS_CUE, 'pos');
  add(PAST_CUE, 'past');
  // Cues overlapping a drug name (e.g. a 予 inside an alias) are not cues; nor is a verb that a
  // past, stop or negation cue already swallowed (the 予 of "起初予", "予停", "未予", the 加用 of
  // "暂不加用"): read again as a positive cue it would end the scope it belongs to.
  const overlaps = (t: Token, s: number, e: number) => t.start < e && s < t.end;
  const inMention = (t: Token) => mentions.some((m) => overlaps(t, m.start, m.end));
  const swallowing = out.filter((t) => t.kind === 'past' || t.kind === 'stop' || t.kind === 'neg');
  // Matched in the whole text: a deferral may look ahead past its own words ("是否停用X由…决定").
  const deferredStopAt = new Set([...text.matchAll(DEFER_STOP)].map((m) => `${m.index}:${m.index + m[0].length}`));
  const deferredStops = out.filter((t) => t.kind === 'pos' && deferredStopAt.has(`${t.start}:${t.end}`));
  const swallowed = (t: Token) =>
    (t.kind === 'pos' && !deferredStops.includes(t) && swallowing.some((p) => overlaps(t, p.start, p.end))) ||
    (t.kind === 'stop' && deferredStops.some((d) => overlaps(t, d.start, d.end)));
  const cues = out.filter((t) => t.kind === 'boundary' || (!inMention(t) && !swallowed(t)));
  for (const m of mentions) cues.push({ kind: 'mention', start: m.start, end: m.end, mention: m });
  return cues.sort((a, b) => a.start - b.start || (a.kind === 'mention' ? 1 : 0) - (b.kind === 'mention' ? 1 : 0));
}

/** The text of a mention's sentence up to `start` (reading order within the field). */
export function sentenceBefore(text: string, start: number): string {
  let from = start;
  while (from > 0 && !SENTENCE_BOUNDARY.test(text[from - 1]!)) from--;
  return text.slice(from, start);
}

/** A word right after 与/和/同/跟 ("瑞格列奈与预混胰岛素作用重叠"): a later cue is not about it. */
export function inWithPhrase(text: string, start: number): boolean {
  return /[与和同跟]$/.test(text.slice(0, start));
}

/** Status of every candidate-drug mention in one text field. */
export function analyzeText(text: string, field: TextField, lexicon: DrugLexicon): AnalyzedMention[] {
  const found = lexicon.findMentions(text).filter((m) => lexicon.has(m.name));
  // Class words are read even when the caller only asks about drugs: a cue after one is about the
  // class, not the drug before it ("甘精胰岛素睡前14U，…餐时胰岛素逐步减停"). They are left out of
  // the result unless the lexicon offers them itself (./class-words.ts withClassWords).
  // A class word in a "with" phrase is not what a later cue is about ("瑞格列奈与预混胰岛素作用重叠，
  // 不再使用" stops the glinide).
  const offersClasses = found.some((m) => m.name.startsWith(CLASS_WORD_PREFIX));
  const blocking = (m: LexiconMention): boolean => !m.name.startsWith(CLASS_WORD_PREFIX) || !inWithPhrase(text, m.start);
  const mentions = (offersClasses ? found : withClassWordMentions(text, found).filter(blocking))
    .filter((m) => !aimNotDrug(m.name, text, m.start, m.end) && !NOT_TAKEN_AFTER.test(text.slice(m.end)) && !NOT_TAKEN_BEFORE.test(text.slice(Math.max(0, m.start - 4), m.start)) && !RECHECK_LIST_BEFORE.test(text.slice(Math.max(0, m.start - 20), m.start)) && !RECHECKED_NAME(text, m.start, m.end))
    .sort((a, b) => a.start - b.start);
  if (mentions.length === 0) return [];
  const reported = (m: LexiconMention): boolean => offersClasses || !m.name.startsWith(CLASS_WORD_PREFIX);
  const toks = tokens(text, mentions);
  const result: AnalyzedMention[] = [];
  const plans = dischargeScopes(text);
  const inPlan = (pos: number) => plans.some(([s, e]) => pos >= s && pos < e);
  /** Where the clause around `pos` starts and ends (a comma, a full stop, a line break …). */
  const clauseStart = (pos: number): number => {
    let s = pos;
    while (s > 0 && !CLAUSE_DELIMITER.test(text[s - 1] ?? '')) s--;
    return s;
  };
  const clauseEnd = (pos: number): number => {
    let e = pos;
    while (e < text.length && !CLAUSE_DELIMITER.test(text[e] ?? '')) e++;
    return e;
  };
  /**
   * The part of a drug's clause that gives its own route: after the last switch cue before it, when
   * there is one ("静脉利尿改为托拉塞米片10mg qd口服": the intravenous route is the old regimen's).
   */
  const ownRouteOf = (pos: number): string => {
    const s = clauseStart(pos);
    let from = s;
    for (const m of text.slice(s, pos).matchAll(REPLACE_CUE)) from = s + m.index + m[0].length;
    const e = clauseEnd(pos);
    // A route switch after the drug ("呋塞米IV利尿后改口服20mg qd") gives its route from then on.
    const tail = text.slice(pos, e);
    const later = [...tail.matchAll(REPLACE_CUE)].pop();
    if (later && ROUTE_AFTER_SWITCH.test(tail.slice(later.index + later[0].length))) return tail.slice(later.index + later[0].length);
    return text.slice(from, e);
  };

  // In a discharge plan, "1周后停用", "（每周减5mg，至停药）", "心率<70次/分时停用" schedule a later
  // stop (a taper or a condition): the drug still goes home.
  const futureStop = (pos: number): boolean =>
    (inPlan(pos) && FUTURE_BEFORE.test(text.slice(Math.max(0, pos - 16), pos))) || TAPER_WITHIN.test(text.slice(Math.max(0, pos - 12), pos)) || STOP_AHEAD.test(text.slice(Math.max(0, pos - 16), pos));
  /** In a plan, "停强的松后停用": the stop of the drug is the time point of another's, not a stop now. */
  const deferral = (cue: Token): boolean => DEFER_WORDS.test(text.slice(cue.start, cue.end)) && !/停/.test(text.slice(cue.start, cue.end));
  const stopAsTimePoint = (cue: Token, drug: Token): boolean => inPlan(cue.start) && /^\s*后/.test(text.slice(drug.end));
  /** …and the other word order, "（泼尼松停用后停）" (RULE-1210a). */
  const stopThenAfter = (cue: Token): boolean => inPlan(cue.start) && /^\s*后/.test(text.slice(cue.end));

  /** A clause that gives a drug on the ward only: an intravenous/pump route, or a dose bounded to the stay. */
  const wardClause = (clause: string): boolean => INPATIENT_CUE.test(clause) || INPATIENT_COURSE.test(clause.replace(DOSING_INTERVAL, ''));
  /**
   * In the course, a mention given on the ward only: its clause (wardClause), an injection form, a
   * single dose after it, an acute symptom it relieves, or an analgesic as needed.
   */
  const wardMention = (m: { start: number; end: number; mention: LexiconMention }): boolean =>
    wardClause(ownRouteOf(m.start)) ||
    wardInjection(m.start, m.end, m.mention.name) ||
    SINGLE_DOSE_AFTER.test(text.slice(m.end)) ||
    ACUTE_SYMPTOM_AFTER.test(text.slice(m.end)) ||
    (PRN_ANALGESICS.has(m.mention.name) && AS_NEEDED.test(text.slice(clauseStart(m.start), clauseEnd(m.end))));

  const injectionForm = (start: number, end: number): boolean =>
    /注射用|注射液/.test(text.slice(start, end)) || INJECTION_BEFORE.test(text.slice(Math.max(0, start - 3), start)) || INJECTION_AFTER.test(text.slice(end));
  const wardInjection = (start: number, end: number, name: string): boolean =>
    WARD_ONLY_DRUGS.has(name) || (!HOME_INJECTABLE.test(name) && injectionForm(start, end));

  /** The drug's clause counts a finished course in days after it, says it had no effect, or takes it for flares (COURSE_BEFORE_ADMISSION, WITHOUT_EFFECT, AS_NEEDED_FOR_FLARES). */
  const courseBeforeAdmission = (start: number, end: number): boolean => {
    if (AS_NEEDED_FOR_FLARES.test(text.slice(clauseStart(start), start))) return true;
    const tail = text.slice(end, clauseEnd(end));
    return (COURSE_BEFORE_ADMISSION.test(tail) || WITHOUT_EFFECT.test(tail) || WITHOUT_EFFECT_NEXT.test(text.slice(clauseEnd(end))) || POOR_EFFECT_ENDS_SENTENCE.test(text.slice(end))) && !COURSE_GOES_ON.test(tail);
  };

  /** The rest of the mention's sentence, up to the next drug named, gives its next dose in clinic (or a long-interval drug's schedule). */
  const clinicDose = (i: number): boolean => {
    const t = toks[i]!;
    let end = text.length;
    for (let j = i + 1; j < toks.length; j++) {
      const u = toks[j]!;
      if (u.kind === 'mention' || (u.kind === 'boundary' && SENTENCE_BOUNDARY.test(text.slice(u.start, u.end)))) {
        end = u.start;
        break;
      }
    }
    const rest = text.slice(t.end, end);
    return CLINIC_DOSE.test(rest) || (t.kind === 'mention' && LONG_INTERVAL_DRUGS.has(t.mention.name) && !inPlan(t.start) && NEXT_DOSE.test(rest));
  };

  /** "暂停氨氯地平，出院前血压回升…，恢复原剂量": a resume with no drug of its own restarts what this sentence paused. */
  const resumePaused = (cue: number): void => {
    const from = cue - sentenceBefore(text, cue).length;
    for (const a of result) if (a.start >= from && a.status === 'stopped' && text.slice(Math.max(0, a.start - 2), a.start) === '暂停') a.status = 'positive';
  };

  /** Where "先予…" opens this sentence's first regimen, when a later clause (后/然后/再…) replaces it. */
  const firstRegimenStart = (cue: number): number | null => {
    const before = sentenceBefore(text, cue);
    const m = FIRST_REGIMEN.exec(before);
    return m && THEN_CLAUSE.test(before.slice(m.index)) ? cue - before.length + m.index : null;
  };

  // 'ward': a stop of the intravenous form only ("停静脉补钙", "停静脉胰岛素"): the oral or
  // subcutaneous drug is not stopped by it, so the mention reads as an inpatient one.
  let state: 'neutral' | 'negated' | 'stopped' | 'past' | 'ward' = 'neutral';
  let pending: AnalyzedMention[] = [];
  let last: AnalyzedMention | null = null; // last mention in the current sentence
  let sentenceMentions: AnalyzedMention[] = [];
  /** Mentions read as ward-only from their course in days (DAY_COURSE): a stop after them still refers back. */
  const dayCourses = new WeakSet<AnalyzedMention>();
  /** A mention a bare stop after it can refer back to: taken, planned, past, or a course in days. */
  const stoppable = (a: AnalyzedMention): boolean => a.status === 'positive' || a.status === 'discharge' || a.status === 'past' || dayCourses.has(a);
  const stopAt = (a: AnalyzedMention, cueEnd: number): void => {
    a.status = 'stopped';
    a.decidedUntil = cueEnd;
  };

  for (let i = 0; i < toks.length; i++) {
    const t = toks[i]!;
    const next = toks[i + 1];
    const nextInClauseIsMention = next !== undefined && next.kind === 'mention';
    switch (t.kind) {
      case 'boundary':
        state = 'neutral';
        pending = [];
        if (SENTENCE_BOUNDARY.test(text.slice(t.start, t.end))) {
          last = null;
          sentenceMentions = [];
        }
        break;
      case 'neg':
        state = 'negated';
        pending = [];
        break;
      case 'past':
        state = 'past';
        pending = [];
        break;
      case 'pos':
        if (BARE_RESUME.test(text.slice(t.start)) && !nextInClauseIsMention) resumePaused(t.start);
        state = 'neutral';
        pending = [];
        break;
      case 'stop':
        // "1年后门诊评估第2剂唑来膦酸": a deferral with a time is a deferral, not a stop still to come.
        if (futureStop(t.start) && !deferral(t)) break;
        if (nextInClauseIsMention && stopAsTimePoint(t, next)) break;
        if (stopThenAfter(t) || CONDITIONAL_STOP_BEFORE.test(text.slice(clauseStart(t.start), t.start))) break;
        if (nextInClauseIsMention) {
          state = INFUSION.test(text.slice(t.end, next.start)) ? 'ward' : 'stopped';
          pending = [];
        } else if (last && stoppable(last)) {
          // "二甲双胍已停" / "二甲双胍禁用" stop the drug before them; "予阿卡波糖，避免低血糖" does not;
          // an avoidance word with no object of its own ("非布司他增加心血管风险，不选用；") does. A cue
          // that opens a new clause with an object of its own ("恢复西格列汀，停胰岛素") is about that
          // object, even when the lexicon does not know it.
          const gap = text.slice(last.end, t.start);
          const bare = BARE_CUE_END.test(text.slice(t.end));
          // A deferral after a drug of the discharge plan ("氯吡格雷75mg qd（满12个月后门诊评估）") is a
          // later decision about a drug that goes home, not a stop.
          // Not a deferred (re)start ("二甲双胍待门诊复查…后再决定是否加回"): that drug is not taken now.
          const laterDecision = last.status === 'discharge' && DEFER_WORDS.test(text.slice(t.start, t.end)) && !DEFERRED_START_VERB.test(text.slice(t.start, t.end));
          const refersBack = (bare || (!LEADING_AVOID.test(text.slice(t.start, t.end)) && !CLAUSE_BREAK.test(gap))) && !laterDecision;
          // A bare cue ending the sentence after the course's end point ("…4天，关节肿痛基本缓解后停用")
          // is about the drug over a longer course description.
          // So is a bare avoidance after the risk that is its reason ("非布司他说明书有心血管死亡风险警示，结合其冠心病史不选用", RULE-1210m).
          const reach = bare && (RESOLVED_THEN.test(gap) || RISK_REASON.test(gap)) ? 40 : 20;
          if (refersBack && gap.length <= reach && !SENTENCE_BOUNDARY.test(gap)) {
            stopAt(last, t.end);
            // "原ARB及β受体阻滞剂不再恢复": the items joined to it by 、/及 too.
            for (let k = pending.indexOf(last) - 1; k >= 0 && bare; k--) {
              const item = pending[k]!;
              if (!LIST_JOINER.test(text.slice(item.end, pending[k + 1]!.start))) break;
              if (item.status === 'positive' || item.status === 'discharge' || item.status === 'past') stopAt(item, t.end);
            }
            // "口服秋水仙碱0.5mg bid×5天及安康信120mg qd×3天，症状消退后均停用": every drug of the sentence.
            if (bare && ALL_OF_THEM_BEFORE.test(text.slice(0, t.start))) for (const a of sentenceMentions) if (stoppable(a)) stopAt(a, t.end);
          }
        }
        break;
      case 'replacedBy':
        if (nextInClauseIsMention) {
          state = 'stopped';
          pending = [];
        }
        break;
      case 'replace':
        // "入院初布洛芬缓释胶囊效果差，第3天改泼尼松": the drug whose poor effect closed the clause before is replaced (RULE-1210g).
        if (nextInClauseIsMention && pending.length === 0 && last && (last.status === 'positive' || last.status === 'discharge') && POOR_EFFECT_THEN_SWITCH.test(text.slice(last.end, t.start)))
          last.status = 'stopped';
        if (nextInClauseIsMention || INSULIN_TARGET.test(text.slice(t.end))) {
          // Inside a discharge plan too: "出院后二甲双胍改为达格列净" sends the second one home.
          for (const p of pending) if (p.status === 'positive' || p.status === 'inpatient' || p.status === 'discharge') p.status = 'stopped';
          // "先予A，后…简化为B": the first regimen is the one replaced, a clause break before the cue.
          const first = firstRegimenStart(t.start);
          if (first !== null)
            for (const a of result) if (a.start >= first && a.start < t.start && (a.status === 'positive' || a.status === 'inpatient')) a.status = 'stopped';
          state = 'neutral';
          pending = [];
        }
        break;
      case 'mention': {
        // The partner of an avoided combination ("避免奥美拉唑与氯吡格雷相互作用") is not avoided: this
        // clause says nothing about it.
        if (state === 'stopped' && inWithPhrase(text, t.start) && COMBINATION_AFTER.test(text.slice(t.end))) break;
        let status: MentionStatus;
        let dayCourse = false;
        if (state === 'negated') status = 'negated';
        else if (state === 'stopped') status = 'stopped';
        else if (state === 'ward' || clinicDose(i)) status = 'inpatient';
        // An infusion in the plan is given in clinic, not taken home ("下次唑来膦酸于1年后门诊输注").
        else if (inPlan(t.start)) status = INFUSION.test(ownRouteOf(t.start)) ? 'inpatient' : 'discharge';
        else if (state === 'past') status = 'past';
        else if (field === '诊疗过程描述' && wardMention(t)) {
          status = 'inpatient';
          // "予安康信 120mg qd×5天，…消退后停用": a fixed course, which a later stop refers back to (RULE-1210c).
          dayCourse = FIXED_COURSE.test(ownRouteOf(t.start));
        }
        else if (field === '诊疗过程描述' && DAY_COURSE.test(ownRouteOf(t.start))) {
          status = 'inpatient';
          dayCourse = true;
        }
        // Elsewhere an intravenous route is the emergency room's or another hospital's ("急诊予乌拉地尔静脉泵入后收入院"):
        // not a home drug either (a pump or an injection under the skin may be).
        else if (INFUSION.test(ownRouteOf(t.start))) status = 'inpatient';
        else if (field === '现病史' && (courseBeforeAdmission(t.start, t.end) || ACUTE_SYMPTOM_AFTER.test(text.slice(t.end)))) status = 'past';
        else status = 'positive';
        if (status !== 'negated' && ALLERGY_AFTER.test(text.slice(t.end))) status = 'negated';
        else if (status !== 'negated' && EXCEPTED_AFTER.test(text.slice(t.end))) status = 'stopped';
        const a: AnalyzedMention = { field, name: t.mention.name, start: t.start, end: t.end, status };
        if (dayCourse) dayCourses.add(a);
        if (reported(t.mention)) result.push(a);
        pending.push(a);
        sentenceMentions.push(a);
        last = a;
        break;
      }
    }
  }
  // A long-interval drug given on the ward or in clinic anywhere in the course is that
  // administration wherever the course names it ("改选地舒单抗" … "每6个月皮下注射地舒单抗60mg一次（下次…门诊注射）"):
  // not a take-home drug (LABELLING.md §1 rule 5; RULE-1209l).
  if (field === '诊疗过程描述')
    for (const name of LONG_INTERVAL_DRUGS)
      if (result.some((a) => a.name === name && a.status === 'inpatient'))
        for (const a of result) if (a.name === name && (a.status === 'positive' || a.status === 'discharge')) a.status = 'inpatient';
  return result;
}

/** Status of every mention in a record, in MENTION_FIELD_ORDER. */
export function analyzeRecord(record: CDrugRedRecord, lexicon: DrugLexicon): AnalyzedMention[] {
  return MENTION_FIELD_ORDER.flatMap((f) => analyzeText(record[f] ?? '', f, lexicon));
}

/** Drugs whose last positive-or-stopped mention is positive (or a discharge plan), in first-positive order. */
export function mentionedDrugs(record: CDrugRedRecord, lexicon: DrugLexicon): string[] {
  const finalStatus = new Map<string, 'positive' | 'stopped'>();
  const order: string[] = [];
  for (const m of analyzeRecord(record, lexicon)) {
    if (m.status === 'positive' || m.status === 'discharge') {
      if (!order.includes(m.name)) order.push(m.name);
      finalStatus.set(m.name, 'positive');
    } else if (m.status === 'stopped') {
      finalStatus.set(m.name, 'stopped');
    }
  }
  return order.filter((n) => finalStatus.get(n) === 'positive');
}

export function fitMention(lexicon: DrugLexicon): Recommender {
  return { name: 'mention', predict: (record) => mentionedDrugs(record, lexicon) };
}
