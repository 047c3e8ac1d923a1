// Sharded schedules (issue 28): the N shards' union is the one-process schedule call for call
// (times, order, global indices) for uniform, ramp, bursts and trace; Poisson shards are
// independent streams at rate/N whose gaps, and whose superposition's gaps, pass a KS test.
import { strict as assert } from "node:assert";
import * as fc from "fast-check";
import { OpenSchedule } from "../src/workload/open";
import { RampSchedule, parseRamp } from "../src/workload/ramp";
import { BurstSchedule, parseEvery } from "../src/workload/burst";
import { parseTrace, TraceSchedule, type Trace } from "../src/workload/trace";
import { drain, type Schedule } from "../src/workload/schedule";
import {
  MAX_SHARDS, shardSchedule, shardSchedules, shardSeed, shareOf, type ShardSchedule, type WorkloadPlan,
} from "../src/workload/segments";
import { gaps, ksCritical01, ksExponential } from "./ks";

interface Call { t: number; index: number | null; burst: number | null; shard: number }

function calls(s: ShardSchedule): Call[] {
  const out: Call[] = [];
  for (let t = s.next(); t !== Infinity; t = s.next()) out.push({ t, index: s.index, burst: s.burst, shard: s.shard });
  return out;
}

function global(s: Schedule): { t: number; burst: number | null }[] {
  const out: { t: number; burst: number | null }[] = [];
  for (let t = s.next(); t !== Infinity; t = s.next()) out.push({ t, burst: s.burst });
  return out;
}

/**
 * The union of the shards, put in global-index order, is the one-process schedule: every index
 * 0..T-1 once, each at its time and burst; each shard's times are in order and its total is right.
 */
function assertExactSplit(plan: WorkloadPlan, one: Schedule, n: number): Call[][] {
  const expected = global(one);
  const shards = shardSchedules(plan, n).map((s) => ({ s, total: s.total, calls: calls(s) }));
  const union: Call[] = [];
  for (const { total, calls: c } of shards) {
    assert.equal(c.length, total);
    c.forEach((x, j) => j > 0 && assert.ok(x.t >= c[j - 1].t, "a shard's times are in order"));
    union.push(...c);
  }
  assert.equal(union.length, expected.length);
  union.sort((a, b) => a.index! - b.index!);
  union.forEach((x, k) => {
    assert.equal(x.index, k);
    assert.equal(x.shard, k % n, "shard i holds calls i, i+N, ...");
    assert.equal(x.t, expected[k].t);
    assert.equal(x.burst, expected[k].burst);
  });
  // Merged by (time, shard), the union is the global time sequence.
  const byTime = [...union].sort((a, b) => a.t - b.t || a.shard - b.shard).map((x) => x.t);
  assert.deepEqual(byTime, expected.map((x) => x.t));
  return shards.map((s) => s.calls);
}

const traceOf = (counts: number[]): Trace => ({ kind: "minutes", counts, rows: 1 });

describe("sharded schedules", () => {
  it("uniform: shard i of 3 sends calls i, i+3, ... at their global times i/R", () => {
    const spec = { rate: 40, arrivals: "uniform" as const, seed: 1, durationMs: 1000 };
    const parts = assertExactSplit({ shape: "open", open: spec }, new OpenSchedule(spec), 3);
    assert.deepEqual(parts[1].map((c) => c.t), [25, 100, 175, 250, 325, 400, 475, 550, 625, 700, 775, 850, 925]);
    assert.deepEqual(parts.map((p) => p.length), [14, 13, 13]);
    assert.deepEqual(shardSchedule({ shape: "open", open: spec }, 2, 3).workload, new OpenSchedule(spec).workload);
  });

  it("bursts: each burst's calls dealt across shards, sizes within 1, the extra one moving on", () => {
    const spec = { size: 5, gaps: parseEvery("1s"), count: 4, seed: 1 };
    const parts = assertExactSplit({ shape: "burst", burst: spec }, new BurstSchedule(spec), 3);
    const perBurst = parts.map((p) => [0, 1, 2, 3].map((b) => p.filter((c) => c.burst === b).length));
    assert.deepEqual(perBurst, [[2, 2, 1, 2], [2, 1, 2, 2], [1, 2, 2, 1]]);
    // Seeded exponential gaps: every shard draws the same gaps, so bursts leave at the same times.
    const exp = { size: 3, gaps: parseEvery("exp:2s"), count: 50, seed: 9 };
    assertExactSplit({ shape: "burst", burst: exp }, new BurstSchedule(exp), 4);
  });

  it("trace: each minute's count split exactly, Poisson minutes from the one seed in every shard", () => {
    const spec = { file: "t.csv", trace: traceOf([7, 0, 5, 1]), arrivals: "poisson" as const, seed: 3, speedup: 1, select: {} };
    const parts = assertExactSplit({ shape: "trace", trace: spec }, new TraceSchedule(spec), 3);
    const perMinute = parts.map((p) => [0, 1, 2, 3].map((m) => p.filter((c) => Math.floor(c.t / 60_000) === m).length));
    assert.deepEqual(perMinute, [[3, 0, 1, 1], [2, 0, 2, 0], [2, 0, 2, 0]]);
    const offsets = { ...spec, trace: parseTrace("ms\n0\n5\n5\n12.5\n40\n", "o.csv"), speedup: 2 };
    assertExactSplit({ shape: "trace", trace: offsets }, new TraceSchedule(offsets), 2);
  });

  it("ramp: the global times, alternating between shards", () => {
    const stages = parseRamp("2s:10,1s:30,1s:0");
    const parts = assertExactSplit({ shape: "ramp", stages }, new RampSchedule(stages), 4);
    // 10 + 20 + 15 = 45 calls: 12, 11, 11, 11.
    assert.deepEqual(parts.map((p) => p.length), [12, 11, 11, 11]);
  });

  it("any shape, any N up to 12: the union is the one-process schedule (property)", () => {
    const open = fc.record({ rate: fc.integer({ min: 1, max: 500 }), count: fc.integer({ min: 0, max: 300 }) })
      .map(({ rate, count }): WorkloadPlan => ({ shape: "open", open: { rate, arrivals: "uniform", seed: 1, count } }));
    const ramp = fc.array(fc.record({ durationMs: fc.integer({ min: 1, max: 3000 }), target: fc.integer({ min: 0, max: 120 }) }), { minLength: 1, maxLength: 4 })
      .map((stages): WorkloadPlan => ({ shape: "ramp", stages }));
    const burst = fc.record({ size: fc.integer({ min: 1, max: 40 }), count: fc.integer({ min: 1, max: 8 }), seed: fc.nat(), exp: fc.boolean() })
      .map(({ size, count, seed, exp }): WorkloadPlan => ({ shape: "burst", burst: { size, count, seed, gaps: exp ? { kind: "exp", meanMs: 500 } : { kind: "fixed", ms: [250, 1000] } } }));
    const trace = fc.record({ counts: fc.array(fc.integer({ min: 0, max: 60 }), { minLength: 1, maxLength: 5 }), seed: fc.nat(), poisson: fc.boolean() })
      .map(({ counts, seed, poisson }): WorkloadPlan => ({ shape: "trace", trace: { file: "t", trace: traceOf(counts), arrivals: poisson ? "poisson" : "uniform", seed, speedup: 3, select: {} } }));
    fc.assert(fc.property(fc.oneof(open, ramp, burst, trace), fc.integer({ min: 1, max: 12 }), (plan, n) => {
      const one = plan.shape === "open" ? new OpenSchedule(plan.open) : plan.shape === "ramp" ? new RampSchedule(plan.stages)
        : plan.shape === "burst" ? new BurstSchedule(plan.burst) : new TraceSchedule(plan.trace);
      assertExactSplit(plan, one, n);
    }), { numRuns: 200, seed: 28 });
  });

  it("poisson: each shard's gaps pass KS against Exp(rate/N), the superposition's against Exp(rate)", () => {
    const rate = 200;
    const n = 4;
    const spec = { rate, arrivals: "poisson" as const, seed: 42, durationMs: 200_000 };
    const parts = shardSchedules({ shape: "open", open: spec }, n).map((s) => ({ s, times: drain(s) }));
    for (const { s, times } of parts) {
      assert.equal(s.index, null);
      assert.equal(times.length, s.total);
      const g = gaps([0, ...times]);
      assert.ok(g.length > 9000, `${g.length} gaps`);
      const d = ksExponential(g, (1000 * n) / rate);
      assert.ok(d < ksCritical01(g.length), `shard ${s.shard}: D = ${d}`);
      // The test has power: the shard is not at the full rate.
      assert.ok(ksExponential(g, 1000 / rate) > ksCritical01(g.length));
    }
    const union = parts.flatMap((p) => p.times).sort((a, b) => a - b);
    const g = gaps([0, ...union]);
    assert.ok(ksExponential(g, 1000 / rate) < ksCritical01(g.length), `superposition: D = ${ksExponential(g, 1000 / rate)}`);
    assert.ok(ksExponential(g, (1000 * n) / rate) > ksCritical01(g.length));
    // Independent streams: no two shards share their first times.
    assert.equal(new Set(parts.map((p) => p.times[0])).size, n);
  });

  it("poisson: one shard is the one process; a count is split as a stripe splits it", () => {
    const spec = { rate: 50, arrivals: "poisson" as const, seed: 7, count: 1000 };
    assert.deepEqual(drain(shardSchedule({ shape: "open", open: spec }, 0, 1)), drain(new OpenSchedule(spec)));
    const ten = { ...spec, count: 10 };
    assert.deepEqual(shardSchedules({ shape: "open", open: ten }, 4).map((s) => drain(s).length), [3, 3, 2, 2]);
    assert.deepEqual(shardSchedules({ shape: "open", open: ten }, 4).map((s) => s.workload), Array(4).fill(new OpenSchedule(ten).workload));
  });

  it("shard seeds: the run's seed for one shard, distinct across 10,000 shards", () => {
    assert.equal(shardSeed(42, 0, 1), 42);
    const seeds = Array.from({ length: MAX_SHARDS }, (_, i) => shardSeed(42, i, MAX_SHARDS));
    assert.equal(new Set(seeds).size, MAX_SHARDS);
    assert.ok(seeds.every((s) => Number.isInteger(s) && s >= 0 && s < 2 ** 32));
    assert.notEqual(shardSeed(42, 0, 2), shardSeed(43, 0, 2));
  });

  it("shard i's stripe is k6's striped offsets for N equal segments (its algorithm, ported)", () => {
    // lib/execution_segment.go NewExecutionSegmentSequenceWrapper, for N segments of 1/N: lcd N,
    // every normalized numerator 1; element i goes to the first segment (in sorted order) whose
    // taken count c has i > c*lcd/1 or i == c*lcd. Each segment's elements in one lcd cycle:
    function k6Offsets(n: number): number[][] {
      const lcd = n;
      const offsets: number[][] = Array.from({ length: n }, () => []);
      const chosen = new Array<number>(n).fill(0);
      for (let i = 0; i < lcd; i++) {
        for (let seg = 0; seg < n; seg++) {
          const num = chosen[seg] * lcd;
          if (i > num || i === num) {
            chosen[seg]++;
            offsets[seg].push(i);
            break;
          }
        }
      }
      return offsets;
    }
    for (let n = 1; n <= 20; n++) {
      const plan: WorkloadPlan = { shape: "open", open: { rate: 10, arrivals: "uniform", seed: 1, count: 3 * n } };
      const ours = shardSchedules(plan, n).map((s) => calls(s).map((c) => c.index!));
      // k6 repeats each cycle of lcd = N elements: segment j takes j, j+N, j+2N.
      const k6 = k6Offsets(n);
      assert.ok(k6.every((o) => o.length === 1), "one element a segment a cycle");
      assert.deepEqual(ours, k6.map(([j]) => [j, j + n, j + 2 * n]), `N = ${n}`);
    }
  });

  it("shares and bounds", () => {
    assert.deepEqual([0, 1, 2].map((i) => shareOf(7, i, 3)), [3, 2, 2]);
    assert.deepEqual([0, 1, 2].map((i) => shareOf(2, i, 3)), [1, 1, 0]);
    const plan: WorkloadPlan = { shape: "ramp", stages: parseRamp("1s:10") };
    assert.throws(() => shardSchedule(plan, 3, 3), /shard index must be a whole number from 0 to 2; got 3/);
    assert.throws(() => shardSchedule(plan, 0, 10_001), /shards must be a whole number from 1 to 10000; got 10001/);
    assert.throws(() => shardSchedule(plan, 0, 0), /shards must be/);
  });
});
