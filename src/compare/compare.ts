// The comparison of two samples of one metric, as ONE pure function (in the spirit of hyperfine's
// relative_speed.rs): each side's p50 and p99 with intervals, the ratio B/A with its interval, and
// a verdict. The ratio's interval is a seeded percentile bootstrap of medians (10,000 resamples,
// whole repetitions resampled when a side has MIN_CLUSTERS or more): it gives the ratio of the
// quantiles we report (p50 and p99 alike) and resamples repetitions as clusters, which the
// Hodges-Lehmann estimator (a shift of the pairwise differences, not a ratio of medians; no p99)
// does not.
import { DEFAULT_RESAMPLES, DEFAULT_SEED, MIN_CLUSTERS, ratioOfQuantiles, type Interval } from "../stats/bootstrap";
import { quantileSorted, type Sample } from "../stats/samples";
import { METRIC_INFO, type CompareMetric } from "./metrics";

/** Fewest values a side needs for a median interval; for a p99 interval. */
export const MIN_N_P50 = 8;
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

const point = (s: Sample, q: number): Interval | null => (s.sorted.length ? { estimate: quantileSorted(s.sorted, q), lo: NaN, hi: NaN } : null);

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
  const p50 = ratioOfQuantiles(a.sample, b.sample, 0.5, { resamples, seed, paired: o.paired });
  out.a.p50 = p50.a;
  out.b.p50 = p50.b;
  out.method = p50.methods.a === p50.methods.b
    ? `${p50.methods.a} of medians, ${resamples} resamples, seed ${seed}`
    : `bootstrap of medians (A: ${p50.methods.a}, B: ${p50.methods.b}), ${resamples} resamples, seed ${seed}`;
  for (const [side, s] of [["A", a], ["B", b]] as const) {
    const r = s.sample.clusters.length;
    if (r > 1 && r < MIN_CLUSTERS) {
      out.notes.push(`${side} has ${r} repetitions, too few to resample (${MIN_CLUSTERS} needed): its interval leaves out the variation between repetitions`);
    }
  }
  if (na >= MIN_N_P99 && nb >= MIN_N_P99) {
    const p99 = ratioOfQuantiles(a.sample, b.sample, 0.99, { resamples, seed: seed + 1, paired: o.paired });
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
