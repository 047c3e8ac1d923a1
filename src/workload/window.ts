// One window of a schedule (issue 28): the Lambda generator cuts a long run into windows of at
// most 840 s, each one driver invocation. Window w sends the schedule's times in
// [fromMs, toMs) and nothing else: the times before it belong to earlier windows (skipped, never
// recorded: another invocation sent them), and the window ends at toMs (the next one sends the rest).
// The times are the schedule's own (ms from the run's time 0), never shifted to the window.
import type { Schedule } from "./schedule";

export class Windowed implements Schedule {
  readonly workload;
  /** How many calls fall in the window is not known without reading it through: null. */
  readonly total = null;
  burst: number | null = null;
  private ended = false;

  constructor(private readonly inner: Schedule, readonly fromMs: number, readonly toMs: number) {
    if (!(toMs > fromMs)) throw new Error(`a window must end after it starts; got [${fromMs}, ${toMs})`);
    this.workload = inner.workload;
  }

  next(): number {
    if (this.ended) return Infinity;
    let t = this.inner.next();
    while (t < this.fromMs) t = this.inner.next();
    if (t >= this.toMs) {
      this.ended = true;
      return Infinity;
    }
    this.burst = this.inner.burst;
    return t;
  }
}

/** `schedule`'s times in [fromMs, toMs), unshifted. */
export const windowed = (schedule: Schedule, fromMs: number, toMs: number): Schedule => new Windowed(schedule, fromMs, toMs);
