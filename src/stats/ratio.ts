// The interval of a quantile ratio B/A, by the method that covers at the data's number of
// repetitions: a seeded percentile bootstrap for a single run a side (calls resampled), a t interval
// on the repetitions' log quantiles for 2 to MIN_CLUSTERS - 1 repetitions a side (rep-t.ts), and the
// cluster bootstrap (paired when interleaved) from MIN_CLUSTERS on. MIN_CLUSTERS is where the
// cluster bootstrap's coverage reaches 94% in the seeded study of bench/coverage.ts (README,
// "How the statistics are made").
import { canPair, MIN_CLUSTERS, ratioOfQuantiles, type BootstrapMethod, type Interval, type RatioOptions } from "./bootstrap";
import { sideInterval, tRatio, T_METHOD } from "./rep-t";
import type { Sample } from "./samples";

export type RatioMethod = BootstrapMethod | typeof T_METHOD | "paired t-interval on repetition log quantiles";

export interface QuantileRatio {
  q: number;
  a: Interval;
  b: Interval;
  ratio: Interval;
  method: RatioMethod;
  /** Bootstrap resamples, when a bootstrap was used. */
  resamples: number | null;
  level: number;
}

/** Same repetitions on both sides (interleaved), 2 or more. */
const sameKeys = (a: Sample, b: Sample) => a.keys !== undefined && b.keys !== undefined && a.keys.length >= 2 &&
  a.keys.length === b.keys.length && a.keys.every((k, i) => k === b.keys![i]);

/** Which method `quantileRatio` uses for these two samples. */
export function ratioMethod(a: Sample, b: Sample, paired = false): RatioMethod {
  const k = Math.min(a.clusters.length, b.clusters.length);
  if (paired && sameKeys(a, b)) return k >= MIN_CLUSTERS && canPair(a, b) ? "paired cluster bootstrap" : "paired t-interval on repetition log quantiles";
  if (k >= MIN_CLUSTERS) return "cluster bootstrap";
  return k >= 2 ? T_METHOD : "bootstrap";
}

/** The q-quantile of each side and of B/A, with intervals at `level` (95% by default). */
export function quantileRatio(a: Sample, b: Sample, q: number, o: RatioOptions & { forceMethod?: RatioMethod } = {}): QuantileRatio {
  const level = o.level ?? 0.95;
  const method = o.forceMethod ?? ratioMethod(a, b, o.paired);
  if (method === T_METHOD || method === "paired t-interval on repetition log quantiles") {
    return { q, a: sideInterval(a, q, level), b: sideInterval(b, q, level), ratio: tRatio(a, b, q, level, method !== T_METHOD), method, resamples: null, level };
  }
  const r = ratioOfQuantiles(a, b, q, { ...o, level, paired: method === "paired cluster bootstrap", method: method === "paired cluster bootstrap" ? undefined : method });
  return { q, a: r.a, b: r.b, ratio: r.ratio, method: r.methods.a, resamples: r.resamples, level };
}
