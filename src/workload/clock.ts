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
    // Always a real timer, never a yield-and-look-again loop: Node's timers have 1 ms resolution
    // and the engine asks for no wait under its tick (1 ms), so the process sleeps between wakes
    // at every rate. Rounded, not ceiled: Node counts a timer's wait from the loop's cached
    // millisecond, so it already fires up to ~1 ms after the exact deadline; the engine re-arms
    // (for at least a tick) on the rare wake that comes early.
    return setTimeout(fn, Math.max(1, Math.round(deadline - this.now())));
  }

  cancel(token: unknown): void {
    clearTimeout(token as NodeJS.Timeout);
  }
}

/** A clock moved by hand. Timers fire when `advance` passes their deadline (or later, with `lateBy`). */
export class FakeClock implements Clock {
  private t = 0;
  private timers: { deadline: number; fn: () => void }[] = [];
  /** Every timer fires this much after its deadline (a busy event loop, simulated). */
  lateBy = 0;
  /** How far ahead of the clock each timer was armed (deadline - now), in order: what a real timer would wait. */
  readonly waits: number[] = [];

  now(): number {
    return this.t;
  }

  at(deadline: number, fn: () => void): unknown {
    this.waits.push(deadline - this.t);
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
