// sweep against moto_server (configuration) and the loopback Invoke server (durations that depend
// on the memory size the function was last given, as CPU-bound code's do).
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { GetFunctionConfigurationCommand } from "@aws-sdk/client-lambda";
import { cli, spawnCli } from "./run-cli";
import { InvocationRecord } from "../src/runs/record";
import { withMotoFunction } from "./servers/moto-hooks";
import { InvokeServer, logTail, type Call } from "../src/standin/invoke-server";
import { workspace } from "./fixtures";
import { Rng } from "../src/rng";
import { choose, formatSweep, StepSampler } from "../src/summary/sweep-choice";
import { RunSummary } from "../src/summary/summary";
import { completeRecord } from "../src/runs/record";

const FN = "lb-sweep";
const ORIGINAL = 512;

/** A CPU-bound function: duration falls with memory, cost per invocation rises. */
const durationAt = (memoryMb: number) => Math.round((50 + 100_000 / memoryMb) * 100) / 100;

function script(call: Call) {
  const memoryMb = call.memoryMb ?? ORIGINAL;
  const durationMs = durationAt(memoryMb);
  const initMs = call.cold ? 150 : undefined;
  return {
    kind: "ok" as const,
    payload: "{}",
    log: logTail(call.requestId, { durationMs, billedMs: Math.ceil(durationMs + (initMs ?? 0)), memoryMb, maxMemoryMb: 70, initMs }),
  };
}

describe("sweep against loopback servers", function () {
  this.timeout(120_000);
  const suite = withMotoFunction(FN, { MemorySize: ORIGINAL, Architectures: ["arm64"], Timeout: 30 });

  const memoryNow = async () => (await suite.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: FN }))).MemorySize;

  it("sets each size, measures, restores the original, and names the cheapest, fastest and balanced sizes", async () => {
    const s = await InvokeServer.start(script, suite.moto.endpoint, "testing");
    const dir = path.join(workspace(), "sweep");
    const sizes = [128, 256, 512, 1024, 2048];
    try {
      const r = await cli(["sweep", FN, "--memory", sizes.join(","), "-n", "20", "-c", "2", "--endpoint", s.endpoint, "--json", "--out", dir]);
      assert.equal(r.code, 0, r.err);
      const j = JSON.parse(r.out);
      assert.deepEqual(j.steps.map((st: { memoryMb: number }) => st.memoryMb), sizes);
      assert.deepEqual(j.steps.map((st: { summary: { memoryMb: number; invocations: number } }) => [st.summary.memoryMb, st.summary.invocations]),
        sizes.map((m) => [m, 20]));
      // Each size's change, then the original put back, in that order; moto agrees.
      assert.deepEqual(s.configUpdates.map((u) => u.body.MemorySize), [...sizes, ORIGINAL]);
      assert.equal(await memoryNow(), ORIGINAL);
      // The choice, computed here from what the server billed: warm invocations only, for speed and
      // for cost (the forced cold start is the tool's doing). Every warm call of a size is alike,
      // so no two sizes are indistinguishable.
      const perInvocation = (m: number, billedMs: number) => (billedMs / 1000) * (m / 1024) * 0.0000133334 + 0.0000002;
      const rows = sizes.map((m) => ({ m, cost: perInvocation(m, Math.ceil(durationAt(m))) * 1e6, duration: durationAt(m) }));
      const maxCost = Math.max(...rows.map((x) => x.cost));
      const maxDuration = Math.max(...rows.map((x) => x.duration));
      const argmin = (f: (x: (typeof rows)[number]) => number) => rows.reduce((a, b) => (f(b) < f(a) ? b : a)).m;
      const cheapest = argmin((x) => x.cost);
      const fastest = argmin((x) => x.duration);
      assert.deepEqual(j.choice, {
        cheapest,
        fastest,
        balanced: argmin((x) => 0.5 * (x.cost / maxCost) + 0.5 * (x.duration / maxDuration)),
        weight: 0.5,
        indistinguishable: { cheapest: [cheapest], fastest: [fastest] },
        excluded: [],
      });
      assert.deepEqual([j.choice.cheapest, j.choice.fastest, j.choice.balanced], [128, 2048, 1024]);
      // The warm cost per 1M is what the table reports, the cold cost beside it.
      for (const [i, m] of sizes.entries()) {
        assert.ok(Math.abs(j.steps[i].summary.cost.byKind.warm.per1MUsd - rows[i].cost) < 1e-6);
        assert.ok(Math.abs(j.steps[i].summary.cost.byKind.cold.per1MUsd - perInvocation(m, Math.ceil(durationAt(m) + 150)) * 1e6) < 1e-6);
      }
      // One JSONL per size, loadable as records, each with the size it ran at.
      // One JSONL per size with its provenance beside it, and the sweep's own meta.json.
      assert.deepEqual(fs.readdirSync(dir).sort(), [...sizes.flatMap((m) => [`${FN}-${m}mb.jsonl`, `${FN}-${m}mb.jsonl.meta.json`]), "meta.json"].sort());
      const meta = JSON.parse(fs.readFileSync(path.join(dir, "meta.json"), "utf8"));
      assert.equal(meta.plan.memory, sizes.join(","));
      assert.equal(JSON.parse(fs.readFileSync(path.join(dir, `${FN}-256mb.jsonl.meta.json`), "utf8")).function.memoryMb, 256);
      for (const m of sizes) {
        const recs = fs.readFileSync(path.join(dir, `${FN}-${m}mb.jsonl`), "utf8").trim().split("\n").map((l) => InvocationRecord.parse(JSON.parse(l)));
        assert.equal(recs.length, 20);
        assert.ok(recs.every((x) => x.configMemoryMb === m && x.memoryMb === m));
      }
    } finally {
      await s.close();
    }
  });

  it("prints the table and the choice as text", async () => {
    const s = await InvokeServer.start(script, suite.moto.endpoint, "testing");
    try {
      const r = await cli(["sweep", FN, "--memory", "128,1024", "-n", "10", "--endpoint", s.endpoint]);
      assert.equal(r.code, 0, r.err);
      const lines = r.out.trimEnd().split("\n");
      assert.equal(lines[0], `${FN} (${FN}, us-east-1, arm64), memory restored to 512 MB`);
      assert.match(lines[1], /^memory MB +n +errors +error rate \[95% CI\] +cold +p50 duration ms +p90 duration ms +p50 cold init ms +warm cost per 1M +cold cost per 1M +cold share$/);
      // 831.25 ms, to the histogram's 3 significant digits; 1 cold start of 10 calls.
      assert.match(lines[2], /^ +128 +10 +0 +0\.0% \[0\.0%, 27\.8%\] +1 +83[01]\.\d\d +83[01]\.\d\d +150\.00 +\$\d+\.\d\d +\$\d+\.\d\d +10\.0%$/);
      assert.match(lines[4], /^cheapest 128 MB  fastest 1024 MB  balanced \d+ MB \(0\.5\*cost\/max cost \+ 0\.5\*duration\/max duration; durations are warm p50s\)$/);
      assert.equal(lines[5], "fastest: 1024 MB is shown better than every other size");
      assert.equal(lines[6], "cheapest: 128 MB is shown better than every other size");
    } finally {
      await s.close();
    }
  });

  it("a size that fails midway stops the sweep, keeps what was measured, and restores the original", async () => {
    const s = await InvokeServer.start(script, suite.moto.endpoint, "testing");
    s.onConfig = (_fn, body) => (body.MemorySize === 1024 ? { kind: "status", status: 400, errorType: "InvalidParameterValueException" } : undefined);
    try {
      const r = await cli(["sweep", FN, "--memory", "128,1024,256", "-n", "5", "--endpoint", s.endpoint, "--json"]);
      assert.equal(r.code, 1);
      assert.equal(r.err, "lambda-bench: stopped at 1024 MB: InvalidParameterValueException (HTTP 400): " +
        "InvalidParameterValueException from the test server; memory restored to 512 MB\n");
      const j = JSON.parse(r.out);
      assert.deepEqual(j.steps.map((st: { memoryMb: number }) => st.memoryMb), [128]);
      assert.deepEqual(s.configUpdates.map((u) => u.body.MemorySize), [128, 1024, ORIGINAL]);
      assert.equal(await memoryNow(), ORIGINAL);
    } finally {
      await s.close();
    }
  });

  it("Ctrl-C mid-sweep: exit 130, the sizes done, memory restored", async () => {
    const s = await InvokeServer.start(script, suite.moto.endpoint, "testing");
    const { child, exited } = spawnCli(["sweep", FN, "--memory", "128,256,1024", "-n", "100000", "--endpoint", s.endpoint, "--json"]);
    s.onServed = (n) => {
      if (n === 30) child.kill("SIGINT");
    };
    const { code, out: stdout, err: stderr } = await exited;
    try {
      assert.equal(code, 130, stderr);
      assert.equal(stderr, "lambda-bench: interrupted after 1 of 3 sizes; memory restored to 512 MB\n");
      const j = JSON.parse(stdout);
      assert.equal(j.interrupted, true);
      assert.equal(j.steps[0].summary.invocations, s.served);
      assert.deepEqual(s.configUpdates.map((u) => u.body.MemorySize), [128, ORIGINAL]);
      assert.equal(await memoryNow(), ORIGINAL);
    } finally {
      await s.close();
    }
  });

  it("durations that stop improving above 1024 MB: 1024 MB is named fastest in each of 20 seeded runs", async function () {
    // Seeded noise (log-sd 0.1) on a duration that halves from 512 to 1024 MB and is flat above:
    // a choice on point estimates names whichever of 1024..3008 MB drew the lowest median.
    this.timeout(300_000);
    const sizes = [512, 1024, 2048, 3008];
    const named: number[] = [];
    const pointFastest: number[] = [];
    for (let seed = 0; seed < 20; seed++) {
      const rng = new Rng(seed);
      const s = await InvokeServer.start((call) => {
        const memoryMb = call.memoryMb ?? ORIGINAL;
        const durationMs = Math.round(100 * Math.max(1, 1024 / memoryMb) * Math.exp(0.1 * rng.normal()) * 100) / 100;
        return { kind: "ok", payload: "{}", log: logTail(call.requestId, { durationMs, billedMs: Math.ceil(durationMs), memoryMb, maxMemoryMb: 70, initMs: call.cold ? 150 : undefined }) };
      }, suite.moto.endpoint, "testing");
      try {
        const r = await cli(["sweep", FN, "--memory", sizes.join(","), "-n", "40", "-c", "4", "--endpoint", s.endpoint, "--json"]);
        assert.equal(r.code, 0, r.err);
        const j = JSON.parse(r.out);
        named.push(j.choice.fastest);
        const p50s = j.steps.map((st: { memoryMb: number; summary: { split: { warm: { durationMs: { p50: number } } } } }) => [st.memoryMb, st.summary.split.warm.durationMs.p50] as const);
        pointFastest.push(p50s.reduce((a: readonly [number, number], b: readonly [number, number]) => (b[1] < a[1] ? b : a))[0]);
        assert.ok(!j.choice.indistinguishable.fastest.includes(512), `seed ${seed}: 512 MB not shown slower`);
      } finally {
        await s.close();
      }
    }
    assert.deepEqual(named, new Array(20).fill(1024), `named ${named.join(",")}`);
    // The old rule would not have been stable: the lowest point estimate moves between the flat sizes.
    assert.ok(new Set(pointFastest).size > 1, `point estimates always named ${pointFastest[0]}`);
  });

  it("bad --memory is a usage error", async () => {
    for (const [arg, msg] of [["128,abc", '"abc"'], ["64", '"64"'], ["128,128", "a size twice"]]) {
      const r = await cli(["sweep", FN, "--memory", arg]);
      assert.equal(r.code, 2, r.err);
      assert.ok(r.err.startsWith("lambda-bench: --memory") && r.err.includes(msg) && !r.err.includes("\n    at "), r.err);
    }
  });
});

describe("sweep choices on intervals", () => {
  // Steps from seeded samples: warm duration halves from 256 to 512 MB and is flat above (the flat
  // sizes draw the same values, so they are equal by construction, not by luck); cost per call is
  // flat up to 512 MB (again the same draws) and doubles with each size above.
  const step = (memoryMb: number, durationMedian: number, durationSeed: number, costMedian: number, costSeed: number) => {
    const durations = new Rng(durationSeed);
    const costs = new Rng(costSeed);
    const sampler = new StepSampler();
    const summary = new RunSummary();
    for (let i = 0; i < 200; i++) {
      const durationMs = Math.round(durationMedian * Math.exp(0.1 * durations.normal()) * 100) / 100;
      const r = completeRecord({
        benchmark: "b", function: "b", region: "us-east-1", architecture: "arm64", configMemoryMb: memoryMb, requestId: null,
        start: "2026-11-25T00:00:00Z", clientMs: durationMs + 5, status: 200, functionError: null, error: null, retries: 0, throttles: 0,
        forcedCold: false, cold: false, durationMs, billedMs: Math.ceil(durationMs), memoryMb, maxMemoryMb: 50, initMs: null,
        restoreMs: null, reportStatus: null, errorType: null, costUsd: costMedian * Math.exp(0.05 * costs.normal()),
      });
      sampler.add(r);
      summary.add(r);
    }
    return { memoryMb, summary: summary.toJson(), samples: sampler.build() };
  };
  const steps = [step(256, 200, 1, 1e-6, 5), step(512, 100, 2, 1e-6, 5), step(1024, 100, 2, 2e-6, 6), step(2048, 100, 2, 4e-6, 7)];

  it("names the smallest size not shown slower (costlier), and lists the sizes it cannot tell apart", () => {
    const c = choose(steps)!;
    assert.equal(c.fastest, 512);
    assert.deepEqual(c.indistinguishable.fastest, [512, 1024, 2048]);
    assert.equal(c.cheapest, 256);
    assert.deepEqual(c.indistinguishable.cheapest, [256, 512]);
    const text = formatSweep(steps, c).split("\n");
    assert.equal(text.at(-2), "fastest: 512, 1024, 2048 MB cannot be told apart (simultaneous 95% intervals of the warm median ratio reach 1); the smallest, 512 MB, is named");
    assert.equal(text.at(-1), "cheapest: 256, 512 MB cannot be told apart (simultaneous 95% intervals of the warm median ratio reach 1); the smallest, 256 MB, is named");
  });

  it("a size whose calls crash fast is never chosen: failed calls are no samples, and it fails more often than the best", () => {
    // 4096 MB: successful calls at half the others' duration, but every fourth call crashes in 1 ms.
    const sampler = new StepSampler();
    const summary = new RunSummary();
    const rng = new Rng(8);
    for (let i = 0; i < 200; i++) {
      const crash = i % 4 === 0;
      const durationMs = crash ? 1 : Math.round(50 * Math.exp(0.1 * rng.normal()) * 100) / 100;
      const r = completeRecord({
        benchmark: "b", function: "b", region: "us-east-1", architecture: "arm64", configMemoryMb: 4096, requestId: null,
        start: "2026-11-25T00:00:00Z", clientMs: durationMs + 5, status: 200, functionError: crash ? "Unhandled" : null, error: null, retries: 0, throttles: 0,
        forcedCold: false, cold: false, durationMs, billedMs: Math.ceil(durationMs), memoryMb: 4096, maxMemoryMb: 50, initMs: null,
        restoreMs: null, reportStatus: null, errorType: null, costUsd: 1e-7,
      });
      sampler.add(r);
      summary.add(r);
    }
    const crashing = { memoryMb: 4096, summary: summary.toJson(), samples: sampler.build() };
    assert.equal(crashing.samples.duration.sorted.length, 150);
    assert.ok(crashing.samples.duration.sorted[0] > 100, "no 1 ms sample");
    const c = choose([...steps, crashing])!;
    assert.deepEqual(c.excluded, [4096]);
    assert.equal(c.fastest, 512);
    assert.equal(c.cheapest, 256);
    assert.equal(c.balanced === 4096, false);
    assert.match(formatSweep([...steps, crashing], c), /\nnot chosen: 4096 MB failed more often than the size that failed least \(error rate 0\.0%\)$/);
  });

  it("without samples, the point estimates decide as before: only exact ties are indistinguishable", () => {
    const c = choose(steps.map(({ samples: _, ...st }) => st))!;
    // The flat sizes drew the same durations: their warm p50s tie exactly, and the smallest is named.
    assert.equal(c.fastest, 512);
    assert.deepEqual(c.indistinguishable.fastest, [512, 1024, 2048]);
    // 256 and 512 MB drew the same costs: a tie, which goes to the smaller size.
    assert.equal(c.cheapest, 256);
    // A flat size 1 ms faster than the others is alone in its place.
    const shifted = choose([steps[0], { ...steps[1], summary: { ...steps[1].summary, split: { ...steps[1].summary.split, warm: { ...steps[1].summary.split.warm, durationMs: { ...steps[1].summary.split.warm.durationMs, p50: 99 } } } } }, steps[2]].map(({ samples: _, ...st }) => st))!;
    assert.deepEqual(shifted.indistinguishable.fastest, [512]);
  });
});

