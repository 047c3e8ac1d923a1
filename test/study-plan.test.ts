// The plan of a study: its cells, their order (sequential; interleaved: every cell of a repetition
// before the next, rotated), their run files, and the estimate. Expected orders are written out.
import { strict as assert } from "node:assert";
import { estimatePlan } from "../src/study/estimate";
import { memoryUpdates, planStudy } from "../src/study/plan";
import { yaml } from "./fixtures";
import { studyOf } from "./study-support";

const study = (order: string, repeat: number, memory = "[128, 256]") => studyOf(yaml`
  experiments:
    - name: x
      benchmarks: [hello, aes]
      memory: ${memory}
      workloads:
        - closed: { n: 4 }
      repeat: ${repeat}
      order: ${order}
`);

describe("study plan: order", () => {
  it("cells are memory-major, then benchmark, then workload; folders name memory `default` when not set", () => {
    assert.deepEqual(planStudy(study("sequential", 1)).cells.map((c) => c.id), [
      "x/hello/128/closed_n4", "x/aes/128/closed_n4", "x/hello/256/closed_n4", "x/aes/256/closed_n4",
    ]);
    const two = studyOf(yaml`
      experiments:
        - name: y
          benchmarks: [aes]
          workloads: [closed: { n: 4, c: 2, cold: 1, warmup: 3 }, open: { rate: 5, duration: 2s }, burst: { size: 3, every: 1s }]
    `);
    assert.deepEqual(planStudy(two).steps.map((s) => s.file), [
      "y/aes/default/closed_n4_c2_cold1_warmup3/rep-1.jsonl", "y/aes/default/open_rate5_2s/rep-1.jsonl", "y/aes/default/burst_3x10_every1s/rep-1.jsonl",
    ]);
  });

  it("sequential: each cell's repetitions together", () => {
    assert.deepEqual(planStudy(study("sequential", 2)).steps.map((s) => `${s.cell.id.split("/").slice(1, 3).join("/")} ${s.rep}`), [
      "hello/128 1", "hello/128 2", "aes/128 1", "aes/128 2", "hello/256 1", "hello/256 2", "aes/256 1", "aes/256 2",
    ]);
  });

  it("interleaved: every cell of repetition k before repetition k+1, and repetition k starts at cell k mod C", () => {
    const steps = planStudy(study("interleaved", 5)).steps;
    assert.deepEqual(steps.map((s) => `${s.cell.id.split("/").slice(1, 3).join("/")} ${s.rep}`), [
      "hello/128 1", "aes/128 1", "hello/256 1", "aes/256 1",
      "aes/128 2", "hello/256 2", "aes/256 2", "hello/128 2",
      "hello/256 3", "aes/256 3", "hello/128 3", "aes/128 3",
      "aes/256 4", "hello/128 4", "aes/128 4", "hello/256 4",
      "hello/128 5", "aes/128 5", "hello/256 5", "aes/256 5",
    ]);
    // The reps never go back, and each (cell, rep) runs once.
    assert.ok(steps.every((s, i) => i === 0 || s.rep >= steps[i - 1].rep));
    assert.equal(new Set(steps.map((s) => s.file)).size, 20);
  });

  it("experiments run one after another in the file's order, each in its own order", () => {
    const s = studyOf(yaml`
      experiments:
        - name: a
          benchmarks: [hello]
          workloads: [closed: { n: 1 }, closed: { n: 2 }]
          repeat: 2
        - name: b
          benchmarks: [aes]
          workloads: [closed: { n: 1 }]
          repeat: 2
          order: sequential
    `);
    assert.deepEqual(planStudy(s).steps.map((x) => x.file), [
      "a/hello/default/closed_n1/rep-1.jsonl", "a/hello/default/closed_n2/rep-1.jsonl",
      "a/hello/default/closed_n2/rep-2.jsonl", "a/hello/default/closed_n1/rep-2.jsonl",
      "b/aes/default/closed_n1/rep-1.jsonl", "b/aes/default/closed_n1/rep-2.jsonl",
    ]);
  });

  it("memory updates: each change of a benchmark's size, and putting it back at the end", () => {
    // hello is deployed at 128, aes at 1024 (benchmarks.yaml).
    // sequential: hello 128 (none), aes ->128, hello ->256, aes ->256; aes back to 1024, hello back to 128.
    assert.equal(memoryUpdates(planStudy(study("sequential", 3)).steps), 5);
    // interleaved, 2 repetitions: rep 1 as above (3); rep 2 starts at aes/128: aes ->128, hello stays
    // at 256, aes ->256, hello ->128 (3); aes back (1).
    assert.equal(memoryUpdates(planStudy(study("interleaved", 2)).steps), 7);
    assert.equal(memoryUpdates(planStudy(study("interleaved", 2, "[128]")).steps), 2); // aes ->128, and back
  });
});

describe("study plan: estimate", () => {
  it("calls exactly from the schedules; time and cost from the stated assumptions", () => {
    const s = studyOf(yaml`
      experiments:
        - name: e
          benchmarks: [hello]
          workloads:
            - closed: { n: 10, c: 2, cold: 2, warmup: 4 }
            - open: { rate: 20, duration: 1s }
            - burst: { size: 3, every: 5s, bursts: 4 }
          repeat: 2
    `);
    const e = estimatePlan(planStudy(s));
    // closed: 4 warm-up + 10; open: 20/s for 1 s = 20; burst: 3 x 4 = 12; twice.
    assert.equal(e.calls, 2 * (14 + 20 + 12));
    assert.equal(e.runs, 6);
    assert.equal(e.cells, 3);
    assert.equal(e.memoryUpdates, 0);
    // closed: warm-up 2 rounds (200 ms), 2 cold starts (2 x 2.1 s), 8 calls at c=2 (400 ms) = 4,800 ms;
    // open: last send at 950 ms + 100 ms = 1,050; burst: last burst at 15 s + 100 ms = 15,100. Twice: 41,900.
    assert.equal(e.ms, 41_900);
    // hello: arm64 at 128 MB; a call billed 100 ms: 0.125 GB x 0.1 s x $0.0000133334 + $0.0000002.
    const perCall = 0.125 * 0.1 * 0.0000133334 + 0.0000002;
    assert.ok(Math.abs(e.usd - 92 * perCall) < 1e-15, `${e.usd}`);
    assert.equal(e.prices.region, "us-east-1");
  });

  it("costs a cell at the memory the study sets, and counts its updates' wait", () => {
    const e = estimatePlan(planStudy(study("sequential", 1, "[1024]")), "us-east-1", { callMs: 200, updateMs: 1000 });
    // hello ->1024, aes stays at 1024; hello back: 2 updates. Each cell 4 calls at c=1: 800 ms.
    assert.equal(e.memoryUpdates, 2);
    assert.equal(e.ms, 2 * 800 + 2 * 1000);
    const perCall = 1 * 0.2 * 0.0000133334 + 0.0000002; // both arm64, 1 GB, 200 ms
    assert.ok(Math.abs(e.usd - 8 * perCall) < 1e-15, `${e.usd}`);
  });
});
