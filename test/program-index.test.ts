// index.ts as the Pulumi engine runs it: config in, every positioned error or the stack outputs out.
import * as pulumi from "@pulumi/pulumi";
import { runInPulumiStack } from "@pulumi/pulumi/runtime/stack";
import { strict as assert } from "node:assert";
import { ManifestInvalid } from "../src/manifest/load";
import { autoname, FAKE_ACCOUNT, fakeDigest, runUnderMocks } from "../src/deploy/mocks";
import { plan, planText } from "../src/deploy/plan";
import { manifestFile, workspace } from "./fixtures";
import { imageOf, loadProgram, REGION, repoUrl, T, yaml } from "./program-support";

describe("program: an invalid manifest registers nothing", function () {
  it("index.ts fails with every positioned error before any registration", async () => {
    const dir = workspace();
    const file = manifestFile("benchmarks:\n  - function: a1\n    memory: lots\n    build: {context: nope}\n", dir);
    let registrations = 0;
    await pulumi.runtime.setMocks({
      newResource: (args) => { registrations += 1; return { id: args.name, state: args.inputs }; },
      call: () => ({}),
    }, "lambda-bench", "test", false);
    pulumi.runtime.setAllConfig({ "lambda-bench:manifest": file });
    const main = loadProgram();
    await assert.rejects(main(), (err: unknown) => {
      assert.ok(err instanceof pulumi.RunError, `a RunError prints without a stack trace; got ${err}`);
      assert.match((err as Error).message, new RegExp(`${file}:3:13: memory must be a whole number`));
      assert.match((err as Error).message, new RegExp(`${file}:4:22: build.context "nope" is not a folder`));
      return true;
    });
    await pulumi.runtime.disconnect();
    assert.equal(registrations, 0);
  });

  it("plan rejects an invalid manifest with ManifestInvalid", async () => {
    const file = manifestFile("benchmarks: []\n");
    await assert.rejects(plan(file), ManifestInvalid);
  });
});

describe("program: index.ts, as `pulumi up` runs it", function () {
  it("deploys the manifest named by config; its stack outputs resolve to plain values", async () => {
    const dir = workspace();
    const file = manifestFile(yaml`
      benchmarks:
        - function: a1
          build: {context: app}
          memory: 256
        - function: b2
          build: {context: app, args: {v: "2"}}
          platform: linux/arm64
          env: {DATA: "\${bucket}"}
    `, dir);
    const main = loadProgram();
    assert.equal(typeof main, "function", "the program is Pulumi's async entrypoint");
    let outputs: Record<string, unknown> | undefined;
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const rs = await runUnderMocks(async () => {
        pulumi.runtime.setAllConfig({ "lambda-bench:manifest": file, "lambda-bench:namePrefix": "x-" });
        // As `pulumi up` runs it (the SDK's cmd/run/run.js): inside the root Stack, whose outputs
        // are the program's result with every nested Output resolved.
        outputs = await runInPulumiStack(main);
      }, { deployed: true, region: REGION });
      assert.ok(rs.some((r) => r.type === T.fn && r.name === "a1"));
      const digest = (name: string) => fakeDigest(imageOf(rs, `x-${name}`).inputs);
      const fn = (name: string, extra: object) => ({
        name: `x-${name}`,
        arn: `arn:aws:lambda:${REGION}:${FAKE_ACCOUNT}:function:x-${name}`,
        imageUri: `${repoUrl(`x-${name}`)}@${digest(name)}`,
        repositoryUrl: repoUrl(`x-${name}`),
        roleArn: `arn:aws:iam::${FAKE_ACCOUNT}:role/${autoname(name)}`,
        timeout: 30,
        ...extra,
      });
      assert.deepEqual(outputs, {
        functions: {
          a1: fn("a1", { memory: 256, architecture: "x86_64" }),
          b2: fn("b2", { memory: 128, architecture: "arm64" }),
        },
        dataBucket: autoname("x-lambda-bench-data"),
      });
    } finally {
      process.chdir(cwd);
    }
  });

  it("exports no dataBucket when no benchmark uses the bucket", async () => {
    const dir = workspace();
    const file = manifestFile("benchmarks:\n  - function: a1\n    build: {context: app}\n", dir);
    const main = loadProgram();
    let outputs: Record<string, unknown> = {};
    await runUnderMocks(async () => {
      pulumi.runtime.setAllConfig({ "lambda-bench:manifest": file });
      outputs = await main();
    });
    assert.deepEqual(Object.keys(outputs), ["functions"]);
  });
});

describe("program: lambda-bench:buildOnPreview", function () {
  async function imagesWith(config: Record<string, string>) {
    const dir = workspace();
    const file = manifestFile("benchmarks:\n  - function: a1\n    build: {context: app}\n  - function: b1\n    build: {context: other}\n", dir);
    const main = loadProgram();
    return (await runUnderMocks(async () => {
      pulumi.runtime.setAllConfig({ "lambda-bench:manifest": file, ...config });
      await main();
    })).filter((r) => r.type === T.image);
  }

  it("false reaches every Image; unset leaves docker-build's default (build on preview)", async () => {
    const off = await imagesWith({ "lambda-bench:buildOnPreview": "false" });
    assert.equal(off.length, 2);
    for (const r of off) assert.equal(r.inputs.buildOnPreview, false);
    for (const r of await imagesWith({})) assert.equal(r.inputs.buildOnPreview, true, "docker-build's own default");
  });

  it("plan --no-build-on-preview passes false the same way, and the text says so", async () => {
    const file = manifestFile("benchmarks:\n  - function: a1\n    build: {context: app}\n");
    const rs = await plan(file, { buildOnPreview: false });
    const image = rs.find((r) => r.type === T.image)!;
    assert.equal(image.inputs.buildOnPreview, false);
    assert.match(planText(rs), /1 tag\(s\), not built on preview\)/);
  });
});
