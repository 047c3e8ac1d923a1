// Bootstrap intervals of quantiles (the median, p99) and of their ratio between two samples.
//
// Plain bootstrap, exactly and in O(1) a resample: the k-th smallest of a resample of n sorted
// values x(1..n) is x(ceil(n*U(k))), where U(k), the k-th smallest of n uniforms, is Beta(k, n-k+1)
// (a resampled index is ceil(n*U) and ceil is monotone). So one Beta draw replaces n draws and a
// selection: 10,000 resamples of 10 million values take milliseconds, and the replicates have the
// very distribution the naive bootstrap's would.
//
// Cluster bootstrap: whole repetitions are resampled with replacement (a time trend or a
// per-repetition offset then shows in the interval instead of passing for a difference), and the
// quantile of the pooled resample is found by bisection over the sorted values, counting in each
// drawn cluster by binary search.
import { quantileRank } from "./rank";
import { DEFAULT_SEED, Rng } from "../rng";
import { countAtMost, fromUnits, quantileSorted, type Sample } from "./samples";

export const DEFAULT_RESAMPLES = 10_000;
export { DEFAULT_SEED };

export type BootstrapMethod = "bootstrap" | "cluster bootstrap" | "paired cluster bootstrap";

/**
 * Repetitions a side from which the (paired) cluster bootstrap is used (stats/ratio.ts): in the
 * seeded study of bench/coverage.ts its 95% interval covers 68% at 2 repetitions, 88% at 5, 93.4%
 * at 10 and 94.6% at 20; below 20 the t interval on the repetitions' log quantiles (rep-t.ts) is used.
 */
export const MIN_CLUSTERS = 20;

/** The bootstrap for a sample: by repetitions when it has 2 or more (ratio.ts decides when to bootstrap at all). */
export function methodFor(s: Sample): BootstrapMethod {
  return s.clusters.length >= 2 ? "cluster bootstrap" : "bootstrap";
}

/** One plain-bootstrap replicate of the q-quantile. */
export function plainReplicate(sorted: Uint32Array, q: number, rng: Rng): number {
  const n = sorted.length;
  const k = quantileRank(q, n);
  const u = rng.beta(k, n - k + 1);
  const index = Math.min(n, Math.max(1, Math.ceil(n * u)));
  return sorted[index - 1];
}

/** Draws r clusters with replacement into counts; returns the pooled size. */
function drawClusters(s: Sample, rng: Rng, counts: Uint32Array): number {
  const r = s.clusters.length;
  counts.fill(0);
  let total = 0;
  for (let i = 0; i < r; i++) {
    const c = rng.int(r);
    counts[c]++;
    total += s.clusters[c].length;
  }
  return total;
}

/** The q-quantile of the clusters pooled with the given multiplicities. */
function pooledQuantile(s: Sample, q: number, counts: Uint32Array): number {
  let total = 0;
  for (let c = 0; c < counts.length; c++) total += counts[c] * s.clusters[c].length;
  const k = quantileRank(q, total);
  // Smallest g with at least k pooled values <= sorted[g].
  let lo = 0;
  let hi = s.sorted.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const v = s.sorted[mid];
    let at = 0;
    for (let c = 0; c < counts.length; c++) if (counts[c] > 0) at += counts[c] * countAtMost(s.clusters[c], v);
    if (at >= k) hi = mid;
    else lo = mid + 1;
  }
  return s.sorted[lo];
}

/** One cluster-bootstrap replicate of the q-quantile: clusters drawn with replacement, pooled. */
export function clusterReplicate(s: Sample, q: number, rng: Rng, counts: Uint32Array): number {
  drawClusters(s, rng, counts);
  return pooledQuantile(s, q, counts);
}

/**
 * True when A and B were measured in the same repetitions (`measure --interleave`): the same
 * repetition keys, 2 or more (ratio.ts uses the paired bootstrap from MIN_CLUSTERS on). Then repetitions are resampled jointly, so what a
 * repetition shares across the two sides (a drift, a noisy neighbour) cancels in the ratio.
 */
export function canPair(a: Sample, b: Sample): boolean {
  return a.keys !== undefined && b.keys !== undefined && a.keys.length >= 2 &&
    a.keys.length === b.keys.length && a.keys.every((k, i) => k === b.keys![i]);
}

/** `resamples` bootstrap replicates of the q-quantile, cluster or plain as `method` says. */
export function replicates(s: Sample, q: number, resamples: number, rng: Rng, method: BootstrapMethod = methodFor(s)): Float64Array {
  const out = new Float64Array(resamples);
  if (s.sorted.length === 0) return out.fill(NaN);
  if (method !== "bootstrap" && s.clusters.length >= 2) {
    const counts = new Uint32Array(s.clusters.length);
    for (let i = 0; i < resamples; i++) out[i] = clusterReplicate(s, q, rng, counts);
  } else {
    for (let i = 0; i < resamples; i++) out[i] = plainReplicate(s.sorted, q, rng);
  }
  return out;
}

export interface Interval {
  estimate: number;
  lo: number;
  hi: number;
}

/**
 * The percentile interval of replicates at the given level (they are sorted in place). Ranks are
 * counted in integers (stats/rank.ts), as the estimates' are: in floating point the 95% interval's
 * alpha, (1 - 0.95) / 2, is 0.025000000000000022, and ceil(alpha * 10,000) took the 251st for the 250th.
 */
export function percentileInterval(estimate: number, reps: Float64Array, level: number): Interval {
  reps.sort();
  const alpha = (1 - level) / 2;
  const n = reps.length;
  return { estimate, lo: reps[quantileRank(alpha, n) - 1], hi: reps[quantileRank(1 - alpha, n) - 1] };
}

export interface RatioOptions {
  resamples?: number;
  seed?: number;
  level?: number;
  /** Force a method on both sides; by default each side with 2+ repetitions is resampled by them. */
  method?: BootstrapMethod;
  /** Resample the repetitions of A and B jointly (see canPair); ignored when they cannot be paired. */
  paired?: boolean;
}

export interface RatioResult {
  q: number;
  a: Interval;
  b: Interval;
  /** B's quantile over A's: above 1 means B is slower. */
  ratio: Interval;
  methods: { a: BootstrapMethod; b: BootstrapMethod };
  resamples: number;
  level: number;
}

/**
 * The q-quantile of each side with its interval, and the ratio B/A with a percentile-bootstrap
 * interval from independent resamples of the two sides. Both sides must be non-empty.
 */
export function ratioOfQuantiles(a: Sample, b: Sample, q: number, o: RatioOptions = {}): RatioResult {
  const resamples = o.resamples ?? DEFAULT_RESAMPLES;
  const level = o.level ?? 0.95;
  const rng = new Rng(o.seed ?? DEFAULT_SEED);
  const paired = o.paired === true && canPair(a, b);
  const methods = paired
    ? { a: "paired cluster bootstrap" as const, b: "paired cluster bootstrap" as const }
    : { a: o.method ?? methodFor(a), b: o.method ?? methodFor(b) };
  let ra: Float64Array;
  let rb: Float64Array;
  if (paired) {
    ra = new Float64Array(resamples);
    rb = new Float64Array(resamples);
    const counts = new Uint32Array(a.clusters.length);
    for (let i = 0; i < resamples; i++) {
      drawClusters(a, rng, counts);
      ra[i] = pooledQuantile(a, q, counts);
      rb[i] = pooledQuantile(b, q, counts);
    }
  } else {
    ra = replicates(a, q, resamples, rng, methods.a);
    rb = replicates(b, q, resamples, rng, methods.b);
  }
  const ratios = new Float64Array(resamples);
  for (let i = 0; i < resamples; i++) ratios[i] = rb[i] / ra[i];
  const qa = quantileSorted(a.sorted, q);
  const qb = quantileSorted(b.sorted, q);
  // The replicates are values of the samples, in their units: each end is a value recorded.
  const inValues = (i: Interval, scale: number): Interval => ({ estimate: fromUnits(i.estimate, scale), lo: fromUnits(i.lo, scale), hi: fromUnits(i.hi, scale) });
  return {
    q,
    a: inValues(percentileInterval(qa, ra, level), a.scale),
    b: inValues(percentileInterval(qb, rb, level), b.scale),
    ratio: percentileInterval(qb / qa, ratios, level),
    methods,
    resamples,
    level,
  };
}
