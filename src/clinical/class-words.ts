/**
 * Class words of metabolic-ward notes ("SGLT2抑制剂", "他汀", "餐时胰岛素"), and a lexicon that offers
 * them to the mention analyser (./baselines/mention.ts) as pseudo-drugs named `class:<key>`, so
 * "停用磺脲类", "暂不加用他汀", "餐时胰岛素逐步减停", "否认…" and "latest statement wins" mean for a
 * class what they mean for a drug, with one implementation of those rules. Read by the class plans
 * (./class-plans.ts: a class planned without naming a drug) and the safety reader (./withhold.ts:
 * a class the note stops).
 */
import type { DrugLexicon, LexiconMention } from './baselines/types.ts';
import type { FormularyDrug } from './formulary-types.ts';

/** A class word and the formulary classes (`FormularyDrug.class`) it stands for. */
export interface ClassWord {
  key: string;
  term: RegExp;
  classes: readonly string[];
  /**
   * The class's usual drug: the one a chart means when it plans the class without naming a drug
   * of it (the fusion raises it over the model's other picks of the class). The class's most prescribed drug in the training labels (the model
   * folder's drug_order.json), which is also the usual first choice in Chinese practice; where the
   * two differ, the written default pick of a Chinese ward in 2021–2024 (eval/handwritten/LABELLING.md
   * §1.1: weekly GLP-1 RA → semaglutide, ARB → valsartan) wins over our generator's frequencies. None for
   * a class a note only ever rules out here ("避免NSAIDs"): naming it is no plan for one drug.
   */
  usual?: string;
  /**
   * The drugs a plan for this word can mean, when only some of its classes' drugs can (high-
   * intensity statin therapy is atorvastatin or rosuvastatin); default: every drug of `classes`.
   */
  members?: readonly string[];
  /**
   * Drugs of the class a switch to this word replaces: after "改为高强度他汀" a named simvastatin
   * is withheld (it never reaches high intensity). The word alone ("他汀强化") keeps a named drug
   * of the class (src/clinical/withhold.ts, class-plans.ts), unless `supersedesWhenPlanned`.
   */
  supersedes?: readonly string[];
  /**
   * The word replaces `supersedes` without a switch verb too, where the course plans it for a reason
   * (`reason`: "LDL-C未达标（目标<1.4mmol/L），他汀强化降脂") or in the discharge plan ("出院方案：…他汀强化"):
   * a home 辛伐他汀 then goes home as 阿托伐他汀 (eval/handwritten/LABELLING.md §1.1; RULE-1210a).
   */
  supersedesWhenPlanned?: { reason: RegExp };
  /**
   * Where practice picks another drug of the class first: the note names one of `conditions`
   * (not negated) or an eGFR below `egfrBelow`.
   */
  instead?: { conditions: readonly string[]; egfrBelow?: number; usual: string };
  /**
   * The model's suggestion of a drug of this class that the note never names is taken as `usual`,
   * when the note names no drug of the class at all: nothing in such a note tells one drug of the
   * class from another (RULE-1209c; only the statins, where the swap was measured to help).
   */
  unnamedPick?: true;
}

/**
 * The class words of metabolic-ward plans. A word inside a drug name is not a class word (the
 * 他汀 of 阿托伐他汀); a drug name inside a longer class word is not a drug (the 维生素D of
 * 活性维生素D). Thyroid hormone only as a therapy ("甲状腺激素替代"), never the lab test.
 */
export const CLASS_WORDS: readonly ClassWord[] = [
  // Before 'statin': at the same place the longer word wins (ANY_CLASS_WORD takes the first).
  // High intensity = atorvastatin 40–80 mg or rosuvastatin 20 mg (2023 Chinese lipid guideline);
  // the other statins reach moderate intensity at most.
  {
    key: 'statinHigh',
    term: /高强度他汀|强化他汀|他汀(?:类)?强化|大剂量他汀/,
    classes: ['他汀类'],
    usual: '阿托伐他汀',
    members: ['阿托伐他汀', '瑞舒伐他汀'],
    supersedes: ['辛伐他汀', '普伐他汀', '氟伐他汀', '洛伐他汀', '匹伐他汀'],
    // Escalation follows an LDL-C above its target; the phrase alone, as our generator writes it,
    // keeps the home statin in its labels (measured: RULE-1210a).
    supersedesWhenPlanned: { reason: /(?:LDL|低密度脂蛋白)[^。；;\n]{0,40}?(?:未达标|不达标|目标\s*[<＜≤]|目标值)/i },
  },
  { key: 'statin', term: /他汀/, classes: ['他汀类'], usual: '阿托伐他汀', unnamedPick: true },
  { key: 'sglt2', term: /SGLT-?2(?:抑制剂|i)?|列净类|钠-?葡萄糖(?:协同)?转运蛋白-?2抑制剂/i, classes: ['SGLT2抑制剂'], usual: '达格列净' },
  // Linagliptin is cleared mostly outside the kidney and needs no dose change at any eGFR (label;
  // CDS 2020), so it is the first DPP-4 inhibitor with kidney disease; the synthetic training
  // labels agree (664 against 478 for sitagliptin among visits with a renal diagnosis). Without a
  // renal diagnosis the eGFR decides where sitagliptin's label first lowers its dose (< 45).
  {
    key: 'dpp4',
    term: /DPP-?(?:4|IV)(?:抑制剂|i)?|列汀类|二肽基肽酶-?4抑制剂/i,
    classes: ['DPP-4抑制剂'],
    usual: '西格列汀',
    instead: { conditions: ['慢性肾脏病', 'CKD', '肾功能不全', '肾功能减退', '糖尿病肾病', '糖尿病肾脏病'], egfrBelow: 45, usual: '利格列汀' },
  },
  // A GLP-1 RA plan that names its dosing: weekly is semaglutide (a switch to it replaces a daily
  // one: "由日制剂改为周制剂"), daily is liraglutide (LABELLING.md §1.1).
  {
    key: 'glp1Weekly',
    term: /GLP-?1(?:受体激动剂|RA)?周制剂|(?<=改为|换为|换用|调整为)周制剂(?:GLP-?1(?:受体激动剂|RA)?)?/i,
    classes: ['GLP-1受体激动剂'],
    usual: '司美格鲁肽',
    members: ['司美格鲁肽', '度拉糖肽', '聚乙二醇洛塞那肽'],
    supersedes: ['利拉鲁肽', '贝那鲁肽', '利司那肽', '艾塞那肽'],
  },
  {
    key: 'glp1Daily',
    term: /GLP-?1(?:受体激动剂|RA)?(?:日制剂|\s*[（(]\s*每日(?:一|1)次)/i,
    classes: ['GLP-1受体激动剂'],
    usual: '利拉鲁肽',
    members: ['利拉鲁肽', '贝那鲁肽', '利司那肽', '艾塞那肽'],
  },
  { key: 'glp1', term: /GLP-?1(?:受体激动剂|RA)?|胰高血糖素样肽-?1受体激动剂/i, classes: ['GLP-1受体激动剂'], usual: '司美格鲁肽' },
  { key: 'acei', term: /ACEI|普利类|血管紧张素转换酶抑制剂/, classes: ['ACEI'], usual: '贝那普利' },
  // Single-pill combinations before 'arb', which would take their first three letters.
  {
    key: 'arbDiuretic',
    term: /ARB\s*[+＋/和与]\s*(?:噻嗪(?:类|样)?|氢氯噻嗪|利尿剂)(?:利尿剂)?的?(?:单片)?复方(?:制剂)?/,
    classes: ['ARB/利尿剂复方'],
    usual: '缬沙坦氢氯噻嗪',
  },
  { key: 'arbCcb', term: /ARB\s*[+＋/和与]\s*CCB的?(?:单片)?复方(?:制剂)?/, classes: ['ARB/CCB复方'], usual: '缬沙坦氨氯地平' },
  // "兼有促尿酸排泄作用的ARB" names losartan, the one ARB that also lowers serum urate.
  { key: 'arbUricosuric', term: /(?:兼有|具有)?(?:促(?:进)?尿酸排泄|降(?:血)?尿酸)(?:作用)?的ARB/, classes: ['ARB'], usual: '氯沙坦', members: ['氯沙坦'] },
  { key: 'arni', term: /ARNI|血管紧张素受体-?脑啡肽酶抑制剂/, classes: ['ARNI'], usual: '沙库巴曲缬沙坦' },
  { key: 'arb', term: /ARB|沙坦类|血管紧张素(?:II|Ⅱ|2)受体(?:拮抗剂|阻滞剂)/, classes: ['ARB'], usual: '缬沙坦' },
  {
    key: 'beta',
    term: /β-?受体阻滞剂|β-?阻滞剂|洛尔类/,
    classes: ['β受体阻滞剂', 'α/β受体阻滞剂'],
    usual: '美托洛尔',
    // Rate control in thyrotoxicosis is propranolol in Chinese practice (it also slows T4 → T3).
    instead: { conditions: ['甲亢', '甲状腺功能亢进', 'Graves', '甲状腺毒症', '毒性弥漫性甲状腺肿'], usual: '普萘洛尔' },
  },
  { key: 'ccb', term: /CCB|钙通道阻滞剂|钙拮抗剂|地平类/, classes: ['二氢吡啶类CCB'], usual: '氨氯地平' },
  { key: 'bisphosphonate', term: /双膦酸盐/, classes: ['双膦酸盐'], usual: '阿仑膦酸钠' },
  { key: 'calcium', term: /钙剂|补钙/, classes: ['钙剂', '钙剂(含维生素D)'], usual: '碳酸钙D3' },
  { key: 'activeD', term: /活性维生素D/, classes: ['活性维生素D', '活性维生素D类似物'], usual: '骨化三醇' },
  // "双联抗血小板" is aspirin plus a P2Y12 inhibitor: the "双联" part plans the second drug (default
  // clopidogrel, LABELLING.md §1.1), and "抗血小板" after it the aspirin, each read by its own cues.
  { key: 'p2y12Dual', term: /双联(?=抗血小板)|DAPT/, classes: ['P2Y12受体拮抗剂'], usual: '氯吡格雷' },
  { key: 'antiplatelet', term: /抗血小板/, classes: ['抗血小板药(COX抑制剂)', 'P2Y12受体拮抗剂', '抗血小板药'], usual: '阿司匹林' },
  // A switch to a NOAC replaces warfarin ("抗凝改为NOAC", "改为利伐沙班"): nobody goes home on both.
  {
    key: 'noac',
    term: /NOAC|DOAC|新型口服抗凝药?|直接口服抗凝药?/,
    classes: ['Xa因子抑制剂', '直接凝血酶抑制剂'],
    usual: '利伐沙班',
    supersedes: ['华法林'],
  },
  { key: 'antithyroid', term: /抗甲状腺药物?|ATD/, classes: ['抗甲状腺药'], usual: '甲巯咪唑' },
  { key: 'thyroxine', term: /甲状腺(?:激)?素(?:替代|补充)|补充甲状腺(?:激)?素|TSH抑制治疗/, classes: ['甲状腺激素'], usual: '左甲状腺素' },
  // A switch to basal insulin replaces a premixed one ("预混人胰岛素方案…，调整为基础胰岛素+二甲双胍"):
  // nobody goes home on a premix and a basal insulin together.
  {
    key: 'basalInsulin',
    // "基础+三餐前速效胰岛素方案" names the basal class too.
    term: /基础胰岛素|长效胰岛素|基础(?=\s*[+＋]\s*(?:三餐前|餐时|餐前)?(?:速效|短效)?胰岛素)/,
    classes: ['长效胰岛素类似物'],
    usual: '甘精胰岛素',
    supersedes: ['门冬胰岛素30', '门冬胰岛素50', '赖脯胰岛素25', '赖脯胰岛素50', '精蛋白生物合成人胰岛素(预混30R)', '精蛋白生物合成人胰岛素(预混50R)', '精蛋白锌重组人胰岛素混合', '30/70混合重组人胰岛素', '50/50混合重组人胰岛素', '德谷门冬双胰岛素'],
  },
  { key: 'prandialInsulin', term: /餐时胰岛素|速效胰岛素/, classes: ['速效胰岛素类似物'], usual: '门冬胰岛素' },
  { key: 'ezetimibe', term: /胆固醇吸收抑制剂/, classes: ['胆固醇吸收抑制剂'], usual: '依折麦布' },
  { key: 'ppi', term: /质子泵抑制剂|PPI/, classes: ['质子泵抑制剂'], usual: '泮托拉唑' },
  { key: 'sulfonylurea', term: /磺脲类/, classes: ['磺脲类'], usual: '格列美脲' },
  { key: 'biguanide', term: /双胍类/, classes: ['双胍类'], usual: '二甲双胍' },
  { key: 'agi', term: /α-?糖苷酶抑制剂/, classes: ['α-糖苷酶抑制剂'], usual: '阿卡波糖' },
  { key: 'fibrate', term: /贝特类/, classes: ['贝特类'], usual: '非诺贝特' },
  { key: 'mra', term: /醛固酮受体拮抗剂|MRA/, classes: ['醛固酮受体拮抗剂'], usual: '螺内酯' },
  { key: 'alkali', term: /碱化尿液/, classes: ['碱化剂', '尿液碱化剂'], usual: '碳酸氢钠' },
  // Potassium supplements, planned by name when at all: only a stop ("血钾恢复正常后停补钾") is read; "氯化钾
  // 缓释片补钾3天" names the drug's purpose, and a stop after it is about the drug.
  // …also with its route ("停用口服补钾", RULE-1210l).
  { key: 'potassium', term: /(?<=停(?:用|止)?(?:口服|静脉)?)补钾/, classes: ['补钾药'] },
  { key: 'loopDiuretic', term: /袢利尿剂/, classes: ['袢利尿剂'], usual: '呋塞米' },
  { key: 'thiazide', term: /噻嗪(?:类|样)利尿剂/, classes: ['噻嗪类利尿剂', '噻嗪样利尿剂'], usual: '吲达帕胺' },
  { key: 'uricosuric', term: /促(?:进)?尿酸排泄(?:药物?|剂)/, classes: ['促尿酸排泄药'], usual: '苯溴马隆' },
  { key: 'xoi', term: /黄嘌呤氧化酶抑制剂|XOI/, classes: ['黄嘌呤氧化酶抑制剂'], usual: '非布司他' },
  // A premixed analogue (LABELLING.md §1.1 → 门冬胰岛素30); a switch to it ("改为预混胰岛素类似物每日两次")
  // replaces a human premix. Before premixInsulin, so the longer word is read first.
  {
    key: 'premixAnalogue',
    term: /预混胰岛素类似物/,
    classes: ['预混胰岛素类似物'],
    usual: '门冬胰岛素30',
    supersedes: ['精蛋白生物合成人胰岛素(预混30R)', '精蛋白生物合成人胰岛素(预混50R)', '精蛋白锌重组人胰岛素混合', '30/70混合重组人胰岛素', '50/50混合重组人胰岛素'],
  },
  // Not the start of a product name ("预混人胰岛素30R" is the drug).
  { key: 'premixInsulin', term: /预混(?:人)?胰岛素(?:类似物)?(?![\dR])/, classes: ['预混人胰岛素', '预混胰岛素类似物'], usual: '门冬胰岛素30' },
  { key: 'glinide', term: /格列奈类/, classes: ['格列奈类'], usual: '瑞格列奈' },
  { key: 'tzd', term: /噻唑烷二酮类?|格列酮类|TZD/i, classes: ['噻唑烷二酮类'], usual: '吡格列酮' },
  { key: 'pcsk9', term: /PCSK9(?:单抗|抑制剂)/i, classes: ['PCSK9抑制剂'], usual: '依洛尤单抗' },
  { key: 'nitrate', term: /硝酸酯类?(?:药物?)?/, classes: ['硝酸酯类'], usual: '单硝酸异山梨酯' },
  { key: 'iron', term: /口服铁剂|补铁/, classes: ['口服铁剂'], usual: '琥珀酸亚铁' },
  // Urate-lowering drugs as a whole: a plan names which one; "暂不予降尿酸药物治疗" rules them all out.
  { key: 'urateLowering', term: /降尿酸(?:药物?|治疗)/, classes: ['黄嘌呤氧化酶抑制剂', '促尿酸排泄药'] },
  // Only ruled out here ("避免NSAIDs"): an NSAID named as a class is no plan for one drug.
  // The COX-2 inhibitors are NSAIDs too: "避免NSAIDs" rules out 依托考昔 and 塞来昔布 (RULE-1209l).
  { key: 'nsaid', term: /NSAIDs?|非甾体(?:类)?抗炎药/i, classes: ['非甾体抗炎药', '非甾体抗炎药(COX-2抑制剂)'] },
];

/** The pseudo-drug name of a class word: `class:<key>`. */
export const CLASS_WORD_PREFIX = 'class:';
const ANY_CLASS_WORD = new RegExp(CLASS_WORDS.map((c) => `(${c.term.source})`).join('|'), 'gi');

/**
 * The class words of `text` among its drug mentions, as pseudo-drugs named `class:<key>`, and the
 * drugs that are not part of a class word; a class word inside a drug name is none.
 */
export function withClassWordMentions(text: string, drugs: readonly LexiconMention[]): LexiconMention[] {
  const classes: LexiconMention[] = [];
  for (const m of text.matchAll(ANY_CLASS_WORD)) {
    const start = m.index;
    const end = start + m[0].length;
    const insideDrug = drugs.some((d) => d.start < end && start < d.end && !(start <= d.start && d.end <= end && end - start > d.end - d.start));
    if (insideDrug) continue;
    // ANY_CLASS_WORD has one group per class word, in CLASS_WORDS order.
    const i = m.slice(1).findIndex((g) => g !== undefined);
    classes.push({ name: CLASS_WORD_PREFIX + CLASS_WORDS[i]!.key, start, end });
  }
  const kept = drugs.filter((d) => !classes.some((c) => c.start <= d.start && d.end <= c.end));
  return [...kept, ...classes].sort((a, b) => a.start - b.start);
}

/** The lexicon plus the class words, as pseudo-drugs named `class:<key>`. */
export function withClassWords(lexicon: DrugLexicon): DrugLexicon {
  return {
    names: lexicon.names,
    has: (name) => name.startsWith(CLASS_WORD_PREFIX) || lexicon.has(name),
    normalize: (mention) => lexicon.normalize(mention),
    findMentions: (text) =>
      withClassWordMentions(
        text,
        lexicon.findMentions(text).filter((m) => lexicon.has(m.name)),
      ),
  };
}

/** The class word a pseudo-drug name stands for (`class:sglt2` → its ClassWord), else undefined. */
export function classWordOf(name: string): ClassWord | undefined {
  return name.startsWith(CLASS_WORD_PREFIX) ? CLASS_WORDS.find((c) => c.key === name.slice(CLASS_WORD_PREFIX.length)) : undefined;
}

/** The formulary drugs a plan for the class word can mean (its `members`, else its classes' drugs). */
export function drugsOfClassWord(word: ClassWord, drugs: readonly FormularyDrug[]): string[] {
  return drugs.filter((d) => (word.members ? word.members.includes(d.name) : word.classes.includes(d.class))).map((d) => d.name);
}

/**
 * Unnamed suggestions taken as their class's usual drug (`ClassWord.unnamedPick`): drug → usual, for
 * each such class of which `named` (the drugs the note says anything about) holds no drug.
 */
export function unnamedPicks(drugs: readonly FormularyDrug[], named: (name: string) => boolean): Map<string, string> {
  const out = new Map<string, string>();
  for (const word of CLASS_WORDS) {
    if (!word.unnamedPick || word.usual === undefined) continue;
    const members = drugsOfClassWord(word, drugs);
    if (!members.includes(word.usual) || members.some(named)) continue;
    for (const m of members) if (m !== word.usual) out.set(m, word.usual);
  }
  return out;
}

/**
 * What a switch to this drug replaces, as a switch to its class word would ("改为来得时…" on a premix
 * is "改为基础胰岛素"; "改为阿托伐他汀40mg" on simvastatin is "改为高强度他汀"): the `supersedes` of every
 * class word the drug is a plan for.
 */
export function supersededBySwitchTo(name: string, drugs: readonly FormularyDrug[]): string[] {
  const out = new Set<string>();
  for (const word of CLASS_WORDS) {
    if (!word.supersedes || !drugsOfClassWord(word, drugs).includes(name)) continue;
    for (const n of word.supersedes) if (n !== name) out.add(n);
  }
  return [...out];
}

/** A class name without its "类" ("磺脲类" → "磺脲"): how combination classes spell a part. */
const stem = (cls: string): string => cls.replace(/类$/, '');

/**
 * The formulary drugs a note rules out when it stops or rules out the class word ("停用磺脲类",
 * "暂不加用他汀"): every drug of its classes, and every combination with a part of them, whether its
 * class spells the part ("磺脲/双胍复方", "他汀/胆固醇吸收抑制剂复方") or only its name holds a drug of
 * the class ("不再使用噻嗪类利尿剂" stops 厄贝沙坦氢氯噻嗪, an "ARB/利尿剂复方").
 */
export function drugsStoppedWithClassWord(word: ClassWord, drugs: readonly FormularyDrug[]): string[] {
  const members = drugs.filter((d) => word.classes.includes(d.class)).map((d) => d.name);
  const inCombination = (d: FormularyDrug): boolean =>
    d.class.includes('/') &&
    (d.class.split('/').some((part) => word.classes.some((c) => part === c || part.startsWith(stem(c)) || stem(c).startsWith(part))) ||
      members.some((m) => d.name.includes(m)));
  return drugs.filter((d) => word.classes.includes(d.class) || inCombination(d)).map((d) => d.name);
}

