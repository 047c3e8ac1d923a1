// The engine against the loopback Invoke server in real time: an open loop sees a 1 s stall in its
// latency tail (values from the server's own log) where a closed loop at the same rate hides it;
// bursts against a server that starts an instance per concurrent call count its cold starts; and
// the CLI's workload options end to end. Assertions are on values, never on how long things took.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { LambdaClient } from "@aws-sdk/client-lambda";
import { HttpInvoker } from "../src/aws/invoke-http";
import { DEFAULT_RETRY, type Target } from "../src/measure/invoke";
import { pricesFor } from "../src/aws/pricing";
import { measure, type MeasurePlan } from "../src/measure/run";
import type { InvocationRecord } from "../src/runs/record";
import type { SummaryJson } from "../src/summary/summary";
import { InvokeServer, logTail, type Script } from "../src/standin/invoke-server";
import { Instances } from "../src/standin/instances";
import { TEST_CREDENTIALS, TEST_REGION } from "../src/standin/moto";
import { OpenSchedule } from "../src/workload/open";
import { BurstSchedule, parseEvery } from "../src/workload/burst";
import { cli, spawnCli } from "./run-cli";
import { nearestRank } from "./percentile";

const FN = "wl-fn";
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function run(server: InvokeServer, plan: Partial<MeasurePlan>, maxSockets: number, retry = DEFAULT_RETRY) {
  const client = new LambdaClient({ endpoint: server.endpoint, region: TEST_REGION, credentials: TEST_CREDENTIALS, maxAttempts: 1 });
  const invoker = new HttpInvoker(client, FN, { maxSockets, timeoutMs: 10_000 });
  const target: Target = {
    benchmark: "b", functionName: FN, region: TEST_REGION, architecture: "arm64", memoryMb: 128, ephemeralMb: 512,
    prices: pricesFor(TEST_REGION).prices,
  };
  const records: InvocationRecord[] = [];
  try {
    const result = await measure(client, invoker, target, { invocations: 0, concurrency: 1, cold: 0, payload: Buffer.from("{}"), ...plan },
      { retry, onRecord: (r) => records.push(r) });
    return { summary: result.summary.toJson(), records };
  } finally {
    invoker.close();
    client.destroy();
  }
}

/** A function that answers in 10 ms, except that call `stallAt` holds every call arriving in the next second until it ends. */
function stalling(stallAt: number) {
  const log: { arrivedAt: number; doneAt: number }[] = [];
  let stallEnd = -Infinity;
  const script: Script = async (call) => {
    const arrivedAt = performance.now();
    if (call.n === stallAt) stallEnd = arrivedAt + 1000;
    await sleep(arrivedAt < stallEnd ? stallEnd - arrivedAt : 10);
    log.push({ arrivedAt, doneAt: performance.now() });
    return { kind: "ok", payload: "{}", log: logTail(call.requestId, { durationMs: 10, billedMs: 10, memoryMb: 128, maxMemoryMb: 40 }) };
  };
  return { log, script };
}

describe("engine against a loopback Invoke server", function () {
  this.timeout(60_000);

  it("a 1 s stall at 100/s: the open loop's latencyMs p99 shows it (as the server's log says); the closed loop's clientMs hides it", async () => {
    const open = stalling(100);
    const openServer = await InvokeServer.start(open.script);
    let openRun;
    try {
      openRun = await run(openServer, { schedule: new OpenSchedule({ rate: 100, arrivals: "uniform", seed: 1, count: 300 }) }, 10_000);
    } finally {
      await openServer.close();
    }
    const closed = stalling(100);
    const closedServer = await InvokeServer.start(closed.script);
    let closedRun;
    try {
      closedRun = await run(closedServer, { invocations: 300, concurrency: 1 }, 1);
    } finally {
      await closedServer.close();
    }
    // What a caller waited, from the server's own log: the time each call was held there.
    const held = (log: { arrivedAt: number; doneAt: number }[]) => log.map((l) => l.doneAt - l.arrivedAt);
    const expectedOpenP99 = nearestRank(held(open.log), 99);
    const expectedClosedP99 = nearestRank(held(closed.log), 99);
    assert.equal(open.log.length, 300);
    assert.ok(expectedOpenP99 > 900, `the stall held open-loop calls: p99 ${expectedOpenP99}`);
    assert.ok(expectedClosedP99 < 100, `the closed loop sent one call into the stall: p99 ${expectedClosedP99}`);

    const o = openRun.summary;
    const c = closedRun.summary;
    // The open loop: latency from the scheduled time matches the server's truth (plus the loopback's own ms).
    assert.ok(o.latencyMs.p99! >= expectedOpenP99 - 2 && o.latencyMs.p99! <= expectedOpenP99 + 100, `${o.latencyMs.p99} vs ${expectedOpenP99}`);
    // Its calls kept leaving on time through the stall: ~100 piled up in flight, none dropped.
    assert.equal(o.workload!.dropped, 0);
    assert.ok(o.workload!.maxInFlight! >= 80, `most in flight ${o.workload!.maxInFlight}`);
    // The closed loop's client times match its server truth, and do not show the stall in the tail.
    assert.ok(c.clientMs.p99! <= expectedClosedP99 + 100, `${c.clientMs.p99} vs ${expectedClosedP99}`);
    assert.equal(c.clientMs.max! > 900, true, "the one stalled call is there, at the max");
    assert.ok(o.latencyMs.p99! - c.clientMs.p99! > 800, `open p99 ${o.latencyMs.p99} vs closed p99 ${c.clientMs.p99}`);
    // Every open-loop record carries its schedule; closed-loop calls are scheduled when their slot frees.
    assert.ok(openRun.records.every((r) => r.workload.shape === "open" && r.scheduledAt !== null && r.latencyMs! >= r.clientMs));
    assert.ok(closedRun.records.every((r) => r.workload.shape === "closed" && r.lagMs! < 50));
  });

  it("bursts against a server that starts an instance per concurrent call: cold starts per burst equal the server's", async () => {
    const instances = new Instances({ evictAfterMs: 300, serviceMs: 30, initMs: 50 });
    const server = await InvokeServer.start(instances.script());
    let result;
    try {
      result = await run(server, { schedule: new BurstSchedule({ size: 4, gaps: parseEvery("150ms,600ms"), count: 5, seed: 1 }) }, 10_000);
    } finally {
      await server.close();
    }
    // The server's truth: its calls grouped by arrival (a gap over 60 ms starts a new burst).
    const log = [...instances.log].sort((a, b) => a.arrivedAt - b.arrivedAt);
    const truth: number[] = [];
    log.forEach((l, i) => {
      if (i === 0 || l.arrivedAt - log[i - 1].arrivedAt > 60) truth.push(0);
      if (l.cold) truth[truth.length - 1]++;
    });
    const bursts = result.summary.workload!.bursts;
    assert.equal(truth.length, 5);
    assert.deepEqual(bursts.map((b) => b.cold), truth);
    assert.deepEqual(bursts.map((b) => b.n), [4, 4, 4, 4, 4]);
    // The model did what it should: new instances for a cold burst, reuse soon after, eviction after 300 ms idle.
    assert.ok(truth.includes(0) && truth.includes(4), JSON.stringify(truth));
    assert.equal(result.summary.cold, truth.reduce((a, b) => a + b, 0));
    // Cold bursts' p50 includes the 50 ms init.
    bursts.forEach((b) => assert.ok((b.cold === 4) === (b.p50LatencyMs! >= 80), JSON.stringify(b)));
  });

  it("a retried call's latencyMs counts from its scheduled time through the failed attempt and the backoff", async () => {
    const server = await InvokeServer.start((call) => (call.n % 2 === 0
      ? { kind: "status", status: 503, errorType: "ServiceException" }
      : { kind: "ok", payload: "{}", log: logTail(call.requestId, { durationMs: 1, billedMs: 1, memoryMb: 128, maxMemoryMb: 40 }) }));
    const waited: number[] = [];
    const retry = { ...DEFAULT_RETRY, sleep: async (ms: number) => { waited.push(ms); await sleep(150); } };
    let result;
    try {
      result = await run(server, { schedule: new OpenSchedule({ rate: 2, arrivals: "uniform", seed: 1, count: 3 }) }, 10, retry);
    } finally {
      await server.close();
    }
    assert.equal(waited.length, 3);
    for (const r of result.records) {
      assert.equal(r.retries, 1);
      assert.equal(r.status, 200);
      // clientMs is the last attempt only; latencyMs holds the first attempt and the 150 ms wait too.
      assert.ok(r.latencyMs! >= 150 + r.clientMs, `${r.latencyMs} vs ${r.clientMs}`);
      assert.ok(r.clientMs < 100, String(r.clientMs));
    }
  });

  describe("measure's workload options", () => {
    let server: InvokeServer;
    const saved = { ...process.env };
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lb-wl-"));
    before(async () => {
      Object.assign(process.env, { AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey });
      server = await InvokeServer.start(async (call) => ({ kind: "ok", payload: "{}", log: logTail(call.requestId,
        { durationMs: 1, billedMs: 1, memoryMb: 128, maxMemoryMb: 40, ...(call.cold ? { initMs: 100 } : {}) }) }));
    });
    after(async () => {
      await server.close();
      process.env = saved;
    });
    const measureCli = (...args: string[]) => cli(["measure", FN, "--endpoint", server.endpoint, "--region", TEST_REGION, ...args]);

    it("--rate with -n: the JSON summary has the workload, and --out every record with its times", async () => {
      const out = path.join(dir, "open.jsonl");
      const r = await measureCli("--rate", "200", "-n", "40", "--json", "--out", out, "--warmup", "3");
      assert.equal(r.code, 0, r.err);
      const s = JSON.parse(r.out) as SummaryJson;
      assert.deepEqual(s.workload!.workload, { shape: "open", rate: 200, arrivals: "uniform", n: 40 });
      assert.equal(s.invocations, 40);
      assert.equal(s.warmup, 3);
      assert.equal(s.workload!.scheduled, 40);
      const lines = fs.readFileSync(out, "utf8").trim().split("\n").map((l) => JSON.parse(l) as InvocationRecord);
      assert.equal(lines.length, 43);
      assert.equal(lines.filter((l) => l.warmup).length, 3);
      const timed = lines.filter((l) => !l.warmup).sort((a, b) => a.scheduledAt! - b.scheduledAt!);
      const first = timed[0].scheduledAt!;
      timed.forEach((l, i) => assert.ok(Math.abs(l.scheduledAt! - first - i * 5) < 0.002, `${i}: ${l.scheduledAt}`));
      assert.ok(timed.every((l) => l.sentAt! >= l.scheduledAt! && l.lagMs === Math.round((l.sentAt! - l.scheduledAt!) * 1000) / 1000));
    });

    it("--trace replays a file; its text summary shows the workload lines", async () => {
      const file = path.join(dir, "trace.csv");
      fs.writeFileSync(file, "HashOwner,HashApp,HashFunction,Trigger,1,2,3\no,a,f,http,4,0,6\n");
      const r = await measureCli("--trace", file, "--speedup", "600");
      assert.equal(r.code, 0, r.err);
      assert.match(r.out, /^workload {2}trace {2}trace trace\.csv {2}format azure-2019 {2}speedup 600/m);
      assert.match(r.out, /^scheduled 10 {2}dropped 0/m);
      assert.match(r.out, /^latency ms +10 /m);
    });

    it("Ctrl-C between two bursts 10 minutes apart: exit 130 at once, the first burst summarized and in the file", async () => {
      const out = path.join(dir, "stopped.jsonl");
      const served = server.served;
      const { child, exited } = spawnCli(["measure", FN, "--endpoint", server.endpoint, "--region", TEST_REGION,
        "--burst", "3", "--every", "10m", "--out", out]);
      while (server.served < served + 3) await sleep(20);
      await sleep(100);
      child.kill("SIGINT");
      const r = await exited;
      assert.equal(r.code, 130, r.err);
      assert.match(r.out, /^scheduled 3 {2}dropped 0/m);
      assert.match(r.err, /interrupted: 3 invocations completed/);
      assert.equal(fs.readFileSync(out, "utf8").trim().split("\n").length, 3);
    });

    it("bad workload options are one-line usage errors (exit 2)", async () => {
      const bad: [string[], RegExp][] = [
        [["--rate", "10"], /--rate needs --duration or -n/],
        [["--rate", "10", "--burst", "3", "--every", "1s"], /--rate and --burst are different workloads/],
        [["--burst", "3"], /--burst needs --every/],
        [["--every", "1s"], /--every applies to --burst/],
        [["--rate", "0", "-n", "3"], /--rate: must be a number above 0/],
        [["--ramp", "10s:5,x"], /--ramp: stage 2/],
        [["--rate", "5", "--duration", "10"], /--duration: duration must be a number with a unit/],
        [["--rate", "5", "-n", "5", "--cold", "1"], /--cold applies to the closed loop/],
        [["--trace", path.join(dir, "missing.csv")], /missing\.csv: cannot read \(ENOENT\)/],
        [["--minutes", "1-2"], /--minutes applies to --trace/],
      ];
      for (const [args, re] of bad) {
        const r = await measureCli(...args);
        assert.equal(r.code, 2, `${args.join(" ")}: ${r.err}`);
        assert.match(r.err, re, args.join(" "));
        assert.equal(r.err.trim().split("\n").length, 1, r.err);
      }
      const malformed = path.join(dir, "bad.csv");
      fs.writeFileSync(malformed, "0\n10\nten\n");
      const r = await measureCli("--trace", malformed);
      assert.equal(r.code, 2);
      assert.match(r.err, /bad\.csv:3: not a number of ms: "ten"/);
    });
  });
});
