/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// `lambda-bench demo` as a newcomer runs it: the built CLI in a child process, in an empty folder,
// offline, with Node and nothing else on PATH. Every step succeeds, the stand-in is stopped at the end, and the report it writes opens
// in headless Chromium with its charts.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";
import { spawnCli } from "./run-cli";
import { workspace } from "./fixtures";
import { nodeOnlyEnv } from "./servers/node-only";
import { DEMO_STEPS } from "../src/cli/demo/steps";
import { withPage } from "./servers/chromium";

const ROOT = path.resolve(__dirname, "..", "..");

const refused = (port: number) => new Promise<boolean>((resolve) => {
  const s = net.connect(port, "127.0.0.1");
  s.once("connect", () => { s.destroy(); resolve(false); });
  s.once("error", () => resolve(true));
});

/** The stand-in's port, as the demo prints it (one server: Invoke and the control plane). */
const ports = (out: string) => {
  const m = /Lambda stand-in on http:\/\/127\.0\.0\.1:(\d+);/.exec(out);
  return m ? [Number(m[1])] : [];
};

describe("demo", function () {
  this.timeout(120_000);
  const dir = workspace();
  let result: { code: number | null; out: string; err: string };

  before(async () => {
    // npm alone: Node and nothing else on PATH (no Python, no moto_server).
    result = await spawnCli(["demo"], { cwd: dir, env: nodeOnlyEnv() }).exited;
  });

  it("runs every step from the built CLI, offline, with Node alone on PATH, and stops the stand-in", async () => {
    assert.equal(result.code, 0, result.err);
    assert.equal(result.err, "", "stderr is not a terminal: no progress bar, no warning");
    const headers = result.out.split("\n").filter((l) => /^\[\d+\/\d+\] /.test(l));
    assert.deepEqual(headers, DEMO_STEPS.map((s, i) => `[${i + 1}/${DEMO_STEPS.length}] ${s.title}`));
    assert.match(result.out, /\n\d+ resources to create: /, "the plan's count");
    assert.match(result.out, /\nhello \(hello, us-east-1, arm64, 128 MB\)\ninvocations 40 {2}errors 0 /);
    assert.match(result.out, /\naes \(aes, us-east-1, arm64, 1024 MB\)\ninvocations 40 {2}errors 0 /);
    assert.match(result.out, /\ncheapest \d+ MB {2}fastest 2048 MB {2}balanced \d+ MB /);
    const report = path.join(dir, "demo", "demo-report.html");
    assert.ok(result.out.endsWith(`The report: ${report}\n`), result.out.slice(-300));
    assert.equal(ports(result.out).length, 1, "its port printed");
    for (const port of ports(result.out)) assert.ok(await refused(port), `nothing listens on ${port} any more`);
  });

  it("Ctrl-C stops the stand-in, and exits 130", async () => {
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("AWS_")));
    const { child, exited } = spawnCli(["demo", "--out-dir", path.join(dir, "interrupted")], { cwd: dir, env });
    let out = "";
    await new Promise<void>((resolve) => child.stdout!.on("data", (c) => {
      out += c;
      if (out.includes("[2/")) resolve();
    }));
    child.kill("SIGINT");
    const r = await exited;
    assert.equal(r.code, 130, r.err);
    const listening = ports(out);
    assert.equal(listening.length, 1);
    for (const port of listening) assert.ok(await refused(port), `nothing listens on ${port} any more`);
  });

  it("its report opens in Chromium with every chart: a CDF panel per function, cold and warm, the sweep", async () => {
    const html = path.join(dir, "demo", "demo-report.html");
    assert.ok(fs.existsSync(html));
    await withPage(html, async (page) => {
      const charts = await page.evaluate(() => Object.fromEntries([...document.querySelectorAll("figure[data-chart]")].map((f) => [
        (f as HTMLElement).dataset.chart,
        {
          width: Math.round(f.querySelector("svg")!.getBoundingClientRect().width),
          lines: f.querySelectorAll("g.mark-line.role-mark path").length,
          bars: f.querySelectorAll("g.mark-rect.role-mark.layer_0_marks path").length,
          text: [...f.querySelectorAll("text")].map((t) => t.textContent),
        },
      ])));
      assert.deepEqual(Object.keys(charts), ["cdf", "cold-warm", "sweep-duration-0", "sweep-cost-0", "workload-time-0", "workload-time-1"]);
      // hello's three runs (closed, open, sharded), aes's run and the sweep's four: eight runs, client and duration each.
      assert.equal(charts.cdf.lines, 16);
      for (const panel of ["hello", "aes"]) assert.ok(charts.cdf.text.includes(panel), `a CDF panel for ${panel}`);
      // A warm bar per run, and a cold bar per run that had a cold start (the sharded run may have
      // none: hello's instances are warm from the open loop), counted from the run files themselves.
      const runFiles = (d: string): string[] => fs.readdirSync(d, { withFileTypes: true })
        .flatMap((e) => (e.isDirectory() ? runFiles(path.join(d, e.name)) : e.name.endsWith(".jsonl") ? [path.join(d, e.name)] : []));
      const files = runFiles(path.join(dir, "demo"));
      assert.equal(files.length, 8);
      const withCold = files.filter((f) => fs.readFileSync(f, "utf8").split("\n").some((l) => l && JSON.parse(l).cold === true && !JSON.parse(l).warmup)).length;
      assert.equal(charts["cold-warm"].bars, 8 + withCold, "a warm bar per run, a cold bar per run with cold starts");
      assert.ok(charts["workload-time-0"].lines > 0, "the open loop's latency over time");
      assert.ok(charts["workload-time-1"].lines > 0, "the sharded open loop's latency over time");
      assert.equal(charts["sweep-duration-0"].lines, 2);
      assert.equal(charts["sweep-cost-0"].lines, 1);
      // The charts fill the page's width (1100 px of content): full-width ones, and the sweep's pair.
      for (const id of ["cdf", "cold-warm"]) assert.ok(charts[id].width >= 1000, `${id}: ${charts[id].width} px`);
      assert.ok(charts["sweep-duration-0"].width + charts["sweep-cost-0"].width >= 1000);
      const top = await page.evaluate(() => Math.ceil(document.querySelector("h2")!.getBoundingClientRect().top));
      // The README's picture (docs/report.png) is this screenshot, copied by hand.
      await page.screenshot({ path: path.join(ROOT, "dist", "demo-report.png"), clip: { x: 0, y: 0, width: 1200, height: top } });
    });
  });
});
