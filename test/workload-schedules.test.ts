// The schedule generators, exactly: uniform and ramp times from their formulas, Poisson gaps by a
// Kolmogorov-Smirnov test against the exponential, bursts and their gaps, durations.
import { strict as assert } from "node:assert";
import { OpenSchedule } from "../src/workload/open";
import { parseRamp, RampSchedule } from "../src/workload/ramp";
import { BurstSchedule, parseEvery } from "../src/workload/burst";
import { drain } from "../src/workload/schedule";
import { formatDuration, parseDuration } from "../src/workload/duration";
import { Rng } from "../src/rng";
import * as fc from "fast-check";
import { gaps, ksCritical01, ksExponential } from "./ks";

describe("workload schedules", () => {
  it("uniform: call i at exactly i/R, ending before the duration or at the count", () => {
    const byTime = drain(new OpenSchedule({ rate: 40, arrivals: "uniform", seed: 1, durationMs: 1000 }));
    assert.deepEqual(byTime, Array.from({ length: 40 }, (_, i) => i * 25));
    const s = new OpenSchedule({ rate: 3, arrivals: "uniform", seed: 1, count: 7 });
    assert.equal(s.total, 7);
    assert.deepEqual(drain(s), Array.from({ length: 7 }, (_, i) => (i * 1000) / 3));
    // Both bounds: the count comes first here.
    assert.equal(drain(new OpenSchedule({ rate: 1000, arrivals: "uniform", seed: 1, count: 5, durationMs: 60_000 })).length, 5);
    // A million calls at 7/s carry no drift: the last is computed, not summed.
    const long = new OpenSchedule({ rate: 7, arrivals: "uniform", seed: 1, count: 1_000_000 });
    let last = 0;
    for (let t = long.next(); t !== Infinity; t = long.next()) last = t;
    assert.equal(last, (999_999 * 1000) / 7);
  });

  it("poisson: gaps from a seed pass a KS test against the exponential (alpha 0.01, 20,000 gaps); a constant spacing fails it", () => {
    const rate = 250;
    const times = drain(new OpenSchedule({ rate, arrivals: "poisson", seed: 42, count: 20_001 }));
    const g = gaps([0, ...times]).slice(0, 20_000);
    assert.equal(g.length, 20_000);
    const d = ksExponential(g, 1000 / rate);
    assert.ok(d < ksCritical01(g.length), `D = ${d} >= ${ksCritical01(g.length)}`);
    // The test has power: uniform gaps of the same mean are rejected, as are exponential gaps of a wrong mean.
    const uniform = gaps(drain(new OpenSchedule({ rate, arrivals: "uniform", seed: 42, count: 20_001 })));
    assert.ok(ksExponential(uniform, 1000 / rate) > ksCritical01(uniform.length));
    assert.ok(ksExponential(g, 1.1 * (1000 / rate)) > ksCritical01(g.length));
    // The same seed gives the same times; another seed others.
    assert.deepEqual(drain(new OpenSchedule({ rate, arrivals: "poisson", seed: 42, count: 100 })), times.slice(0, 100));
    assert.notDeepEqual(drain(new OpenSchedule({ rate, arrivals: "poisson", seed: 43, count: 100 })), times.slice(0, 100));
  });

  it("poisson with a duration stops before it", () => {
    const s = new OpenSchedule({ rate: 100, arrivals: "poisson", seed: 7, durationMs: 10_000 });
    const ts = drain(s);
    // Its total (the progress bar's) is exact, counted ahead from the same seed.
    assert.equal(s.total, ts.length);
    assert.ok(ts.every((t) => t < 10_000));
    // 1,000 expected; 5 sigma is about 160.
    assert.ok(Math.abs(ts.length - 1000) < 160, String(ts.length));
  });

  it("ramp: k6 stages, call k when the rate's integral reaches k, exactly", () => {
    // 0 -> 10/s over 10 s: N(t) = t^2 / 2, so call k at sqrt(2k) s; then 10/s for 5 s: call k at 10 + (k - 50)/10 s;
    // then 10 -> 0 over 2 s: N(t) = 100 + 10t - 2.5t^2.
    const s = new RampSchedule(parseRamp("10s:10,5s:10,2s:0"));
    const ts = drain(s);
    assert.equal(s.total, 110);
    assert.equal(ts.length, 110);
    for (let k = 0; k < 50; k++) assert.ok(Math.abs(ts[k] - 1000 * Math.sqrt(2 * k)) < 1e-6, `call ${k}: ${ts[k]}`);
    for (let k = 50; k < 100; k++) assert.ok(Math.abs(ts[k] - 1000 * (10 + (k - 50) / 10)) < 1e-6, `call ${k}: ${ts[k]}`);
    for (let k = 100; k < 110; k++) {
      const need = k - 100;
      const t = (10 - Math.sqrt(100 - 10 * need)) / 5;
      assert.ok(Math.abs(ts[k] - 1000 * (15 + t)) < 1e-6, `call ${k}: ${ts[k]} vs ${1000 * (15 + t)}`);
    }
    assert.deepEqual(s.workload, { shape: "ramp", ramp: "10s:10,5s:10,2s:0" });
  });

  it("ramp: for any stages, times rise within the ramp, and their count is the total the progress bar uses", () => {
    const stage = fc.record({ durationMs: fc.integer({ min: 1, max: 5000 }), target: fc.integer({ min: 0, max: 500 }) });
    fc.assert(fc.property(fc.array(stage, { minLength: 1, maxLength: 5 }), (stages) => {
      const s = new RampSchedule(stages);
      const ts = drain(s);
      const end = stages.reduce((a, x) => a + x.durationMs, 0);
      assert.equal(ts.length, s.total);
      ts.forEach((t, i) => assert.ok(t >= (i ? ts[i - 1] : 0) && t < end, `${i}: ${t}`));
    }), { seed: 13, numRuns: 200 });
  });

  it("ramp: a bad stage is named", () => {
    assert.throws(() => parseRamp("30s:10,fast:20"), /stage 2/);
    assert.throws(() => parseRamp("30s"), /stage 1 .*DURATION:RATE/);
  });

  it("bursts: B calls at once, fixed, listed or exponential gaps, with the burst index", () => {
    const s = new BurstSchedule({ size: 3, gaps: parseEvery("1s,5s"), seed: 1 });
    const out: [number, number | null][] = [];
    for (let t = s.next(); t !== Infinity; t = s.next()) out.push([t, s.burst]);
    assert.deepEqual(out, [[0, 0], [0, 0], [0, 0], [1000, 1], [1000, 1], [1000, 1], [6000, 2], [6000, 2], [6000, 2]]);
    const fixed = drain(new BurstSchedule({ size: 2, gaps: parseEvery("250ms"), count: 4, seed: 1 }));
    assert.deepEqual(fixed, [0, 0, 250, 250, 500, 500, 750, 750]);
    const exp = new BurstSchedule({ size: 1, gaps: parseEvery("exp:2s"), count: 5001, seed: 9 });
    const g = gaps(drain(exp));
    assert.ok(ksExponential(g, 2000) < ksCritical01(g.length));
    assert.deepEqual(exp.workload, { shape: "burst", burst: 1, bursts: 5001, every: "exp:2s", seed: 9 });
  });

  it("durations: units, and a one-line error for a bad one", () => {
    assert.equal(parseDuration("500ms"), 500);
    assert.equal(parseDuration("1.5s"), 1500);
    assert.equal(parseDuration("2m"), 120_000);
    assert.equal(parseDuration("1h"), 3_600_000);
    assert.throws(() => parseDuration("30"), /number with a unit/);
    assert.equal(formatDuration(90_000), "1m30s");
    assert.equal(formatDuration(250), "250ms");
  });

  it("durations: every printed duration parses back to what was printed (1m30s, 1h30m)", () => {
    assert.equal(parseDuration("1m30s"), 90_000);
    assert.equal(parseDuration("1h30m"), 5_400_000);
    assert.equal(parseDuration("2s500ms"), 2500);
    // Units largest first, each once; a unit-less part is refused.
    for (const bad of ["30s1m", "1m1m", "1m30", "m30s", "1.5"]) assert.throws(() => parseDuration(bad), /number with a unit/, bad);
    for (const ms of [250, 999.5, 1000, 1250, 14_100, 59_000, 60_000, 90_000, 3_599_000, 3_600_000, 5_400_000, 3_661_000, 86_400_000]) {
      const text = formatDuration(ms);
      assert.equal(parseDuration(text), ms, `${ms} -> ${text}`);
    }
  });

  it("the RNG is seeded and uniform on [0, 1)", () => {
    const a = new Rng(5);
    const b = new Rng(5);
    const xs = Array.from({ length: 10_000 }, () => a.next());
    assert.deepEqual(xs.slice(0, 10), Array.from({ length: 10 }, () => b.next()));
    assert.ok(xs.every((x) => x >= 0 && x < 1));
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    assert.ok(Math.abs(mean - 0.5) < 0.015, String(mean));
  });
});
