/**
 * The hand-encoded Identity model (./identity-model.ts) is a model onnxruntime really loads and
 * runs: onnxruntime-node parses the same bytes onnxruntime-web gets in the worker.
 */
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { IDENTITY_MODEL } from './identity-model.ts';

describe('IDENTITY_MODEL', () => {
  it('loads in onnxruntime and returns its float32[1] input unchanged', async () => {
    const session = await ort.InferenceSession.create(IDENTITY_MODEL);
    try {
      expect(session.inputNames).toEqual(['x']);
      expect(session.outputNames).toEqual(['y']);
      const out = await session.run({ x: new ort.Tensor('float32', Float32Array.of(2.5), [1]) });
      expect(out['y']!.dims).toEqual([1]);
      expect(Array.from(out['y']!.data as Float32Array)).toEqual([2.5]);
    } finally {
      await session.release();
    }
  });
});
