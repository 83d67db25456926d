import type { FeatureMessages } from '../../app/i18n.ts';

type Key =
  | 'title'
  | 'cachedModels'
  | 'none'
  | 'model'
  | 'version'
  | 'size'
  | 'files'
  | 'verified'
  | 'verifiedYes'
  | 'verifiedNo'
  | 'cachedAt'
  | 'delete'
  | 'deleteAll'
  | 'refresh'
  | 'storage'
  | 'usage'
  | 'quota'
  | 'persisted'
  | 'yes'
  | 'no'
  | 'unknown'
  | 'bundled'
  | 'notice_no_space'
  | 'notice_quota_exceeded'
  | 'notice_unavailable'
  | 'notice_corrupt_refetched'
  | 'notice_partial_discarded'
  | 'notice_stale_removed'
  | 'notice_cached'
  | 'notice_hit'
  | 'explain'
  | 'siteTitle'
  | 'siteExplain'
  | 'bundledTag'
  | 'defaultTag'
  | 'fixtureTag'
  | 'siteTag'
  | 'select'
  | 'selected'
  | 'remove'
  | 'importModel'
  | 'importFolder'
  | 'importFiles'
  | 'importName'
  | 'importListName'
  | 'importListFile'
  | 'importing'
  | 'imported'
  | 'incomplete'
  | 'modelType'
  | 'weights'
  | 'calibratedTag'
  | 'ignoredFiles'
  | 'nothingStored'
  | 'listTitle'
  | 'listExplain'
  | 'bundledList'
  | 'drugsUnit'
  | 'importList'
  | 'listFormatNames'
  | 'listFormatFormulary'
  | 'unknownNote'
  | 'mappingNote'
  | 'unmappedNote'
  | 'collisionNote'
  | 'reportLine'
  | 'reportOk'
  | 'checkNames'
  | 'checking'
  | 'activeModel'
  | 'activeList'
  | 'storageError'
  | 'err_no_files'
  | 'err_missing_config'
  | 'err_missing_tokenizer'
  | 'err_missing_tokenizer_config'
  | 'err_missing_onnx'
  | 'err_empty_file'
  | 'err_bad_json'
  | 'err_unsupported_model_type'
  | 'err_missing_format_tokens'
  | 'err_bad_decoding'
  | 'err_bad_drug_order'
  | 'err_bad_manifest'
  | 'err_integrity_mismatch'
  | 'err_bad_name'
  | 'err_no_space'
  | 'err_quota_exceeded'
  | 'err_storage_failed'
  | 'err_list_bad_json'
  | 'err_list_invalid'
  | 'err_list_bad_name'
  | 'err_list_storage_failed';

export const modelsMessages: FeatureMessages<Key> = {
  zh: {
    title: '模型与缓存',
    cachedModels: '已缓存的模型（IndexedDB）',
    none: '尚未缓存任何模型。首次加载模型后会自动缓存，之后可离线使用。',
    model: '模型',
    version: '版本',
    size: '大小',
    files: '文件数',
    verified: '校验',
    verifiedYes: '已校验（大小 + SHA-256）',
    verifiedNo: '校验失败，下次加载时将重新下载',
    cachedAt: '缓存时间',
    delete: '删除',
    deleteAll: '全部删除',
    refresh: '刷新',
    storage: '本机存储',
    usage: '已用',
    quota: '配额',
    persisted: '持久存储',
    yes: '是',
    no: '否',
    unknown: '未知',
    bundled: '随应用发布的模型',
    notice_no_space: '存储空间不足，模型未缓存，本次在内存中运行（下次打开需重新下载）。',
    notice_quota_exceeded: '写入缓存时超出存储配额，模型未缓存，本次在内存中运行（下次打开需重新下载）。',
    notice_unavailable: '无法使用本机缓存（IndexedDB 不可用），本次在内存中运行。',
    notice_corrupt_refetched: '缓存的模型文件校验失败，已删除并重新下载。',
    notice_partial_discarded: '发现未完成的缓存（下载中断），已删除并重新下载。',
    notice_stale_removed: '已删除旧版本模型的缓存。',
    notice_cached: '模型已缓存并校验，之后可离线使用。',
    notice_hit: '模型从本机缓存加载（未联网下载）。',
    siteTitle: '选择模型',
    siteExplain: '可导入本院自己的模型文件夹（config.json、tokenizer.json、tokenizer_config.json、onnx/model*.onnx，可含 generation_config.json、decoding.json、drug_order.json）。文件只保存在本浏览器的 IndexedDB 中，逐个校验 SHA-256，推理时不联网。',
    bundledTag: '随应用发布',
    defaultTag: '默认',
    fixtureTag: '随机权重测试模型',
    siteTag: '本院模型',
    select: '使用',
    selected: '当前使用',
    remove: '移除',
    importModel: '导入模型文件夹',
    importFolder: '选择文件夹',
    importFiles: '或选择多个文件',
    importName: '名称（可选，默认用文件夹名）',
    importListName: '名称（可选，默认用文件名）',
    importListFile: '选择 JSON 文件',
    importing: '正在导入…',
    imported: '已导入',
    incomplete: '文件不完整，请重新导入',
    modelType: '架构',
    weights: '权重',
    calibratedTag: '已校准阈值',
    ignoredFiles: '未导入的无关文件',
    nothingStored: '未保存任何内容。',
    listTitle: '候选药品表',
    listExplain: '推荐只会从所选的候选药品表中产生。可导入 JSON：内置药品库格式，或药名数组（如 CHIP 官方 651 种药品）。类别与安全提示始终来自内置药品库。',
    bundledList: '内置药品库',
    drugsUnit: '种药品',
    importList: '导入候选药品表（JSON）',
    listFormatNames: '药名数组',
    listFormatFormulary: '药品库格式',
    unknownNote: '其中 {n} 个药名不在内置药品库中：这些药没有类别和安全提示（如 {eg}）。',
    mappingNote: '模型按其自身药名解码，结果按本列表的原始写法输出：{n} 个条目写法与模型药名不同（如 {eg}）。',
    unmappedNote: '{n} 个条目对应不到模型认识的药名，按原写法解码（如 {eg}）。',
    collisionNote: '{n} 个模型药名在本列表中有多种写法，只输出其中一种（如 {eg}）。',
    reportLine: '当前模型（{model}）的分词器无法写出其中 {unk} 个药名（含未登录字符），共 {excluded} 个已从推荐范围中排除，可用 {usable}/{total}。例如：{eg}',
    reportOk: '当前模型（{model}）可以写出全部 {total} 个药名。',
    checkNames: '用所选模型检查药名',
    checking: '正在检查…',
    activeModel: '模型',
    activeList: '候选药品表',
    storageError: '读取或写入本机存储失败：',
    err_no_files: '未选择任何文件。',
    err_missing_config: '模型文件夹缺少 config.json。',
    err_missing_tokenizer: '模型文件夹缺少分词器 tokenizer.json。',
    err_missing_tokenizer_config: '模型文件夹缺少 tokenizer_config.json。',
    err_missing_onnx: '模型文件夹缺少 ONNX 权重：onnx/ 下需要 model.onnx、model_quantized.onnx 或 model_q4.onnx 之一。',
    err_empty_file: '文件 {file} 是空的（复制可能中断）。',
    err_bad_json: '{file} 不是有效的 JSON。',
    err_unsupported_model_type: '不支持的模型类型“{detail}”：只支持 llama / qwen2 解码器（因果语言模型）。',
    err_missing_format_tokens: '分词器缺少药品列表所需的特殊符号：{detail}。',
    err_bad_decoding: 'decoding.json 无效。',
    err_bad_drug_order: 'drug_order.json 必须是药名数组。',
    err_bad_manifest: '完整性清单 manifest.json 格式有误：{detail}',
    err_integrity_mismatch: '完整性校验失败：{file} 与文件夹的 manifest.json 不符（{detail}），文件在导出后被改动或损坏。',
    err_bad_name: '名称无效：需要包含字母或数字。',
    err_no_space: '本机存储空间不足，无法导入。',
    err_quota_exceeded: '写入时超出存储配额，本次导入已撤销。',
    err_storage_failed: '写入本机存储（IndexedDB）失败。',
    err_list_bad_json: '候选药品表不是有效的 JSON（UTF-8）。',
    err_list_invalid: '候选药品表格式有误。',
    err_list_bad_name: '名称无效：需要包含字母或数字。',
    err_list_storage_failed: '写入本机存储（IndexedDB）失败。',
    explain: '模型文件只在首次加载时下载，按模型名 + 版本存入浏览器 IndexedDB，每个文件校验大小与 SHA-256；校验失败的缓存不会被使用。',
  },
  en: {
    title: 'Models & cache',
    cachedModels: 'Cached models (IndexedDB)',
    none: 'No model cached yet. The model is cached on its first load and then works offline.',
    model: 'Model',
    version: 'Version',
    size: 'Size',
    files: 'Files',
    verified: 'Verified',
    verifiedYes: 'Verified (size + SHA-256)',
    verifiedNo: 'Verification failed; it will be downloaded again on the next load',
    cachedAt: 'Cached',
    delete: 'Delete',
    deleteAll: 'Delete all',
    refresh: 'Refresh',
    storage: 'Storage on this device',
    usage: 'Used',
    quota: 'Quota',
    persisted: 'Persistent storage',
    yes: 'yes',
    no: 'no',
    unknown: 'unknown',
    bundled: 'Models shipped with the app',
    notice_no_space: 'Not enough storage space: the model was not cached and runs from memory (it downloads again next time).',
    notice_quota_exceeded: 'The storage quota was exceeded while caching: the model was not cached and runs from memory (it downloads again next time).',
    notice_unavailable: 'The on-device cache (IndexedDB) is unavailable: the model runs from memory.',
    notice_corrupt_refetched: 'A cached model file failed verification; it was deleted and downloaded again.',
    notice_partial_discarded: 'An incomplete cache (interrupted download) was found; it was deleted and downloaded again.',
    notice_stale_removed: 'The cache of an older model version was removed.',
    notice_cached: 'The model is cached and verified; it now works offline.',
    notice_hit: 'The model was loaded from the on-device cache (no download).',
    siteTitle: 'Model',
    siteExplain: "A site can import its own model folder (config.json, tokenizer.json, tokenizer_config.json, onnx/model*.onnx; optionally generation_config.json, decoding.json, drug_order.json). The files stay in this browser's IndexedDB, each checked by SHA-256; nothing is fetched when it runs.",
    bundledTag: 'shipped with the app',
    defaultTag: 'default',
    fixtureTag: 'random-weight test model',
    siteTag: 'site model',
    select: 'Use',
    selected: 'in use',
    remove: 'Remove',
    importModel: 'Import a model folder',
    importFolder: 'Pick a folder',
    importFiles: 'or pick several files',
    importName: 'Name (optional; default: the folder name)',
    importListName: 'Name (optional; default: the file name)',
    importListFile: 'Pick a JSON file',
    importing: 'Importing…',
    imported: 'Imported',
    incomplete: 'files incomplete; import it again',
    modelType: 'architecture',
    weights: 'weights',
    calibratedTag: 'calibrated threshold',
    ignoredFiles: 'files not imported',
    nothingStored: 'Nothing was stored.',
    listTitle: 'Candidate drug list',
    listExplain: 'Recommendations come only from the selected candidate list. Import a JSON file: the formulary format, or a plain array of drug names (e.g. the official 651-drug CHIP list). Classes and safety warnings always come from the bundled formulary.',
    bundledList: 'Bundled formulary',
    drugsUnit: 'drugs',
    importList: 'Import a candidate list (JSON)',
    listFormatNames: 'array of names',
    listFormatFormulary: 'formulary format',
    unknownNote: '{n} of its names are not in the bundled formulary: those drugs have no class and no safety warnings (e.g. {eg}).',
    mappingNote: 'The model decodes in its own drug names and answers in this list\'s exact spelling: {n} entries are spelled differently from the model\'s name (e.g. {eg}).',
    unmappedNote: '{n} entries map to no name the model knows and are decoded by their own spelling (e.g. {eg}).',
    collisionNote: '{n} model names have several spellings in this list; only one is produced (e.g. {eg}).',
    reportLine: 'The tokenizer of the current model ({model}) cannot write {unk} of these names (unknown characters); {excluded} are left out of the search, {usable}/{total} usable. E.g. {eg}',
    reportOk: 'The current model ({model}) can write all {total} names.',
    checkNames: 'Check the names with the selected model',
    checking: 'Checking…',
    activeModel: 'Model',
    activeList: 'Candidate list',
    storageError: 'Reading or writing on-device storage failed: ',
    err_no_files: 'No files were picked.',
    err_missing_config: 'The model folder has no config.json.',
    err_missing_tokenizer: 'The model folder has no tokenizer (tokenizer.json).',
    err_missing_tokenizer_config: 'The model folder has no tokenizer_config.json.',
    err_missing_onnx: 'The model folder has no ONNX weights: onnx/ needs model.onnx, model_quantized.onnx or model_q4.onnx.',
    err_empty_file: 'The file {file} is empty (an interrupted copy?).',
    err_bad_json: '{file} is not valid JSON.',
    err_unsupported_model_type: 'Unsupported model type "{detail}": only llama / qwen2 decoder-only (causal LM) models run here.',
    err_missing_format_tokens: 'The tokenizer lacks the special tokens the drug list needs: {detail}.',
    err_bad_decoding: 'decoding.json is not valid.',
    err_bad_drug_order: 'drug_order.json must be an array of drug names.',
    err_bad_manifest: 'The integrity manifest manifest.json is malformed: {detail}',
    err_integrity_mismatch: 'Integrity check failed: {file} does not match the folder\'s manifest.json ({detail}); it was altered or damaged after export.',
    err_bad_name: 'Invalid name: it needs a letter or a digit.',
    err_no_space: 'Not enough storage space on this device to import it.',
    err_quota_exceeded: 'The storage quota was exceeded while writing; the import was undone.',
    err_storage_failed: 'Writing to on-device storage (IndexedDB) failed.',
    err_list_bad_json: 'The candidate list is not valid JSON (UTF-8).',
    err_list_invalid: 'The candidate list is not valid.',
    err_list_bad_name: 'Invalid name: it needs a letter or a digit.',
    err_list_storage_failed: 'Writing to on-device storage (IndexedDB) failed.',
    explain: 'Model files are downloaded once, stored in the browser (IndexedDB) by model name + version, each checked for size and SHA-256; a cache that fails the check is never used.',
  },
};

export type ModelsMessageKey = Key;

/** `err_<code>` for a site import error code, or null for an unknown code. */
export function importErrorKey(code: string): Key | null {
  const k = `err_${code.replace(/-/g, '_')}`;
  return k in modelsMessages.en ? (k as Key) : null;
}

/** Fills `{name}` placeholders. */
export function fmt(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (m, k: string) => (k in values ? String(values[k]) : m));
}

export function noticeKey(kind: string): Key | null {
  const k = `notice_${kind.replace(/-/g, '_')}`;
  return k in modelsMessages.en ? (k as Key) : null;
}
