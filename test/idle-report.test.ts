// The idle chart's data: one point per idle time, its Wilson interval, in a readable unit.
import { strict as assert } from "node:assert";
import { idleSpec } from "../src/report/charts-idle";
import { completeRecord, type InvocationRecordInput } from "../src/runs/record";
import { IdleSummary } from "../src/summary/idle-summary";
import { wilson } from "../src/stats/wilson";

function probe(idleMs: number, cold: boolean): InvocationRecordInput {
  return {
    benchmark: "b", function: "b", region: "us-east-1", architecture: "arm64", configMemoryMb: 128, requestId: "r",
    start: "2026-11-25T00:00:00.000Z", clientMs: 10, status: 200, functionError: null, error: null, retries: 0, throttles: 0,
    forcedCold: false, cold, startKind: cold ? "cold" : "warm", durationMs: 1, billedMs: 1, memoryMb: 128, maxMemoryMb: 50,
    initMs: cold ? 150 : null, restoreMs: null, reportStatus: null, errorType: null, costUsd: 0, idleMs,
    workload: { shape: "idle", after: "1m,10m,30m", repeat: 4, seed: 1 },
  };
}

describe("idle report chart", () => {
  it("plots each idle time's cold share with its Wilson interval, in minutes for long idle times", () => {
    const s = new IdleSummary();
    const colds: Record<number, number> = { 60_000: 0, 600_000: 1, 1_800_000: 4 };
    for (const [ms, k] of Object.entries(colds)) for (let i = 0; i < 4; i++) s.add(completeRecord(probe(Number(ms), i < k)));
    s.add(completeRecord({ ...probe(60_000, true), warmup: true, idleMs: null })); // a warming call: not a probe
    const spec = idleSpec([{ label: "b 128 MB", idle: s.toJson() }]) as unknown as {
      data: { values: { idle: number; share: number; lo: number; hi: number; n: number }[] };
      encoding: { x: { title: string; axis: { values: number[] } } };
    };
    assert.deepEqual(spec.data.values.map((v) => [v.idle, v.share, v.n]), [[1, 0, 4], [10, 0.25, 4], [30, 1, 4]]);
    spec.data.values.forEach((v, i) => assert.deepEqual([v.lo, v.hi], wilson([0, 1, 4][i], 4)));
    assert.equal(spec.encoding.x.title, "idle time (minutes)");
    assert.deepEqual(spec.encoding.x.axis.values, [1, 10, 30]);
  });
});
