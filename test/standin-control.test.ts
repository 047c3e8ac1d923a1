// The stand-in's own control plane (src/standin/control-plane.ts), read through the real SDK
// clients: the shapes the API gives, an update InProgress until it lands (the SDK's waiter polls
// it), a second update meanwhile refused as Lambda refuses it, the account's limits, STS; and
// `npm run try-server` and `measure --cold` on a PATH with Node alone.
import { strict as assert } from "node:assert";
import { spawn } from "node:child_process";
import * as path from "node:path";
import {
  GetAccountSettingsCommand, GetFunctionCommand, GetFunctionConfigurationCommand, LambdaClient,
  UpdateFunctionConfigurationCommand, waitUntilFunctionUpdated,
} from "@aws-sdk/client-lambda";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { InvokeServer } from "../src/standin/invoke-server";
import { ControlPlane } from "../src/standin/control-plane";
import { STANDIN_FUNCTIONS, standinScript } from "../src/standin/functions";
import { spawnCli } from "./run-cli";
import { nodeOnlyEnv } from "./servers/node-only";
import { workspace } from "./fixtures";

const credentials = { accessKeyId: "any", secretAccessKey: "any" };
const ROOT = path.resolve(__dirname, "..", "..");

describe("the stand-in's control plane", function () {
  this.timeout(30_000);
  let server: InvokeServer;
  let lambda: LambdaClient;
  let t = 0;
  let polls = 0;
  before(async () => {
    server = await InvokeServer.start(standinScript(STANDIN_FUNCTIONS, () => 0.5));
    // A clock the test moves: each read of it is one more poll's worth of time (100 ms).
    server.control = new ControlPlane(STANDIN_FUNCTIONS, { updateMs: 250, now: () => t });
    lambda = new LambdaClient({ endpoint: server.endpoint, region: "us-east-1", credentials, maxAttempts: 1 });
  });
  after(async () => {
    lambda.destroy();
    await server.close();
  });

  it("GetFunctionConfiguration and GetFunction answer as Lambda shapes them", async () => {
    const c = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: "aes" }));
    assert.equal(c.FunctionArn, "arn:aws:lambda:us-east-1:123456789012:function:aes");
    assert.deepEqual([c.MemorySize, c.Timeout, c.Architectures, c.PackageType, c.State, c.LastUpdateStatus, c.EphemeralStorage?.Size],
      [1024, 60, ["arm64"], "Image", "Active", "Successful", 512]);
    assert.match(c.LastModified!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);
    const byArn = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: c.FunctionArn }));
    assert.equal(byArn.FunctionName, "aes");
    const f = await lambda.send(new GetFunctionCommand({ FunctionName: "hello" }));
    assert.equal(f.Configuration?.MemorySize, 128);
    assert.equal(f.Code?.RepositoryType, "ECR");
    assert.equal(f.Code?.ResolvedImageUri, `123456789012.dkr.ecr.us-east-1.amazonaws.com/hello@sha256:${f.Configuration?.CodeSha256}`);
    assert.match(f.Configuration!.CodeSha256!, /^[0-9a-f]{64}$/);
  });

  it("an unknown function, or a qualifier it does not have, is ResourceNotFoundException", async () => {
    await assert.rejects(lambda.send(new GetFunctionConfigurationCommand({ FunctionName: "nope" })),
      (e: Error) => e.name === "ResourceNotFoundException" && /function:nope$/.test(e.message));
    await assert.rejects(lambda.send(new GetFunctionCommand({ FunctionName: "aes", Qualifier: "live" })),
      (e: Error) => e.name === "ResourceNotFoundException" && /function:aes:live$/.test(e.message));
  });

  it("an update is InProgress until it lands; a second one meanwhile is a ResourceConflictException; the waiter waits", async () => {
    const revisionBefore = (await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: "aes" }))).RevisionId;
    const u = await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: "aes", MemorySize: 2048, Environment: { Variables: { K: "1" } } }));
    assert.equal(u.LastUpdateStatus, "InProgress");
    assert.equal(u.MemorySize, 2048);
    const during = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: "aes" }));
    assert.equal(during.LastUpdateStatus, "InProgress");
    await assert.rejects(lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: "aes", MemorySize: 512 })),
      (e: Error) => e.name === "ResourceConflictException");
    // The waiter polls GetFunctionConfiguration; the test's clock moves 100 ms a poll.
    const poll = server.control!.configuration.bind(server.control!);
    server.control!.configuration = (name) => { polls++; t += 100; return poll(name); };
    const r = await waitUntilFunctionUpdated({ client: lambda, minDelay: 0.05, maxDelay: 0.05, maxWaitTime: 20 } as never, { FunctionName: "aes" });
    server.control!.configuration = poll;
    assert.equal(r.state, "SUCCESS");
    assert.ok(polls >= 3, `InProgress for 250 ms of a 100 ms-a-poll clock: ${polls} polls`);
    const after = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: "aes" }));
    assert.deepEqual([after.MemorySize, after.LastUpdateStatus, after.Environment?.Variables], [2048, "Successful", { K: "1" }]);
    assert.notEqual(after.RevisionId, revisionBefore, "a new RevisionId");
  });

  it("an out-of-range memory size is refused as Lambda refuses it, and changes nothing", async () => {
    await assert.rejects(lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: "hello", MemorySize: 64 })),
      (e: Error) => e.name === "InvalidParameterValueException" && /MemorySize/.test(e.message));
    const c = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: "hello" }));
    assert.equal(c.MemorySize, 128);
  });

  it("GetAccountSettings and sts:GetCallerIdentity", async () => {
    const s = await lambda.send(new GetAccountSettingsCommand({}));
    assert.equal(s.AccountLimit?.ConcurrentExecutions, 1000);
    assert.equal(s.AccountLimit?.UnreservedConcurrentExecutions, 1000);
    assert.equal(s.AccountUsage?.FunctionCount, STANDIN_FUNCTIONS.length);
    const sts = new STSClient({ endpoint: server.endpoint, region: "us-east-1", credentials });
    const id = await sts.send(new GetCallerIdentityCommand({}));
    sts.destroy();
    assert.equal(id.Account, "123456789012");
    assert.match(id.Arn!, /^arn:aws:iam::123456789012:user\//);
  });
});

describe("npm alone: try-server and measure --cold with Node and nothing else on PATH", function () {
  this.timeout(60_000);
  it("try-server starts from dist, says ready, serves a --cold run and a sweep, and stops on Ctrl-C", async () => {
    const env: NodeJS.ProcessEnv = { ...nodeOnlyEnv(), PORT: "0" };
    const child = spawn(path.join(env.PATH!, "node"), [path.join(ROOT, "bin", "try-server.js")], { env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stderr!.on("data", (c) => { err += c; });
    const t0 = Date.now();
    const endpoint = await new Promise<string>((resolve, reject) => {
      child.stdout!.on("data", (c) => {
        out += c;
        const m = /^ready: Lambda stand-in on (http:\/\/127\.0\.0\.1:\d+) /m.exec(out);
        if (m) resolve(m[1]);
      });
      child.once("exit", (code) => reject(new Error(`try-server exited with ${code}: ${err}`)));
    });
    const startMs = Date.now() - t0;
    try {
      assert.ok(startMs < 5000, `ready in ${startMs} ms (no compile step)`);
      const dir = workspace();
      const m = await spawnCli(["measure", "hello", "-n", "6", "-c", "2", "--cold", "2", "--out", path.join(dir, "h.jsonl"), "--endpoint", endpoint], { env, cwd: dir }).exited;
      assert.equal(m.code, 0, m.err);
      assert.match(m.out, /cold 2 {2}warm 4/);
      const s = await spawnCli(["sweep", "aes", "--memory", "512,1024", "-n", "4", "-c", "2", "--out", path.join(dir, "sweep"), "--endpoint", endpoint], { env, cwd: dir }).exited;
      assert.equal(s.code, 0, s.err);
      assert.match(s.out, /memory restored to 1024 MB/);
      assert.equal(err, "");
    } finally {
      child.kill("SIGINT");
    }
    const code = await new Promise((resolve) => child.once("exit", resolve));
    assert.equal(code, 0);
  });

  it("try-server without a built dist/ says so in one line", async () => {
    const env = nodeOnlyEnv();
    const dir = workspace();
    const fs = await import("node:fs");
    fs.mkdirSync(path.join(dir, "bin"));
    fs.copyFileSync(path.join(ROOT, "bin", "try-server.js"), path.join(dir, "bin", "try-server.js"));
    const r = await new Promise<{ code: number | null; err: string }>((resolve) => {
      const c = spawn(path.join(env.PATH!, "node"), [path.join(dir, "bin", "try-server.js")], { env, stdio: ["ignore", "ignore", "pipe"] });
      let err = "";
      c.stderr!.on("data", (d) => { err += d; });
      c.on("close", (code) => resolve({ code, err }));
    });
    assert.equal(r.code, 1);
    assert.equal(r.err, "try-server: the CLI is not built: run npm ci (or npm run build) first\n");
  });
});
