/**
 * The clock behind EngineInfo.loadPhases: the engine and its host add the time of each load step
 * under its name (./protocol.ts TIMED_LOAD_PHASES). A step that runs more than once in a load
 * (two IndexedDB reads, two calibration files) adds up. performance.now() only: cheap enough to
 * stay on in production.
 */
import type { LoadPhaseTimings, TimedLoadPhase } from './protocol.ts';

export class PhaseClock {
  private readonly ms: LoadPhaseTimings = {};

  add(phase: TimedLoadPhase, ms: number): void {
    this.ms[phase] = (this.ms[phase] ?? 0) + Math.max(0, ms);
  }

  /** Runs `work` and adds its wall time to `phase`, also when it throws. */
  async time<T>(phase: TimedLoadPhase, work: () => Promise<T>): Promise<T> {
    const t0 = performance.now();
    try {
      return await work();
    } finally {
      this.add(phase, performance.now() - t0);
    }
  }

  /** The phases so far, rounded to 0.1 ms (a plain object: it crosses postMessage). */
  snapshot(): LoadPhaseTimings {
    const out: LoadPhaseTimings = {};
    for (const [phase, ms] of Object.entries(this.ms) as [TimedLoadPhase, number][]) out[phase] = Math.round(ms * 10) / 10;
    return out;
  }
}
