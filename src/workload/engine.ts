// The one scheduling engine every workload runs on. An open workload (rate, ramp, bursts, trace)
// is a Schedule of send times; each call goes out on its absolute deadline from the start (k6's
// arrival-rate executors: lateness never accumulates). When the timer fires late, every overdue
// call goes at once, each with its own lag. Between wakes the engine sleeps on a real timer, set
// for the next deadline but never less than a tick (1 ms, Node's timer resolution) ahead: one wake
// sends every call that is due (wrk2 sends per 1 ms tick too), so at 10,000 calls a second a
// wake sends ~10 and the process never spins. A call's completion is a wake too: once the oldest
// due call has waited half a tick, a completion sends it and every call due with it (at 10,000
// calls a second: lag p99 2.4 -> 1.7 ms for ~2% more CPU a call; sending on every completion gave
// 1.4 ms for 38% more, bench:open-loop A/B, 3 rounds). When `maxInFlight` calls are already out, a due call
// is dropped (reported through onDrop with its scheduled time), never queued. The closed loop
// (`runClosed`) schedules each call when a slot frees. Per call the engine allocates nothing of
// its own: the send's promise is chained to two bound methods.
import type { Clock } from "./clock";
import type { Schedule } from "./schedule";

/** Sends one call; resolves when it is done (its record written), rejects to stop the run. */
export type Send = (scheduledAt: number, sentAt: number, burst: number | null) => Promise<unknown>;

export interface EngineOptions {
  /** Calls in flight at most before due calls are dropped (open workloads). */
  maxInFlight: number;
  onDrop?: (scheduledAt: number, burst: number | null) => void;
  signal?: AbortSignal;
  /** The shortest wait the engine sets a timer for when nothing is due (ms; default 1, Node's resolution). */
  tickMs?: number;
}

export const DEFAULT_TICK_MS = 1;

export class Engine {
  inFlight = 0;
  /** The most calls in flight at once. */
  peakInFlight = 0;
  sent = 0;
  dropped = 0;
  /** The first error a send rejected with: no call is sent after it. */
  error: unknown;
  private failed = false;
  private finish: (() => void) | undefined;
  private schedule: Schedule | undefined;
  private origin = 0;
  private nextAt = Infinity;
  private closedLeft = 0;
  /** The pending timer for the next deadline. */
  private timer: unknown;
  private readonly done = () => this.complete();
  private readonly fail = (err: unknown) => {
    if (!this.failed) {
      this.failed = true;
      this.error = err;
      this.cancelTimer();
    }
    this.complete();
  };
  private readonly tick = () => this.pump();

  constructor(private readonly clock: Clock, private readonly send: Send, private readonly opts: EngineOptions) {
    // An abort between two far-apart sends (bursts minutes apart) ends the run now, not at the next one.
    opts.signal?.addEventListener("abort", () => {
      this.cancelTimer();
      this.settleIfDone();
    }, { once: true });
  }

  private cancelTimer(): void {
    if (this.timer !== undefined) this.clock.cancel(this.timer);
    this.timer = undefined;
  }

  private get stopped(): boolean {
    return this.failed || this.opts.signal?.aborted === true;
  }

  private launch(scheduledAt: number, now: number, burst: number | null): void {
    this.inFlight++;
    if (this.inFlight > this.peakInFlight) this.peakInFlight = this.inFlight;
    this.sent++;
    let p: Promise<unknown>;
    try {
      p = this.send(scheduledAt, now, burst);
    } catch (err) {
      p = Promise.reject(err);
    }
    p.then(this.done, this.fail);
  }

  private complete(): void {
    this.inFlight--;
    if (this.closedLeft > 0 && !this.stopped) {
      this.closedLeft--;
      this.launch(this.clock.now(), this.clock.now(), null);
      return;
    }
    // A completion is a wake the process has anyway: once the oldest due call has waited half a
    // tick, it and every call due with it go now rather than at the next tick (at 10,000 calls a
    // second a completion comes every 0.1 ms). Half a tick, not at once: sends still leave a few
    // at a time. The pending timer stays; it finds less to send.
    if (this.nextAt !== Infinity && !this.stopped) {
      const now = this.clock.now();
      if (this.origin + this.nextAt + (this.opts.tickMs ?? DEFAULT_TICK_MS) / 2 <= now) this.sendDue(now);
    }
    this.settleIfDone();
  }

  private settleIfDone(): void {
    if (this.inFlight === 0 && (this.stopped || (this.nextAt === Infinity && this.closedLeft === 0))) {
      const f = this.finish;
      this.finish = undefined;
      f?.();
    }
  }

  /** The timer's wake: sends every call whose time has come, then sets the timer for the next one. */
  private pump(): void {
    this.timer = undefined;
    const now = this.clock.now();
    this.sendDue(now);
    if (this.nextAt !== Infinity && !this.stopped) {
      // Sleep until the deadline, and never for less than a tick: a call due sooner waits for
      // the next wake or completion (its lag recorded) with the others due by then.
      this.timer = this.clock.at(Math.max(this.origin + this.nextAt, now + (this.opts.tickMs ?? DEFAULT_TICK_MS)), this.tick);
      return;
    }
    this.settleIfDone();
  }

  /** Sends (or drops, when maxInFlight are out) every call due by `now`. */
  private sendDue(now: number): void {
    const s = this.schedule!;
    while (this.nextAt !== Infinity && !this.stopped) {
      const due = this.origin + this.nextAt;
      if (due > now) return;
      if (this.inFlight >= this.opts.maxInFlight) {
        this.dropped++;
        this.opts.onDrop?.(due, s.burst);
      } else {
        this.launch(due, now, s.burst);
      }
      this.nextAt = s.next();
    }
  }

  /**
   * Runs an open schedule whose time 0 is `origin` on the clock (by default its present); resolves
   * when every call has finished.
   */
  runOpen(schedule: Schedule, origin = this.clock.now()): Promise<void> {
    this.schedule = schedule;
    this.origin = origin;
    this.nextAt = schedule.next();
    return new Promise((resolve) => {
      this.finish = resolve;
      this.pump();
    });
  }

  /** The closed loop: n calls, c in flight, each scheduled when a slot frees. */
  runClosed(n: number, c: number): Promise<void> {
    return new Promise((resolve) => {
      this.finish = resolve;
      const first = Math.min(n, c);
      this.closedLeft = n - first;
      if (first === 0) return resolve();
      for (let i = 0; i < first && !this.stopped; i++) {
        const now = this.clock.now();
        this.launch(now, now, null);
      }
      this.settleIfDone();
    });
  }
}
