// The Lambda generator's checks, cost and shard states (issue 28), on figures worked by hand.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { checkLambdaRun, driverRate, FALLBACK_MAX_SHARDS, maxShardsOf, shapeOf } from "../src/generator/lambda-checks";
import { generatorCost, formatGeneratorCost } from "../src/generator/lambda-cost";
import { formatCounts, shardCounts, watchRun, type ShardCounts } from "../src/generator/lambda-run";
import { partitionOf } from "../src/generator/lambda-find";
import { scheduleOf } from "../src/workload/segments";
import type { GeneratorClients } from "../src/generator/lambda-find";

const input = { shards: 4, maxShards: { max: 100, from: "the default" }, driverMemoryMb: 1769, unreserved: 5000, startMarginMs: 60_000 };

describe("the Lambda generator's checks", () => {
  it("walks a schedule for its calls, last time and busiest second", () => {
    // 100/s uniform for 3 s: 300 calls, the last at 2,990 ms, 100 in each second.
    assert.deepEqual(shapeOf(scheduleOf({ shape: "open", open: { rate: 100, arrivals: "uniform", seed: 1, durationMs: 3000 } })),
      { calls: 300, lastMs: 2990, peakPerSecond: 100 });
    // 3 bursts of 500, 10 s apart: the busiest second holds a whole burst.
    const burst = shapeOf(scheduleOf({ shape: "burst", burst: { size: 500, count: 3, gaps: { kind: "fixed", ms: [10_000] }, seed: 1 } }));
    assert.equal(burst.calls, 1500);
    assert.equal(burst.peakPerSecond, 500);
  });

  it("a driver holds 2,000/s at a vCPU (1,769 MB) and its share below", () => {
    assert.equal(driverRate(1769), 2000);
    assert.equal(driverRate(3538), 2000);
    assert.equal(driverRate(128), 144);
  });

  it("refuses shards past the manifest's most, a shard's rate past a driver's, concurrency past the headroom", () => {
    const shape = { calls: 6000, lastMs: 2999, peakPerSecond: 2000 };
    assert.equal(checkLambdaRun({ ...input, shape }), null);
    assert.match(checkLambdaRun({ ...input, shards: 101, shape })!.line, /--shards 101 is more than the generator's 100 \(the default\)/);
    const fast = checkLambdaRun({ ...input, shards: 1, shape: { ...shape, peakPerSecond: 2001 } })!;
    assert.equal(fast.code, 2);
    assert.match(fast.line, /^2001 calls\/s a shard .*use --shards 2 or more$/);
    const tight = checkLambdaRun({ ...input, unreserved: 2003, shape })!;
    assert.equal(tight.code, 1);
    assert.match(tight.line, /unreserved concurrency is 2003; this run needs 2004 \(4 drivers \+ 2000 for the target/);
    assert.equal(checkLambdaRun({ ...input, unreserved: null, shape }), null);
    assert.match(checkLambdaRun({ ...input, shape: { ...shape, lastMs: 366 * 86_400_000 } })!.line, /waits at most a year/);
  });

  it("reads generator.maxShards from the manifest, else the fallback", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lambda-bench-maxshards-"));
    const file = path.join(dir, "benchmarks.yaml");
    fs.writeFileSync(file, "benchmarks: []\ngenerator:\n  maxShards: 20\n");
    assert.equal(maxShardsOf(file).max, 20);
    fs.writeFileSync(file, "benchmarks: []\n");
    assert.equal(maxShardsOf(file).max, FALLBACK_MAX_SHARDS);
    assert.equal(maxShardsOf(path.join(dir, "none.yaml")).max, FALLBACK_MAX_SHARDS);
  });

  it("names the partition of a region", () => {
    assert.equal(partitionOf("us-east-1"), "aws");
    assert.equal(partitionOf("cn-north-1"), "aws-cn");
    assert.equal(partitionOf("us-gov-west-1"), "aws-us-gov");
  });
});

describe("the Lambda generator's cost", () => {
  it("2 shards x 2 windows of 840 s, 1,000 s of schedule, 1 GB drivers: worked by hand", () => {
    const c = generatorCost({
      shards: 2, windows: 2, windowMs: 840_000, lastMs: 1_000_000, memoryMb: 1024, architecture: "x86_64", region: "us-east-1",
      cli: { put: 3, get: 6, list: 1 }, driverObjects: 12, payloadInS3: false,
    });
    // Each shard: 2 x (30 s lead + 5 s reserve) + 840 s + 160 s = 1,070 s; x 2 shards x 1 GB.
    assert.deepEqual(c.driver, { invocations: 4, gbSeconds: 2140, usd: 0.035667538 });
    // A child: 2 x (Wait, Drive, More) + Done = 7; x 2, + the Map = 15.
    assert.deepEqual(c.transitions, { count: 15, usd: 0.000375 });
    // PUT 3 + 12; GET 6 + the Map's items + 4 specs; LIST 1.
    assert.deepEqual(c.s3, { put: 15, get: 11, list: 1, usd: 0.0000844 });
    assert.equal(c.totalUsd, 0.036126938);
    assert.equal(formatGeneratorCost(c),
      "generator cost (estimated): drivers 4 invocations, 2140.0 GB-s $0.0357; 15 state transitions $0.000375; S3 15 PUT, 11 GET, 1 LIST $0.0000844; total $0.0361 (us-east-1 prices, 2026-12)");
  });
});

describe("the shards' states from DescribeMapRun", () => {
  const fake = (counts: Record<string, number> | null): GeneratorClients => ({
    sfn: {
      send: async (cmd: { constructor: { name: string } }) => cmd.constructor.name === "ListMapRunsCommand"
        ? { mapRuns: counts ? [{ mapRunArn: "arn:map" }] : [] }
        : { itemCounts: counts },
    },
  }) as unknown as GeneratorClients;

  it("running children are waiting before the start, running after; failed counts timed out and aborted", async () => {
    const k = { pending: 1, running: 5, succeeded: 2, failed: 1, timedOut: 1, aborted: 0, total: 10 };
    assert.deepEqual(await shardCounts(fake(k), "arn:x", 12, true), { waiting: 8, running: 0, done: 2, failed: 2 });
    assert.deepEqual(await shardCounts(fake(k), "arn:x", 12, false), { waiting: 3, running: 5, done: 2, failed: 2 });
    assert.equal(await shardCounts(fake(null), "arn:x", 12, false), null);
    assert.equal(formatCounts({ waiting: 3, running: 5, done: 2, failed: 2 }), "shards: 3 waiting, 5 running, 2 done, 2 failed");
  });
});

describe("watching an execution", () => {
  /** DescribeExecution answers `statuses` in turn; the Map run counts one running child. */
  const fake = (statuses: { status: string; error?: string; cause?: string }[]) => {
    let i = 0;
    return {
      sfn: {
        send: async (cmd: { constructor: { name: string } }) => {
          switch (cmd.constructor.name) {
            case "DescribeExecutionCommand": return statuses[Math.min(i++, statuses.length - 1)];
            case "ListMapRunsCommand": return { mapRuns: [{ mapRunArn: "arn:map" }] };
            default: return { itemCounts: { pending: 0, running: 1, succeeded: 0, failed: 0, timedOut: 0, aborted: 0, total: 1 } };
          }
        },
      },
    } as unknown as GeneratorClients;
  };

  it("polls until the execution ends, and names a failure's error and cause in one line", async () => {
    const seen: ShardCounts[] = [];
    const end = await watchRun(fake([{ status: "RUNNING" }, { status: "RUNNING" }, { status: "FAILED", error: "States.Runtime", cause: "boom\nmore" }]),
      "arn:x", { signal: new AbortController().signal, startAtMs: 0, shards: 1, onCounts: (n) => seen.push(n), pollMs: 1, now: () => 10 });
    assert.deepEqual(end, { status: "FAILED", detail: "States.Runtime: boom" });
    assert.equal(seen.length, 3);
    assert.deepEqual(seen[0], { waiting: 0, running: 1, done: 0, failed: 0 });
  });

  it("returns STOPPING once the run's signal is aborted, without another call", async () => {
    const stop = new AbortController();
    stop.abort();
    const end = await watchRun(fake([{ status: "RUNNING" }]), "arn:x", { signal: stop.signal, startAtMs: 0, shards: 1 });
    assert.deepEqual(end, { status: "STOPPING" });
  });
});
