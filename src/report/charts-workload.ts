// The report's workload charts (issue 13), Vega-Lite like charts.ts. For open-loop, ramp and trace
// runs: latency p50 and p99 per second (from the scheduled time) with the seconds that had cold
// starts marked, above the achieved rate per second beside the scheduled one. For bursts: each
// burst's latency distribution, above its cold-start count.
import type { TopLevelSpec } from "vega-lite";
import type { Run } from "../summary/saved-runs";
import { WIDTH as FULL } from "./charts";

/** Room on the right for the legends. */
const WIDTH = FULL - 160;
const SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json";

const shapeOf = (run: Run) => run.summary.workload.toJson()?.workload.shape;

/** The runs that get a time chart, and those that get a burst chart. */
export const timedRuns = (runs: Run[]) => runs.filter((r) => ["open", "ramp", "trace"].includes(shapeOf(r) ?? ""));
export const burstRuns = (runs: Run[]) => runs.filter((r) => shapeOf(r) === "burst");

export function timeSeriesSpec(run: Run): TopLevelSpec {
  const points = run.summary.workload.seconds();
  const latency = points.flatMap((p) => [
    { second: p.second, repetition: p.repetition, stat: "p50", ms: p.p50LatencyMs },
    { second: p.second, repetition: p.repetition, stat: "p99", ms: p.p99LatencyMs },
  ].filter((v) => v.ms !== null));
  const cold = points.filter((p) => p.cold > 0 && p.p99LatencyMs !== null).map((p) => ({ second: p.second, ms: p.p99LatencyMs, cold: p.cold }));
  const rate = points.flatMap((p) => [
    { second: p.second, repetition: p.repetition, series: "achieved (sent)", perSecond: p.sent },
    { second: p.second, repetition: p.repetition, series: "scheduled", perSecond: p.sent + p.dropped },
  ]);
  // Whole seconds only: a 3-second run gets ticks 0, 1, 2, not 0.1 s steps.
  const x = { field: "second", type: "quantitative" as const, title: "second of the run (each repetition from its own start)", axis: { tickMinStep: 1, format: "d" } };
  // Repetitions (--repeat) share the axis, each its own line: never joined into one.
  const detail = { field: "repetition", type: "nominal" as const };
  return {
    $schema: SCHEMA,
    title: `${run.label}: latency and rate over time`,
    // Each panel its own colours: the latency panel pins its domain to p50/p99/cold starts, which
    // would leave the rate panel's series unmapped (and undrawn) under a shared scale.
    resolve: { scale: { color: "independent", strokeDash: "independent" }, legend: { color: "independent", strokeDash: "independent" } },
    vconcat: [
      {
        width: WIDTH, height: 220,
        layer: [
          {
            data: { values: latency },
            mark: { type: "line", point: false },
            encoding: {
              x, detail, y: { field: "ms", type: "quantitative", title: "latency ms (from scheduled)", scale: { type: "log" } },
              color: { field: "stat", type: "nominal", title: null, scale: { domain: ["p50", "p99", "cold starts"], range: ["#4c78a8", "#f58518", "#d62728"] } },
            },
          },
          {
            data: { values: cold },
            mark: { type: "point", shape: "triangle-up", filled: true, color: "#d62728" },
            encoding: { x, y: { field: "ms", type: "quantitative" }, size: { field: "cold", type: "quantitative", title: "cold starts" } },
          },
        ],
      },
      {
        width: WIDTH, height: 160,
        data: { values: rate },
        mark: { type: "line", interpolate: "step-after" },
        encoding: {
          // Headroom above the highest rate, so a steady run's line is not drawn on the frame.
          x, detail, y: { field: "perSecond", type: "quantitative", title: "calls a second", scale: { domainMin: 0, domainMax: 1.15 * Math.max(1, ...rate.map((r) => r.perSecond)) } },
          color: { field: "series", type: "nominal", title: null },
          strokeDash: { field: "series", type: "nominal", title: null },
        },
      },
    ],
  } as TopLevelSpec;
}

export function burstSpec(run: Run): TopLevelSpec {
  const bursts = run.summary.workload.bursts();
  const latencies = bursts.flatMap((b) => b.latencies.map((ms) => ({ burst: b.burst, ms })));
  const cold = bursts.map((b) => ({ burst: b.burst, cold: b.cold, warm: b.n - b.cold }));
  const x = { field: "burst", type: "ordinal" as const, title: "burst", axis: { labelAngle: 0 } };
  return {
    $schema: SCHEMA,
    title: `${run.label}: each burst's latency and cold starts`,
    vconcat: [
      {
        width: WIDTH, height: 220,
        data: { values: latencies },
        mark: { type: "boxplot", extent: "min-max" },
        encoding: { x, y: { field: "ms", type: "quantitative", title: "latency ms (from scheduled)" } },
      },
      {
        width: WIDTH, height: 140,
        data: { values: cold },
        mark: { type: "bar", color: "#d62728" },
        encoding: { x, y: { field: "cold", type: "quantitative", title: "cold starts" } },
      },
    ],
  } as TopLevelSpec;
}
