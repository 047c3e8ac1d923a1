// `measure --repeat R --interleave A,B` against moto and the loopback Invoke server: the seeded
// order, one file per side tagged by repetition, memory restored, and `compare` on the two files.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { GetFunctionConfigurationCommand } from "@aws-sdk/client-lambda";
import { cli } from "./run-cli";
import { InvocationRecord } from "../src/runs/record";
import { interleaveOrder, parseInterleave, sideFile } from "../src/measure/interleave";
import { withMotoFunction } from "./servers/moto-hooks";
import { InvokeServer, logTail, type Call } from "../src/standin/invoke-server";
import { workspace } from "./fixtures";

const FN = "lb-interleave";

function script(call: Call) {
  const memoryMb = call.memoryMb ?? 1024;
  const durationMs = 20 + 10_000 / memoryMb + (call.n % 5);
  return { kind: "ok" as const, payload: "{}", log: logTail(call.requestId, { durationMs, billedMs: Math.ceil(durationMs), memoryMb, maxMemoryMb: 50 }) };
}

describe("measure --repeat --interleave", function () {
  this.timeout(120_000);
  const suite = withMotoFunction(FN, { MemorySize: 1024, Architectures: ["arm64"], Timeout: 30 });

  it("the order is seeded, each repetition runs both sides, and both orders occur", () => {
    const order = interleaveOrder(40, 3);
    assert.deepEqual(order, interleaveOrder(40, 3));
    assert.ok(order.every((o) => [...o].sort().join() === "0,1"));
    const aFirst = order.filter((o) => o[0] === 0).length;
    assert.ok(aFirst > 10 && aFirst < 30, `A first in ${aFirst} of 40`);
    assert.notDeepEqual(order, interleaveOrder(40, 4));
    assert.deepEqual(parseInterleave("256, 512"), { kind: "memory", sides: [256, 512] });
    assert.deepEqual(parseInterleave("fa,fb"), { kind: "function", sides: ["fa", "fb"] });
    for (const bad of ["256", "256,fa", "64,128", "a,a"]) assert.equal(typeof parseInterleave(bad), "string", bad);
    assert.equal(sideFile("runs/x.jsonl", 256), "runs/x-256mb.jsonl");
  });

  it("two memory sizes: seeded order of configuration changes, a file per side, memory restored; compare reads them", async () => {
    const s = await InvokeServer.start(script, suite.moto.endpoint, "testing");
    const out = path.join(workspace(), "il.jsonl");
    try {
      const r = await cli(["measure", FN, "-n", "10", "-c", "2", "--repeat", "6", "--interleave", "256,512", "--interleave-seed", "5",
        "--endpoint", s.endpoint, "--out", out, "--json"]);
      assert.equal(r.code, 0, r.err);
      const j = JSON.parse(r.out);
      const order = interleaveOrder(6, 5);
      assert.deepEqual(j.interleave.order, order);
      // Each block sets its size first; the original comes back at the end.
      assert.deepEqual(s.configUpdates.map((u) => u.body.MemorySize), [...order.flat().map((i) => [256, 512][i]), 1024]);
      assert.equal((await suite.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: FN }))).MemorySize, 1024);
      for (const [i, m] of [256, 512].entries()) {
        const recs = fs.readFileSync(sideFile(out, m), "utf8").trim().split("\n").map((l) => InvocationRecord.parse(JSON.parse(l)));
        assert.deepEqual(recs.map((x) => x.repetition), Array.from({ length: 60 }, (_, k) => Math.floor(k / 10)));
        assert.ok(recs.every((x) => x.configMemoryMb === m));
        const meta = JSON.parse(fs.readFileSync(`${sideFile(out, m)}.meta.json`, "utf8"));
        assert.equal(meta.function.memoryMb, m);
        const { interleaveId, ...plan } = meta.plan;
        assert.deepEqual(plan, { invocations: 10, concurrency: 2, cold: 0, repeat: 6, interleave: "256,512", seed: 5, side: String(m) });
        assert.match(interleaveId, /^[0-9a-f-]{36}$/);
        assert.equal(j.sides[i].summary.invocations, 60);
      }
      // One interleaveId on both sides: compare pairs the 6 repetitions; 256 MB is slower.
      const c = await cli(["compare", sideFile(out, 512), sideFile(out, 256), "--json"]);
      assert.equal(c.code, 0, c.err);
      const m = JSON.parse(c.out).pairs[0].metrics[0];
      // 6 repetitions: under the cluster bootstrap's 20, the paired t interval (stats/ratio.ts).
      assert.equal(m.method, "paired t-interval on repetition log medians (A 6, B 6 repetitions)");
      assert.equal(m.verdict, "slower");
      assert.deepEqual(JSON.parse(c.out).pairs[0].notes, ["configuration differs: memoryMb 512 vs 256 (not like for like)"]);
    } finally {
      await s.close();
    }
  });

  it("a bad --interleave is a usage error before anything is called", async () => {
    const r = await cli(["measure", FN, "--interleave", "256,fn"]);
    assert.equal(r.code, 2);
    assert.equal(r.err, 'lambda-bench: --interleave takes two memory sizes or two functions, not one of each; got "256,fn"\n');
  });
});
