// Samples as typed arrays: one metric's values from a run, grouped by repetition (the clusters a
// cluster bootstrap resamples). Values are stored exactly, as whole numbers of 1/scale units in a
// Uint32Array (as Metric scales them: 1/100 ms for REPORT durations, µs for client times): the same
// 4 bytes a value as float32, and every value read back is the one recorded (float32 turned 40.22
// into 40.220001220703125). A value that does not fit (below 0, or 2^32 units and more) is refused.
import { nearestRankValue } from "./rank";

/** Decimals of 1/scale units (scale 100 -> 2). */
export const decimalsOf = (scale: number): number => Math.max(0, Math.round(Math.log10(scale)));

/** A value as whole units of 1/scale; RangeError when it cannot be stored exactly. */
export function toUnits(x: number, scale: number): number {
  const u = Math.round(x * scale);
  if (!(u >= 0 && u <= 0xffffffff)) throw new RangeError(`${x} does not fit a sample of 1/${scale} units (0 to ${0xffffffff / scale})`);
  return u;
}

/** Whole units back to the number they stand for, at the precision they were measured to. */
export const fromUnits = (u: number, scale: number): number => Number((u / scale).toFixed(decimalsOf(scale)));

/** A growable Uint32Array of values in 1/scale units. */
export class SampleBuilder {
  private buf = new Uint32Array(1024);
  private n = 0;

  constructor(readonly scale: number) {}

  push(x: number): void {
    if (this.n === this.buf.length) {
      const next = new Uint32Array(Math.ceil(this.buf.length * 1.5));
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[this.n++] = toUnits(x, this.scale);
  }

  get length(): number {
    return this.n;
  }

  /** The units pushed, in a right-sized copy (the builder's spare capacity is released). */
  take(): Uint32Array {
    const out = this.buf.slice(0, this.n);
    this.buf = new Uint32Array(0);
    this.n = 0;
    return out;
  }
}

/**
 * A sample ready for resampling: all values sorted, and each cluster (repetition) sorted on its
 * own, in 1/scale units. With one cluster the two share one array.
 */
export interface Sample {
  readonly scale: number;
  readonly sorted: Uint32Array;
  readonly clusters: readonly Uint32Array[];
  /** The repetition each cluster holds, when known (a run file's `repetition`). */
  readonly keys?: readonly number[];
}

/** Values grouped by repetition, as a run file is read. */
export class ClusteredBuilder {
  private readonly byCluster = new Map<number, SampleBuilder>();

  constructor(readonly scale: number) {}

  push(cluster: number, x: number): void {
    let b = this.byCluster.get(cluster);
    if (!b) this.byCluster.set(cluster, (b = new SampleBuilder(this.scale)));
    b.push(x);
  }

  get length(): number {
    let n = 0;
    for (const b of this.byCluster.values()) n += b.length;
    return n;
  }

  build(): Sample {
    const keys = [...this.byCluster.keys()].filter((k) => this.byCluster.get(k)!.length > 0).sort((a, b) => a - b);
    const parts = keys.map((k) => this.byCluster.get(k)!.take());
    this.byCluster.clear();
    return { ...sampleOf(parts, this.scale), keys };
  }
}

/** A Sample from one array of units per cluster (the arrays are sorted in place). */
export function sampleOf(clusters: Uint32Array[], scale: number): Sample {
  const nonEmpty = clusters.filter((c) => c.length > 0);
  for (const c of nonEmpty) c.sort();
  if (nonEmpty.length <= 1) {
    const only = nonEmpty[0] ?? new Uint32Array(0);
    return { scale, sorted: only, clusters: nonEmpty.length ? [only] : [] };
  }
  const total = nonEmpty.reduce((a, c) => a + c.length, 0);
  const sorted = new Uint32Array(total);
  let at = 0;
  for (const c of nonEmpty) {
    sorted.set(c, at);
    at += c.length;
  }
  sorted.sort();
  return { scale, sorted, clusters: nonEmpty };
}

/** A Sample of values (not units): for tests and studies. */
export const sampleOfValues = (clusters: readonly ArrayLike<number>[], scale: number): Sample =>
  sampleOf(clusters.map((c) => Uint32Array.from(Array.from(c), (x) => toUnits(x, scale))), scale);

/** Nearest-rank quantile of sorted units: the smallest with at least q*n at or below it. */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  return nearestRankValue(sorted, q) ?? NaN;
}

/** The q-quantile of a sample as a value (not units), by nearest rank; NaN when it is empty. */
export const sampleQuantile = (s: Sample, q: number): number => fromUnits(quantileSorted(s.sorted, q), s.scale);

/** Number of values <= x in sorted values. */
export function countAtMost(sorted: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
