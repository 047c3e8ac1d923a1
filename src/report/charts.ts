// The report's charts as Vega-Lite specs, rendered to SVG by Vega itself (no browser, no network):
// latency CDFs, cold against warm, and for a sweep duration and cost against memory.
// (vega-lite's types are found through tsconfig `paths`: its package exports hide them from the
// project's CommonJS module resolution.)
import type { TopLevelSpec } from "vega-lite";
import type { Run, Sweep } from "./load";
import { typicalDuration, warmCostPer1M } from "../measure/sweep";

/** Percentiles each CDF is drawn through. */
export const CDF_PERCENTILES: readonly number[] = [
  1, 2, 5, ...Array.from({ length: 19 }, (_, i) => (i + 1) * 5).filter((p) => p > 5), 97, 98, 99, 99.5, 99.9, 100,
];

const WIDTH = 560;

export function cdfSpec(runs: Run[]): TopLevelSpec {
  const values = runs.flatMap((r) => (["clientMs", "durationMs"] as const).flatMap((metric) =>
    r.summary.metrics().get(metric).quantiles(CDF_PERCENTILES).map(({ p, value }) => ({
      series: `${r.label} · ${metric === "clientMs" ? "client" : "duration"}`, ms: value, fraction: p / 100,
    }))));
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: "Latency CDF (client round trip and REPORT duration)",
    width: WIDTH, height: 320,
    data: { values },
    mark: { type: "line", point: true, interpolate: "step-after" },
    encoding: {
      x: { field: "ms", type: "quantitative", title: "ms (log scale)", scale: { type: "log" } },
      y: { field: "fraction", type: "quantitative", title: "fraction of invocations", scale: { domain: [0, 1] } },
      color: { field: "series", type: "nominal", title: null, sort: null, scale: { scheme: "tableau20" }, legend: { orient: "bottom", columns: 3, labelLimit: 320 } },
    },
  };
}

export function coldWarmSpec(runs: Run[]): TopLevelSpec {
  const values = runs.flatMap((r) => (["cold", "warm"] as const).flatMap((start) => {
    const s = r.summary.metrics(start).get("clientMs").stat();
    return s.p50 === null ? [] : [{ run: r.label, start, p50: s.p50, p90: s.p90 }];
  }));
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: "Cold and warm starts side by side (client ms, bar p50, tick p90)",
    width: Math.max(WIDTH, 90 * runs.length), height: 260,
    data: { values },
    encoding: {
      x: { field: "run", type: "nominal", title: null, sort: null, axis: { labelAngle: 0 } },
      xOffset: { field: "start", type: "nominal" },
      color: { field: "start", type: "nominal", title: "start", scale: { domain: ["cold", "warm"] } },
    },
    layer: [
      { mark: "bar", encoding: { y: { field: "p50", type: "quantitative", title: "client ms" } } },
      { mark: { type: "tick", color: "black", thickness: 2 }, encoding: { y: { field: "p90", type: "quantitative" } } },
    ],
  };
}

export function sweepDurationSpec(sweep: Sweep): TopLevelSpec {
  const values = sweep.steps.flatMap((s) => [
    { memoryMb: s.memoryMb, stat: "p50", ms: typicalDuration(s.summary) },
    { memoryMb: s.memoryMb, stat: "p90", ms: s.summary.split.warm.durationMs.p90 ?? s.summary.durationMs.p90 },
  ].filter((v) => v.ms !== null));
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: `${sweep.benchmark}: duration against memory (warm)`,
    width: WIDTH, height: 260,
    data: { values },
    mark: { type: "line", point: true },
    encoding: {
      x: { field: "memoryMb", type: "quantitative", title: "memory MB", scale: { type: "log", base: 2 }, axis: { values: sweep.steps.map((s) => s.memoryMb) } },
      y: { field: "ms", type: "quantitative", title: "duration ms" },
      color: { field: "stat", type: "nominal", title: null },
    },
  };
}

export function sweepCostSpec(sweep: Sweep): TopLevelSpec {
  const values = sweep.steps.filter((s) => warmCostPer1M(s.summary) !== null)
    .map((s) => ({ memoryMb: s.memoryMb, usd: warmCostPer1M(s.summary) }));
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: `${sweep.benchmark}: cost per 1M warm invocations against memory`,
    width: WIDTH, height: 260,
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
