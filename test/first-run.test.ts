// What a newcomer meets first: the stand-in answers only the functions it serves (as Lambda does),
// a typo gets the nearest benchmark name, the emulator without --function-name gets a hint,
// --version says which build runs, report checks --html's folder first, and the charts' legends
// list only what is drawn.
import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import type * as net from "node:net";
import * as path from "node:path";
import { cli } from "./run-cli";
import { workspace } from "./fixtures";
import { loadRuns } from "../src/summary/saved-runs";
import { cdfSpec, coldWarmSpec, renderSvg } from "../src/report/charts";
import type { InvocationRecordInput } from "../src/runs/record";
import { withStandin } from "./servers/standin-hooks";

const ROOT = path.resolve(__dirname, "..", "..");
const MANIFEST = path.join(ROOT, "benchmarks.yaml");

describe("first run: the stand-in, suggestions, the emulator hint, --version", function () {
  this.timeout(60_000);
  const h = withStandin({ clearAws: true });
  const at = (...args: string[]) => cli([...args, "--endpoint", h.standin.endpoint, "--manifest", MANIFEST]);

  it("the stand-in serves its functions, each with its own handler's response and log line", async () => {
    const aes = await at("invoke", "aes", "--log", "--json");
    assert.equal(aes.code, 0, aes.err);
    const a = JSON.parse(aes.out);
    assert.equal(a.payload.rounds, 10);
    assert.match(a.payload.digest, /^[0-9a-f]{64}$/);
    assert.match(a.log, /\tINFO\taes: 10 rounds of aes-256-ctr over 16384 bytes/);
    assert.match(a.log, /\nREPORT RequestId: [^\t]+\tDuration: /);
    const hello = await at("invoke", "hello", "--payload", '{"name":"you"}', "--log", "--json");
    assert.equal(hello.code, 0, hello.err);
    const h = JSON.parse(hello.out);
    assert.equal(h.payload.message, "hello, you");
    assert.match(h.log, /\tINFO\thello: hello, you\n/);
  });

  it("the stand-in answers other names as Lambda does: 404 ResourceNotFoundException", async () => {
    const res = await new Promise<{ status: number; type: string; body: string }>((resolve, reject) => {
      const req = http.request(`${h.standin.endpoint}/2015-03-31/functions/hello-x86/invocations`, { method: "POST" }, (r) => {
        let body = "";
        r.on("data", (c) => { body += c; });
        r.on("end", () => resolve({ status: r.statusCode!, type: String(r.headers["x-amzn-errortype"]), body }));
      });
      req.on("error", reject);
      req.end("{}");
    });
    assert.deepEqual(res, {
      status: 404, type: "ResourceNotFoundException",
      body: JSON.stringify({ message: "Function not found: arn:aws:lambda:us-east-1:123456789012:function:hello-x86" }),
    });
    // hello-x86 is a benchmark of the manifest, deployed nowhere here: no suggestion, the fix.
    const r = await at("invoke", "hello-x86");
    assert.equal(r.code, 1);
    assert.equal(r.out, "");
    assert.equal(r.err, `lambda-bench: function hello-x86 not found at ${h.standin.endpoint} in us-east-1: check the name and --region, or deploy it with \`pulumi up\`\n`);
  });

  it("invoke, measure and sweep suggest the nearest benchmark name on a miss", async () => {
    for (const [args, name, near] of [[["invoke", "ae"], "ae", "aes"], [["measure", "helo", "-n", "2"], "helo", "hello"],
      [["sweep", "aes-x", "--memory", "128,256"], "aes-x", "aes"]] as const) {
      const r = await at(...args);
      assert.equal(r.code, 1, args.join(" "));
      assert.equal(r.out, "");
      assert.equal(r.err, `lambda-bench: function ${name} not found at ${h.standin.endpoint} in us-east-1 (did you mean "${near}"?): ` +
        "check the name and --region, or deploy it with `pulumi up`\n");
    }
    const far = await at("invoke", "nothing-like-any");
    assert.doesNotMatch(far.err, /did you mean/);
  });

  it("a plain-text 404 (the runtime interface emulator, another name than `function`) gets the --function-name hint", async () => {
    // The emulator's answer to any path but its own function's: Go's plain-text 404.
    const server = http.createServer((_req, res) => {
      res.writeHead(404, { "content-type": "text/plain; charset=utf-8" });
      res.end("404 page not found\n");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
    try {
      const hint = `not the Lambda Invoke API at ${url}; for the runtime interface emulator add --function-name function`;
      const inv = await cli(["invoke", "hello", "--endpoint", url, "--manifest", MANIFEST]);
      assert.equal(inv.code, 1);
      assert.equal(inv.err, `lambda-bench: ${hint}\n`);
      const m = await cli(["measure", "hello", "-n", "3", "--endpoint", url, "--manifest", MANIFEST]);
      assert.equal(m.code, 1);
      assert.equal(m.out, "", "no empty summary before the error");
      assert.equal(m.err, `lambda-bench: stopped after 0 invocations: ${hint}\n`);
      const named = await cli(["invoke", "hello", "--endpoint", url, "--function-name", "function"]);
      assert.equal(named.err, `lambda-bench: not the Lambda Invoke API at ${url}\n`);
    } finally {
      server.close();
    }
  });

  it("--version and -V print the package version and the checkout's git commit", async () => {
    const version = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).version;
    let commit: string | undefined;
    try {
      commit = execFileSync("git", ["rev-parse", "HEAD"], { cwd: ROOT, encoding: "utf8" }).trim();
    } catch { /* not a checkout: the version alone */ }
    for (const flag of ["--version", "-V"]) {
      const r = await cli([flag]);
      assert.equal(r.code, 0);
      assert.equal(r.out, `lambda-bench ${version}${commit ? ` (git ${commit.slice(0, 12)})` : ""}\n`);
    }
  });
});

function record(benchmark: string, i: number, cold: boolean): InvocationRecordInput {
  const durationMs = 10 + (i % 7);
  return {
    benchmark, function: benchmark, region: "us-east-1", architecture: "arm64", configMemoryMb: 128,
    requestId: `${benchmark}-${i}`, start: "2026-11-24T10:00:00.000Z", clientMs: durationMs + 5 + (cold ? 200 : 0),
    status: 200, functionError: null, error: null, retries: 0, throttles: 0, forcedCold: cold, cold,
    durationMs, billedMs: Math.ceil(durationMs), memoryMb: 128, maxMemoryMb: 70, initMs: cold ? 180 : null,
    restoreMs: null, reportStatus: null, errorType: null, costUsd: 1e-6,
  };
}

describe("report: --html's folder, CDF panels and legends", function () {
  this.timeout(60_000);
  const dir = workspace();
  const warmOnly = path.join(dir, "warm.jsonl");
  before(() => fs.writeFileSync(warmOnly, Array.from({ length: 20 }, (_, i) => `${JSON.stringify(record("warm", i, false))}\n`).join("")));

  it("--html into a missing folder fails before any input is read", async () => {
    const r = await cli(["report", path.join(dir, "not-there.jsonl"), "--html", path.join(dir, "nodir", "x.html")]);
    assert.equal(r.code, 1);
    assert.equal(r.out, "");
    assert.equal(r.err, `lambda-bench: cannot write ${path.join(dir, "nodir", "x.html")}: folder ${path.join(dir, "nodir")} does not exist\n`);
  });

  it("a report with no cold start has no \"cold\" in its legend; the CDF has a panel per run", async () => {
    const { runs } = await loadRuns([warmOnly]);
    const bars = await renderSvg(coldWarmSpec(runs));
    assert.match(bars, />warm</);
    assert.doesNotMatch(bars, />cold</);
    const cdf = await renderSvg(cdfSpec(runs));
    assert.match(cdf, />warm 128 MB</, "the run's panel header");
    assert.match(cdf, />client</);
    assert.match(cdf, />duration</);
  });
});
