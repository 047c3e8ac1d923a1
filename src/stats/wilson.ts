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

/** A count out of n with its rate and the rate's Wilson 95% interval (null when n is 0). */
export interface Rate {
  count: number;
  n: number;
  rate: number | null;
  ci95: [number, number] | null;
}

/** Rates are printed and kept to 4 significant digits: a share of calls, not a measurement. */
const sig4 = (x: number) => Number(x.toPrecision(4));

export function rateOf(count: number, n: number): Rate {
  const ci = wilson(count, n);
  return { count, n, rate: n ? sig4(count / n) : null, ci95: ci ? [sig4(ci[0]), sig4(ci[1])] : null };
}

/**
 * The difference of two proportions, k2/n2 - k1/n1, with Newcombe's hybrid score interval (method
 * 10 of Newcombe, "Interval estimation for the difference between independent proportions",
 * Statistics in Medicine 1998): built from the two Wilson intervals, it stays within [-1, 1], is
 * not degenerate at 0 or n events, and holds close to its nominal coverage at small n, where the
 * Wald interval does not. Null when either n is 0.
 */
export function rateDifference(k1: number, n1: number, k2: number, n2: number, z = Z95): { estimate: number; lo: number; hi: number } | null {
  const w1 = wilson(k1, n1, z);
  const w2 = wilson(k2, n2, z);
  if (!w1 || !w2) return null;
  const p1 = k1 / n1;
  const p2 = k2 / n2;
  const d = p2 - p1;
  const lo = d - Math.sqrt((p2 - w2[0]) ** 2 + (w1[1] - p1) ** 2);
  const hi = d + Math.sqrt((w2[1] - p2) ** 2 + (p1 - w1[0]) ** 2);
  return { estimate: d, lo: Math.max(-1, lo), hi: Math.min(1, hi) };
}
