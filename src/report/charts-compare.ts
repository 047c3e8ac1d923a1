// The report's comparison section: a forest plot of ratios B/A with their 95% intervals, one row
// per matched pair and metric, on a log axis with a rule at 1 (no difference).
import type { TopLevelSpec } from "vega-lite";
import { WIDTH } from "./charts";
import { METRIC_INFO } from "../compare/metrics";
import type { CompareResult } from "../compare/run";

export interface ForestRow {
  row: string;
  metric: string;
  ratio: number;
  lo: number;
  hi: number;
  verdict: string;
}

/** One row per pair and metric that has a ratio (a metric "not comparable" has no row). */
export function forestRows(r: CompareResult): ForestRow[] {
  return r.pairs.flatMap((p) => p.metrics.filter((m) => m.ratio.p50 !== null).map((m) => ({
    row: `${p.b.key} (${p.b.input}) vs ${p.a.key} · ${METRIC_INFO[m.metric].label}`,
    metric: METRIC_INFO[m.metric].label,
    ratio: m.ratio.p50!.estimate,
    lo: m.ratio.p50!.lo,
    hi: m.ratio.p50!.hi,
    verdict: m.verdict,
  })));
}

export function forestSpec(r: CompareResult): TopLevelSpec {
  const values = forestRows(r);
  const ends = values.flatMap((v) => [v.lo, v.hi]);
  const domain = [Math.min(0.9, ...ends) * 0.98, Math.max(1.1, ...ends) * 1.02];
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: `Median ratio B/A with 95% bootstrap intervals (A: ${r.baseline}; right of 1: B slower)`,
    width: WIDTH - 160, height: Math.max(60, 26 * values.length),
    data: { values },
    encoding: { y: { field: "row", type: "nominal", title: null, sort: null, axis: { labelLimit: 420 } } },
    layer: [
      { mark: { type: "rule", strokeWidth: 2 }, encoding: { x: { field: "lo", type: "quantitative", title: "B/A (log scale)", scale: { type: "log", domain } }, x2: { field: "hi" }, color: { field: "verdict", type: "nominal", title: "verdict", scale: { domain: ["slower", "faster", "no difference"], range: ["#c0392b", "#2e86c1", "#7f8c8d"] } } } },
      { mark: { type: "point", filled: true, size: 60 }, encoding: { x: { field: "ratio", type: "quantitative" }, color: { field: "verdict", type: "nominal" } } },
      { data: { values: [{ one: 1 }] }, mark: { type: "rule", strokeDash: [4, 4], color: "black" }, encoding: { x: { field: "one", type: "quantitative" } } },
    ],
  };
}
