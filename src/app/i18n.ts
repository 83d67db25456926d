import { useUiStore, type Locale } from '../state/ui-store.ts';

export type { Locale } from '../state/ui-store.ts';

/** UI strings. Chinese is the default: the users are Chinese clinicians. */
export const appMessages = {
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
    field: '字段',
    value: '内容',
    diagnoses: '出院诊断',
    language: 'English',
    drugClass: '类别',
    score: '得分',
    methodModel: '模型（本机推理）',
    methodLabel: '推荐方法',
    confidence: '置信度',
    backendLabel: '计算后端',
    backendAuto: '自动（有显卡用 WebGPU，否则 WASM）',
    backendWebgpu: 'WebGPU',
    backendWasm: 'WASM（CPU）',
    loadModel: '加载模型',
    cancel: '取消',
    engineIdle: '模型尚未加载（首次推荐时自动加载）。',
    engineLoading: '正在加载模型…',
    engineReady: '模型已就绪',
    engineError: '模型不可用',
    // The first phase runs for every backend (a WASM choice skips the WebGPU probe inside it),
    // and the files may come from the browser cache: the words must be true in every case.
    phase_probe: '选择计算后端…',
    phase_download: '读取模型文件',
    phase_session: '创建推理会话',
    phase_warmup: '预热',
    loadTime: '加载',
    warmupTime: '预热',
    inferenceTime: '推荐耗时',
    running: '正在推理…',
    fixtureModel: '注意：当前模型是随机权重的测试模型，推荐结果没有医学意义。',
    reason_webgpu_ok: '使用 WebGPU（显卡）。',
    reason_webgpu_software: '按设置使用 WebGPU，但这里没有显卡：WebGPU 由 CPU 软件模拟（如 SwiftShader），会比 WASM 慢得多。',
    reason_forced_wasm: '已按设置使用 WASM（CPU）。',
    reason_software_adapter: '未检测到显卡：浏览器只提供软件模拟的 WebGPU（如 SwiftShader），比 WASM 慢得多，已自动使用 WASM（CPU）。如仍需 WebGPU，可在“计算后端”中手动选择。',
    reason_no_webgpu_api: '此浏览器不支持 WebGPU，已改用 WASM（CPU）。',
    reason_no_adapter: '未找到可用的 WebGPU 显卡适配器，已改用 WASM（CPU）。',
    reason_webgpu_session_failed: 'WebGPU 初始化或运行失败，已自动改用 WASM（CPU）。',
    reason_device_lost: 'WebGPU 设备丢失，已自动改用 WASM（CPU）重新加载。',
    reason_no_webgpu_weights: '模型没有适合 WebGPU 的权重文件，已改用 WASM（CPU）。',
    err_model_not_found: '找不到模型文件。请确认 models/ 目录随应用一起部署。您输入的病历已保留。',
    err_load_failed: '模型加载失败。您输入的病历已保留，可改用共现基线或稍后重试。',
    err_not_loaded: '模型尚未加载。',
    err_inference_failed: '推理失败。您输入的病历已保留，请重试或改用共现基线。',
    err_invalid_request: '请求无效。',
    err_aborted: '已取消。',
    err_worker_crashed: '模型进程意外退出（可能内存不足）。您输入的病历已保留；再次点击推荐将重新启动模型。',
    err_site_model_unavailable: '所选的本院模型在本浏览器中不存在或校验失败，请在“模型与缓存”中重新导入或改选其他模型。您输入的病历已保留。',
    err_candidate_list_missing: '所选的候选药品表无法读取（已移除或校验失败），请在“模型与缓存”中重新导入或改选内置药品库。您输入的病历已保留。',
    err_no_candidates: '当前模型的分词器无法写出所选候选药品表中的任何药名，请改选候选药品表或模型。您输入的病历已保留。',
    errorDetail: '详细信息',
    tabsLabel: '功能',
    offline: '当前处于离线状态。本机推理照常可用；尚未缓存到本浏览器的模型无法加载。',
    // --- load progress and model sizes (issue 12: one size per variant, a cache load said so) ---
    phase_download_network: '下载模型文件',
    phase_cache: '从本机缓存读取模型文件（无需下载）',
    variantSize: '模型文件',
    readFromCache: '本次从本机缓存读取',
    downloadedNow: '本次下载',
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
    field: 'Field',
    value: 'Value',
    diagnoses: 'Discharge diagnoses',
    language: '中文',
    drugClass: 'Class',
    score: 'Score',
    methodModel: 'Model (on-device)',
    methodLabel: 'Method',
    confidence: 'Confidence',
    backendLabel: 'Backend',
    backendAuto: 'Auto (WebGPU on a GPU, else WASM)',
    backendWebgpu: 'WebGPU',
    backendWasm: 'WASM (CPU)',
    loadModel: 'Load model',
    cancel: 'Cancel',
    engineIdle: 'Model not loaded yet (loads on the first recommendation).',
    engineLoading: 'Loading the model…',
    engineReady: 'Model ready',
    engineError: 'Model unavailable',
    phase_probe: 'Choosing the backend…',
    phase_download: 'Reading the model files',
    phase_session: 'Creating the inference session',
    phase_warmup: 'Warming up',
    loadTime: 'load',
    warmupTime: 'warm-up',
    inferenceTime: 'Recommendation time',
    running: 'Running…',
    fixtureModel: 'Note: the current model is a random-weight test fixture; its output has no medical meaning.',
    reason_webgpu_ok: 'Running on WebGPU (GPU).',
    reason_webgpu_software: 'Running on WebGPU as selected, but there is no GPU here: WebGPU is emulated in software on the CPU (e.g. SwiftShader) and is much slower than WASM.',
    reason_forced_wasm: 'Running on WASM (CPU) as selected.',
    reason_software_adapter: 'No GPU found: the browser only offers software-emulated WebGPU (e.g. SwiftShader), which is much slower than WASM, so Auto runs on WASM (CPU). You can still choose WebGPU under Backend.',
    reason_no_webgpu_api: 'This browser has no WebGPU; running on WASM (CPU).',
    reason_no_adapter: 'No usable WebGPU adapter found; running on WASM (CPU).',
    reason_webgpu_session_failed: 'WebGPU failed to start or run; switched to WASM (CPU) automatically.',
    reason_device_lost: 'The WebGPU device was lost; reloaded on WASM (CPU) automatically.',
    reason_no_webgpu_weights: 'The model has no weights WebGPU can run; running on WASM (CPU).',
    err_model_not_found: 'Model files not found. Check that the models/ folder is deployed with the app. Your note is kept.',
    err_load_failed: 'The model failed to load. Your note is kept; use the co-occurrence baseline or try again.',
    err_not_loaded: 'The model is not loaded.',
    err_inference_failed: 'The recommendation failed. Your note is kept; try again or use the co-occurrence baseline.',
    err_invalid_request: 'Invalid request.',
    err_aborted: 'Cancelled.',
    err_worker_crashed: 'The model process stopped unexpectedly (possibly out of memory). Your note is kept; recommending again restarts it.',
    err_site_model_unavailable: 'The selected site model is not stored in this browser or failed verification. Import it again or pick another model under Models & cache. Your note is kept.',
    err_candidate_list_missing: 'The selected candidate list cannot be read (removed or failed verification). Import it again or pick the bundled formulary under Models & cache. Your note is kept.',
    err_no_candidates: "The current model's tokenizer cannot write any name of the selected candidate list. Pick another list or model. Your note is kept.",
    errorDetail: 'Details',
    tabsLabel: 'Screens',
    offline: 'You are offline. On-device recommendations still work; a model not yet cached in this browser cannot be loaded.',
    // --- load progress and model sizes (issue 12: one size per variant, a cache load said so) ---
    phase_download_network: 'Downloading the model files',
    phase_cache: 'Reading the model files from this browser’s cache (no download)',
    variantSize: 'model files',
    readFromCache: 'read from this browser’s cache',
    downloadedNow: 'downloaded',
  },
} as const satisfies Record<Locale, Record<string, string>>;

export type MessageKey = keyof (typeof appMessages)['zh'];

export function translate(locale: Locale, key: MessageKey): string {
  return appMessages[locale][key];
}

export function useT(): (key: MessageKey) => string {
  const locale = useUiStore((s) => s.locale);
  return (key) => translate(locale, key);
}

/**
 * A feature's own strings, so each feature folder owns its dictionary (no shared file to edit).
 * Both locales must define the same keys; the type enforces it.
 */
export type FeatureMessages<K extends string> = { zh: Record<K, string>; en: Record<K, string> };

export function useMessages<K extends string>(dictionary: FeatureMessages<K>): (key: K) => string {
  const locale = useUiStore((s) => s.locale);
  return (key) => dictionary[locale][key];
}

/** BCP 47 tag of a UI locale, for <html lang> and Intl. */
export function localeTag(locale: Locale): string {
  return locale === 'zh' ? 'zh-CN' : 'en-US';
}

/** Locale-aware formatting of what the screens show besides words: dates, numbers, durations. */
export interface Formatters {
  /** A moment (epoch ms) as a short date and time. */
  dateTime: (ms: number) => string;
  /** A calendar date (epoch ms). */
  date: (ms: number) => string;
  /** A number with a fixed count of decimals. */
  number: (x: number, decimals?: number) => string;
  /** A duration in seconds, e.g. "2 min 37 sec" / "2分钟37秒" (whole seconds, rounded up below a minute). */
  duration: (seconds: number) => string;
}

const formattersByLocale = new Map<Locale, Formatters>();

/**
 * The locale's formatters, built once per locale: every render asks for them (the batch table
 * re-renders on each record), and building Intl formatters costs milliseconds each time.
 */
export function formatters(locale: Locale): Formatters {
  let f = formattersByLocale.get(locale);
  if (!f) {
    f = buildFormatters(locale);
    formattersByLocale.set(locale, f);
  }
  return f;
}

function buildFormatters(locale: Locale): Formatters {
  const tag = localeTag(locale);
  const dateTime = new Intl.DateTimeFormat(tag, { dateStyle: 'medium', timeStyle: 'short' });
  const date = new Intl.DateTimeFormat(tag, { dateStyle: 'long' });
  const unit = (u: 'minute' | 'second') => new Intl.NumberFormat(tag, { style: 'unit', unit: u, unitDisplay: 'short' });
  const minutes = unit('minute');
  const seconds = unit('second');
  const numbers = new Map<number, Intl.NumberFormat>();
  const numberFormat = (decimals: number) => {
    let n = numbers.get(decimals);
    if (!n) {
      n = new Intl.NumberFormat(tag, { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
      numbers.set(decimals, n);
    }
    return n;
  };
  const sep = locale === 'zh' ? '' : ' ';
  return {
    dateTime: (ms) => dateTime.format(ms),
    date: (ms) => date.format(ms),
    number: (x, decimals = 0) => numberFormat(decimals).format(x),
    duration: (s) => {
      const total = Math.max(0, s < 60 ? Math.ceil(s) : Math.round(s));
      const min = Math.floor(total / 60);
      const sec = total - min * 60;
      if (min === 0) return seconds.format(sec);
      return sec === 0 ? minutes.format(min) : `${minutes.format(min)}${sep}${seconds.format(sec)}`;
    },
  };
}

export function useFormat(): Formatters {
  return formatters(useUiStore((s) => s.locale));
}

/**
 * Bytes for people: "512 B", "1.50 MB", "12.3 GB" (binary multiples, as the browser's storage
 * estimate). The one formatter every screen uses for sizes.
 */
export function formatBytes(n: number | null): string {
  if (n === null || !Number.isFinite(n)) return '—';
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v < 10 ? 2 : 1)} ${units[i]}`;
}

/** Fills `{name}` placeholders of a dictionary string. */
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (m, k: string) => (k in values ? String(values[k]) : m));
}
