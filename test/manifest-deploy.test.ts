// The manifest fields of the deploy path: log groups, concurrency, shared repositories, and the
// keys and policies refused with a reason.
import { strict as assert } from "node:assert";
import { errorsOf, validOf, yaml } from "./fixtures";

const one = (extra = "") => `benchmarks:\n  - function: aes\n    build: {context: app}\n${extra}`;

describe("manifest: logs", () => {
  it("logRetention defaults to 14 and logFormat to Text; defaults and entries set them", () => {
    const [b] = validOf(one()).benchmarks;
    assert.equal(b.logRetention, 14);
    assert.equal(b.logFormat, "Text");
    const [c] = validOf(`defaults: { logRetention: 0, logFormat: JSON }\n${one("    logRetention: 3653\n")}`).benchmarks;
    assert.equal(c.logRetention, 3653);
    assert.equal(c.logFormat, "JSON");
  });

  it("logRetention takes only CloudWatch's values; logFormat only Text or JSON", () => {
    const [err] = errorsOf(one("    logRetention: 10\n"));
    assert.match(err, /^4:19: logRetention must be a number of days CloudWatch Logs accepts \(0, 1, 3, 5, 7, 14, 30, .*, 3653; 0 keeps logs forever\); got 10$/);
    assert.deepEqual(errorsOf(one("    logRetention: forever\n")), ["4:19: logRetention must be a number of days; got \"forever\""]);
    assert.deepEqual(errorsOf(one("    logFormat: json\n")), ["4:16: logFormat must be Text or JSON; got \"json\""]);
  });
});

describe("manifest: concurrency", () => {
  it("takes provisionedConcurrency >= 1 and reservedConcurrency >= 0, per benchmark", () => {
    const [b] = validOf(one("    provisionedConcurrency: 2\n    reservedConcurrency: 2\n")).benchmarks;
    assert.equal(b.provisionedConcurrency, 2);
    assert.equal(b.reservedConcurrency, 2);
    assert.equal(validOf(one()).benchmarks[0].provisionedConcurrency, undefined);
    assert.deepEqual(errorsOf(one("    provisionedConcurrency: 0\n    reservedConcurrency: -1\n")), [
      "4:29: provisionedConcurrency must be at least 1; got 0",
      "5:26: reservedConcurrency must be at least 0; got -1",
    ]);
    assert.deepEqual(errorsOf(one("    provisionedConcurrency: 1.5\n")), ["4:29: provisionedConcurrency must be a whole number; got 1.5"]);
  });

  it("refuses more provisioned than reserved concurrency", () => {
    assert.deepEqual(errorsOf(one("    provisionedConcurrency: 3\n    reservedConcurrency: 2\n")), [
      "4:29: provisionedConcurrency 3 is more than reservedConcurrency 2: Lambda provisions at most the reserved concurrency",
    ]);
  });

  it("is not a default: concurrency comes from the account's pool, function by function", () => {
    assert.match(errorsOf(`defaults: { reservedConcurrency: 1 }\n${one()}`)[0], /^1:13: unknown key "reservedConcurrency"/);
  });

  it("snapStart is an error that says why", () => {
    assert.deepEqual(errorsOf(one("    snapStart: PublishedVersions\n")), [
      "4:5: snapStart: SnapStart applies to zip-packaged functions on some runtimes (Java, Python, .NET), not to container images: remove it; provisionedConcurrency keeps instances initialised instead",
    ]);
  });
});

describe("manifest: shared repositories and managed policies", () => {
  it("benchmarks may share a repo with distinct tags, as vSwarm's map-reduce does", () => {
    const m = validOf(yaml`
      benchmarks:
        - function: driver
          repo: map-reduce
          tag: driver
          build: {context: app}
        - function: mapper
          repo: map-reduce
          tag: mapper
          build: {context: app}
    `);
    assert.deepEqual(m.benchmarks.map((b) => `${b.deployedRepo}:${b.tag}`), ["map-reduce:driver", "map-reduce:mapper"]);
  });

  it("the same repo and tag is an error naming both positions", () => {
    assert.deepEqual(errorsOf(yaml`
      defaults: { tag: v1 }
      benchmarks:
        - function: driver
          repo: map-reduce
          build: {context: app}
        - function: mapper
          repo: map-reduce
          build: {context: app}
    `), ["7:11: repo \"map-reduce\" with tag \"v1\" is already pushed by benchmark \"driver\" (1:18): give one of them its own tag or repo"]);
  });

  it("managed refuses AWSLambdaBasicExecutionRole, which every role has", () => {
    assert.deepEqual(errorsOf(one("    policies: [{ managed: [arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole] }]\n")), [
      "4:28: managed names AWSLambdaBasicExecutionRole, which every benchmark's role always has: remove it",
    ]);
  });
});
