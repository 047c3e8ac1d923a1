// The Kolmogorov-Smirnov test against the exponential, shared by the schedule tests.

/** Kolmogorov-Smirnov statistic of samples against the exponential with the given mean. */
export function ksExponential(samples: number[], mean: number): number {
  const xs = [...samples].sort((a, b) => a - b);
  let d = 0;
  xs.forEach((x, i) => {
    const f = 1 - Math.exp(-x / mean);
    d = Math.max(d, (i + 1) / xs.length - f, f - i / xs.length);
  });
  return d;
}

/** The asymptotic critical value of D at alpha = 0.01. */
export const ksCritical01 = (n: number) => 1.6276 / Math.sqrt(n);

/** The gaps between consecutive times. */
export const gaps = (ts: number[]) => ts.slice(1).map((t, i) => t - ts[i]);
