/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// `report` on saved runs: the text summary, and the HTML rendered in headless Chromium (Debian's
// `chromium`; .ci/run installs it), where the charts must exist with the expected series and
// points, and the page must load nothing but itself.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { cli } from "./run-cli";
import { CDF_PERCENTILES } from "../src/report/charts";
import type { InvocationRecordInput } from "../src/runs/record";
import { workspace } from "./fixtures";
import { withPage } from "./servers/chromium";

const ROOT = path.resolve(__dirname, "..", "..");

function record(benchmark: string, memoryMb: number, i: number, cold: boolean): InvocationRecordInput {
  const durationMs = 10 + (i % 10) + 4000 / memoryMb;
  return {
    benchmark, function: benchmark, region: "us-east-1", architecture: "arm64", configMemoryMb: memoryMb,
    requestId: `${benchmark}-${memoryMb}-${i}`, start: "2026-11-24T10:00:00.000Z", clientMs: durationMs + 15 + (cold ? 200 : 0),
    status: 200, functionError: null, error: null, retries: 0, throttles: 0, forcedCold: cold, cold,
    durationMs, billedMs: Math.ceil(durationMs + (cold ? 180 : 0)), memoryMb, maxMemoryMb: 70, initMs: cold ? 180 : null,
    restoreMs: null, reportStatus: null, errorType: null, costUsd: 1e-6 * memoryMb / 128,
  };
}

function writeRun(file: string, benchmark: string, memoryMb: number, n: number, cold: number): void {
  fs.writeFileSync(file, Array.from({ length: n }, (_, i) => `${JSON.stringify(record(benchmark, memoryMb, i, i < cold))}\n`).join(""));
}

describe("report", function () {
  this.timeout(120_000);
  const dir = workspace();
  const hello = path.join(dir, "hello.jsonl");
  const sweepDir = path.join(dir, "aes-sweep");
  const html = path.join(dir, "report.html");

  before(() => {
    writeRun(hello, "hello", 128, 40, 2);
    fs.mkdirSync(sweepDir);
    for (const m of [256, 512, 1024]) writeRun(path.join(sweepDir, `aes-${m}mb.jsonl`), "aes", m, 20, 1);
  });

  it("prints every run's summary and the sweep's table and choice", async () => {
    const r = await cli(["report", hello, sweepDir, "--html", html]);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.err, "");
    const heads = r.out.split("\n").filter((l) => l.startsWith("== "));
    assert.deepEqual(heads, [
      `== hello 128 MB  (${hello})`,
      ...[256, 512, 1024].map((m) => `== aes ${m} MB  (${path.join(sweepDir, `aes-${m}mb.jsonl`)})`),
      "== sweep: aes (aes)",
    ]);
    assert.match(r.out, /\ninvocations 40  errors 0  throttles 0  retries 0  cold 2  warm 38\n/);
    // Cost per 1M doubles with memory here while duration falls little: 256 MB is cheapest, 1024 MB fastest.
    assert.match(r.out, /\ncheapest 256 MB  fastest 1024 MB  balanced \d+ MB /);
  });

  it("renders in headless Chromium: every chart with its series and points, and no external resource", async () => {
    if (!fs.existsSync(html)) assert.equal((await cli(["report", hello, sweepDir, "--html", html])).code, 0);
    const text = fs.readFileSync(html, "utf8");
    assert.doesNotMatch(text, /<script|<link|<img|src=|@import|url\(/i, "nothing in the page refers to another resource");
    const requests: string[] = [];
    await withPage(html, async (page) => {
      assert.deepEqual(requests, [`file://${html}`]);
      const charts = await page.evaluate(() => Object.fromEntries([...document.querySelectorAll("figure[data-chart]")].map((f) => [
        (f as HTMLElement).dataset.chart,
        {
          svg: f.querySelectorAll("svg").length,
          lines: f.querySelectorAll("g.mark-line.role-mark path").length,
          points: f.querySelectorAll("g.mark-symbol.role-mark path").length,
          bars: f.querySelectorAll("g.mark-rect.role-mark.layer_0_marks path").length,
        },
      ])));
      const runs = 4;
      assert.deepEqual(charts, {
        // client and duration per run, through every CDF percentile.
        "cdf": { svg: 1, lines: runs * 2, points: runs * 2 * CDF_PERCENTILES.length, bars: 0 },
        // a cold and a warm bar per run.
        "cold-warm": { svg: 1, lines: 0, points: 0, bars: runs * 2 },
        // p50 and p90 over three sizes; cost over three sizes.
        "sweep-duration-0": { svg: 1, lines: 2, points: 6, bars: 0 },
        "sweep-cost-0": { svg: 1, lines: 1, points: 3, bars: 0 },
      });
      await page.screenshot({ path: path.join(ROOT, "dist", "report-screenshot.png"), fullPage: true });
    }, {
      viewport: { width: 1150, height: 800 },
      before: async (page) => {
        await page.setRequestInterception(true);
        page.on("request", (req) => {
          requests.push(req.url());
          if (req.url().startsWith("file:")) void req.continue();
          else void req.abort();
        });
      },
    });
  });

  it("a line that is not a record is one error naming the file and line", async () => {
    const bad = path.join(dir, "bad.jsonl");
    fs.writeFileSync(bad, `${JSON.stringify(record("x", 128, 0, false))}\n{"benchmark": "x"}\n`);
    const r = await cli(["report", bad]);
    assert.equal(r.code, 1);
    assert.match(r.err, new RegExp(`^lambda-bench: ${bad.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:2: not an invocation record: function: .*\n$`));
    const missing = await cli(["report", path.join(dir, "nope.jsonl")]);
    assert.equal(missing.code, 1);
    assert.match(missing.err, /nope\.jsonl not found: pass a run's \.jsonl file or a folder of them\n$/);
  });
});
