// Samples as typed arrays: one metric's values from a run, grouped by repetition (the clusters a
// cluster bootstrap resamples). Float32 keeps 10 million values in 40 MB (7 significant digits:
// 0.06 ms at 900 s, far below what a Lambda duration is measured to).
import { nearestRankValue } from "./rank";

/** A growable Float32Array. */
export class SampleBuilder {
  private buf = new Float32Array(1024);
  private n = 0;

  push(x: number): void {
    if (this.n === this.buf.length) {
      const next = new Float32Array(Math.ceil(this.buf.length * 1.5));
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[this.n++] = x;
  }

  get length(): number {
    return this.n;
  }

  /** The values pushed, in a right-sized copy (the builder's spare capacity is released). */
  take(): Float32Array {
    const out = this.buf.slice(0, this.n);
    this.buf = new Float32Array(0);
    this.n = 0;
    return out;
  }
}

/**
 * A sample ready for resampling: all values sorted, and each cluster (repetition) sorted on its
 * own. With one cluster the two share one array.
 */
export interface Sample {
  readonly sorted: Float32Array;
  readonly clusters: readonly Float32Array[];
  /** The repetition each cluster holds, when known (a run file's `repetition`). */
  readonly keys?: readonly number[];
}

/** Values grouped by repetition, as a run file is read. */
export class ClusteredBuilder {
  private readonly byCluster = new Map<number, SampleBuilder>();

  push(cluster: number, x: number): void {
    let b = this.byCluster.get(cluster);
    if (!b) this.byCluster.set(cluster, (b = new SampleBuilder()));
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
    return { ...sampleOf(parts), keys };
  }
}

/** A Sample from one array per cluster (the arrays are sorted in place). */
export function sampleOf(clusters: Float32Array[]): Sample {
  const nonEmpty = clusters.filter((c) => c.length > 0);
  for (const c of nonEmpty) c.sort();
  if (nonEmpty.length <= 1) {
    const only = nonEmpty[0] ?? new Float32Array(0);
    return { sorted: only, clusters: nonEmpty.length ? [only] : [] };
  }
  const total = nonEmpty.reduce((a, c) => a + c.length, 0);
  const sorted = new Float32Array(total);
  let at = 0;
  for (const c of nonEmpty) {
    sorted.set(c, at);
    at += c.length;
  }
  sorted.sort();
  return { sorted, clusters: nonEmpty };
}

/** Nearest-rank quantile of sorted values: the smallest with at least q*n at or below it. */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  return nearestRankValue(sorted, q) ?? NaN;
}

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
