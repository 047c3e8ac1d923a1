// A shard's start barrier on the fake clock (issue 28): a shard ready before the run's start sleeps
// until it and sends every call at its own time; a shard ready late drops exactly the calls whose
// time had passed (as dropped, cause late-start), never shifting the rest. Exact: no sleeping.
import { strict as assert } from "node:assert";
import type { LambdaClient } from "@aws-sdk/client-lambda";
import type { Invoker } from "../src/aws/invoke-http";
import { pricesFor } from "../src/aws/pricing";
import { DEFAULT_RETRY, type Target } from "../src/measure/invoke";
import { measure, type MeasurePlan } from "../src/measure/run";
import type { InvocationRecord } from "../src/runs/record";
import { logTail } from "../src/standin/invoke-server";
import { FakeClock } from "../src/workload/clock";
import { drain } from "../src/workload/schedule";
import { shardSchedule, type WorkloadPlan } from "../src/workload/segments";

const target: Target = {
  benchmark: "b", functionName: "fn", region: "us-east-1", architecture: "arm64", memoryMb: 128, ephemeralMb: 512, prices: pricesFor("us-east-1").prices,
};

/** Answers every call at once. */
const instant: Invoker = {
  invoke: async () => ({
    statusCode: 200, requestId: "r", functionError: undefined, payload: Buffer.from("{}"),
    logTail: logTail("r", { durationMs: 1, billedMs: 1, memoryMb: 128, maxMemoryMb: 40 }),
  }),
  close: () => {},
};

/** Runs shard `shard` of `shards` with time 0 at `startAt` on a fake clock that stands at `readyAt`. */
async function runShard(plan: WorkloadPlan, shard: number, shards: number, startAt: number, readyAt: number) {
  const clock = new FakeClock();
  clock.advanceTo(readyAt);
  const records: InvocationRecord[] = [];
  const measurePlan: MeasurePlan = { invocations: 0, concurrency: 1, cold: 0, payload: Buffer.from("{}"), schedule: shardSchedule(plan, shard, shards), maxInFlight: 100, startAt };
  let done = false;
  const run = measure({} as LambdaClient, instant, target, measurePlan, { retry: DEFAULT_RETRY, clock, onRecord: (r) => records.push(r) })
    .then((r) => { done = true; return r; });
  while (!done) {
    clock.advance(0.5);
    await new Promise((r) => setImmediate(r));
  }
  return { result: await run, records };
}

const plan: WorkloadPlan = { shape: "open", open: { rate: 100, arrivals: "uniform", seed: 1, count: 40 } };

describe("shard start barrier (fake clock)", () => {
  it("a shard ready early sleeps until the start and sends its stripe at the global times, with no lag", async () => {
    const { result, records } = await runShard(plan, 1, 4, 1000, 200);
    assert.equal(result.startedAt, 1000);
    // Shard 1 of 4 at 100/s: calls 1, 5, 9 ... of the one schedule, 10 ms apart: 10, 50, 90 ... ms.
    assert.deepEqual(records.map((r) => r.scheduledAt), Array.from({ length: 10 }, (_, i) => 10 + 40 * i));
    assert.deepEqual(records.map((r) => r.sentAt), records.map((r) => r.scheduledAt));
    assert.ok(records.every((r) => r.status === 200 && r.lagMs === 0));
  });

  it("a shard ready 125 ms late drops exactly the calls due before then (late-start), and sends the rest unshifted", async () => {
    const { result, records } = await runShard(plan, 1, 4, 1000, 1125);
    assert.equal(result.startedAt, 1125);
    const dropped = records.filter((r) => r.status === "dropped");
    const sent = records.filter((r) => r.status !== "dropped");
    // Due at 10, 50, 90 ms: before 125 ms. The next, at 130 ms, goes at its own time.
    assert.deepEqual(dropped.map((r) => r.scheduledAt), [10, 50, 90]);
    assert.ok(dropped.every((r) => r.error!.startsWith("late-start:") && r.sentAt === null));
    assert.deepEqual(sent.map((r) => r.scheduledAt), [130, 170, 210, 250, 290, 330, 370]);
    assert.deepEqual(sent.map((r) => r.sentAt), [130, 170, 210, 250, 290, 330, 370]);
    const summary = result.summary.toJson();
    assert.equal(summary.invocations, 7);
    assert.deepEqual(summary.workload?.droppedBy, { "late-start": 3 });
  });

  it("a late shard of a burst workload drops its share of the bursts it missed, and the union with on-time shards is the one schedule", async () => {
    const burst: WorkloadPlan = { shape: "burst", burst: { size: 5, count: 3, gaps: { kind: "fixed", ms: [100] }, seed: 1 } };
    const one = drain(shardSchedule(burst, 0, 1));
    const late = await runShard(burst, 0, 2, 500, 550);
    const onTime = await runShard(burst, 1, 2, 500, 0);
    // Shard 0 takes calls 0, 2, 4 of burst 0 (at 0 ms): it was ready at 50 ms, so those 3 are dropped.
    assert.deepEqual(late.records.filter((r) => r.status === "dropped").map((r) => [r.scheduledAt, r.burst]), [[0, 0], [0, 0], [0, 0]]);
    const union = [...late.records, ...onTime.records].map((r) => r.scheduledAt!).sort((a, b) => a - b);
    assert.deepEqual(union, one);
  });
});
