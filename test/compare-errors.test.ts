// Seeded studies through the CLI on run files: a B that crashes fast is no "faster" and fails the
// gate; every value compare prints is one that was recorded; compare of two functions is refused;
// `--json` carries numbers at their precision.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { cli } from "./run-cli";
import { record, writeRun } from "./run-files";
import { Rng } from "../src/rng";
import { RunSummary } from "../src/summary/summary";
import { completeRecord } from "../src/runs/record";
import { workspace } from "./fixtures";

/** n calls of A's distribution (lognormal around 100 ms, seeded); a `crash` share of them crash in 1 ms. */
function writeCrashing(file: string, seed: number, crash: number, n = 400, repetitions = 1): number[] {
  const rng = new Rng(seed);
  const durations: number[] = [];
  const lines = Array.from({ length: n }, (_, i) => {
    const crashes = i > 0 && rng.next() < crash;
    const durationMs = crashes ? 1 : Math.round(100 * Math.exp(0.3 * rng.normal()) * 100) / 100;
    if (!crashes && i > 0) durations.push(durationMs);
    const r = { ...record("aes", 1024, durationMs, i, i % repetitions), ...(crashes ? { functionError: "Unhandled", errorType: "Runtime.ExitError" } : {}) };
    return `${JSON.stringify(r)}\n`;
  });
  fs.writeFileSync(file, lines.join(""));
  return durations;
}

describe("compare: errors, exactness, like with like", function () {
  this.timeout(60_000);
  const dir = workspace();
  const a = path.join(dir, "a.jsonl");
  const crashing = path.join(dir, "crash.jsonl");
  let recorded: Set<number>;

  before(() => {
    const da = writeCrashing(a, 1, 0);
    const db = writeCrashing(crashing, 2, 0.25);
    recorded = new Set([...da, ...db]);
  });

  it("B = A's distribution with 25% of calls crashing in 1 ms: no 'faster', B fails more often, and the gate fails", async () => {
    const r = await cli(["compare", a, crashing, "--fail-if-slower", "5%"]);
    assert.equal(r.code, 1, r.out + r.err);
    assert.doesNotMatch(r.out, /faster/);
    assert.match(r.out, /\n {2}no difference shown \(B\/A [\d.]+x/);
    assert.match(r.out, /\nerrors \(every call; a failed call is no sample above\): A function 0 of 400 \(0\.0% \[0\.0%, 1\.0%\]\), transport 0 of 400 .*; B function (\d+) of 400 \(2\d\.\d% \[/);
    assert.match(r.out, /\n {2}B fails more often than A: A 0\.0%, B 2\d\.\d% of calls failed; B - A \+2\d\.\d points \[\+\d+\.\d, \+\d+\.\d\]\n/);
    assert.match(r.err, /^lambda-bench: fails more often than .*a\.jsonl: aes 1024 MB A 0\.0%, B 2\d\.\d% of calls failed; .*\n$/);
    assert.equal(r.err.split("\n").length, 2, "one line");
    // The other way round, A fails less: no gate failure for errors.
    const back = await cli(["compare", crashing, a, "--fail-if-slower", "5%"]);
    assert.equal(back.code, 0, back.err);
    assert.match(back.out, /B fails less often than A/);
  });

  it("every value printed for a side is a recorded duration, in text and --json, with one run or with repetitions", async () => {
    const reps = path.join(dir, "reps.jsonl");
    const dr = writeCrashing(reps, 3, 0, 400, 5);
    for (const d of dr) recorded.add(d);
    for (const [x, y] of [[a, crashing], [a, reps], [reps, reps]]) {
      const j = await cli(["compare", x, y, "--json", "--metric", "duration"]);
      assert.equal(j.code, 0, j.err);
      const m = JSON.parse(j.out).pairs[0].metrics[0];
      const values = [m.a.p50, m.b.p50, m.a.p99, m.b.p99].flatMap((i) => [i.estimate, i.lo, i.hi]).filter((v) => v !== null);
      assert.ok(values.length >= 8, JSON.stringify(m));
      for (const v of values) assert.ok(recorded.has(v), `${v} was not recorded (${x} vs ${y})`);
      // Ratios carry 4 significant digits.
      for (const v of [m.ratio.p50.estimate, m.ratio.p50.lo, m.ratio.p50.hi]) assert.equal(v, Number(v.toPrecision(4)));
      const t = await cli(["compare", x, y]);
      const rows = t.out.split("\n").filter((l) => /^ {2}p(50|99) /.test(l));
      const printed = rows.flatMap((l) => l.split(/\s{3,}/).slice(1, 3).join(" ").match(/\d+\.\d+/g) ?? []).map(Number);
      assert.equal(printed.length, 12, rows.join("\n"));
      for (const v of printed) assert.ok(recorded.has(v), `printed ${v} was not recorded`);
    }
  });

  it("compare of two functions is refused in one line naming both, unless --allow-different", async () => {
    const hello = path.join(dir, "hello.jsonl");
    writeRun(hello, "hello", 1024, 5, 9);
    const r = await cli(["compare", a, hello]);
    assert.equal(r.code, 1);
    assert.equal(r.out, "");
    assert.equal(r.err, `lambda-bench: ${a} is aes (function aes) and ${hello} is hello (function hello): compare refuses runs of different functions; pass --allow-different to compare them anyway\n`);
    const ok = await cli(["compare", a, hello, "--allow-different"]);
    assert.equal(ok.code, 0, ok.err);
    assert.match(ok.out, /\nnote: different functions: A is aes \(function aes\), B is hello \(function hello\) \(--allow-different\)\n/);
  });

  it("report shows the error rate: in each summary's text and in the HTML's error table", async () => {
    const html = path.join(dir, "crash.html");
    const r = await cli(["report", crashing, "--html", html]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /\nerrors: function (\d+) of 400 \(2\d\.\d% \[\d+\.\d%, \d+\.\d%\]\), transport 0 of 400 \(0\.0% \[0\.0%, 1\.0%\]\); times and cost per call are of the \d+ successful calls\n/);
    const page = fs.readFileSync(html, "utf8");
    assert.match(page, /<table class="errors">[\s\S]*<th>function errors<\/th>[\s\S]*<td>aes 1024 MB<\/td><td>400<\/td><td>\d+ of 400 \(2\d\.\d% \[/);
  });

  it("a summary takes no time or cost sample from a failed call, and gives each kind of failure with its interval", () => {
    const s = new RunSummary();
    const base = record("aes", 1024, 100, 1);
    for (let i = 0; i < 40; i++) {
      const fails = i % 4 === 0;
      const transport = i % 8 === 0;
      s.add(completeRecord({ ...base, durationMs: fails ? 1 : 100, billedMs: fails ? 1 : 100,
        functionError: fails && !transport ? "Unhandled" : null, error: transport ? "ECONNRESET" : null, status: transport ? 0 : 200 }));
    }
    const j = s.toJson();
    assert.equal(j.errors, 10);
    // Wilson 5/40: 0.054595 to 0.261121 (computed apart), kept to 4 significant digits.
    assert.deepEqual(j.errorRates.transport, { count: 5, n: 40, rate: 0.125, ci95: [0.0546, 0.2611] });
    assert.deepEqual(j.errorRates.function, { count: 5, n: 40, rate: 0.125, ci95: [0.0546, 0.2611] });
    assert.equal(j.durationMs.n, 30);
    assert.equal(j.durationMs.p50, 100);
    assert.equal(j.durationMs.mean, 100);
    assert.equal(j.cost.byKind.warm.n, 30);
  });
});
