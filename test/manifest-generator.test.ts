// The manifest's `generator:` section (issue 28): defaults, each range, unknown keys, the names it
// creates with a namePrefix; each broken rule one error at its exact line and column, all at once.
import { strict as assert } from "node:assert";
import { WINDOW_MAX_MS, MapItem } from "../src/generator/objects";
import { MAX_SHARDS } from "../src/workload/segments";
import { GENERATOR_LIMITS } from "../src/manifest/schema";
import { errorsOf, validOf } from "./fixtures";

/** One benchmark, then the generator section's lines (indented 2 under `generator:`). */
const withGenerator = (...lines: string[]) =>
  `benchmarks:\n  - function: aes\n    build: { context: app }\ngenerator:${lines.length ? `\n${lines.map((l) => `  ${l}`).join("\n")}` : " {}"}\n`;

describe("manifest: generator section", () => {
  it("absent: no generator", () => {
    assert.equal(validOf("benchmarks:\n  - function: aes\n    build: { context: app }\n").generator, undefined);
  });

  it("empty: every default (one vCPU, 100 shards, 840 s windows, arm64) and the names it deploys", () => {
    assert.deepEqual(validOf(withGenerator()).generator, {
      memory: 1769, maxShards: 100, windowSeconds: 840, architecture: "arm64",
      driverName: "lambda-bench-driver", stateMachineName: "lambda-bench-generator",
    });
  });

  it("`generator:` with nothing after it is there: every default", () => {
    const m = validOf("benchmarks:\n  - function: aes\n    build: { context: app }\ngenerator:\n");
    assert.equal(m.generator?.memory, 1769);
    assert.equal(m.generator?.driverName, "lambda-bench-driver");
  });

  it("takes every field", () => {
    const g = validOf(withGenerator("memory: 3008", "maxShards: 10000", "window: 60", "architecture: x86_64"), { namePrefix: "dev-" }).generator;
    assert.deepEqual(g, {
      memory: 3008, maxShards: 10000, windowSeconds: 60, architecture: "x86_64",
      driverName: "dev-lambda-bench-driver", stateMachineName: "dev-lambda-bench-generator",
    });
  });

  it("its limits are the contract's: the longest window, Distributed Map's 10,000 children", () => {
    assert.equal(GENERATOR_LIMITS.window.max * 1000, WINDOW_MAX_MS);
    assert.equal(GENERATOR_LIMITS.maxShards.max, MAX_SHARDS);
    assert.equal(MapItem.shape.windowMs.safeParse(GENERATOR_LIMITS.window.max * 1000).success, true);
  });

  it("each field's range, at the limit and one past, each error at its value", () => {
    assert.deepEqual(errorsOf(withGenerator("memory: 128", "maxShards: 1", "window: 840")), []);
    assert.deepEqual(errorsOf(withGenerator("memory: 10240", "window: 60")), []);
    assert.deepEqual(errorsOf(withGenerator("memory: 127")), ["5:11: generator.memory must be at least 128 MB; got 127"]);
    assert.deepEqual(errorsOf(withGenerator("memory: 10241")), ["5:11: generator.memory must be at most 10240 MB; got 10241"]);
    assert.deepEqual(errorsOf(withGenerator("maxShards: 0")), ["5:14: generator.maxShards must be at least 1 shards; got 0"]);
    assert.deepEqual(errorsOf(withGenerator("maxShards: 10001")), ["5:14: generator.maxShards must be at most 10000 shards; got 10001"]);
    assert.deepEqual(errorsOf(withGenerator("window: 59")), ["5:11: generator.window must be at least 60 seconds; got 59"]);
    assert.deepEqual(errorsOf(withGenerator("window: 841")), ["5:11: generator.window must be at most 840 seconds; got 841"]);
    assert.deepEqual(errorsOf(withGenerator("window: 90.5")), ["5:11: generator.window must be a whole number of seconds; got 90.5"]);
    assert.deepEqual(errorsOf(withGenerator("memory: lots")), ["5:11: generator.memory must be a whole number of MB from 128 to 10240; got \"lots\""]);
    assert.deepEqual(errorsOf(withGenerator("architecture: arm")), ["5:17: generator.architecture must be arm64 or x86_64; got \"arm\""]);
  });

  it("unknown keys get a did-you-mean and the keys allowed", () => {
    assert.deepEqual(errorsOf(withGenerator("memroy: 1024")), [
      "5:3: unknown key \"memroy\" (did you mean \"memory\"?); allowed here: memory, maxShards, window, architecture",
    ]);
    assert.deepEqual(errorsOf(withGenerator("windows: 600")), [
      "5:3: unknown key \"windows\" (did you mean \"window\"?); allowed here: memory, maxShards, window, architecture",
    ]);
  });

  it("a section that is not a map is one error at it", () => {
    assert.deepEqual(errorsOf("benchmarks:\n  - function: aes\n    build: { context: app }\ngenerator: yes\n"), [
      "4:12: generator must be a map with memory, maxShards, window, architecture (or {} for every default); got \"yes\"",
    ]);
  });

  it("a generator alone is not a manifest: benchmarks stay required", () => {
    assert.deepEqual(errorsOf("generator: {}\n"), ["1:1: benchmarks must be a list of benchmarks; got nothing"]);
    assert.deepEqual(errorsOf("benchmarks: []\ngenerator: {}\n"), ["1:13: benchmarks must list at least one benchmark"]);
  });

  it("every error at once, sorted, the benchmark's among them", () => {
    const text = "benchmarks:\n  - function: aes\n    build: { context: app }\n    memory: 1\ngenerator:\n  memory: 1\n  maxShards: 0\n  windw: 600\n  architecture: arm\n";
    assert.deepEqual(errorsOf(text), [
      "4:13: memory must be at least 128 MB; got 1",
      "6:11: generator.memory must be at least 128 MB; got 1",
      "7:14: generator.maxShards must be at least 1 shards; got 0",
      "8:3: unknown key \"windw\" (did you mean \"window\"?); allowed here: memory, maxShards, window, architecture",
      "9:17: generator.architecture must be arm64 or x86_64; got \"arm\"",
    ]);
  });
});

describe("manifest: the generator's names with the prefix", () => {
  it("the driver's function name: a 45-character prefix fits Lambda's 64, 46 does not", () => {
    const driverErrors = (prefix: string) => errorsOf(withGenerator(), { namePrefix: prefix }).filter((e) => e.includes("driver function"));
    assert.deepEqual(driverErrors("p".repeat(45)), []);
    assert.deepEqual(driverErrors("p".repeat(46)), [
      `4:1: the generator's driver function "${"p".repeat(46)}lambda-bench-driver" is 65 characters under namePrefix "${"p".repeat(46)}"; Lambda allows 64: a namePrefix may have at most 45 characters`,
    ]);
  });

  it("the state machine's name: Step Functions' 80 characters, reported beside the driver's", () => {
    const prefix = "p".repeat(59); // the state machine's name is 81 characters
    assert.deepEqual(errorsOf(withGenerator(), { namePrefix: prefix }).filter((e) => e.includes("state machine")), [
      `4:1: the generator's state machine "${prefix}lambda-bench-generator" is 81 characters under namePrefix "${prefix}"; Step Functions allows 80: a namePrefix may have at most 58 characters`,
    ]);
  });

  it("a prefix with characters Lambda and Step Functions refuse", () => {
    assert.deepEqual(errorsOf(withGenerator(), { namePrefix: "dev." }).filter((e) => e.includes("generator")), [
      `4:1: the generator's driver function "dev.lambda-bench-driver" is not a valid Lambda function name under namePrefix "dev.": Lambda allows only letters, digits, '-' and '_'`,
      `4:1: the generator's state machine "dev.lambda-bench-generator" is not a valid Step Functions name under namePrefix "dev.": use only letters, digits, '-' and '_'`,
    ]);
  });

  it("the stack's bucket, which the generator always uses: a prefix S3 refuses, or one past 38 characters", () => {
    assert.deepEqual(errorsOf(withGenerator(), { namePrefix: "p".repeat(38) }), []);
    assert.deepEqual(errorsOf(withGenerator(), { namePrefix: "p".repeat(39) }), [
      `4:1: the generator's bucket is named "${"p".repeat(39)}lambda-bench-data-<7 hex>" under namePrefix "${"p".repeat(39)}": 64 characters; S3 allows 3 to 63; a namePrefix may have at most 38 characters`,
    ]);
    assert.deepEqual(errorsOf(withGenerator(), { namePrefix: "Dev_" }).filter((e) => e.includes("bucket")), [
      `4:1: the generator's bucket is named "dev_lambda-bench-data-<7 hex>" under namePrefix "Dev_": S3 allows only lower-case letters, digits, '.' and '-'`,
    ]);
  });

  it("a benchmark may not take the driver's name, with or without a prefix", () => {
    const text = "benchmarks:\n  - function: aes\n    build: { context: app }\n  - function: lambda-bench-driver\n    build: { context: app }\ngenerator: {}\n";
    assert.deepEqual(errorsOf(text), [
      "4:15: function \"lambda-bench-driver\" is the name of the generator's driver function: give the benchmark another name or remove generator:",
    ]);
    assert.deepEqual(errorsOf(text, { namePrefix: "x-" }).length, 1);
    assert.deepEqual(errorsOf(text.replace("generator: {}\n", "")), [], "without a generator the name is free");
  });
});
