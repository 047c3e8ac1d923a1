import { strict as assert } from "node:assert";
import { medianRanks } from "../src/stats/median-ci";
import fc from "fast-check";
import { Metric } from "../src/stats/metric";
import { nearestRankValue, rankOf } from "../src/stats/rank";
import { Rng } from "../src/rng";

/** C(n, i) for i = 0..n, exactly. */
function binomialRow(n: number): bigint[] {
  const row = [1n];
  for (let i = 1; i <= n; i++) row.push((row[i - 1] * BigInt(n - i + 1)) / BigInt(i));
  return row;
}

/** Whether [X(lo), X(hi)] covers the median with probability >= 95%, in exact integer arithmetic. */
function covers95(row: bigint[], lo: number, hi: number): boolean {
  const n = row.length - 1;
  let hits = 0n;
  for (let i = lo; i <= hi - 1; i++) hits += row[i];
  return hits * 100n >= 95n * 2n ** BigInt(n);
}

/** A seeded generator, so failures reproduce. */
function rng(seed: number): () => number {
  const r = new Rng(seed);
  return () => r.next();
}

describe("exact median interval", () => {
  it("for n = 8..200 covers the median with >= 95% exactly, and no bound can come in by one rank and keep it", () => {
    for (let n = 8; n <= 200; n++) {
      const row = binomialRow(n);
      const r = medianRanks(n);
      assert.ok(r, `n = ${n}: no interval`);
      assert.ok(r.lo >= 1 && r.hi <= n && r.lo < r.hi, `n = ${n}: ranks ${r.lo}, ${r.hi}`);
      assert.ok(covers95(row, r.lo, r.hi), `n = ${n}: [${r.lo}, ${r.hi}] covers less than 95%`);
      assert.ok(!covers95(row, r.lo + 1, r.hi), `n = ${n}: [${r.lo + 1}, ${r.hi}] still covers 95%`);
      assert.ok(!covers95(row, r.lo, r.hi - 1), `n = ${n}: [${r.lo}, ${r.hi - 1}] still covers 95%`);
    }
  });

  it("has none below n = 6, where even [min, max] covers less than 95%, and [min, max] at n = 6 and 7", () => {
    for (let n = 1; n <= 5; n++) assert.equal(medianRanks(n), null, `n = ${n}`);
    assert.deepEqual([medianRanks(6)?.lo, medianRanks(6)?.hi], [1, 6]);
    assert.deepEqual([medianRanks(7)?.lo, medianRanks(7)?.hi], [1, 7]);
    // n = 10: Le Boudec's Table A.1 gives ranks 2 and 9 (the normal approximation: 1 and 10).
    assert.deepEqual([medianRanks(10)?.lo, medianRanks(10)?.hi], [2, 9]);
  });

  it("stays at 95% and tight for large n, where the normal approximation only starts the search", () => {
    for (const n of [1_000, 12_345, 1_000_000]) {
      const r = medianRanks(n)!;
      assert.ok(r.coverage >= 0.95 && r.coverage < 0.951, `n = ${n}: coverage ${r.coverage}`);
      assert.ok(Math.abs((r.lo + r.hi) / 2 - n / 2) <= 1, `n = ${n}: not centred`);
    }
  });

  it("puts the interval's ranks on the metric's observed values", () => {
    const m = new Metric(1);
    for (let v = 1; v <= 100; v++) m.record(v);
    assert.deepEqual(m.stat().p50Ci95, [medianRanks(100)!.lo, medianRanks(100)!.hi]);
  });
});

describe("integer percentile ranks", () => {
  it("returns the value at that rank for every (n, rank) pair with n <= 1,500", function () {
    this.timeout(120_000);
    const random = rng(15);
    for (let n = 1; n <= 1500; n++) {
      // Integers below 2048 are exact in a 3-significant-digit histogram, so the value at each
      // rank must come back exactly; duplicates are allowed.
      const values = Array.from({ length: n }, () => Math.floor(random() * 2048));
      // Both paths: the values kept exactly, and the walk of the histogram's counts.
      const m = new Metric(1);
      const walked = new Metric(1, { exactUpTo: 0 });
      values.forEach((v) => { m.record(v); walked.record(v); });
      const sorted = [...values].sort((a, b) => a - b);
      const ranks = Array.from({ length: n }, (_, i) => n - i); // asked out of order on purpose
      for (const [how, metric] of [["exact", m], ["histogram", walked]] as const) {
        const got = metric.valuesAtRanks(ranks);
        for (let i = 0; i < n; i++) {
          if (got[i] !== sorted[ranks[i] - 1]) assert.fail(`${how}, n = ${n}, rank ${ranks[i]}: got ${got[i]}, want ${sorted[ranks[i] - 1]}`);
        }
      }
    }
  });

  it("computes ceil(p * n / 100) without a float round trip (n = 193, rank 127 among them)", () => {
    for (let n = 1; n <= 5000; n++) {
      for (const [p, num, den] of [[50, 1n, 2n], [90, 9n, 10n], [99, 99n, 100n], [99.9, 999n, 1000n], [12.5, 1n, 8n]] as const) {
        const want = Number((BigInt(n) * num + den - 1n) / den);
        assert.equal(rankOf(p, n), Math.max(1, want), `p${p}, n = ${n}`);
      }
    }
    const m = new Metric(1, { exactUpTo: 0 });
    for (let v = 1; v <= 193; v++) m.record(v * 10);
    assert.deepEqual(m.valuesAtRanks([127]), [1270]);
  });

  it("picks a sorted array's value by that rank, where ceil(q * n) in floating point is one off", () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    assert.equal(Math.ceil(0.07 * 100), 8); // the float rank
    assert.equal(nearestRankValue(values, 0.07), 7);
    assert.equal(nearestRankValue(values, 0.5), 50);
    assert.equal(nearestRankValue(values, 1), 100);
    assert.equal(nearestRankValue([], 0.5), undefined);
  });

  it("reports billed ms as whole ms, observed values within the histogram's precision, and rounded JSON", () => {
    const random = rng(18);
    // The histogram's path (past EXACT_UP_TO values), where a value is a bucket's, not a sample.
    const billed = new Metric(1, { exactUpTo: 0 });
    const duration = new Metric(100, { exactUpTo: 0 });
    const observedBilled: number[] = [];
    for (let i = 0; i < 999; i++) {
      const d = Math.round((200 + random() * 3000) * 100) / 100;
      duration.record(d);
      observedBilled.push(Math.ceil(d));
      billed.record(Math.ceil(d));
    }
    const s = billed.stat();
    for (const v of [s.p50!, s.p90!, s.p99!, s.max!, ...s.p50Ci95!]) {
      assert.ok(Number.isInteger(v), `billed ${v} is not a whole ms`);
      // Within 0.1% below an observed value (the bucket's lowest value), never above the max.
      assert.ok(observedBilled.some((o) => o >= v && o - v <= o * 1e-3), `billed ${v} was not observed`);
    }
    const d = duration.stat();
    for (const v of [d.mean!, d.p50!, d.p90!, d.p99!, d.max!]) {
      assert.ok(/^\d+(\.\d{1,3})?$/.test(String(v)), `duration ${v} carries more digits than were measured`);
    }
  });

  it("reports observed values exactly while the values are kept, and the histogram's past that", () => {
    const small = new Metric(1000, { exactUpTo: 100 });
    const values = Array.from({ length: 100 }, (_, i) => 20 + i * 0.077);
    values.forEach((v) => small.record(v));
    const s = small.stat();
    for (const v of [s.p50!, s.p90!, s.p99!, ...s.p50Ci95!]) assert.ok(values.some((x) => Math.abs(x - v) < 5e-4), `${v} not observed`);
    small.record(1); // the 101st: now the histogram answers, to 0.1%
    assert.ok(Math.abs(small.stat().p50! - values[49]) <= values[49] * 1e-3);
  });

  it("past the exact values, the histogram holds every value, however often the figures were read on the way", () => {
    // The histogram is filled from half of exactUpTo on; reading the figures sorts the exact values
    // in between. Either way the result past exactUpTo is that of a histogram fed every value.
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 5_000_000 }), { minLength: 1, maxLength: 120 }), fc.integer({ min: 0, max: 40 }),
      fc.array(fc.nat(130), { maxLength: 5 }), (values, exactUpTo, readsAt) => {
        const m = new Metric(1000, { exactUpTo });
        const always = new Metric(1000, { exactUpTo: 0 });
        values.forEach((v, i) => {
          m.record(v / 1000);
          always.record(v / 1000);
          if (readsAt.includes(i)) m.stat();
        });
        if (values.length > exactUpTo) assert.deepEqual(m.stat(), always.stat());
      }), { numRuns: 500 });
  });
});
