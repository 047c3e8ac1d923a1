// Shard specs (issue 28): built for every shape, they round-trip through JSON and rebuild the exact
// shard schedules; a URL as the function, a shard index out of range, more than 10,000 shards and
// the other bad documents are refused with one line naming the field.
import { strict as assert } from "node:assert";
import * as fc from "fast-check";
import { parseEvery } from "../src/workload/burst";
import { parseRamp } from "../src/workload/ramp";
import { parseTrace } from "../src/workload/trace";
import { drain } from "../src/workload/schedule";
import { shardSchedule, type WorkloadPlan } from "../src/workload/segments";
import {
  parseShardSpec, shardOutputs, shardScheduleOf, shardSpecs, ShardSpecError, type ShardSpec, type SpecCommon,
} from "../src/generator/spec";

const common: SpecCommon = {
  runId: "r-2026-12-04", target: { function: "lambda-bench-hello", qualifier: null },
  payload: { bytes: Buffer.from('{"n":1}') }, startAtMs: 1_796_400_000_000, maxInFlight: 64, out: { kind: "s3" },
};

const plans: Record<string, WorkloadPlan> = {
  uniform: { shape: "open", open: { rate: 30, arrivals: "uniform", seed: 1, durationMs: 2000 } },
  poisson: { shape: "open", open: { rate: 30, arrivals: "poisson", seed: 5, count: 100 } },
  ramp: { shape: "ramp", stages: parseRamp("2s:10,1s:30") },
  burst: { shape: "burst", burst: { size: 7, gaps: parseEvery("exp:1s"), seed: 3 } },
  minutes: { shape: "trace", trace: { file: "/data/d01.csv", trace: { kind: "minutes", counts: [3, 0, 9], rows: 2 }, arrivals: "poisson", seed: 11, speedup: 60, select: { minutes: [4, 6] } } },
  offsets: { shape: "trace", trace: { file: "o.csv", trace: parseTrace("0\n2.5\n2.5\n9\n", "o.csv"), arrivals: "uniform", seed: 1, speedup: 1, select: {} } },
};

/** A valid spec as plain JSON, to break one field of. */
const valid = (): Record<string, unknown> => JSON.parse(JSON.stringify(shardSpecs(plans.uniform, 3, common)[1]));

function refused(change: (s: Record<string, unknown>) => void, message: RegExp): void {
  const s = valid();
  change(s);
  assert.throws(() => parseShardSpec(JSON.stringify(s), "spec.json"), (err: Error) => {
    assert.ok(err instanceof ShardSpecError, String(err));
    assert.ok(!err.message.includes("\n"), `one line: ${err.message}`);
    assert.match(err.message, message);
    return true;
  });
}

describe("shard specs", () => {
  for (const [name, plan] of Object.entries(plans)) {
    it(`${name}: each spec round-trips through JSON and rebuilds the shard's exact schedule`, () => {
      const specs = shardSpecs(plan, 3, common);
      specs.forEach((spec, i) => {
        const back = parseShardSpec(JSON.stringify(spec));
        assert.deepEqual(back, spec);
        assert.equal(back.shard, i);
        assert.equal(back.shards, 3);
        assert.deepEqual(drain(shardScheduleOf(back)), drain(shardSchedule(plan, i, 3)));
        assert.deepEqual(back.workload, shardSchedule(plan, 0, 1).workload);
      });
    });
  }

  it("spec fields: the run's prefix for S3, shard files for a local folder, the payload inline", () => {
    const s = shardSpecs(plans.ramp, 2, common)[1];
    assert.deepEqual(s.out, { kind: "s3", prefix: "runs/r-2026-12-04/shard-1/" });
    // An S3 shard writes per window (objects.ts), so it has no one records file to name.
    assert.throws(() => shardOutputs(s), /^Error: shard 1 writes to S3 \(runs\/r-2026-12-04\/shard-1\/\): its objects are per window/);
    assert.deepEqual(s.payload, { base64: "eyJuIjoxfQ==" });
    const local = shardSpecs(plans.ramp, 2, { ...common, out: { kind: "local", dir: "runs/x/" } })[0];
    assert.deepEqual(shardOutputs(local), { records: "runs/x/shard-0.jsonl", clock: "runs/x/shard-0.clock.json" });
    assert.equal(shardSpecs(plans.minutes, 1, common)[0].schedule.shape, "trace");
    assert.deepEqual(shardSpecs(plans.minutes, 1, common)[0].workload, {
      shape: "trace", trace: "d01.csv", format: "azure-2019", speedup: 60, arrivals: "poisson", seed: 11, minutes: "4-6",
    });
  });

  it("refuses a URL as the function; takes a name or an ARN", () => {
    for (const url of ["https://abc.lambda-url.us-east-1.on.aws/", "http://127.0.0.1:9001/2015-03-31/functions/f/invocations", "../f", "f:alias", ""]) {
      refused((s) => ((s.target as { function: string }).function = url), /^spec\.json: target\.function: ".*" is not a Lambda function name or ARN/);
    }
    const arn = valid();
    (arn.target as { function: string }).function = "arn:aws:lambda:eu-central-2:123456789012:function:lambda-bench-hello";
    assert.equal(parseShardSpec(JSON.stringify(arn)).target.function, "arn:aws:lambda:eu-central-2:123456789012:function:lambda-bench-hello");
    refused((s) => ((s.target as { qualifier: string }).qualifier = "v1/../x"), /target\.qualifier: \$LATEST, a version or an alias/);
  });

  it("refuses a shard index out of range and more than 10,000 shards", () => {
    refused((s) => (s.shard = 3), /^spec\.json: shard: 3 is out of range: shards are 0 to 2$/);
    refused((s) => (s.shard = -1), /^spec\.json: shard: /);
    refused((s) => (s.shards = 10_001), /^spec\.json: shards: at most 10000 shards/);
    assert.throws(() => shardSpecs(plans.uniform, 10_001, common), /shards must be a whole number from 1 to 10000; got 10001/);
    assert.equal(shardSpecs(plans.uniform, 10_000, common).length, 10_000);
  });

  it("refuses writing or reading outside the run's prefix, a large inline payload, a descriptor that is not the schedule's", () => {
    refused((s) => ((s.out as { prefix: string }).prefix = "runs/other/shard-1/"), /out\.prefix: must be runs\/r-2026-12-04\/shard-1\/; got "runs\/other\/shard-1\/"/);
    refused((s) => (s.payload = { s3Key: "secrets/key" }), /payload\.s3Key: must be under runs\/r-2026-12-04\//);
    refused((s) => (s.payload = { s3Key: "runs/r-2026-12-04/../../x" }), /payload\.s3Key: must be under/);
    refused((s) => (s.payload = { base64: Buffer.alloc(64 * 1024 + 1).toString("base64") }), /payload\.base64: 65537 bytes; inline payloads are at most 65536/);
    refused((s) => (s.payload = { base64: "not base64!" }), /payload\.base64: not base64/);
    refused((s) => ((s.workload as { rate: number }).rate = 31), /workload: .* is not the schedule's descriptor/);
    refused((s) => (s.runId = "../etc"), /runId: a run id is/);
    refused((s) => (s.extra = 1), /^spec\.json: the spec: /);
    refused((s) => (s.startAtMs = 1.5), /startAtMs: /);
    assert.throws(() => parseShardSpec("{", "spec.json"), (e: Error) => /^spec\.json: not JSON \(/.test(e.message));
    assert.throws(() => parseShardSpec(" ".repeat(256 * 1024 + 1), "spec.json"), (e: Error) => /^spec\.json: 262145 bytes; a shard spec is at most 262144/.test(e.message));
    assert.throws(() => shardSpecs(plans.uniform, 2, { ...common, payload: { bytes: new Uint8Array(70_000) } }), (e: Error) => /^shard 0: payload\.base64: 70000 bytes/.test(e.message));
  });

  it("any uniform or burst plan and shard count: parse(stringify(spec)) is the spec (property)", () => {
    const plan = fc.oneof(
      fc.record({ rate: fc.double({ min: 0.01, max: 1e5, noNaN: true }), count: fc.nat(10_000) })
        .map(({ rate, count }): WorkloadPlan => ({ shape: "open", open: { rate, arrivals: "uniform", seed: 1, count } })),
      fc.record({ size: fc.integer({ min: 1, max: 5000 }), ms: fc.array(fc.nat(100_000), { minLength: 1, maxLength: 4 }), seed: fc.nat(2 ** 32 - 1) })
        .map(({ size, ms, seed }): WorkloadPlan => ({ shape: "burst", burst: { size, gaps: { kind: "fixed", ms }, seed } })),
    );
    fc.assert(fc.property(plan, fc.integer({ min: 1, max: 50 }), (p, n) => {
      for (const spec of shardSpecs(p, n, common)) assert.deepEqual(parseShardSpec(JSON.stringify(spec)), spec as ShardSpec);
    }), { numRuns: 100, seed: 28 });
  });
});
