// A small seeded random number generator (mulberry32, seeded through splitmix32), so a workload's
// Poisson gaps, exponential burst gaps and trace arrivals are the same for the same --seed.
export class Rng {
  private state: number;

  constructor(seed: number) {
    // splitmix32 of the seed: neighbouring seeds give unrelated streams.
    let z = (seed >>> 0) + 0x9e3779b9;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    this.state = (z ^ (z >>> 16)) >>> 0;
  }

  /** A uniform number in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An exponential variate with the given mean (inverse CDF; 1 - u is never 0). */
  exponential(mean: number): number {
    return -Math.log(1 - this.next()) * mean;
  }
}

/** The seed used when none is given: printed in the workload so a run can be repeated. */
export const DEFAULT_SEED = 1;
