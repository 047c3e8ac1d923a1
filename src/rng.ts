// The one seeded generator: workloads (Poisson, exponential and trace arrivals, idle gaps), the
// bootstrap and interleave's coin all draw from it, with one default seed. The stream is pure-rand's
// xoroshiro128+ (53-bit uniforms by its uniformFloat64, unbiased integers by its uniformInt); the
// normal and beta variates are @stdlib's samplers driven by that stream, so no distribution here is
// hand-written. A shared leaf, like group-by.ts: every room may import it.
import { uniformFloat64 } from "pure-rand/distribution/uniformFloat64";
import { uniformInt } from "pure-rand/distribution/uniformInt";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import betaSampler = require("@stdlib/random-base-beta");
import normalSampler = require("@stdlib/random-base-normal");

/** The seed used when none is given: printed in a run's provenance and in compare's method line. */
export const DEFAULT_SEED = 14;

export class Rng {
  private readonly g: ReturnType<typeof xoroshiro128plus>;
  private betaFn: ((a: number, b: number) => number) | undefined;
  private normalFn: ((mu: number, sigma: number) => number) | undefined;

  constructor(seed: number) {
    this.g = xoroshiro128plus(seed | 0);
  }

  /** A uniform number in [0, 1), a multiple of 2^-53. */
  next(): number {
    return uniformFloat64(this.g);
  }

  /** A uniform integer in [0, n). */
  int(n: number): number {
    return uniformInt(this.g, 0, n - 1);
  }

  /** An exponential variate with the given mean (inverse CDF; 1 - u is never 0). */
  exponential(mean: number): number {
    return -Math.log(1 - this.next()) * mean;
  }

  /** A standard normal variate. */
  normal(): number {
    this.normalFn ??= normalSampler.factory({ prng: () => this.next() });
    return this.normalFn(0, 1);
  }

  /** A Beta(a, b) variate. */
  beta(a: number, b: number): number {
    this.betaFn ??= betaSampler.factory({ prng: () => this.next() });
    return this.betaFn(a, b);
  }
}
