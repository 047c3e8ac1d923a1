// `compare` and `report` on run files written here: verdicts, the CI gate's exit codes, matching of
// folders (sweeps inside folders too), provenance notes, and cut or bad lines.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { cli } from "./run-cli";
import { writeRun } from "./run-files";
import { workspace } from "./fixtures";

describe("compare and report on run files", function () {
  this.timeout(60_000);
  const dir = workspace();
  const a = path.join(dir, "a.jsonl");
  const b = path.join(dir, "b.jsonl");
  const same = path.join(dir, "same.jsonl");

  before(() => {
    writeRun(a, "aes", 1024, 100, 1);
    writeRun(b, "aes", 1024, 110, 2);
    writeRun(same, "aes", 1024, 100, 3);
  });

  it("B 1.10x slower: each side's p50 and p99 with intervals, the ratio, and the verdict", async () => {
    const r = await cli(["compare", a, b]);
    assert.equal(r.code, 0, r.err);
    const lines = r.out.split("\n");
    assert.equal(lines[0], `A: aes 1024 MB  (${a})`);
    assert.equal(lines[1], `B: aes 1024 MB  (${b})`);
    assert.equal(lines[2], "note: neither run has provenance (.meta.json): cannot check they are like for like");
    assert.equal(lines[3], "duration (ms; calls that did not start cold), bootstrap of medians, 10000 resamples, seed 14");
    assert.match(lines[4], /^ +A \(n=299\) +B \(n=299\) +B\/A$/);
    assert.match(lines[5], /^ {2}p50 +\d+\.\d\d \[\d+\.\d\d, \d+\.\d\d\] +1\d\d\.\d\d \[1\d\d\.\d\d, 1\d\d\.\d\d\] +1\.\d\dx \[1\.\d\d, 1\.\d\d\]$/);
    assert.match(lines[6], /^ {2}p99 /);
    const [, x, lo, hi] = /^ {2}B is ([\d.]+)x \[([\d.]+), ([\d.]+)\] slower than A$/.exec(lines[7])!.map(Number);
    assert.ok(lo < 1.1 && 1.1 < hi && lo > 1.05 && Math.abs(x - 1.1) < 0.03, lines[7]);
  });

  it("--fail-if-slower 5%: exit 1 naming the run and metric; 15%: exit 0", async () => {
    const fail = await cli(["compare", a, b, "--fail-if-slower", "5%"]);
    assert.equal(fail.code, 1);
    assert.match(fail.err, new RegExp(`^lambda-bench: slower than ${a.replace(/[.]/g, "\\.")} by more than 5%: aes 1024 MB duration is 1\\.\\d\\dx \\[1\\.\\d\\d, 1\\.\\d\\d\\] slower than A\\n$`));
    const pass = await cli(["compare", a, b, "--fail-if-slower", "15%"]);
    assert.equal(pass.code, 0, pass.err);
    assert.equal(pass.err, "");
    const none = await cli(["compare", a, same, "--fail-if-slower", "0"]);
    assert.equal(none.code, 0, none.err);
  });

  it("--json: the figures, the method and the gate", async () => {
    const r = await cli(["compare", a, b, same, "--metric", "duration,cost,init", "--json", "--fail-if-slower", "5"]);
    assert.equal(r.code, 1);
    const j = JSON.parse(r.out);
    assert.equal(j.pairs.length, 2);
    assert.deepEqual(j.pairs[0].metrics.map((m: { metric: string }) => m.metric), ["duration", "cost", "init"]);
    const [dur, cost, init] = j.pairs[0].metrics;
    assert.equal(dur.verdict, "slower");
    assert.equal(cost.unit, "USD");
    assert.equal(init.a.n, 1);
    assert.equal(init.verdict, "not comparable");
    assert.equal(j.pairs[1].metrics[0].verdict, "no difference");
    // B costs more too (billed ms follow the duration): both fail the gate; init has no ratio.
    assert.deepEqual(j.gate.failed.map((f: string) => f.split(" ").slice(0, 4).join(" ")), ["aes 1024 MB duration", "aes 1024 MB cost"]);
  });

  it("folders: sweeps matched by memory size, folders read recursively, sizes only one side has listed", async () => {
    const base = path.join(dir, "sweeps", "v1");
    const next = path.join(dir, "sweeps", "v2", "nested");
    for (const [m, d] of [[256, 200], [512, 120], [1024, 100]]) writeRun(path.join(base, `aes-${m}mb.jsonl`), "aes", m, d, m);
    for (const [m, d] of [[512, 120], [1024, 130], [2048, 100]]) writeRun(path.join(next, `aes-${m}mb.jsonl`), "aes", m, d, m + 1);
    const r = await cli(["compare", base, path.dirname(next), "--json"]);
    assert.equal(r.code, 0, r.err);
    const j = JSON.parse(r.out);
    assert.deepEqual(j.pairs.map((p: { a: { key: string }; metrics: { verdict: string }[] }) => [p.a.key, p.metrics[0].verdict]),
      [["aes 512 MB", "no difference"], ["aes 1024 MB", "slower"]]);
    assert.deepEqual(j.unmatched, [{ input: path.dirname(next), runs: ["A: aes 256 MB", "B: aes 2048 MB"] }]);
  });

  it("provenance that differs is named: not like for like", async () => {
    const meta = (file: string, memoryMb: number, sha: string) => fs.writeFileSync(`${file}.meta.json`, JSON.stringify({
      schema: 1, region: "us-east-1", workload: { shape: "closed" }, payload: { sha256: sha, bytes: 2 },
      function: { memoryMb, architecture: "arm64", timeoutS: 30, ephemeralStorageMb: 512, packageType: "Image", runtime: null, envKeys: [], codeSha256: "c1", imageUri: "img@sha256:1", resolvedImageUri: null },
    }));
    const pa = path.join(dir, "prov", "a.jsonl");
    const pb = path.join(dir, "prov", "b.jsonl");
    writeRun(pa, "aes", 1024, 100, 5);
    writeRun(pb, "aes", 1024, 100, 6);
    meta(pa, 1024, "aa");
    meta(pb, 2048, "bb");
    const r = await cli(["compare", pa, pb]);
    assert.equal(r.code, 0, r.err);
    // Each side's provenance in one line under its name ("?" for what this hand-written one lacks).
    assert.match(r.out, /^A: aes 1024 MB {2}\(.*a\.jsonl\)\n {3}run \?: \? 1024 MB arm64, image img@sha256:1, payload aa \(2 B\), closed workload, us-east-1, lambda-bench \?\nB: /);
    assert.match(r.out, /\nnote: configuration differs: memoryMb 1024 vs 2048 \(not like for like\)\n/);
    assert.match(r.out, /\nnote: payload differs: sha256 aa \(2 B\) vs bb \(2 B\) \(not like for like\)\n/);
  });

  it("a cut last line is skipped with a warning naming file and line; a bad line elsewhere is an error", async () => {
    const cut = path.join(dir, "cut.jsonl");
    fs.writeFileSync(cut, `${fs.readFileSync(b, "utf8")}{"benchmark":"aes","funct`);
    for (const cmd of [["compare", a, cut], ["report", cut]]) {
      const r = await cli(cmd);
      assert.equal(r.code, 0, r.err);
      assert.equal(r.err, `lambda-bench: warning: ${cut}:301: the last line is cut short (not JSON); skipped it and read the 300 lines before it\n`);
    }
    const bad = path.join(dir, "bad.jsonl");
    const lines = fs.readFileSync(b, "utf8").split("\n");
    lines[10] = lines[10].slice(0, 30);
    fs.writeFileSync(bad, lines.join("\n"));
    for (const cmd of [["compare", a, bad], ["report", bad]]) {
      const r = await cli(cmd);
      assert.equal(r.code, 1);
      assert.match(r.err, new RegExp(`^lambda-bench: ${bad.replace(/[.]/g, "\\.")}:11: not JSON \\(`));
    }
  });

  it("report keeps every run: a measure run at a sweep's size is its own run, never the sweep's step", async () => {
    const sweepDir = path.join(dir, "rep", "sweep");
    for (const [m, d] of [[512, 120], [1024, 100]]) writeRun(path.join(sweepDir, `aes-${m}mb.jsonl`), "aes", m, d, m + 7);
    const lone = path.join(dir, "rep", "lone-1024.jsonl");
    writeRun(lone, "aes", 1024, 300, 9);
    for (const order of [[sweepDir, lone], [lone, sweepDir]]) {
      const r = await cli(["report", ...order]);
      assert.equal(r.code, 0, r.err);
      const heads = r.out.split("\n").filter((l) => l.startsWith("== "));
      // Two inputs: the second is also compared against the first, matched on aes 1024 MB.
      assert.equal(heads.length, 5, heads.join("\n"));
      assert.equal(heads[4], `== compare: against ${order[0]}`);
      assert.match(r.out, order[0] === lone ? /\n {2}B is [\d.]+x \[[\d.]+, [\d.]+\] faster than A\n/ : /\n {2}B is [\d.]+x \[[\d.]+, [\d.]+\] slower than A\n/);
      assert.ok(heads.includes(`== aes 1024 MB (lone-1024)  (${lone})`), heads.join("\n"));
      // The sweep's 1024 MB step is still the sweep's (about 100 ms, not the lone run's 300).
      const table = r.out.slice(r.out.indexOf("== sweep: aes"));
      assert.match(table, /\n +1024 +300 +0 +0\.0% \[0\.0%, 1\.3%\] +1 +(9\d|10\d)\.\d\d /);
    }
  });

  it("report of two runs: a forest plot of the ratios, one row per pair and metric, with the comparison in the text", async () => {
    const html = path.join(dir, "cmp.html");
    const r = await cli(["report", a, b, "--html", html]);
    assert.equal(r.code, 0, r.err);
    const page = fs.readFileSync(html, "utf8");
    const forest = /<figure data-chart="compare-forest">([\s\S]*?)<\/figure>/.exec(page)![1];
    for (const metric of ["duration", "client round trip"]) {
      assert.ok(forest.includes(`aes 1024 MB (${b}) vs aes 1024 MB · ${metric}`), `row for ${metric}`);
    }
    // Two interval rules and two points (the rows), and the dashed rule at 1.
    assert.equal((forest.match(/role="graphics-symbol"[^>]*aria-roledescription="point"/g) ?? []).length, 2);
    assert.match(r.out, /\n== compare: against .*a\.jsonl\nA: aes 1024 MB/);
  });

  it("report compares only runs of one benchmark: hello's run beside aes's gets no comparison", async () => {
    const hello = path.join(dir, "hello.jsonl");
    writeRun(hello, "hello", 1024, 10, 4);
    const html = path.join(dir, "mixed.html");
    const r = await cli(["report", hello, a, "--html", html]);
    assert.equal(r.code, 0, r.err);
    assert.doesNotMatch(r.out, /== compare:/);
    assert.doesNotMatch(fs.readFileSync(html, "utf8"), /data-chart="compare-forest"/);
    // `compare`, asked for it by name, still sets them against each other.
    const c = await cli(["compare", hello, a, "--allow-different"]);
    assert.match(c.out, /^ *B is [\d.]+x \[[\d.]+, [\d.]+\] slower than A$/m);
  });

  it("usage errors exit 2", async () => {
    const r = await cli(["compare", a, b, "--metric", "speed"]);
    assert.equal(r.code, 2);
    assert.match(r.err, /^lambda-bench: --metric takes latency, client, duration, billed, init, cost/);
    const p = await cli(["compare", a, b, "--fail-if-slower", "lots"]);
    assert.equal(p.code, 2);
    const missing = await cli(["compare", a, path.join(dir, "nope.jsonl")]);
    assert.equal(missing.code, 1);
    assert.match(missing.err, /nope\.jsonl not found/);
  });
});
