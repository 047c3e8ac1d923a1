// Names under mocks: explicit role names for long functions, the partition from the provider,
// managed attachments that cannot collide, and the URNs an existing stack keeps (aliases).
import { strict as assert } from "node:assert";
import { explicitRoleName } from "../src/manifest/names";
import type { Registered } from "../src/deploy/mocks";
import { workspace } from "./fixtures";
import { deploy, find, T, yaml } from "./program-support";

describe("program: names AWS accepts", function () {
  it("a role keeps its autoname up to a 56-character function, and gets a cut name with a stable hash from 57", async () => {
    const [f56, f57] = ["a".repeat(56), "b".repeat(57)];
    const text = `benchmarks:\n  - function: ${f56}\n    build: {context: app}\n  - function: ${f57}\n    build: {context: app}\n`;
    const rs = await deploy(text, workspace(), "dev-");
    const short = find(rs, T.role, f56);
    assert.equal(short.autonamed, "name");
    assert.equal((short.inputs.name as string).length, 64);
    const long = find(rs, T.role, f57);
    assert.equal(long.autonamed, undefined);
    const name = long.inputs.name as string;
    assert.equal(name, explicitRoleName(f57, `dev-${f57}`, "lambda-bench/plan"));
    assert.match(name, /^dev-b{52}-[0-9a-f]{7}$/);
    assert.equal(name.length, 64);
    // Stable for the stack, distinct for another stack (roles are global to the account).
    const again = await deploy(text, workspace(), "dev-");
    assert.equal(find(again, T.role, f57).inputs.name, name);
    const other = await deploy(text, workspace(), "dev-", { mocks: { stack: "eu" } });
    assert.notEqual(find(other, T.role, f57).inputs.name, name);
  });

  it("the basic execution policy and every ARN take the provider's partition", async () => {
    const rs = await deploy(yaml`
      benchmarks:
        - function: a1
          build: {context: app}
          policies: [access_s3, invoke_function]
    `, workspace(), "", { mocks: { partition: "aws-cn" } });
    assert.equal(find(rs, T.attach, "a1-logs").inputs.policyArn, "arn:aws-cn:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole");
    const doc = JSON.parse(find(rs, T.policy, "a1-catalogue").inputs.policy as string);
    for (const s of doc.Statement) for (const r of s.Resource) assert.match(r, /^arn:aws-cn:/);
  });

  it("managed attachments are named by owner and path, so an AWS and a customer policy of one name do not collide", async () => {
    const rs = await deploy(yaml`
      benchmarks:
        - function: a1
          build: {context: app}
          policies:
            - managed: [arn:aws:iam::aws:policy/ReadOnly, arn:aws:iam::123456789012:policy/ReadOnly, arn:aws:iam::aws:policy/job-function/ViewOnlyAccess]
    `);
    const names = rs.filter((r) => r.type === T.attach).map((r) => r.name).sort();
    assert.deepEqual(names, ["a1-logs", "a1-managed-123456789012/ReadOnly", "a1-managed-aws/ReadOnly", "a1-managed-aws/job-function/ViewOnlyAccess"]);
  });
});

/**
 * The URNs the previous version of the program registered for this manifest, recorded from a run
 * of it (commit 6b70544) under the same mocks: each repository and image was a child of its
 * benchmark's component, and managed attachments were named by the policy's last segment.
 */
const BEFORE = [
  "lambda-bench:index:Benchmark$aws:ecr/repository:Repository::aes",
  "lambda-bench:index:Benchmark$aws:ecr/repository:Repository::aes-big",
  "lambda-bench:index:Benchmark$aws:ecr/repository:Repository::driver",
  "lambda-bench:index:Benchmark$aws:iam/role:Role::aes",
  "lambda-bench:index:Benchmark$aws:iam/role:Role::aes-big",
  "lambda-bench:index:Benchmark$aws:iam/role:Role::driver",
  "lambda-bench:index:Benchmark$aws:iam/rolePolicyAttachment:RolePolicyAttachment::aes-big-logs",
  "lambda-bench:index:Benchmark$aws:iam/rolePolicyAttachment:RolePolicyAttachment::aes-logs",
  "lambda-bench:index:Benchmark$aws:iam/rolePolicyAttachment:RolePolicyAttachment::driver-logs",
  "lambda-bench:index:Benchmark$aws:iam/rolePolicyAttachment:RolePolicyAttachment::driver-managed-AWSXRayDaemonWriteAccess",
  "lambda-bench:index:Benchmark$aws:lambda/function:Function::aes",
  "lambda-bench:index:Benchmark$aws:lambda/function:Function::aes-big",
  "lambda-bench:index:Benchmark$aws:lambda/function:Function::driver",
  "lambda-bench:index:Benchmark$docker-build:index:Image::aes",
  "lambda-bench:index:Benchmark$docker-build:index:Image::driver",
  "lambda-bench:index:Benchmark::aes",
  "lambda-bench:index:Benchmark::aes-big",
  "lambda-bench:index:Benchmark::driver",
].map((u) => `urn:pulumi:plan::lambda-bench::${u}`);

describe("program: an existing stack keeps its resources (aliases)", function () {
  const manifest = (extra = "") => yaml`
    benchmarks:
      - function: driver
        repo: mr
        tag: driver
        build: { context: app, args: { target_arg: driver } }
        policies: [{ managed: [arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess] }]
      - function: aes
        build: { context: other }
      - function: aes-big
        build: { context: other }
  ` + extra;

  /** The resource that takes over an old URN: itself, or the one resource aliasing it. */
  function successors(rs: Registered[], urn: string): Registered[] {
    return rs.filter((r) => r.urn === urn || r.aliases.includes(urn));
  }

  it("every URN of the previous version is the URN or an alias of exactly one resource of the same type", async () => {
    const rs = await deploy(manifest());
    for (const urn of BEFORE) {
      const found = successors(rs, urn);
      assert.equal(found.length, 1, `${urn}: taken over by ${found.map((r) => r.urn).join(", ") || "nothing"}`);
      assert.ok(urn.includes(`${found[0].type}::`), `${urn} -> ${found[0].urn}`);
    }
    // The repositories moved to the stack, named by their ECR name; the images by their build.
    assert.ok(successors(rs, BEFORE[2])[0].urn.endsWith("::aws:ecr/repository:Repository::mr"));
    assert.match(successors(rs, BEFORE[13])[0].urn, /::docker-build:index:Image::other-[0-9a-f]{7}$/);
  });

  it("a second benchmark in the repository, or renaming the builder, replaces no repository and no image", async () => {
    const before = await deploy(manifest());
    const after = await deploy(manifest(yaml`
      - function: mapper
        repo: mr
        tag: mapper
        build: { context: app, args: { target_arg: mapper } }
      - function: a-aes
        build: { context: other }
    `.replace(/^/gm, "  ")));
    const urns = (rs: Registered[], type: string) => rs.filter((r) => r.type === type).map((r) => r.urn);
    for (const type of [T.repo, T.image]) {
      for (const urn of urns(before, type)) assert.ok(urns(after, type).includes(urn), `${urn} would be replaced`);
    }
    assert.equal(urns(after, T.repo).length, 4, "mr, a-aes, aes, aes-big: mapper shares mr");
    const image = after.find((r) => r.type === T.image && r.urn === urns(before, T.image).find((u) => u.includes("other-")))!;
    assert.deepEqual(image.inputs.tags, ["a-aes", "aes", "aes-big"].map((f) => `123456789012.dkr.ecr.eu-west-1.amazonaws.com/${f}:latest`));
  });

  it("images are retained on delete: a replaced build never deletes the digest its functions run", async () => {
    const rs = await deploy(manifest());
    for (const r of rs.filter((x) => x.type === T.image)) assert.equal(r.retainOnDelete, true, r.name);
  });
});
