// The workload's part of a run's summary (issue 13): what was scheduled against what was achieved,
// how late the sender was, and per burst its cold starts and tail. A fold over records like
// RunSummary, so `measure` and `report` agree.
import { Metric, type Stat } from "../stats/metric";
import { nearestRankValue } from "../stats/rank";
import type { InvocationRecord, Workload } from "../runs/record";
import { SecondSeries, type SecondPoint } from "./workload-series";

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

/** Shapes whose calls leave on a schedule of times (the rest: the closed loop and idle probes). */
const TIMED = new Set(["open", "ramp", "trace", "burst"]);

export class WorkloadSummary {
  private workload: Workload | undefined;
  private scheduled = 0;
  private dropped = 0;
  private readonly lag = new Metric(1000);
  private firstScheduled = Infinity;
  private lastScheduled = -Infinity;
  private firstSent = Infinity;
  private lastSent = -Infinity;
  /** Per burst: the calls' latencies (bursts are small: B calls each) and cold count. */
  private readonly perBurst: { latencies: number[]; n: number; cold: number }[] = [];
  /** Per second of the run (open, ramp, trace): for the report's time charts. */
  readonly series = new SecondSeries();
  /** Set by the engine, which sees every send and completion. */
  maxInFlight: number | null = null;

  add(r: InvocationRecord): void {
    this.workload ??= r.workload;
    if (r.scheduledAt === null) return;
    this.scheduled++;
    if (r.scheduledAt < this.firstScheduled) this.firstScheduled = r.scheduledAt;
    if (r.scheduledAt > this.lastScheduled) this.lastScheduled = r.scheduledAt;
    const timed = TIMED.has(r.workload.shape) && r.workload.shape !== "burst";
    if (r.status === "dropped") {
      this.dropped++;
      if (timed) this.series.dropped(r.scheduledAt);
      return;
    }
    if (r.lagMs !== null) this.lag.record(r.lagMs);
    const cold = r.startKind === "cold";
    if (r.sentAt !== null) {
      if (r.sentAt < this.firstSent) this.firstSent = r.sentAt;
      if (r.sentAt > this.lastSent) this.lastSent = r.sentAt;
      if (timed) this.series.sent(r.sentAt, r.scheduledAt, r.error === null ? r.latencyMs : null, cold);
    }
    if (r.burst !== null) {
      const b = (this.perBurst[r.burst] ??= { latencies: [], n: 0, cold: 0 });
      b.n++;
      if (cold) b.cold++;
      if (r.latencyMs !== null && r.error === null) b.latencies.push(r.latencyMs);
    }
  }

  /** Per burst: calls, cold starts, and latency p50/p99 (nearest rank, exact). */
  bursts(): (BurstSummary & { latencies: number[] })[] {
    const out: (BurstSummary & { latencies: number[] })[] = [];
    this.perBurst.forEach((b, burst) => {
      if (!b) return;
      const sorted = [...b.latencies].sort((x, y) => x - y);
      out.push({ burst, n: b.n, cold: b.cold, p50LatencyMs: nearestRankValue(sorted, 0.5) ?? null, p99LatencyMs: nearestRankValue(sorted, 0.99) ?? null, latencies: sorted });
    });
    return out;
  }

  /** The per-second figures (open, ramp and trace runs). */
  seconds(): SecondPoint[] {
    return this.series.points();
  }

  toJson(): WorkloadSummaryJson | null {
    if (!this.workload || this.scheduled === 0) return null;
    // Calls a second, to 0.001: the send times are µs, so more digits would be noise (issue 18).
    const rate = (n: number, a: number, b: number) => (n > 1 && b > a ? Math.round(((n - 1) * 1e6) / (b - a)) / 1000 : null);
    return {
      workload: this.workload,
      scheduled: this.scheduled,
      dropped: this.dropped,
      targetRate: rate(this.scheduled, this.firstScheduled, this.lastScheduled),
      achievedRate: rate(this.scheduled - this.dropped, this.firstSent, this.lastSent),
      lagMs: this.lag.stat(),
      maxInFlight: this.maxInFlight,
      bursts: this.bursts().map(({ latencies: _, ...b }) => b),
    };
  }
}

const fmt = (x: number | null, digits = 2) => (x === null ? "-" : x.toFixed(digits));

/** A workload's parameters as `key value` pairs, the shape first. */
export function describeWorkload(w: Workload): string {
  return Object.entries(w).map(([k, v]) => (k === "shape" ? String(v) : `${k} ${v}`)).join("  ");
}

/**
 * The workload's lines under the summary table (whose `latency ms` row is the latency from the
 * schedule): nothing for the closed loop (its output is as it was); for the others the schedule
 * against what was achieved, the lag, and per burst its cold starts and tail.
 */
export function formatWorkload(w: WorkloadSummaryJson | null): string[] {
  if (!w || !TIMED.has(w.workload.shape)) return [];
  const lines = [
    `workload  ${describeWorkload(w.workload)}`,
    `scheduled ${w.scheduled}  dropped ${w.dropped}  target ${fmt(w.targetRate, 1)}/s  achieved ${fmt(w.achievedRate, 1)}/s  ` +
      `most in flight ${w.maxInFlight ?? "-"}`,
    `lag ms  p50 ${fmt(w.lagMs.p50, 3)}  p99 ${fmt(w.lagMs.p99, 3)}  max ${fmt(w.lagMs.max, 3)}`,
  ];
  if (w.bursts.length > 0) {
    lines.push("burst    n  cold  latency p50  latency p99");
    for (const b of w.bursts) {
      lines.push(`${String(b.burst).padStart(5)}  ${String(b.n).padStart(3)}  ${String(b.cold).padStart(4)}  ` +
        `${fmt(b.p50LatencyMs).padStart(11)}  ${fmt(b.p99LatencyMs).padStart(11)}`);
    }
  }
  return lines;
}
