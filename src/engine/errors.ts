/**
 * The one error class of the engine layer. ModelEngine throws it, the worker posts it as plain
 * data (`toData`), the client rebuilds it (`fromData`) and the UI maps its code to a message in
 * both languages (`err_<code>` in src/app/i18n.ts). No other error type crosses the worker boundary.
 */
import type { BackendAttempt, EngineErrorCode, EngineErrorData } from './protocol.ts';

export class EngineError extends Error {
  override readonly name = 'EngineError';
  constructor(
    readonly code: EngineErrorCode,
    message: string,
    /** With 'webgpu-failed': the plan's WASM attempt (src/worker/backend-plan.ts), reason included. */
    readonly fallback?: BackendAttempt,
  ) {
    super(message);
  }

  toData(): EngineErrorData {
    return { code: this.code, message: this.message, ...(this.fallback ? { fallback: this.fallback } : {}) };
  }

  static fromData(d: EngineErrorData): EngineError {
    return new EngineError(d.code, d.message, d.fallback);
  }
}

export function isEngineError(e: unknown): e is EngineError {
  return e instanceof EngineError;
}

/** Text of any thrown value (onnxruntime-web throws bare numbers). */
export function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message;
  if (typeof e === 'number') return `onnxruntime error code ${e}`;
  return String(e);
}

/** Any thrown value → EngineError (an AbortError is 'aborted'; anything else becomes `fallback`). */
export function toEngineError(e: unknown, fallback: EngineErrorCode = 'inference-failed'): EngineError {
  if (e instanceof EngineError) return e;
  if (e && typeof e === 'object' && (e as { name?: unknown }).name === 'AbortError') return new EngineError('aborted', errorMessage(e));
  return new EngineError(fallback, errorMessage(e));
}
