// The Pulumi program under mocks: every resource's type, parent, name and the inputs AWS will see.
import { strict as assert } from "node:assert";
import * as path from "node:path";
import { autoname, FAKE_ACCOUNT, fakeDigest, UNKNOWN, type Registered } from "../src/deploy/mocks";
import { plan } from "../src/deploy/plan";
import { manifestFile, workspace } from "./fixtures";
import { coversToken, deploy, find, imageOf, MANIFEST, REGION, reordered, repoUrl, T, view } from "./program-support";

const STACK_TAG = { "lambda-bench:stack": "lambda-bench/plan" };

describe("program: resources of a multi-benchmark manifest", function () {
  let rs: Registered[];
  before(async () => { rs = await deploy(MANIFEST); });

  it("creates exactly the expected resources: repositories, images and the bucket owned by the stack, the rest by each Benchmark", () => {
    const got = rs.map((r) => `${r.parent ?? "-"} ${r.type} ${r.type === T.image ? `image of ${(r.inputs.tags as string[]).join(" ")}` : r.name}`).sort();
    const expected = [
      `- ${T.bucket} lambda-bench-data`,
      ...["aes-big", "bench/aes", "driver", "mapper"].flatMap((n) => [`- ${T.repo} ${n}`, `- ${T.lifecycle} ${n}`]),
      ...["aes", "aes-big", "driver", "mapper"].flatMap((n) => [
        `- ${T.bench} ${n}`, `${n} ${T.role} ${n}`, `${n} ${T.attach} ${n}-logs`, `${n} ${T.logGroup} ${n}`, `${n} ${T.fn} ${n}`,
      ]),
      // aes and aes-big share one build, so one Image pushes to both repositories.
      `- ${T.image} image of ${repoUrl("bench/aes")}:v1 ${repoUrl("aes-big")}:latest`,
      `- ${T.image} image of ${repoUrl("driver")}:latest`, `- ${T.image} image of ${repoUrl("mapper")}:latest`,
      `driver ${T.policy} driver-catalogue`, `mapper ${T.policy} mapper-catalogue`,
      `mapper ${T.attach} mapper-managed-aws/AWSXRayDaemonWriteAccess`,
    ].sort();
    assert.deepEqual(got, expected);
  });

  it("repositories: named by their ECR name, force-deletable, scanned on push", () => {
    assert.deepEqual(find(rs, T.repo, "bench/aes").inputs, {
      name: "bench/aes", forceDelete: true, imageScanningConfiguration: { scanOnPush: true }, imageTagMutability: "MUTABLE",
    });
    assert.equal(find(rs, T.repo, "driver").inputs.name, "driver");
  });

  it("images: one platform, pushed with ECR credentials, relative paths, build args, tags and a cache tag of their own", () => {
    const img = imageOf(rs, "driver").inputs;
    assert.deepEqual(img.context, { location: "app" });
    assert.deepEqual(img.dockerfile, { location: path.join("app", "docker", "Dockerfile.Lambda") });
    assert.deepEqual(img.buildArgs, { target_arg: "driver" });
    assert.deepEqual(img.platforms, ["linux/arm64"]);
    assert.equal(img.push, true);
    assert.equal(img.exec, undefined, "exec mode would push an attestation index Lambda rejects");
    assert.deepEqual(img.tags, [`${repoUrl("driver")}:latest`]);
    assert.deepEqual(img.registries, [{ address: repoUrl("driver"), username: "AWS", password: "<ecr-token>" }]);
    assert.deepEqual(img.cacheTo, [{ registry: { ref: `${repoUrl("driver")}:buildcache-latest`, imageManifest: true, ociMediaTypes: true } }]);
    assert.deepEqual(imageOf(rs, "mapper").inputs.platforms, ["linux/amd64"]);
  });

  it("an identical build is built once and pushed to every sharing repository", () => {
    assert.equal(rs.filter((r) => r.type === T.image).length, 3);
    const img = imageOf(rs, "bench/aes", "v1").inputs;
    assert.deepEqual(img.tags, [`${repoUrl("bench/aes")}:v1`, `${repoUrl("aes-big")}:latest`]);
    const digest = fakeDigest(img);
    assert.equal(find(rs, T.fn, "aes").inputs.imageUri, `${repoUrl("bench/aes")}@${digest}`);
    assert.equal(find(rs, T.fn, "aes-big").inputs.imageUri, `${repoUrl("aes-big")}@${digest}`);
  });

  it("functions: image by digest, architecture from platform, sizes, logging, stack tag, env after defaults and references", () => {
    const driver = find(rs, T.fn, "driver").inputs;
    assert.deepEqual(driver, {
      name: "driver",
      packageType: "Image",
      imageUri: `${repoUrl("driver")}@${fakeDigest(imageOf(rs, "driver").inputs)}`,
      architectures: ["arm64"],
      role: `arn:aws:iam::${FAKE_ACCOUNT}:role/${autoname("driver")}`,
      memorySize: 512,
      timeout: 300,
      ephemeralStorage: { size: 1024 },
      loggingConfig: { logFormat: "Text", logGroup: "/aws/lambda/driver" },
      tags: STACK_TAG,
      environment: { variables: { IS_LAMBDA: "true", LEVEL: "2", MAPPER: "mapper", BUCKET: autoname("lambda-bench-data") } },
    });
    const mapper = find(rs, T.fn, "mapper").inputs;
    assert.deepEqual(mapper.architectures, ["x86_64"]);
    assert.equal(mapper.timeout, 30);
    assert.deepEqual(mapper.ephemeralStorage, { size: 512 }, "always sent, so dropping the field restores 512 MB");
    assert.equal(find(rs, T.fn, "aes-big").inputs.memorySize, 2048);
  });

  it("roles: Lambda trust, basic execution, and exact least-privilege documents", () => {
    assert.deepEqual(JSON.parse(find(rs, T.role, "driver").inputs.assumeRolePolicy as string), {
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
    });
    for (const n of ["aes", "aes-big", "driver", "mapper"]) {
      assert.deepEqual(find(rs, T.attach, `${n}-logs`).inputs, {
        role: autoname(n), policyArn: "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
      });
    }
    const bucket = `arn:aws:s3:::${autoname("lambda-bench-data")}`;
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
    assert.equal(find(rs, T.policy, "driver-catalogue").inputs.role, autoname("driver"));
    assert.deepEqual(find(rs, T.attach, "mapper-managed-aws/AWSXRayDaemonWriteAccess").inputs.policyArn, "arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess");
    for (const r of rs.filter((x) => x.type === T.policy)) {
      assert.doesNotMatch(r.inputs.policy as string, /"\*"/, `${r.name} grants on *`);
    }
  });

  it("the data bucket exists because it is used, and is destroyable", () => {
    assert.deepEqual(find(rs, T.bucket, "lambda-bench-data").inputs, { forceDestroy: true, bucket: autoname("lambda-bench-data") });
  });

  it("a function waits for its log group, repository, image, role and every grant", () => {
    const driverImage = imageOf(rs, "driver").name;
    assert.deepEqual(find(rs, T.fn, "driver").dependsOn, [
      `${T.repo} driver`, `${T.role} driver`, `${T.policy} driver-catalogue`, `${T.attach} driver-logs`, `${T.image} ${driverImage}`,
      `${T.logGroup} driver`, `${T.bucket} lambda-bench-data`, // its env names the bucket
    ].sort());
    const shared = imageOf(rs, "aes-big").name;
    assert.deepEqual(find(rs, T.fn, "aes-big").dependsOn, [
      `${T.repo} aes-big`, `${T.role} aes-big`, `${T.attach} aes-big-logs`, `${T.image} ${shared}`, `${T.logGroup} aes-big`,
    ].sort());
    // The image pushes to every member's repository, so they exist first.
    assert.deepEqual(find(rs, T.image, shared).dependsOn, [`${T.repo} aes-big`, `${T.repo} bench/aes`]);
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
    const extraImage = imageOf(b, "extra").name;
    const others = b.filter((r) => r.name !== "extra" && r.parent !== "extra" && r.name !== extraImage);
    assert.deepEqual(view(others), view(a));
  });

  it("namePrefix prefixes deployed names and references, not logical names", async () => {
    const rs = await deploy(MANIFEST, workspace(), "dev-");
    assert.equal(find(rs, T.fn, "driver").inputs.name, "dev-driver");
    assert.equal(find(rs, T.repo, "bench/aes").inputs.name, "dev-bench/aes");
    assert.equal((find(rs, T.fn, "driver").inputs.environment as any).variables.MAPPER, "dev-mapper");
    assert.match(find(rs, T.policy, "driver-catalogue").inputs.policy as string, /function:dev-mapper"/);
    assert.equal(find(rs, T.logGroup, "driver").inputs.name, "/aws/lambda/dev-driver");
    assert.equal(find(rs, T.bucket, "dev-lambda-bench-data").inputs.bucket, autoname("dev-lambda-bench-data"));
  });
});

describe("program: preview (what `lambda-bench plan` shows)", function () {
  it("knows autonames, policy documents with the bucket in the stack, and marks the rest (known after deploy)", async () => {
    const rs = await plan(manifestFile(MANIFEST));
    const fn = find(rs, T.fn, "driver").inputs;
    assert.equal(fn.imageUri, UNKNOWN);
    assert.equal(fn.role, UNKNOWN, "a role's ARN is assigned by IAM");
    assert.equal(fn.memorySize, 512);
    assert.equal(find(rs, T.role, "driver").inputs.name, autoname("driver"));
    assert.equal(find(rs, T.role, "driver").autonamed, "name");
    assert.equal(find(rs, T.bucket, "lambda-bench-data").inputs.bucket, autoname("lambda-bench-data"));
    const doc = JSON.parse(find(rs, T.policy, "driver-catalogue").inputs.policy as string);
    assert.deepEqual(doc.Statement[0].Resource, [`arn:aws:s3:::${autoname("lambda-bench-data")}/*`]);
    assert.equal(find(rs, T.attach, "driver-logs").inputs.role, autoname("driver"));
    const nulls = rs.flatMap((r) => Object.entries(r.inputs).filter(([, v]) => v === null).map(([k]) => `${r.name}.${k}`));
    assert.deepEqual(nulls, []);
  });

  it("autonames are `<logical>-<7 hex>`, stable from run to run, and within each resource's limit", async () => {
    const file = manifestFile(MANIFEST);
    const [a, b] = [await plan(file), await plan(file)];
    const limits: Record<string, number> = { [T.role]: 64, [T.bucket]: 63, [T.policy]: 128 };
    const auto = a.filter((r) => r.autonamed);
    assert.equal(auto.length, 4 + 1 + 2);
    for (const r of auto) {
      const value = r.inputs[r.autonamed!] as string;
      assert.match(value, new RegExp(`^${r.name}-[0-9a-f]{7}$`));
      assert.ok(value.length <= limits[r.type], `${value}: over ${limits[r.type]}`);
    }
    assert.deepEqual(b.map((r) => r.inputs), a.map((r) => r.inputs));
  });

  it("a function waits for its image even while the image's digest is unknown", async () => {
    const rs = await plan(manifestFile(MANIFEST));
    const driver = find(rs, T.fn, "driver");
    assert.equal(driver.inputs.imageUri, UNKNOWN, "the digest is not known before the build");
    const image = rs.find((r) => r.type === T.image && r.inputs.buildArgs && (r.inputs.buildArgs as any).target_arg === "driver")!;
    assert.ok(driver.dependsOn.includes(`${T.image} ${image.name}`), driver.dependsOn.join(", "));
    assert.ok(coversToken(image));
  });
});

describe("program: bare invoke_function", function () {
  it("is one statement of constant size on the stack's tag, and every function carries the tag", async () => {
    const manifest = (n: number) => `benchmarks:\n${Array.from({ length: n }, (_, i) =>
      `  - function: f${i}\n    build: { context: app }\n    policies: [invoke_function]\n`).join("")}`;
    const rs = await deploy(manifest(3));
    const doc = JSON.parse(find(rs, T.policy, "f1-catalogue").inputs.policy as string);
    assert.deepEqual(doc.Statement, [{
      Sid: "InvokeStackFunctions", Effect: "Allow", Action: ["lambda:InvokeFunction"],
      Resource: [`arn:aws:lambda:${REGION}:${FAKE_ACCOUNT}:function:*`],
      Condition: { StringEquals: { "aws:ResourceTag/lambda-bench:stack": "lambda-bench/plan" } },
    }]);
    for (const r of rs.filter((x) => x.type === T.fn)) assert.deepEqual(r.inputs.tags, STACK_TAG);
    // 90 functions listed two ARNs each made 11,468 characters; the tag makes it the same as for 3.
    const big = await deploy(manifest(90));
    assert.equal(find(big, T.policy, "f1-catalogue").inputs.policy, find(rs, T.policy, "f1-catalogue").inputs.policy);
    assert.equal(rs.filter((r) => r.type === T.bucket).length, 0, "no bucket when nothing uses it");
  });
});
