// The generator under Pulumi's mocks (issue 28): the driver, its role and policies, its log group
// before it, the state machine and its role, with and without a namePrefix; and what a manifest
// without `generator:` keeps exactly as before.
import { strict as assert } from "node:assert";
import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import { runInPulumiStack } from "@pulumi/pulumi/runtime/stack";
import { autoname, FAKE_ACCOUNT, runUnderMocks, type Registered } from "../src/deploy/mocks";
import { plan, planText } from "../src/deploy/plan";
import { driverBundle } from "../src/generator/bundle";
import { GENERATOR_TAGS } from "../src/generator/objects";
import { stateMachineDefinition } from "../src/generator/state-machine";
import { packageJson } from "../src/package-info";
import { manifestFile, workspace } from "./fixtures";
import { deploy, find, loadProgram, REGION, T, yaml } from "./program-support";

const G = {
  component: "lambda-bench:index:Generator",
  machine: "aws:sfn/stateMachine:StateMachine",
};
const STACK_ID = "lambda-bench/plan";
const MANIFEST = yaml`
  benchmarks:
    - function: hello
      build: { context: app }
  generator:
    memory: 1024
    window: 600
    maxShards: 500
`;
const BUCKET = autoname("lambda-bench-data");
const arn = (service: string, rest: string) => `arn:aws:${service}:${REGION}:${FAKE_ACCOUNT}:${rest}`;
const DRIVER_ARN = arn("lambda", "function:lambda-bench-driver");
const statementsOf = (r: Registered) => (JSON.parse(r.inputs.policy as string) as { Statement: { Sid: string; Action: string[]; Resource: string[]; Condition?: unknown }[] }).Statement;

describe("program: the generator", function () {
  this.timeout(30_000);
  let rs: Registered[];
  before(async () => { rs = await deploy(MANIFEST); });

  it("is one component after the benchmarks, holding the driver, its log group, both roles and the state machine; the stack gets its bucket", () => {
    const children = rs.filter((r) => r.parent === "generator").map((r) => `${r.type} ${r.name}`).sort();
    assert.deepEqual(children, [
      `${T.logGroup} generator-driver`, `${T.role} generator-driver`, `${T.role} generator-states`,
      `${T.policy} generator-driver`, `${T.policy} generator-states`, `${T.attach} generator-driver-logs`,
      `${T.fn} generator-driver`, `${G.machine} generator`,
    ].sort());
    assert.equal(find(rs, G.component, "generator").parent, null);
    assert.equal(rs.filter((r) => r.type === T.bucket).length, 1);
    assert.equal(find(rs, T.bucket, "lambda-bench-data").parent, null);
  });

  it("the driver: a Node 22 zip of this checkout's bundle, memory and architecture from the manifest, 900 s, the bucket in its env, the stack's tag", () => {
    const f = find(rs, T.fn, "generator-driver");
    const bundle = driverBundle();
    assert.deepEqual(f.inputs, {
      name: "lambda-bench-driver",
      runtime: "nodejs22.x",
      handler: "index.handler",
      code: { archive: { "index.js": { bytes: Buffer.byteLength(bundle), sha256: createHash("sha256").update(bundle).digest("hex") } } },
      architectures: ["arm64"],
      role: `arn:aws:iam::${FAKE_ACCOUNT}:role/${autoname("generator-driver")}`,
      memorySize: 1024,
      timeout: 900,
      ephemeralStorage: { size: 512 },
      loggingConfig: { logFormat: "Text", logGroup: "/aws/lambda/lambda-bench-driver" },
      environment: { variables: { LAMBDA_BENCH_BUCKET: BUCKET } },
      tags: { "lambda-bench:stack": STACK_ID },
    });
  });

  it("its log group, its logs policy and its inline policy exist before it", () => {
    assert.deepEqual(find(rs, T.logGroup, "generator-driver").inputs, { name: "/aws/lambda/lambda-bench-driver", retentionInDays: 14 });
    const deps = find(rs, T.fn, "generator-driver").dependsOn;
    for (const d of [`${T.logGroup} generator-driver`, `${T.attach} generator-driver-logs`, `${T.policy} generator-driver`]) {
      assert.ok(deps.includes(d), `the driver waits for ${d}; it waits for ${deps.join(", ")}`);
    }
  });

  it("the driver's role: Lambda's trust, its logs, and one inline policy: this stack's functions by tag, runs/ of the bucket", () => {
    const role = find(rs, T.role, "generator-driver");
    assert.deepEqual(JSON.parse(role.inputs.assumeRolePolicy as string).Statement[0].Principal, { Service: "lambda.amazonaws.com" });
    assert.equal(find(rs, T.attach, "generator-driver-logs").inputs.policyArn, "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole");
    const policy = find(rs, T.policy, "generator-driver");
    assert.equal(policy.inputs.role, autoname("generator-driver"));
    const [invoke, objects, ...rest] = statementsOf(policy);
    assert.deepEqual(rest, []);
    assert.deepEqual(invoke.Action, ["lambda:InvokeFunction", "lambda:GetFunctionConfiguration"]);
    assert.deepEqual(invoke.Resource, [arn("lambda", "function:*")]);
    assert.deepEqual(invoke.Condition, { StringEquals: { "aws:ResourceTag/lambda-bench:stack": STACK_ID } });
    // The tag the condition names is the one every benchmark carries.
    assert.deepEqual(find(rs, T.fn, "hello").inputs.tags, { "lambda-bench:stack": STACK_ID });
    assert.deepEqual(objects.Action, ["s3:GetObject", "s3:PutObject"]);
    assert.deepEqual(objects.Resource, [`arn:aws:s3:::${BUCKET}/runs/*`], "runs/ only: a PutObject elsewhere in the bucket is not granted");
  });

  it("the state machine's role: Step Functions of this account; invokes only the driver, reads only runs/, runs its own children", () => {
    const role = find(rs, T.role, "generator-states");
    assert.deepEqual(JSON.parse(role.inputs.assumeRolePolicy as string).Statement, [{
      Effect: "Allow", Principal: { Service: "states.amazonaws.com" }, Action: "sts:AssumeRole",
      Condition: { StringEquals: { "aws:SourceAccount": FAKE_ACCOUNT } },
    }]);
    const statements = statementsOf(find(rs, T.policy, "generator-states"));
    const grants = statements.flatMap((s) => s.Action.map((a) => `${a} ${s.Resource.join(" ")}`)).sort();
    assert.deepEqual(grants, [
      `lambda:InvokeFunction ${DRIVER_ARN} ${DRIVER_ARN}:*`,
      `s3:GetObject arn:aws:s3:::${BUCKET}/runs/*`,
      `states:DescribeExecution ${arn("states", "execution:lambda-bench-generator/*")}`,
      `states:StartExecution ${arn("states", "stateMachine:lambda-bench-generator")}`,
      `states:StopExecution ${arn("states", "execution:lambda-bench-generator/*")}`,
    ]);
    assert.ok(statements.every((s) => s.Condition === undefined));
  });

  it("the state machine: STANDARD, its role, the definition of state-machine.ts with the real driver and bucket, the tags the CLI reads", () => {
    const m = find(rs, G.machine, "generator");
    assert.equal(m.inputs.name, "lambda-bench-generator");
    assert.equal(m.inputs.type, "STANDARD");
    assert.equal(m.inputs.roleArn, `arn:aws:iam::${FAKE_ACCOUNT}:role/${autoname("generator-states")}`);
    assert.deepEqual(JSON.parse(m.inputs.definition as string), stateMachineDefinition({ driverArn: DRIVER_ARN, bucket: BUCKET }));
    assert.deepEqual(m.inputs.tags, {
      [GENERATOR_TAGS.bucket]: BUCKET,
      [GENERATOR_TAGS.driver]: "lambda-bench-driver",
      [GENERATOR_TAGS.driverMemory]: "1024",
      [GENERATOR_TAGS.driverArchitecture]: "arm64",
      [GENERATOR_TAGS.windowSeconds]: "600",
      [GENERATOR_TAGS.maxShards]: "500",
      [GENERATOR_TAGS.version]: packageJson().version,
      "lambda-bench:stack": STACK_ID,
    });
    assert.ok(m.dependsOn.includes(`${T.fn} generator-driver`), "created after the driver");
    assert.ok(m.dependsOn.includes(`${T.policy} generator-states`), "created after its role may act");
  });
});

describe("program: the generator's names and its absence", function () {
  this.timeout(30_000);

  it("with a namePrefix: the driver, its log group, the state machine and every ARN built from them carry it", async () => {
    const rs = await deploy(MANIFEST, workspace(), "dev-");
    const bucket = autoname("dev-lambda-bench-data");
    assert.equal(find(rs, T.fn, "generator-driver").inputs.name, "dev-lambda-bench-driver");
    assert.equal(find(rs, T.logGroup, "generator-driver").inputs.name, "/aws/lambda/dev-lambda-bench-driver");
    const m = find(rs, G.machine, "generator");
    assert.equal(m.inputs.name, "dev-lambda-bench-generator");
    const driverArn = arn("lambda", "function:dev-lambda-bench-driver");
    assert.deepEqual(JSON.parse(m.inputs.definition as string), stateMachineDefinition({ driverArn, bucket }));
    const resources = statementsOf(find(rs, T.policy, "generator-states")).flatMap((s) => s.Resource);
    assert.ok(resources.includes(arn("states", "stateMachine:dev-lambda-bench-generator")));
    assert.ok(resources.includes(arn("states", "execution:dev-lambda-bench-generator/*")));
    assert.ok(resources.includes(driverArn));
  });

  it("no generator section: no generator resource, and no bucket when no benchmark uses one", async () => {
    const rs = await deploy(yaml`
      benchmarks:
        - function: hello
          build: { context: app }
    `);
    assert.deepEqual(rs.filter((r) => r.type === G.component || r.parent === "generator" || r.type === G.machine || r.type === T.bucket), []);
  });

  it("a benchmark using the bucket and the generator share the one bucket", async () => {
    const rs = await deploy(`${MANIFEST}\n`.replace("build: { context: app }", "build: { context: app }\n    env: { DATA: \"${bucket}\" }"));
    assert.equal(rs.filter((r) => r.type === T.bucket).length, 1);
    assert.deepEqual(find(rs, T.fn, "hello").inputs.environment, { variables: { DATA: BUCKET } });
    assert.equal((find(rs, T.fn, "generator-driver").inputs.environment as { variables: Record<string, string> }).variables.LAMBDA_BENCH_BUCKET, BUCKET);
  });
});

describe("program: index.ts's generator output", function () {
  this.timeout(30_000);

  it("the state machine's ARN, the driver, the bucket, memory, window, maxShards and architecture, resolved", async () => {
    const dir = workspace();
    const file = manifestFile(MANIFEST, dir);
    const main = loadProgram();
    let outputs: Record<string, unknown> = {};
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      await runUnderMocks(async () => {
        pulumi.runtime.setAllConfig({ "lambda-bench:manifest": file, "lambda-bench:namePrefix": "x-" });
        outputs = await runInPulumiStack(main) as Record<string, unknown>;
      }, { deployed: true, region: REGION });
    } finally {
      process.chdir(cwd);
    }
    assert.deepEqual(Object.keys(outputs).sort(), ["dataBucket", "functions", "generator"]);
    assert.deepEqual(outputs.generator, {
      stateMachineArn: arn("states", "stateMachine:x-lambda-bench-generator"),
      driver: "x-lambda-bench-driver",
      bucket: autoname("x-lambda-bench-data"),
      memory: 1024,
      window: 600,
      maxShards: 500,
      architecture: "arm64",
    });
    assert.equal(outputs.dataBucket, autoname("x-lambda-bench-data"));
  });
});

describe("plan: the generator as a preview shows it", function () {
  this.timeout(30_000);

  it("every statement of both roles, their trust, the driver's zip and what the state machine invokes", async () => {
    const dir = workspace();
    const text = planText(await plan(manifestFile(MANIFEST, dir), { region: "us-east-1" }));
    const at = (n: string) => `arn:aws:${n}:us-east-1:123456789012`;
    for (const line of [
      `    + aws:lambda/function:Function  generator-driver  (lambda-bench-driver, arm64, 1024 MB, 900 s, /tmp 512 MB, logs Text, nodejs22.x zip index.js ${Buffer.byteLength(driverBundle()).toLocaleString("en-US")} bytes)`,
      `    + aws:sfn/stateMachine:StateMachine  generator  (lambda-bench-generator, STANDARD)`,
      `          Trust states.amazonaws.com to sts:AssumeRole if aws:SourceAccount = 123456789012`,
      `          Allow lambda:InvokeFunction,lambda:GetFunctionConfiguration on ${at("lambda")}:function:* if aws:ResourceTag/lambda-bench:stack = lambda-bench/plan`,
      `          Allow s3:GetObject,s3:PutObject on arn:aws:s3:::${BUCKET}/runs/*`,
      `          Allow lambda:InvokeFunction on ${at("lambda")}:function:lambda-bench-driver, ${at("lambda")}:function:lambda-bench-driver:*`,
      `          Allow s3:GetObject on arn:aws:s3:::${BUCKET}/runs/*`,
      `          Allow states:StartExecution on ${at("states")}:stateMachine:lambda-bench-generator`,
      `          Allow states:DescribeExecution,states:StopExecution on ${at("states")}:execution:lambda-bench-generator/*`,
      `          Drive: arn:aws:states:::lambda:invoke {"FunctionName":"${at("lambda")}:function:lambda-bench-driver","Payload.$":"$"}`,
    ]) assert.ok(text.split("\n").includes(line), `the plan has the line\n${line}\n---\n${text}`);
    assert.doesNotMatch(text, /known after deploy/, "a preview knows every statement: ARNs are built from names");
  });
});
