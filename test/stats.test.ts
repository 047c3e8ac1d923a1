import { strict as assert } from "node:assert";
import * as fc from "fast-check";
import { Metric, type Stat } from "../src/stats/metric";
import { summaryNotes } from "../src/summary/summary-notes";
import { START_KINDS } from "../src/runs/record";
import { nearestRank } from "./percentile";


/** The notes a summary prints when its client and duration times are `s` (the other rows empty). */
function notesFor(s: Stat): string[] {
  const none = new Metric(1).stat();
  const stats = { clientMs: s, durationMs: s, billedMs: none, initMs: none, maxMemoryMb: none, latencyMs: none };
  const empty = { clientMs: none, durationMs: none, billedMs: none, initMs: none, maxMemoryMb: none, latencyMs: none };
  const split = Object.fromEntries(START_KINDS.map((k) => [k, k === "warm" ? stats : empty])) as Parameters<typeof summaryNotes>[0]["split"];
  return summaryNotes({ noReport: 0, forcedColdNotCold: 0, restores: 0, provisioned: false, open: false, all: stats, split });
}

describe("streaming statistics", () => {
  it("percentiles match nearest-rank to the histogram's 3 significant digits", () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 1, max: 2_000_000 }), { minLength: 1, maxLength: 300 }), (hundredths) => {
      const values = hundredths.map((h) => h / 100);
      const m = new Metric(100);
      values.forEach((v) => m.record(v));
      const s = m.stat();
      for (const p of [50, 90, 99] as const) {
        const want = nearestRank(values, p);
        const got = s[`p${p}`]!;
        assert.ok(Math.abs(got - want) <= want * 1e-3 + 0.01, `p${p}: ${got} vs ${want}`);
      }
      assert.equal(s.max, Math.max(...values));
      assert.ok(Math.abs(s.mean! - values.reduce((a, b) => a + b, 0) / values.length) < 1e-3);
    }));
  });

  it("gives the median's 95% interval from order statistics, and says when it is too few or too wide", () => {
    const m = new Metric(1);
    for (let v = 1; v <= 100; v++) m.record(v);
    // n = 100: ranks 40 and 60 (exact binomial: 95.4%; the normal approximation said 40 and 61).
    assert.deepEqual(m.stat().p50Ci95, [40, 60]);
    assert.match(notesFor(m.stat()).join("\n"), /the median's 95% interval is wider than 10% of the median in .*duration ms \[40, 60\] \(40%\)/);
    const few = new Metric(1);
    [5, 6, 7].forEach((v) => few.record(v));
    assert.equal(few.stat().p50Ci95, null); // fewer than 6: no 95% interval exists
    assert.match(notesFor(few.stat()).join("\n"), /too few samples for a 95% interval of the median \(6 or more needed\): all \(n = 3\)/);
    const tight = new Metric(1);
    for (let i = 0; i < 1000; i++) tight.record(100 + (i % 5));
    assert.deepEqual(notesFor(tight.stat()), []);
  });

  it("a merge of metrics is the metric of all their values: count, mean, extremes, every percentile", () => {
    // exactUpTo 12: parts and merges on both sides of the exact values' limit, and of its half.
    const part = fc.array(fc.integer({ min: 0, max: 5_000_000 }), { maxLength: 30 });
    fc.assert(fc.property(fc.array(part, { minLength: 1, maxLength: 5 }), fc.array(fc.integer({ min: 0, max: 5_000_000 }), { maxLength: 10 }),
      (parts, later) => {
        const metrics = parts.map((values) => {
          const m = new Metric(1000, { exactUpTo: 12 });
          values.forEach((v) => m.record(v / 1000));
          return m;
        });
        const whole = new Metric(1000, { exactUpTo: 12 });
        parts.flat().forEach((v) => whole.record(v / 1000));
        const merged = Metric.merged(metrics);
        const percentiles = [0.1, 1, 25, 50, 75, 90, 99, 99.9, 100];
        assert.deepEqual(merged.stat(), whole.stat());
        assert.deepEqual(merged.quantiles(percentiles), whole.quantiles(percentiles));
        // And it keeps recording as one would.
        later.forEach((v) => { merged.record(v / 1000); whole.record(v / 1000); });
        assert.deepEqual(merged.stat(), whole.stat());
        assert.deepEqual(merged.quantiles(percentiles), whole.quantiles(percentiles));
      }), { numRuns: 300 });
  });

  it("does not grow with the number of values", () => {
    const footprint = (n: number) => {
      const m = new Metric(100);
      for (let i = 0; i < n; i++) m.record(1 + (i % 5000) / 10);
      return (m as unknown as { hist: { estimatedFootprintInBytes: number } }).hist.estimatedFootprintInBytes;
    };
    // Past EXACT_UP_TO values (kept exactly below it, with no histogram built), only the histogram.
    assert.equal(footprint(200_000), footprint(20_000));
  });
});
