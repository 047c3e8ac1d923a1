// `doctor` reads the account (GetAccountSettings, from the stand-in's control plane) and checks the
// manifest against it: concurrency reserved against the limit (AWS keeps 100 unreserved), memory
// against a new account's 3,008 MB; and finds the region in Pulumi.<stack>.yaml without the Pulumi CLI.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { accountLines, checkAccount, type AccountNeeds } from "../src/doctor/account";
import { resolveRegion } from "../src/doctor/region";
import { formatCheck } from "../src/doctor/checks";
import { InvokeServer } from "../src/standin/invoke-server";
import { ControlPlane } from "../src/standin/control-plane";
import { STANDIN_FUNCTIONS, standinScript } from "../src/standin/functions";
import { manifestFile, yaml } from "./fixtures";
import { spawnCli } from "./run-cli";

const b = (fn: string, memory: number, reserved?: number, provisioned?: number): AccountNeeds =>
  ({ function: fn, memory, reservedConcurrency: reserved, provisionedConcurrency: provisioned });

describe("doctor: the account's limits against the manifest", function () {
  this.timeout(30_000);
  let server: InvokeServer;
  const saved = { ...process.env };
  before(async () => {
    server = await InvokeServer.start(standinScript(STANDIN_FUNCTIONS, () => 0.5));
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: "x", AWS_SECRET_ACCESS_KEY: "x" });
    delete process.env.AWS_PROFILE;
  });
  after(async () => {
    await server.close();
    process.env = saved;
  });

  it("an established account: what the manifest reserves, what is left, and the largest memory", async () => {
    server.control = new ControlPlane(STANDIN_FUNCTIONS, { concurrentExecutions: 1000 });
    const rs = await checkAccount({ env: {}, platforms: [], endpoint: server.endpoint, benchmarks: [b("a", 1024, 10), b("b", 4096, undefined, 5), b("c", 128)] }, "us-east-1");
    assert.deepEqual(rs.map(formatCheck), [
      "ok   account concurrency: limit 1000; the manifest reserves 15 (a 10, b 5), leaving 985 unreserved (AWS keeps at least 100)",
      "ok   memory: largest b 4,096 MB; the API does not report the ceiling, and a limit of 1000 is not a new account's (those may be capped at 3,008 MB)",
    ]);
  });

  it("a new account (limit 10): any reservation fails the deploy, and memory above 3,008 MB may be refused", async () => {
    server.control = new ControlPlane(STANDIN_FUNCTIONS, { concurrentExecutions: 10 });
    const rs = await checkAccount({ env: {}, platforms: [], endpoint: server.endpoint, benchmarks: [b("a", 1024, 2, 2), b("big", 4096)] }, "us-east-1");
    assert.deepEqual(rs.map(formatCheck), [
      "FAIL account concurrency: limit 10; the manifest reserves 2 (a 2), leaving 8 unreserved, and AWS keeps at least 100: the deploy would fail\n" +
      "     fix: ask for a concurrency limit of at least 102 (Service Quotas, AWS Lambda, \"Concurrent executions\"), or lower reservedConcurrency / provisionedConcurrency",
      "FAIL memory: big 4,096 MB above 3,008 MB, where a new account (concurrency limit 10) may be capped; the API does not report the ceiling\n" +
      "     fix: ask AWS Support to raise the account's Lambda quotas, or set memory to 3008 or less",
    ]);
  });

  it("reserved and provisioned on one function count once (the provisioned come out of the reservation), the larger", () => {
    const [c] = accountLines(250, [b("a", 128, 100, 30), b("b", 128, undefined, 40)]);
    assert.equal(c.line, "account concurrency: limit 250; the manifest reserves 140 (a 100, b 40), leaving 110 unreserved (AWS keeps at least 100)");
    assert.equal(accountLines(239, [b("a", 128, 100, 30), b("b", 128, undefined, 40)])[0].ok, false);
  });

  it("a new account without reservations is fine, but says where throttling starts; small memory is within the ceiling", () => {
    assert.deepEqual(accountLines(10, [b("a", 3008)]).map(formatCheck), [
      "ok   account concurrency: limit 10 (a new account's; the default is 1,000); the manifest reserves none, but more than 10 calls in flight will be throttled",
      "ok   memory: largest a 3,008 MB, within 3,008 MB, a new account's ceiling",
    ]);
  });

  it("credentials the endpoint refuses: one FAIL line naming the call and the region", async () => {
    const refusing = await InvokeServer.start(() => ({ kind: "ok" }), undefined, "the-real-secret");
    try {
      const rs = await checkAccount({ env: {}, platforms: [], endpoint: refusing.endpoint }, "eu-west-1");
      assert.equal(rs.length, 1);
      assert.match(formatCheck(rs[0]), /^FAIL account: lambda:GetAccountSettings failed in eu-west-1: .*\n {5}fix: allow lambda:GetAccountSettings/);
    } finally {
      await refusing.close();
    }
  });

  it("the command, on the stand-in, with the region from Pulumi.<stack>.yaml and no pulumi on PATH", async () => {
    server.control = new ControlPlane(STANDIN_FUNCTIONS, { concurrentExecutions: 10 });
    const file = manifestFile(yaml`
      benchmarks:
        - function: big
          build: {context: app}
          memory: 4096
    `);
    fs.writeFileSync(path.join(path.dirname(file), "Pulumi.dev.yaml"), "config:\n  aws:region: eu-central-1\n");
    const { exited } = spawnCli(["doctor", file, "--endpoint", server.endpoint], {
      env: { PATH: path.dirname(process.execPath), HOME: os.tmpdir(), AWS_ACCESS_KEY_ID: "x", AWS_SECRET_ACCESS_KEY: "x" },
      cwd: path.dirname(file),
    });
    const r = await exited;
    assert.equal(r.code, 1, r.err);
    assert.match(r.out, /^FAIL pulumi: not found on PATH$/m);
    assert.match(r.out, /^ok   region: eu-central-1 \(from Pulumi\.dev\.yaml's aws:region\)$/m);
    assert.match(r.out, /^ok   AWS credentials: arn:aws:iam::123456789012:user\/lambda-bench-standin \(account 123456789012\)$/m);
    assert.match(r.out, /^FAIL memory: big 4,096 MB above 3,008 MB/m);
  });
});

describe("doctor: where the region comes from", () => {
  const dir = () => fs.mkdtempSync(path.join(os.tmpdir(), "lambda-bench-stack-"));
  const noPulumi = { PATH: "/nonexistent" };

  it("the only stack file's aws:region, named, before AWS_REGION", async () => {
    const d = dir();
    fs.writeFileSync(path.join(d, "Pulumi.yaml"), "name: x\nruntime: nodejs\n");
    fs.writeFileSync(path.join(d, "Pulumi.dev.yaml"), "config:\n  aws:region: ap-south-1\n");
    assert.deepEqual(await resolveRegion({ env: { ...noPulumi, AWS_REGION: "us-west-2" }, platforms: [], projectDir: d }),
      { region: "ap-south-1", from: "Pulumi.dev.yaml's aws:region" });
  });

  it("several stacks: PULUMI_STACK picks one; else AWS_REGION; else none, saying why", async () => {
    const d = dir();
    fs.writeFileSync(path.join(d, "Pulumi.dev.yaml"), "config:\n  aws:region: ap-south-1\n");
    fs.writeFileSync(path.join(d, "Pulumi.prod.yaml"), "config:\n  aws:region: eu-west-1\n");
    assert.deepEqual(await resolveRegion({ env: { ...noPulumi, PULUMI_STACK: "prod" }, platforms: [], projectDir: d }),
      { region: "eu-west-1", from: "Pulumi.prod.yaml's aws:region" });
    assert.deepEqual(await resolveRegion({ env: { ...noPulumi, AWS_REGION: "us-west-2" }, platforms: [], projectDir: d }),
      { region: "us-west-2", from: "AWS_REGION" });
    assert.deepEqual(await resolveRegion({ env: noPulumi, platforms: [], projectDir: d }),
      { region: undefined, from: "Pulumi.dev.yaml, Pulumi.prod.yaml: several stacks and none selected (pulumi stack select, or PULUMI_STACK)" });
  });

  it("--region wins over everything", async () => {
    assert.deepEqual(await resolveRegion({ env: noPulumi, platforms: [], region: "sa-east-1" }), { region: "sa-east-1", from: "--region" });
  });
});
