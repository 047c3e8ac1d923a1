// The idle-time experiment on a fake clock: hours of idle waits run in milliseconds against a
// loopback Invoke server that reclaims an instance after a known idle time, on the same clock.
import { strict as assert } from "node:assert";
import { LambdaClient } from "@aws-sdk/client-lambda";
import { HttpInvoker } from "../src/aws/invoke-http";
import { DEFAULT_RETRY, invokeMeasured, type Target } from "../src/measure/invoke";
import { pricesFor } from "../src/aws/pricing";
import type { InvocationRecord, Workload } from "../src/runs/record";
import { InvokeServer, logTail, type Call } from "../src/standin/invoke-server";
import { TEST_CREDENTIALS, TEST_REGION } from "../src/standin/moto";
import { idlePlan, planDuration, runIdle, type IdleClock } from "../src/measure/idle";
import { formatIdle, IdleSummary } from "../src/summary/idle-summary";
import { formatDuration, parseDurationList, readDuration as parseDuration } from "../src/workload/duration";

const MIN = 60_000;

/** A clock that only moves when the experiment waits; `sleeps` logs every wait. */
function fakeClock(start = 1_000_000): IdleClock & { t: number; sleeps: number[] } {
  const c = {
    t: start,
    sleeps: [] as number[],
    now: () => c.t,
    sleep: async (ms: number) => {
      c.sleeps.push(ms);
      c.t += ms;
    },
  };
  return c;
}

/** Answers every call with a REPORT; a cold one has an Init Duration that encodes the call number. */
const withReport = (call: Call) => ({
  kind: "ok" as const,
  log: logTail(call.requestId, { durationMs: 5, billedMs: 5, memoryMb: 128, maxMemoryMb: 60, ...(call.cold ? { initMs: 100 + call.n } : {}) }),
});

function target(): Target {
  return { benchmark: "hello", functionName: "hello", region: TEST_REGION, architecture: "arm64", memoryMb: 128, ephemeralMb: 512, prices: pricesFor(TEST_REGION).prices };
}

describe("idle experiment: plan", () => {
  it("is R blocks, each every idle time once, in a seeded order that varies between blocks", () => {
    const after = [1, 5, 10, 20, 30].map((m) => m * MIN);
    const plan = idlePlan(after, 6, 42);
    assert.equal(plan.length, 30);
    plan.forEach((s, i) => assert.equal(s.index, i));
    for (let r = 0; r < 6; r++) {
      const block = plan.slice(5 * r, 5 * r + 5);
      assert.ok(block.every((s) => s.repetition === r));
      assert.deepEqual([...block.map((s) => s.idleMs)].sort((a, b) => a - b), after);
    }
    const orders = new Set([0, 1, 2, 3, 4, 5].map((r) => plan.slice(5 * r, 5 * r + 5).map((s) => s.idleMs).join()));
    assert.ok(orders.size > 1, "the blocks are not all in one order");
    assert.deepEqual(idlePlan(after, 6, 42), plan, "the same seed gives the same plan");
    assert.notDeepEqual(idlePlan(after, 6, 43).map((s) => s.idleMs), plan.map((s) => s.idleMs));
  });

  it("balances position: over many blocks each idle time comes first about equally often", () => {
    const after = [1, 2, 3, 4].map((m) => m * MIN);
    const plan = idlePlan(after, 4000, 7);
    const first = new Map<number, number>();
    for (let r = 0; r < 4000; r++) first.set(plan[4 * r].idleMs, (first.get(plan[4 * r].idleMs) ?? 0) + 1);
    // 1000 expected each; 4 standard deviations of Binomial(4000, 1/4) is about 110.
    for (const t of after) assert.ok(Math.abs(first.get(t)! - 1000) < 110, `${t}: ${first.get(t)}`);
  });

  it("estimates its time as the waits plus two calls a step", () => {
    const plan = idlePlan([MIN, 5 * MIN], 3, 1);
    assert.deepEqual(planDuration(plan, 1000), { waitMs: 18 * MIN, calls: 12, totalMs: 18 * MIN + 12_000 });
  });

  it("parses and prints durations", () => {
    assert.deepEqual(parseDurationList("1m,5m, 10m,90s,250ms,1.5h"), [MIN, 5 * MIN, 10 * MIN, 90_000, 250, 90 * MIN]);
    assert.throws(() => parseDurationList("1m,5,2x,1m"), /"5" is not a duration.*"2x" is not a duration.*1m is given twice/);
    assert.equal(parseDuration("").ok, false);
    assert.deepEqual([MIN, 90_000, 1500, 250, 90 * MIN, 3 * 3_600_000].map(formatDuration), ["1m", "1m30s", "1.5s", "250ms", "1h30m", "3h"]);
  });
});

describe("idle experiment: against a server that reclaims idle instances", function () {
  this.timeout(30_000);
  let server: InvokeServer;
  let client: LambdaClient;
  let invoker: HttpInvoker;
  let clock: ReturnType<typeof fakeClock>;
  const WORKLOAD: Workload = { shape: "idle", after: "1m,2m,4m,5m,6m,10m", repeat: 4, seed: 3 };

  beforeEach(async () => {
    clock = fakeClock();
    server = await InvokeServer.start(withReport);
    server.evictAfterMs = 5 * MIN;
    server.clock = clock.now;
    client = new LambdaClient({ endpoint: server.endpoint, region: TEST_REGION, credentials: TEST_CREDENTIALS });
    invoker = new HttpInvoker(client, "hello", { maxSockets: 1, timeoutMs: 5000 });
  });
  afterEach(async () => {
    invoker.close();
    client.destroy();
    await server.close();
  });

  const call = () => invokeMeasured(invoker, target(), new Uint8Array(), { retry: DEFAULT_RETRY });

  it("the cold share steps from 0 to 1 at the eviction time; counts and inits are the server's", async () => {
    const after = [1, 2, 4, 5, 6, 10].map((m) => m * MIN);
    const plan = idlePlan(after, 4, 3);
    const records: InvocationRecord[] = [];
    const started = Date.now();
    const result = await runIdle(plan, { call, clock, workload: WORKLOAD, onRecord: (r) => records.push(r) });
    assert.ok(Date.now() - started < 10_000, "a fake clock waits no real time");
    assert.deepEqual(clock.sleeps, plan.map((s) => s.idleMs), "one wait a step, its idle time, in plan order");
    assert.equal(result.completed, 24);
    assert.equal(result.interrupted, false);

    const s = result.summary.toJson();
    assert.deepEqual(s.rows.map((r) => [r.after, r.n, r.cold, r.coldShare]),
      [["1m", 4, 0, 0], ["2m", 4, 0, 0], ["4m", 4, 0, 0], ["5m", 4, 4, 1], ["6m", 4, 4, 1], ["10m", 4, 4, 1]]);
    // The server's own truth: it reclaimed once per probe at 5m or more, and the first warming call
    // of the run was the only other cold start.
    assert.equal(server.evictions, 12);
    const colds = records.filter((r) => r.startKind === "cold");
    assert.equal(colds.length, 13);
    assert.ok(records[0].warmup && records[0].startKind === "cold");
    // Init durations are what the server sent (100 + its call number), per idle time.
    const sixMin = s.rows.find((r) => r.after === "6m")!;
    const sent = records.filter((r) => !r.warmup && r.idleMs === 6 * MIN).map((r) => r.initMs!).sort((a, b) => a - b);
    assert.deepEqual([sixMin.initMs.min, sixMin.initMs.p50, sixMin.initMs.max], [sent[0], sent[1], sent[3]]);
    assert.equal(sixMin.initMs.n, 4);
    assert.ok(sent.every((v) => v >= 100 && Number.isInteger(v)));
    // The intervals: 0 of 4 and 4 of 4.
    assert.deepEqual(s.rows[0].coldShareCi95!.map((x) => x.toFixed(3)), ["0.000", "0.490"]);
    assert.deepEqual(s.rows[5].coldShareCi95!.map((x) => x.toFixed(3)), ["0.510", "1.000"]);
    assert.match(formatIdle(s), /^5m\s+4\s+4\s+1\.00\s+\[0\.51, 1\.00\]/m);
  });

  it("records: warming calls marked warmup, probes with idleMs, every one with the workload, repetition and send time", async () => {
    const plan = idlePlan([MIN, 10 * MIN], 2, 5);
    const records: InvocationRecord[] = [];
    await runIdle(plan, { call, clock, workload: WORKLOAD, onRecord: (r) => records.push(r) });
    assert.equal(records.length, 8);
    records.forEach((r, i) => {
      const step = plan[Math.floor(i / 2)];
      assert.equal(r.warmup, i % 2 === 0);
      assert.equal(r.idleMs, i % 2 === 0 ? null : step.idleMs);
      assert.equal(r.repetition, step.repetition);
      assert.deepEqual(r.workload, WORKLOAD);
    });
    // A probe leaves exactly its idle time after its warming call returned (the fake clock does not
    // move during a call).
    for (let i = 1; i < 8; i += 2) assert.equal(records[i].sentAt! - records[i - 1].sentAt!, plan[(i - 1) / 2].idleMs);
    // Summaries skip the warming calls.
    const again = new IdleSummary();
    records.forEach((r) => again.add(r));
    assert.equal(again.count, 4);
  });

  it("an abort ends the wait at once and keeps only the completed probes", async () => {
    const plan = idlePlan([MIN, 10 * MIN], 3, 5);
    const ac = new AbortController();
    const records: InvocationRecord[] = [];
    let waits = 0;
    const aborting: IdleClock = {
      now: clock.now,
      sleep: async (ms, signal) => {
        if (++waits === 3) return ac.abort(); // Ctrl-C in the third wait: it ends without waiting
        assert.equal(signal, ac.signal);
        await clock.sleep(ms);
      },
    };
    const result = await runIdle(plan, { call, clock: aborting, workload: WORKLOAD, signal: ac.signal, onRecord: (r) => records.push(r) });
    assert.equal(result.interrupted, true);
    assert.equal(result.completed, 2);
    assert.equal(result.summary.count, 2);
    assert.deepEqual(records.map((r) => r.warmup), [true, false, true, false, true]);
    assert.equal(server.received, 5, "no probe after the abort");
  });

  it("a warming call that gets no response skips its probe (nothing was warm to probe)", async () => {
    let n = 0;
    const failing = async () => {
      const r = await call();
      return n++ === 0 ? { ...r, error: "TimeoutError: no response", startKind: null } : r;
    };
    const plan = idlePlan([MIN], 2, 1);
    const result = await runIdle(plan, { call: failing, clock, workload: WORKLOAD });
    assert.equal(result.skipped, 1);
    assert.equal(result.completed, 1);
    assert.deepEqual(clock.sleeps, [MIN]);
  });
});
