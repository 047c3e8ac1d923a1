// The engine's time: a clock (ms from an origin, monotonic) and a timer that calls back at an
// absolute deadline of that clock. The real ones are performance.now and setTimeout; FakeClock
// lets tests move time by hand, fire timers late on purpose, and never sleep.
import { performance } from "node:perf_hooks";

export interface Clock {
  now(): number;
  /** Calls `fn` once, at or after `deadline` (clock ms); returns a token for `cancel`. */
  at(deadline: number, fn: () => void): unknown;
  /** Cancels a pending `at` (a run stopped between two far-apart sends exits at once). */
  cancel(token: unknown): void;
}

/** The process's monotonic clock, in ms from when this clock was made (the run's start). */
export class RealClock implements Clock {
  private readonly origin = performance.now();

  now(): number {
    return performance.now() - this.origin;
  }

  at(deadline: number, fn: () => void): unknown {
    // Node's timers have 1 ms resolution. A deadline under 0.25 ms away is met by yielding once to
    // I/O (setImmediate) and looking again: at high rates there is always a call about due, and
    // this keeps each within a fraction of a millisecond. Farther deadlines wait on a timer (at
    // least 1 ms), so low rates do not spin the CPU between calls (which on a small machine
    // would take it from the very server being measured).
    const wait = deadline - this.now();
    return wait < 0.25 ? setImmediate(fn) : setTimeout(fn, Math.max(1, Math.round(wait)));
  }

  cancel(token: unknown): void {
    clearTimeout(token as NodeJS.Timeout);
    clearImmediate(token as NodeJS.Immediate);
  }
}

/** A clock moved by hand. Timers fire when `advance` passes their deadline (or later, with `lateBy`). */
export class FakeClock implements Clock {
  private t = 0;
  private timers: { deadline: number; fn: () => void }[] = [];
  /** Every timer fires this much after its deadline (a busy event loop, simulated). */
  lateBy = 0;

  now(): number {
    return this.t;
  }

  at(deadline: number, fn: () => void): unknown {
    const timer = { deadline: deadline + this.lateBy, fn };
    this.timers.push(timer);
    return timer;
  }

  cancel(token: unknown): void {
    this.timers = this.timers.filter((t) => t !== token);
  }

  get pending(): number {
    return this.timers.length;
  }

  /** Moves time forward to `to`, firing each due timer at its own (possibly late) time, in order. */
  advanceTo(to: number): void {
    for (;;) {
      this.timers.sort((a, b) => a.deadline - b.deadline);
      const first = this.timers[0];
      if (!first || first.deadline > to) break;
      this.timers.shift();
      this.t = Math.max(this.t, first.deadline);
      first.fn();
    }
    this.t = Math.max(this.t, to);
  }

  advance(ms: number): void {
    this.advanceTo(this.t + ms);
  }
}
