// The Pulumi program under mocks: every child's type, parent, name and the inputs AWS will see.
import * as pulumi from "@pulumi/pulumi";
import { runInPulumiStack } from "@pulumi/pulumi/runtime/stack";
import { strict as assert } from "node:assert";
import * as path from "node:path";
import { loadManifest, ManifestInvalid } from "../src/manifest/load";
import { FAKE_ACCOUNT, fakeDigest, runUnderMocks, type Registered } from "../src/mocks";
import { plan } from "../src/plan";
import { defineStack } from "../src/program";
import { manifestFile, workspace, yaml } from "./fixtures";

const REGION = "eu-west-1";

const MANIFEST = yaml`
  defaults:
    platform: linux/arm64
    memory: 512
    env: { IS_LAMBDA: "true", LEVEL: 1 }
  benchmarks:
    - function: driver
      build: { context: app, dockerfile: docker/Dockerfile.Lambda, args: { target_arg: driver } }
      timeout: 300
      ephemeralStorage: 1024
      policies:
        - access_s3
        - invoke_function: [mapper]
      env:
        MAPPER: \${function:mapper}
        BUCKET: \${bucket}
        LEVEL: 2
    - function: mapper
      build: { context: app, dockerfile: docker/Dockerfile.Lambda, args: { target_arg: mapper } }
      platform: linux/amd64
      policies: [access_s3, { managed: [arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess] }]
    - function: aes
      repo: bench/aes
      tag: v1
      build: { context: other }
    - function: aes-big
      memory: 2048
      build: { context: other }
`;

/** The same benchmarks, listed in another order. */
function reordered(text: string): string {
  const [head, body] = text.split("benchmarks:\n");
  const items = body.split(/\n(?=  - function:)/).map((s) => s.replace(/\n*$/, ""));
  return `${head}benchmarks:\n${[items[3], items[1], items[0], items[2]].join("\n")}\n`;
}

async function deploy(text: string, dir = workspace(), namePrefix = ""): Promise<Registered[]> {
  const file = manifestFile(text, dir);
  const manifest = loadManifest(file, { namePrefix });
  const cwd = process.cwd();
  process.chdir(dir); // Pulumi runs the program in the project folder
  try {
    return await runUnderMocks(() => defineStack(manifest, namePrefix), { deployed: true, region: REGION });
  } finally {
    process.chdir(cwd);
  }
}

const find = (rs: Registered[], type: string, name: string): Registered => {
  const r = rs.find((x) => x.type === type && x.name === name);
  assert.ok(r, `no ${type} named ${name}; have ${rs.map((x) => `${x.type}/${x.name}`).join(", ")}`);
  return r;
};
const T = {
  bench: "lambda-bench:index:Benchmark",
  repo: "aws:ecr/repository:Repository",
  image: "docker-build:index:Image",
  role: "aws:iam/role:Role",
  attach: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
  policy: "aws:iam/rolePolicy:RolePolicy",
  fn: "aws:lambda/function:Function",
  bucket: "aws:s3/bucket:Bucket",
};
/** The image's registry password is secret, or a value holding it is (the SDK may mark the list). */
const coversToken = (image: Registered) => image.secrets.some((p) => "registries[0].password".startsWith(p));
/** What AWS would see of each resource, without the URN (it names the stack). */
const view = (rs: Registered[]) => rs.map(({ type, name, parent, inputs, secrets, dependsOn }) => ({ type, name, parent, inputs, secrets, dependsOn }));

/** index.ts afresh (it reads its config when run), as the SDK loads it: its export is the program. */
function loadProgram(): () => Promise<Record<string, unknown>> {
  const entry = require.resolve("../index");
  delete require.cache[entry];
  return require(entry);
}
const repoUrl = (name: string) => `${FAKE_ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/${name}`;

describe("program: resources of a multi-benchmark manifest", function () {
  let rs: Registered[];
  before(async () => { rs = await deploy(MANIFEST); });

  it("creates exactly the expected resources, children parented to their Benchmark", () => {
    const got = rs.map((r) => `${r.parent ?? "-"} ${r.type} ${r.name}`).sort();
    const expected = [
      `- ${T.bucket} lambda-bench-data`,
      ...["aes", "aes-big", "driver", "mapper"].flatMap((n) => [`- ${T.bench} ${n}`, `${n} ${T.repo} ${n}`, `${n} ${T.role} ${n}`, `${n} ${T.attach} ${n}-logs`, `${n} ${T.fn} ${n}`]),
      // aes and aes-big share one build: aes (first by name) builds it.
      `aes ${T.image} aes`, `driver ${T.image} driver`, `mapper ${T.image} mapper`,
      `driver ${T.policy} driver-catalogue`, `mapper ${T.policy} mapper-catalogue`,
      `mapper ${T.attach} mapper-managed-AWSXRayDaemonWriteAccess`,
    ].sort();
    assert.deepEqual(got, expected);
  });

  it("repositories: named from the manifest, force-deletable, scanned on push", () => {
    assert.deepEqual(find(rs, T.repo, "aes").inputs, {
      name: "bench/aes", forceDelete: true, imageScanningConfiguration: { scanOnPush: true }, imageTagMutability: "MUTABLE",
    });
    assert.equal(find(rs, T.repo, "driver").inputs.name, "driver");
  });

  it("images: one platform, pushed with ECR credentials, relative paths, build args and tags", () => {
    const img = find(rs, T.image, "driver").inputs;
    assert.deepEqual(img.context, { location: "app" });
    assert.deepEqual(img.dockerfile, { location: path.join("app", "docker", "Dockerfile.Lambda") });
    assert.deepEqual(img.buildArgs, { target_arg: "driver" });
    assert.deepEqual(img.platforms, ["linux/arm64"]);
    assert.equal(img.push, true);
    assert.equal(img.exec, undefined, "exec mode would push an attestation index Lambda rejects");
    assert.deepEqual(img.tags, [`${repoUrl("driver")}:latest`]);
    assert.deepEqual(img.registries, [{ address: repoUrl("driver"), username: "AWS", password: "<ecr-token>" }]);
    assert.deepEqual(img.cacheTo, [{ registry: { ref: `${repoUrl("driver")}:buildcache`, imageManifest: true, ociMediaTypes: true } }]);
    assert.deepEqual(find(rs, T.image, "mapper").inputs.platforms, ["linux/amd64"]);
  });

  it("an identical build is built once and pushed to every sharing repository", () => {
    assert.equal(rs.filter((r) => r.type === T.image).length, 3);
    const img = find(rs, T.image, "aes").inputs;
    assert.deepEqual(img.tags, [`${repoUrl("bench/aes")}:v1`, `${repoUrl("aes-big")}:latest`]);
    const digest = fakeDigest(img);
    assert.equal(find(rs, T.fn, "aes").inputs.imageUri, `${repoUrl("bench/aes")}@${digest}`);
    assert.equal(find(rs, T.fn, "aes-big").inputs.imageUri, `${repoUrl("aes-big")}@${digest}`);
  });

  it("functions: image by digest, architecture from platform, sizes, env after defaults and references", () => {
    const driver = find(rs, T.fn, "driver").inputs;
    assert.deepEqual(driver, {
      name: "driver",
      packageType: "Image",
      imageUri: `${repoUrl("driver")}@${fakeDigest(find(rs, T.image, "driver").inputs)}`,
      architectures: ["arm64"],
      role: `arn:aws:iam::${FAKE_ACCOUNT}:role/driver-0a1b2c3`,
      memorySize: 512,
      timeout: 300,
      ephemeralStorage: { size: 1024 },
      environment: { variables: { IS_LAMBDA: "true", LEVEL: "2", MAPPER: "mapper", BUCKET: "lambda-bench-data-0a1b2c3" } },
    });
    const mapper = find(rs, T.fn, "mapper").inputs;
    assert.deepEqual(mapper.architectures, ["x86_64"]);
    assert.equal(mapper.timeout, 30);
    assert.equal(mapper.ephemeralStorage, undefined);
    assert.equal(find(rs, T.fn, "aes-big").inputs.memorySize, 2048);
  });

  it("roles: Lambda trust, basic execution, and exact least-privilege documents", () => {
    assert.deepEqual(JSON.parse(find(rs, T.role, "driver").inputs.assumeRolePolicy as string), {
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
    });
    for (const n of ["aes", "aes-big", "driver", "mapper"]) {
      assert.deepEqual(find(rs, T.attach, `${n}-logs`).inputs, {
        role: `${n}-0a1b2c3`, policyArn: "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
      });
    }
    const bucket = "arn:aws:s3:::lambda-bench-data-0a1b2c3";
    assert.deepEqual(JSON.parse(find(rs, T.policy, "driver-catalogue").inputs.policy as string), {
      Version: "2012-10-17",
      Statement: [
        { Sid: "AccessS3Objects", Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], Resource: [`${bucket}/*`] },
        { Sid: "AccessS3List", Effect: "Allow", Action: ["s3:ListBucket"], Resource: [bucket] },
        { Sid: "InvokeFunction", Effect: "Allow", Action: ["lambda:InvokeFunction"], Resource: [
          `arn:aws:lambda:${REGION}:${FAKE_ACCOUNT}:function:mapper`, `arn:aws:lambda:${REGION}:${FAKE_ACCOUNT}:function:mapper:*`,
        ] },
      ],
    });
    assert.equal(find(rs, T.policy, "driver-catalogue").inputs.role, "driver-0a1b2c3");
    assert.deepEqual(find(rs, T.attach, "mapper-managed-AWSXRayDaemonWriteAccess").inputs.policyArn, "arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess");
    for (const r of rs.filter((x) => x.type === T.policy)) {
      assert.doesNotMatch(r.inputs.policy as string, /"\*"/, `${r.name} grants on *`);
    }
  });

  it("the data bucket exists because it is used, and is destroyable", () => {
    assert.deepEqual(find(rs, T.bucket, "lambda-bench-data").inputs, { forceDestroy: true });
  });

  it("a function waits for its repository, image, role and every grant; a shared build's member for the builder's image", () => {
    assert.deepEqual(find(rs, T.fn, "driver").dependsOn, [
      `${T.repo} driver`, `${T.role} driver`, `${T.policy} driver-catalogue`, `${T.attach} driver-logs`, `${T.image} driver`,
      `${T.bucket} lambda-bench-data`, // its env names the bucket
    ].sort());
    assert.deepEqual(find(rs, T.fn, "aes-big").dependsOn, [
      `${T.repo} aes-big`, `${T.role} aes-big`, `${T.attach} aes-big-logs`, `${T.image} aes`,
    ].sort());
    // The builder pushes to the member's repository, so it must exist first.
    assert.deepEqual(find(rs, T.image, "aes").dependsOn, [`${T.repo} aes`, `${T.repo} aes-big`]);
  });

  it("the ECR token reaches the image as a secret only", () => {
    for (const r of rs) {
      if (r.type !== T.image) assert.deepEqual(r.secrets, [], `${r.type} ${r.name}`);
      else assert.ok(coversToken(r), `${r.name}: the token is not secret; secrets: ${r.secrets.join(", ")}`);
    }
  });
});

describe("program: identity and options", function () {
  it("reordering the manifest changes no name, parent, input or dependency", async () => {
    const dir = workspace();
    const a = await deploy(MANIFEST, dir);
    const b = await deploy(reordered(MANIFEST), dir);
    assert.notEqual(reordered(MANIFEST), MANIFEST);
    assert.deepEqual(view(b), view(a));
  });

  it("adding a benchmark changes nothing for the others", async () => {
    const dir = workspace();
    const a = await deploy(MANIFEST, dir);
    const b = await deploy(`${MANIFEST}  - function: extra\n    build: { context: app }\n`, dir);
    const others = b.filter((r) => r.name !== "extra" && r.parent !== "extra");
    // Only bare invoke_function (every function of the stack) would grow; this manifest has none.
    assert.deepEqual(view(others), view(a));
  });

  it("namePrefix prefixes deployed names and references, not logical names", async () => {
    const rs = await deploy(MANIFEST, workspace(), "dev-");
    assert.equal(find(rs, T.fn, "driver").inputs.name, "dev-driver");
    assert.equal(find(rs, T.repo, "aes").inputs.name, "dev-bench/aes");
    assert.equal((find(rs, T.fn, "driver").inputs.environment as any).variables.MAPPER, "dev-mapper");
    assert.match(find(rs, T.policy, "driver-catalogue").inputs.policy as string, /function:dev-mapper"/);
    assert.ok(find(rs, T.bucket, "dev-lambda-bench-data"));
  });

  it("no bucket when nothing uses it; bare invoke_function names every function of the stack", async () => {
    const rs = await deploy(yaml`
      benchmarks:
        - function: b1
          build: { context: app }
          policies: [invoke_function]
        - function: a1
          build: { context: app }
    `);
    assert.equal(rs.filter((r) => r.type === T.bucket).length, 0);
    const doc = JSON.parse(find(rs, T.policy, "b1-catalogue").inputs.policy as string);
    assert.deepEqual(doc.Statement[0].Resource, ["a1", "a1:*", "b1", "b1:*"].map((f) => `arn:aws:lambda:${REGION}:${FAKE_ACCOUNT}:function:${f}`));
  });
});

describe("program: preview (what `lambda-bench plan` shows)", function () {
  it("leaves provider-computed values unknown (null) as a real preview does", async () => {
    const dir = workspace();
    const file = manifestFile(MANIFEST, dir);
    const rs = await plan(file);
    const fn = find(rs, T.fn, "driver").inputs;
    assert.equal(fn.imageUri, null);
    assert.equal(fn.role, null);
    assert.equal(fn.memorySize, 512);
    assert.equal(rs.length, 27);
  });

  it("a function waits for its image even while the image's digest is unknown", async () => {
    const rs = await plan(manifestFile(MANIFEST));
    const driver = find(rs, T.fn, "driver");
    assert.equal(driver.inputs.imageUri, null, "the digest is not known before the build");
    assert.ok(driver.dependsOn.includes(`${T.image} driver`), driver.dependsOn.join(", "));
    assert.ok(coversToken(find(rs, T.image, "driver")));
  });
});

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
      const digest = (name: string) => fakeDigest(find(rs, T.image, name).inputs);
      const fn = (name: string, extra: object) => ({
        name: `x-${name}`,
        arn: `arn:aws:lambda:${REGION}:${FAKE_ACCOUNT}:function:x-${name}`,
        imageUri: `${repoUrl(`x-${name}`)}@${digest(name)}`,
        repositoryUrl: repoUrl(`x-${name}`),
        roleArn: `arn:aws:iam::${FAKE_ACCOUNT}:role/${name}-0a1b2c3`,
        timeout: 30,
        ...extra,
      });
      assert.deepEqual(outputs, {
        functions: {
          a1: fn("a1", { memory: 256, architecture: "x86_64" }),
          b2: fn("b2", { memory: 128, architecture: "arm64" }),
        },
        dataBucket: "x-lambda-bench-data-0a1b2c3",
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
