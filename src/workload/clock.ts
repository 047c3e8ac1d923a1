// The engine's time: a clock (ms from an origin, monotonic) and a timer that calls back at an
// absolute deadline of that clock. The real ones are performance.now and setTimeout; FakeClock
// lets tests move time by hand, fire timers late on purpose, and never sleep.
import { performance } from "node:perf_hooks";

export interface Clock {
  now(): number;
  /** Calls `fn` once, at or after `deadline` (clock ms). */
  at(deadline: number, fn: () => void): void;
}

/** The process's monotonic clock, in ms from when this clock was made (the run's start). */
export class RealClock implements Clock {
  private readonly origin = performance.now();

  now(): number {
    return performance.now() - this.origin;
  }

  at(deadline: number, fn: () => void): void {
    // Node's timers have 1 ms resolution: wait whole ms until the deadline is under 1 ms away,
    // then yield once to I/O (setImmediate) and look again, so a call leaves within a fraction of
    // a millisecond of its time without spinning the CPU for long.
    const wait = deadline - this.now();
    if (wait >= 1) setTimeout(fn, Math.floor(wait));
    else setImmediate(fn);
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

  at(deadline: number, fn: () => void): void {
    this.timers.push({ deadline: deadline + this.lateBy, fn });
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
