/**
 * Chinese clinical prose for the five free-text fields and the diagnosis list. Many templates
 * per field, doctor-specific writing style, drugs mentioned by salt/form or trade name with
 * doses, inpatient drugs that are not discharge drugs, discharge regimen mostly unnamed.
 */
import type { Rng } from './rng.ts';
import type { DoctorStyle } from './doctors.ts';
import type { Labs } from './labs.ts';
import { renderLabs } from './labs.ts';
import type { VisitState } from './patient.ts';
import { isDiabetic } from './patient.ts';
import type { Regimen } from './regimen.ts';
import { CLASS_LABEL, classOf, drug } from './drugs.ts';

const DM_CLASSES = new Set(['MET', 'SGLT2', 'DPP4', 'SU', 'GLN', 'TZD', 'AGI', 'GLP1', 'BASAL', 'PRAND', 'PREMIX', 'TCMDM']);

export function isDmDrug(name: string): boolean {
  return DM_CLASSES.has(classOf(name));
}

function insulinDose(rng: Rng, kind: string): string {
  if (kind === '{basal}') {
    const u = rng.int(6, 30);
    return rng.pick([`${u}U qn`, `睡前${u}U`, `${u}U 睡前皮下注射`, `${u}u qn ih`]);
  }
  if (kind === '{prandial}') {
    const a = rng.int(4, 14);
    const b = a + rng.int(-2, 3);
    const c = a + rng.int(-1, 3);
    return rng.pick([`三餐前${a}-${b}-${c}U`, `${a}U-${b}U-${c}U 三餐前`, `早${a}U 中${b}U 晚${c}U 餐前`]);
  }
  const a = rng.int(8, 30);
  const b = Math.max(4, a - rng.int(0, 8));
  return rng.pick([`早${a}U 晚${b}U`, `早餐前${a}U、晚餐前${b}U`, `${a}U-0-${b}U`]);
}

/** A drug as a doctor writes it: salt/form or trade name, often with a dose. */
export function mention(rng: Rng, name: string, doc: DoctorStyle, withDose = 0.75): string {
  const d = drug(name);
  let label = name;
  const injectable = ['BASAL', 'PRAND', 'PREMIX', 'GLP1', 'INPT'].includes(d.cls) || name === '重组人促红素';
  const aliases = injectable ? d.aliases : d.aliases.filter((a) => !a.includes('注射'));
  if (aliases.length > 0) {
    const trade = aliases.filter((a) => !a.includes(name.slice(0, 2)));
    const generic = aliases.filter((a) => a.includes(name.slice(0, 2)));
    const r = rng.next();
    if (r < doc.tradeRate && trade.length) label = rng.pick(trade);
    else if (r < doc.tradeRate + 0.45 && generic.length) label = rng.pick(generic);
  }
  if (rng.chance(withDose) && d.doses.length) {
    const dose = rng.pick(d.doses);
    const ds = dose.startsWith('{') ? insulinDose(rng, dose) : dose;
    return rng.chance(0.15) ? `${label}(${ds})` : `${label} ${ds}`;
  }
  return label;
}

const joinCn = (xs: string[], rng: Rng) => (xs.length <= 1 ? (xs[0] ?? '') : rng.chance(0.5) ? xs.join('、') : xs.slice(0, -1).join('、') + '及' + xs[xs.length - 1]);
const num = (n: number) => String(n);

// ------------------------------------------------------------------ 主诉
export function chiefComplaint(rng: Rng, s: VisitState): string {
  const p = s.patient;
  const dur = Math.max(0, s.year - p.dmOnsetYear);
  const durTxt = dur === 0 ? `${rng.int(1, 11)}月` : rng.chance(0.3) ? `${dur}年余` : `${dur}年`;
  const recent = rng.pick([`${rng.int(1, 6)}月`, `${rng.int(1, 4)}周`, `${rng.int(3, 20)}天`, '半月', '1月余']);
  switch (s.admitReason) {
    case 'dm_new':
      return rng.pick([`口干、多饮、多尿${recent}`, `发现血糖升高${recent}`, `多饮多尿伴体重下降${recent}`, `体检发现血糖高${recent}`, `乏力、口干${recent}，发现血糖升高${rng.int(2, 10)}天`]);
    case 'dka':
      return rng.pick([`${s.cond.has('T1DM') ? '血糖升高' + durTxt + '，' : ''}恶心、呕吐${rng.int(1, 5)}天`, `口干多饮${recent}，加重伴乏力、纳差${rng.int(1, 5)}天`, `发现血糖高${durTxt}，腹痛、呕吐${rng.int(1, 3)}天`]);
    case 'hypogly':
      return rng.pick([`血糖升高${durTxt}，反复心慌、出汗${recent}`, `发现血糖高${durTxt}，意识不清${rng.int(1, 6)}小时`, `糖尿病${durTxt}，反复低血糖${recent}`]);
    case 'foot':
      return rng.pick([`血糖升高${durTxt}，${rng.pick(['左', '右'])}足破溃${recent}`, `糖尿病${durTxt}，足部溃烂伴疼痛${recent}`]);
    case 'dm_complication':
      return rng.pick([
        `血糖升高${durTxt}，双下肢麻木${recent}`,
        `发现血糖高${durTxt}，双足麻木、疼痛${recent}`,
        `口干多饮${durTxt}，泡沫尿${recent}`,
        `血糖升高${durTxt}，视物模糊${recent}`,
        `糖尿病${durTxt}，四肢麻木、发凉${recent}`,
      ]);
    case 'infection':
      return s.cond.has('PNEUMONIA')
        ? rng.pick([`血糖升高${durTxt}，咳嗽、咳痰伴发热${rng.int(2, 10)}天`, `咳嗽咳痰${rng.int(3, 14)}天，血糖升高${durTxt}`])
        : rng.pick([`血糖升高${durTxt}，尿频、尿急、尿痛${rng.int(2, 10)}天`, `发现血糖高${durTxt}，发热伴尿痛${rng.int(1, 6)}天`]);
    case 'thyroid':
      return s.cond.has('HYPERTHYROID')
        ? rng.pick([`心悸、手抖、多汗${recent}`, `怕热、多汗、体重下降${recent}`, `发现甲状腺功能异常${recent}`])
        : rng.pick([`乏力、怕冷${recent}`, `发现甲状腺功能减退${durTxt === '0年' ? recent : recent}`, `颜面水肿、乏力${recent}`, `体检发现TSH升高${recent}`]);
    case 'gout':
      return rng.pick([`${rng.pick(['右', '左'])}足第一跖趾关节红肿疼痛${rng.int(1, 7)}天`, `反复关节肿痛${rng.int(1, 10)}年，再发${rng.int(1, 7)}天`, `发现尿酸升高${rng.int(1, 8)}年，${rng.pick(['左', '右'])}踝关节肿痛${rng.int(1, 5)}天`]);
    case 'osteo':
      return rng.pick([`腰背部疼痛${recent}`, `全身骨痛${recent}`, `${rng.pick(['跌倒后', '弯腰后'])}腰痛${rng.int(3, 30)}天`]);
    case 'htn':
      return rng.pick([`头晕、头痛${recent}`, `发现血压升高${s.year - p.htnOnsetYear}年，头晕${recent}`]);
    case 'obesity':
      return rng.pick([`体重进行性增加${rng.int(2, 10)}年`, `肥胖${rng.int(3, 15)}年，要求减重`]);
    case 'hypok':
      return rng.pick([`四肢乏力${rng.int(1, 10)}天`, `发现血钾低${recent}`]);
    default: {
      const base = rng.pick([`口干、多饮、多尿${durTxt}`, `发现血糖升高${durTxt}`, `血糖升高${durTxt}`, `口干多饮多尿${durTxt}`, `糖尿病${durTxt}`]);
      const tail = rng.pick([`血糖控制不佳${recent}`, `血糖波动${recent}`, `加重${recent}`, `为调整血糖入院`, `血糖升高${recent}`, `乏力${recent}`]);
      return `${base}，${tail}`;
    }
  }
}

// ------------------------------------------------------------------ 现病史
export function presentIllness(rng: Rng, s: VisitState, labs: Labs, reg: Regimen, doc: DoctorStyle): string {
  const p = s.patient;
  const parts: string[] = [];
  const onsetY = p.dmOnsetYear;
  const dur = s.year - onsetY;
  const dmHome = s.homeDrugs.filter(isDmDrug);
  const stops = new Map(reg.changes.filter((c) => c.kind === 'stop').map((c) => [c.drug, c.reason]));
  if (isDiabetic(s)) {
    const typ = s.cond.has('T1DM') ? '1型糖尿病' : rng.pick(['2型糖尿病', '糖尿病', 'T2DM', '2型糖尿病']);
    if (s.admitReason === 'dm_new' || dur <= 0) {
      parts.push(rng.pick([
        `患者${rng.int(1, 6)}月前无明显诱因出现口干、多饮、多尿，每日饮水约${rng.int(2, 4)}000ml，伴体重下降约${rng.int(2, 10)}kg`,
        `患者近${rng.int(1, 6)}月自觉乏力、口干，${rng.int(3, 20)}天前于当地医院查空腹血糖${labs.fpg}mmol/L`,
        `患者${rng.int(1, 4)}周前体检发现空腹血糖${labs.fpg}mmol/L，无明显口干多饮，未予治疗`,
      ]));
      if (rng.chance(0.7)) parts.push('未规律用药及监测血糖');
    } else {
      parts.push(rng.pick([
        `患者${dur}年前${rng.pick(['无明显诱因出现口干、多饮、多尿', '体检发现血糖升高', '因"乏力"就诊发现血糖升高', '于外院诊断为"' + typ + '"'])}`,
        `患者于${onsetY}年${rng.pick(['体检', '无意中', '因口干多饮'])}发现血糖升高，诊断为"${typ}"`,
        `${dur}年前患者确诊"${typ}"`,
      ]));
      const earlier = rng.chance(0.45)
        ? rng.sample(['二甲双胍', '格列美脲', '格列齐特', '阿卡波糖', '瑞格列奈', '西格列汀', '吡格列酮', '消渴丸', '格列吡嗪', '门冬胰岛素30', '精蛋白生物合成人胰岛素(预混30R)'].filter((d) => !dmHome.includes(d)), rng.int(1, 2))
        : [];
      if (earlier.length)
        parts.push(rng.pick([`曾先后服用${joinCn(earlier.map((d) => mention(rng, d, doc, 0.2)), rng)}等降糖`, `起初予${joinCn(earlier.map((d) => mention(rng, d, doc, 0.3)), rng)}治疗，后多次调整方案`, `既往曾使用${joinCn(earlier.map((d) => mention(rng, d, doc, 0)), rng)}`]));
      const namedHome = dmHome.filter(() => rng.chance(doc.homeNameRate));
      if (namedHome.length < dmHome.length && namedHome.length === 0) parts.push(rng.pick(['现口服多种降糖药物(具体不详)', '院外降糖方案不详', '自述使用胰岛素及口服药，具体剂量不详']));
      if (namedHome.length > 0) {
        const ms = namedHome.map((d) => mention(rng, d, doc, 0.8));
        const verb = rng.pick(['目前降糖方案为', '平素', '长期使用', '现用', '近期应用', '院外予']);
        parts.push(`${verb}${joinCn(ms, rng)}${rng.chance(0.5) ? '降糖' : ''}${rng.pick(['治疗', '', '控制血糖'])}`);
      } else if (rng.chance(0.6)) parts.push(rng.pick(['未规律服药', '仅饮食控制', '曾间断口服降糖药（具体不详），已自行停药']));
      // drugs stopped before: with an explicit negation cue
      for (const [d, r] of stops) {
        if (!isDmDrug(d) || !rng.chance(doc.stopNoteRate * 0.5)) continue;
        parts.push(rng.pick([`后因${r}停用${mention(rng, d, doc, 0)}`, `${mention(rng, d, doc, 0)}因${r}已停用`]));
      }
      const adh = rng.pick(['平素饮食控制欠佳', '未规律监测血糖', `自测空腹血糖${Math.max(4, labs.fpg - 1).toFixed(1)}-${(labs.fpg + 2).toFixed(1)}mmol/L`, `自诉空腹血糖波动于${rng.int(7, 12)}-${rng.int(12, 18)}mmol/L`, '血糖控制情况不详', '监测血糖控制不理想']);
      parts.push(adh);
    }
    const sym: string[] = [];
    if (s.cond.has('DPN')) sym.push(rng.pick(['双下肢麻木', '双足麻木、针刺样疼痛', '四肢末端发凉', '双足踩棉花感']));
    if (s.cond.has('DR')) sym.push(rng.pick(['视物模糊', '视力下降']));
    if (s.cond.has('DKD')) sym.push(rng.pick(['泡沫尿', '双下肢水肿']));
    if (s.cond.has('HYPOGLY')) sym.push(rng.pick([`反复出现心慌、出汗，测血糖最低${(rng.uniform(2.1, 3.8)).toFixed(1)}mmol/L`, '夜间多次低血糖发作']));
    if (s.cond.has('DKA')) sym.push(rng.pick(['恶心、呕吐，伴腹痛', '乏力、纳差、呼吸深快']));
    if (sym.length) parts.push(`近${rng.pick(['期', '1月', '半年', '2周'])}出现${joinCn(sym, rng)}`);
    if (rng.chance(0.6)) parts.push(rng.pick(['无明显视物模糊', '无胸闷胸痛', '无恶心呕吐', '无明显手足麻木', '无尿频尿急尿痛']));
  } else {
    switch (s.admitReason) {
      case 'thyroid':
        parts.push(s.cond.has('HYPERTHYROID')
          ? `患者${rng.int(1, 6)}月前出现心悸、怕热、多汗，伴体重下降${rng.int(2, 8)}kg，外院查甲功示FT3、FT4升高，TSH降低`
          : `患者${rng.int(1, 12)}月前出现乏力、怕冷、记忆力下降，外院查TSH ${labs.tsh ?? 12}mIU/L`);
        break;
      case 'gout':
        parts.push(`患者${rng.int(1, 10)}年前饮酒后出现${rng.pick(['右', '左'])}足第一跖趾关节红肿热痛，诊断"痛风"，此后反复发作，${rng.int(1, 6)}天前再发`);
        break;
      case 'osteo':
        parts.push(`患者${rng.int(1, 12)}月前出现腰背部疼痛，活动后加重，外院骨密度提示骨质疏松`);
        break;
      case 'obesity':
        parts.push(`患者近${rng.int(2, 10)}年体重进行性增加，最重${Math.round(s.bmi * p.heightM * p.heightM + rng.int(0, 8))}kg，饮食控制及运动效果差`);
        break;
      case 'hypok':
        parts.push(`患者${rng.int(1, 10)}天前出现四肢乏力，外院查血钾${labs.k}mmol/L`);
        break;
      default:
        parts.push(`患者${rng.int(1, 10)}年前发现血压升高，近期头晕加重`);
    }
    const home = s.homeDrugs.filter(() => rng.chance(0.6));
    if (home.length) parts.push(`院外${rng.pick(['服用', '口服', '使用'])}${joinCn(home.map((d) => mention(rng, d, doc, 0.7)), rng)}`);
  }
  if (s.cond.has('UTI') && s.admitReason === 'infection') parts.push(`${rng.int(2, 10)}天前出现尿频、尿急、尿痛${rng.chance(0.5) ? '，伴发热，最高体温' + (38 + rng.int(0, 9) / 10) + '℃' : ''}`);
  if (s.cond.has('PNEUMONIA')) parts.push(`${rng.int(2, 10)}天前受凉后出现咳嗽、咳${rng.pick(['黄', '白'])}痰${rng.chance(0.5) ? '，伴发热' : ''}`);
  if (s.cond.has('GOUT_FLARE') && s.admitReason !== 'gout') parts.push(`${rng.int(1, 7)}天前出现${rng.pick(['右', '左'])}足第一跖趾关节红肿疼痛`);
  const intro = rng.pick([
    `今为进一步诊治，门诊以"${admitDxShort(s)}"收入我科`,
    `现为求进一步诊治入院`,
    `为求系统诊治来我院，门诊拟"${admitDxShort(s)}"收住入院`,
    `遂来我院就诊，急诊以"${admitDxShort(s)}"收入院`,
  ]);
  parts.push(intro);
  if (doc.verbosity > 0.4 || rng.chance(0.5))
    parts.push(`病程中，患者${rng.pick(['精神可', '精神欠佳', '神志清，精神一般'])}，${rng.pick(['饮食睡眠可', '纳可，夜眠差', '食欲尚可，睡眠一般', '纳差'])}，${rng.pick(['大小便正常', '二便如常', '小便泡沫多，大便正常', '夜尿2-3次，大便正常'])}，${rng.pick(['近期体重无明显变化', `近期体重下降约${rng.int(2, 8)}kg`, '体重较前增加'])}`);
  return parts.join('，') + '。';
}

function admitDxShort(s: VisitState): string {
  if (s.cond.has('DKA')) return '糖尿病酮症酸中毒';
  if (s.cond.has('T1DM')) return '1型糖尿病';
  if (s.cond.has('T2DM')) return s.admitReason === 'foot' ? '糖尿病足' : '2型糖尿病';
  if (s.cond.has('HYPERTHYROID')) return '甲状腺功能亢进症';
  if (s.cond.has('HYPOTHYROID')) return '甲状腺功能减退症';
  if (s.admitReason === 'gout') return '痛风';
  if (s.admitReason === 'osteo') return '骨质疏松症';
  if (s.admitReason === 'obesity') return '肥胖症';
  if (s.admitReason === 'hypok') return '低钾血症';
  return '高血压病';
}

// ------------------------------------------------------------------ 既往史
const NEG_ALL = ['高血压', '冠心病', '脑梗死', '慢性肾病', '痛风', '甲状腺疾病', '慢性胃炎', '心律失常'];

export function pastHistory(rng: Rng, s: VisitState, reg: Regimen, doc: DoctorStyle): string {
  const p = s.patient;
  const c = s.cond;
  const parts: string[] = [];
  const other = s.homeDrugs.filter((d) => !isDmDrug(d));
  const used = new Set<string>();
  const stops = new Map(reg.changes.filter((x) => x.kind === 'stop').map((x) => [x.drug, x.reason]));
  const drugsFor = (classes: string[]) => {
    const ds = other.filter((d) => classes.includes(classOf(d)) && !used.has(d));
    ds.forEach((d) => used.add(d));
    return ds.filter(() => rng.chance(doc.homeNameRate));
  };
  const withDrugs = (text: string, ds: string[]) => {
    if (ds.length === 0) return text + rng.pick(['', '，未规律治疗', '，未服药']);
    const verb = rng.pick(['平素口服', '长期服用', '规律服用', '现服用', '予']);
    return `${text}，${verb}${joinCn(ds.map((d) => mention(rng, d, doc, 0.7)), rng)}${rng.pick(['', '治疗', '，控制可', '，控制欠佳'])}`;
  };
  if (c.has('HTN')) {
    const maxS = 150 + s.htnGrade * 12 + rng.int(0, 15);
    parts.push(withDrugs(`高血压病史${s.year - p.htnOnsetYear}年，最高血压${maxS}/${90 + s.htnGrade * 5 + rng.int(0, 10)}mmHg`, drugsFor(['CCB', 'ARB', 'ACEI', 'BB', 'THZ', 'ARNI', 'ALPHA'])));
  }
  if (c.has('CHD')) parts.push(withDrugs(`冠心病病史${rng.int(1, 12)}年${c.has('RECENT_PCI') ? `，${rng.int(1, 11)}月前行PCI术，植入支架${rng.int(1, 3)}枚` : ''}`, drugsFor(['AP', 'NITRATE', 'CARDIO', 'TCM', 'STATIN'])));
  if (c.has('STROKE')) parts.push(withDrugs(`${rng.int(1, 10)}年前患"脑梗死"，${rng.pick(['未遗留明显后遗症', '遗留左侧肢体活动不利', '遗留言语不清'])}`, drugsFor(['AP', 'STATIN', 'NEUROX'])));
  if (c.has('HF')) parts.push(withDrugs(`慢性心力衰竭病史${rng.int(1, 6)}年`, drugsFor(['LOOP', 'MRA', 'ARNI'])));
  if (c.has('AF')) parts.push(withDrugs(`${rng.pick(['阵发性', '持续性'])}房颤病史`, drugsFor(['AC', 'CARDIO'])));
  if (c.has('DYSLIP') && rng.chance(0.7)) parts.push(withDrugs(`发现血脂异常${rng.int(1, 10)}年`, drugsFor(['STATIN', 'FIB', 'EZE', 'LIPOX'])));
  if (c.has('HU') || c.has('GOUT')) parts.push(withDrugs(c.has('GOUT') ? `痛风病史${rng.int(1, 15)}年` : `发现尿酸升高${rng.int(1, 8)}年`, drugsFor(['URATE', 'ALK'])));
  if (c.has('HYPOTHYROID') || c.has('HASHIMOTO')) parts.push(withDrugs(c.has('HASHIMOTO') ? '桥本甲状腺炎病史' : `甲状腺功能减退症病史${rng.int(1, 10)}年`, drugsFor(['THY'])));
  if (c.has('HYPERTHYROID') && s.admitReason !== 'thyroid') parts.push(withDrugs('甲亢病史', drugsFor(['ATD'])));
  if (c.has('GASTRITIS')) parts.push(withDrugs(rng.pick(['慢性胃炎病史', '反流性食管炎病史', '胃溃疡病史']), drugsFor(['PPI', 'GI'])));
  if (c.has('GI_BLEED_HX')) parts.push(`${rng.int(2, 10)}年前有上消化道出血史`);
  if (c.has('BPH')) parts.push(withDrugs('前列腺增生病史', drugsFor(['BPH'])));
  if (c.has('COPD')) parts.push(withDrugs('慢性阻塞性肺疾病病史', drugsFor(['RESP'])));
  if (c.has('INSOMNIA')) parts.push(withDrugs('长期睡眠差', drugsFor(['SLEEP', 'PSY'])));
  if (c.has('OSTEO') && s.admitReason !== 'osteo') parts.push(withDrugs('骨质疏松病史', drugsFor(['CALC', 'VITD', 'BISPH'])));
  if (c.has('NAFLD') && rng.chance(0.5)) parts.push(withDrugs('脂肪肝病史', drugsFor(['LIVER'])));
  const rest = other.filter((d) => !used.has(d) && rng.chance(doc.homeNameRate));
  if (rest.length) parts.push(`另${rng.pick(['长期口服', '服用', '自服'])}${joinCn(rest.map((d) => mention(rng, d, doc, 0.6)), rng)}`);
  // stopped non-DM home drugs, with explicit negation cue
  for (const [d, r] of stops) {
    if (isDmDrug(d) || !rng.chance(doc.stopNoteRate * 0.3)) continue;
    parts.push(`既往服用${mention(rng, d, doc, 0)}，因${r}已停用`);
  }
  // negations
  const negs = NEG_ALL.filter((n) => {
    const map: Record<string, boolean> = {
      高血压: c.has('HTN'), 冠心病: c.has('CHD'), 脑梗死: c.has('STROKE'), 慢性肾病: s.egfr < 60, 痛风: c.has('GOUT'),
      甲状腺疾病: c.has('HYPOTHYROID') || c.has('HYPERTHYROID') || c.has('HASHIMOTO'), 慢性胃炎: c.has('GASTRITIS'), 心律失常: c.has('AF'),
    };
    return !map[n];
  });
  const negSel = rng.sample(negs, rng.int(1, Math.min(4, negs.length)));
  if (negSel.length) parts.push(`否认${negSel.join('、')}${rng.chance(0.5) ? '等' : ''}病史`);
  parts.push(rng.pick(['否认肝炎、结核等传染病史', '否认肝炎、结核、伤寒等传染病史及其密切接触史', '否认传染病史']));
  if (p.surgeries.length) parts.push(p.surgeries.map((x) => (x === 'PCI' ? '' : `${rng.int(2, 30)}年前行${x}`)).filter(Boolean).join('，') || '否认其他手术史');
  else parts.push(rng.pick(['否认手术、外伤史', '否认重大手术外伤史', '否认手术史']));
  parts.push(rng.pick(['否认输血史', '否认输血及献血史', '']));
  if (p.allergies.length) parts.push(rng.pick([`${p.allergies.join('、')}药物过敏`, `对${p.allergies.join('、')}过敏`, `自诉${p.allergies.join('、')}过敏史`]));
  else parts.push(rng.pick(['否认药物及食物过敏史', '否认食物、药物过敏史', '无药物过敏史']));
  if (p.intolerances.includes('STATIN')) parts.push('既往服用他汀类药物后出现肌肉酸痛');
  if (rng.chance(0.5)) parts.push(rng.pick(['预防接种史随当地', '预防接种史不详']));
  if (doc.verbosity > 0.5 && rng.chance(0.6)) parts.push(p.smoker ? `吸烟${rng.int(10, 40)}年，${rng.int(5, 30)}支/日` : '否认吸烟史', p.drinker ? `饮酒${rng.int(5, 30)}年` : '否认饮酒史');
  if (s.cond.has('PREG')) parts.push(`现孕${rng.int(8, 30)}周`);
  return parts.filter(Boolean).join('。') + '。';
}

// ------------------------------------------------------------------ 入院情况
export function admissionStatus(rng: Rng, s: VisitState, labs: Labs, doc: DoctorStyle): string {
  const parts: string[] = [];
  const vit = `T ${labs.temp}℃，P ${labs.hr}次/分，R ${rng.int(16, 22)}次/分，BP ${labs.sbp}/${labs.dbp}mmHg`;
  parts.push(rng.chance(0.5) ? `体格检查：${vit}` : `入院查体：${vit}`);
  if (s.bmiRecorded && rng.chance(0.6)) parts.push(`身高${Math.round(s.patient.heightM * 100)}cm，体重${Math.round(s.bmi * s.patient.heightM * s.patient.heightM)}kg，BMI ${s.bmi}kg/m²`);
  const exam: string[] = [rng.pick(['神志清楚，精神可', '神清，精神欠佳', '神志清，查体合作'])];
  if (s.cond.has('HYPERTHYROID')) exam.push(rng.pick(['甲状腺II度肿大，质软，可闻及血管杂音', '双手细颤(+)，甲状腺I度肿大']));
  if (s.cond.has('PNEUMONIA')) exam.push(rng.pick(['右下肺可闻及湿啰音', '双肺呼吸音粗，可闻及少许湿啰音']));
  else exam.push(rng.pick(['双肺呼吸音清，未闻及干湿啰音', '双肺呼吸音清']));
  exam.push(s.cond.has('AF') ? '心律绝对不齐，第一心音强弱不等' : rng.pick(['心律齐，各瓣膜听诊区未闻及杂音', '心率齐，未闻及病理性杂音']));
  exam.push(rng.pick(['腹软，无压痛', '腹平软，肝脾肋下未触及']));
  if (s.cond.has('HF') || s.egfr < 30) exam.push('双下肢凹陷性水肿');
  else exam.push(rng.pick(['双下肢无水肿', '双下肢不肿']));
  if (s.cond.has('PAD')) exam.push(rng.pick(['双足背动脉搏动减弱', '左足背动脉搏动未触及']));
  else if (isDiabetic(s)) exam.push(rng.pick(['双足背动脉搏动可', '足背动脉搏动正常']));
  if (s.cond.has('DPN')) exam.push(rng.pick(['双足10g尼龙丝感觉减退', '双足痛温觉减退，振动觉减弱', '双下肢袜套样感觉减退']));
  if (s.cond.has('FOOT_ULCER')) exam.push(`${rng.pick(['左', '右'])}足${rng.pick(['第一趾', '足底', '足跟'])}见${rng.int(1, 4)}×${rng.int(1, 3)}cm溃疡，有渗出`);
  if (s.cond.has('GOUT_FLARE')) exam.push(`${rng.pick(['右', '左'])}足第一跖趾关节红肿，皮温高，压痛(+)`);
  parts.push(exam.join('，'));
  const labTxt = renderLabs(rng, s, labs, doc.labStyle);
  parts.push(rng.pick(['辅助检查：', '入院后查：', '实验室检查：', '入院化验：']) + labTxt);
  if (rng.chance(0.3)) parts.push(rng.pick(['尿常规：葡萄糖(+++)', `尿常规：尿糖${rng.pick(['(+)', '(++)', '(-)'])}，尿蛋白${(labs.uacr ?? 0) > 300 ? '(++)' : '(-)'}`, '心电图：窦性心律', `心电图：${s.cond.has('AF') ? '心房颤动' : rng.pick(['窦性心律，ST-T改变', '窦性心律'])}`]));
  return parts.join('。') + '。';
}

// ------------------------------------------------------------------ 诊疗过程描述
interface CourseOut {
  text: string;
  zoledronate: boolean;
}

/** Inpatient part, decided before the regimen (zoledronate affects discharge bisphosphonate). */
export function inpatientPlan(rng: Rng, s: VisitState): { items: string[]; zoledronate: boolean } {
  const c = s.cond;
  const items: string[] = [];
  const zoledronate = c.has('OSTEO') && s.egfr >= 35 && rng.chance(0.3);
  if (isDiabetic(s)) {
    if (c.has('DKA')) items.push(rng.pick(['予积极补液、小剂量生物合成人胰岛素持续静脉泵入、补钾纠酮治疗', '予补液、小剂量胰岛素静滴降糖、纠正酸中毒及电解质紊乱，酮体转阴后改为皮下胰岛素']));
    else if (rng.chance(0.45)) items.push(rng.pick(['予胰岛素泵(门冬胰岛素)强化降糖', '予CSII强化降糖治疗', '予胰岛素泵持续皮下输注门冬胰岛素控制血糖']));
    else if (rng.chance(0.5)) items.push(rng.pick(['予三餐前门冬胰岛素+睡前甘精胰岛素皮下注射强化降糖', '予多次皮下注射胰岛素强化治疗', '予调整降糖方案控制血糖']));
  }
  if (c.has('DPN') || c.has('PAD') || c.has('FOOT_ULCER')) {
    const opts = ['前列地尔注射液改善微循环', '硫辛酸注射液抗氧化应激', '甲钴胺注射液营养神经', '注射用鼠神经生长因子营养神经', '小牛血清去蛋白注射液改善代谢', '丹红注射液活血化瘀'];
    items.push('予' + rng.sample(opts, rng.int(1, 3)).join('、'));
  }
  if (c.has('UTI')) items.push(`予${rng.pick(['注射用头孢哌酮钠舒巴坦钠', '左氧氟沙星注射液', '注射用头孢曲松钠', '注射用头孢唑肟钠'])}抗感染`);
  if (c.has('PNEUMONIA')) items.push(`予${rng.pick(['注射用哌拉西林钠他唑巴坦钠', '莫西沙星氯化钠注射液', '注射用头孢曲松钠', '注射用头孢他啶'])}抗感染，${rng.pick(['氨溴索注射液化痰', '雾化吸入化痰'])}`);
  if (c.has('FOOT_ULCER')) items.push(`予清创换药，${rng.pick(['注射用头孢他啶联合奥硝唑', '注射用美罗培南', '注射用哌拉西林钠他唑巴坦钠'])}抗感染`);
  if (c.has('CHD') && rng.chance(0.4)) items.push(`予${rng.pick(['丹红注射液', '注射用丹参多酚酸盐', '银杏达莫注射液'])}改善心肌供血`);
  if (c.has('STROKE') && rng.chance(0.3)) items.push(`予${rng.pick(['依达拉奉注射液清除自由基', '长春西汀注射液改善脑循环', '注射用奥拉西坦营养脑细胞'])}`);
  if (c.has('HF')) items.push(`予${rng.pick(['呋塞米注射液利尿', '托拉塞米注射液利尿', '新活素改善心衰'])}`);
  if (c.has('NAFLD') && rng.chance(0.3)) items.push(`予${rng.pick(['注射用还原型谷胱甘肽', '异甘草酸镁注射液', '多烯磷脂酰胆碱注射液'])}保肝`);
  if (rng.chance(0.25)) items.push(`予${rng.pick(['注射用泮托拉唑钠', '注射用奥美拉唑钠'])}护胃`);
  if (c.has('HYPOK')) items.push('予氯化钾注射液静脉补钾及口服补钾');
  if (c.has('GOUT_FLARE') && rng.chance(0.5)) items.push(`予${rng.pick(['地塞米松磷酸钠注射液', '注射用甲泼尼龙琥珀酸钠'])}抗炎止痛`);
  if (zoledronate) items.push(rng.pick(['予唑来膦酸注射液5mg静滴抗骨质疏松', '予密固达5mg静脉滴注']));
  else if (c.has('OSTEO') && rng.chance(0.2)) items.push('予鲑降钙素注射液止痛');
  if ((c.has('STROKE') || c.has('HF')) && rng.chance(0.15)) items.push(`予${rng.pick(['依诺肝素钠注射液', '低分子肝素钙注射液'])}预防血栓`);
  if (c.has('HYPERTHYROID')) items.push('予甲巯咪唑抗甲状腺、普萘洛尔控制心率');
  return { items, zoledronate };
}

const WORKUP: Array<[string, (s: VisitState) => boolean, string[]]> = [
  ['颈动脉彩超', (s) => s.cond.has('CAROTID'), ['双侧颈动脉内中膜增厚伴斑块形成', '右侧颈动脉分叉处斑块形成']],
  ['颈动脉彩超', (s) => !s.cond.has('CAROTID'), ['双侧颈动脉未见明显异常']],
  ['肌电图', (s) => s.cond.has('DPN'), ['双下肢周围神经源性损害', '提示周围神经病变']],
  ['眼底照相', (s) => s.cond.has('DR'), ['双眼糖尿病视网膜病变(非增殖期)', '可见微血管瘤及出血点']],
  ['腹部彩超', (s) => s.cond.has('NAFLD'), ['脂肪肝', '中度脂肪肝', '轻度脂肪肝，胆囊息肉']],
  ['腹部彩超', (s) => !s.cond.has('NAFLD'), ['肝胆胰脾未见明显异常', '肝囊肿', '胆囊结石']],
  ['下肢动脉彩超', (s) => s.cond.has('PAD'), ['双下肢动脉粥样硬化伴多发斑块形成', '左侧胫前动脉狭窄']],
  ['甲状腺彩超', (s) => s.cond.has('NODULE'), ['甲状腺结节(TI-RADS 3类)', '甲状腺多发结节，TI-RADS 3类']],
  ['甲状腺彩超', (s) => s.cond.has('HASHIMOTO') || s.cond.has('HYPERTHYROID'), ['甲状腺弥漫性病变', '甲状腺弥漫性肿大，血流丰富']],
  ['心脏彩超', (s) => s.cond.has('HF'), [`左室舒张功能减低，EF 45%`, '左房增大，EF 40%', '全心扩大，EF 38%']],
  ['心脏彩超', (s) => s.cond.has('CHD') && !s.cond.has('HF'), ['节段性室壁运动异常，EF 58%', '左室舒张功能减低']],
  ['骨密度', (s) => s.cond.has('OSTEO'), ['腰椎T值-3.1，提示骨质疏松', '股骨颈T值-2.8']],
  ['胸部CT', (s) => s.cond.has('PNEUMONIA'), ['右下肺感染性病变', '双肺散在炎症']],
  ['胸部CT', (s) => !s.cond.has('PNEUMONIA'), ['双肺少许纤维灶', '右肺小结节，建议随访', '未见明显异常']],
  ['头颅CT', (s) => s.cond.has('STROKE'), ['双侧基底节区腔隙性脑梗死', '陈旧性脑梗死']],
  ['泌尿系彩超', (s) => s.cond.has('BPH'), ['前列腺增生', '前列腺增生伴钙化']],
  ['动态血糖监测', (s) => isDiabetic(s), ['血糖波动较大', '提示夜间低血糖', 'TIR 52%']],
];

function dischargeSentence(rng: Rng, s: VisitState, reg: Regimen, doc: DoctorStyle): string {
  const news = reg.changes.filter((c) => c.kind === 'start').map((c) => c.drug).filter((d) => reg.drugs.includes(d));
  const cont = reg.drugs.filter((d) => !news.includes(d));
  const bits: string[] = [];
  const named: string[] = [];
  const classes: string[] = [];
  for (const d of news) {
    if (rng.chance(doc.nameRate)) named.push(mention(rng, d, doc, 0.7));
    else if (rng.chance(doc.classRate)) classes.push(rng.pick(CLASS_LABEL[classOf(d)] ?? ['药物']));
  }
  // continuing drugs: named a little less often than new ones, otherwise summarised ("余治疗同前")
  const contNamed = cont.filter(() => rng.chance(doc.nameRate * 0.8)).map((d) => mention(rng, d, doc, 0.6));
  const uniq = [...new Set(classes)];
  if (reg.insulinScheme !== 'none' && rng.chance(0.6)) {
    bits.push(rng.pick({
      basal: ['调整为基础胰岛素联合口服药降糖', '予基础胰岛素+口服降糖药方案', '改为每日一次长效胰岛素'],
      'basal-bolus': ['改为"三短一长"胰岛素方案', '调整为基础+餐时胰岛素皮下注射', '予多次胰岛素皮下注射方案'],
      premix: ['调整为预混胰岛素每日两次皮下注射', '改为预混胰岛素bid', '予预混胰岛素类似物早晚餐前皮下注射'],
      none: [''],
    }[reg.insulinScheme]));
  }
  if (uniq.length) bits.push(`${rng.pick(['加用', '予', '联合', '启用'])}${uniq.join('、')}${rng.pick(['', '治疗', '等'])}`);
  if (named.length) bits.push(`${rng.pick(['加用', '予', '新加', '调整为'])}${named.join('、')}`);
  if (contNamed.length) bits.push(`继续${contNamed.join('、')}`);
  const summary = rng.pick([
    '调整降糖方案后血糖平稳',
    '经治疗后血糖控制可',
    '患者血糖较前明显好转',
    '症状好转，病情平稳',
    '空腹血糖控制在6-8mmol/L，餐后血糖8-11mmol/L',
    '患者一般情况可，予办理出院',
  ]);
  const same = rng.pick(['降压方案同前', '余用药同前', '其余口服药物继续', '余治疗同前', '原降压、调脂方案不变', '']);
  const out = [bits.join('，'), summary, cont.length ? same : ''].filter(Boolean);
  return out.join('，');
}

export interface CourseOptions {
  /** Sentences inserted just before the discharge sentence (stops, consults, plans …). */
  extra?: string[];
  /** Range of workup results reported (default 1–4). */
  workup?: [number, number];
  /** Sentence appended at the very end (an explicit discharge plan). */
  tail?: string;
}

export function courseText(rng: Rng, s: VisitState, labs: Labs, reg: Regimen, doc: DoctorStyle, plan: { items: string[] }, opt: CourseOptions = {}): CourseOut {
  const parts: string[] = [];
  parts.push(rng.pick([
    '入院后完善相关检查',
    '入院后予完善血常规、肝肾功能、血脂、甲功、尿常规等检查',
    '患者入院后积极完善相关辅助检查',
    '入院后完善三大常规、生化、糖化血红蛋白等检查',
  ]));
  if (isDiabetic(s)) parts.push(rng.pick(['予糖尿病饮食、运动及糖尿病教育', '予低盐低脂糖尿病饮食', '予糖尿病宣教，监测七段血糖', '嘱糖尿病饮食，监测血糖']));
  parts.push(...plan.items);
  const wk = WORKUP.filter(([, f]) => f(s));
  const [wLo, wHi] = opt.workup ?? [1, 4];
  for (const [name, , res] of rng.sample(wk, rng.int(wLo, wHi))) parts.push(`${name}示：${rng.pick(res)}`);
  if (labs.cpep !== null && rng.chance(0.4)) parts.push(`OGTT+C肽释放试验提示胰岛功能${labs.cpep < 0.5 ? '差' : labs.cpep < 1.5 ? '减退' : '尚可'}`);
  // stopped drugs (with the reason) — written in the course by some doctors
  for (const ch of reg.changes) {
    if (ch.kind !== 'stop' || !rng.chance(doc.stopNoteRate * 0.6)) continue;
    parts.push(rng.pick([`因${ch.reason}，停用${mention(rng, ch.drug, doc, 0)}`, `${ch.reason}，予停${mention(rng, ch.drug, doc, 0)}`, `考虑${ch.reason}，停用${mention(rng, ch.drug, doc, 0)}`]));
  }
  if (s.cond.has('HYPOGLY') && rng.chance(0.6)) parts.push('住院期间出现低血糖，予口服葡萄糖后缓解');
  if (opt.extra) parts.push(...opt.extra);
  parts.push(dischargeSentence(rng, s, reg, doc));
  if (opt.tail) parts.push(opt.tail);
  else if (doc.verbosity > 0.3 || rng.chance(0.4))
    parts.push(rng.pick(['出院医嘱：糖尿病饮食，适量运动，监测血糖，内分泌科门诊随诊', '嘱出院后监测血糖、血压，1-2周门诊复诊', '嘱定期复查肝肾功能、血脂，不适随诊', '出院后继续降糖、降压、调脂等治疗，门诊随诊']));
  const text = parts.join('，').replace(/，，+/g, '，') + '。';
  return { text, zoledronate: false };
}

// ------------------------------------------------------------------ 出院诊断
function ckdStage(e: number): string {
  if (e >= 90) return '1';
  if (e >= 60) return '2';
  if (e >= 45) return '3a';
  if (e >= 30) return '3b';
  if (e >= 15) return '4';
  return '5';
}

export function diagnoses(rng: Rng, s: VisitState, labs: Labs, doc: DoctorStyle): string[] {
  const c = s.cond;
  const dx: string[] = [];
  const P = (xs: string[]) => rng.pick(xs);
  const abbr = () => rng.chance(doc.abbrevRate);
  if (c.has('T2DM')) {
    const nComp = ['DPN', 'DR', 'DKD', 'PAD'].filter((k) => c.has(k as never)).length;
    dx.push(abbr() ? 'T2DM' : nComp >= 2 && rng.chance(0.4) ? '2型糖尿病伴多个并发症' : c.has('DKA') ? '2型糖尿病伴酮症酸中毒' : P(['2型糖尿病', '2型糖尿病', 'II型糖尿病', '2型糖尿病伴血糖控制不佳']));
  }
  if (c.has('T1DM')) dx.push(c.has('DKA') ? P(['1型糖尿病伴酮症酸中毒', '1型糖尿病 糖尿病酮症酸中毒']) : abbr() ? 'T1DM' : '1型糖尿病');
  else if (c.has('DKA')) dx.push(P(['糖尿病酮症酸中毒', '糖尿病酮症', 'DKA']));
  if (c.has('HYPOGLY')) dx.push(P(['低血糖症', '药物性低血糖症']));
  if (c.has('DPN')) dx.push(abbr() ? 'DPN' : P(['糖尿病周围神经病变', '2型糖尿病性周围神经病', '糖尿病性周围神经病']));
  if (c.has('DR')) dx.push(P(['糖尿病视网膜病变', '糖尿病性视网膜病变(非增殖期)', '糖尿病视网膜病变']));
  if (c.has('DKD')) dx.push(abbr() ? 'DKD' : P(['糖尿病肾病', '糖尿病肾脏疾病', `糖尿病肾病${s.egfr < 30 ? 'V' : 'IV'}期`]));
  if (s.egfr < 60 || ((labs.uacr ?? 0) > 30 && rng.chance(0.5))) {
    const st = ckdStage(s.egfr);
    dx.push(abbr() ? `CKD${st}期` : P([`慢性肾脏病${st}期`, `慢性肾脏病${st.replace(/[ab]/, '')}期`, s.egfr < 45 ? '慢性肾功能不全' : `慢性肾脏病${st}期`]));
  }
  if (c.has('PAD')) dx.push(P(['糖尿病周围血管病变', '下肢动脉粥样硬化', '双下肢动脉硬化闭塞症']));
  if (c.has('FOOT_ULCER')) dx.push(P(['糖尿病足', `糖尿病足(Wagner ${rng.int(1, 3)}级)`, '糖尿病足感染']));
  if (c.has('HTN')) {
    const risk = isDiabetic(s) || c.has('CHD') ? P(['很高危', '极高危']) : P(['高危', '中危']);
    dx.push(P([`高血压病${s.htnGrade}级(${risk})`, `高血压${s.htnGrade}级 ${risk}`, `原发性高血压${s.htnGrade}级`, `高血压病${s.htnGrade}级 ${risk}组`]));
  }
  if (c.has('DYSLIP')) {
    const hiTg = labs.tg > 1.7;
    const hiLdl = labs.ldl > 3.4;
    dx.push(hiTg && hiLdl ? '混合型高脂血症' : hiTg ? P(['高甘油三酯血症', '高脂血症']) : hiLdl ? P(['高胆固醇血症', '高脂血症']) : P(['血脂异常', '高脂血症', '血脂代谢紊乱']));
  }
  if (c.has('GOUT')) dx.push(c.has('GOUT_FLARE') ? P(['急性痛风性关节炎', '痛风急性发作']) : P(['痛风', '痛风性关节炎']));
  else if (c.has('HU')) dx.push('高尿酸血症');
  if (c.has('NAFLD')) dx.push(abbr() ? 'NAFLD' : s.year >= 2021 && rng.chance(0.3) ? '代谢相关脂肪性肝病' : P(['非酒精性脂肪性肝病', '脂肪肝', '非酒精性脂肪肝']));
  if (c.has('CHD')) dx.push(abbr() ? '冠心病' : P(['冠状动脉粥样硬化性心脏病', '冠心病', '冠状动脉粥样硬化性心脏病 稳定型心绞痛']));
  if (c.has('RECENT_PCI')) dx.push(P(['冠状动脉支架植入术后', 'PCI术后', '冠脉支架植入术后状态']));
  if (c.has('HF')) dx.push(P(['慢性心力衰竭', `心功能不全 NYHA ${P(['II', 'III'])}级`, '射血分数保留的心力衰竭']));
  if (c.has('AF')) dx.push(P(['心房颤动', '阵发性心房颤动', '持续性心房颤动']));
  if (c.has('STROKE')) dx.push(P(['脑梗死', '陈旧性脑梗死', '脑梗死后遗症', '腔隙性脑梗死']));
  if (c.has('CAROTID') && rng.chance(0.6)) dx.push(P(['颈动脉粥样硬化', '颈动脉斑块形成', '双侧颈动脉斑块']));
  if (c.has('HYPERTHYROID')) dx.push(P(['Graves病', '甲状腺功能亢进症', '甲亢']));
  if (c.has('HYPOTHYROID')) dx.push((labs.tsh ?? 10) < 10 && (labs.ft4 ?? 10) >= 12 ? '亚临床甲状腺功能减退症' : P(['甲状腺功能减退症', '甲减', '原发性甲状腺功能减退症']));
  if (c.has('HASHIMOTO')) dx.push(P(['桥本甲状腺炎', '慢性淋巴细胞性甲状腺炎', '自身免疫性甲状腺炎']));
  if (c.has('NODULE')) dx.push(P(['甲状腺结节', '甲状腺结节(TI-RADS 3类)', '结节性甲状腺肿']));
  if (c.has('OSTEO')) dx.push(P(['骨质疏松症', '重度骨质疏松症', s.patient.sex === '女' ? '绝经后骨质疏松症' : '老年性骨质疏松症']));
  if (c.has('VITD_DEF') || (labs.vitd !== null && labs.vitd < 20 && rng.chance(0.5))) dx.push(P(['维生素D缺乏', '维生素D不足']));
  if (s.bmi >= 28) dx.push(P(['肥胖症', '单纯性肥胖', '肥胖']));
  else if (s.bmi >= 24 && rng.chance(0.3)) dx.push('超重');
  if (c.has('GASTRITIS')) dx.push(P(['慢性胃炎', '慢性非萎缩性胃炎', '反流性食管炎']));
  if (c.has('UTI')) dx.push(P(['泌尿系感染', '尿路感染', '急性膀胱炎']));
  if (c.has('PNEUMONIA')) dx.push(P(['肺部感染', '社区获得性肺炎', '肺炎']));
  if (c.has('BPH')) dx.push(P(['前列腺增生', '良性前列腺增生']));
  if (c.has('INSOMNIA')) dx.push(P(['睡眠障碍', '失眠']));
  if (c.has('ANXIETY')) dx.push(P(['焦虑状态', '焦虑抑郁状态']));
  if (c.has('COPD')) dx.push(P(['慢性阻塞性肺疾病', 'COPD']));
  if (c.has('HYPOK') || labs.k < 3.5) dx.push('低钾血症');
  if (labs.k > 5.5) dx.push('高钾血症');
  if (c.has('VERTIGO')) dx.push(P(['眩晕症', '后循环缺血']));
  if (labs.hb < (s.patient.sex === '男' ? 120 : 110)) dx.push(s.egfr < 45 ? P(['肾性贫血', '贫血']) : P(['轻度贫血', '贫血']));
  if (c.has('PREG')) dx.push(P(['妊娠合并糖尿病', '糖尿病合并妊娠']));
  if (rng.chance(0.35)) dx.push(P(['肝囊肿', '肾囊肿', '胆囊结石', '窦性心动过缓', '骨关节炎', '颈椎病', '腰椎退行性变', '白内障', '肺结节', '胆囊息肉', '高同型半胱氨酸血症', '反流性食管炎']));
  // order: primary stays first mostly, rest partly shuffled
  const [first, ...rest] = dx;
  if (first === undefined) return [P(['代谢综合征', '肥胖症'])];
  const tail = rng.chance(0.5) ? rest : rng.shuffle(rest);
  return rng.chance(0.9) ? [first, ...tail] : rng.shuffle(dx);
}
