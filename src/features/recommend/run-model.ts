/**
 * The clinician screen's model call: like engine-instance's recommendWithModel(), but it asks
 * the worker to decode with stopThreshold 0 (never stop early) so the page gets the whole
 * undecided trajectory and applies the calibrated threshold itself (the "fewer ↔ more" slider
 * re-thresholds without another request). Status goes to the engine store as usual.
 */
import { toEngineError, EngineError } from '../../engine/client.ts';
import { ensureModelLoaded, getEngineClient } from '../../engine/engine-instance.ts';
import type { EngineInfo, RecommendResult } from '../../engine/protocol.ts';
import { searchOptions } from '../../decoding/policy.ts';
import { useEngineStore } from '../../state/engine-store.ts';
import { useNoteStore } from '../../state/note-store.ts';
import type { EngineSettings } from '../../state/ui-store.ts';

/** Policy constants live with the decoder so the page, the CLI and calibration share them. */
export { FALLBACK_STOP_THRESHOLD } from '../../decoding/policy.ts';

let current: AbortController | null = null;

export async function recommendUndecided(
  record: Record<string, unknown>,
  settings: Pick<EngineSettings, 'backend' | 'dtype' | 'modelId'>,
): Promise<{ result: RecommendResult; info: EngineInfo }> {
  current?.abort(new DOMException('superseded by a newer request', 'AbortError'));
  const controller = new AbortController();
  current = controller;
  const t0 = performance.now();
  useEngineStore.getState().patch({ running: true, error: null });
  try {
    const info = await ensureModelLoaded(settings);
    if (controller.signal.aborted) throw new EngineError('aborted', 'aborted');
    useNoteStore.getState().countModelRequest();
    const result = await getEngineClient().recommend(
      { record, settings: searchOptions(info.decoding) },
      { signal: controller.signal },
    );
    useEngineStore.getState().patch({
      inferenceMs: result.inferenceMs,
      totalMs: performance.now() - t0,
      backend: result.backend,
      dtype: result.dtype,
    });
    return { result, info: getEngineClient().loaded ?? info };
  } catch (e) {
    const err = toEngineError(e);
    if (err.code !== 'aborted') useEngineStore.getState().patch({ error: { code: err.code, message: err.message } });
    throw err;
  } finally {
    if (current === controller) {
      current = null;
      useEngineStore.getState().patch({ running: false });
    }
  }
}

export function cancelUndecided(): void {
  current?.abort(new DOMException('cancelled by the user', 'AbortError'));
}
