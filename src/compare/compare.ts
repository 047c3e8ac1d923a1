// The comparison of two samples of one metric, as ONE pure function (in the spirit of hyperfine's
// relative_speed.rs): each side's p50 and p99 with intervals, the ratio B/A with its interval, and
// a verdict. The interval's method follows the repetitions (stats/ratio.ts): a seeded percentile
// bootstrap of the quantile for one run a side, a t interval on the repetitions' log quantiles for
// 2 to MIN_CLUSTERS - 1 repetitions, a cluster bootstrap (paired when interleaved) from MIN_CLUSTERS.
// It gives the ratio of the quantiles we report (p50 and p99 alike), which the Hodges-Lehmann
// estimator (a shift of the pairwise differences, not a ratio of medians; no p99) does not.
import { DEFAULT_RESAMPLES, DEFAULT_SEED, type Interval } from "../stats/bootstrap";
import { MIN_CI_SAMPLES } from "../stats/metric";
import { quantileRatio } from "../stats/ratio";
import { sampleQuantile, type Sample } from "../stats/samples";
import { METRIC_INFO, type CompareMetric } from "./metrics";

/** Fewest values a side needs for a median interval (the summaries' rule); for a p99 interval. */
export const MIN_N_P50 = MIN_CI_SAMPLES;
export const MIN_N_P99 = 100;

export type Verdict = "slower" | "faster" | "no difference" | "not comparable";

export interface Side {
  label: string;
  sample: Sample;
}

export interface SideFigures {
  label: string;
  n: number;
  repetitions: number;
  p50: Interval | null;
  p99: Interval | null;
}

export interface MetricComparison {
  metric: CompareMetric;
  unit: string;
  a: SideFigures;
  b: SideFigures;
  /** B over A: above 1, B is slower (costlier). */
  ratio: { p50: Interval | null; p99: Interval | null };
  method: string;
  verdict: Verdict;
  /** "B is 1.23x [1.18, 1.29] slower than A", or why there is no verdict. */
  text: string;
  notes: string[];
}

export interface CompareOptions {
  resamples?: number;
  seed?: number;
  /** A and B were interleaved repetition by repetition: resample their repetitions jointly. */
  paired?: boolean;
}

const point = (s: Sample, q: number): Interval | null => (s.sorted.length ? { estimate: sampleQuantile(s, q), lo: NaN, hi: NaN } : null);

/** A ratio to 2 decimals, or 3 when 2 would round an end of the interval to 1.00. */
export function formatRatio(r: Interval): { x: string; lo: string; hi: string } {
  const digits = [r.estimate, r.lo, r.hi].some((v) => v.toFixed(2) === "1.00" && v !== 1) ? 3 : 2;
  return { x: r.estimate.toFixed(digits), lo: r.lo.toFixed(digits), hi: r.hi.toFixed(digits) };
}

function verdictOf(ratio: Interval): { verdict: Verdict; text: string } {
  if (ratio.lo > 1) {
    const f = formatRatio(ratio);
    return { verdict: "slower", text: `B is ${f.x}x [${f.lo}, ${f.hi}] slower than A` };
  }
  if (ratio.hi < 1) {
    const f = formatRatio({ estimate: 1 / ratio.estimate, lo: 1 / ratio.hi, hi: 1 / ratio.lo });
    return { verdict: "faster", text: `B is ${f.x}x [${f.lo}, ${f.hi}] faster than A` };
  }
  const f = formatRatio(ratio);
  return { verdict: "no difference", text: `no difference shown (B/A ${f.x}x [${f.lo}, ${f.hi}])` };
}

/** Compares B against A on one metric. Pure: the same samples and seed give the same result. */
export function compareMetric(metric: CompareMetric, a: Side, b: Side, o: CompareOptions = {}): MetricComparison {
  const resamples = o.resamples ?? DEFAULT_RESAMPLES;
  const seed = o.seed ?? DEFAULT_SEED;
  const na = a.sample.sorted.length;
  const nb = b.sample.sorted.length;
  const figures = (s: Side): SideFigures => ({ label: s.label, n: s.sample.sorted.length, repetitions: s.sample.clusters.length, p50: point(s.sample, 0.5), p99: point(s.sample, 0.99) });
  const out: MetricComparison = {
    metric, unit: METRIC_INFO[metric].unit, a: figures(a), b: figures(b), ratio: { p50: null, p99: null },
    method: "", verdict: "not comparable", text: "", notes: [],
  };
  const empty = [na === 0 ? "A" : null, nb === 0 ? "B" : null].filter(Boolean);
  if (empty.length) {
    out.text = `not comparable: ${empty.join(" and ")} ${empty.length > 1 ? "have" : "has"} no ${METRIC_INFO[metric].label} values (${METRIC_INFO[metric].calls})`;
    return out;
  }
  if (na < MIN_N_P50 || nb < MIN_N_P50) {
    const k = Math.min(na, nb);
    out.text = `not comparable: ${k} value${k === 1 ? " is" : "s are"} too few for an interval (need ${MIN_N_P50} a side)`;
    return out;
  }
  const p50 = quantileRatio(a.sample, b.sample, 0.5, { resamples, seed, paired: o.paired });
  out.a.p50 = p50.a;
  out.b.p50 = p50.b;
  const reps = `A ${a.sample.clusters.length}, B ${b.sample.clusters.length} repetitions`;
  out.method = p50.resamples === null ? `${p50.method.replace("quantiles", "medians")} (${reps})`
    : `${p50.method} of medians, ${resamples} resamples, seed ${seed}`;
  const ka = a.sample.clusters.length;
  const kb = b.sample.clusters.length;
  if (p50.method === "bootstrap" && Math.max(ka, kb) > 1) {
    out.notes.push(`${ka === 1 ? "A" : "B"} is one run: the interval leaves out the variation between runs (${reps}; repeat both with --repeat 2 or more)`);
  }
  if (na >= MIN_N_P99 && nb >= MIN_N_P99) {
    const p99 = quantileRatio(a.sample, b.sample, 0.99, { resamples, seed: seed + 1, paired: o.paired });
    out.a.p99 = p99.a;
    out.b.p99 = p99.b;
    if (Number.isFinite(p99.ratio.estimate) && p99.a.lo > 0) out.ratio.p99 = p99.ratio;
  } else {
    out.notes.push(`p99 without an interval: it needs ${MIN_N_P99} values a side (A ${na}, B ${nb})`);
  }
  if (!(p50.a.estimate > 0) || !(p50.a.lo > 0)) {
    out.text = "not comparable: A's median (or its interval) reaches 0, so B/A has no bound";
    return out;
  }
  out.ratio.p50 = p50.ratio;
  Object.assign(out, verdictOf(p50.ratio));
  return out;
}

/**
 * The CI gate: B's median is slower than A's by more than `fraction` (0.05 for 5%), with the whole
 * interval above it too. A comparison without a ratio never fails the gate.
 */
export function slowerBeyond(c: MetricComparison, fraction: number): boolean {
  const r = c.ratio.p50;
  return r !== null && r.estimate > 1 + fraction && r.lo > 1 + fraction;
}
