// Streaming statistics: HDR histograms, so a million invocations cost the same memory as a hundred.
// Percentiles are nearest-rank: the rank is computed in integers (ceil(p * n / 100)), and the value
// at that rank is found by walking the histogram's counts, never through a float percentile (whose
// round trip rank -> percentile -> rank lands one rank off for 90 of the 1.1 million (n, rank)
// pairs with n <= 1,500). Mean and max are exact; min and max are the observed values.
// Up to EXACT_UP_TO values are also kept as they are (80 KB at most), so the percentiles of a run of
// that size are observed values exactly; past it, they are the histogram's, within 0.1% below one.
// Values are scaled to integers of the precision they were measured at: µs for client times,
// 1/100 ms for REPORT durations (two decimals), whole ms for billed durations, whole MB for memory.
import * as hdr from "hdr-histogram-js";
import { rankOf } from "./rank";
import { medianRanks } from "./median-ci";
import type { InvocationRecord } from "../runs/record";

export interface Stat {
  n: number;
  mean: number | null;
  p50: number | null;
  p90: number | null;
  p99: number | null;
  max: number | null;
  /** Distribution-free 95% confidence interval of the median (median-ci.ts); null when n < 6. */
  p50Ci95: [number, number] | null;
}

/** Values kept exactly, below which percentiles need no histogram. */
export const EXACT_UP_TO = 10_000;

/** One measured quantity. Values are stored as integers of 1/scale units. */
export class Metric {
  // The JS (not WebAssembly) implementation, whose counts can be walked index by index. 32-bit
  // counts: a fixed ~100-200 KB a histogram whatever N is, and faster to record than "packed".
  // Built once half of EXACT_UP_TO values are in (then filled as below): a run of up to half of
  // them never pays for recording into it.
  private hist: hdr.JsHistogram | undefined;
  private n = 0;
  private sum = 0;
  private minScaled = Infinity;
  private maxScaled = -Infinity;
  /** Decimals of 1/scale (scale 100 -> 2), for rounding what is reported. */
  readonly decimals: number;

  /** The values themselves (scaled), while there are at most `exactUpTo` of them; then dropped. */
  private exact: number[] | null = [];
  private sorted = true;
  private readonly exactUpTo: number;
  /** Values recorded before the histogram is built; `replayed` of them are in it so far. */
  private readonly half: number;
  private replayed = 0;
  /** Values recorded but not yet in the histogram: `runCount` times `runValue`. */
  private runValue = -1;
  private runCount = 0;

  constructor(private readonly scale: number, opts: { exactUpTo?: number } = {}) {
    this.decimals = Math.max(0, Math.round(Math.log10(scale)));
    this.exactUpTo = opts.exactUpTo ?? EXACT_UP_TO;
    this.half = Math.floor(this.exactUpTo / 2);
  }

  record(value: number): void {
    const scaled = Math.max(0, Math.round(value * this.scale));
    this.n++;
    if (this.exact) {
      // Past half of `exactUpTo` the histogram is built and filled as well: each new value goes in,
      // and one of the first half's with it, so it holds every value by the time the exact ones
      // are dropped (a one-off replay of them all then would stall a run for ~30 ms).
      if (this.n > this.half) {
        this.hist ??= hdr.build({ bitBucketSize: 32, numberOfSignificantValueDigits: 3 }) as hdr.JsHistogram;
        if (this.replayed < this.half) this.hist.recordValue(this.exact[this.replayed++]);
      }
      if (this.n > this.exactUpTo) {
        this.finishReplay();
        this.exact = null;
      } else {
        if (this.exact.length > 0 && scaled < this.exact[this.exact.length - 1]) this.sorted = false;
        this.exact.push(scaled);
      }
    }
    if (this.hist) {
      // A run of one value (a REPORT's billed ms and memory, a closed loop's zero lag) is counted
      // and recorded once: the histogram's index costs a log2 and a pow a value.
      if (scaled === this.runValue) this.runCount++;
      else {
        this.endRun();
        this.runValue = scaled;
        this.runCount = 1;
      }
    }
    this.sum += scaled;
    if (scaled < this.minScaled) this.minScaled = scaled;
    if (scaled > this.maxScaled) this.maxScaled = scaled;
  }

  /**
   * A Metric of every value of `parts` (all of one scale), as if each value had been recorded into
   * it: the same count, sum, extremes and percentiles, exact values while there are few enough.
   * A summary folds each record into its start kind's metrics only, and merges them for the
   * figures of all calls: one record() a value on the hot path, not two.
   */
  static merged(parts: readonly Metric[]): Metric {
    const m = new Metric(parts[0].scale, { exactUpTo: parts[0].exactUpTo });
    for (const p of parts) {
      m.n += p.n;
      m.sum += p.sum;
      m.minScaled = Math.min(m.minScaled, p.minScaled);
      m.maxScaled = Math.max(m.maxScaled, p.maxScaled);
    }
    const hist = () => hdr.build({ bitBucketSize: 32, numberOfSignificantValueDigits: 3 }) as hdr.JsHistogram;
    if (m.n <= m.exactUpTo) {
      // Every part still has its values (none has more than m.n).
      m.exact = parts.flatMap((p) => p.exact!);
      m.sorted = false;
      // Past half, record()'s invariant: the histogram holds every value, none left to replay.
      if (m.n > m.half) {
        m.hist = hist();
        for (const v of m.exact) m.hist.recordValue(v);
        m.replayed = m.half;
      }
      return m;
    }
    m.exact = null;
    m.hist = hist();
    for (const p of parts) {
      // A part that kept its values may not have them all in its histogram yet; one that dropped them has.
      if (p.exact) for (const v of p.exact) m.hist.recordValue(v);
      else {
        p.endRun();
        m.hist.add(p.hist!);
      }
    }
    return m;
  }

  /** Records the current run of equal values into the histogram; every reader calls it first. */
  private endRun(): void {
    if (this.runCount > 0) this.hist!.recordValueWithCount(this.runValue, this.runCount);
    this.runCount = 0;
  }

  /** Puts the rest of the first half's values into the histogram (before they are dropped or reordered). */
  private finishReplay(): void {
    if (!this.hist || !this.exact) return;
    while (this.replayed < this.half) this.hist.recordValue(this.exact[this.replayed++]);
  }

  get count(): number {
    return this.n;
  }

  /** A scaled integer as the number it stands for, at the precision it was measured to. */
  private unscale(scaled: number): number {
    return Number((scaled / this.scale).toFixed(this.decimals));
  }

  /**
   * The values at the given 1-based ranks, in the order asked: exact while the values are kept;
   * past that, the lowest value of the histogram
   * bucket that holds the rank-th smallest value (at most 0.1% below it), kept within the observed
   * minimum and maximum, so rank 1 is the minimum and rank n the maximum exactly. One walk.
   */
  valuesAtRanks(ranks: readonly number[]): number[] {
    if (this.exact) {
      if (!this.sorted) {
        this.finishReplay();
        this.exact.sort((a, b) => a - b);
        this.sorted = true;
      }
      const exact = this.exact;
      return ranks.map((r) => this.unscale(exact[Math.min(this.n, Math.max(1, r)) - 1]));
    }
    this.endRun();
    const hist = this.hist!;
    const order = ranks.map((r, i) => ({ r: Math.min(this.n, Math.max(1, r)), i })).sort((a, b) => a.r - b.r);
    const out = new Array<number>(ranks.length);
    let index = -1;
    let seen = 0;
    for (const { r, i } of order) {
      while (seen < r) seen += hist.getCountAtIndex(++index);
      const v = Math.min(this.maxScaled, Math.max(this.minScaled, hist.valueFromIndex(index)));
      out[i] = this.unscale(r === this.n ? this.maxScaled : r === 1 ? this.minScaled : v);
    }
    return out;
  }

  /** Values at the given percentiles (0-100], nearest-rank: the points of a CDF. */
  quantiles(percentiles: readonly number[]): { p: number; value: number }[] {
    if (this.n === 0) return [];
    const values = this.valuesAtRanks(percentiles.map((p) => rankOf(p, this.n)));
    return percentiles.map((p, i) => ({ p, value: values[i] }));
  }

  stat(): Stat {
    if (this.n === 0) return { n: 0, mean: null, p50: null, p90: null, p99: null, max: null, p50Ci95: null };
    const ci = medianRanks(this.n);
    const ranks = [rankOf(50, this.n), rankOf(90, this.n), rankOf(99, this.n), ...(ci ? [ci.lo, ci.hi] : [])];
    const [p50, p90, p99, lo, hi] = this.valuesAtRanks(ranks);
    return {
      n: this.n,
      // The mean of integers of 1/scale, to one more decimal than they were measured at.
      mean: Number((this.sum / this.n / this.scale).toFixed(this.decimals + 1)),
      p50,
      p90,
      p99,
      max: this.unscale(this.maxScaled),
      p50Ci95: ci ? [lo, hi] : null,
    };
  }
}

/** The times one group of invocations is summarized by. */
export const METRIC_NAMES = ["clientMs", "latencyMs", "durationMs", "billedMs", "initMs", "maxMemoryMb"] as const;
export type MetricName = (typeof METRIC_NAMES)[number];

export class MetricSet {
  readonly clientMs: Metric;
  /** Response minus scheduled send time (open-loop workloads); absent for closed-loop records. */
  readonly latencyMs: Metric;
  readonly durationMs: Metric;
  /** Billed Duration is a whole number of ms: recorded, and reported, as one. */
  readonly billedMs: Metric;
  readonly initMs: Metric;
  readonly maxMemoryMb: Metric;

  /** Empty; or, given `parts`, every value of theirs (Metric.merged). */
  constructor(parts?: readonly MetricSet[]) {
    const metric = (name: MetricName, scale: number) => (parts ? Metric.merged(parts.map((p) => p[name])) : new Metric(scale));
    this.clientMs = metric("clientMs", 1000);
    this.latencyMs = metric("latencyMs", 1000);
    this.durationMs = metric("durationMs", 100);
    this.billedMs = metric("billedMs", 1);
    this.initMs = metric("initMs", 100);
    this.maxMemoryMb = metric("maxMemoryMb", 1);
  }

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
/**
 * The fewest samples with a 95% interval of the median ([min, max] covers 96.9% at n = 6): the one
 * minimum-sample rule, for the summaries and for `compare` alike (whose bootstrap of one run a side
 * covered 96.7% at n = 6 in a seeded study; README, "How the statistics are made").
 */
export const MIN_CI_SAMPLES = 6;

/** Why a row's median interval cannot support comparisons: too few samples, too wide, or fine. */
export function ciProblem(s: Stat): "few" | "wide" | undefined {
  if (s.n === 0) return undefined;
  if (!s.p50Ci95) return "few";
  const [lo, hi] = s.p50Ci95;
  return s.p50 !== null && s.p50 > 0 && (hi - lo) / s.p50 > WIDE_CI ? "wide" : undefined;
}
