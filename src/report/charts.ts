// The report's charts as Vega-Lite specs, rendered to SVG by Vega itself (no browser, no network):
// latency CDFs, cold against warm, and for a sweep duration and cost against memory.
// (vega-lite's types are found through tsconfig `paths`: its package exports hide them from the
// project's CommonJS module resolution.)
import type { TopLevelSpec } from "vega-lite";
import type { Run, Sweep } from "../summary/saved-runs";
import { typicalDuration, warmCostPer1M } from "../summary/sweep-choice";

/** Percentiles each CDF is drawn through. */
export const CDF_PERCENTILES: readonly number[] = [
  1, 2, 5, ...Array.from({ length: 19 }, (_, i) => (i + 1) * 5).filter((p) => p > 5), 97, 98, 99, 99.5, 99.9, 100,
];

/** The page's content width in px (html.ts); each chart's plot is sized to fill it. */
export const PAGE_WIDTH = 1100;
/** What a chart spends beside its plot: the y axis and its title, and padding. */
const AXIS = 90;
/** Panels of a faceted chart in a row, and the gap between them. */
const COLUMNS = 2;
const GAP = 30;
/** The plot width of a chart that fills the page. */
export const WIDTH = PAGE_WIDTH - AXIS;

/** Runs that get a CDF panel each; with more, runs share one panel per function. */
export const PANEL_PER_RUN_UP_TO = 4;

/**
 * Latency CDFs, faceted: one panel per run when there are few (client and duration in each), else
 * one panel per function (its runs in each, client solid, duration dashed). Legends list only what
 * is drawn: a metric with no values (no REPORT, e.g. an emulator) is left out of the data.
 */
const CDF_METRIC = { clientMs: "client", latencyMs: "latency", durationMs: "duration" } as const;
/** Runs whose calls left on a schedule of times (open, ramp, trace, burst). */
const isOpen = (r: Run) => ["open", "ramp", "trace", "burst"].includes(r.summary.workload.toJson()?.workload.shape ?? "closed");

export function cdfSpec(runs: Run[]): TopLevelSpec {
  const perRun = runs.length <= PANEL_PER_RUN_UP_TO;
  // An open run's calls leave on a schedule: its CDF is of latency from the scheduled time (what a
  // user of the function waits, the sender's lag included), not of the client round trip.
  const values = runs.flatMap((r) => ([isOpen(r) ? "latencyMs" : "clientMs", "durationMs"] as const).flatMap((m) =>
    r.summary.metrics().get(m).quantiles(CDF_PERCENTILES).map(({ p, value }) => ({
      panel: perRun ? r.label : r.benchmark, run: r.label, metric: CDF_METRIC[m], ms: value, fraction: p / 100,
    }))));
  const panels = new Set(values.map((v) => v.panel)).size;
  const columns = Math.max(1, Math.min(COLUMNS, panels));
  const width = Math.floor((WIDTH - (columns - 1) * GAP) / columns);
  const metric = { field: "metric", type: "nominal", title: null, sort: ["client", "latency", "duration"] } as const;
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: perRun
      ? "Latency CDF (client round trip, or for an open workload latency from the scheduled time; and REPORT duration), one panel per run"
      : "Latency CDF, one panel per function (solid: client round trip, or latency from the scheduled time for an open workload; dashed: REPORT duration)",
    data: { values },
    facet: { field: "panel", type: "nominal", title: null, sort: null, header: { labelFontSize: 13, labelFontWeight: "bold" } },
    columns,
    spacing: GAP,
    spec: {
      width, height: perRun && panels > 2 ? 220 : 300,
      mark: { type: "line", point: { size: 14 }, interpolate: "step-after" },
      encoding: {
        x: { field: "ms", type: "quantitative", title: "ms (log scale)", scale: { type: "log" } },
        y: { field: "fraction", type: "quantitative", title: "fraction of invocations", scale: { domain: [0, 1] } },
        ...(perRun
          ? { color: { ...metric, legend: { orient: "bottom" } } }
          : {
            // The colour domain lists each panel's runs together, so a panel's runs take neighbouring colours, of distinct hues.
            color: {
              field: "run", type: "nominal", title: null, sort: null,
              scale: { domain: [...new Set(runs.map((r) => r.benchmark))].flatMap((b) => runs.filter((r) => r.benchmark === b).map((r) => r.label)), range: RUN_COLOURS },
              legend: { orient: "bottom", columns: 4, labelLimit: 320 },
            },
            strokeDash: { ...metric, legend: null, scale: { domain: ["client", "latency", "duration"], range: [[1, 0], [1, 0], [4, 3]] } },
            detail: { field: "metric" },
          }),
      },
    },
  };
}

export function coldWarmSpec(runs: Run[]): TopLevelSpec {
  const values = runs.flatMap((r) => (["cold", "warm"] as const).flatMap((start) => {
    const s = r.summary.metrics(start).get("clientMs").stat();
    return s.p50 === null ? [] : [{ run: r.label, start, p50: s.p50, p90: s.p90 }];
  }));
  // Only the start kinds drawn: a report with no cold start has no "cold" in its legend.
  const starts = (["cold", "warm"] as const).filter((k) => values.some((v) => v.start === k));
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: "Cold and warm starts side by side (client ms, bar p50, tick p90)",
    width: WIDTH, height: 260,
    data: { values },
    encoding: {
      // Labels set in full, slanted when they would not fit their band level (Vega's server-side
      // layout reserves 8 px a character: 0.8 x the 10 px font).
      x: { field: "run", type: "nominal", title: null, sort: null, axis: runLabelAxis(runs.map((r) => r.label), WIDTH) },
      xOffset: { field: "start", type: "nominal", scale: { domain: starts } },
      color: { field: "start", type: "nominal", title: "start", scale: { domain: starts, range: starts.map((k) => (k === "cold" ? "#4c78a8" : "#f58518")) } },
    },
    layer: [
      { mark: "bar", encoding: { y: { field: "p50", type: "quantitative", title: "client ms" } } },
      { mark: { type: "tick", color: "black", thickness: 2 }, encoding: { y: { field: "p90", type: "quantitative" } } },
    ],
  };
}

/** A band axis whose labels are never cut: level when each fits its band, else slanted 30 degrees. */
export function runLabelAxis(labels: readonly string[], width: number): { labelAngle: number; labelLimit: number; labelAlign?: "right" } {
  const band = Math.floor(width / Math.max(1, labels.length)) - 8;
  const longest = 8 * Math.max(0, ...labels.map((l) => l.length));
  return longest <= band ? { labelAngle: 0, labelLimit: 0 } : { labelAngle: -30, labelLimit: 0, labelAlign: "right" };
}

/**
 * Run colours with neighbours of distinct hues (tableau10 reordered so that neighbours' hues are at
 * least 50 degrees apart: its orange and red are not side by side), so the runs of one CDF panel,
 * consecutive, are told apart.
 */
export const RUN_COLOURS = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#9c755f", "#b07aa1", "#edc948", "#ff9da7", "#bab0ac"];

/** A sweep's two charts share the page's width, side by side. */
const HALF = Math.floor((WIDTH - GAP - AXIS) / 2);

export function sweepDurationSpec(sweep: Sweep): TopLevelSpec {
  const values = sweep.steps.flatMap((s) => [
    { memoryMb: s.memoryMb, stat: "p50", ms: typicalDuration(s.summary) },
    { memoryMb: s.memoryMb, stat: "p90", ms: s.summary.split.warm.durationMs.p90 ?? s.summary.durationMs.p90 },
  ].filter((v) => v.ms !== null));
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: `${sweep.benchmark}: duration against memory (warm)`,
    width: HALF, height: 260,
    data: { values },
    mark: { type: "line", point: true },
    encoding: {
      x: { field: "memoryMb", type: "quantitative", title: "memory MB", scale: { type: "log", base: 2 }, axis: { values: sweep.steps.map((s) => s.memoryMb) } },
      y: { field: "ms", type: "quantitative", title: "duration ms" },
      color: { field: "stat", type: "nominal", title: null, legend: { orient: "top-right" } },
    },
  };
}

export function sweepCostSpec(sweep: Sweep): TopLevelSpec {
  const values = sweep.steps.filter((s) => warmCostPer1M(s.summary) !== null)
    .map((s) => ({ memoryMb: s.memoryMb, usd: warmCostPer1M(s.summary) }));
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: `${sweep.benchmark}: cost per 1M warm invocations against memory`,
    width: HALF, height: 260,
    data: { values },
    mark: { type: "line", point: true, color: "#b3541e" },
    encoding: {
      x: { field: "memoryMb", type: "quantitative", title: "memory MB", scale: { type: "log", base: 2 }, axis: { values: sweep.steps.map((s) => s.memoryMb) } },
      y: { field: "usd", type: "quantitative", title: "USD per 1M invocations" },
    },
  };
}

// vega and vega-lite are ES modules with top-level await, which require() cannot load; this
// import() is kept as written by the CommonJS compiler output.
const importEsm = new Function("specifier", "return import(specifier)") as <T>(specifier: string) => Promise<T>;

/** Renders a Vega-Lite spec to a standalone SVG string. */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const [vega, vl] = await Promise.all([importEsm<typeof import("vega")>("vega"), importEsm<typeof import("vega-lite")>("vega-lite")]);
  const view = new vega.View(vega.parse(vl.compile(spec).spec), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
