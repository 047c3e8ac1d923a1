// `compare --json` at the precision of what it reports: each side's quantiles and their intervals
// are values as recorded (samples are stored exactly: 0.01 ms for REPORT durations, µs for client
// times), and ratios carry 4 significant digits (an interval of 1.0123 to 1.0456 says all there
// is); error rates are kept to 4 significant digits where they are made (stats/wilson.ts).
import type { Interval } from "../stats/bootstrap";
import type { MetricComparison } from "./compare";
import type { CompareResult } from "./run";

const sig4 = (x: number) => (Number.isFinite(x) ? Number(x.toPrecision(4)) : x);
const ratio = (i: Interval | null): Interval | null => i && { estimate: sig4(i.estimate), lo: sig4(i.lo), hi: sig4(i.hi) };

function metric(m: MetricComparison): MetricComparison {
  return { ...m, ratio: { p50: ratio(m.ratio.p50), p99: ratio(m.ratio.p99) } };
}

/** The result with every ratio at 4 significant digits (JSON writes NaN, a point without interval, as null). */
export function jsonAtPrecision<T extends CompareResult>(r: T): T {
  return { ...r, pairs: r.pairs.map((p) => ({ ...p, metrics: p.metrics.map(metric) })) };
}
