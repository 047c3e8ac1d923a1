// Intervals from few repetitions: a Student-t interval on the repetitions' log quantiles. Each
// repetition's q-quantile (nearest rank) is one observation; their logs are close to normal (a
// repetition's offset times a quantile of many calls), so the mean log quantile has a t interval
// with k - 1 degrees of freedom, which holds its 95% at any k >= 2, where a percentile cluster
// bootstrap of k clusters is too narrow (it has (k - 1)/k of the variance and normal, not t, tails;
// Cameron, Gelbach and Miller 2008). The ratio B/A is exp of the difference of the mean logs: from
// independent sides, Student's pooled t at equal repetitions a side and Welch's t otherwise; from interleaved sides, a
// paired t on the repetitions' log ratios (k - 1 df), so what a repetition shares cancels.
// A side's own interval is the t interval of its mean log quantile, widened outwards to the nearest
// recorded values, so every end printed is a value that was measured.
import tQuantile = require("@stdlib/stats-base-dists-t-quantile");
import type { Interval } from "./bootstrap";
import { countAtMost, fromUnits, quantileSorted, type Sample } from "./samples";

export const T_METHOD = "t-interval on repetition log quantiles";

/** The log of each repetition's q-quantile (units; a repetition's quantile of 0 gives -Infinity). */
export function repetitionLogs(s: Sample, q: number): number[] {
  return s.clusters.map((c) => Math.log(quantileSorted(c, q)));
}

function meanVar(xs: readonly number[]): { mean: number; variance: number } {
  const mean = xs.reduce((a, x) => a + x, 0) / xs.length;
  const variance = xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (xs.length - 1);
  return { mean, variance };
}

/** The two-sided t multiplier at `level` with `df` degrees of freedom. */
export const tMultiplier = (df: number, level: number): number => tQuantile(1 - (1 - level) / 2, df);

/** The interval of a side's q-quantile: the t interval of its mean log, snapped outwards to recorded values. */
export function sideInterval(s: Sample, q: number, level: number): Interval {
  const { mean, variance } = meanVar(repetitionLogs(s, q));
  const half = tMultiplier(s.clusters.length - 1, level) * Math.sqrt(variance / s.clusters.length);
  const lo = Math.exp(mean - half);
  const hi = Math.exp(mean + half);
  const n = s.sorted.length;
  // Largest recorded value <= lo (else the minimum), smallest recorded value >= hi (else the maximum).
  const below = countAtMost(s.sorted, Math.floor(lo));
  const loUnits = below > 0 ? s.sorted[below - 1] : s.sorted[0];
  const atLeast = countAtMost(s.sorted, Math.ceil(hi) - 1);
  const hiUnits = atLeast < n ? s.sorted[atLeast] : s.sorted[n - 1];
  return { estimate: fromUnits(quantileSorted(s.sorted, q), s.scale), lo: fromUnits(loUnits, s.scale), hi: fromUnits(hiUnits, s.scale) };
}

/**
 * The ratio of B's q-quantile to A's with its t interval: paired (one log ratio a repetition; the
 * sides' repetitions must be the same, in order) or independent (Welch). Needs 2+ repetitions a side.
 */
export function tRatio(a: Sample, b: Sample, q: number, level: number, paired: boolean): Interval {
  const la = repetitionLogs(a, q);
  const lb = repetitionLogs(b, q);
  let d: number;
  let se: number;
  let df: number;
  if (paired) {
    const m = meanVar(lb.map((x, i) => x - la[i]));
    d = m.mean;
    se = Math.sqrt(m.variance / la.length);
    df = la.length - 1;
  } else {
    const ma = meanVar(la);
    const mb = meanVar(lb);
    const va = ma.variance / la.length;
    const vb = mb.variance / lb.length;
    d = mb.mean - ma.mean;
    if (la.length === lb.length) {
      // Equal repetitions a side: Student's pooled t, exact when the sides spread alike and robust
      // when they do not at equal sizes (Welch's is conservative here: 97% at k = 2).
      df = la.length + lb.length - 2;
      const pooled = ((la.length - 1) * ma.variance + (lb.length - 1) * mb.variance) / df;
      se = Math.sqrt(pooled / la.length + pooled / lb.length);
    } else {
      // Welch, Satterthwaite's df; when both variances are 0 the interval is the point.
      se = Math.sqrt(va + vb);
      df = va + vb > 0 ? (va + vb) ** 2 / (va ** 2 / (la.length - 1) + vb ** 2 / (lb.length - 1)) : la.length + lb.length - 2;
    }
  }
  const half = se > 0 ? tMultiplier(df, level) * se : 0;
  return { estimate: Math.exp(d), lo: Math.exp(d - half), hi: Math.exp(d + half) };
}
