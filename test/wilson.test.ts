// The Wilson score interval: published values, and its coverage on seeded binomial data, where the
// true proportion is known.
import { strict as assert } from "node:assert";
import * as fc from "fast-check";
import { rateDifference, wilson } from "../src/stats/wilson";
import { Rng } from "../src/rng";

/** Binomial(n, p) draws from a seeded generator. */
function binomial(random: () => number, n: number, p: number): number {
  let k = 0;
  for (let i = 0; i < n; i++) if (random() < p) k++;
  return k;
}

/** The exact coverage: the probability, over Binomial(n, p), that the interval holds p. */
function exactCoverage(n: number, p: number, interval: (k: number, n: number) => [number, number]): number {
  let cover = 0;
  let c = 1; // C(n, k)
  for (let k = 0; k <= n; k++) {
    const [lo, hi] = interval(k, n);
    if (lo <= p && p <= hi) cover += c * p ** k * (1 - p) ** (n - k);
    c = (c * (n - k)) / (k + 1);
  }
  return cover;
}

/** The normal-approximation interval, the textbook one that undercovers at small n. */
function wald(k: number, n: number): [number, number] {
  const p = k / n;
  const half = 1.96 * Math.sqrt((p * (1 - p)) / n);
  return [p - half, p + half];
}

function simulatedCoverage(seed: number, n: number, p: number, trials: number, interval: (k: number, n: number) => [number, number]): number {
  const rng = new Rng(seed);
  const random = () => rng.next();
  let covered = 0;
  for (let t = 0; t < trials; t++) {
    const [lo, hi] = interval(binomial(random, n, p), n);
    if (lo <= p && p <= hi) covered++;
  }
  return covered / trials;
}

describe("Wilson score interval", () => {
  it("the difference of two rates: Newcombe's published example (56/70 - 48/80 = 0.2000, 95% [0.0524, 0.3339], method 10)", () => {
    const d = rateDifference(48, 80, 56, 70)!;
    assert.deepEqual([d.estimate, d.lo, d.hi].map((x) => x.toFixed(4)), ["0.2000", "0.0524", "0.3339"]);
    // At 0 events on both sides the interval is not degenerate, and it stays within [-1, 1].
    const none = rateDifference(0, 10, 0, 10)!;
    assert.ok(none.lo < 0 && none.hi > 0 && none.lo >= -1 && none.hi <= 1);
    assert.equal(rateDifference(0, 0, 1, 10), null);
  });

  it("gives the published values (Newcombe 1998: 81/263 -> 0.2553-0.3662) and exact bounds at 0 and n", () => {
    const [lo, hi] = wilson(81, 263)!;
    assert.equal(lo.toFixed(4), "0.2553");
    assert.equal(hi.toFixed(4), "0.3662");
    assert.deepEqual(wilson(0, 10)!.map((x) => x.toFixed(4)), ["0.0000", "0.2775"]);
    assert.deepEqual(wilson(10, 10)!.map((x) => x.toFixed(4)), ["0.7225", "1.0000"]);
    assert.deepEqual(wilson(5, 10)!.map((x) => x.toFixed(4)), ["0.2366", "0.7634"]);
    assert.equal(wilson(0, 0), null);
    assert.throws(() => wilson(3, 2), RangeError);
  });

  it("covers the true proportion about 95% of the time on seeded binomial data (and Wald does not)", () => {
    const trials = 4000;
    const cells: number[] = [];
    let seed = 1;
    for (const n of [10, 30, 100]) {
      for (const p of [0.1, 0.3, 0.5, 0.7, 0.9]) {
        const exact = exactCoverage(n, p, (k, m) => wilson(k, m)!);
        const simulated = simulatedCoverage(seed++, n, p, trials, (k, m) => wilson(k, m)!);
        // The simulation agrees with the exact coverage to within 4 standard errors...
        const se = Math.sqrt((exact * (1 - exact)) / trials);
        assert.ok(Math.abs(simulated - exact) < 4 * se, `n ${n} p ${p}: simulated ${simulated} vs exact ${exact.toFixed(4)}`);
        // ...and neither strays far from 95% (Wilson oscillates around its nominal level).
        assert.ok(simulated > 0.9 && simulated < 0.99, `n ${n} p ${p}: coverage ${simulated}`);
        cells.push(simulated);
      }
    }
    const mean = cells.reduce((a, b) => a + b, 0) / cells.length;
    assert.ok(mean > 0.94 && mean < 0.965, `mean coverage ${mean}`);
    // The same test fails the normal approximation at small n and p: it would catch a wrong formula.
    assert.ok(simulatedCoverage(99, 10, 0.1, trials, wald) < 0.8);
  });

  it("lies in [0, 1], holds k/n, and narrows as n grows at the same share", () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 500 }), fc.double({ min: 0, max: 1, noNaN: true }), (n, u) => {
      const k = Math.min(n, Math.floor(u * (n + 1)));
      const [lo, hi] = wilson(k, n)!;
      assert.ok(lo >= 0 && hi <= 1 && lo <= k / n && k / n <= hi, `${k}/${n}: [${lo}, ${hi}]`);
      const [lo4, hi4] = wilson(4 * k, 4 * n)!;
      assert.ok(hi4 - lo4 < hi - lo);
    }));
  });
});
