// The comparison function and the matching of runs, on synthetic samples (no files, no servers).
import { strict as assert } from "node:assert";
import { compareMetric, formatRatio, slowerBeyond, MIN_N_P99 } from "../src/compare/compare";
import { matchRuns, type LoadedRun } from "../src/compare/match";
import { valueOf } from "../src/compare/metrics";
import { completeRecord } from "../src/runs/record";
import { RunSummary } from "../src/summary/summary";
import { IdleSummary } from "../src/summary/idle-summary";
import { Rng } from "../src/rng";
import { sampleOfValues, type Sample } from "../src/stats/samples";

const sampleOf = (clusters: ArrayLike<number>[]): Sample => sampleOfValues(clusters, 100);

const lognormal = (seed: number, n: number, median: number, sigma = 0.2): Sample => {
  const rng = new Rng(seed);
  return sampleOf([Float64Array.from({ length: n }, () => median * Math.exp(sigma * rng.normal()))]);
};
const constant = (n: number, v: number): Sample => sampleOf([new Float64Array(n).fill(v)]);
const side = (label: string, sample: Sample) => ({ label, sample });
const opts = { resamples: 2000, seed: 1 };

describe("compare: the comparison of two samples", () => {
  it("B 1.25x slower: the verdict says so with its interval, p50 and p99 both", () => {
    const c = compareMetric("duration", side("A", lognormal(1, 400, 100)), side("B", lognormal(2, 400, 125)), opts);
    assert.equal(c.verdict, "slower");
    const r = c.ratio.p50!;
    assert.ok(r.lo > 1 && r.lo < 1.25 && r.hi > 1.2, JSON.stringify(r));
    assert.match(c.text, /^B is 1\.\d\dx \[1\.\d\d, 1\.\d\d\] slower than A$/);
    assert.ok(c.ratio.p99 && c.a.p99 && c.b.p99 && c.a.p99.lo <= c.a.p99.estimate);
    assert.equal(c.method, "bootstrap of medians, 2000 resamples, seed 1");
  });

  it("B faster: the ratio is turned around, as hyperfine says it", () => {
    const c = compareMetric("duration", side("A", lognormal(1, 400, 125)), side("B", lognormal(2, 400, 100)), opts);
    assert.equal(c.verdict, "faster");
    const [, x, lo, hi] = /^B is ([\d.]+)x \[([\d.]+), ([\d.]+)\] faster than A$/.exec(c.text)!.map(Number);
    assert.ok(Math.abs(x - c.ratio.p50!.estimate ** -1) < 0.006 && Math.abs(lo - 1 / c.ratio.p50!.hi) < 0.006 && Math.abs(hi - 1 / c.ratio.p50!.lo) < 0.006);
  });

  it("the same distribution: no difference shown", () => {
    const c = compareMetric("client", side("A", lognormal(1, 400, 100)), side("B", lognormal(2, 400, 100)), opts);
    assert.equal(c.verdict, "no difference");
    assert.match(c.text, /^no difference shown \(B\/A [\d.]+x \[0\.\d+, 1\.\d+\]\)$/);
  });

  it("identical constant samples: ratio exactly 1, no difference", () => {
    const c = compareMetric("billed", side("A", constant(50, 7)), side("B", constant(50, 7)), opts);
    assert.deepEqual(c.ratio.p50, { estimate: 1, lo: 1, hi: 1 });
    assert.equal(c.verdict, "no difference");
  });

  it("an empty side, too few values, or a zero median: not comparable, and never a gate failure", () => {
    const empty = compareMetric("init", side("A", sampleOf([])), side("B", constant(20, 1)), opts);
    assert.equal(empty.verdict, "not comparable");
    assert.equal(empty.text, "not comparable: A has no init duration values (cold starts)");
    // One minimum-sample rule, the summaries' MIN_CI_SAMPLES (6).
    const few = compareMetric("duration", side("A", constant(5, 1)), side("B", constant(50, 2)), opts);
    assert.equal(few.text, "not comparable: 5 values are too few for an interval (need 6 a side)");
    assert.equal(few.ratio.p50, null);
    const zero = compareMetric("cost", side("A", constant(50, 0)), side("B", constant(50, 2)), opts);
    assert.equal(zero.verdict, "not comparable");
    assert.match(zero.text, /A's median .* reaches 0/);
    for (const c of [empty, few, zero]) assert.equal(slowerBeyond(c, 0), false);
  });

  it("p99 has an interval only from MIN_N_P99 values a side", () => {
    const c = compareMetric("duration", side("A", lognormal(1, MIN_N_P99 - 1, 100)), side("B", lognormal(2, 400, 100)), opts);
    assert.equal(c.ratio.p99, null);
    assert.ok(Number.isNaN(c.a.p99!.lo));
    assert.ok(c.notes.some((n) => n.startsWith("p99 without an interval")));
  });

  it("repetitions: 2 to 19 a side get the t interval, 20 or more the cluster bootstrap; one run against repetitions a note", () => {
    const reps = (k: number) => sampleOf(Array.from({ length: k }, (_, i) => Array.from(lognormal(10 + i, 40, 100 + i).sorted, (u) => u / 100)));
    const five = compareMetric("duration", side("A", reps(5)), side("B", reps(5)), opts);
    assert.equal(five.method, "t-interval on repetition log medians (A 5, B 5 repetitions)");
    const three = compareMetric("duration", side("A", reps(3)), side("B", reps(5)), opts);
    assert.equal(three.method, "t-interval on repetition log medians (A 3, B 5 repetitions)");
    const twenty = compareMetric("duration", side("A", reps(20)), side("B", reps(20)), opts);
    assert.equal(twenty.method, "cluster bootstrap of medians, 2000 resamples, seed 1");
    const one = compareMetric("duration", side("A", reps(1)), side("B", reps(5)), opts);
    assert.equal(one.method, "bootstrap of medians, 2000 resamples, seed 1");
    assert.ok(one.notes.some((n) => n.startsWith("A is one run: the interval leaves out the variation between runs")));
  });

  it("--fail-if-slower: fails only when the estimate and the whole interval are above the threshold", () => {
    const c = compareMetric("duration", side("A", constant(50, 100)), side("B", constant(50, 110)), opts);
    assert.equal(slowerBeyond(c, 0.05), true);
    assert.equal(slowerBeyond(c, 0.10), false);
    const wide = { ...c, ratio: { p50: { estimate: 1.2, lo: 1.04, hi: 1.4 }, p99: null } };
    assert.equal(slowerBeyond(wide, 0.05), false);
  });

  it("ratios get a third decimal when two would round an end to 1.00", () => {
    assert.deepEqual(formatRatio({ estimate: 1.004, lo: 1.002, hi: 1.006 }), { x: "1.004", lo: "1.002", hi: "1.006" });
    assert.deepEqual(formatRatio({ estimate: 1.23, lo: 1.18, hi: 1.29 }), { x: "1.23", lo: "1.18", hi: "1.29" });
  });

  it("takes init from cold starts only and every other metric from calls that did not start cold", () => {
    const base = {
      benchmark: "b", function: "f", region: "us-east-1", architecture: "arm64" as const, configMemoryMb: 128, requestId: "r",
      start: "2026-11-25T00:00:00Z", clientMs: 20, status: 200, functionError: null, error: null, retries: 0, throttles: 0,
      forcedCold: false, durationMs: 10, billedMs: 11, memoryMb: 128, maxMemoryMb: 60, restoreMs: null, reportStatus: null, errorType: null, costUsd: 2e-6,
    };
    const cold = completeRecord({ ...base, cold: true, initMs: 150 });
    const warm = completeRecord({ ...base, cold: false, initMs: null });
    assert.deepEqual([valueOf("init", cold), valueOf("duration", cold), valueOf("init", warm), valueOf("duration", warm)], [150, null, null, 10]);
    assert.equal(valueOf("cost", warm), 2);
    assert.equal(valueOf("latency", warm), 20);
    assert.equal(valueOf("duration", completeRecord({ ...base, cold: false, initMs: null, warmup: true })), null);
  });
});

describe("compare: matching runs", () => {
  const run = (benchmark: string, memoryMb: number, file = `${benchmark}-${memoryMb}.jsonl`): LoadedRun => ({
    run: { file, label: `${benchmark} ${memoryMb} MB`, name: `${benchmark} ${memoryMb} MB`, benchmark, function: benchmark, memoryMb, summary: new RunSummary(), idle: new IdleSummary(), provenance: null },
    samples: new Map(), errors: { calls: 0, functionErrors: 0, transportErrors: 0 },
  });
  const keys = (r: ReturnType<typeof matchRuns>) => r.pairs.map((p) => [p.key, p.a.length, p.b.length]);

  it("two single runs are a pair whatever they are", () => {
    assert.deepEqual(keys(matchRuns([run("x", 128)], [run("y", 256)])), [["", 1, 1]]);
  });

  it("sweeps by memory size, with the sizes only one side has listed", () => {
    const r = matchRuns([run("aes", 128), run("aes", 256), run("aes", 512)], [run("aes", 256), run("aes", 512), run("aes", 1024)]);
    assert.deepEqual(keys(r), [["aes 256 MB", 1, 1], ["aes 512 MB", 1, 1]]);
    assert.deepEqual(r.unmatched, ["A: aes 128 MB", "B: aes 1024 MB"]);
  });

  it("sweeps of two different functions by memory size; suites at two sizes by benchmark", () => {
    assert.deepEqual(keys(matchRuns([run("py", 128), run("py", 256)], [run("go", 128), run("go", 256)])), [["128 MB", 1, 1], ["256 MB", 1, 1]]);
    assert.deepEqual(keys(matchRuns([run("aes", 512), run("auth", 512)], [run("aes", 1024), run("auth", 1024)])), [["aes", 1, 1], ["auth", 1, 1]]);
  });

  it("two runs of one key on a side are pooled, not one replacing the other", () => {
    assert.deepEqual(keys(matchRuns([run("aes", 128, "a1"), run("aes", 128, "a2"), run("aes", 256)], [run("aes", 128), run("aes", 256)])),
      [["aes 128 MB", 2, 1], ["aes 256 MB", 1, 1]]);
  });
});
