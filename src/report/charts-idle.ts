// The idle experiment's chart: the share of probes that found no warm instance against how long
// the function was left idle, with each share's 95% Wilson interval as a bar. One line a run.
import type { TopLevelSpec } from "vega-lite";
import { WIDTH } from "./charts";
import type { IdleSummaryJson } from "../summary/idle-summary";

/** The unit the x axis counts in: the largest that keeps the idle times at 1 or more. */
function unitFor(maxMs: number): { name: string; ms: number } {
  if (maxMs >= 120_000) return { name: "minutes", ms: 60_000 };
  if (maxMs >= 2_000) return { name: "seconds", ms: 1000 };
  return { name: "ms", ms: 1 };
}

export function idleSpec(runs: { label: string; idle: IdleSummaryJson }[]): TopLevelSpec {
  const rows = runs.flatMap((r) => r.idle.rows.filter((row) => row.n > 0).map((row) => ({ run: r.label, row })));
  const unit = unitFor(Math.max(0, ...rows.map(({ row }) => row.idleMs)));
  const values = rows.map(({ run, row }) => ({
    run,
    after: row.after,
    idle: row.idleMs / unit.ms,
    share: row.coldShare,
    lo: row.coldShareCi95![0],
    hi: row.coldShareCi95![1],
    n: row.n,
  }));
  const ticks = [...new Set(values.map((v) => v.idle))].sort((a, b) => a - b);
  const x = { field: "idle", type: "quantitative" as const, title: `idle time (${unit.name})`, axis: { values: ticks } };
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: { text: "Cold-start share against idle time", subtitle: "probes that found no warm instance; bars: 95% Wilson interval, labelled with the probes' n" },
    width: WIDTH - 160, height: 260,
    data: { values },
    transform: [{ calculate: "'n=' + datum.n", as: "label" }],
    encoding: {
      x,
      color: { field: "run", type: "nominal", title: null, legend: { orient: "bottom" } },
    },
    layer: [
      { mark: { type: "rule", strokeWidth: 2, opacity: 0.6 }, encoding: { y: { field: "lo", type: "quantitative" }, y2: { field: "hi" } } },
      { mark: { type: "tick", orient: "horizontal", size: 10, opacity: 0.6 }, encoding: { y: { field: "lo", type: "quantitative" } } },
      { mark: { type: "tick", orient: "horizontal", size: 10, opacity: 0.6 }, encoding: { y: { field: "hi", type: "quantitative" } } },
      {
        mark: { type: "line", point: { filled: true, size: 50 } },
        encoding: { y: { field: "share", type: "quantitative", title: "cold-start share", scale: { domain: [0, 1] } } },
      },
      { mark: { type: "text", dy: -10, fontSize: 10 }, encoding: { y: { field: "hi", type: "quantitative" }, text: { field: "label", type: "nominal" } } },
    ],
  };
}
