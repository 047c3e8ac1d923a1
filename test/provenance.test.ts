// Provenance: `measure --out` writes <out>.meta.json (and `--json` prints it), checked field by
// field against what moto (GetFunction, sts:GetCallerIdentity) and the loopback Invoke server say.
import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { GetFunctionCommand } from "@aws-sdk/client-lambda";
import { cli } from "./run-cli";
import { InvocationRecord } from "../src/runs/record";
import { normaliseImageUri, provenanceDifferences, type Provenance } from "../src/runs/provenance";
import { withMotoFunction } from "./servers/moto-hooks";
import { InvokeServer, logTail } from "../src/standin/invoke-server";
import { workspace } from "./fixtures";

const FN = "lb-prov";
const ROOT = path.resolve(__dirname, "..", "..");
const script = (call: { requestId: string; cold: boolean }) => ({
  kind: "ok" as const, payload: "{}",
  log: logTail(call.requestId, { durationMs: 12.5, billedMs: 13, memoryMb: 256, maxMemoryMb: 50, initMs: call.cold ? 100 : undefined }),
});

describe("provenance", function () {
  this.timeout(120_000);
  const suite = withMotoFunction(FN, {
    MemorySize: 256, Architectures: ["arm64"], Timeout: 42, EphemeralStorage: { Size: 1024 },
    Environment: { Variables: { SECRET_TOKEN: "do-not-write-me", MODE: "bench" } },
  });

  it("measure --repeat 2 --out: the sidecar's fields match moto and the run; records carry their repetition", async () => {
    const s = await InvokeServer.start(script, suite.moto.endpoint, "testing");
    const out = path.join(workspace(), "run.jsonl");
    const payload = '{"n": 1000}';
    const before = new Date();
    try {
      const r = await cli(["measure", FN, "-n", "6", "-c", "2", "--repeat", "2", "--payload", payload, "--endpoint", s.endpoint, "--out", out, "--json"]);
      assert.equal(r.code, 0, r.err);
      const after = new Date();
      const text = fs.readFileSync(`${out}.meta.json`, "utf8");
      const p = JSON.parse(text) as Provenance;
      // --json prints the same provenance beside the summary.
      const printed = JSON.parse(r.out);
      assert.deepEqual(printed.provenance, p);
      assert.equal(printed.invocations, 12);

      const fn = await suite.lambda.send(new GetFunctionCommand({ FunctionName: FN }));
      const c = fn.Configuration!;
      assert.deepEqual(p.function, {
        name: FN, arn: c.FunctionArn, qualifier: null, memoryMb: 256, architecture: "arm64", timeoutS: 42, ephemeralStorageMb: 1024,
        packageType: "Image", runtime: c.Runtime ?? null, envKeys: ["MODE", "SECRET_TOKEN"], codeSha256: c.CodeSha256,
        imageUri: fn.Code!.ImageUri, resolvedImageUri: normaliseImageUri(fn.Code!.ResolvedImageUri), lastModified: c.LastModified,
      });
      assert.ok(p.function.codeSha256 && p.function.imageUri?.includes("@sha256:"), JSON.stringify(p.function));
      assert.ok(!text.includes("do-not-write-me"), "env values are never written");
      // moto's sts:GetCallerIdentity, through the loopback server's proxy.
      assert.equal(p.accountId, "123456789012");
      assert.equal(p.region, "us-east-1");
      assert.deepEqual(p.payload, { sha256: createHash("sha256").update(payload).digest("hex"), bytes: Buffer.byteLength(payload) });
      assert.deepEqual(p.workload, { shape: "closed", n: 6, c: 2 });
      assert.deepEqual(p.plan, { invocations: 6, concurrency: 2, cold: 0, repeat: 2, warmup: 0 });
      assert.deepEqual(p.command, ["lambda-bench", "measure", FN, "-n", "6", "-c", "2", "--repeat", "2", "--payload", payload, "--endpoint", s.endpoint, "--out", out, "--json"]);
      assert.match(p.runId, /^[0-9a-f-]{36}$/);
      const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
      assert.equal(p.tool.version, pkg.version);
      assert.equal(p.tool.gitCommit, execFileSync("git", ["rev-parse", "HEAD"], { cwd: ROOT }).toString().trim());
      assert.deepEqual(p.client, { node: process.version, os: `${os.type()} ${os.release()}`, arch: process.arch, cpus: os.cpus().length, cpuModel: os.cpus()[0].model, hostname: os.hostname() });
      const started = Date.parse(p.startedAt);
      const ended = Date.parse(p.endedAt!);
      assert.ok(before.getTime() <= started && started <= ended && ended <= after.getTime());
      // Each repetition's records are tagged with it.
      const recs = fs.readFileSync(out, "utf8").trim().split("\n").map((l) => InvocationRecord.parse(JSON.parse(l)));
      assert.deepEqual(recs.map((x) => x.repetition), [0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1]);
      assert.equal(s.served, 12);
    } finally {
      await s.close();
    }
  });

  it("without STS or GetFunction (an Invoke-only emulator): null fields, no error", async () => {
    const s = await InvokeServer.start(script);
    const out = path.join(workspace(), "emu.jsonl");
    try {
      const r = await cli(["measure", FN, "-n", "3", "--endpoint", s.endpoint, "--out", out]);
      assert.equal(r.code, 0, r.err);
      const p = JSON.parse(fs.readFileSync(`${out}.meta.json`, "utf8")) as Provenance;
      assert.equal(p.accountId, null);
      assert.equal(p.function.codeSha256, null);
      assert.equal(p.function.imageUri, null);
      assert.deepEqual(p.function.envKeys, []);
    } finally {
      await s.close();
    }
  });

  it("differences that make two runs not like for like are named; equal runs have none", () => {
    const base = JSON.parse(JSON.stringify({
      schema: 1, region: "us-east-1", workload: { shape: "closed" }, payload: { sha256: "ab", bytes: 2 },
      function: { memoryMb: 256, architecture: "arm64", timeoutS: 30, ephemeralStorageMb: 512, packageType: "Image", runtime: null, envKeys: ["A"], codeSha256: "x", imageUri: "r@sha256:1", resolvedImageUri: null },
    })) as Provenance;
    assert.deepEqual(provenanceDifferences(base, base), []);
    const other = { ...base, workload: { shape: "open", rate: 10 }, function: { ...base.function, codeSha256: "y", imageUri: "r@sha256:2" } } as Provenance;
    assert.deepEqual(provenanceDifferences(base, other), [
      "image differs: r@sha256:1 vs r@sha256:2 (not like for like)",
      'workload differs: {"shape":"closed"} vs {"shape":"open","rate":10} (not like for like)',
    ]);
    assert.deepEqual(provenanceDifferences(base, null), ["B has no provenance (.meta.json): cannot check the runs are like for like"]);
  });

  it("image digests in one form: moto's ResolvedImageUri (hello@sha256@sha256:...) is stored and compared as hello@sha256:...", () => {
    const hex = "8203".padEnd(64, "a");
    assert.equal(normaliseImageUri(`1.dkr.ecr/hello@sha256@sha256:${hex}`), `1.dkr.ecr/hello@sha256:${hex}`);
    assert.equal(normaliseImageUri(`hello@sha256:${hex}`), `hello@sha256:${hex}`);
    assert.equal(normaliseImageUri("hello:latest"), "hello:latest");
    assert.equal(normaliseImageUri(null), null);
  });
});
