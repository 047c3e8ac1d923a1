// One test per manifest rule of DESIGN section 2: each asserts the exact line, column and text.
import { strict as assert } from "node:assert";
import * as path from "node:path";
import { loadManifest, ManifestInvalid } from "../src/manifest/load";
import { errorsOf, manifestFile, validOf, yaml } from "./fixtures";

/** A valid one-benchmark manifest; `extra` lines (indented 4) are added to the benchmark. */
const ok = (extra = "") =>
  `benchmarks:\n  - function: aes\n    build: { context: app, dockerfile: docker/Dockerfile.Lambda }\n${extra}\n`;

describe("manifest: structure", () => {
  it("accepts a minimal manifest and applies the documented defaults", () => {
    const [b] = validOf(ok()).benchmarks;
    assert.equal(b.function, "aes");
    assert.equal(b.repo, "aes");
    assert.equal(b.tag, "latest");
    assert.equal(b.platform, "linux/amd64");
    assert.equal(b.architecture, "x86_64");
    assert.equal(b.memory, 128);
    assert.equal(b.timeout, 30);
    assert.equal(b.ephemeralStorage, undefined);
    assert.deepEqual(b.policies, []);
    assert.deepEqual(b.env, {});
    assert.match(b.build.dockerfile, /app[\\/]docker[\\/]Dockerfile\.Lambda$/);
  });

  it("rejects unknown top-level keys with a suggestion", () => {
    assert.deepEqual(errorsOf("benchmark: []\n"), [
      "1:1: benchmarks must be a list of benchmarks; got nothing",
      "1:1: unknown key \"benchmark\" (did you mean \"benchmarks\"?); allowed here: defaults, benchmarks, generator",
    ]);
  });

  it("requires benchmarks to be a non-empty list", () => {
    assert.deepEqual(errorsOf("benchmarks: []\n"), ["1:13: benchmarks must list at least one benchmark"]);
    assert.deepEqual(errorsOf("benchmarks: {a: 1}\n"), ["1:13: benchmarks must be a list of benchmarks; got a map"]);
  });

  it("reports an empty file at 1:1", () => {
    assert.deepEqual(errorsOf(""), ["1:1: a manifest is a map with defaults and benchmarks; got null"]);
  });

  it("reports unknown keys in a benchmark, in build and in defaults, each with did-you-mean", () => {
    assert.deepEqual(errorsOf(yaml`
      defaults:
        memroy: 256
      benchmarks:
        - function: aes
          polices: [access_s3]
          build: { context: app, dockerfil: Dockerfile }
    `), [
      "2:3: unknown key \"memroy\" (did you mean \"memory\"?); allowed here: tag, build, platform, memory, timeout, ephemeralStorage, policies, env, logRetention, logFormat",
      "5:5: unknown key \"polices\" (did you mean \"policies\"?); allowed here: function, repo, tag, build, platform, memory, timeout, ephemeralStorage, policies, env, logRetention, logFormat, provisionedConcurrency, reservedConcurrency",
      "6:28: unknown key \"dockerfil\" (did you mean \"dockerfile\"?); allowed here: context, dockerfile, args, target",
    ]);
  });

  it("offers no suggestion for a key that is nothing like a known one", () => {
    assert.deepEqual(errorsOf(ok("    zzzzzz: 1")), [
      "4:5: unknown key \"zzzzzz\"; allowed here: function, repo, tag, build, platform, memory, timeout, ephemeralStorage, policies, env, logRetention, logFormat, provisionedConcurrency, reservedConcurrency",
    ]);
  });

  it("reports YAML syntax errors with their position", () => {
    assert.deepEqual(errorsOf("benchmarks:\n  - function: aes\n    memory: : 5\n"), [
      "3:13: YAML syntax: Nested mappings are not allowed in compact mappings",
    ]);
    assert.deepEqual(errorsOf("benchmarks:\n  - function: aes\n\tmemory: 5\n"), ["3:1: YAML syntax: Tabs are not allowed as indentation"]);
  });

  it("reports duplicate keys as YAML errors", () => {
    assert.deepEqual(errorsOf("benchmarks: []\nbenchmarks: []\n").map((e) => e.split(": ")[0]), ["2:1"]);
  });
});

describe("manifest: function and repo", () => {
  it("rejects function names outside [A-Za-z0-9_-]{1,64}", () => {
    assert.deepEqual(errorsOf(yaml`
      benchmarks:
        - function: aes.python
          build: { context: app }
    `), ["2:15: function \"aes.python\" is not a valid Lambda function name: use 1 to 64 letters, digits, '-' or '_'"]);
    assert.equal(errorsOf(`benchmarks:\n  - function: ${"a".repeat(65)}\n    build: {context: app}\n`).length, 1);
    assert.deepEqual(errorsOf(`benchmarks:\n  - function: ${"a".repeat(64)}\n    build: {context: app}\n`), []);
  });

  it("requires function", () => {
    assert.deepEqual(errorsOf("benchmarks:\n  - build: {context: app}\n"), ["2:5: function must be a string; got nothing"]);
  });

  it("rejects a repeated function at the second occurrence", () => {
    assert.deepEqual(errorsOf(yaml`
      benchmarks:
        - function: aes
          build: { context: app }
        - function: aes
          repo: aes-2
          build: { context: app }
    `), ["4:15: function \"aes\" is already defined by benchmark 1: function names must be unique"]);
  });

  it("rejects invalid ECR repository names", () => {
    assert.deepEqual(errorsOf(ok("    repo: Aes_Python")), [
      "4:11: repo \"Aes_Python\" is not a valid ECR repository name: use 2 to 256 lower-case letters and digits, separated by '.', '_', '-' or '/'",
    ]);
    assert.deepEqual(errorsOf(ok("    repo: team/aes--x")).length, 1);
    assert.deepEqual(errorsOf(ok("    repo: team/aes-x.v2")), []);
  });

  it("defaults repo to the lower-cased function name and checks it", () => {
    assert.equal(validOf("benchmarks:\n  - function: AES\n    build: {context: app}\n").benchmarks[0].repo, "aes");
    assert.deepEqual(errorsOf("benchmarks:\n  - function: A\n    build: {context: app}\n"), [
      "2:15: the default repo \"a\" (the function name, lower-cased) is not a valid ECR repository name: set repo explicitly",
    ]);
  });

  it("rejects two benchmarks pushing one repo and tag, including through the default, with both positions", () => {
    assert.deepEqual(errorsOf(yaml`
      benchmarks:
        - function: Aes
          build: { context: app }
        - function: aes
          build: { context: app }
        - function: third
          repo: aes
          build: { context: app }
    `), [
      "4:15: repo \"aes\" with tag \"latest\" is already pushed by benchmark \"Aes\" (2:15): give one of them its own tag or repo",
      "7:11: repo \"aes\" with tag \"latest\" is already pushed by benchmark \"Aes\" (2:15): give one of them its own tag or repo",
    ]);
  });
});

describe("manifest: sizes and platform", () => {
  const cases: [string, string][] = [
    ["memory: lots", "4:13: memory must be a whole number of MB from 128 to 10240; got \"lots\""],
    ["memory: 127", "4:13: memory must be at least 128 MB; got 127"],
    ["memory: 10241", "4:13: memory must be at most 10240 MB; got 10241"],
    ["memory: 512.5", "4:13: memory must be a whole number of MB; got 512.5"],
    ["timeout: 0", "4:14: timeout must be at least 1 seconds; got 0"],
    ["timeout: 901", "4:14: timeout must be at most 900 seconds; got 901"],
    ["ephemeralStorage: 511", "4:23: ephemeralStorage must be at least 512 MB; got 511"],
    ["ephemeralStorage: 10241", "4:23: ephemeralStorage must be at most 10240 MB; got 10241"],
    ["platform: linux/386", "4:15: platform must be linux/amd64 or linux/arm64; got \"linux/386\""],
    ["tag: 'bad tag'", "4:10: tag \"bad tag\" is not a valid image tag: up to 128 letters, digits, '_', '.', '-'"],
  ];
  for (const [line, expected] of cases) {
    it(`rejects ${line}`, () => assert.deepEqual(errorsOf(ok(`    ${line}`)), [expected]));
  }

  it("accepts the bounds", () => {
    const b = validOf(ok("    memory: 10240\n    timeout: 900\n    ephemeralStorage: 10240\n    platform: linux/arm64")).benchmarks[0];
    assert.deepEqual([b.memory, b.timeout, b.ephemeralStorage, b.architecture], [10240, 900, 10240, "arm64"]);
  });
});

describe("manifest: build", () => {
  it("requires build.context, here or in defaults", () => {
    assert.deepEqual(errorsOf("benchmarks:\n  - function: aes\n"), [
      "2:5: benchmark \"aes\" has no build.context: set build: {context: <folder>} here or in defaults",
    ]);
    assert.deepEqual(errorsOf("defaults:\n  build: {context: app}\nbenchmarks:\n  - function: aes\n"), []);
  });

  it("checks the context folder on disk, relative to the manifest", () => {
    const errs = errorsOf("benchmarks:\n  - function: aes\n    build: {context: nope}\n");
    assert.equal(errs.length, 1);
    assert.match(errs[0], /^3:22: build\.context "nope" is not a folder \(looked for .*nope\): build\.context is relative to the manifest's folder$/);
  });

  it("checks the dockerfile on disk, relative to the context, defaulting to Dockerfile", () => {
    const errs = errorsOf("benchmarks:\n  - function: aes\n    build: {context: app, dockerfile: missing.Dockerfile}\n");
    assert.equal(errs.length, 1);
    assert.match(errs[0], /^3:39: dockerfile "missing.Dockerfile" is not a file in build.context \(looked for .*app[\\/]missing\.Dockerfile\)/);
    assert.match(validOf("benchmarks:\n  - function: aes\n    build: {context: app}\n").benchmarks[0].build.dockerfile, /app[\\/]Dockerfile$/);
  });

  it("points at defaults when the bad context came from there", () => {
    const errs = errorsOf("defaults:\n  build: {context: gone}\nbenchmarks:\n  - function: a1\n  - function: b1\n");
    assert.equal(errs.length, 1, "reported once, not once per benchmark");
    assert.match(errs[0], /^2:20: build\.context "gone" is not a folder/);
  });

  it("merges build and args key by key; args become strings with their source text", () => {
    const b = validOf(yaml`
      defaults:
        build: { context: app, args: { a: 1, version: 1.10 } }
      benchmarks:
        - function: aes
          build: { dockerfile: docker/Dockerfile.Lambda, args: { a: two, flag: true }, target: final }
    `).benchmarks[0];
    assert.deepEqual(b.build.args, { a: "two", version: "1.10", flag: "true" });
    assert.equal(b.build.target, "final");
    assert.match(b.build.dockerfile, /Dockerfile\.Lambda$/);
  });

  it("rejects non-scalar build args", () => {
    assert.deepEqual(errorsOf(ok("    tag: v1\n").replace("docker/Dockerfile.Lambda }", "docker/Dockerfile.Lambda, args: { a: [1] } }")), [
      "3:77: a build arg must be a string, number or boolean; got a list",
    ]);
  });
});

describe("manifest: env", () => {
  it("merges defaults and the benchmark key by key, the benchmark winning; scalars become strings", () => {
    const b = validOf(yaml`
      defaults:
        env: { IS_LAMBDA: "true", LEVEL: 1, KEEP: yes }
      benchmarks:
        - function: aes
          build: { context: app }
          env: { LEVEL: 2.50, DEBUG: false }
    `).benchmarks[0];
    assert.deepEqual(b.env, { IS_LAMBDA: "true", LEVEL: "2.50", KEEP: "yes", DEBUG: "false" });
  });

  it("resolves ${function:X} to the deployed name and leaves ${bucket} for the program", () => {
    const m = validOf(yaml`
      benchmarks:
        - function: driver
          build: { context: app }
          env:
            MAPPER: \${function:mapper}
            OUT: s3://\${bucket}/out
        - function: mapper
          build: { context: app }
    `, { namePrefix: "dev-" });
    assert.deepEqual(m.benchmarks[0].env, { MAPPER: "dev-mapper", OUT: "s3://${bucket}/out" });
    assert.equal(m.benchmarks[0].deployedName, "dev-driver");
    assert.equal(m.benchmarks[0].usesBucket, true);
    assert.equal(m.benchmarks[1].usesBucket, false);
  });

  it("rejects references to unknown functions and unknown reference kinds", () => {
    assert.deepEqual(errorsOf(ok("    env:\n      A: ${function:ae}\n      B: ${stack}")), [
      "5:10: env A: ${function:ae} names no function of this manifest (did you mean \"aes\"?)",
      "6:10: env B: unknown reference \"${stack}\": use ${function:NAME} or ${bucket}",
    ]);
  });

  it("rejects bad keys, reserved keys and non-scalar values", () => {
    assert.deepEqual(errorsOf(ok("    env:\n      1ABC: x\n      AWS_REGION: x\n      _HANDLER: x\n      LIST: [1]")), [
      "5:7: env key \"1ABC\" is not valid: start with a letter, then letters, digits or '_'",
      "6:7: env key \"AWS_REGION\" is reserved by Lambda: choose another name",
      "7:7: env key \"_HANDLER\" is not valid: start with a letter, then letters, digits or '_'",
      "8:13: an env value must be a string, number or boolean; got a list",
    ]);
  });

  it("limits env to 4 KB as Lambda counts it, ${bucket} at its longest", () => {
    const fits = "x".repeat(4096 - '{"A":""}'.length);
    assert.deepEqual(errorsOf(ok(`    env:\n      A: ${fits}`)), []);
    assert.deepEqual(errorsOf(ok(`    env:\n      A: ${fits}y`)), [
      "5:7: env of \"aes\" is 4097 bytes as Lambda counts it (JSON of all keys and values, ${bucket} as 63 characters); the limit is 4096: shorten or drop values",
    ]);
    const withBucket = "x".repeat(4096 - '{"A":""}'.length - 63) + "${bucket}";
    assert.deepEqual(errorsOf(ok(`    env:\n      A: "${withBucket}"`)), []);
    assert.equal(errorsOf(ok(`    env:\n      A: "y${withBucket}"`)).length, 1);
  });
});

describe("manifest: every error at once", () => {
  it("collects errors from all benchmarks and rules, sorted by position", () => {
    const errs = errorsOf(yaml`
      benchmarks:
        - function: driver
          build: { context: app }
          memory: lots
          env: { M: "\${function:nope}" }
        - function: driver
          build: { context: nowhere }
          policies: [{invoke_function: [ghost]}]
    `);
    assert.deepEqual(errs.map((e) => e.split(": ")[0]), ["4:13", "5:15", "6:15", "7:23", "8:35"]);
  });

  it("loadManifest throws ManifestInvalid whose message is file:line:col lines", () => {
    const file = manifestFile("benchmarks:\n  - function: a1\n    memory: 1\n    build: {context: app}\n");
    assert.throws(() => loadManifest(file), (err: unknown) => {
      assert.ok(err instanceof ManifestInvalid);
      assert.equal(err.message, `${file}:3:13: memory must be at least 128 MB; got 1`);
      return true;
    });
  });

  it("names a missing file", () => {
    assert.throws(() => loadManifest(path.join("/nonexistent", "b.yaml")), /b\.yaml:1:1: cannot read the manifest: no such file/);
  });
});
