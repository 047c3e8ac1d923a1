// What every workload shape turns into: a stream of send times in milliseconds from the workload's
// start, non-decreasing, read one at a time (no array of a million times, no iterator objects on
// the hot path). The engine (engine.ts) sends each at its time.
import type { Workload } from "./workload";

export interface Schedule {
  /** The shape and parameters, written on every record. */
  readonly workload: Workload;
  /** The next send time (ms from the workload's start), or Infinity when the schedule is done. */
  next(): number;
  /** The 0-based burst of the time `next` last returned; null for shapes without bursts. */
  readonly burst: number | null;
  /** Calls the schedule holds, when known in advance (for progress); null otherwise. */
  readonly total: number | null;
}

/** Every time of a schedule, for tests and small schedules (never on the hot path). */
export function drain(s: Schedule, limit = 10_000_000): number[] {
  const out: number[] = [];
  for (let t = s.next(); t !== Infinity && out.length < limit; t = s.next()) out.push(t);
  return out;
}
