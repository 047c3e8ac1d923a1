// What the stack owns beside the functions, under mocks: shared repositories with a cache tag per
// build, lifecycle policies, log groups, and provisioned and reserved concurrency, each input as
// AWS will see it.
import { strict as assert } from "node:assert";
import { UNKNOWN, type Registered } from "../src/deploy/mocks";
import { plan, planText } from "../src/deploy/plan";
import { LIFECYCLE_POLICY } from "../components/repository";
import { manifestFile } from "./fixtures";
import { deploy, find, imageOf, REGION, repoUrl, T, yaml } from "./program-support";

const MAP_REDUCE = yaml`
  benchmarks:
    - function: driver
      repo: map-reduce
      tag: driver
      build: { context: app, args: { target_arg: driver } }
      logRetention: 30
      logFormat: JSON
      provisionedConcurrency: 2
      reservedConcurrency: 5
    - function: mapper
      repo: map-reduce
      tag: mapper
      build: { context: app, args: { target_arg: mapper } }
      reservedConcurrency: 0
    - function: reducer
      repo: map-reduce
      tag: reducer
      build: { context: app, args: { target_arg: reducer } }
      logRetention: 0
`;

describe("program: shared repositories and lifecycle policies", function () {
  let rs: Registered[];
  before(async () => { rs = await deploy(MAP_REDUCE); });

  it("three tags of one repository: one Repository, three Images each with its own tag and cache tag", () => {
    assert.deepEqual(rs.filter((r) => r.type === T.repo).map((r) => r.name), ["map-reduce"]);
    for (const tag of ["driver", "mapper", "reducer"]) {
      const img = imageOf(rs, "map-reduce", tag).inputs;
      assert.deepEqual(img.tags, [`${repoUrl("map-reduce")}:${tag}`]);
      const cache = `${repoUrl("map-reduce")}:buildcache-${tag}`;
      assert.deepEqual(img.cacheFrom, [{ registry: { ref: cache } }]);
      assert.deepEqual(img.cacheTo, [{ registry: { ref: cache, imageManifest: true, ociMediaTypes: true } }]);
      assert.match(find(rs, T.fn, tag).inputs.imageUri as string, new RegExp(`^${repoUrl("map-reduce")}@sha256:`));
    }
  });

  it("one lifecycle policy per repository: untagged images expire after 7 days, tagged ones stay", () => {
    const policies = rs.filter((r) => r.type === T.lifecycle);
    assert.equal(policies.length, 1);
    assert.equal(policies[0].inputs.repository, "map-reduce");
    const doc = JSON.parse(policies[0].inputs.policy as string);
    assert.deepEqual(doc, LIFECYCLE_POLICY);
    assert.deepEqual(doc.rules, [{
      rulePriority: 1, description: "expire untagged images 7 days after their push",
      selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: 7 },
      action: { type: "expire" },
    }]);
  });

  it("log groups: /aws/lambda/<deployed name> with the retention asked for (14 by default), created before the function", async () => {
    assert.deepEqual(find(rs, T.logGroup, "driver").inputs, { name: "/aws/lambda/driver", retentionInDays: 30 });
    assert.deepEqual(find(rs, T.logGroup, "mapper").inputs, { name: "/aws/lambda/mapper", retentionInDays: 14 });
    assert.deepEqual(find(rs, T.logGroup, "reducer").inputs, { name: "/aws/lambda/reducer", retentionInDays: 0 });
    for (const fn of ["driver", "mapper", "reducer"]) {
      assert.ok(find(rs, T.fn, fn).dependsOn.includes(`${T.logGroup} ${fn}`));
      assert.equal(find(rs, T.logGroup, fn).parent, fn);
    }
    assert.deepEqual(find(rs, T.fn, "driver").inputs.loggingConfig, { logFormat: "JSON", logGroup: "/aws/lambda/driver" });
    assert.deepEqual(find(rs, T.fn, "mapper").inputs.loggingConfig, { logFormat: "Text", logGroup: "/aws/lambda/mapper" });
  });

  it("provisionedConcurrency: a published version, the `live` alias on it, and the provisioned instances on the alias", () => {
    const driver = find(rs, T.fn, "driver").inputs;
    assert.equal(driver.publish, true);
    assert.equal(driver.reservedConcurrentExecutions, 5);
    assert.deepEqual(find(rs, T.alias, "driver-live").inputs, { name: "live", functionName: "driver", functionVersion: "1" });
    assert.deepEqual(find(rs, T.provisioned, "driver-live").inputs, {
      functionName: "driver", qualifier: "live", provisionedConcurrentExecutions: 2,
    });
    assert.ok(find(rs, T.provisioned, "driver-live").dependsOn.includes(`${T.alias} driver-live`));
  });

  it("reservedConcurrency: sent as set, 0 included; left out when unset; no alias without provisioning", () => {
    assert.equal(find(rs, T.fn, "mapper").inputs.reservedConcurrentExecutions, 0);
    assert.equal(find(rs, T.fn, "reducer").inputs.reservedConcurrentExecutions, undefined);
    assert.equal(find(rs, T.fn, "mapper").inputs.publish, undefined);
    assert.deepEqual(rs.filter((r) => r.type === T.alias).map((r) => r.name), ["driver-live"]);
  });

  it("the plan shows the alias, its unknown version, the provisioning, the reservation and each policy statement", async () => {
    const text = planText(await plan(manifestFile(`${MAP_REDUCE}    policies: [access_s3]\n`)));
    assert.match(text, /\+ aws:lambda\/alias:Alias {2}driver-live {2}\(live -> version \(known after deploy\)\)/);
    assert.match(text, /\+ aws:lambda\/provisionedConcurrencyConfig:ProvisionedConcurrencyConfig {2}driver-live {2}\(2 instances on live\)/);
    assert.match(text, /driver, x86_64, 128 MB, 30 s, \/tmp 512 MB, logs JSON, reserved 5, publishes versions\)/);
    assert.match(text, /\(\/aws\/lambda\/reducer, kept forever\)/);
    assert.match(text, /\n {10}Allow s3:GetObject,s3:PutObject,s3:DeleteObject on arn:aws:s3:::lambda-bench-data-[0-9a-f]{7}\/\*\n {10}Allow s3:ListBucket on arn:aws:s3:::lambda-bench-data-[0-9a-f]{7}\n/);
    assert.match(text, /\+ aws:s3\/bucket:Bucket {2}lambda-bench-data {2}\(lambda-bench-data-[0-9a-f]{7} \(autonamed\)\)/);
    assert.doesNotMatch(text, /null/);
    assert.ok(text.includes(UNKNOWN));
  });

  it("the functions output names the alias to invoke when provisioned", async () => {
    const { defineStack } = await import("../src/deploy/program");
    const { loadManifest } = await import("../src/manifest/load");
    const { runUnderMocks } = await import("../src/deploy/mocks");
    const file = manifestFile(MAP_REDUCE);
    let qualifiers: Record<string, unknown> = {};
    await runUnderMocks(async () => {
      const out = await defineStack(loadManifest(file));
      qualifiers = Object.fromEntries(Object.entries(out.functions).map(([k, v]) => [k, v.qualifier]));
    }, { deployed: true, region: REGION });
    assert.deepEqual(qualifiers, { driver: "live", mapper: undefined, reducer: undefined });
  });
});
