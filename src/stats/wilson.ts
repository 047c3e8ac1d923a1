// The Wilson score interval for a binomial proportion (E. B. Wilson, 1927): the share of cold
// starts among n probes. Unlike the normal ("Wald") interval it stays inside [0, 1], is not empty
// at 0 or n successes, and holds close to its nominal coverage from small n (Brown, Cai and
// DasGupta, "Interval Estimation for a Binomial Proportion", Statistical Science 2001).

/** The standard normal quantile for a two-sided 95% interval. */
export const Z95 = 1.959963984540054;

/**
 * The Wilson score interval of k successes in n trials, at the confidence `z` stands for
 * (default 95%): [lower, upper], clamped to [0, 1]. Null when n is 0 (nothing is known).
 */
export function wilson(k: number, n: number, z = Z95): [number, number] | null {
  if (!Number.isInteger(k) || !Number.isInteger(n) || k < 0 || k > n) throw new RangeError(`wilson(${k}, ${n}): need whole 0 <= k <= n`);
  if (n === 0) return null;
  const p = k / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  // At k = 0 and k = n the bound is exactly 0 or 1; rounding must not move it off.
  return [k === 0 ? 0 : Math.max(0, centre - half), k === n ? 1 : Math.min(1, centre + half)];
}
