// The bootstrap's intervals, checked by coverage on seeded synthetic data where the truth is known.
import { strict as assert } from "node:assert";
import { Rng } from "../src/rng";
import { percentileInterval, plainReplicate, ratioOfQuantiles, type BootstrapMethod } from "../src/stats/bootstrap";
import { quantileSorted, sampleOfValues, type Sample } from "../src/stats/samples";

/** Values at 0.01 ms, as a REPORT's durations are stored. */
const sampleOf = (clusters: ArrayLike<number>[]): Sample => sampleOfValues(clusters, 100);

/** n lognormal values with median `median` and log-sd `sigma`. */
function lognormal(rng: Rng, n: number, median: number, sigma: number, offset = 1): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = median * offset * Math.exp(sigma * rng.normal());
  return out;
}

/** `clusters` repetitions of `perCluster` values, each repetition scaled by its own lognormal offset. */
function clustered(rng: Rng, clusters: number, perCluster: number, median: number): Sample {
  return sampleOf(Array.from({ length: clusters }, () => lognormal(rng, perCluster, median, 0.3, Math.exp(0.25 * rng.normal()))));
}

function binomialTail(n: number, p: number, atLeast: number): number {
  // P(Bin(n, p) >= atLeast), summed in log space.
  let total = 0;
  for (let x = atLeast; x <= n; x++) {
    let logC = 0;
    for (let i = 1; i <= x; i++) logC += Math.log(n - x + i) - Math.log(i);
    total += Math.exp(logC + x * Math.log(p) + (n - x) * Math.log(1 - p));
  }
  return total;
}

describe("stats: bootstrap of quantiles", function () {
  this.timeout(120_000);

  it("a plain replicate has the exact bootstrap distribution of the order statistic", () => {
    // The resample median of n = 15 sorted distinct values is x(j) with P(index <= j) =
    // P(Bin(15, j/15) >= 8); 200,000 Beta-trick replicates match it to 0.005 at every j.
    const n = 15;
    const sorted = Uint32Array.from({ length: n }, (_, i) => i + 1);
    const rng = new Rng(3);
    const counts = new Array(n + 1).fill(0);
    const draws = 200_000;
    for (let i = 0; i < draws; i++) counts[plainReplicate(sorted, 0.5, rng)]++;
    let cum = 0;
    for (let j = 1; j <= n; j++) {
      cum += counts[j];
      const want = j === n ? 1 : binomialTail(n, j / n, 8);
      assert.ok(Math.abs(cum / draws - want) < 0.005, `j=${j}: ${cum / draws} vs ${want}`);
    }
  });

  it("lognormal B = 1.10x A, n = 200 a side: the 95% interval of the median ratio covers 1.10 in 93-97% of 200 runs", () => {
    const rng = new Rng(20261125);
    let covered = 0;
    for (let rep = 0; rep < 200; rep++) {
      const a = sampleOf([lognormal(rng, 200, 100, 0.5)]);
      const b = sampleOf([lognormal(rng, 200, 110, 0.5)]);
      const r = ratioOfQuantiles(a, b, 0.5, { seed: rep, resamples: 10_000 });
      assert.equal(r.methods.a, "bootstrap");
      if (r.ratio.lo <= 1.1 && 1.1 <= r.ratio.hi) covered++;
    }
    assert.ok(covered >= 186 && covered <= 194, `covered ${covered} of 200`);
  });

  it("with no difference, 'slower' (the whole interval above 1) is claimed in at most 5% (+2%) of 200 runs", () => {
    const rng = new Rng(7);
    let slower = 0;
    let faster = 0;
    for (let rep = 0; rep < 200; rep++) {
      const a = sampleOf([lognormal(rng, 200, 100, 0.5)]);
      const b = sampleOf([lognormal(rng, 200, 100, 0.5)]);
      const r = ratioOfQuantiles(a, b, 0.5, { seed: rep });
      if (r.ratio.lo > 1) slower++;
      if (r.ratio.hi < 1) faster++;
    }
    assert.ok(slower <= 14, `slower claimed ${slower} times of 200`);
    assert.ok(slower + faster <= 20, `a difference claimed ${slower + faster} times of 200`);
  });

  it("per-repetition offsets: the cluster bootstrap keeps its coverage, the plain one loses it", () => {
    // 20 repetitions of 25 calls a side, each repetition scaled by its own offset (log-sd 0.25):
    // most of the spread is between repetitions, which a plain bootstrap of 500 calls cannot see.
    // 1,000 resamples (not the CLI's 10,000) keep this at a few seconds: the percentile interval's
    // ends move by well under 1% of coverage at 1,000 resamples.
    const rng = new Rng(99);
    const covered: Record<Exclude<BootstrapMethod, "paired cluster bootstrap">, number> = { bootstrap: 0, "cluster bootstrap": 0 };
    const runs = 200;
    for (let rep = 0; rep < runs; rep++) {
      const a = clustered(rng, 20, 25, 100);
      const b = clustered(rng, 20, 25, 110);
      // The truth: B's population median is 1.10x A's (the same distribution, scaled).
      for (const method of ["bootstrap", "cluster bootstrap"] as const) {
        const r = ratioOfQuantiles(a, b, 0.5, { seed: rep, resamples: 1000, method });
        if (r.ratio.lo <= 1.1 && 1.1 <= r.ratio.hi) covered[method]++;
      }
    }
    assert.ok(covered["cluster bootstrap"] >= 0.9 * runs, `cluster bootstrap covered ${covered["cluster bootstrap"]} of ${runs}`);
    assert.ok(covered.bootstrap <= 0.75 * runs, `plain bootstrap covered ${covered.bootstrap} of ${runs}`);
  });

  it("interleaved repetitions with a drift both sides share: the paired cluster bootstrap cancels it, keeping coverage", () => {
    // 10 repetitions; in each, A and B both get the repetition's offset (log-sd 0.3), B 1.10x A.
    const rng = new Rng(11);
    const runs = 100;
    let covered = 0;
    let pairedWidth = 0;
    let unpairedWidth = 0;
    for (let rep = 0; rep < runs; rep++) {
      const ca: Float32Array[] = [];
      const cb: Float32Array[] = [];
      for (let r = 0; r < 10; r++) {
        const offset = Math.exp(0.3 * rng.normal());
        ca.push(lognormal(rng, 30, 100, 0.3, offset));
        cb.push(lognormal(rng, 30, 110, 0.3, offset));
      }
      const keys = ca.map((_, i) => i);
      const a = { ...sampleOf(ca), keys };
      const b = { ...sampleOf(cb), keys };
      const p = ratioOfQuantiles(a, b, 0.5, { seed: rep, resamples: 1000, paired: true });
      const u = ratioOfQuantiles(a, b, 0.5, { seed: rep, resamples: 1000 });
      assert.equal(p.methods.a, "paired cluster bootstrap");
      assert.equal(u.methods.a, "cluster bootstrap");
      if (p.ratio.lo <= 1.1 && 1.1 <= p.ratio.hi) covered++;
      pairedWidth += p.ratio.hi - p.ratio.lo;
      unpairedWidth += u.ratio.hi - u.ratio.lo;
    }
    assert.ok(covered >= 0.9 * runs, `paired covered ${covered} of ${runs}`);
    assert.ok(pairedWidth < 0.5 * unpairedWidth, `paired width ${pairedWidth / runs}, unpaired ${unpairedWidth / runs}`);
  });

  it("the point estimates are the nearest-rank quantiles, and p99 intervals bracket them", () => {
    const rng = new Rng(5);
    const a = sampleOf([lognormal(rng, 1000, 100, 0.5)]);
    const b = sampleOf([lognormal(rng, 1000, 120, 0.5)]);
    const r = ratioOfQuantiles(a, b, 0.99, { seed: 1, resamples: 2000 });
    assert.equal(r.a.estimate, quantileSorted(a.sorted, 0.99) / 100);
    assert.equal(r.a.estimate, a.sorted[989] / 100);
    assert.ok(r.a.lo <= r.a.estimate && r.a.estimate <= r.a.hi);
    assert.ok(r.ratio.lo <= r.ratio.estimate && r.ratio.estimate <= r.ratio.hi);
    // Same seed, same interval.
    assert.deepEqual(ratioOfQuantiles(a, b, 0.99, { seed: 1, resamples: 2000 }), r);
  });

  it("the 95% interval's ends are the 250th and 9,750th of 10,000 replicates, ranks counted in integers", () => {
    // (1 - 0.95) / 2 is 0.025000000000000022 in floating point: ceil(alpha * n) took the 251st.
    const reps = Float64Array.from({ length: 10_000 }, (_, i) => 10_000 - i);
    assert.deepEqual(percentileInterval(0, reps, 0.95), { estimate: 0, lo: 250, hi: 9750 });
    assert.deepEqual(percentileInterval(0, Float64Array.from({ length: 1000 }, (_, i) => i + 1), 0.9), { estimate: 0, lo: 50, hi: 950 });
  });
});
