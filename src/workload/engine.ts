// The one scheduling engine every workload runs on. An open workload (rate, ramp, bursts, trace)
// is a Schedule of send times; each call goes out on its absolute deadline from the start (k6's
// arrival-rate executors: lateness never accumulates). When the timer fires late, every overdue
// call goes at once, each with its own lag. When `maxInFlight` calls are already out, a due call
// is dropped (reported through onDrop with its scheduled time), never queued. The closed loop
// (`runClosed`) schedules each call when a slot frees. Per call the engine allocates nothing of
// its own: the send's promise is chained to two bound methods.
// `connections` caps the calls out at once below `maxInFlight` (open workloads): a due call that
// finds every connection busy waits in the engine, in order, and goes out the moment one frees,
// its lag (sent minus scheduled) recorded: sent late, never silently delayed. Waiting calls count
// as in flight, so a call due while `maxInFlight` are out or waiting is still dropped.
import type { Clock } from "./clock";
import type { Schedule } from "./schedule";

/** Sends one call; resolves when it is done (its record written), rejects to stop the run. */
export type Send = (scheduledAt: number, sentAt: number, burst: number | null) => Promise<unknown>;

export interface EngineOptions {
  /** Calls in flight at most before due calls are dropped (open workloads). */
  maxInFlight: number;
  /** Calls out at once at most (default: maxInFlight); due calls beyond it wait and go late. */
  connections?: number;
  onDrop?: (scheduledAt: number, burst: number | null) => void;
  signal?: AbortSignal;
}

export class Engine {
  /** Calls sent and not yet done. */
  inFlight = 0;
  /** The most calls in flight at once (sent, or due and waiting for a connection). */
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
  /** Due calls waiting for a connection: scheduled times and bursts, oldest first from `head`. */
  private waitingAt: number[] = [];
  private waitingBurst: (number | null)[] = [];
  private head = 0;

  private get waiting(): number {
    return this.waitingAt.length - this.head;
  }

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
    if (this.inFlight + this.waiting > this.peakInFlight) this.peakInFlight = this.inFlight + this.waiting;
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
    if (this.waiting > 0) {
      if (this.stopped) this.clearWaiting();
      else {
        const i = this.head++;
        const at = this.waitingAt[i];
        const burst = this.waitingBurst[i];
        if (this.head === this.waitingAt.length) this.clearWaiting();
        this.launch(at, this.clock.now(), burst);
        return;
      }
    }
    this.settleIfDone();
  }

  /** Forgets the waiting calls (all sent, or the run stopped: unsent, like the rest of the schedule). */
  private clearWaiting(): void {
    this.waitingAt = [];
    this.waitingBurst = [];
    this.head = 0;
  }

  private settleIfDone(): void {
    if (this.inFlight === 0 && this.waiting === 0 && (this.stopped || (this.nextAt === Infinity && this.closedLeft === 0))) {
      const f = this.finish;
      this.finish = undefined;
      f?.();
    }
  }

  /** Sends every call whose time has come, then sets the timer for the next one. */
  private pump(): void {
    this.timer = undefined;
    const s = this.schedule!;
    const now = this.clock.now();
    while (this.nextAt !== Infinity && !this.stopped) {
      const due = this.origin + this.nextAt;
      if (due > now) {
        this.timer = this.clock.at(due, this.tick);
        return;
      }
      if (this.inFlight + this.waiting >= this.opts.maxInFlight) {
        this.dropped++;
        this.opts.onDrop?.(due, s.burst);
      } else if (this.inFlight >= (this.opts.connections ?? Infinity)) {
        this.waitingAt.push(due);
        this.waitingBurst.push(s.burst);
        if (this.inFlight + this.waiting > this.peakInFlight) this.peakInFlight = this.inFlight + this.waiting;
      } else {
        this.launch(due, now, s.burst);
      }
      this.nextAt = s.next();
    }
    this.settleIfDone();
  }

  /** Runs an open schedule from the clock's present; resolves when every call has finished. */
  runOpen(schedule: Schedule): Promise<void> {
    this.schedule = schedule;
    this.origin = this.clock.now();
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
