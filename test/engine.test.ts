// The engine on a fake clock: sends on absolute deadlines, a late timer sends every overdue call at
// once with its lag, a full in-flight limit drops (never queues), the closed loop refills a slot
// when it frees, and a trace replays its counts minute by minute. No test here sleeps.
import { strict as assert } from "node:assert";
import { FakeClock } from "../src/workload/clock";
import { Engine } from "../src/workload/engine";
import { OpenSchedule } from "../src/workload/open";
import { parseRamp, RampSchedule } from "../src/workload/ramp";
import { drain, type Schedule } from "../src/workload/schedule";
import { parseTrace, TraceSchedule } from "../src/workload/trace";

interface Sent { scheduledAt: number; sentAt: number; lag: number; burst: number | null }

/** An engine whose calls stay in flight until the test settles them. */
function harness(maxInFlight = Infinity) {
  const clock = new FakeClock();
  const sent: Sent[] = [];
  const dropped: number[] = [];
  const open: (() => void)[] = [];
  const engine = new Engine(clock, (scheduledAt, sentAt, burst) => {
    sent.push({ scheduledAt, sentAt, lag: sentAt - scheduledAt, burst });
    return new Promise<void>((resolve) => open.push(resolve));
  }, { maxInFlight, onDrop: (at) => dropped.push(at) });
  const settleAll = async () => {
    while (open.length) open.shift()!();
    await Promise.resolve();
  };
  return { clock, sent, dropped, open, engine, settleAll };
}

/** Runs a schedule to its end on the fake clock, answering every call at once. */
async function runInstantly(schedule: Schedule, step = 1, clock = new FakeClock()) {
  const sent: Sent[] = [];
  const engine = new Engine(clock, async (scheduledAt, sentAt, burst) => {
    sent.push({ scheduledAt, sentAt, lag: sentAt - scheduledAt, burst });
  }, { maxInFlight: Infinity });
  let done = false;
  const run = engine.runOpen(schedule).then(() => { done = true; });
  while (!done) {
    clock.advance(step);
    await new Promise((r) => setImmediate(r));
  }
  await run;
  return { sent, engine };
}

describe("engine (fake clock)", () => {
  it("sends a uniform schedule on its exact deadlines, with no lag when the timer is on time", async () => {
    const { sent } = await runInstantly(new OpenSchedule({ rate: 200, arrivals: "uniform", seed: 1, count: 50 }), 0.5);
    assert.deepEqual(sent.map((s) => s.scheduledAt), Array.from({ length: 50 }, (_, i) => i * 5));
    assert.deepEqual(sent.map((s) => s.sentAt), sent.map((s) => s.scheduledAt));
    assert.ok(sent.every((s) => s.lag === 0));
  });

  it("sends a ramp on its exact deadlines", async () => {
    const ramp = "2s:20,1s:20";
    const expected = drain(new RampSchedule(parseRamp(ramp)));
    const { sent } = await runInstantly(new RampSchedule(parseRamp(ramp)), 0.25);
    assert.deepEqual(sent.map((s) => s.scheduledAt), expected);
    // The timer is set for each deadline exactly, so each leaves at its time.
    assert.deepEqual(sent.map((s) => s.sentAt), expected);
  });

  it("a timer firing 50 ms late sends every overdue call at once and records each one's lag; deadlines do not shift", async () => {
    const h = harness();
    h.clock.lateBy = 50;
    void h.engine.runOpen(new OpenSchedule({ rate: 1000, arrivals: "uniform", seed: 1, count: 200 }));
    // Call 0 is due at once; the timer for call 1 (due at 1 ms) fires at 51 ms.
    assert.equal(h.sent.length, 1);
    h.clock.advanceTo(50.9);
    assert.equal(h.sent.length, 1);
    h.clock.advanceTo(51);
    assert.equal(h.sent.length, 52);
    const batch = h.sent.slice(1);
    assert.ok(batch.every((s) => s.sentAt === 51));
    assert.deepEqual(batch.map((s) => s.scheduledAt), Array.from({ length: 51 }, (_, i) => i + 1));
    assert.deepEqual(batch.map((s) => s.lag), Array.from({ length: 51 }, (_, i) => 50 - i));
    // The next timer is for call 52 (due at 52), not 51 + 1 ms after the batch: fires at 102.
    h.clock.advanceTo(101.9);
    assert.equal(h.sent.length, 52);
    h.clock.advanceTo(102);
    assert.equal(h.sent.length, 103);
    assert.equal(h.sent[52].scheduledAt, 52);
    assert.equal(h.sent[52].lag, 50);
    await h.settleAll();
  });

  it("one wake sends every call that came due since the last, each with its own lag", async () => {
    const h = harness();
    // 8,000 calls a second: one due every 0.125 ms, so each 1 ms tick finds 8 due.
    void h.engine.runOpen(new OpenSchedule({ rate: 8000, arrivals: "uniform", seed: 1, count: 40 }));
    assert.equal(h.sent.length, 1);
    // The next call is due at 0.125 ms, but the engine sleeps a whole tick: nothing goes before 1 ms.
    assert.deepEqual(h.clock.waits, [1]);
    h.clock.advanceTo(0.999);
    assert.equal(h.sent.length, 1);
    h.clock.advanceTo(1);
    const wake = h.sent.slice(1);
    assert.deepEqual(wake.map((s) => s.scheduledAt), [0.125, 0.25, 0.375, 0.5, 0.625, 0.75, 0.875, 1]);
    assert.ok(wake.every((s) => s.sentAt === 1));
    assert.deepEqual(wake.map((s) => s.lag), [0.875, 0.75, 0.625, 0.5, 0.375, 0.25, 0.125, 0]);
    // Call 9 is due at 1.125: again a whole tick of sleep, to 2 ms.
    assert.deepEqual(h.clock.waits, [1, 1]);
    h.clock.advanceTo(2);
    assert.equal(h.sent.length, 17);
    await h.settleAll();
  });

  it("a completion between two wakes sends the calls due by then once the oldest has waited half a tick", async () => {
    const h = harness();
    const settleOne = async () => {
      h.open.shift()!();
      await Promise.resolve();
      await Promise.resolve();
    };
    // 8,000 calls a second: due every 0.125 ms; the timer sleeps a whole tick at a time.
    void h.engine.runOpen(new OpenSchedule({ rate: 8000, arrivals: "uniform", seed: 1, count: 40 }));
    h.clock.advanceTo(1);
    assert.equal(h.sent.length, 9);
    assert.deepEqual(h.clock.waits, [1, 1]);
    // At 1.3 ms a call returns: the oldest due call (1.125) has waited 0.175 ms, under half a tick: nothing goes.
    h.clock.advanceTo(1.3);
    await settleOne();
    assert.equal(h.sent.length, 9);
    // At 1.7 ms another returns: 1.125 has waited 0.575 ms, so every call due by now goes, now.
    h.clock.advanceTo(1.7);
    await settleOne();
    assert.deepEqual(h.sent.slice(9).map((s) => [s.scheduledAt, s.sentAt]), [[1.125, 1.7], [1.25, 1.7], [1.375, 1.7], [1.5, 1.7], [1.625, 1.7]]);
    // No timer was set by a completion; the pending one still wakes at 2 ms for the rest.
    assert.deepEqual(h.clock.waits, [1, 1]);
    h.clock.advanceTo(2);
    assert.deepEqual(h.sent.slice(14).map((s) => [s.scheduledAt, s.sentAt]), [[1.75, 2], [1.875, 2], [2, 2]]);
    await h.settleAll();
  });

  it("sets no timer shorter than its tick when nothing is due, at any rate and any wake time", async () => {
    for (const [rate, tickMs] of [[20_000, 1], [3000, 1], [700, 1], [10_000, 2]]) {
      const clock = new FakeClock();
      const sent: number[] = [];
      const engine = new Engine(clock, async (at) => { sent.push(at); }, { maxInFlight: Infinity, tickMs });
      let done = false;
      const run = engine.runOpen(new OpenSchedule({ rate, arrivals: "poisson", seed: 9, durationMs: 300 })).then(() => { done = true; });
      // Wakes at uneven times (a real timer's), 0.1 to 2.4 ms apart.
      for (let i = 0; !done; i++) {
        clock.advance(0.1 + ((i * 7) % 24) / 10);
        await new Promise((r) => setImmediate(r));
      }
      await run;
      assert.ok(clock.waits.length > 50, `${rate}/s: ${clock.waits.length} timers`);
      assert.ok(clock.waits.every((w) => w >= tickMs - 1e-9), `${rate}/s: shortest wait ${Math.min(...clock.waits)} ms`);
      // Every call went out, none before its time.
      assert.equal(sent.length, engine.sent);
      assert.equal(engine.dropped, 0);
    }
  });

  it("with M calls in flight the next due call is dropped with its scheduled time, never queued", async () => {
    const h = harness(3);
    let done = false;
    const run = h.engine.runOpen(new OpenSchedule({ rate: 100, arrivals: "uniform", seed: 1, count: 8 })).then(() => { done = true; });
    h.clock.advanceTo(40);
    // Calls 0, 1, 2 went out (at 0, 10, 20); 3 and 4 (due at 30, 40) found 3 in flight.
    assert.deepEqual(h.sent.map((s) => s.scheduledAt), [0, 10, 20]);
    assert.deepEqual(h.dropped, [30, 40]);
    assert.equal(h.engine.peakInFlight, 3);
    // One returns: call 5 (due at 50) goes out at its time; the dropped ones are not sent late.
    h.open.shift()!();
    await Promise.resolve();
    await Promise.resolve();
    assert.equal(h.engine.inFlight, 2);
    h.clock.advanceTo(50);
    assert.deepEqual(h.sent.map((s) => s.scheduledAt), [0, 10, 20, 50]);
    h.clock.advanceTo(70);
    assert.deepEqual(h.dropped, [30, 40, 60, 70]);
    assert.equal(h.engine.dropped, 4);
    assert.equal(done, false);
    await h.settleAll();
    await run;
    assert.equal(h.engine.sent + h.engine.dropped, 8);
  });

  it("the closed loop keeps C in flight, scheduling each call when a slot frees", async () => {
    const h = harness();
    let done = false;
    const run = h.engine.runClosed(5, 2).then(() => { done = true; });
    assert.equal(h.sent.length, 2);
    assert.deepEqual(h.sent.map((s) => s.scheduledAt), [0, 0]);
    h.clock.advanceTo(7);
    h.open.shift()!();
    await Promise.resolve();
    await Promise.resolve();
    assert.equal(h.sent.length, 3);
    assert.deepEqual(h.sent[2], { scheduledAt: 7, sentAt: 7, lag: 0, burst: null });
    assert.equal(h.engine.peakInFlight, 2);
    while (!done) {
      await h.settleAll();
      await new Promise((r) => setImmediate(r));
    }
    await run;
    assert.equal(h.sent.length, 5);
  });

  it("a failing send stops the schedule; calls in flight finish", async () => {
    const clock = new FakeClock();
    let n = 0;
    const engine = new Engine(clock, async () => {
      if (++n === 3) throw new Error("fatal");
    }, { maxInFlight: Infinity });
    const run = engine.runOpen(new OpenSchedule({ rate: 1000, arrivals: "uniform", seed: 1, count: 100 }));
    for (let t = 1; t <= 10; t++) {
      clock.advanceTo(t);
      await new Promise((r) => setImmediate(r));
    }
    await run;
    assert.equal((engine.error as Error).message, "fatal");
    assert.equal(engine.sent, 3);
    // Its timer for the next call is gone: nothing keeps the process waiting.
    assert.equal(clock.pending, 0);
  });

  it("trace replay: the calls sent in each minute equal the file's counts (uniform and poisson)", async () => {
    const file = "HashOwner,HashApp,HashFunction,Trigger,1,2,3,4,5\n" +
      "o1,a1,f1,http,3,0,7,1,12\n" +
      "o2,a2,f2,timer,1,1,1,1,1\n";
    for (const arrivals of ["uniform", "poisson"] as const) {
      const trace = parseTrace(file, "t.csv", { function: "f1", minutes: [1, 5] });
      const schedule = new TraceSchedule({ file: "t.csv", trace, arrivals, seed: 3, speedup: 60, select: { function: "f1" } });
      const { sent } = await runInstantly(schedule, 5);
      const perMinute = [0, 0, 0, 0, 0];
      for (const s of sent) perMinute[Math.floor(s.sentAt / 1000)]++;
      assert.deepEqual(perMinute, [3, 0, 7, 1, 12], arrivals);
    }
    // Every row summed, and a range of minutes.
    const all = new TraceSchedule({ file: "t.csv", trace: parseTrace(file, "t.csv", { minutes: [3, 4] }), arrivals: "uniform", seed: 1, speedup: 60, select: {} });
    const { sent } = await runInstantly(all, 5);
    assert.deepEqual([0, 1].map((m) => sent.filter((s) => Math.floor(s.sentAt / 1000) === m).length), [8, 2]);
  });
});

describe("engine (fake clock): stopping", () => {
  it("an abort between two bursts ends the run at once, its timer cancelled", async () => {
    const { BurstSchedule, parseEvery } = await import("../src/workload/burst");
    const clock = new FakeClock();
    const ac = new AbortController();
    const engine = new Engine(clock, async () => {}, { maxInFlight: Infinity, signal: ac.signal });
    let done = false;
    const run = engine.runOpen(new BurstSchedule({ size: 2, gaps: parseEvery("10m"), count: 3, seed: 1 })).then(() => { done = true; });
    await new Promise((r) => setImmediate(r));
    assert.equal(engine.sent, 2);
    assert.equal(clock.pending, 1);
    ac.abort();
    await run;
    assert.equal(done, true);
    assert.equal(clock.pending, 0);
    assert.equal(engine.sent, 2);
  });
});
