// The CLI as a user runs it: the real bin in a child process, exit codes and output.
import { spawnSync } from "node:child_process";
import { strict as assert } from "node:assert";
import * as path from "node:path";
import { manifestFile } from "./fixtures";

const ROOT = path.resolve(__dirname, "..", "..");
const BIN = path.join(ROOT, "bin", "lambda-bench.js");

function cli(args: string[], cwd = ROOT) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: "utf8" });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const noStackTrace = (s: string) => assert.doesNotMatch(s, /\n\s+at .+\(.*:\d+:\d+\)/);

describe("cli: validate and plan", function () {
  this.timeout(120_000);

  it("validate: the root manifest is valid", () => {
    const r = cli(["validate"]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^benchmarks\.yaml: valid, \d+ benchmarks \(.*hello.*\)\n$/);
  });

  it("validate: a large suite's summary names the first eight and counts the rest", () => {
    const entries = Array.from({ length: 20 }, (_, i) => `  - function: f${i}\n    build: {context: app}\n`).join("");
    const file = manifestFile(`benchmarks:\n${entries}`);
    const r = cli(["validate", file]);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out, `${file}: valid, 20 benchmarks (f0, f1, f2, f3, f4, f5, f6, f7 and 12 more)\n`);
  });

  it("validate: every error, file:line:col, exit 1, no stack trace", () => {
    const file = manifestFile("benchmarks:\n  - function: a1\n    memory: lots\n    polices: []\n    build: {context: app}\n");
    const r = cli(["validate", file]);
    assert.equal(r.code, 1);
    assert.equal(r.out, "");
    assert.deepEqual(r.err.trimEnd().split("\n"), [
      `${file}:3:13: memory must be a whole number of MB from 128 to 10240; got "lots"`,
      `${file}:4:5: unknown key "polices" (did you mean "policies"?); allowed here: function, repo, tag, build, platform, memory, timeout, ephemeralStorage, policies, env, logRetention, logFormat, provisionedConcurrency, reservedConcurrency`,
      "2 errors",
    ]);
  });

  it("validate: a missing file is one line, exit 1", () => {
    const r = cli(["validate", "nope.yaml"]);
    assert.equal(r.code, 1);
    assert.equal(r.err, "nope.yaml:1:1: cannot read the manifest: no such file\n1 error\n");
  });

  it("usage errors: one line, exit 2, no stack trace", () => {
    for (const args of [["plan", "--bogus"], ["frobnicate"], ["validate", "a", "b"]]) {
      const r = cli(args);
      assert.equal(r.code, 2, `${args.join(" ")}: ${r.err}`);
      assert.equal(r.err.trimEnd().split("\n").length, 1, r.err);
      assert.match(r.err, /^error: /);
      noStackTrace(r.err);
    }
  });

  it("plan --json: every resource with type, name, parent and inputs; unknowns \"(known after deploy)\"", () => {
    const r = cli(["plan", "--json"]);
    assert.equal(r.code, 0, r.err);
    const { resources } = JSON.parse(r.out);
    const fns = resources.filter((x: any) => x.type === "aws:lambda/function:Function");
    assert.ok(fns.length >= 2);
    for (const x of resources) assert.deepEqual(Object.keys(x), ["type", "name", "parent", "inputs"]);
    const hello = fns.find((x: any) => x.name === "hello");
    assert.equal(hello.parent, "hello");
    assert.equal(hello.inputs.packageType, "Image");
    assert.deepEqual(hello.inputs.architectures, ["arm64"]);
    assert.equal(hello.inputs.imageUri, "(known after deploy)");
    const bench = resources.find((x: any) => x.type === "lambda-bench:index:Benchmark" && x.name === "hello");
    assert.equal(bench.parent, null);
  });

  it("plan: a tree and a count; an invalid manifest prints errors and registers nothing", () => {
    const r = cli(["plan"]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^\+ aws:ecr\/repository:Repository {2}hello {2}\(hello\)\n\+ lambda-bench:index:Benchmark {2}hello\n {4}\+ aws:cloudwatch\/logGroup:LogGroup {2}hello/m);
    assert.match(r.out, /\n\d+ resources to create: /);
    const bad = manifestFile("benchmarks:\n  - function: a1\n");
    const b = cli(["plan", bad]);
    assert.equal(b.code, 1);
    assert.equal(b.out, "");
    assert.match(b.err, /:2:5: benchmark "a1" has no build.context/);
  });
});
