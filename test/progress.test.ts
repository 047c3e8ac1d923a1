import { strict as assert } from "node:assert";
import { progressBar } from "../src/cli/progress";
import { formatSummary, RunSummary } from "../src/summary/summary";
import { completeRecord, type InvocationRecord, type InvocationRecordInput } from "../src/runs/record";

describe("progress bar", () => {
  it("draws on a terminal, at most every 100 ms, and always the last step", () => {
    const writes: string[] = [];
    let t = 0;
    const bar = progressBar({ isTTY: true, write: (s: string) => writes.push(s) }, "aes", 4, () => t);
    t = 1000;
    bar.update(1, 0);
    t = 1050;
    bar.update(2, 0); // within 100 ms: skipped
    t = 2000;
    bar.update(4, 1);
    bar.finish();
    assert.deepEqual(writes, [
      `\raes [########----------------------] 1/4  errors 0  1.0/s `,
      `\raes [##############################] 4/4  errors 1  2.0/s `,
      "\n",
    ]);
  });

  it("writes nothing when stderr is not a terminal", () => {
    const writes: string[] = [];
    const bar = progressBar({ isTTY: false, write: (s: string) => writes.push(s) }, "aes", 4);
    bar.update(4, 0);
    bar.finish();
    assert.deepEqual(writes, []);
  });
});

describe("summary", () => {
  const rec = (over: Partial<InvocationRecordInput>): InvocationRecord => completeRecord({
    benchmark: "aes", function: "aes", region: "us-east-1", architecture: "arm64", configMemoryMb: 1024, requestId: "r",
    start: "2026-11-24T00:00:00.000Z", clientMs: 20, status: 200, functionError: null, error: null, retries: 0, throttles: 0,
    forcedCold: false, cold: false, durationMs: 10, billedMs: 10, memoryMb: 1024, maxMemoryMb: 80, initMs: null, restoreMs: null,
    reportStatus: null, errorType: null, costUsd: 1e-6, ...over,
  });

  it("splits cold and warm in the table, and notes what it could not count", () => {
    const s = new RunSummary();
    s.add(rec({ cold: true, initMs: 150, clientMs: 200, billedMs: 160 }));
    for (let i = 0; i < 9; i++) s.add(rec({ clientMs: 20 + i }));
    s.add(rec({ cold: null, durationMs: null, billedMs: null, maxMemoryMb: null, costUsd: null }));
    const text = formatSummary(s.toJson());
    assert.match(text, /^aes \(aes, us-east-1, arm64, 1024 MB\)\ninvocations 11  errors 0  throttles 0  retries 0  cold 1  warm 9\n/);
    assert.match(text, /\ncold client ms +1 +200\.00 +200\.00 +- /);
    assert.match(text, /\nwarm client ms +9 +24\.00 +24\.00 +\[/);
    assert.match(text, /\nnote: 1 invocation returned no REPORT log tail/);
    // One cost notation: USD per 1M calls to two decimals (by kind when there are several), run totals to six.
    assert.match(text, /\ncost per 1M calls \$1\.00 \(cold \$1\.00, warm \$1\.00\)  run total \$0\.000010  \(us-east-1 prices/);
    // Billed ms are whole ms; one note names every row with too few samples.
    assert.match(text, /\nwarm billed ms +9 +10\.00 +10 +\[10, 10\] +10 +10 +10\n/);
    assert.match(text, /\nnote: too few samples for a 95% interval of the median \(6 or more needed\): cold \(n = 1\)\n/);
  });
});
