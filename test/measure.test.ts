// invoke and measure against real servers on loopback: moto_server for the Lambda API
// (GetFunctionConfiguration, UpdateFunctionConfiguration, Invoke), and the tests' own Invoke server
// (proxying the rest to moto) for REPORT tails, cold starts, throttles, 5xx and dropped connections.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { GetFunctionConfigurationCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { cli, spawnCli } from "./run-cli";
import { InvocationRecord } from "../src/runs/record";
import type { SummaryJson } from "../src/summary/summary";
import { invokeMeasured, DEFAULT_RETRY, type Target } from "../src/measure/invoke";
import { pricesFor } from "../src/aws/pricing";
import { applyCredentialAliases } from "../src/aws/lambda";
import { HttpInvoker } from "../src/aws/invoke-http";
import { manifestFile, workspace, yaml } from "./fixtures";
import { withMotoFunction } from "./servers/moto-hooks";
import { TEST_CREDENTIALS, TEST_REGION } from "../src/standin/moto";
import { InvokeServer, logTail, type Call, type ReportValues } from "../src/standin/invoke-server";
import { nearestRank } from "./percentile";

const FN = "lb-hello";
/** The secret the tests sign with; the Invoke server checks every signature against it. */
const SECRET = "testing";

/** Known REPORT values for call n: durations spread so the percentiles are all different. */
function values(call: Call): ReportValues {
  const durationMs = 10 + ((call.n * 37) % 100) + (call.n % 7) / 10;
  return {
    durationMs,
    billedMs: Math.ceil(durationMs) + (call.cold ? 150 : 0),
    memoryMb: 512,
    maxMemoryMb: 60 + (call.n % 9),
    ...(call.cold ? { initMs: 140 + call.n / 4 } : {}),
  };
}

describe("invoke and measure against loopback servers", function () {
  this.timeout(120_000);
  const suite = withMotoFunction(FN, {
    MemorySize: 512, Architectures: ["arm64"], Timeout: 30, Environment: { Variables: { MODE: "bench" } },
  });

  function okWithReport(sent: (ReportValues & { requestId: string })[]) {
    return (call: Call) => {
      const v = values(call);
      sent.push({ ...v, requestId: call.requestId });
      return { kind: "ok" as const, payload: JSON.stringify({ n: call.n }), log: logTail(call.requestId, v) };
    };
  }

  it("invoke resolves a benchmark of the manifest to its deployed name and prints moto's response", async () => {
    const file = manifestFile(yaml`
      benchmarks:
        - function: hello
          build: {context: app}
    `);
    const r = await cli(["invoke", "hello", "--manifest", file, "--name-prefix", "lb-", "--endpoint", suite.moto.endpoint, "--payload", '{"x": 1}']);
    assert.equal(r.code, 0, r.err);
    // moto (without Docker) answers with the event it was given.
    assert.equal(r.out, '{"x": 1}\n');
    assert.equal(r.err, "");
  });

  it("invoke --log --json decodes the log tail; a function error exits 1 with its type and message", async () => {
    const s = await InvokeServer.start((call) => call.functionName === "boom"
      ? { kind: "ok", functionError: "Unhandled", payload: JSON.stringify({ errorType: "Error", errorMessage: "boom at step 3", trace: [] }) }
      : { kind: "ok", payload: '"hi"', log: logTail(call.requestId, { durationMs: 1, billedMs: 2, memoryMb: 128, maxMemoryMb: 30 }) },
    suite.moto.endpoint, SECRET);
    try {
      const ok = await cli(["invoke", FN, "--endpoint", s.endpoint, "--log", "--json"]);
      assert.equal(ok.code, 0, ok.err);
      const j = JSON.parse(ok.out);
      assert.equal(j.statusCode, 200);
      assert.equal(j.payload, "hi");
      assert.match(j.log, /^START RequestId: .*\nREPORT RequestId: [^\t]+\tDuration: 1\.00 ms/ms);
      const bad = await cli(["invoke", "boom", "--endpoint", s.endpoint]);
      assert.equal(bad.code, 1);
      assert.equal(bad.err, "lambda-bench: boom failed (Unhandled): Error: boom at step 3\n");
      assert.equal(s.badSignatures, 0);
    } finally {
      await s.close();
    }
  });

  it("measure: exact counts, percentiles of what the server sent, cost by hand, memory and architecture from the configuration", async () => {
    const sent: (ReportValues & { requestId: string })[] = [];
    const s = await InvokeServer.start(okWithReport(sent), suite.moto.endpoint, SECRET);
    const out = path.join(workspace(), "run.jsonl");
    try {
      const r = await cli(["measure", FN, "-n", "60", "-c", "4", "--endpoint", s.endpoint, "--out", out, "--json"]);
      assert.equal(r.code, 0, r.err);
      assert.equal(r.err, "", "nothing on stderr when it is not a terminal");
      const sum = JSON.parse(r.out) as SummaryJson;
      assert.equal(sum.function, FN);
      assert.equal(sum.memoryMb, 512);
      assert.equal(sum.architecture, "arm64");
      assert.equal(sum.region, TEST_REGION);
      assert.deepEqual([sum.invocations, sum.errors, sum.throttles, sum.retries, sum.cold, sum.warm], [60, 0, 0, 0, 1, 59]);
      assert.equal(sent.length, 60);
      for (const key of ["durationMs", "billedMs", "maxMemoryMb"] as const) {
        const vals = sent.map((v) => v[key]);
        for (const p of [50, 90, 99] as const) {
          const want = nearestRank(vals, p);
          assert.ok(Math.abs(sum[key][`p${p}`]! - want) <= want * 1e-3, `${key} p${p}: ${sum[key][`p${p}`]} vs ${want}`);
        }
        assert.equal(sum[key].max, Math.max(...vals));
      }
      assert.equal(sum.initMs.n, 1);
      assert.equal(sum.initMs.max, sent.find((v) => v.initMs !== undefined)!.initMs);
      // Hand-computed: billed seconds x 0.5 GB x the arm64 price, plus $0.20 per million requests.
      const gbSeconds = sent.reduce((a, v) => a + (v.billedMs / 1000) * 0.5, 0);
      const total = gbSeconds * 0.0000133334 + 60 * 0.0000002;
      assert.ok(Math.abs(sum.cost.totalUsd! - total) < 1e-15, `${sum.cost.totalUsd} vs ${total}`);
      assert.ok(Math.abs(sum.cost.per1MUsd! - (total / 60) * 1e6) < 1e-9);
      // The JSONL holds every invocation once, each line a valid record matching what was sent.
      const lines = fs.readFileSync(out, "utf8").split("\n");
      assert.equal(lines.pop(), "");
      const records = lines.map((l) => InvocationRecord.parse(JSON.parse(l)));
      assert.equal(records.length, 60);
      const byId = new Map(sent.map((v) => [v.requestId, v]));
      for (const rec of records) {
        const v = byId.get(rec.requestId!);
        assert.ok(v, `record for an unknown request ${rec.requestId}`);
        assert.equal(rec.durationMs, Number(v.durationMs.toFixed(2)));
        assert.equal(rec.billedMs, v.billedMs);
        assert.equal(rec.cold, v.initMs !== undefined);
      }
    } finally {
      await s.close();
    }
  });

  it("measure --cold K: K configuration changes through moto, K cold starts, original environment restored", async () => {
    const sent: (ReportValues & { requestId: string })[] = [];
    const s = await InvokeServer.start(okWithReport(sent), suite.moto.endpoint, SECRET);
    const before = await suite.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: FN }));
    try {
      const r = await cli(["measure", FN, "-n", "10", "--cold", "3", "--endpoint", s.endpoint, "--json"]);
      assert.equal(r.code, 0, r.err);
      const sum = JSON.parse(r.out) as SummaryJson;
      assert.deepEqual([sum.invocations, sum.cold, sum.warm], [10, 3, 7]);
      assert.equal(sum.split.cold.initMs.n, 3);
      assert.equal(sum.split.warm.initMs.n, 0);
      assert.equal(sum.split.cold.durationMs.n + sum.split.warm.durationMs.n, 10);
      const after = await suite.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: FN }));
      assert.deepEqual(after.Environment?.Variables, before.Environment?.Variables);
      assert.deepEqual(after.Environment?.Variables, { MODE: "bench" });
      assert.equal(after.LastUpdateStatus, "Successful");
    } finally {
      await s.close();
    }
  });

  it("measure: throttles (Retry-After), 5xx, resets and client timeouts are retried and counted; function errors are results", async () => {
    const sent: (ReportValues & { requestId: string })[] = [];
    const ok = okWithReport(sent);
    let hung = false;
    let functionErrors = 0;
    const s = await InvokeServer.start((call) => {
      if (call.n % 5 === 1) return { kind: "throttle", retryAfter: 0 };
      if (call.n % 7 === 3) return { kind: "status", status: 503, errorType: "ServiceException" };
      if (call.n % 11 === 5) return { kind: "reset" };
      if (call.n === 20 && !hung) {
        hung = true;
        return { kind: "hang" };
      }
      const reply = ok(call);
      if (call.n % 13 !== 0) return reply;
      functionErrors++;
      return { ...reply, functionError: "Unhandled", payload: '{"errorType":"Error","errorMessage":"x"}' };
    }, suite.moto.endpoint, SECRET);
    try {
      const r = await cli(["measure", FN, "-n", "40", "-c", "3", "--endpoint", s.endpoint, "--json", "--client-timeout", "500"]);
      assert.equal(r.code, 0, r.err);
      const sum = JSON.parse(r.out) as SummaryJson;
      const statuses = s.calls.map((c) => c.status);
      const count = (st: number) => statuses.filter((x) => x === st).length;
      assert.equal(sum.invocations, 40);
      assert.equal(s.served, 40);
      assert.equal(s.badSignatures, 0, "every signature, including those reused within a second, is valid");
      assert.equal(sum.throttles, count(429));
      assert.ok(count(429) > 0 && count(503) > 0 && count(0) > 0 && count(-1) === 1);
      assert.equal(sum.retries, count(429) + count(503) + count(0) + count(-1));
      // A function error is a result: counted and not retried; but no sample (issue 26: a crash's
      // duration would pass for a fast call), so durations are of the successful calls only.
      assert.ok(functionErrors > 0);
      assert.equal(sum.errors, functionErrors);
      assert.equal(sum.errorRates.function.count, functionErrors);
      assert.equal(sum.durationMs.n, 40 - functionErrors);
    } finally {
      await s.close();
    }
  });

  it("measure: a throttle that outlasts the retries is a counted error, and the run goes on", async () => {
    const s = await InvokeServer.start(() => ({ kind: "throttle", retryAfter: 0 }), suite.moto.endpoint, SECRET);
    const out = path.join(workspace(), "throttled.jsonl");
    try {
      const r = await cli(["measure", FN, "-n", "5", "--retries", "2", "--endpoint", s.endpoint, "--json", "--out", out]);
      assert.equal(r.code, 0, r.err);
      const sum = JSON.parse(r.out) as SummaryJson;
      assert.deepEqual([sum.invocations, sum.errors, sum.throttles, sum.retries], [5, 5, 15, 10]);
      assert.equal(s.received, 15);
      const recs = fs.readFileSync(out, "utf8").trim().split("\n").map((l) => InvocationRecord.parse(JSON.parse(l)));
      assert.ok(recs.every((x) => x.status === 429 && /^TooManyRequestsException/.test(x.error!)));
      assert.equal(sum.cost.totalUsd, null);
    } finally {
      await s.close();
    }
  });

  it("Retry-After is honoured: the wait is the server's, not the backoff's", async () => {
    let n = 0;
    const s = await InvokeServer.start((call) => (n++ < 2 ? { kind: "throttle", retryAfter: 3 } : okWithReport([])(call)));
    const waits: number[] = [];
    const client = new LambdaClient({ endpoint: s.endpoint, region: TEST_REGION, credentials: TEST_CREDENTIALS, maxAttempts: 1 });
    const invoker = new HttpInvoker(client, FN, { maxSockets: 1, timeoutMs: 5000 });
    const target: Target = {
      benchmark: "b", functionName: FN, region: TEST_REGION, architecture: "arm64", memoryMb: 512, ephemeralMb: 512,
      prices: pricesFor(TEST_REGION).prices,
    };
    try {
      const rec = await invokeMeasured(invoker, target, Buffer.from("{}"), {
        retry: { ...DEFAULT_RETRY, sleep: async (ms) => { waits.push(ms); } },
      });
      assert.deepEqual(waits, [3000, 3000]);
      assert.deepEqual([rec.retries, rec.throttles, rec.status, rec.error], [2, 2, 200, null]);
    } finally {
      invoker.close();
      client.destroy();
      await s.close();
    }
  });

  it("measure interrupted by Ctrl-C: exit 130, the summary of what completed, and a JSONL of exactly those", async () => {
    const s = await InvokeServer.start(okWithReport([]), suite.moto.endpoint, SECRET);
    const out = path.join(workspace(), "interrupted.jsonl");
    const { child, exited } = spawnCli(["measure", FN, "-n", "100000", "-c", "4", "--endpoint", s.endpoint, "--out", out, "--json"]);
    s.onServed = (served) => {
      if (served === 50) child.kill("SIGINT");
    };
    const { code, out: stdout, err: stderr } = await exited;
    try {
      assert.equal(code, 130, stderr);
      const sum = JSON.parse(stdout) as SummaryJson;
      assert.equal(sum.interrupted, true);
      const lines = fs.readFileSync(out, "utf8").split("\n");
      assert.equal(lines.pop(), "", "the file ends with a whole line");
      lines.forEach((l) => InvocationRecord.parse(JSON.parse(l)));
      assert.ok(sum.invocations >= 50 && sum.invocations < 100000);
      assert.equal(lines.length, sum.invocations);
      assert.equal(s.served, sum.invocations, "every invocation the server answered is in the file");
      assert.equal(stderr, `lambda-bench: interrupted: ${sum.invocations} invocations completed, all in ${out}\n`);
    } finally {
      await s.close();
    }
  });

  it("bad input and missing things: one line, the right exit code, no stack trace", async () => {
    // moto answers Invoke of an unknown function with the event; real Lambda says 404, as this server does.
    const missing = await InvokeServer.start(() => ({ kind: "status", status: 404, errorType: "ResourceNotFoundException" }));
    const cases: [string[], number, RegExp][] = [
      [["measure", FN, "-n", "0"], 2, /^lambda-bench: -n must be a whole number >= 1; got "0"\n$/],
      [["measure", FN, "-n", "5", "--cold", "6"], 2, /^lambda-bench: --cold 6 is more than -n 5: cold starts count within -n\n$/],
      [["invoke", FN, "--payload", "{nope"], 2, /^lambda-bench: --payload is not JSON \(.*\); pass a JSON document or @file\.json\n$/],
      [["invoke", FN, "--payload", "@/no/such/file.json"], 2, /^lambda-bench: cannot read payload file \/no\/such\/file\.json: no such file\n$/],
      [["invoke", "nope", "--endpoint", missing.endpoint], 1, /^lambda-bench: function nope not found at http:\/\/127\.0\.0\.1:\d+ in us-east-1: check the name and --region, or deploy it with `pulumi up`\n$/],
      [["measure", "nope", "--endpoint", suite.moto.endpoint], 1, /^lambda-bench: function nope not found at http:\/\/127\.0\.0\.1:\d+ in us-east-1: /],
      [["invoke", FN, "--manifest", "/no/such/benchmarks.yaml"], 1, /^lambda-bench: manifest \/no\/such\/benchmarks\.yaml not found: pass --manifest with an existing file\n$/],
    ];
    try {
      for (const [args, code, err] of cases) {
        const r = await cli(args);
        assert.equal(r.code, code, `${args.join(" ")}: ${r.err}`);
        assert.match(r.err, err);
        assert.equal(r.out, "");
      }
    } finally {
      await missing.close();
    }
  });

  it("takes the seed's AWS_ACCESS_KEY / AWS_SECRET_KEY names as aliases", async () => {
    const env: NodeJS.ProcessEnv = { AWS_ACCESS_KEY: "AKIASEED", AWS_SECRET_KEY: "seedsecret" };
    applyCredentialAliases(env);
    assert.deepEqual([env.AWS_ACCESS_KEY_ID, env.AWS_SECRET_ACCESS_KEY], ["AKIASEED", "seedsecret"]);
    const explicit: NodeJS.ProcessEnv = { AWS_ACCESS_KEY: "seed", AWS_ACCESS_KEY_ID: "real" };
    applyCredentialAliases(explicit);
    assert.equal(explicit.AWS_ACCESS_KEY_ID, "real");
    // End to end: the request is signed with the alias's key.
    const s = await InvokeServer.start(() => ({ kind: "ok", payload: "1" }), undefined, "x");
    const { code } = await spawnCli(["invoke", FN, "--endpoint", s.endpoint], {
      env: { PATH: process.env.PATH, AWS_ACCESS_KEY: "AKIASEEDALIAS", AWS_SECRET_KEY: "x", AWS_REGION: TEST_REGION,
        AWS_CONFIG_FILE: "/nonexistent", AWS_SHARED_CREDENTIALS_FILE: "/nonexistent" },
    }).exited;
    await s.close();
    assert.equal(code, 0);
    assert.deepEqual([...s.accessKeys], ["AKIASEEDALIAS"]);
    assert.equal(s.badSignatures, 0);
  });

  it("the server's signature check is real: a request signed with another secret is refused", async () => {
    const s = await InvokeServer.start(() => ({ kind: "ok", payload: "1" }), suite.moto.endpoint, "not-the-secret");
    try {
      const r = await cli(["measure", FN, "-n", "3", "--endpoint", s.endpoint]);
      assert.equal(r.code, 1);
      assert.match(r.err, /^lambda-bench: InvalidSignatureException: The request signature we calculated does not match.* \(check the credentials and --profile\)\n$/);
      assert.ok(s.badSignatures > 0);
    } finally {
      await s.close();
    }
  });

  it("an endpoint that serves only Invoke (the runtime interface emulator): the manifest's memory and architecture, no --cold", async () => {
    const s = await InvokeServer.start(okWithReport([]), undefined, SECRET);
    const file = manifestFile(yaml`
      benchmarks:
        - function: aes
          memory: 2048
          platform: linux/arm64
          build: {context: app}
    `);
    try {
      const r = await cli(["measure", "aes", "--manifest", file, "--function-name", "function", "-n", "5", "--endpoint", s.endpoint, "--json"]);
      assert.equal(r.code, 0, r.err);
      const sum = JSON.parse(r.out) as SummaryJson;
      assert.deepEqual([sum.benchmark, sum.function, sum.invocations, sum.memoryMb, sum.architecture], ["aes", "function", 5, 2048, "arm64"]);
      assert.deepEqual(new Set(s.calls.map((c) => c.functionName)), new Set(["function"]));
      const cold = await cli(["measure", "aes", "--manifest", file, "--function-name", "function", "--cold", "1", "--endpoint", s.endpoint]);
      assert.equal(cold.code, 2);
      assert.equal(cold.err, `lambda-bench: --cold needs GetFunctionConfiguration and UpdateFunctionConfiguration, which ${s.endpoint} does not serve\n`);
    } finally {
      await s.close();
    }
  });

  it("no region anywhere: one line saying how to give one", async () => {
    const r = await spawnCli(["invoke", FN], {
      env: { PATH: process.env.PATH, AWS_ACCESS_KEY_ID: "x", AWS_SECRET_ACCESS_KEY: "x", AWS_CONFIG_FILE: "/nonexistent",
        AWS_SHARED_CREDENTIALS_FILE: "/nonexistent" },
      cwd: os.tmpdir(),
    }).exited;
    assert.equal(r.code, 1);
    assert.equal(r.err, "lambda-bench: no AWS region: pass --region or set AWS_REGION\n");
  });
});
