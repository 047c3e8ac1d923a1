// A shard's start barrier (issue 28, DESIGN 5a): every shard of a run sleeps until the run's
// common start and anchors its schedule there. A shard that is ready only after that start (its
// process was slow to come up) must not shift its schedule: the calls whose time passed before it
// could start are dropped (each reported, with cause `late-start`), the rest go at their own times.
import type { Clock } from "./clock";
import type { Schedule } from "./schedule";

/** The cause a late shard's missed calls are recorded with (the record's `error`, before its detail). */
export const LATE_START = "late-start";

/**
 * Resolves at `deadline` on the clock (at once if it has passed), or as soon as `signal` aborts.
 * Resolves with the clock's time when it woke.
 */
export function sleepUntil(clock: Clock, deadline: number, signal?: AbortSignal): Promise<number> {
  return new Promise((resolve) => {
    if (signal?.aborted || clock.now() >= deadline) return resolve(clock.now());
    const wake = () => {
      signal?.removeEventListener("abort", early);
      resolve(clock.now());
    };
    const timer = clock.at(deadline, wake);
    const early = () => {
      clock.cancel(timer);
      resolve(clock.now());
    };
    signal?.addEventListener("abort", early, { once: true });
  });
}

/**
 * `inner` without its calls due before `readyAt` (times in ms from the schedule's time 0, so
 * `readyAt` is how late the shard was ready): each one is passed to `onMissed` with its burst, in
 * order, when the first call is asked for. The times after are the inner schedule's, unshifted.
 */
export class SkipMissed implements Schedule {
  readonly workload;
  readonly total;
  burst: number | null = null;
  private skipped = false;

  constructor(private readonly inner: Schedule, private readonly readyAt: number,
    private readonly onMissed: (t: number, burst: number | null) => void) {
    this.workload = inner.workload;
    this.total = inner.total;
  }

  next(): number {
    let t = this.inner.next();
    if (!this.skipped) {
      this.skipped = true;
      while (t !== Infinity && t < this.readyAt) {
        this.onMissed(t, this.inner.burst);
        t = this.inner.next();
      }
    }
    this.burst = this.inner.burst;
    return t;
  }
}
