// One window of a schedule (issue 28): exact times on drain(), no clock involved.
import { strict as assert } from "node:assert";
import { OpenSchedule } from "../src/workload/open";
import { BurstSchedule } from "../src/workload/burst";
import { drain } from "../src/workload/schedule";
import { shardSchedule } from "../src/workload/segments";
import { windowed } from "../src/workload/window";

describe("windowed schedules", () => {
  it("keeps exactly the times in [from, to), unshifted, and ends at to", () => {
    // 100/s uniform, 30 calls: 0, 10, ..., 290 ms.
    const w = windowed(new OpenSchedule({ rate: 100, arrivals: "uniform", seed: 1, count: 30 }), 100, 200);
    assert.deepEqual(drain(w), [100, 110, 120, 130, 140, 150, 160, 170, 180, 190]);
    // Once ended it stays ended.
    assert.equal(w.next(), Infinity);
  });

  it("the windows of a schedule, one after another, are the schedule, call for call", () => {
    const open = () => new OpenSchedule({ rate: 1000, arrivals: "poisson", seed: 7, count: 5000 });
    const whole = drain(open());
    const parts = [0, 1, 2, 3, 4, 5].flatMap((k) => drain(windowed(open(), k * 1000, (k + 1) * 1000)));
    assert.equal(whole.length, 5000);
    assert.deepEqual(parts, whole);
  });

  it("a shard's window is the shard's times in the window; bursts keep their index", () => {
    const plan = { shape: "burst" as const, burst: { size: 4, count: 3, gaps: { kind: "fixed" as const, ms: [500] }, seed: 1 } };
    // Bursts at 0, 500, 1000 ms, each 4 calls; shard 1 of 2 takes calls 1 and 3 of each.
    const w = windowed(shardSchedule(plan, 1, 2), 400, 1000);
    const got: [number, number | null][] = [];
    for (let t = w.next(); t !== Infinity; t = w.next()) got.push([t, w.burst]);
    assert.deepEqual(got, [[500, 1], [500, 1]]);
    // A window past the schedule's end is empty.
    assert.deepEqual(drain(windowed(new BurstSchedule(plan.burst), 1001, 5000)), []);
  });

  it("refuses a window that ends before it starts", () => {
    assert.throws(() => windowed(new OpenSchedule({ rate: 1, arrivals: "uniform", seed: 1, count: 1 }), 10, 10), /must end after it starts/);
  });
});
