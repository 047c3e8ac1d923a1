// A ramp (`--ramp 30s:10,60s:200`), k6's ramping-arrival-rate: stages one after another, each
// moving the rate linearly from where the last ended (0 at the start) to its target over its
// duration. Call i leaves when the expected count (the integral of the rate) reaches i, so the
// times are exact, not stepped per second.
import type { Workload } from "./workload";
import { formatDuration, parseDuration } from "./duration";
import type { Schedule } from "./schedule";

export interface Stage {
  durationMs: number;
  /** Calls a second at the end of the stage. */
  target: number;
}

/** Parses `30s:10,60s:200`; throws an Error naming the bad stage. */
export function parseRamp(text: string): Stage[] {
  const stages = text.split(",").map((part, i) => {
    const m = /^\s*([^:]+):\s*(\d+(?:\.\d+)?)\s*$/.exec(part);
    if (!m) throw new Error(`stage ${i + 1} (${JSON.stringify(part)}) must be DURATION:RATE, e.g. 30s:100`);
    const durationMs = parseDuration(m[1], `stage ${i + 1}'s duration`);
    if (durationMs <= 0) throw new Error(`stage ${i + 1}'s duration must be above 0`);
    return { durationMs, target: Number(m[2]) };
  });
  return stages;
}

export class RampSchedule implements Schedule {
  readonly workload: Workload;
  readonly burst = null;
  readonly total: number;
  private i = 0;
  private stage = 0;
  /** Start time (ms), start rate (/s) and calls expected before the current stage. */
  private stageStart = 0;
  private stageRate = 0;
  private stageCount = 0;

  constructor(private readonly stages: Stage[], startRate = 0) {
    if (stages.length === 0) throw new Error("a ramp needs at least one stage");
    this.stageRate = startRate;
    let rate = startRate;
    let area = 0;
    for (const s of stages) {
      area += ((rate + s.target) / 2) * (s.durationMs / 1000);
      rate = s.target;
    }
    // Calls at expected counts 0, 1, ... strictly before the end.
    this.total = Math.ceil(area - 1e-9);
    this.workload = { shape: "ramp", ramp: stages.map((s) => `${formatDuration(s.durationMs)}:${s.target}`).join(",") };
  }

  next(): number {
    const k = this.i;
    while (this.stage < this.stages.length) {
      const s = this.stages[this.stage];
      const d = s.durationMs / 1000;
      const r0 = this.stageRate;
      const r1 = s.target;
      const need = k - this.stageCount;
      const stageArea = ((r0 + r1) / 2) * d;
      if (need < stageArea - 1e-9) {
        // Solve r0 t + a t^2 = need, a = (r1 - r0) / (2d), for its root in [0, d), in the form
        // that stays exact when a or r0 is 0 (no cancellation).
        const a = (r1 - r0) / (2 * d);
        const t = need === 0 ? 0 : (2 * need) / (r0 + Math.sqrt(r0 * r0 + 4 * a * need));
        this.i++;
        return this.stageStart + t * 1000;
      }
      this.stageStart += s.durationMs;
      this.stageCount += stageArea;
      this.stageRate = r1;
      this.stage++;
    }
    return Infinity;
  }
}
