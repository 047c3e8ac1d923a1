// The warm-up of an open workload (issue 25): the same shape at its rate, on the same connections,
// flowing into the measured schedule with no pause (its last call one gap before the measured
// schedule's time zero), and how many connections to open before either starts.
import { OpenSchedule } from "./open";
import { formatDuration } from "./duration";
import { parseRamp } from "./ramp";
import { drain, type Schedule } from "./schedule";
import type { Workload } from "./workload";

/** `--warmup`: a count of calls, or a duration. */
export type WarmupSpec = { calls: number } | { ms: number };

/** `--warmup` as written in the provenance's plan: the count, or the duration (5s); 0 for none. */
export function warmupText(w: WarmupSpec | undefined): number | string {
  if (!w) return 0;
  return "calls" in w ? w.calls : formatDuration(w.ms);
}

/** About how many calls a warm-up sends (for progress): a count as it is, a duration at the open loop's rate. */
export function warmupCallsOf(w: WarmupSpec | undefined, measured: Schedule | undefined): number {
  if (!w) return 0;
  if ("calls" in w) return w.calls;
  return measured instanceof OpenSchedule ? Math.ceil((w.ms * measured.spec.rate) / 1000) : 0;
}

/**
 * The warm-up of an open loop, `OpenSchedule` at the workload's own rate and arrivals, and when the
 * measured schedule starts on its clock (ms after the warm-up's first call); undefined for shapes
 * with no steady rate to warm up at (ramp, burst, trace: they warm up with the closed loop).
 */
export function openWarmup(measured: Schedule, w: WarmupSpec): { schedule: Schedule; offsetMs: number } | undefined {
  if (!(measured instanceof OpenSchedule)) return undefined;
  const { rate, arrivals, seed } = measured.spec;
  if ("calls" in w) {
    if (w.calls === 0) return undefined;
    // Time zero one mean gap after the warm-up's last call (Poisson times drawn once ahead to find it).
    const spec = { rate, arrivals, seed: seed + 1, count: w.calls };
    const times = drain(new OpenSchedule(spec));
    return { schedule: new OpenSchedule(spec), offsetMs: times[times.length - 1] + 1000 / rate };
  }
  if (w.ms <= 0) return undefined;
  return { schedule: new OpenSchedule({ rate, arrivals, seed: seed + 1, durationMs: w.ms }), offsetMs: w.ms };
}

/** Two schedules as one: every time of the first, then every time of the second `offsetMs` later. */
export class Chained implements Schedule {
  readonly workload: Workload;
  readonly total: number | null;
  private inFirst = true;

  constructor(private readonly first: Schedule, private readonly second: Schedule, private readonly offsetMs: number) {
    this.workload = second.workload;
    this.total = first.total === null || second.total === null ? null : first.total + second.total;
  }

  get burst(): number | null {
    return this.inFirst ? this.first.burst : this.second.burst;
  }

  next(): number {
    if (this.inFirst) {
      const t = this.first.next();
      if (t !== Infinity) return t;
      this.inFirst = false;
    }
    const t = this.second.next();
    return t === Infinity ? t : t + this.offsetMs;
  }
}

/**
 * The round trip a connection count is sized for before any call is made: Lambda's warm Invoke
 * from the same region is ~10-30 ms, from farther away ~50-100 ms. Calls in flight at a steady
 * rate are rate x latency (Little's law); more are opened as needed, up to --max-in-flight.
 */
export const EXPECTED_LATENCY_MS = 50;

/** The calls a second at the workload's busiest, or (for bursts) its calls at once; null when not known ahead (trace). */
function peakOf(w: Workload): { perSecond: number } | { atOnce: number } | null {
  if (w.shape === "open" && typeof w.rate === "number") return { perSecond: w.rate };
  if (w.shape === "ramp" && typeof w.ramp === "string") return { perSecond: Math.max(...parseRamp(w.ramp).map((s) => s.target)) };
  if (w.shape === "burst" && typeof w.burst === "number") return { atOnce: w.burst };
  return null;
}

/**
 * Connections to open before time zero: the workload's calls in flight at its busiest (rate x
 * EXPECTED_LATENCY_MS, or a burst's size), at least 1, at most `maxInFlight`.
 */
export function connectionsFor(w: Workload, maxInFlight: number): number {
  const peak = peakOf(w);
  const need = peak === null ? 1 : "atOnce" in peak ? peak.atOnce : Math.ceil((peak.perSecond * EXPECTED_LATENCY_MS) / 1000);
  return Math.max(1, Math.min(maxInFlight, need));
}
