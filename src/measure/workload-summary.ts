// The workload's part of a run's summary (issue 13): what was scheduled against what was achieved,
// how late the sender was, and per burst its cold starts and tail. A fold over records like
// RunSummary, so `measure` and `report` agree.
import { Metric, type Stat } from "./stats";
import type { InvocationRecord, Workload } from "./record";

export interface BurstSummary {
  burst: number;
  n: number;
  cold: number;
  p50LatencyMs: number | null;
  p99LatencyMs: number | null;
}

export interface WorkloadSummaryJson {
  workload: Workload;
  /** Calls the schedule held (sent + dropped). */
  scheduled: number;
  dropped: number;
  /** Calls a second the schedule asked for, and the rate the sends achieved, over the run's span. */
  targetRate: number | null;
  achievedRate: number | null;
  lagMs: Stat;
  /** The most calls in flight at once (from the engine; null when read back from a file without it). */
  maxInFlight: number | null;
  bursts: BurstSummary[];
}

export class WorkloadSummary {
  private workload: Workload | undefined;
  private scheduled = 0;
  private dropped = 0;
  private readonly lag = new Metric(1000);
  private firstScheduled = Infinity;
  private lastScheduled = -Infinity;
  private firstSent = Infinity;
  private lastSent = -Infinity;
  /** Set by the engine, which sees every send and completion. */
  maxInFlight: number | null = null;

  add(r: InvocationRecord): void {
    this.workload ??= r.workload;
    if (r.scheduledAt === null) return;
    this.scheduled++;
    this.firstScheduled = Math.min(this.firstScheduled, r.scheduledAt);
    this.lastScheduled = Math.max(this.lastScheduled, r.scheduledAt);
    if (r.status === "dropped") {
      this.dropped++;
      return;
    }
    if (r.lagMs !== null) this.lag.record(r.lagMs);
    if (r.sentAt !== null) {
      this.firstSent = Math.min(this.firstSent, r.sentAt);
      this.lastSent = Math.max(this.lastSent, r.sentAt);
    }
  }

  toJson(): WorkloadSummaryJson | null {
    if (!this.workload || this.scheduled === 0) return null;
    const rate = (n: number, a: number, b: number) => (n > 1 && b > a ? ((n - 1) * 1000) / (b - a) : null);
    return {
      workload: this.workload,
      scheduled: this.scheduled,
      dropped: this.dropped,
      targetRate: rate(this.scheduled, this.firstScheduled, this.lastScheduled),
      achievedRate: rate(this.scheduled - this.dropped, this.firstSent, this.lastSent),
      lagMs: this.lag.stat(),
      maxInFlight: this.maxInFlight,
      bursts: [],
    };
  }
}
