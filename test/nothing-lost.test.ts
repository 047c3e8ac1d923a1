// Nothing lost (issue 27): --out never overwrites a run (refused before anything is changed or
// invoked, with --force and a free name in the error), a sweep folder that holds runs likewise,
// an interrupted run says so in its provenance, in `report` (text and HTML) and in `compare`,
// which refuses it for --fail-if-slower unless --allow-partial, and `report` shows two sweeps of
// one function in one folder as two.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { GetFunctionConfigurationCommand } from "@aws-sdk/client-lambda";
import { cli, spawnCli } from "./run-cli";
import { withMotoFunction } from "./servers/moto-hooks";
import { InvokeServer, logTail, type Call } from "../src/standin/invoke-server";
import type { Provenance } from "../src/runs/provenance";
import { workspace } from "./fixtures";

const FN = "lb-nothing-lost";

function script(call: Call) {
  const memoryMb = call.memoryMb ?? 512;
  const durationMs = 10 + 1000 / memoryMb;
  return { kind: "ok" as const, payload: "{}", log: logTail(call.requestId, { durationMs, billedMs: Math.ceil(durationMs), memoryMb, maxMemoryMb: 70 }) };
}

describe("nothing lost: --out, --force, interrupted runs in report and compare", function () {
  this.timeout(120_000);
  const suite = withMotoFunction(FN, { MemorySize: 512, Architectures: ["arm64"], Timeout: 30 });
  let s: InvokeServer;
  before(async () => { s = await InvokeServer.start(script, suite.moto.endpoint, "testing"); });
  after(async () => { await s?.close(); });
  const at = (...args: string[]) => cli([...args, "--endpoint", s.endpoint]);

  it("measure --out to an existing run: refused before any call, naming --force and a free name; --force replaces it", async () => {
    const dir = workspace();
    const file = path.join(dir, "hello.jsonl");
    assert.equal((await at("measure", FN, "-n", "8", "--out", file)).code, 0);
    const before = fs.readFileSync(file, "utf8");
    const served = s.served;
    const r = await at("measure", FN, "-n", "3", "--cold", "1", "--out", file);
    assert.equal(r.code, 1);
    assert.equal(r.err, `lambda-bench: --out ${file} already exists: pass --force to replace it, or write to ${path.join(dir, "hello-2.jsonl")}\n`);
    assert.equal(s.served, served, "nothing invoked");
    assert.equal(s.configUpdates.length, 0, "nothing changed");
    assert.equal(fs.readFileSync(file, "utf8"), before, "the run is untouched");
    const forced = await at("measure", FN, "-n", "3", "--out", file, "--force");
    assert.equal(forced.code, 0, forced.err);
    assert.equal(fs.readFileSync(file, "utf8").trimEnd().split("\n").length, 3);
    const p = JSON.parse(fs.readFileSync(`${file}.meta.json`, "utf8")) as Provenance;
    assert.deepEqual([p.schema, p.interrupted, p.calls], [2, null, { planned: 3, done: 3 }]);
  });

  it("idle and --interleave refuse an existing run too", async () => {
    const dir = workspace();
    const file = path.join(dir, "x.jsonl");
    fs.writeFileSync(file, "");
    const idle = await at("idle", FN, "--after", "1ms", "--repeat", "1", "--out", file);
    assert.match(idle.err, /^lambda-bench: --out .*x\.jsonl already exists: pass --force to replace it, or write to .*x-2\.jsonl\n$/);
    fs.writeFileSync(path.join(dir, "il-1024mb.jsonl"), "");
    const il = await at("measure", FN, "-n", "2", "--repeat", "2", "--interleave", "1024,2048", "--out", path.join(dir, "il.jsonl"));
    assert.equal(il.err, `lambda-bench: --out ${path.join(dir, "il-1024mb.jsonl")} already exists: pass --force to replace it, or pass --out ${path.join(dir, "il-2.jsonl")}\n`);
  });

  it("sweep --out into a folder holding runs: refused; --force replaces this sweep's files only; report shows the two sweeps apart", async () => {
    const dir = path.join(workspace(), "aes-sweep");
    assert.equal((await at("sweep", FN, "--memory", "256,512", "-n", "4", "--out", dir)).code, 0);
    const updates = s.configUpdates.length;
    const r = await at("sweep", FN, "--memory", "512,1024", "-n", "4", "--out", dir);
    assert.equal(r.err, `lambda-bench: --out ${dir} already holds runs: pass --force to replace this sweep's files in it, or write to ${dir}-2\n`);
    assert.equal(s.configUpdates.length, updates, "no size was set");
    const forced = await at("sweep", FN, "--memory", "512,1024,2048", "-n", "4", "--out", dir, "--force");
    assert.equal(forced.code, 0, forced.err);
    assert.deepEqual(fs.readdirSync(dir).filter((f) => f.endsWith(".jsonl")).sort(),
      [`${FN}-1024mb.jsonl`, `${FN}-2048mb.jsonl`, `${FN}-256mb.jsonl`, `${FN}-512mb.jsonl`]);
    const report = await cli(["report", dir]);
    assert.equal(report.code, 0, report.err);
    const heads = report.out.split("\n").filter((l) => l.startsWith("== sweep:"));
    // The first sweep keeps only 256 MB (its 512 MB was replaced): one size is no sweep. The second is one.
    assert.deepEqual(heads, [`== sweep: ${FN} (${FN})`]);
    assert.match(report.out, /== sweep: .*\n.*\n +512 .*\n +1024 .*\n +2048 /);
    // A third sweep at other sizes beside them, by hand (a copy): two sweeps of one function, shown as two.
    for (const m of [128, 3008]) {
      const f = path.join(dir, `${FN}-${m}mb.jsonl`);
      fs.writeFileSync(f, fs.readFileSync(path.join(dir, `${FN}-256mb.jsonl`), "utf8").replaceAll('"configMemoryMb":256', `"configMemoryMb":${m}`).replaceAll('"memoryMb":256', `"memoryMb":${m}`));
      fs.copyFileSync(path.join(dir, `${FN}-256mb.jsonl.meta.json`), `${f}.meta.json`);
    }
    const two = await cli(["report", dir]);
    const twoHeads = two.out.split("\n").filter((l) => l.startsWith("== sweep:"));
    assert.equal(twoHeads.length, 2, two.out);
    assert.ok(twoHeads.every((h) => /, run [0-9a-f]{8}$/.test(h)), twoHeads.join("\n"));
    assert.equal(await suite.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: FN })).then((c) => c.MemorySize), 512);
  });

  it("an interrupted run: its provenance says so, report marks it (text and HTML), compare notes it and refuses it as a gate", async () => {
    const dir = workspace();
    const whole = path.join(dir, "whole.jsonl");
    const cut = path.join(dir, "cut.jsonl");
    assert.equal((await at("measure", FN, "-n", "20", "--out", whole)).code, 0);
    const { child, exited } = spawnCli(["measure", FN, "-n", "100000", "-c", "2", "--endpoint", s.endpoint, "--out", cut], { env: { ...process.env } });
    const start = s.served;
    s.onServed = (n) => { if (n === start + 40) child.kill("SIGTERM"); };
    const r = await exited;
    s.onServed = undefined;
    assert.equal(r.code, 143, r.err);
    const p = JSON.parse(fs.readFileSync(`${cut}.meta.json`, "utf8")) as Provenance;
    const done = fs.readFileSync(cut, "utf8").trimEnd().split("\n").length;
    assert.deepEqual([p.interrupted, p.calls], [{ reason: "signal", detail: "SIGTERM" }, { planned: 100000, done }]);
    const mark = `INTERRUPTED at ${done} of 100,000 calls (signal: SIGTERM)`;
    const html = path.join(dir, "r.html");
    const report = await cli(["report", cut, "--html", html]);
    assert.ok(report.out.includes(`${mark}: a partial run\n`), report.out);
    assert.ok(fs.readFileSync(html, "utf8").includes(`<p class="interrupted"><b>${cut}</b>: ${mark}: a partial run</p>`));
    const cmp = await cli(["compare", whole, cut]);
    assert.equal(cmp.code, 0, cmp.err);
    assert.ok(cmp.out.includes(`note: ${cut} is ${mark}: a partial run`), cmp.out);
    const gate = await cli(["compare", whole, cut, "--fail-if-slower", "50%"]);
    assert.equal(gate.code, 1);
    assert.equal(gate.err, `lambda-bench: --fail-if-slower: ${cut} is ${mark}; rerun it, or pass --allow-partial to judge it anyway\n`);
    assert.equal(gate.out, "", "no verdict printed");
    const allowed = await cli(["compare", whole, cut, "--fail-if-slower", "50%", "--allow-partial"]);
    assert.equal(allowed.code, 0, allowed.err);
  });

  it("a sidecar of the older schema (no interrupted, no calls) still loads as a whole run", async () => {
    const dir = workspace();
    const file = path.join(dir, "old.jsonl");
    assert.equal((await at("measure", FN, "-n", "5", "--out", file)).code, 0);
    const { interrupted: _i, calls: _c, ...old } = JSON.parse(fs.readFileSync(`${file}.meta.json`, "utf8")) as Provenance;
    fs.writeFileSync(`${file}.meta.json`, JSON.stringify({ ...old, schema: 1 }));
    const r = await cli(["report", file]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^run [0-9a-f]{8}: /m, "the provenance is read");
    assert.doesNotMatch(r.out, /INTERRUPTED/);
    assert.equal((await cli(["compare", file, file, "--fail-if-slower", "5%"])).code, 0);
  });
});
