import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Formulary, FormularyError } from './formulary.ts';
import { duplicationGroupsOf, type FormularyFile } from './formulary-types.ts';
import { buildFormularyFile, serializeFormulary } from '../../scripts/formulary/source.ts';

const f = Formulary.bundled();
const JSON_PATH = new URL('./data/formulary.json', import.meta.url);

describe('bundled formulary.json', () => {
  it('is in sync with scripts/formulary (run `npx tsx scripts/formulary/write.ts`)', () => {
    expect(readFileSync(JSON_PATH, 'utf8')).toBe(serializeFormulary(buildFormularyFile()));
  });

  it('has at least 420 unique canonical names and a version', () => {
    expect(f.names.length).toBeGreaterThanOrEqual(420);
    expect(new Set(f.names).size).toBe(f.names.length);
    expect(f.version).toMatch(/^\d{4}\.\d{2}-\d+$/);
  });

  it('covers every therapeutic area', () => {
    const areas = new Set(f.drugs.map((d) => d.area));
    for (const a of ['diabetes', 'hypertension', 'lipids', 'antithrombotic', 'cardiac', 'gout', 'thyroid', 'osteoporosis', 'renal', 'neuropathy', 'liver', 'gastrointestinal', 'anti-infective', 'respiratory', 'neuro-psych', 'urology', 'other']) {
      expect(areas.has(a as never), a).toBe(true);
    }
  });

  it('contains the drugs other modules rely on, by canonical name', () => {
    for (const n of [
      '二甲双胍', '阿托伐他汀', '氨氯地平', '硝苯地平', '阿卡波糖', '达格列净', '瑞格列奈', '阿司匹林', '氯吡格雷',
      '非布司他', '左甲状腺素', '骨化三醇', '碳酸钙D3', '甲钴胺', '奥美拉唑', '司美格鲁肽', '利拉鲁肽', '度拉糖肽',
      '艾塞那肽', '利司那肽', '贝那鲁肽', '聚乙二醇洛塞那肽', '多格列艾汀', '门冬胰岛素', '门冬胰岛素30',
      '门冬胰岛素50', '赖脯胰岛素', '赖脯胰岛素25', '赖脯胰岛素50', '谷赖胰岛素', '甘精胰岛素', '地特胰岛素',
      '德谷胰岛素', '德谷门冬双胰岛素', '生物合成人胰岛素', '精蛋白生物合成人胰岛素(预混30R)', '沙库巴曲缬沙坦',
      '缬沙坦氨氯地平', '厄贝沙坦氢氯噻嗪', '氨氯地平贝那普利', '依折麦布', '海博麦布', '依洛尤单抗', '阿利西尤单抗',
      '英克司兰', '血脂康', '维立西呱', '别嘌醇', '苯溴马隆', '秋水仙碱', '碳酸氢钠', '甲巯咪唑', '丙硫氧嘧啶',
      '地舒单抗', '特立帕肽', '复方α-酮酸', '司维拉姆', '碳酸镧', '西那卡塞', '罗沙司他', '琥珀酸亚铁', '蔗糖铁',
      '叶酸', '尿毒清颗粒', '黄葵胶囊', '百令胶囊', '硫辛酸', '依帕司他', '普瑞巴林', '加巴喷丁', '度洛西汀',
      '多烯磷脂酰胆碱', '水飞蓟宾', '双环醇', '甘草酸二铵', '熊去氧胆酸', '还原型谷胱甘肽', '铝碳酸镁', '莫沙必利',
      '坦索罗辛', '非那雄胺', '津力达颗粒', '参芪降糖颗粒', '复方丹参滴丸', '银杏叶片', '通心络胶囊', '维生素B1',
      '维生素B6', '氯化钾',
    ]) {
      expect(f.has(n), n).toBe(true);
    }
  });

  it('canonical names carry no dosage form or common salt (TCM products excepted)', () => {
    for (const d of f.drugs) {
      if (d.class.startsWith('中成药')) continue;
      expect(d.name, d.name).not.toMatch(/(缓释片|控释片|肠溶片|分散片|胶囊|注射液|颗粒)$/);
      // Salts stay where the ion is the active moiety (富马酸亚铁, 琥珀酸亚铁).
      if (!d.name.endsWith('亚铁')) expect(d.name, d.name).not.toMatch(/^(盐酸|甲磺酸|苯磺酸|马来酸|酒石酸|富马酸)/);
    }
  });

  it('every alias normalises to its own drug, and no alias collides across drugs', () => {
    const owner = new Map<string, string>();
    for (const d of f.drugs) {
      expect(f.normalize(d.name), d.name).toBe(d.name);
      for (const a of [d.name, ...d.aliases]) {
        expect(f.normalize(a), a).toBe(d.name);
        const key = a.normalize('NFKC').toLowerCase().replace(/[\s\-·]/g, '');
        const prev = owner.get(key);
        expect(prev === undefined || prev === d.name, `${a}: ${prev} vs ${d.name}`).toBe(true);
        owner.set(key, d.name);
      }
      for (const a of d.ambiguousAliases ?? []) expect(d.aliases).toContain(a);
    }
  });

  it('aliases with a dosage suffix or a spec still normalise to their own drug', () => {
    for (const d of f.drugs) {
      for (const a of d.aliases) {
        for (const suffix of ['片', '(10mg)', ' 0.5g*20片', '（进口）']) {
          expect(f.normalize(a + suffix), a + suffix).toBe(d.name);
        }
      }
    }
  });

  it('a fixed-dose combination belongs to its components\' duplication groups too', () => {
    expect(duplicationGroupsOf(f.get('西格列汀二甲双胍'))).toEqual(['dpp4i', 'biguanide']);
    expect(duplicationGroupsOf(f.get('依折麦布瑞舒伐他汀'))).toEqual(['statin', 'cholesterol_absorption']);
    expect(duplicationGroupsOf(f.get('二甲双胍'))).toEqual(['biguanide']);
    expect(duplicationGroupsOf(f.get('沙库巴曲缬沙坦'))).toEqual(['arb']);
  });

  it('every fact cites a known source, and every interaction names a known drug or group', () => {
    const ids = new Set(f.sources.map((s) => s.id));
    const groups = new Set(f.drugs.map((d) => d.duplicationGroup).filter((g) => g !== undefined));
    let facts = 0;
    for (const d of f.drugs) {
      for (const c of d.contraindications ?? []) {
        expect(ids.has(c.source), `${d.name}: ${c.source}`).toBe(true);
        if (c.kind === 'egfr_below') expect(c.value).toBeGreaterThan(0);
        if (c.kind === 'condition' || c.kind === 'allergy') expect(c.keywords.length).toBeGreaterThan(0);
        facts++;
      }
      for (const x of d.interactions ?? []) {
        expect(ids.has(x.source), `${d.name}: ${x.source}`).toBe(true);
        if (x.with.startsWith('group:')) expect(groups.has(x.with.slice(6)), x.with).toBe(true);
        else expect(f.has(x.with), `${d.name} → ${x.with}`).toBe(true);
        expect(x.with).not.toBe(d.name);
        facts++;
      }
    }
    expect(facts).toBeGreaterThan(300);
    for (const s of f.sources) expect(s.citation.length).toBeGreaterThan(20);
  });

  it('ATC codes are empty or WHO-shaped', () => {
    for (const d of f.drugs) {
      expect(d.atc, d.name).toMatch(/^$|^[A-Z]\d{2}[A-Z]{2}\d{2}$|^[A-Z]\d{2}[A-Z]{1,2}$/);
      if (d.class.startsWith('中成药')) expect(d.atc, d.name).toBe('');
    }
  });

  it('records the key safety facts', () => {
    const ci = (n: string) => f.get(n)?.contraindications ?? [];
    const ix = (n: string) => f.get(n)?.interactions ?? [];
    expect(ci('二甲双胍')).toContainEqual(expect.objectContaining({ kind: 'egfr_below', value: 30, source: 'cds2020' }));
    expect(ci('格列本脲')).toContainEqual(expect.objectContaining({ kind: 'egfr_below', value: 60 }));
    expect(ci('格列美脲')).toContainEqual(expect.objectContaining({ kind: 'allergy', keywords: expect.arrayContaining(['磺胺']) }));
    expect(ci('苯溴马隆')).toContainEqual(expect.objectContaining({ kind: 'egfr_below', value: 20 }));
    expect(ci('苯溴马隆')).toContainEqual(expect.objectContaining({ kind: 'condition', keywords: expect.arrayContaining(['肾结石']) }));
    expect(ci('吡格列酮')).toContainEqual(expect.objectContaining({ kind: 'condition', keywords: expect.arrayContaining(['膀胱癌']) }));
    expect(ci('司美格鲁肽')).toContainEqual(expect.objectContaining({ kind: 'condition', keywords: expect.arrayContaining(['甲状腺髓样癌']) }));
    expect(ci('阿仑膦酸钠')).toContainEqual(expect.objectContaining({ kind: 'egfr_below', value: 35 }));
    expect(ci('缬沙坦').some((c) => c.kind === 'pregnancy')).toBe(true);
    expect(ci('依那普利').some((c) => c.kind === 'pregnancy')).toBe(true);
    expect(ix('氯吡格雷')).toContainEqual(expect.objectContaining({ with: '奥美拉唑', severity: 'moderate' }));
    expect(ix('别嘌醇')).toContainEqual(expect.objectContaining({ with: '硫唑嘌呤', severity: 'major' }));
    expect(ix('辛伐他汀')).toContainEqual(expect.objectContaining({ with: '克拉霉素', severity: 'major' }));
    expect(ix('华法林')).toContainEqual(expect.objectContaining({ with: '阿司匹林', severity: 'major' }));
    expect(ix('依那普利')).toContainEqual(expect.objectContaining({ with: 'group:arb', severity: 'major' }));
    expect(ix('缬沙坦')).toContainEqual(expect.objectContaining({ with: '螺内酯', severity: 'moderate' }));
    expect(ix('秋水仙碱')).toContainEqual(expect.objectContaining({ with: '克拉霉素', severity: 'major' }));
    expect(ix('左甲状腺素')).toContainEqual(expect.objectContaining({ with: '碳酸钙', severity: 'moderate' }));
    // combinations inherit their components' facts
    expect(ci('西格列汀二甲双胍')).toContainEqual(expect.objectContaining({ kind: 'egfr_below', value: 30 }));
    expect(f.get('阿托伐他汀')?.duplicationGroup).toBe('statin');
    expect(f.get('甘精胰岛素')?.duplicationGroup).toBe('basal_insulin');
  });
});

describe('normalize', () => {
  it.each([
    ['盐酸二甲双胍缓释片', '二甲双胍'],
    ['拜糖平', '阿卡波糖'],
    ['阿托伐他汀钙片 20mg', '阿托伐他汀'],
    ['诺和锐30', '门冬胰岛素30'],
    ['诺和锐', '门冬胰岛素'],
    ['来得时', '甘精胰岛素'],
    ['苯磺酸氨氯地平片(5mg)', '氨氯地平'],
    ['苯磺酸氨氯地平片（5mg）', '氨氯地平'],
    ['  二甲双胍  ', '二甲双胍'],
    ['盐酸二甲双胍片0.5g*20片', '二甲双胍'],
    ['硝苯地平控释片', '硝苯地平'],
    ['拜新同 30mg', '硝苯地平'],
    ['门冬胰岛素30注射液', '门冬胰岛素30'],
    ['门冬胰岛素注射液', '门冬胰岛素'],
    ['诺和锐30笔芯 3ml:300U', '门冬胰岛素30'],
    ['诺和锐50', '门冬胰岛素50'],
    ['精蛋白锌重组赖脯胰岛素混合注射液(25)', '赖脯胰岛素25'],
    ['精蛋白锌重组赖脯胰岛素混合注射液(50)', '赖脯胰岛素50'],
    ['精蛋白生物合成人胰岛素注射液(预混30R)', '精蛋白生物合成人胰岛素(预混30R)'],
    ['精蛋白生物合成人胰岛素注射液', '精蛋白生物合成人胰岛素'],
    ['诺和灵30R', '精蛋白生物合成人胰岛素(预混30R)'],
    ['诺和灵 30R', '精蛋白生物合成人胰岛素(预混30R)'],
    ['诺和达', '德谷胰岛素'],
    ['甘精胰岛素注射液(来得时)', '甘精胰岛素'],
    ['ＤＰＰ', null],
    ['硫酸氢氯吡格雷片', '氯吡格雷'],
    ['波立维', '氯吡格雷'],
    ['瑞舒伐他汀钙片', '瑞舒伐他汀'],
    ['可定', '瑞舒伐他汀'],
    ['左甲状腺素钠片', '左甲状腺素'],
    ['优甲乐', '左甲状腺素'],
    ['碳酸钙D3片', '碳酸钙D3'],
    ['钙尔奇D', '碳酸钙D3'],
    ['碳酸钙片', '碳酸钙'],
    ['甲钴胺片', '甲钴胺'],
    ['弥可保', '甲钴胺'],
    ['奥美拉唑肠溶胶囊', '奥美拉唑'],
    ['艾司奥美拉唑镁肠溶片', '艾司奥美拉唑'],
    ['缬沙坦氨氯地平片(I)', '缬沙坦氨氯地平'],
    ['缬沙坦胶囊', '缬沙坦'],
    ['酒石酸美托洛尔缓释片', '美托洛尔'],
    ['倍他乐克', '美托洛尔'],
    ['复方α-酮酸片', '复方α-酮酸'],
    ['复方a-酮酸片', null],
    ['津力达颗粒(9g*9袋)', '津力达颗粒'],
    ['注射用甲钴胺', '甲钴胺'],
    ['阿仑膦酸钠片', '阿仑膦酸钠'],
    ['地尔硫卓缓释胶囊', '地尔硫䓬'],
    ['ASPIRIN', null],
    ['随意文本', null],
    ['', null],
    ['片', null],
  ] as const)('%s → %s', (input, expected) => {
    expect(f.normalize(input)).toBe(expected);
  });

  it('never confuses similar drugs', () => {
    expect(f.normalize('硝苯地平')).not.toBe(f.normalize('氨氯地平'));
    expect(f.normalize('门冬胰岛素')).not.toBe(f.normalize('门冬胰岛素30'));
    expect(f.normalize('甘精胰岛素')).not.toBe(f.normalize('德谷胰岛素'));
    expect(f.normalize('左旋氨氯地平')).toBe('左氨氯地平');
    expect(f.normalize('苯磺酸左氨氯地平片')).toBe('左氨氯地平');
    expect(f.normalize('诺和锐30 0.5g')).toBe('门冬胰岛素30');
    // a salt inside a combination's name is still the combination; a trade name ending in 安定 is not diazepam
    expect(f.findMentions('氯沙坦钾氢氯噻嗪片 1片 qd').map((m) => m.name)).toEqual(['氯沙坦氢氯噻嗪']);
    expect(f.findMentions('坎地沙坦酯氢氯噻嗪片').map((m) => m.name)).toEqual(['坎地沙坦氢氯噻嗪']);
    expect(f.findMentions('佳静安定 0.4mg qn').map((m) => m.name)).toEqual(['阿普唑仑']);
    expect(f.findMentions('口服丹参滴丸 10丸 tid，复方丹参片').map((m) => m.name)).toEqual(['复方丹参滴丸', '复方丹参片']);
    expect(f.findMentions('安定 5mg qn').map((m) => m.name)).toEqual(['地西泮']);
    // the 复 of 恢复 / 反复 starts no name: 恢复代文 resumes valsartan, not valsartan/HCTZ (复代文)
    expect(f.findMentions('恢复代文并加量至160mg qd').map((m) => m.name)).toEqual(['缬沙坦']);
    expect(f.findMentions('停用代文，改复代文1片qd').map((m) => m.name)).toEqual(['缬沙坦', '缬沙坦氢氯噻嗪']);
    expect(f.findMentions('反复复方α-酮酸片').map((m) => m.name)).toEqual(['复方α-酮酸']);
    // the product's own name carries the R: a premix, not the rapid-acting insulin
    expect(f.findMentions('精蛋白锌重组赖脯胰岛素混合注射液(25R)早13U').map((m) => m.name)).toEqual(['赖脯胰岛素25']);
    expect(f.findMentions('精蛋白锌重组赖脯胰岛素混合注射液（50R）').map((m) => m.name)).toEqual(['赖脯胰岛素50']);
    // terse-chart shorthand for the aspart premix
    expect(f.findMentions('门冬30 20-0-16U').map((m) => m.name)).toEqual(['门冬胰岛素30']);
  });
});

describe('findMentions', () => {
  it('finds leftmost-longest mentions with offsets into the original text', () => {
    const text =
      '出院带药：盐酸二甲双胍缓释片 0.5g bid；门冬胰岛素30注射液 早12U 晚10U；缬沙坦氨氯地平片 1片 qd；拜阿司匹林 100mg qd；' +
      '诺和锐 6U tid。降钙素原正常，病情可定期随访。';
    const ms = f.findMentions(text);
    expect(ms.map((m) => m.name)).toEqual(['二甲双胍', '门冬胰岛素30', '缬沙坦氨氯地平', '阿司匹林', '门冬胰岛素']);
    for (const m of ms) expect(text.slice(m.start, m.end)).toBe(m.alias);
    expect(ms[0]?.alias).toBe('盐酸二甲双胍缓释片');
    expect(ms[1]?.alias).toBe('门冬胰岛素30注射液');
    expect(ms[2]?.alias).toBe('缬沙坦氨氯地平片');
  });

  it('reads the chart abbreviations 阿托伐 / 瑞舒伐 as the statins, and the full name as before', () => {
    const text = '阿托伐 40 qn + 依折麦布 10 qd；瑞舒伐 10 qn；阿托伐他汀钙片 20mg';
    expect(f.findMentions(text).map((m) => [m.name, m.alias])).toEqual([
      ['阿托伐他汀', '阿托伐'],
      ['依折麦布', '依折麦布'],
      ['瑞舒伐他汀', '瑞舒伐'],
      ['阿托伐他汀', '阿托伐他汀钙片'],
    ]);
  });

  it('handles full-width text, brackets, and dose digits right after a product name', () => {
    const text = '予ＰＴＵ 50mg tid，门冬胰岛素30U皮下注射，甘精胰岛素 18U qn，（阿托伐他汀钙片）';
    const ms = f.findMentions(text);
    expect(ms.map((m) => m.name)).toEqual(['丙硫氧嘧啶', '门冬胰岛素', '甘精胰岛素', '阿托伐他汀']);
    expect(ms[0]?.alias).toBe('ＰＴＵ');
    for (const m of ms) expect(text.slice(m.start, m.end)).toBe(m.alias);
  });

  it('matches an ambiguous trade name (可定, 安定) only where a dose follows it', () => {
    const names = (t: string) => f.findMentions(t).map((m) => m.name);
    expect(names('可定 10mg qn。')).toEqual(['瑞舒伐他汀']);
    expect(names('LDL 2.2，可定加至20mg qn。')).toEqual(['瑞舒伐他汀']);
    // a stop names the drug as surely as a dose does (RULE-1209g)
    expect(names('K 4.6，停KCl。')).toEqual(['氯化钾']);
    expect(names('查血KCl水平。')).toEqual([]);
    // a resume with its dose (RULE-1209b)
    expect(names('出院：来得时加至16U qn，MET恢复1.0 bid。')).toEqual(['甘精胰岛素', '二甲双胍']);
    expect(names('安定 5mg qn')).toEqual(['地西泮']);
    expect(names('病情可定期随访，情绪安定，可定。')).toEqual([]);
    const m = f.findMentions('HTN：可定 10 qn')[0];
    expect(m).toMatchObject({ name: '瑞舒伐他汀', alias: '可定' });
  });

  it('matches a chart abbreviation (MET, ASA, KCl) only where a dose follows it', () => {
    const names = (t: string) => f.findMentions(t).map((m) => m.name);
    expect(names('T2DM 5年，MET 0.5 bid；HTN，HCTZ 12.5mg qd')).toEqual(['二甲双胍', '氢氯噻嗪']);
    expect(names('ASA 100mg qd，KCl 1g tid，MMI 10mg qd，LT4 50μg qd')).toEqual(['阿司匹林', '氯化钾', '甲巯咪唑', '左甲状腺素']);
    expect(names('运动强度3-5 METs，ASA分级II级，MET评估后出院')).toEqual([]);
  });

  it('does not match ASCII aliases inside longer words', () => {
    expect(f.findMentions('EPOCH方案')).toEqual([]);
    expect(f.findMentions('予EPO 1万U')).toEqual([expect.objectContaining({ name: '重组人促红素', alias: 'EPO' })]);
  });

  // Speed is a benchmark figure (npm run bench), not a unit-test assertion: this checks that a
  // long note is scanned completely and in order.
  it('finds every mention in a 5,000-character note, in order', () => {
    const base = '入院后予盐酸二甲双胍缓释片0.5g bid、门冬胰岛素30注射液、阿托伐他汀钙片20mg qn、苯磺酸氨氯地平片5mg qd，监测血糖血压。';
    const repeats = Math.floor(5000 / base.length);
    const text = base.repeat(repeats);
    const names = f.findMentions(text).map((m) => m.name);
    expect(names).toEqual(Array.from({ length: repeats }, () => ['二甲双胍', '门冬胰岛素30', '阿托伐他汀', '氨氯地平']).flat());
  });
});

describe('fromJson', () => {
  it('accepts a plain array of names, stripping salt / dosage form for lookups', () => {
    const g = Formulary.fromJson(['盐酸二甲双胍片', '阿卡波糖片', '门冬胰岛素30注射液', '门冬胰岛素注射液'], 'site list');
    expect(g.names).toEqual(['盐酸二甲双胍片', '阿卡波糖片', '门冬胰岛素30注射液', '门冬胰岛素注射液']);
    expect(g.has('阿卡波糖片')).toBe(true);
    expect(g.normalize('二甲双胍')).toBe('盐酸二甲双胍片');
    expect(g.normalize('二甲双胍缓释片(0.5g)')).toBe('盐酸二甲双胍片');
    expect(g.normalize('阿卡波糖')).toBe('阿卡波糖片');
    expect(g.normalize('门冬胰岛素30')).toBe('门冬胰岛素30注射液');
    expect(g.normalize('门冬胰岛素')).toBe('门冬胰岛素注射液');
    expect(g.normalize('拜糖平')).toBeNull();
    expect(g.findMentions('予阿卡波糖 50mg').map((m) => m.name)).toEqual(['阿卡波糖片']);
    expect(g.drugs[0]).toEqual({ name: '盐酸二甲双胍片', aliases: [], atc: '', class: '', area: 'other' });
  });

  it('round-trips the bundled file', () => {
    const file = JSON.parse(readFileSync(JSON_PATH, 'utf8')) as FormularyFile;
    const g = Formulary.fromJson(file, 'copy');
    expect(g.names).toEqual(f.names);
    expect(g.version).toBe(file.version);
  });

  it.each([
    [42, /Candidate list \(x\.json\): expected a JSON array of drug names or an object/],
    [null, /expected a JSON array .* got null/],
    ['二甲双胍', /got string/],
    [[], /is empty/],
    [['二甲双胍', ''], /\(x\.json\): entry 1: must not be empty/],
    [['二甲双胍', 3], /\(x\.json\): entry 1: must be a string/],
    [['二甲双胍', '阿卡波糖', ' 二甲双胍 '], /entry 2 \('二甲双胍'\) duplicates entry 0/],
    [{ drugs: [] }, /\(x\.json\): version: is missing/],
    [{ version: '1' }, /\(x\.json\): drugs: is missing/],
    [{ version: '1', drugs: [{ aliases: [] }] }, /\(x\.json\): drugs\[0\]\.name: is missing/],
    [{ version: '1', drugs: [{ name: 'A药' }, { name: 'B药' }, { name: 'A药' }] }, /entry 2 \(A药\) duplicates the name of entry 0/],
    [{ version: '1', drugs: [{ name: 'A药' }, { name: 'B药', aliases: ['A药'] }] }, /entry 1 \(B药\) has alias 'A药'.*entry 0/],
    [{ version: '1', drugs: [{ name: 'A药', area: 'nowhere' }] }, /unknown area 'nowhere'/],
    [{ version: '1', drugs: [{ name: 'A药', contraindications: [{ kind: 'pregnancy', note: 'x', source: 'nope' }] }] }, /entry 0 \(A药\) contraindication 0 cites unknown source 'nope'/],
    [{ version: '1', sources: [{ id: 's', citation: 'c' }], drugs: [{ name: 'A药', interactions: [{ with: 'B药', severity: 'major', note: 'x', source: 's' }] }] }, /interaction 0 refers to unknown drug or group 'B药'/],
    [{ version: '1', sources: [{ id: 's', citation: 'c' }], drugs: [{ name: 'A药', contraindications: [{ kind: 'condition', keywords: ['k'], note: 'x', source: 's', treatedBy: ['B药'] }] }] }, /contraindication 0 is treated by unknown drug 'B药'/],
    [{ version: '1', sources: [{ id: 's', citation: 'c' }], drugs: [{ name: 'A药' }, { name: 'B药', contraindications: [{ kind: 'allergy', keywords: ['k'], note: 'x', source: 's', treatedBy: ['A药'] }] }] }, /treatedBy applies to a condition, not an allergy/],
  ])('rejects %j', (json, message) => {
    expect(() => Formulary.fromJson(json, 'x.json')).toThrow(FormularyError);
    expect(() => Formulary.fromJson(json, 'x.json')).toThrow(message);
  });

  it('names the field path of a wrong-typed nested value', () => {
    const drugs = [{ name: 'A药' }, { name: 'B药' }, { name: 'C药' }, { name: 'D药', aliases: ['丁', 4] }];
    expect(() => Formulary.fromJson({ version: '1', drugs }, 'x.json')).toThrow('Candidate list (x.json): drugs[3].aliases[1]: must be a string');
    const ci = [{ kind: 'egfr_below', value: '30', note: 'n', source: 's' }];
    expect(() => Formulary.fromJson({ version: '1', drugs: [{ name: 'A药', contraindications: ci }] }, 'x.json')).toThrow(
      'Candidate list (x.json): drugs[0].contraindications[0].value: must be a positive number',
    );
    expect(() => Formulary.fromJson({ version: '1', drugs: [['A药']] }, 'x.json')).toThrow('Candidate list (x.json): drugs[0]: must be an object');
    expect(() => Formulary.fromJson({ version: '1', drugs: [{ name: 'A药', contraindications: [{ kind: 'weight', note: 'n', source: 's' }] }] })).toThrow(
      "drugs[0].contraindications[0].kind: unknown kind 'weight'",
    );
  });

  it('names the source in the message and defaults sensibly without a label', () => {
    expect(() => Formulary.fromJson({ version: '1', drugs: [{}] })).toThrow('Candidate list: drugs[0].name: is missing');
  });
});
