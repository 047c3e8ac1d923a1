// Nearest rank, how the summaries, compare and sweep pick a quantile: the smallest value with
// at least p% of the values at or below it. The rank is computed in integers: ceil(q * n) in
// floating point lands one rank off for some (q, n): 0.07 * 100 is 7.000000000000001, rank 8.

/** The nearest rank (1-based) of percentile p (0-100] among n values, in integer arithmetic. */
export function rankOf(p: number, n: number): number {
  // p as a fraction num / den with den a power of ten (p has at most 6 decimals).
  let den = 100;
  let num = p;
  for (let i = 0; i < 6 && !Number.isInteger(num); i++) {
    num *= 10;
    den *= 10;
  }
  num = Math.round(num);
  const product = BigInt(num) * BigInt(n);
  const rank = Number((product + BigInt(den) - 1n) / BigInt(den));
  return Math.min(n, Math.max(1, rank));
}

/** The nearest rank (1-based) of quantile q (0-1] among n values: rankOf with q as a percentage. */
export function quantileRank(q: number, n: number): number {
  return rankOf(q * 100, n);
}

/** The value at quantile q (0-1] of sorted values, by nearest rank; undefined when there are none. */
export function nearestRankValue<T>(sorted: ArrayLike<T>, q: number): T | undefined {
  return sorted.length ? sorted[quantileRank(q, sorted.length) - 1] : undefined;
}
