// The map-reduce benchmark end to end, in-process: its S3 client on moto_server, its Lambda client
// on a loopback Invoke server that runs the mapper and reducer handlers. Counts are checked against
// an independent count of the corpus as stored in S3.
import { strict as assert } from "node:assert";
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { drive } from "../benchmarks/map-reduce/src/driver";
import { handler } from "../benchmarks/map-reduce/src/handler";
import { corpusObject } from "../benchmarks/map-reduce/src/corpus";
import { map } from "../benchmarks/map-reduce/src/mapper";
import { reduce } from "../benchmarks/map-reduce/src/reducer";
import type { MapperEvent, ReducerEvent } from "../benchmarks/map-reduce/src/shared";
import { startMoto, TEST_CREDENTIALS, TEST_REGION, type Moto } from "../src/standin/moto";
import { InvokeServer } from "../src/standin/invoke-server";

const BUCKET = "lb-data";

describe("benchmarks: map-reduce", function () {
  this.timeout(120_000);
  let moto: Moto;
  let lambda: InvokeServer;
  let s3: S3Client;
  let failMapper: number | undefined;
  const saved = { ...process.env };

  before(async () => {
    moto = await startMoto();
    lambda = await InvokeServer.start(async (call) => {
      const event = JSON.parse(call.body.toString("utf8"));
      try {
        if (call.functionName === "mr-mapper") {
          if ((event as MapperEvent).mapper === failMapper) throw new Error("disk on fire");
          return { kind: "ok", payload: JSON.stringify(await map(event as MapperEvent)) };
        }
        if (call.functionName === "mr-reducer") return { kind: "ok", payload: JSON.stringify(await reduce(event as ReducerEvent)) };
        return { kind: "status", status: 404, errorType: "ResourceNotFoundException" };
      } catch (err) {
        // What the Node.js runtime returns for an unhandled error.
        return { kind: "ok", functionError: "Unhandled", payload: JSON.stringify({ errorType: (err as Error).name, errorMessage: (err as Error).message }) };
      }
    });
    Object.assign(process.env, {
      AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey, AWS_REGION: TEST_REGION,
      AWS_ENDPOINT_URL_S3: moto.endpoint, AWS_ENDPOINT_URL_LAMBDA: lambda.endpoint, S3_FORCE_PATH_STYLE: "true",
      DATA_BUCKET: BUCKET, MAPPER_FUNCTION: "mr-mapper", REDUCER_FUNCTION: "mr-reducer",
    });
    s3 = new S3Client({ endpoint: moto.endpoint, region: TEST_REGION, credentials: TEST_CREDENTIALS, forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  });

  after(async () => {
    s3?.destroy();
    await lambda?.close();
    await moto?.stop();
    process.env = saved;
  });

  async function read(key: string): Promise<string> {
    return (await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }))).Body!.transformToString();
  }

  async function keys(prefix: string): Promise<string[]> {
    return ((await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix }))).Contents ?? []).map((o) => o.Key!).sort();
  }

  it("counts every word of a generated corpus exactly once, partitions disjoint, all reducers awaited", async () => {
    failMapper = undefined;
    const before = lambda.served;
    const r = await drive({ inputPrefix: "corpus-a/", mappers: 3, reducers: 2, top: 5, generate: { objects: 5, bytesPerObject: 20_000, seed: 7 } });
    // Every mapper and reducer had answered when the driver returned.
    assert.equal(lambda.served - before, 5);
    assert.deepEqual(lambda.calls.slice(-5).map((c) => c.functionName), ["mr-mapper", "mr-mapper", "mr-mapper", "mr-reducer", "mr-reducer"]);

    // Independent count: the corpus as S3 holds it, split on whitespace.
    const inputs = await keys("corpus-a/");
    assert.equal(inputs.length, 5);
    const truth = new Map<string, number>();
    for (const k of inputs) for (const w of (await read(k)).split(/\s+/).filter(Boolean)) truth.set(w, (truth.get(w) ?? 0) + 1);
    const total = [...truth.values()].reduce((a, b) => a + b, 0);

    const outputs = await Promise.all([0, 1].map(async (i) => JSON.parse(await read(`${r.job}/reduce/r${i}.json`)) as Record<string, number>));
    const merged = new Map<string, number>();
    for (const out of outputs) {
      for (const [w, n] of Object.entries(out)) {
        assert.ok(!merged.has(w), `"${w}" was counted by two reducers`);
        merged.set(w, n);
      }
    }
    assert.deepEqual(merged, truth);
    assert.deepEqual([r.words, r.distinct], [total, truth.size]);
    const expectedTop = [...truth].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 5).map(([word, count]) => ({ word, count }));
    assert.deepEqual(r.top, expectedTop);
    assert.deepEqual(r.objects, { input: 5, intermediate: 6, output: 2 });
    assert.equal((await keys(`${r.job}/map/`)).length, 6);
    assert.ok(r.timesMs.total >= r.timesMs.map + r.timesMs.reduce);
  });

  it("generates the same corpus for the same seed, a different one for another", () => {
    assert.equal(corpusObject(7, 0, 5000), corpusObject(7, 0, 5000));
    assert.notEqual(corpusObject(7, 0, 5000), corpusObject(8, 0, 5000));
    assert.notEqual(corpusObject(7, 0, 5000), corpusObject(7, 1, 5000));
    assert.ok(corpusObject(7, 0, 5000).length >= 5000);
  });

  it("a failing mapper fails the driver with its error, and no reducer runs", async () => {
    failMapper = 1;
    const before = lambda.calls.length;
    await assert.rejects(
      drive({ inputPrefix: "corpus-a/", mappers: 3, reducers: 2 }),
      { message: "mapper 1 of 3 failed (Unhandled): Error: disk on fire" },
    );
    const calls = lambda.calls.slice(before).map((c) => c.functionName);
    assert.deepEqual(calls, ["mr-mapper", "mr-mapper", "mr-mapper"]);
    failMapper = undefined;
  });

  it("rejects bad events and missing configuration with clear errors", async () => {
    await assert.rejects(drive({ mappers: 0 }), { message: "mappers must be a whole number from 1 to 1000; got 0" });
    await assert.rejects(drive({ inputPrefix: "nothing-here/" }), { message: "no input objects under s3://lb-data/nothing-here/: pass generate to write a corpus" });
    delete process.env.MAP_REDUCE_ROLE;
    await assert.rejects(handler({}), /MAP_REDUCE_ROLE is undefined: build the image with --build-arg target_arg=driver\|mapper\|reducer/);
    const bucket = process.env.DATA_BUCKET;
    delete process.env.DATA_BUCKET;
    try {
      await assert.rejects(drive({}), /DATA_BUCKET is not set/);
    } finally {
      process.env.DATA_BUCKET = bucket;
    }
  });

  it("the handler runs the role the image was built for", async () => {
    process.env.MAP_REDUCE_ROLE = "reducer";
    try {
      // A reducer with zero mappers' input writes an empty partition and returns it.
      const out = await handler({ bucket: BUCKET, job: "jobs/empty", reducer: 0, mappers: 0, top: 3 });
      assert.deepEqual(out, { reducer: 0, words: 0, distinct: 0, top: [] });
    } finally {
      delete process.env.MAP_REDUCE_ROLE;
    }
  });
});
