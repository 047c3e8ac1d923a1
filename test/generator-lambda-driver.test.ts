// The Lambda driver's handler in-process (issue 28): its S3 on moto_server, its Lambda (Invoke and
// GetFunctionConfiguration) on the stand-in, whose log of served calls is the truth. Time is a fake
// clock that moves only while a timer is armed (so a driver's start, reads and writes take no time
// on it, and lateness is exact) and never sleeps. The windows' records are read back from S3 as the
// CLI will: the parts, the clock and the WindowEnd.
import { strict as assert } from "node:assert";
import { CreateBucketCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { startMoto, TEST_CREDENTIALS, TEST_REGION, type Moto } from "../src/standin/moto";
import { startStandin, type Standin } from "../src/standin/standin";
import { makeHandler } from "../src/generator/lambda-handler";
import type { WindowDeps } from "../src/generator/window-driver";
import { clockKey, endKey, firstItems, payloadKey, specKey, stopKey, type MapItem, type WindowEnd } from "../src/generator/objects";
import { STOP_POLL_MS } from "../src/generator/window-driver";
import { shardSpecs, type ShardSpec } from "../src/generator/spec";
import type { ShardClock } from "../src/generator/skew";
import { FakeClock } from "../src/workload/clock";
import { drain } from "../src/workload/schedule";
import { shardSchedule, type WorkloadPlan } from "../src/workload/segments";
import type { InvocationRecord } from "../src/runs/record";

const BUCKET = "lb-generator";
/** The run's time 0 (epoch ms) in every test. */
const START = Date.UTC(2026, 11, 4, 12, 0, 0);
const tick = () => new Promise((r) => setImmediate(r));
/** 100/s uniform for 2 s: calls at 0, 10, ..., 1990 ms. */
const plan: WorkloadPlan = { shape: "open", open: { rate: 100, arrivals: "uniform", seed: 1, count: 200 } };
const range = (from: number, to: number, step: number) => Array.from({ length: Math.ceil((to - from) / step) }, (_, i) => from + i * step);

describe("the Lambda driver's handler (stand-in for Lambda, moto for S3)", function () {
  this.timeout(120_000);
  let moto: Moto;
  let standin: Standin;
  let s3: S3Client;

  before(async () => {
    [moto, standin] = await Promise.all([startMoto(), startStandin()]);
    s3 = new S3Client({ endpoint: moto.endpoint, region: TEST_REGION, credentials: TEST_CREDENTIALS, forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  });
  after(async () => {
    s3?.destroy();
    await standin?.stop();
    await moto?.stop();
  });

  const put = (key: string, body: string | Buffer) => s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }));
  const get = async (key: string) => (await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }))).Body!.transformToString();
  const keys = async (prefix: string) => ((await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix }))).Contents ?? []).map((o) => o.Key!).sort();

  /** The run's specs, uploaded (payload in S3 when `s3Payload`). */
  async function upload(runId: string, p: WorkloadPlan, shards: number, s3Payload = false, benchmark?: string): Promise<ShardSpec[]> {
    const body = Buffer.from(JSON.stringify({ name: "driver" }));
    if (s3Payload) await put(payloadKey(runId), body);
    const specs = shardSpecs(p, shards, {
      runId, target: { function: "hello", qualifier: null }, ...(benchmark ? { benchmark } : {}), payload: s3Payload ? { s3Key: payloadKey(runId) } : { bytes: body },
      startAtMs: START, maxInFlight: 50, out: { kind: "s3" },
    });
    for (const s of specs) await put(specKey(runId, s.shard), JSON.stringify(s));
    return specs;
  }

  /**
   * One driver invocation for `item`, started at `wakeMs` (epoch) with `remainingMs` left, on its
   * own fake clock (each invocation is its own process). The clock moves 1 ms a turn of the event
   * loop while a timer is armed, and stands still otherwise.
   */
  async function invoke(item: MapItem, wakeMs: number, extra: Partial<WindowDeps> = {}, remainingMs = 900_000) {
    const clock = new FakeClock();
    const wallNow = () => wakeMs + clock.now();
    const deadline = wakeMs + remainingMs;
    const handler = makeHandler({
      bucket: BUCKET, region: TEST_REGION, s3, lambdaEndpoint: standin.endpoint, clock, wallNow, version: "test", memoryMb: 1769, ...extra,
    });
    const servedBefore = standin.server.calls.length;
    let settled: { ok: MapItem } | { err: Error } | undefined;
    handler(item, { getRemainingTimeInMillis: () => deadline - wallNow() }).then((ok) => { settled = { ok }; }, (err) => { settled = { err }; });
    while (!settled) {
      if (clock.pending > 0) clock.advance(1);
      await tick();
    }
    const served = standin.server.calls.slice(servedBefore).filter((c) => c.status === 200).map((c) => c.requestId);
    return { ...settled, served };
  }

  /**
   * S3 as the driver sees it, with no I/O on its path while its fake clock runs (the clock moves a
   * turn of the event loop at a time, so real I/O would let fake time pass as the machine's load
   * decides): a PutObject is answered at once and carried to moto behind it (`flushed` waits for
   * those), `failPut` rejects the keys it matches, and a HeadObject answers from `present`.
   */
  function instantS3(o: { failPut?: RegExp; present?: Set<string> } = {}) {
    const behind: Promise<unknown>[] = [];
    const client = {
      send: (cmd: unknown) => {
        if (cmd instanceof PutObjectCommand) {
          if (o.failPut?.test(cmd.input.Key ?? "")) {
            return Promise.reject(Object.assign(new Error("We encountered an internal error. Please try again."), { name: "InternalError" }));
          }
          behind.push(s3.send(cmd));
          return Promise.resolve({});
        }
        if (cmd instanceof HeadObjectCommand) {
          return o.present?.has(cmd.input.Key ?? "")
            ? Promise.resolve({})
            : Promise.reject(Object.assign(new Error("NotFound"), { name: "NotFound", $metadata: { httpStatusCode: 404 } }));
        }
        return s3.send(cmd as PutObjectCommand);
      },
    } as unknown as S3Client;
    return { client, flushed: () => Promise.all(behind) };
  }

  /** Window w's records, part by part; each part must be whole JSONL. */
  async function records(runId: string, shard: number, w: number) {
    const prefix = `runs/${runId}/shard-${shard}/w${w}-p`;
    const parts = await keys(prefix);
    const bodies: string[] = [];
    for (let k = 0; k < parts.length; k++) {
      assert.equal(parts.includes(`${prefix}${k}.jsonl`), true, `part ${k} of ${parts.join(", ")}`);
      bodies.push(await get(`${prefix}${k}.jsonl`));
    }
    const recs = bodies.flatMap((b) => {
      assert.ok(b.endsWith("\n"), "a part ends with a whole line");
      return b.slice(0, -1).split("\n").map((l) => JSON.parse(l) as InvocationRecord);
    });
    const end = JSON.parse(await get(endKey(runId, shard, w))) as WindowEnd;
    const clock = JSON.parse(await get(clockKey(runId, shard, w))) as ShardClock;
    return { recs, bodies, end, clock };
  }

  it("each window sends exactly its slice of the shard's schedule, the server's calls are its records, and the two windows are the shard", async () => {
    await upload("two-windows", plan, 2, true);
    const item = firstItems("two-windows", 2, START, 2000, 1000)[1];
    const r0 = await invoke(item, START - 2_000);
    assert.ok("ok" in r0, "err" in r0 ? r0.err.message : "");
    // The answer: window 1, woken LEAD_MS (30 s) before it starts.
    assert.deepEqual(r0.ok, { ...item, window: 1, wakeAt: new Date(START + 1000 - 30_000).toISOString(), done: false });
    const w0 = await records("two-windows", 1, 0);
    // Shard 1 of 2 at 100/s takes every other call: 10, 30, ..., 990 ms in window 0.
    assert.deepEqual(w0.recs.map((x) => x.scheduledAt).sort((a, b) => a! - b!), range(10, 1000, 20));
    assert.ok(w0.recs.every((x) => x.status === 200 && x.shard === 1 && x.function === "hello" && x.configMemoryMb === 128 && x.architecture === "arm64"));
    assert.deepEqual(w0.recs.map((x) => x.requestId).sort(), [...r0.served].sort());
    assert.deepEqual(w0.end, { shard: 1, window: 0, parts: w0.bodies.length, records: 50, version: "test", memoryMb: 1769 });
    assert.deepEqual(w0.clock, { shard: 1, startAtMs: START, startedMs: START, firstSendMs: START + 10, lastSendMs: START + 990 });

    const r1 = await invoke(r0.ok, START + 1000 - 2_000);
    assert.ok("ok" in r1, "err" in r1 ? r1.err.message : "");
    assert.deepEqual(r1.ok, { ...r0.ok, done: true });
    const w1 = await records("two-windows", 1, 1);
    assert.deepEqual(w1.recs.map((x) => x.scheduledAt).sort((a, b) => a! - b!), range(1010, 2000, 20));
    assert.deepEqual(w1.recs.map((x) => x.requestId).sort(), [...r1.served].sort());
    assert.deepEqual(w1.clock, { shard: 1, startAtMs: START, startedMs: START + 1000, firstSendMs: START + 1010, lastSendMs: START + 1990 });
    // Together: the shard's schedule, call for call.
    const both = [...w0.recs, ...w1.recs].map((x) => x.scheduledAt!).sort((a, b) => a - b);
    assert.deepEqual(both, drain(shardSchedule(plan, 1, 2)));
  });

  it("a driver woken late drops exactly what its window missed (late-start), and sends the rest unshifted", async () => {
    await upload("late", plan, 2);
    const item: MapItem = { ...firstItems("late", 2, START, 2000, 1000)[1], window: 1 };
    const r = await invoke(item, START + 1125);
    assert.ok("ok" in r, "err" in r ? r.err.message : "");
    const w = await records("late", 1, 1);
    const dropped = w.recs.filter((x) => x.status === "dropped");
    const sent = w.recs.filter((x) => x.status !== "dropped");
    // Window 1 of shard 1 is 1010, 1030, ... ms; ready at 1125 ms, the six before it are missed.
    assert.deepEqual(dropped.map((x) => x.scheduledAt).sort((a, b) => a! - b!), [1010, 1030, 1050, 1070, 1090, 1110]);
    assert.ok(dropped.every((x) => x.error!.startsWith("late-start") && x.sentAt === null));
    assert.deepEqual(sent.map((x) => x.scheduledAt).sort((a, b) => a! - b!), range(1130, 2000, 20));
    assert.ok(sent.every((x) => x.sentAt === x.scheduledAt));
    assert.equal(r.served.length, 44);
    assert.deepEqual(sent.map((x) => x.requestId).sort(), [...r.served].sort());
    assert.equal(w.end.records, 50);
    assert.equal(w.clock.startedMs, START + 1125);
  });

  it("splits a window's records into parts by size, each a whole JSONL file, numbered from 0", async () => {
    await upload("parts", plan, 1);
    const item = firstItems("parts", 1, START, 2000, 1000)[0];
    const r = await invoke(item, START - 1_000, { partMaxBytes: 4096 });
    assert.ok("ok" in r, "err" in r ? r.err.message : "");
    const w = await records("parts", 0, 0);
    assert.equal(w.recs.length, 100);
    assert.ok(w.bodies.length >= 10, `${w.bodies.length} parts`);
    assert.equal(w.end.parts, w.bodies.length);
    assert.equal(w.end.records, 100);
    assert.ok(w.recs.every((x) => x.shard === 0));
    // A part is sealed at the line that takes it to 4,096 bytes: all but its last line stay under.
    w.bodies.forEach((b, k) => {
      const lines = b.slice(0, -1).split("\n");
      assert.ok(b.length - lines[lines.length - 1].length - 1 < 4096, `part ${k}`);
      if (k < w.bodies.length - 1) assert.ok(b.length >= 4096, `part ${k} is ${b.length} bytes`);
    });
  });

  it("the deadline stops sending in time for the calls in flight, and the clock and WindowEnd are still written", async () => {
    await upload("deadline", { shape: "open", open: { rate: 100, arrivals: "uniform", seed: 1, count: 100 } }, 1);
    const item = firstItems("deadline", 1, START, 1000, 1000)[0];
    // Woken 60 s ahead with 66.505 s left: the window [0, 1 s) ends 5.505 s before the invocation,
    // so a call may take 1 s (the least) and sending stops at 505 ms: the reserve (5 s) and one
    // call's time before the end.
    const r = await invoke(item, START - 60_000, {}, 60_000 + 6_505);
    assert.ok("ok" in r, "err" in r ? r.err.message : "");
    assert.deepEqual(r.ok, { ...item, done: true });
    const w = await records("deadline", 0, 0);
    assert.deepEqual(w.recs.map((x) => x.scheduledAt).sort((a, b) => a! - b!), range(0, 510, 10));
    assert.equal(r.served.length, 51);
    assert.match(w.end.fatal ?? "", /^out of time: .*stopped sending at 505 ms of the schedule$/);
    assert.equal(w.end.records, 51);
    assert.equal(w.clock.lastSendMs, START + 500);
  });

  it("a part S3 will not take ends the window with fatal: sending stops, the parts before it stay, clock and end are written", async () => {
    await upload("s3fails", plan, 1);
    const item = firstItems("s3fails", 1, START, 2000, 1000)[0];
    // S3 as the driver sees it: part 1 of every window fails (after the SDK's retries, as far as the driver knows).
    const failing = instantS3({ failPut: /-p1\.jsonl$/ });
    const r = await invoke(item, START - 1_000, { s3: failing.client, partMaxBytes: 4096 });
    await failing.flushed();
    assert.ok("ok" in r, "err" in r ? r.err.message : "");
    const w = await records("s3fails", 0, 0);
    assert.equal(w.end.fatal, "S3 upload failed: part 1: s3://lb-generator/runs/s3fails/shard-0/w0-p1.jsonl: InternalError: We encountered an internal error. Please try again.");
    assert.equal(w.end.parts, 1);
    assert.equal(w.end.records, w.recs.length);
    assert.ok(w.recs.length > 0 && r.served.length >= w.recs.length);
    // Sending stopped soon after the failure, far short of the window's 100 calls.
    assert.ok(r.served.length < 50, `${r.served.length} calls served`);
    assert.deepEqual(await keys("runs/s3fails/"), [
      "runs/s3fails/shard-0/spec.json", "runs/s3fails/shard-0/w0-p0.jsonl", "runs/s3fails/shard-0/w0.clock.json", "runs/s3fails/shard-0/w0.end.json",
    ]);
  });

  it("a stopped run (its stop object there) stops sending at the driver's next look, keeps what it recorded, and answers done", async () => {
    // 100/s for 10 s in one window: the CLI's Ctrl-C wrote stop.json before the driver's first look.
    const long: WorkloadPlan = { shape: "open", open: { rate: 100, arrivals: "uniform", seed: 1, count: 1000 } };
    await upload("stopped", long, 1);
    const stopped = instantS3({ present: new Set([stopKey("stopped")]) });
    const item = firstItems("stopped", 1, START, 10_000, 10_000)[0];
    const r = await invoke(item, START - 1_000, { s3: stopped.client });
    await stopped.flushed();
    assert.ok("ok" in r, "err" in r ? r.err.message : "");
    assert.deepEqual(r.ok, { ...item, done: true });
    const w = await records("stopped", 0, 0);
    assert.equal(w.end.stopped, true);
    assert.equal(w.end.fatal, undefined);
    // The first look is STOP_POLL_MS after the first record (the call at 0 ms back: a few turns of
    // the event loop, more under load, each a fake ms): sending went on until then and stopped at
    // once (the look answers at once here), far short of the window's 1,000 calls.
    const last = Math.max(...w.recs.map((x) => x.scheduledAt!));
    assert.ok(last >= STOP_POLL_MS && last < STOP_POLL_MS + 1_000, `last call scheduled at ${last} ms`);
    // (Under load a call can be dropped at the 50 in flight, fake time running while real calls are out.)
    const sent = w.recs.filter((x) => x.status !== "dropped");
    assert.ok(sent.every((x) => x.status === 200));
    assert.deepEqual(sent.map((x) => x.requestId).sort(), [...r.served].sort());
    assert.equal(w.end.records, w.recs.length);
  });

  it("writes the spec's benchmark name on every record (a deployed name may carry a namePrefix), else the function's", async () => {
    await upload("named", plan, 1, false, "hello-bench");
    const r = await invoke(firstItems("named", 1, START, 2000, 1000)[0], START - 1_000);
    assert.ok("ok" in r, "err" in r ? r.err.message : "");
    const w = await records("named", 0, 0);
    assert.equal(w.recs.length, 100);
    assert.ok(w.recs.every((x) => x.benchmark === "hello-bench" && x.function === "hello"));
    await upload("unnamed", plan, 1);
    await invoke(firstItems("unnamed", 1, START, 2000, 1000)[0], START - 1_000);
    assert.ok((await records("unnamed", 0, 0)).recs.every((x) => x.benchmark === "hello"));
  });

  it("refuses a spec whose target is the driver itself", async () => {
    await upload("self", plan, 1);
    const r = await invoke(firstItems("self", 1, START, 2000, 1000)[0], START - 1_000, { selfName: "hello" });
    assert.ok("err" in r, "the driver ran a spec naming itself");
    assert.equal(r.err.message, "the spec's target hello is the driver itself: a driver invokes benchmarks, never drivers");
    assert.equal(r.served.length, 0);
    assert.deepEqual(await keys("runs/self/"), [specKey("self", 0)]);
  });

  it("refuses, with one line and before any call or write, a spec key outside its run, a run id that is not one, a spec of another run, a function that is not there", async () => {
    const specs = await upload("mine", plan, 1);
    await put(specKey("nofn", 0), JSON.stringify({ ...specs[0], runId: "nofn", out: { kind: "s3", prefix: "runs/nofn/shard-0/" }, target: { function: "nope", qualifier: null } }));
    const item = firstItems("mine", 1, START, 2000, 1000)[0];
    await put(specKey("theirs", 0), JSON.stringify({ ...specs[0], runId: "other", out: { kind: "s3", prefix: "runs/other/shard-0/" } }));
    const cases: [MapItem, RegExp][] = [
      [{ ...item, specKey: "runs/other/shard-0/spec.json" }, /^specKey "runs\/other\/shard-0\/spec.json" is not runs\/mine\/shard-0\/spec.json: the driver reads only its run's shard specs$/],
      [{ ...item, runId: "..", specKey: "runs/../shard-0/spec.json" }, /^run id "\.\.": 1 to 64 letters/],
      [{ ...item, runId: "theirs", specKey: specKey("theirs", 0) }, /^s3:\/\/lb-generator\/runs\/theirs\/shard-0\/spec.json: the spec is run other shard 0, not the item's run theirs shard 0$/],
      [{ ...item, window: "0" } as unknown as MapItem, /^the event is not a Map item: window: /],
      [{ ...item, runId: "nofn", specKey: specKey("nofn", 0) }, /^shard 0: function nope not found at Lambda in us-east-1/],
    ];
    for (const [bad, message] of cases) {
      const r = await invoke(bad, START - 1_000);
      assert.ok("err" in r, `${JSON.stringify(bad)} was run`);
      assert.match(r.err.message, message);
      assert.ok(!r.err.message.includes("\n"));
      assert.equal(r.served.length, 0);
    }
    assert.deepEqual(await keys("runs/theirs/"), [specKey("theirs", 0)]);
    assert.deepEqual(await keys("runs/mine/"), [specKey("mine", 0)]);
    assert.deepEqual(await keys("runs/nofn/"), [specKey("nofn", 0)]);
  });
});
