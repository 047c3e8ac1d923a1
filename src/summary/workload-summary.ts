// The workload's part of a run's summary (issue 13): what was scheduled against what was achieved,
// how late the sender was, and per burst its cold starts and tail. A fold over records like
// RunSummary, so `measure` and `report` agree.
import { Metric, type Stat } from "../stats/metric";
import { nearestRankValue } from "../stats/rank";
import type { InvocationRecord, Workload } from "../runs/record";
import { formatDuration } from "../workload/duration";
import { SecondSeries, type SecondPoint } from "./workload-series";

export interface BurstSummary {
  burst: number;
  n: number;
  cold: number;
  p50LatencyMs: number | null;
  p99LatencyMs: number | null;
}

/** One repetition's own figures (`--repeat`): its times run from its own start. */
export interface RepetitionRates {
  repetition: number;
  scheduled: number;
  dropped: number;
  targetRate: number | null;
  achievedRate: number | null;
}

export interface WorkloadSummaryJson {
  workload: Workload;
  /** Calls the schedule held (sent + dropped). */
  scheduled: number;
  dropped: number;
  /**
   * Calls a second the schedule asked for, and the rate the sends achieved, over the run's span;
   * with several repetitions, pooled: every repetition's calls over the sum of their own spans.
   */
  targetRate: number | null;
  achievedRate: number | null;
  /** With more than one repetition: each one's own rates (absent for one, so old output is unchanged). */
  repetitions?: RepetitionRates[];
  /**
   * Dropped calls by cause, when any was dropped for a cause other than --max-in-flight: "max in
   * flight", or the error code of a local resource limit (EMFILE, ENFILE, ...).
   */
  droppedBy?: Record<string, number>;
  lagMs: Stat;
  /**
   * Before the measured schedule's time zero (open workloads, from issue 25): connections opened
   * with no Invoke and the time that took, then the invoking warm-up's span (0 without --warmup).
   */
  warmup?: WarmupFigures;
  /** The most calls in flight at once (from the engine; null when read back from a file without it). */
  maxInFlight: number | null;
  bursts: BurstSummary[];
}

export interface WarmupFigures {
  connections: number;
  connectMs: number;
  ms: number;
}

/** Shapes whose calls leave on a schedule of times (the rest: the closed loop and idle probes). */
const TIMED = new Set(["open", "ramp", "trace", "burst"]);

/** One repetition's span and per-second series: each repetition's times are from its own start. */
class Repetition {
  scheduled = 0;
  dropped = 0;
  firstScheduled = Infinity;
  lastScheduled = -Infinity;
  firstSent = Infinity;
  lastSent = -Infinity;
  readonly series = new SecondSeries();
}

/** The drop cause of a record: the engine's (no error) or the local limit its error names. */
export const MAX_IN_FLIGHT = "max in flight";
const causeOf = (r: InvocationRecord) => (r.error === null ? MAX_IN_FLIGHT : r.error.split(":")[0]);

export class WorkloadSummary {
  private workload: Workload | undefined;
  private readonly lag = new Metric(1000);
  private readonly reps: Repetition[] = [];
  private readonly droppedBy = new Map<string, number>();
  /** Per burst: the calls' latencies (bursts are small: B calls each) and cold count. */
  private readonly perBurst: { latencies: number[]; n: number; cold: number }[] = [];
  /** Set by the engine, which sees every send and completion. */
  maxInFlight: number | null = null;
  /** Set by the run (not in the records): the last repetition's warm-up before time zero. */
  warmup: WarmupFigures | null = null;

  add(r: InvocationRecord): void {
    this.workload ??= r.workload;
    if (r.scheduledAt === null) return;
    const rep = (this.reps[r.repetition] ??= new Repetition());
    rep.scheduled++;
    if (r.scheduledAt < rep.firstScheduled) rep.firstScheduled = r.scheduledAt;
    if (r.scheduledAt > rep.lastScheduled) rep.lastScheduled = r.scheduledAt;
    const timed = TIMED.has(r.workload.shape) && r.workload.shape !== "burst";
    if (r.status === "dropped") {
      rep.dropped++;
      const cause = causeOf(r);
      this.droppedBy.set(cause, (this.droppedBy.get(cause) ?? 0) + 1);
      if (timed) rep.series.dropped(r.scheduledAt);
      return;
    }
    if (r.lagMs !== null) this.lag.record(r.lagMs);
    const cold = r.startKind === "cold";
    if (r.sentAt !== null) {
      if (r.sentAt < rep.firstSent) rep.firstSent = r.sentAt;
      if (r.sentAt > rep.lastSent) rep.lastSent = r.sentAt;
      if (timed) rep.series.sent(r.sentAt, r.scheduledAt, r.error === null ? r.latencyMs : null, cold);
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

  /** The per-second figures (open, ramp and trace runs), each repetition's from its own start. */
  seconds(): (SecondPoint & { repetition: number })[] {
    return this.reps.flatMap((rep, repetition) => rep.series.points().map((p) => ({ ...p, repetition })));
  }

  toJson(): WorkloadSummaryJson | null {
    const reps = this.reps.map((rep, repetition) => ({ rep, repetition })).filter((x) => x.rep);
    const scheduled = reps.reduce((n, x) => n + x.rep.scheduled, 0);
    if (!this.workload || scheduled === 0) return null;
    const dropped = reps.reduce((n, x) => n + x.rep.dropped, 0);
    // Calls a second, to 0.001: the send times are µs, so more digits would be noise (issue 18).
    // Pooled over repetitions: their gaps over the sum of their own spans (one repetition: n-1 over its span).
    const rate = (parts: [number, number, number][]) => {
      const gaps = parts.reduce((g, [n, a, b]) => g + (n > 1 && b > a ? n - 1 : 0), 0);
      const span = parts.reduce((t, [n, a, b]) => t + (n > 1 && b > a ? b - a : 0), 0);
      return gaps > 0 && span > 0 ? Math.round((gaps * 1e6) / span) / 1000 : null;
    };
    const target = (rep: Repetition): [number, number, number] => [rep.scheduled, rep.firstScheduled, rep.lastScheduled];
    const achieved = (rep: Repetition): [number, number, number] => [rep.scheduled - rep.dropped, rep.firstSent, rep.lastSent];
    const causes = [...this.droppedBy.keys()];
    return {
      workload: this.workload,
      scheduled,
      dropped,
      targetRate: rate(reps.map((x) => target(x.rep))),
      achievedRate: rate(reps.map((x) => achieved(x.rep))),
      ...(reps.length > 1 ? {
        repetitions: reps.map(({ rep, repetition }) => ({
          repetition, scheduled: rep.scheduled, dropped: rep.dropped, targetRate: rate([target(rep)]), achievedRate: rate([achieved(rep)]),
        })),
      } : {}),
      ...(causes.some((c) => c !== MAX_IN_FLIGHT) ? { droppedBy: Object.fromEntries(this.droppedBy) } : {}),
      lagMs: this.lag.stat(),
      ...(this.warmup ? { warmup: this.warmup } : {}),
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
  if (!w) return [];
  if (!TIMED.has(w.workload.shape)) return limitLines(w);
  const lines = [
    `workload  ${describeWorkload(w.workload)}`,
    `scheduled ${w.scheduled}  dropped ${w.dropped}  target ${fmt(w.targetRate, 1)}/s  achieved ${fmt(w.achievedRate, 1)}/s  ` +
      `most in flight ${w.maxInFlight ?? "-"}`,
    `lag ms  p50 ${fmt(w.lagMs.p50, 3)}  p99 ${fmt(w.lagMs.p99, 3)}  max ${fmt(w.lagMs.max, 3)}`,
  ];
  if (w.repetitions) {
    lines.push("repetitions kept apart (each timed from its own start); target and achieved above pool them: " +
      "their calls over the sum of their own spans; lag and latency pool every call");
    for (const r of w.repetitions) {
      lines.push(`  repetition ${r.repetition}  scheduled ${r.scheduled}  dropped ${r.dropped}  target ${fmt(r.targetRate, 1)}/s  achieved ${fmt(r.achievedRate, 1)}/s`);
    }
  }
  if (w.warmup) {
    lines.push(`before time zero  ${w.warmup.connections} connections opened in ${fmt(w.warmup.connectMs, 1)} ms (no Invoke)` +
      (w.warmup.ms > 0 ? `; warm-up ${formatDuration(w.warmup.ms)} of the workload, left out` : ""));
  }
  lines.push(...limitLines(w));
  if (w.bursts.length > 0) {
    lines.push("burst    n  cold  latency p50  latency p99");
    for (const b of w.bursts) {
      lines.push(`${String(b.burst).padStart(5)}  ${String(b.n).padStart(3)}  ${String(b.cold).padStart(4)}  ` +
        `${fmt(b.p50LatencyMs).padStart(11)}  ${fmt(b.p99LatencyMs).padStart(11)}`);
    }
  }
  return lines;
}

/** What each local resource limit is, and how to raise it. */
const LIMITS: Record<string, string> = {
  EMFILE: "the process's open-file limit (each connection is a file): see it with `ulimit -n`, raise it with `ulimit -n 65536` " +
    "(up to `ulimit -Hn`) in the shell that runs lambda-bench, or lower --max-in-flight",
  ENFILE: "the system's open-file limit: see it with `cat /proc/sys/fs/file-max` (Linux) or `sysctl kern.maxfiles` (macOS) and raise it, or lower --max-in-flight",
  EADDRNOTAVAIL: "no local port left for a new connection: widen net.ipv4.ip_local_port_range, or lower --max-in-flight",
  ENOBUFS: "the kernel ran out of socket buffers: lower --max-in-flight or the rate",
  ENOMEM: "the kernel could not allocate memory for a socket: lower --max-in-flight or the rate",
};

/** One line per local limit calls were dropped at: the count, the limit, and how to raise it. */
function limitLines(w: WorkloadSummaryJson): string[] {
  return Object.entries(w.droppedBy ?? {}).filter(([cause]) => cause !== MAX_IN_FLIGHT)
    .map(([cause, n]) => cause === "late-start"
      ? `dropped ${n} late-start: a shard was ready only after the run's start, and its calls due before were not sent (never shifted): give the workers a longer start margin`
      : `dropped ${n} at a local limit, ${cause}: ${LIMITS[cause] ?? "a local resource ran out"}`);
}
