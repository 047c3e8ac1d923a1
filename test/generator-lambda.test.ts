// `measure --shards N --generator lambda` end to end (issue 28): the CLI against moto_server
// (Step Functions, S3, STS: --generator-endpoint) and the stand-in (Lambda: --endpoint), with the
// test playing Lambda: it waits for the specs and items the CLI uploaded to moto's S3 and runs the
// real driver handler for each shard's window, against the stand-in, writing to moto's S3 where
// objects.ts says. moto runs no Lambda code: the Drive tasks get the answers queued here, the
// first holding each child (as a real Drive waits for its driver) until after the records are
// written, the second ending it.
// Then the refusals, each before anything is uploaded, and Ctrl-C stopping the execution.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { S3Client } from "@aws-sdk/client-s3";
import { DescribeExecutionCommand, ListExecutionsCommand, ListStateMachinesCommand, SFNClient } from "@aws-sdk/client-sfn";
import { startMoto, type Moto } from "../src/standin/moto";
import { startStandin, type Standin } from "../src/standin/standin";
import { ControlPlane } from "../src/standin/control-plane";
import { makeHandler } from "../src/generator/lambda-handler";
import { parseShardSpec } from "../src/generator/spec";
import { endKey, MapItem, partKey, type WindowEnd } from "../src/generator/objects";
import { RealClock } from "../src/workload/clock";
import { BUCKET, deployGenerator, getText, listKeys, motoConfig, queueDriverAnswers, resetMoto } from "./moto-generator";
import { cli, spawnCli } from "./run-cli";
import { metaPathFor } from "../src/runs/provenance";

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const lines = (file: string) => fs.readFileSync(file, "utf8").split("\n").filter(Boolean);
const workspace = () => fs.mkdtempSync(path.join(os.tmpdir(), "lambda-bench-lambda-test-"));

/**
 * Plays the drivers of the next run the CLI uploads: queues the Drive answers (hold each child
 * until `holdMs` after the start, then done) and runs each shard's window 0 through the real
 * driver handler (makeHandler: reads its spec from moto's S3, sleeps until the start, invokes the
 * stand-in, writes its parts, clock and end), as Lambda would run it for the Map child. Resolves
 * with each shard's records as the driver wrote them (JSONL lines of its parts).
 */
async function playDrivers(s3: S3Client, moto: Moto, standin: Standin, holdMs: number): Promise<string[][]> {
  let keys: string[] = [];
  for (let i = 0; i < 400 && !keys.some((k) => k.endsWith("/items.json")); i++) {
    await sleep(100);
    keys = await listKeys(s3, "runs/");
  }
  const key = keys.find((k) => k.endsWith("/items.json"));
  assert.ok(key, "the CLI uploaded no items.json");
  const items = (JSON.parse(await getText(s3, key)) as unknown[]).map((i) => MapItem.parse(i));
  const startAtMs = parseShardSpec(await getText(s3, items[0].specKey), items[0].specKey).startAtMs;
  await queueDriverAnswers(moto.endpoint, [
    ...items.map((i) => ({ ...i, wakeAt: new Date(startAtMs + holdMs).toISOString() })),
    ...items.map((i) => ({ ...i, done: true })),
  ]);
  const handler = makeHandler({
    bucket: BUCKET, region: "us-east-1", s3, lambdaEndpoint: standin.endpoint, clock: new RealClock(), wallNow: Date.now,
    version: "0.0.0-driver", memoryMb: 1769,
  });
  return Promise.all(items.map(async (item) => {
    const next = await handler(item, { getRemainingTimeInMillis: () => 900_000 });
    assert.deepEqual(next, { ...item, done: true });
    const end = JSON.parse(await getText(s3, endKey(item.runId, item.shard, 0))) as WindowEnd;
    assert.equal(end.fatal, undefined);
    const parts = await listKeys(s3, partKey(item.runId, item.shard, 0, 0).replace(/0\.jsonl$/, ""));
    assert.equal(parts.length, end.parts);
    return (await Promise.all(parts.map((k) => getText(s3, k)))).flatMap((body) => body.split("\n").filter(Boolean));
  }));
}

describe("measure --shards --generator lambda (moto's Step Functions and S3, the stand-in's Lambda)", function () {
  this.timeout(150_000);
  let moto: Moto;
  let standin: Standin;
  let s3: S3Client;
  let sfn: SFNClient;
  const args = (...more: string[]) => ["measure", "hello", "--generator", "lambda", "--endpoint", standin.endpoint, "--generator-endpoint", moto.endpoint, ...more];

  before(async () => {
    [moto, standin] = await Promise.all([startMoto(), startStandin()]);
    s3 = new S3Client(motoConfig(moto.endpoint));
    sfn = new SFNClient(motoConfig(moto.endpoint));
  });
  after(async () => {
    s3?.destroy();
    sfn?.destroy();
    await Promise.all([moto?.stop(), standin?.stop()]);
  });

  it("uploads the specs and items, runs the execution, and merges what the drivers wrote into the union", async () => {
    await resetMoto(moto.endpoint);
    const { stateMachineArn } = await deployGenerator(moto.endpoint);
    const out = path.join(workspace(), "run.jsonl");
    const base = standin.served();
    const [r, written] = await Promise.all([
      cli(args("--shards", "3", "--rate", "30", "--duration", "2s", "--start-margin", "35s", "--out", out)),
      playDrivers(s3, moto, standin, 8000),
    ]);
    assert.equal(r.code, 0, r.err);
    // The merged file is the union of what the 3 drivers wrote: the same records, each once, sorted
    // by scheduled time, and the one-process schedule call for call (30/s: one every 33.3 ms).
    const merged = lines(out).map((l) => JSON.parse(l));
    const union = written.flat().map((l) => JSON.parse(l));
    assert.equal(merged.length, 60);
    assert.equal(standin.served() - base, 60);
    const key = (x: { shard: number; scheduledAt: number }) => `${x.shard}@${x.scheduledAt}`;
    assert.deepEqual(merged.map(key).sort(), union.map(key).sort());
    merged.forEach((x, i) => assert.ok(Math.abs(x.scheduledAt - (i * 1000) / 30) <= 0.001, `record ${i} at ${x.scheduledAt} ms`));
    for (let s = 0; s < 3; s++) assert.equal(merged.filter((x) => x.shard === s).length, 20);
    // The provenance names the Lambda generator, where it ran, and the drivers' own version.
    const meta = JSON.parse(fs.readFileSync(metaPathFor(out), "utf8"));
    const g = meta.generator;
    assert.equal(g.kind, "lambda");
    assert.equal(g.shards, 3);
    assert.equal(g.startMarginMs, 35_000);
    assert.deepEqual(g.driver, { memoryMb: 1769, architecture: "x86_64", version: "0.0.0-driver" });
    assert.equal(g.region, "us-east-1");
    assert.equal(g.stateMachineArn, stateMachineArn);
    assert.match(g.executionArn, /^arn:aws:states:us-east-1:123456789012:execution:lambda-bench-generator:/);
    assert.equal(g.startSkew.shards, 3);
    assert.match(g.objects, /^s3:\/\/lambda-bench-generator-test\/runs\/[A-Za-z0-9_-]+\/$/);
    assert.equal(meta.interrupted, null);
    const ex = await sfn.send(new DescribeExecutionCommand({ executionArn: g.executionArn }));
    assert.equal(ex.status, "SUCCEEDED");
    // The objects stay: the specs, the items and what the drivers wrote (3 shards x part, clock, end).
    const kept = await listKeys(s3, g.objects.replace(/^s3:\/\/[^/]+\//, ""));
    assert.equal(kept.length, 3 + 1 + 9);
    // The generator's cost beside the benchmark's: 3 driver invocations, 13 transitions (a child's
    // Wait, Drive, More and Done, and the Map), 13 PUTs (3 specs, the items, 9 driver objects),
    // 13 GETs (the Map's items, 3 specs by the drivers, 9 objects brought down), 1 LIST.
    assert.match(r.out, /generator cost \(estimated\): drivers 3 invocations, [\d.]+ GB-s \$[\d.e-]+; 13 state transitions \$0\.000325; S3 13 PUT, 13 GET, 1 LIST /);
    assert.match(r.out, /3 Lambda shards: start skew [\d.]+ ms across 3 shards/);
    assert.match(r.out, /the drivers' objects stay in s3:\/\/lambda-bench-generator-test\/runs\//);
  });

  it("refuses without a generator deployed, naming the region", async () => {
    await resetMoto(moto.endpoint);
    const r = await cli(args("--shards", "3", "--rate", "30", "--duration", "2s"));
    assert.equal(r.code, 1);
    assert.equal(r.err, "lambda-bench: no generator in us-east-1: add `generator:` to the manifest and `pulumi up`\n");
  });

  it("refuses too many shards, too high a rate a shard, and too little concurrency, before uploading anything", async () => {
    await resetMoto(moto.endpoint);
    await deployGenerator(moto.endpoint, { memoryMb: 128 });
    const many = await cli(args("--shards", "101", "--rate", "300", "--duration", "2s"));
    assert.equal(many.code, 2);
    assert.match(many.err, /--shards 101 is more than the generator's 100 \(the default/);
    // 128 MB is 128/1769 of a vCPU: 144 calls/s a driver; 1,000/s over 2 shards is 500 a shard.
    const fast = await cli(args("--shards", "2", "--rate", "1000", "--duration", "2s"));
    assert.equal(fast.code, 2);
    assert.match(fast.err, /500 calls\/s a shard .* more than one driver of 128 MB sends \(144\/s: 2000\/s a vCPU, bench:shards\): use --shards 7 or more/);
    const control = standin.server.control;
    standin.server.control = new ControlPlane(standin.functions, { concurrentExecutions: 20 });
    try {
      const tight = await cli(args("--shards", "3", "--rate", "30", "--duration", "2s"));
      assert.equal(tight.code, 1);
      assert.match(tight.err, /the account's unreserved concurrency is 20; this run needs 33 \(3 drivers \+ 30 for the target at 30 calls\/s x 1 s\)/);
    } finally {
      standin.server.control = control;
    }
    assert.deepEqual(await listKeys(s3), []);
    // The stack's own generator.maxShards (its tag) comes before the manifest's fallback.
    await resetMoto(moto.endpoint);
    await deployGenerator(moto.endpoint, { maxShards: 2 });
    const tagged = await cli(args("--shards", "3", "--rate", "30", "--duration", "2s"));
    assert.equal(tagged.code, 2);
    assert.match(tagged.err, /--shards 3 is more than the generator's 2 \(the stack's generator.maxShards \(tag lambda-bench:max-shards\)\)/);
    const short = await cli(args("--shards", "3", "--rate", "30", "--duration", "2s", "--start-margin", "20s"));
    assert.equal(short.code, 2);
    assert.match(short.err, /--start-margin 20000 ms is too short for --generator lambda: at least 35000 ms/);
  });

  it("Ctrl-C stops the execution (StopExecution), brings down what was written and keeps it, exit 130", async () => {
    await resetMoto(moto.endpoint);
    await deployGenerator(moto.endpoint);
    const out = path.join(workspace(), "run.jsonl");
    const run = spawnCli(args("--shards", "3", "--rate", "30", "--duration", "2s", "--start-margin", "35s", "--out", out, "--json"));
    // The children are held 10 minutes: the execution is still running when the signal comes.
    const written = await playDrivers(s3, moto, standin, 600_000);
    const [execution] = (await sfn.send(new ListExecutionsCommand({ stateMachineArn: (await deployedArn(sfn)) }))).executions ?? [];
    assert.equal(execution?.status, "RUNNING");
    run.child.kill("SIGINT");
    const r = await run.exited;
    assert.equal(r.code, 130, r.err);
    assert.match(r.err, /interrupted: 60 invocations completed, all in /);
    // The stop object for drivers still running, then the wait for their window's ends (all written here).
    assert.match(r.err, /stopped the execution; waiting for the drivers of window 0 to write their last records/);
    assert.doesNotMatch(r.err, /wrote no end/);
    const stop = (await listKeys(s3)).filter((k) => k.endsWith("/stop.json"));
    assert.equal(stop.length, 1);
    assert.ok(JSON.parse(await getText(s3, stop[0])).stoppedAtMs > 0);
    const ex = await sfn.send(new DescribeExecutionCommand({ executionArn: execution.executionArn }));
    assert.equal(ex.status, "ABORTED");
    assert.equal(lines(out).length, written.flat().length);
    const meta = JSON.parse(fs.readFileSync(metaPathFor(out), "utf8"));
    assert.equal(meta.interrupted.reason, "signal");
    assert.equal(meta.generator.executionArn, execution.executionArn);
    // --json: the summary with the generator's cost beside it, and the provenance.
    const json = JSON.parse(r.out);
    assert.equal(json.invocations, 60);
    assert.equal(json.interrupted, true);
    assert.deepEqual({ invocations: json.generatorCost.driver.invocations, transitions: json.generatorCost.transitions.count, estimated: json.generatorCost.estimated },
      { invocations: 3, transitions: 13, estimated: true });
    assert.equal(json.provenance.generator.kind, "lambda");
  });
});

async function deployedArn(sfn: SFNClient): Promise<string> {
  const list = await sfn.send(new ListStateMachinesCommand({}));
  return list.stateMachines![0].stateMachineArn!;
}
