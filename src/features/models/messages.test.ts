import { describe, expect, it } from 'vitest';
import type { SiteImportErrorCode } from '../../storage/site-models.ts';
import { fmt, importErrorKey, modelsMessages } from './messages.ts';

describe('site import errors in both languages', () => {
  it('the integrity codes have a zh and an en message naming the file and the detail', () => {
    for (const code of ['integrity-mismatch', 'bad-manifest'] satisfies SiteImportErrorCode[]) {
      const key = importErrorKey(code);
      expect(key, code).not.toBeNull();
      for (const lang of ['zh', 'en'] as const) {
        const text = fmt(modelsMessages[lang][key!], { file: 'onnx/model_quantized.onnx', detail: 'files[1].sha256' });
        expect(text).toContain(code === 'integrity-mismatch' ? 'onnx/model_quantized.onnx' : 'files[1].sha256');
        expect(text).not.toMatch(/\{\w+\}/);
      }
    }
  });
});
