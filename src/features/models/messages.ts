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
  | 'explain';

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
    explain: 'Model files are downloaded once, stored in the browser (IndexedDB) by model name + version, each checked for size and SHA-256; a cache that fails the check is never used.',
  },
};

export function noticeKey(kind: string): Key | null {
  const k = `notice_${kind.replace(/-/g, '_')}`;
  return k in modelsMessages.en ? (k as Key) : null;
}
