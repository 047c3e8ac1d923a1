// One invocation's record, from the REPORT an Invoker returns: its start kind, billed restore,
// timeout billing and cost at the kind's rate. The Invoker is a fake: no network, no timing.
import { strict as assert } from "node:assert";
import type { InvokeResult, Invoker } from "../src/aws/invoke-http";
import { DEFAULT_RETRY, invokeMeasured, type Target } from "../src/measure/invoke";
import { pricesFor } from "../src/aws/pricing";

const ID = "0b8a3c52-9d1e-4f6a-8b7c-112233445566";
const X86 = 0.0000166667;
const REQUEST = 0.0000002;

function answering(tail: string): Invoker {
  return {
    invoke: async (): Promise<InvokeResult> => ({ statusCode: 200, requestId: ID, functionError: undefined, logTail: tail, payload: Buffer.from("{}") }),
    close: () => {},
  };
}

const target = (over: Partial<Target> = {}): Target => ({
  benchmark: "b", functionName: "b", region: "us-east-1", architecture: "x86_64", memoryMb: 2048, ephemeralMb: 512,
  prices: pricesFor("us-east-1").prices, ...over,
});

const report = (extra: string) =>
  `REPORT RequestId: ${ID}\tDuration: 20.00 ms\tBilled Duration: 21 ms\tMemory Size: 2048 MB\tMax Memory Used: 99 MB\t${extra}\n`;

const run = (tail: string, t = target()) => invokeMeasured(answering(tail), t, new Uint8Array(), { retry: DEFAULT_RETRY });
const close = (a: number, b: number) => assert.ok(Math.abs(a - b) <= 1e-12 * b, `${a} vs ${b}`);

describe("start kind and cost of one record", () => {
  it("restore: Billed Restore Duration into the record and the cost, with the restore charge per GB", async () => {
    const r = await run(report("Restore Duration: 301.55 ms\tBilled Restore Duration: 97 ms\t"));
    assert.deepEqual([r.startKind, r.cold, r.restoreMs, r.billedRestoreMs], ["restore", false, 301.55, 97]);
    close(r.costUsd!, ((21 + 97) / 1000) * 2 * X86 + 2 * 0.0001397998 + REQUEST);
  });

  it("provisioned: a qualifier with provisioned concurrency and no init, at the provisioned duration rate", async () => {
    const r = await run(report(""), target({ qualifier: "live", provisioned: true, provisionedConcurrency: 3 }));
    assert.deepEqual([r.startKind, r.qualifier, r.provisionedConcurrency], ["provisioned", "live", 3]);
    close(r.costUsd!, (21 / 1000) * 2 * 0.0000097222 + REQUEST);
    // An init on a provisioned qualifier is a spill-over cold start, billed on demand.
    const cold = await run(report("Init Duration: 180.00 ms\t"), target({ qualifier: "live", provisioned: true }));
    assert.equal(cold.startKind, "cold");
    close(cold.costUsd!, (21 / 1000) * 2 * X86 + REQUEST);
  });

  it("cold: an init that failed and was retried on the call's path, though the REPORT has no Init Duration", async () => {
    const r = await run("INIT_REPORT Init Duration: 3000.12 ms\tPhase: init\tStatus: timeout\n" +
      `START RequestId: ${ID} Version: $LATEST\nEND RequestId: ${ID}\n` + report(""));
    assert.deepEqual([r.startKind, r.cold, r.initMs], ["cold", true, 3000.12]);
  });

  it("timeout: billed at the function's timeout", async () => {
    const r = await run(`REPORT RequestId: ${ID}\tDuration: 3001.90 ms\tBilled Duration: 3002 ms\tMemory Size: 2048 MB\t` +
      "Max Memory Used: 99 MB\tStatus: timeout\n", target({ timeoutMs: 3000 }));
    assert.deepEqual([r.billedMs, r.reportStatus, r.startKind], [3000, "timeout", "warm"]);
    close(r.costUsd!, 3 * 2 * X86 + REQUEST);
  });
});

describe("summary JSON precision", () => {
  it("carries no float tails: times at their measured precision, dollars to 12 significant digits", async () => {
    const { RunSummary } = await import("../src/summary/summary");
    const { completeRecord } = await import("../src/runs/record");
    const s = new RunSummary();
    for (let i = 0; i < 7; i++) {
      s.add(completeRecord({
        benchmark: "b", function: "b", region: "us-east-1", architecture: "x86_64", configMemoryMb: 128, requestId: `r${i}`,
        start: "2026-11-24T00:00:00.000Z", clientMs: 0.1 + 0.2 * i, status: 200, functionError: null, error: null, retries: 0,
        throttles: 0, forcedCold: false, cold: false, startKind: "warm", durationMs: 1.1 * (i + 1), billedMs: 2 + i, memoryMb: 128,
        maxMemoryMb: 40, initMs: null, restoreMs: null, reportStatus: null, errorType: null, costUsd: 0.21875009375 / 7 + 1e-17 * i,
      }));
    }
    const json = JSON.stringify(s.toJson());
    const numbers = json.match(/-?\d+\.\d+(e-?\d+)?/g) ?? [];
    for (const n of numbers) {
      const digits = n.replace(/^-?0*\.?0*/, "").replace(/e.*$/, "").replace(".", "").length;
      assert.ok(digits <= 12, `${n} carries ${digits} significant digits`);
    }
    assert.match(json, /"totalUsd":0\.21875009375[,}]/);
    assert.match(json, /"billedMs":\{"n":7,"mean":5,"p50":5,/);
  });
});
