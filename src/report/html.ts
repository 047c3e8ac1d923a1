// The report: one self-contained HTML file. Charts are inline SVG, styles inline; there is no
// script, font, image or stylesheet to fetch, so it opens offline and looks the same anywhere.
import { formatSummary } from "../summary/summary";
import { formatRate } from "../summary/summary-format";
import { formatSweep } from "../summary/sweep-choice";
import { cdfSpec, coldWarmSpec, PAGE_WIDTH, renderSvg, sweepCostSpec, sweepDurationSpec } from "./charts";
import { idleSpec } from "./charts-idle";
import { formatIdle } from "../summary/idle-summary";
import { burstRuns, burstSpec, timedRuns, timeSeriesSpec } from "./charts-workload";
import type { Run, Sweep } from "../summary/saved-runs";
import { forestRows, forestSpec } from "./charts-compare";
import { formatCompare } from "../compare/format";
import { jsonAtPrecision } from "../compare/json";
import { describeProvenance, interruptionOf } from "../runs/provenance";
import type { CompareResult } from "../compare/run";

const escape = (s: string) => s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);

/** The text summary: every run's table, then every sweep's. */
export function reportText(runs: Run[], sweeps: Sweep[], comparison?: CompareResult): string {
  const parts = runs.map((r) => `== ${r.label}  (${r.file})\n${r.provenance ? `${describeProvenance(r.provenance)}\n` : ""}` +
    `${cutShort(r) ? `${cutShort(r)}\n` : ""}${formatSummary(r.summary.toJson())}` +
    (r.idle.count ? `\nidle probes\n${formatIdle(r.idle.toJson())}` : ""));
  for (const s of sweeps) {
    parts.push(`== sweep: ${s.benchmark} (${s.function})${s.runId ? `, run ${s.runId.slice(0, 8)}` : ""}\n${formatSweep(s.steps, s.choice)}`);
  }
  if (comparison?.pairs.length) parts.push(`== compare: against ${comparison.baseline}\n${formatCompare({ ...comparison, unmatched: [] }).trimEnd()}`);
  return `${parts.join("\n\n")}\n`;
}

/** "INTERRUPTED at 355 of 3,000 calls (signal: SIGINT): a partial run", or null for a whole one. */
const cutShort = (r: Run) => {
  const cut = interruptionOf(r.provenance);
  return cut && `${cut}: a partial run`;
};

/** The sizes a choice could not tell apart from the one it named, when there are any. */
function tied(c: NonNullable<Sweep["choice"]>): string {
  const parts = (["fastest", "cheapest"] as const).filter((k) => c.indistinguishable[k].length > 1)
    .map((k) => `${k}: ${c.indistinguishable[k].join(", ")} MB cannot be told apart`);
  return parts.length ? ` (${parts.join("; ")})` : "";
}

/** Every run's failures: function and transport errors apart, each with its Wilson 95% interval. */
function errorTable(runs: Run[]): string {
  const rows = runs.map((r) => {
    const e = r.summary.toJson().errorRates;
    return `<tr><td>${escape(r.label)}</td><td>${e.failed.n}</td><td>${escape(formatRate(e.function))}</td><td>${escape(formatRate(e.transport))}</td></tr>`;
  });
  return `<table class="errors"><caption>Failed calls (95% Wilson intervals); times and costs are of the successful calls</caption>\n` +
    `<tr><th>run</th><th>calls</th><th>function errors</th><th>transport errors</th></tr>\n${rows.join("\n")}\n</table>`;
}

async function figure(id: string, svg: Promise<string>): Promise<string> {
  return `<figure data-chart="${id}">${await svg}</figure>`;
}

export async function reportHtml(runs: Run[], sweeps: Sweep[], generated: Date = new Date(), comparison?: CompareResult): Promise<string> {
  const figures = [
    ...(comparison && forestRows(comparison).length ? [figure("compare-forest", renderSvg(forestSpec(jsonAtPrecision(comparison))))] : []),
    figure("cdf", renderSvg(cdfSpec(runs))),
    figure("cold-warm", renderSvg(coldWarmSpec(runs))),
    ...(runs.some((r) => r.idle.count) ? [figure("idle", renderSvg(idleSpec(runs.map((r) => ({ label: r.label, idle: r.idle.toJson() })))))] : []),
    ...sweeps.map(async (s, i) => `<div class="pair">${(await Promise.all([
      figure(`sweep-duration-${i}`, renderSvg(sweepDurationSpec(s))),
      figure(`sweep-cost-${i}`, renderSvg(sweepCostSpec(s))),
    ])).join("")}</div>`),
    ...timedRuns(runs).map((r, i) => figure(`workload-time-${i}`, renderSvg(timeSeriesSpec(r)))),
    ...burstRuns(runs).map((r, i) => figure(`workload-bursts-${i}`, renderSvg(burstSpec(r)))),
  ];
  const choices = sweeps.filter((s) => s.choice).map((s) =>
    `<p class="choice"><b>${escape(s.benchmark)}</b>: cheapest ${s.choice!.cheapest} MB, fastest ${s.choice!.fastest} MB, ` +
    `balanced ${s.choice!.balanced} MB${tied(s.choice!)}</p>`).join("\n");
  const partial = runs.filter(cutShort).map((r) => `<p class="interrupted"><b>${escape(r.file)}</b>: ${escape(cutShort(r)!)}</p>`).join("\n");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>lambda-bench report</title>
<style>
body { font: 14px/1.4 system-ui, sans-serif; margin: 24px auto; padding: 0 24px; color: #222; max-width: ${PAGE_WIDTH}px; }
figure { margin: 16px 0; }
figure svg { display: block; max-width: 100%; height: auto; }
.pair { display: flex; justify-content: space-between; gap: 16px; }
.pair figure { flex: 1 1 0; min-width: 0; }
pre { background: #f6f6f6; padding: 12px; overflow-x: auto; font-size: 12px; white-space: pre-wrap; overflow-wrap: anywhere; }
.choice { font-size: 15px; }
table.errors { border-collapse: collapse; font-size: 13px; }
table.errors td, table.errors th { padding: 2px 10px; text-align: left; }
table.errors caption { text-align: left; color: #555; }
.interrupted { color: #a40000; font-weight: 600; }
</style>
</head>
<body>
<h1>lambda-bench report</h1>
<p>${runs.length} run${runs.length === 1 ? "" : "s"}, ${runs.reduce((a, r) => a + r.summary.count, 0)} invocations; generated ${generated.toISOString()}.</p>
${partial}
${choices}
${errorTable(runs)}
${(await Promise.all(figures)).join("\n")}
<h2>Summaries</h2>
<pre>${escape(reportText(runs, sweeps, comparison))}</pre>
</body>
</html>
`;
}
