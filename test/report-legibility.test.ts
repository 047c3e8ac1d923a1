/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// The HTML report read as a person reads it, in headless Chromium, on runs made against the
// stand-in: the cold/warm chart's run labels in full, whole seconds on a 3-second run's time axis,
// the runs of one CDF panel in distinct hues, and the provenance line wrapped rather than scrolled.
import { strict as assert } from "node:assert";
import * as path from "node:path";
import { cli } from "./run-cli";
import { workspace } from "./fixtures";
import { RUN_COLOURS, runLabelAxis } from "../src/report/charts";
import { withPage } from "./servers/chromium";
import { withStandin } from "./servers/standin-hooks";


/** The hue (0-360) of a #rrggbb colour. */
function hue(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255);
  const max = Math.max(r, g, b);
  const d = max - Math.min(r, g, b);
  if (d === 0) return 0;
  const h = max === r ? ((g - b) / d) % 6 : max === g ? (b - r) / d + 2 : (r - g) / d + 4;
  return (h * 60 + 360) % 360;
}
const hueGap = (a: string, b: string) => { const d = Math.abs(hue(a) - hue(b)); return Math.min(d, 360 - d); };

describe("report: legible in Chromium", function () {
  this.timeout(60_000);
  const h = withStandin({ clearAws: true });

  it("neighbouring run colours differ in hue (tableau10's orange and red, 30 degrees apart, would not pass); level labels when they fit, slanted (never cut) when not", () => {
    for (let i = 0; i + 1 < RUN_COLOURS.length - 1; i++) {
      assert.ok(hueGap(RUN_COLOURS[i], RUN_COLOURS[i + 1]) >= 50, `${RUN_COLOURS[i]} ${RUN_COLOURS[i + 1]}: ${hueGap(RUN_COLOURS[i], RUN_COLOURS[i + 1])}`);
    }
    assert.deepEqual(runLabelAxis(["a", "b"], 1000), { labelAngle: 0, labelLimit: 0 });
    assert.deepEqual(runLabelAxis(Array(7).fill("aes 1024 MB (aes-1024mb)"), 1000), { labelAngle: -30, labelLimit: 0, labelAlign: "right" });
  });

  it("a demo-like report: labels whole, whole seconds, distinct hues in the hello panel, the provenance wrapped", async () => {
    const dir = workspace();
    const at = (...args: string[]) => cli([...args, "--endpoint", h.standin.endpoint]);
    for (const args of [
      ["measure", "hello", "-n", "12", "-c", "2", "--cold", "1", "--out", path.join(dir, "runs", "hello.jsonl")],
      ["measure", "hello", "--rate", "20", "--duration", "3s", "--out", path.join(dir, "runs", "hello-open.jsonl")],
      ["measure", "aes", "-n", "8", "-c", "2", "--cold", "1", "--out", path.join(dir, "runs", "aes.jsonl")],
      ["sweep", "aes", "--memory", "512,1024,2048,4096", "-n", "4", "-c", "2", "--cold", "1", "--out", path.join(dir, "runs", "aes-sweep")],
    ]) {
      const r = await at(...args);
      assert.equal(r.code, 0, `${args.join(" ")}: ${r.err}`);
    }
    const html = path.join(dir, "report.html");
    const r = await cli(["report", path.join(dir, "runs"), "--html", html]);
    assert.equal(r.code, 0, r.err);
    await withPage(html, async (page) => {
      const seen = await page.evaluate(() => {
        const texts = (sel: string) => [...document.querySelectorAll(sel)].map((t) => t.textContent ?? "");
        const pre = document.querySelector("pre")!;
        return {
          coldWarmLabels: texts("figure[data-chart='cold-warm'] g.role-axis-label text"),
          // The labels of the axes titled "second of the run".
          timeTicks: [...document.querySelectorAll("figure[data-chart='workload-time-0'] g.mark-group.role-axis")]
            .filter((a) => a.querySelector("g.role-axis-title text")?.textContent?.startsWith("second of the run"))
            .flatMap((a) => [...a.querySelectorAll("g.role-axis-label text")].map((t) => t.textContent ?? "")),
          // The CDF's lines, by panel title: each line's stroke.
          panels: [...document.querySelectorAll("figure[data-chart='cdf'] g.mark-group.role-scope")].map((g) => ({
            title: g.querySelector("g.role-title text, g.mark-text text")?.textContent ?? "",
            strokes: [...g.querySelectorAll("g.mark-line.role-mark path")].map((p) => p.getAttribute("stroke") ?? ""),
          })),
          cdfHeaders: texts("figure[data-chart='cdf'] g.role-column-header text, figure[data-chart='cdf'] g.role-header text"),
          preScrolls: pre.scrollWidth > pre.clientWidth + 1,
          provenance: pre.textContent!.split("\n").find((l) => l.startsWith("run ")) ?? "",
        };
      });
      const labels = seen.coldWarmLabels.filter((t) => / MB/.test(t));
      assert.equal(labels.length, 7, labels.join(" | "));
      for (const l of labels) assert.ok(!l.includes("…") && /\)$|MB$/.test(l), `a whole label: ${l}`);
      assert.ok(labels.some((l) => l.startsWith("hello 128 MB (hello-open")), labels.join(" | "));
      assert.ok(seen.timeTicks.length >= 2 && seen.timeTicks.every((t) => /^\d+$/.test(t)), `whole seconds: ${seen.timeTicks.join(", ")}`);
      const strokes = [...new Set(seen.panels.flatMap((p) => p.strokes))];
      assert.ok(strokes.length >= 2, JSON.stringify(seen.panels));
      // hello's panel: its two runs (closed and open), each its own hue.
      const hello = seen.panels.find((p) => new Set(p.strokes).size === 2 && p.strokes.length === 4);
      assert.ok(hello, `a panel of two runs: ${JSON.stringify(seen.panels)}`);
      const [c1, c2] = [...new Set(hello.strokes)];
      assert.ok(hueGap(c1, c2) >= 50, `hello's runs ${c1} and ${c2} differ in hue`);
      assert.ok(seen.provenance.length > 150, "a long provenance line");
      assert.equal(seen.preScrolls, false, "the summaries wrap rather than scroll");
    });
  });
});
