import { useUiStore } from '../state/ui-store.ts';

/** UI strings. Chinese is the default: the users are Chinese clinicians. */
const messages = {
  zh: {
    appTitle: 'DischargeRx 出院带药推荐',
    syntheticNotice:
      '演示系统：模型与候选药品表基于合成数据构建，不能用于临床决策。所有计算在本机浏览器内完成，病历不会离开本页面。',
    noteLabel: '粘贴出院小结（自由文本或 CDrugRed JSON 记录）',
    notePlaceholder: '主诉：口干多饮多尿5年……\n现病史：……\n既往史：……\n出院诊断：1.2型糖尿病 2.高血压病',
    parse: '解析',
    recommend: '推荐出院带药',
    loadExample: '载入示例',
    parsedFields: '解析结果',
    unrecognised: '未识别的段落（已保留）',
    recommendations: '推荐药品',
    noRecommendations: '暂无推荐',
    method: '推荐方法',
    methodCooccurrence: '诊断-药物共现基线',
    emptyNote: '请先粘贴病历内容。',
    parseErrorPrefix: '无法解析：',
    field: '字段',
    value: '内容',
    diagnoses: '出院诊断',
    language: 'English',
    drugClass: '类别',
    score: '得分',
  },
  en: {
    appTitle: 'DischargeRx discharge-medication recommender',
    syntheticNotice:
      'Demonstration only: the model and candidate list are built from synthetic data and must not be used for clinical decisions. Everything runs in this browser; the note never leaves the page.',
    noteLabel: 'Paste a discharge note (free text or a CDrugRed JSON record)',
    notePlaceholder: '主诉：…\n现病史：…\n既往史：…\n出院诊断：1.2型糖尿病 2.高血压病',
    parse: 'Parse',
    recommend: 'Recommend discharge drugs',
    loadExample: 'Load example',
    parsedFields: 'Parsed fields',
    unrecognised: 'Unrecognised sections (kept)',
    recommendations: 'Recommended drugs',
    noRecommendations: 'No recommendations yet',
    method: 'Method',
    methodCooccurrence: 'Diagnosis–drug co-occurrence baseline',
    emptyNote: 'Paste a note first.',
    parseErrorPrefix: 'Could not parse: ',
    field: 'Field',
    value: 'Value',
    diagnoses: 'Discharge diagnoses',
    language: '中文',
    drugClass: 'Class',
    score: 'Score',
  },
} as const;

export type Locale = keyof typeof messages;
export type MessageKey = keyof (typeof messages)['zh'];

export function translate(locale: Locale, key: MessageKey): string {
  return messages[locale][key];
}

export function useT(): (key: MessageKey) => string {
  const locale = useUiStore((s) => s.locale);
  return (key) => translate(locale, key);
}
