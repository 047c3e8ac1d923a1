// Streaming statistics: HDR histograms, so a million invocations cost the same memory as a hundred.
// Percentiles are nearest-rank, to 3 significant digits; mean and max are exact.
// Values are scaled to integers (µs for client times, 1/100 ms for REPORT times, which have 2 decimals).
import * as hdr from "hdr-histogram-js";
import type { InvocationRecord } from "./record";

export interface Stat {
  n: number;
  mean: number | null;
  p50: number | null;
  p90: number | null;
  p99: number | null;
  max: number | null;
  /** Distribution-free 95% confidence interval of the median; null when n < 8. */
  p50Ci95: [number, number] | null;
}

/** One measured quantity. Values are stored as integers of 1/scale units. */
export class Metric {
  // The JS (not WebAssembly) implementation, which also gives a bucket's lowest value. 32-bit
  // counts: a fixed ~100-200 KB a histogram whatever N is, and faster to record than "packed".
  private readonly hist = hdr.build({ bitBucketSize: 32, numberOfSignificantValueDigits: 3 }) as hdr.JsHistogram;
  private n = 0;
  private sum = 0;
  private maxSeen = -Infinity;

  constructor(private readonly scale: number) {}

  record(value: number): void {
    this.hist.recordValue(Math.max(0, Math.round(value * this.scale)));
    this.n++;
    this.sum += value;
    if (value > this.maxSeen) this.maxSeen = value;
  }

  get count(): number {
    return this.n;
  }

  /**
   * Nearest-rank value: the smallest recorded value with at least `rank` values at or below it,
   * as the lowest value of its histogram bucket (never above the true value, at most 0.1% below).
   */
  private atRank(rank: number): number {
    if (rank >= this.n) return this.maxSeen;
    return this.hist.lowestEquivalentValue(this.hist.getValueAtPercentile((100 * rank) / this.n)) / this.scale;
  }

  /** Values at the given percentiles (0-100], nearest-rank: the points of a CDF. */
  quantiles(percentiles: readonly number[]): { p: number; value: number }[] {
    if (this.n === 0) return [];
    return percentiles.map((p) => ({ p, value: this.atRank(Math.max(1, Math.ceil((p / 100) * this.n))) }));
  }

  stat(): Stat {
    if (this.n === 0) return { n: 0, mean: null, p50: null, p90: null, p99: null, max: null, p50Ci95: null };
    const at = (p: number) => this.atRank(Math.max(1, Math.ceil((p / 100) * this.n)));
    return {
      n: this.n,
      mean: round(this.sum / this.n),
      p50: at(50),
      p90: at(90),
      p99: at(99),
      max: this.maxSeen,
      p50Ci95: this.medianCi(),
    };
  }

  /**
   * The order statistics that bracket the median with 95% confidence (binomial, normal
   * approximation; the interval SeBS reports). Needs no assumption about the distribution.
   */
  private medianCi(): [number, number] | null {
    const half = 1.96 * Math.sqrt(this.n) / 2;
    const lo = Math.floor(this.n / 2 - half);
    const hi = Math.ceil(this.n / 2 + half) + 1;
    if (lo < 1 || hi > this.n) return null;
    return [this.atRank(lo), this.atRank(hi)];
  }
}

const round = (x: number) => Math.round(x * 1000) / 1000;

/** The times one group of invocations is summarized by. */
export const METRIC_NAMES = ["clientMs", "latencyMs", "durationMs", "billedMs", "initMs", "maxMemoryMb"] as const;
export type MetricName = (typeof METRIC_NAMES)[number];

export class MetricSet {
  readonly clientMs = new Metric(1000);
  /** Response minus scheduled send time (open-loop workloads); absent for closed-loop records. */
  readonly latencyMs = new Metric(1000);
  readonly durationMs = new Metric(100);
  readonly billedMs = new Metric(100);
  readonly initMs = new Metric(100);
  readonly maxMemoryMb = new Metric(1);

  get(name: MetricName): Metric {
    return this[name];
  }

  add(r: InvocationRecord): void {
    this.clientMs.record(r.clientMs);
    if (r.latencyMs !== null) this.latencyMs.record(r.latencyMs);
    if (r.durationMs !== null) this.durationMs.record(r.durationMs);
    if (r.billedMs !== null) this.billedMs.record(r.billedMs);
    if (r.initMs !== null) this.initMs.record(r.initMs);
    if (r.maxMemoryMb !== null) this.maxMemoryMb.record(r.maxMemoryMb);
  }

  stats(): Record<MetricName, Stat> {
    return {
      clientMs: this.clientMs.stat(),
      latencyMs: this.latencyMs.stat(),
      durationMs: this.durationMs.stat(),
      billedMs: this.billedMs.stat(),
      initMs: this.initMs.stat(),
      maxMemoryMb: this.maxMemoryMb.stat(),
    };
  }
}

/** A median interval wider than this share of the median is flagged as too wide. */
export const WIDE_CI = 0.1;

/** A sentence when the median's interval cannot support comparisons, else undefined. */
export function ciWarning(name: string, s: Stat): string | undefined {
  if (s.n === 0) return undefined;
  if (!s.p50Ci95) return `${name}: ${s.n} samples are too few for a 95% interval of the median (need 8 or more)`;
  const [lo, hi] = s.p50Ci95;
  if (s.p50 !== null && s.p50 > 0 && (hi - lo) / s.p50 > WIDE_CI) {
    return `${name}: the median's 95% interval [${lo}, ${hi}] is ${Math.round((100 * (hi - lo)) / s.p50)}% of the median; ` +
      `run more invocations before comparing`;
  }
  return undefined;
}
