// The ranks of the order statistics that bracket the median with 95% confidence, free of any
// assumption about the distribution (Le Boudec, "Performance Evaluation of Computer and
// Communication Systems", Theorem 2.1 and Table A.1).
//
// [X(lo), X(hi)] covers the median m when the number B of samples below m lies in [lo, hi - 1];
// B ~ Binomial(n, 1/2), so the coverage is P(lo <= B <= hi - 1), computed exactly here. For n < 71
// the ranks are found by exhaustive search over the exact binomial (Table A.1). From 71 on, the
// normal approximation (lo = floor(n/2 - 0.98 sqrt(n)), hi = ceil(n/2 + 1 + 0.98 sqrt(n))) gives
// the starting ranks, which are then moved by whole ranks until the exact coverage is at least
// 95% and no bound can move inwards by one rank and keep it: the approximation alone is up to two
// ranks too wide, which at n = 71..200 is a 3% wider interval for nothing.
//
// SeBS (and this file's first version) index the same interval one rank higher; these are the
// 1-based ranks of the sorted sample.

import lnGamma = require("@stdlib/math-base-special-gammaln");

export const CONFIDENCE = 0.95;
/** Below this, the ranks come from the exact table (Le Boudec's Table A.1 covers n <= 70). */
export const EXACT_BELOW = 71;

export interface MedianRanks {
  /** 1-based ranks of the lower and upper bound in the sorted sample. */
  lo: number;
  hi: number;
  /** The exact probability that [X(lo), X(hi)] covers the median. */
  coverage: number;
}

/** P(B = i) for B ~ Binomial(n, 1/2). */
export function binomialHalf(n: number, i: number): number {
  if (i < 0 || i > n) return 0;
  return Math.exp(lnGamma(n + 1) - lnGamma(i + 1) - lnGamma(n - i + 1) - n * Math.LN2);
}

/** P(B < j), summed from j - 1 downwards until the terms no longer matter. */
function lowerTail(n: number, j: number): number {
  let sum = 0;
  for (let i = j - 1; i >= 0; i--) {
    const p = binomialHalf(n, i);
    sum += p;
    if (p < sum * 1e-17) break;
  }
  return sum;
}

/** P(lo <= B <= hi - 1): the coverage of [X(lo), X(hi)]. */
export function coverage(n: number, lo: number, hi: number): number {
  // By symmetry, P(B >= hi) = P(B <= n - hi) = P(B < n - hi + 1).
  return 1 - lowerTail(n, lo) - lowerTail(n, n - hi + 1);
}

const cache = new Map<number, MedianRanks | null>();

/** The narrowest 95% interval's ranks, or null when even [min, max] covers less (n <= 5). */
export function medianRanks(n: number): MedianRanks | null {
  if (!Number.isInteger(n) || n < 1) return null;
  let hit = cache.get(n);
  if (hit !== undefined) return hit;
  hit = search(n);
  if (cache.size > 10_000) cache.clear();
  cache.set(n, hit);
  return hit;
}

function search(n: number): MedianRanks | null {
  // Symmetric intervals [X(j), X(n + 1 - j)]: the largest j whose coverage is at least 95%.
  const sym = (j: number) => coverage(n, j, n + 1 - j);
  let j: number;
  if (n < EXACT_BELOW) {
    if (sym(1) < CONFIDENCE) return null;
    j = 1;
    while (j + 1 <= (n + 1) / 2 && sym(j + 1) >= CONFIDENCE) j++;
  } else {
    j = Math.max(1, Math.floor(n / 2 - 0.98 * Math.sqrt(n)));
    while (sym(j) < CONFIDENCE && j > 1) j--;
    while (sym(j + 1) >= CONFIDENCE) j++;
  }
  const lo = j;
  let hi = n + 1 - j;
  // Dropping one end costs P(B = j) (both ends cost the same, by symmetry): when the rest still
  // covers 95%, the upper bound comes in by one rank. Coming in further cannot keep 95%: the
  // other end costs as much again, and the next rank on this end costs more (P(B = j + 1) > P(B = j)).
  if (coverage(n, lo, hi - 1) >= CONFIDENCE) hi--;
  return { lo, hi, coverage: coverage(n, lo, hi) };
}
