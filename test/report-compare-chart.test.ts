/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// The report's comparison chart (src/report/charts-compare.ts) in headless Chromium: one row per
// comparison and nothing else (no `undefined` row), a dashed reference line at 1 spanning every
// row, an axis fitted to the data so intervals of a few percent are visibly wide, and row labels
// set in full inside the figure. Its screenshot is docs/compare.png (copied from dist/ by hand).
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { cli } from "./run-cli";
import { workspace } from "./fixtures";
import { Rng } from "../src/rng";
import { ratioDomain, ratioTicks, type ForestRow } from "../src/report/charts-compare";
import { withPage } from "./servers/chromium";

const ROOT = path.resolve(__dirname, "..", "..");

/** 300 warm calls of aes at 1024 MB, durations lognormal (sd 5%) around `median` (seeded). */
function runFile(file: string, median: number, seed: number): void {
  const rng = new Rng(seed);
  fs.writeFileSync(file, Array.from({ length: 300 }, (_, i) => {
    const durationMs = Math.round(median * Math.exp(0.05 * rng.normal()) * 100) / 100;
    return `${JSON.stringify({
      benchmark: "aes", function: "aes", region: "us-east-1", architecture: "arm64", configMemoryMb: 1024,
      requestId: `r-${i}`, start: "2026-11-25T10:00:00.000Z", clientMs: durationMs + 20, status: 200, functionError: null,
      error: null, retries: 0, throttles: 0, forcedCold: false, cold: false, durationMs, billedMs: Math.ceil(durationMs),
      memoryMb: 1024, maxMemoryMb: 70, initMs: null, restoreMs: null, reportStatus: null, errorType: null,
      costUsd: (Math.ceil(durationMs) / 1000) * 0.0000133334 + 2e-7, repetition: 0,
    })}\n`;
  }).join(""));
}

describe("report: the comparison chart in Chromium", function () {
  this.timeout(60_000);

  it("the axis is fitted to the intervals and 1, with ticks inside it", () => {
    const row = (lo: number, hi: number): ForestRow => ({ row: "r", metric: "m", ratio: (lo + hi) / 2, lo, hi, verdict: "no difference" });
    const [lo, hi] = ratioDomain([row(0.96, 1.03)]);
    assert.ok(lo < 0.96 && lo > 0.9 && hi > 1.03 && hi < 1.1, `${lo}..${hi}`);
    const [lo2, hi2] = ratioDomain([row(30.5, 31.9)]);
    assert.ok(lo2 < 1 && hi2 > 31.9 && hi2 < 60, `1 is always on the axis: ${lo2}..${hi2}`);
    const ticks = ratioTicks([lo, hi]);
    assert.ok(ticks.includes(1) && ticks.every((t) => t > lo && t < hi) && ticks.length >= 4, ticks.join(","));
  });

  it("two runs: one row per comparison, a reference line at 1 over all rows, intervals visibly wide, labels whole", async () => {
    const dir = workspace();
    const a = path.join(dir, "a.jsonl");
    const b = path.join(dir, "b.jsonl");
    runFile(a, 40, 1);
    runFile(b, 40.4, 2);
    const html = path.join(dir, "r.html");
    const r = await cli(["report", a, b, "--html", html]);
    assert.equal(r.code, 0, r.err);
    await withPage(html, async (page) => {
      const chart = await page.evaluate(() => {
        const fig = document.querySelector("figure[data-chart='compare-forest']")!;
        const box = (e: Element) => { const b = e.getBoundingClientRect(); return { x: b.x, y: b.y, w: b.width, h: b.height }; };
        const axes = [...fig.querySelectorAll("g.mark-group.role-axis")];
        const labelsOf = (a: Element) => [...a.querySelectorAll("g.role-axis-label text")].map((t) => ({ text: t.textContent!, ...box(t) }));
        const rules = [...fig.querySelectorAll("g.mark-rule.role-mark line, g.mark-rule.role-mark path")];
        return {
          svg: box(fig.querySelector("svg")!),
          svgWidth: Number(fig.querySelector("svg")!.getAttribute("width")),
          axisLabels: axes.map(labelsOf).filter((l) => l.length > 0),
          rowLabels: [...fig.querySelectorAll("g.mark-text.role-mark text")].map((t) => ({ text: t.textContent!, ...box(t) })),
          rules: rules.map((l) => ({ dashed: (l.getAttribute("stroke-dasharray") ?? "") !== "", ...box(l) })),
          points: [...fig.querySelectorAll("g.mark-symbol.role-mark path")].map(box),
        };
      });
      // One labelled axis, the ratio's (Vega draws the grid as an axis of its own); the rows are labelled above their intervals.
      assert.equal(chart.axisLabels.length, 1);
      const xLabels = chart.axisLabels[0];
      assert.ok(xLabels.length >= 4 && xLabels.some((l) => l.text === "1"), `ratio ticks: ${xLabels.map((l) => l.text).join(", ")}`);
      const yLabels = [...chart.rowLabels].sort((p, q) => p.y - q.y);
      const rows = yLabels.map((l) => l.text);
      assert.deepEqual([...rows].sort(), [`aes 1024 MB (${b}) vs aes 1024 MB · client round trip`, `aes 1024 MB (${b}) vs aes 1024 MB · duration`]);
      assert.ok(!rows.some((t) => /undefined|…/.test(t)), rows.join(" | "));
      for (const l of yLabels) assert.ok(l.x >= chart.svg.x && l.x + l.w <= chart.svg.x + chart.svg.w, `label "${l.text}" inside the chart`);
      assert.ok(chart.svgWidth <= 1100 && chart.svgWidth >= 1000, `the chart fills the page, unscaled: ${chart.svgWidth} px`);
      // The reference line: dashed, vertical, at the axis's "1", spanning both rows.
      const dashed = chart.rules.filter((x) => x.dashed);
      assert.equal(dashed.length, 1);
      const one = xLabels.find((l) => l.text === "1")!;
      assert.ok(Math.abs(dashed[0].x - (one.x + one.w / 2)) < 2, `the dashed line at 1: ${dashed[0].x} vs ${one.x + one.w / 2}`);
      assert.ok(dashed[0].w < 3 && dashed[0].h >= yLabels[1].y - yLabels[0].y, `it spans the rows: ${JSON.stringify(dashed[0])}`);
      // The intervals (ratios of about 1.01, a few percent wide) are visibly wide: over 40 px each.
      const intervals = chart.rules.filter((x) => !x.dashed);
      assert.equal(intervals.length, 2);
      for (const i of intervals) assert.ok(i.w > 40, `an interval ${i.w.toFixed(1)} px wide`);
      assert.equal(chart.points.length, 2);
      const fig = await page.$("figure[data-chart='compare-forest']");
      await fig!.screenshot({ path: path.join(ROOT, "dist", "compare.png") });
    });
  });
});
