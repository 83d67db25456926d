/**
 * The candidate drug list ("formulary"): loading/validation, name normalisation and
 * mention finding. Schema: ./formulary-types.ts. Conventions: docs/formulary.md.
 *
 * Every lookup goes through `fold()`, which makes text comparable: NFKC (full-width →
 * half-width, ㎎ → mg, Ⅱ → II), ASCII lower case, all brackets → (), hyphens / middle dots /
 * whitespace dropped.
 */
import type {
  Contraindication,
  FormularyDrug,
  FormularyFile,
  FormularySource,
  Interaction,
  TherapeuticArea,
} from './formulary-types.ts';
import * as v from 'valibot';
import { describeIssues, issueMessage } from '../model-folder/format.ts';
import bundledJson from './data/formulary.json' with { type: 'json' };

export class FormularyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FormularyError';
  }
}

/** A drug mention found in free text. */
export interface Mention {
  /** Canonical name. */
  name: string;
  /** The matched surface text, exactly as it appears in the input. */
  alias: string;
  /** [start, end) in UTF-16 code units of the input. */
  start: number;
  end: number;
}

const AREAS: readonly TherapeuticArea[] = [
  'diabetes', 'hypertension', 'lipids', 'antithrombotic', 'cardiac', 'gout', 'thyroid',
  'osteoporosis', 'renal', 'neuropathy', 'liver', 'gastrointestinal', 'anti-infective',
  'respiratory', 'neuro-psych', 'urology', 'other',
];

// ---- text folding ---------------------------------------------------------------------

const BRACKET: Record<string, string> = {
  '[': '(', ']': ')', '{': '(', '}': ')', '【': '(', '】': ')', '〔': '(', '〕': ')',
  '〈': '(', '〉': ')', '《': '(', '》': ')', '「': '(', '」': ')', '〖': '(', '〗': ')',
};
/** Dropped everywhere: hyphens, dashes, middle dots, zero-width characters, quotes. */
const DROPPED = /^[-‐‑‒–—―_·・‧•'"“”‘’\u200b\u200c\u200d\ufeff]$/;
const SPACE = /^\s$/;

/** Folds one code point. `space` is what whitespace becomes. */
function foldChar(ch: string, space: string): string {
  const code = ch.charCodeAt(0);
  // Fast paths: CJK ideographs and plain ASCII letters/digits are by far the most common.
  if (code >= 0x4e00 && code <= 0x9fff && ch.length === 1) return ch;
  if (code < 0x80) {
    if (code >= 0x41 && code <= 0x5a) return String.fromCharCode(code + 32);
    if ((code >= 0x61 && code <= 0x7a) || (code >= 0x30 && code <= 0x39)) return ch;
  }
  if (SPACE.test(ch)) return space;
  let out = '';
  for (const c of ch.normalize('NFKC')) {
    if (SPACE.test(c)) {
      out += space;
      continue;
    }
    if (DROPPED.test(c)) continue;
    const b = BRACKET[c];
    if (b) out += b;
    else if (c >= 'A' && c <= 'Z') out += c.toLowerCase();
    else out += c;
  }
  return out;
}

/** Canonical comparison form of a whole string (whitespace removed). */
function fold(s: string): string {
  let out = '';
  for (const ch of s) out += foldChar(ch, '');
  return out;
}

/** A whitespace-separated token that starts a dose/spec ("0.5g*20片", "12U", "×30"). */
const SPEC_TOKEN = /^[*×x]?\d/;
/** ...but a bare product marker after a space ("诺和锐 30", "优泌林 70/30", "诺和灵 30R") is kept. */
const PRODUCT_MARKER = /^\d+(?:\/\d+)?r?$/;

/**
 * Folds a single-drug mention: whitespace-separated trailing dose/spec tokens are dropped
 * before the whitespace is removed, so "诺和锐30 0.5g" does not become "诺和锐300.5g".
 */
function foldMention(s: string): string {
  let spaced = '';
  for (const ch of s) spaced += foldChar(ch, ' ');
  const tokens = spaced.split(' ').filter((t) => t.length > 0);
  const kept: string[] = [];
  for (const [i, t] of tokens.entries()) {
    if (i > 0 && SPEC_TOKEN.test(t) && !PRODUCT_MARKER.test(t)) break;
    kept.push(t);
  }
  return kept.join('');
}

// ---- stripping rules (operate on folded strings) ---------------------------------------

const NUM = String.raw`\d+(?:\.\d+)?`;
const UNIT =
  '(?:万iu|万u|万单位|国际单位|单位|mg|μg|ug|mcg|ml|iu|kg|g|l|u|%|mmol|毫克|微克|毫升|克|片|粒|支|袋|丸|瓶|盒|揿|喷|吸|贴|枚|包|板|s|t)';
const TRAILING_SPEC = [
  new RegExp(`[:*×x/,;+]?${NUM}${UNIT}(?:/${UNIT})?$`),
  new RegExp(`[*×x]${NUM}$`),
  new RegExp(`/${UNIT}$`),
  /[:*×x/,;+]$/,
];
const DOSE_IN_PARENS = new RegExp(`${NUM}${UNIT}`);

/** Dosage-form suffixes, longest first. */
const FORMS = [
  '口腔崩解片', '吸入粉雾剂', '预填充注射笔', '吸入气雾剂', '吸入混悬液', '吸入溶液', '粉吸入剂',
  '缓释片', '控释片', '肠溶片', '分散片', '咀嚼片', '泡腾片', '口崩片', '薄膜衣片', '糖衣片', '舌下片',
  '缓释胶囊', '控释胶囊', '肠溶胶囊', '肠溶软胶囊', '软胶囊', '硬胶囊', '胶丸', '胶囊',
  '颗粒剂', '颗粒', '干混悬剂', '混悬液', '口服溶液', '口服液', '溶液', '糖浆', '合剂', '滴剂',
  '滴丸', '浓缩丸', '水丸', '蜜丸', '注射液', '注射剂', '粉针剂', '注射笔', '笔芯', '特充', '预充',
  '气雾剂', '粉雾剂', '喷雾剂', '鼻喷剂', '贴片', '贴剂', '乳膏', '软膏', '凝胶', '微球',
  '散剂', '散', '片剂', '片', '丸', '针', '笔',
];
const SALT_PREFIXES = [
  '甲苯磺酸', '硫酸氢', '氢溴酸', '甲磺酸', '苯磺酸', '马来酸', '琥珀酸', '酒石酸', '富马酸', '枸橼酸',
  '门冬氨酸', '苯甲酸', '苹果酸', '二盐酸', '盐酸', '硫酸', '磷酸', '醋酸', '乳酸', '草酸', '脯氨酸',
];
const SALT_SUFFIXES = ['叔丁胺', '精氨酸', '氨丁三醇', '钠', '钾', '钙', '镁', '酯'];
const PREFIXES = ['注射用'];

const MIN_CORE = 2;

function stripForm(s: string): string | null {
  for (const f of FORMS) {
    if (s.endsWith(f) && s.length - f.length >= MIN_CORE) return s.slice(0, -f.length);
  }
  return null;
}

function stripSpec(s: string): string | null {
  // A trailing parenthesised group is stripped when it is an annotation without numbers
  // ("(进口)", "(II)") or a dose/spec ("(0.5g)"), but never a product marker such as
  // "(25)", "(预混30R)" or "(30/70)", which tells insulin products apart.
  const paren = /\(([^()]*)\)?$/.exec(s);
  if (paren && paren.index >= MIN_CORE) {
    const inner = paren[1] ?? '';
    if (!/\d/.test(inner) || DOSE_IN_PARENS.test(inner)) return s.slice(0, paren.index);
  }
  const lead = /^\(([^()\d]*)\)/.exec(s);
  if (lead && s.length - lead[0].length >= MIN_CORE) return s.slice(lead[0].length);
  for (const re of TRAILING_SPEC) {
    const m = re.exec(s);
    if (m && m.index >= MIN_CORE) return s.slice(0, m.index);
  }
  return null;
}

function stripSaltPrefix(s: string): string | null {
  for (const p of [...SALT_PREFIXES, ...PREFIXES]) {
    if (s.startsWith(p) && s.length - p.length >= MIN_CORE) return s.slice(p.length);
  }
  return null;
}

function stripSaltSuffix(s: string): string | null {
  for (const p of SALT_SUFFIXES) {
    if (s.endsWith(p) && s.length - p.length >= MIN_CORE) return s.slice(0, -p.length);
  }
  return null;
}

/** One-step variants, least destructive first. */
function variants(s: string): string[] {
  const out: string[] = [];
  for (const f of [stripForm, stripSpec, stripSaltPrefix, stripSaltSuffix]) {
    const v = f(s);
    if (v) out.push(v);
  }
  return out;
}

/** Greedy full strip (used to derive the core of a plain-list name). */
function core(s: string): string {
  let cur = s;
  for (let i = 0; i < 10; i++) {
    const v = variants(cur)[0];
    if (!v) break;
    cur = v;
  }
  return cur;
}

/**
 * The fully stripped, folded core of a name (盐酸二甲双胍片 → 二甲双胍): the key a plain list
 * indexes each name under when no other name claims it. Exported for src/clinical/candidate-list.ts.
 */
export function strippedCore(name: string): string {
  return core(fold(name));
}

// ---- trie ------------------------------------------------------------------------------

interface TrieNode {
  next: Map<string, TrieNode>;
  /** Canonical drug name when a key ends here. */
  name?: string;
  /** The key is an ambiguous alias: a match only where a dose follows. */
  ambiguous?: boolean;
}

/** Characters that make a word with a following 复 (恢复, 反复, 重复 …): no name starts on that 复. */
const WORD_ENDING_IN_FU = /[恢反重回修康答平]/;

/**
 * After an ambiguous alias (可定, 安定, 美林 are also ordinary words): a dose, possibly after a
 * dosage form, a change of dose or a resume — "可定 10mg qn", "可定加至20mg", "美林 0.2g",
 * "MET恢复1.0 bid". "可定期复查" has none.
 */
/** Right before an ambiguous alias: a stop ("停KCl", "停用可定"), which names a drug as surely as a dose does. */
const STOP_BEFORE_AMBIGUOUS = /(?:停用|停服|停)$/;
const DOSE_AFTER_AMBIGUOUS = /^\s*(?:片|胶囊|缓释片)?\s*(?:(?:加|减)量?至|改为|调至|调整为|调整至|恢复|继续|维持)?\s*\d/;

/** The node for `key`, created along the way. */
function trieNode(root: TrieNode, key: string): TrieNode {
  let node = root;
  for (const ch of key) {
    let n = node.next.get(ch);
    if (!n) {
      n = { next: new Map() };
      node.next.set(ch, n);
    }
    node = n;
  }
  return node;
}

const ASCII_ALNUM = /^[a-z0-9]$/;
const ENDS_DIGIT = /\d$/;
/** Characters that, right after a key ending in a digit, mean the digits were a dose. */
const DOSE_CONTINUATION = /^[0-9.umig单万毫国微克%]$/;

// ---- file schema (shapes only; names, aliases, sources and cross-references are checked after) ----
// `null` is taken as absent where the hand-written loader took it so (area, sources,
// contraindications, interactions) and refused elsewhere, as before.

const str = v.string('must be a string');
const filled = v.pipe(str, v.check((x) => x.trim().length > 0, 'must be a non-empty string'));
/** An optional list of strings, trimmed, empties dropped. */
const strList = v.pipe(
  v.optional(v.array(str, 'must be an array of strings'), []),
  v.transform((xs) => xs.map((x) => x.trim()).filter((x) => x.length > 0)),
);
/** valibot's object() takes an array for an object (typeof 'object'); a JSON list is refused first. */
const plainObject = v.custom<Record<string, unknown>>((x) => typeof x === 'object' && x !== null && !Array.isArray(x), 'must be an object');
const obj = <T extends v.ObjectEntries>(entries: T) => v.pipe(plainObject, v.object(entries));

const Caution = v.optional(v.boolean('must be true or false'));
const ContraindicationSchema = v.pipe(
  plainObject,
  v.variant(
    'kind',
    [
      v.object({
        kind: v.picklist(['egfr_below', 'potassium_at_least']),
        value: v.pipe(v.number('must be a positive number'), v.gtValue(0, 'must be a positive number')),
        note: str,
        source: str,
        caution: Caution,
      }),
      v.object({ kind: v.literal('pregnancy'), note: str, source: str, caution: Caution }),
      v.object({
        kind: v.picklist(['condition', 'allergy']),
        keywords: v.pipe(strList, v.minLength(1, 'needs at least one keyword')),
        note: str,
        source: str,
        caution: Caution,
        acute: v.optional(v.boolean('must be true or false')),
        treatedBy: v.optional(strList),
      }),
    ],
    (i) => `unknown kind '${String(i.input)}'`,
  ),
);
const InteractionSchema = obj({
  with: filled,
  severity: v.picklist(['major', 'moderate'], (i) => `severity '${String(i.input)}' (expected major or moderate)`),
  note: str,
  source: str,
});
const DrugSchema = obj({
  name: v.pipe(filled, v.trim()),
  aliases: strList,
  ambiguousAliases: strList,
  atc: v.optional(str, ''),
  class: v.optional(str, ''),
  area: v.nullish(v.picklist(AREAS, (i) => `unknown area '${String(i.input)}'`), 'other'),
  duplicationGroup: v.optional(filled),
  componentGroups: strList,
  contraindications: v.nullish(v.array(ContraindicationSchema, 'must be an array'), []),
  interactions: v.nullish(v.array(InteractionSchema, 'must be an array'), []),
});
const FileSchema = obj({
  version: v.pipe(filled, v.trim()),
  sources: v.nullish(v.array(obj({ id: filled, citation: filled }), 'must be an array'), []),
  drugs: v.array(DrugSchema, 'must be an array'),
});
const NamesSchema = v.pipe(v.array(v.pipe(str, v.trim(), v.nonEmpty('must not be empty'))), v.minLength(1, 'is empty'));

type ParsedDrug = v.InferOutput<typeof DrugSchema>;

// ---- Formulary -------------------------------------------------------------------------

export class Formulary {
  readonly version: string;
  readonly names: readonly string[];
  readonly drugs: readonly FormularyDrug[];
  /** Sources of the safety facts (empty for a plain list). */
  readonly sources: readonly FormularySource[];

  private readonly byName: Map<string, FormularyDrug>;
  /** folded key → canonical name */
  private readonly index: Map<string, string>;
  private readonly trie: TrieNode;

  private constructor(
    version: string,
    drugs: FormularyDrug[],
    sources: FormularySource[],
    index: Map<string, string>,
    textKeys: Map<string, string>,
    ambiguousKeys: ReadonlyMap<string, string> = new Map(),
  ) {
    this.version = version;
    this.drugs = Object.freeze(drugs);
    this.names = Object.freeze(drugs.map((d) => d.name));
    this.sources = Object.freeze(sources);
    this.byName = new Map(drugs.map((d) => [d.name, d]));
    this.index = index;
    this.trie = { next: new Map() };
    for (const [key, name] of textKeys) trieNode(this.trie, key).name = name;
    for (const [key, name] of ambiguousKeys) {
      const node = trieNode(this.trie, key);
      if (node.name === undefined) {
        node.name = name;
        node.ambiguous = true;
      }
    }
  }

  private static cachedBundled: Formulary | undefined;

  /** The bundled src/clinical/data/formulary.json. */
  static bundled(): Formulary {
    Formulary.cachedBundled ??= Formulary.fromJson(bundledJson as unknown, 'bundled formulary.json');
    return Formulary.cachedBundled;
  }

  /**
   * Accepts a FormularyFile or a plain JSON array of names. Throws FormularyError naming
   * `sourceLabel` and where the problem is: the field path of a wrong shape
   * ("drugs[3].aliases[1]: must be a string"), or the 0-based entry index of a duplicate,
   * an alias clash or an unknown source or reference.
   */
  static fromJson(json: unknown, sourceLabel?: string): Formulary {
    const where = `Candidate list${sourceLabel ? ` (${sourceLabel})` : ''}`;
    const fail = (msg: string): never => {
      throw new FormularyError(`${where}: ${msg}`);
    };
    if (Array.isArray(json)) return Formulary.fromNames(json, where, fail);
    if (typeof json !== 'object' || json === null) {
      return fail(`expected a JSON array of drug names or an object with "version" and "drugs", got ${json === null ? 'null' : typeof json}`);
    }
    const parsed = v.safeParse(FileSchema, json);
    if (!parsed.success) throw new FormularyError(describeIssues(where, parsed.issues));
    const { version, sources } = parsed.output;
    const sourceIds = new Set(sources.map((s) => s.id));
    if (sourceIds.size !== sources.length) fail('source ids are not unique');

    const drugs = parsed.output.drugs.map((d, i) => Formulary.toDrug(d, sourceIds, (m) => fail(`entry ${i} (${d.name}) ${m}`)));

    // Names, then aliases: every folded key belongs to exactly one drug.
    const index = new Map<string, string>();
    const owner = new Map<string, number>();
    drugs.forEach((d, i) => {
      const key = fold(d.name);
      if (!key) fail(`entry ${i} has a name with no visible characters`);
      const prev = owner.get(key);
      if (prev !== undefined) fail(`entry ${i} (${d.name}) duplicates the name of entry ${prev} (${drugs[prev]?.name})`);
      owner.set(key, i);
      index.set(key, d.name);
    });
    const textKeys = new Map(index);
    const ambiguousKeys = new Map<string, string>();
    drugs.forEach((d, i) => {
      const ambiguous = new Set((d.ambiguousAliases ?? []).map(fold));
      for (const a of d.aliases) {
        const key = fold(a);
        if (!key) continue;
        const prev = owner.get(key);
        if (prev !== undefined && prev !== i) {
          fail(`entry ${i} (${d.name}) has alias '${a}', which is already a name or alias of entry ${prev} (${drugs[prev]?.name})`);
        }
        owner.set(key, i);
        index.set(key, d.name);
        if (!ambiguous.has(key)) textKeys.set(key, d.name);
        else ambiguousKeys.set(key, d.name);
      }
    });

    // Cross-references.
    const names = new Set(drugs.map((d) => d.name));
    const groups = new Set(drugs.flatMap((d) => (d.duplicationGroup === undefined ? [] : [d.duplicationGroup])));
    drugs.forEach((d, i) => {
      (d.interactions ?? []).forEach((x, j) => {
        const ok = x.with.startsWith('group:') ? groups.has(x.with.slice(6)) : names.has(x.with);
        if (!ok) fail(`entry ${i} (${d.name}) interaction ${j} refers to unknown drug or group '${x.with}'`);
      });
      (d.contraindications ?? []).forEach((c, j) => {
        for (const n of (c.kind === 'condition' && c.treatedBy) || []) if (!names.has(n)) fail(`entry ${i} (${d.name}) contraindication ${j} is treated by unknown drug '${n}'`);
      });
    });
    return new Formulary(version, drugs, sources, index, textKeys, ambiguousKeys);
  }

  private static fromNames(list: unknown[], where: string, fail: (m: string) => never): Formulary {
    const parsed = v.safeParse(NamesSchema, list);
    if (!parsed.success) {
      // A plain list has no field names: its path is the entry index, worded as in the checks below.
      const issue = parsed.issues[0];
      const at = issue.path?.[0]?.key;
      return fail(`${typeof at === 'number' ? `entry ${at}: ` : ''}${issueMessage(issue)}`);
    }
    const drugs: FormularyDrug[] = [];
    const index = new Map<string, string>();
    const owner = new Map<string, number>();
    parsed.output.forEach((name, i) => {
      const key = fold(name);
      if (!key) fail(`entry ${i} has a name with no visible characters`);
      const prev = owner.get(key);
      if (prev !== undefined) fail(`entry ${i} ('${name}') duplicates entry ${prev} ('${drugs[prev]?.name}')`);
      owner.set(key, i);
      index.set(key, name);
      drugs.push({ name, aliases: [], atc: '', class: '', area: 'other' });
    });
    // Derived keys (salt / dosage form / spec stripped), only where unambiguous.
    const derived = new Map<string, string | null>();
    for (const d of drugs) {
      const c = core(fold(d.name));
      if (index.has(c)) continue;
      derived.set(c, derived.has(c) && derived.get(c) !== d.name ? null : d.name);
    }
    for (const [k, name] of derived) if (name && k.length >= MIN_CORE) index.set(k, name);
    return new Formulary(`custom list (${drugs.length} names)`, drugs, [], index, new Map(index));
  }

  /** A schema-checked entry → FormularyDrug, checking what the schema cannot: aliases and cited sources. */
  private static toDrug(d: ParsedDrug, sourceIds: ReadonlySet<string>, fail: (m: string) => never): FormularyDrug {
    for (const a of d.ambiguousAliases) if (!d.aliases.includes(a)) fail(`ambiguous alias '${a}' is not one of its aliases`);
    const cited = (src: string, what: string): string => (sourceIds.has(src) ? src : fail(`${what} cites unknown source '${src}'`));
    const contraindications = d.contraindications.map((c, j): Contraindication => {
      const source = cited(c.source, `contraindication ${j}`);
      const caution = c.caution === true ? { caution: true } : {};
      switch (c.kind) {
        case 'egfr_below':
        case 'potassium_at_least':
          return { kind: c.kind, value: c.value, note: c.note, source, ...caution };
        case 'pregnancy':
          return { kind: 'pregnancy', note: c.note, source, ...caution };
        case 'condition':
          return { kind: c.kind, keywords: c.keywords, note: c.note, source, ...caution, ...(c.acute === true ? { acute: true } : {}), ...(c.treatedBy ? { treatedBy: c.treatedBy } : {}) };
        case 'allergy':
          if (c.treatedBy) fail(`contraindication ${j}: treatedBy applies to a condition, not an allergy`);
          return { kind: c.kind, keywords: c.keywords, note: c.note, source, ...caution, ...(c.acute === true ? { acute: true } : {}) };
      }
    });
    const interactions = d.interactions.map(
      (x, j): Interaction => ({ with: x.with, severity: x.severity, note: x.note, source: cited(x.source, `interaction ${j}`) }),
    );
    const drug: FormularyDrug = { name: d.name, aliases: d.aliases, atc: d.atc, class: d.class, area: d.area };
    if (d.ambiguousAliases.length) drug.ambiguousAliases = d.ambiguousAliases;
    if (d.duplicationGroup !== undefined) drug.duplicationGroup = d.duplicationGroup;
    if (d.componentGroups.length) drug.componentGroups = d.componentGroups;
    if (contraindications.length) drug.contraindications = contraindications;
    if (interactions.length) drug.interactions = interactions;
    return drug;
  }

  /** Exact canonical name. */
  has(name: string): boolean {
    return this.byName.has(name);
  }

  get(name: string): FormularyDrug | undefined {
    return this.byName.get(name);
  }

  /**
   * Maps any alias or free-form mention of a single drug (salt, dosage form, spec, trade
   * name, full/half width, spacing) to its canonical name, or null. Tries the least-stripped
   * form first, so a product marker is never stripped while a longer match exists.
   */
  normalize(mention: string): string | null {
    const start = foldMention(mention);
    if (!start) return null;
    const seen = new Set([start]);
    let frontier = [start];
    for (let depth = 0; depth < 10 && frontier.length; depth++) {
      for (const s of frontier) {
        const hit = this.index.get(s);
        if (hit) return hit;
      }
      const next: string[] = [];
      for (const s of frontier) {
        for (const v of variants(s)) {
          if (!seen.has(v)) {
            seen.add(v);
            next.push(v);
          }
        }
      }
      frontier = next;
    }
    return null;
  }

  /** All non-overlapping mentions, leftmost-longest, in text order. */
  findMentions(text: string): Mention[] {
    // Fold the text code point by code point, remembering where each folded char came from.
    const chars: string[] = [];
    const from: number[] = [];
    const to: number[] = [];
    let pos = 0;
    for (const ch of text) {
      const f = foldChar(ch, ' ');
      for (const c of f) {
        chars.push(c);
        from.push(pos);
        to.push(pos + ch.length);
      }
      pos += ch.length;
    }
    const out: Mention[] = [];
    const n = chars.length;
    let i = 0;
    while (i < n) {
      let node: TrieNode | undefined = this.trie;
      let best = -1;
      let bestName = '';
      let key = '';
      const prevAlnum = i > 0 && ASCII_ALNUM.test(chars[i - 1] ?? '');
      // "恢复代文" resumes 代文; 复代文 is another drug. A name does not start on the 复 of 恢复, 反复 …
      if (chars[i] === '复' && i > 0 && WORD_ENDING_IN_FU.test(chars[i - 1] ?? '')) {
        i++;
        continue;
      }
      for (let j = i; j < n && node; j++) {
        const c = chars[j] as string;
        node = node.next.get(c);
        if (!node) break;
        key += c;
        if (node.name !== undefined && this.acceptable(key, chars[j + 1], prevAlnum) && (!node.ambiguous || DOSE_AFTER_AMBIGUOUS.test(chars.slice(j + 1, j + 12).join('')) || STOP_BEFORE_AMBIGUOUS.test(chars.slice(Math.max(0, i - 2), i).join('')))) {
          best = j + 1;
          bestName = node.name;
        }
      }
      if (best > i) {
        const start = from[i] as number;
        const end = to[best - 1] as number;
        out.push({ name: bestName, alias: text.slice(start, end), start, end });
        i = best;
      } else {
        i++;
      }
    }
    return out;
  }

  /** Boundary checks for a candidate match `key` followed by `next`. */
  private acceptable(key: string, next: string | undefined, prevAlnum: boolean): boolean {
    const first = key[0] ?? '';
    const last = key[key.length - 1] ?? '';
    // ASCII keys (EPO, PTU, L-T4) must not be glued to other ASCII letters/digits.
    if (prevAlnum && ASCII_ALNUM.test(first)) return false;
    if (next !== undefined && /^[a-z]$/.test(last) && ASCII_ALNUM.test(next)) return false;
    // "门冬胰岛素30u" is aspart 30 units, not 门冬胰岛素30.
    if (next !== undefined && ENDS_DIGIT.test(key) && DOSE_CONTINUATION.test(next)) return false;
    return true;
  }
}
