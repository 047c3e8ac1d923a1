// The report's comparison section: a forest plot of ratios B/A with their 95% intervals, one row
// per matched pair and metric, on a log axis with a rule at 1 (no difference).
import type { TopLevelSpec } from "vega-lite";
import { PAGE_WIDTH } from "./charts";
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

/**
 * The ratio axis: a log scale fitted to the intervals and 1 (padded a tenth of the span each side,
 * and never narrower than 0.97-1.03), so intervals of a few percent are visibly wide.
 */
export function ratioDomain(values: readonly ForestRow[]): [number, number] {
  const ends = values.flatMap((v) => [v.lo, v.hi]).filter((x) => x > 0 && Number.isFinite(x));
  let lo = Math.log(Math.min(1, ...ends));
  let hi = Math.log(Math.max(1, ...ends));
  const pad = Math.max((hi - lo) * 0.1, 0.005);
  lo = Math.min(lo - pad, Math.log(0.97));
  hi = Math.max(hi + pad, Math.log(1.03));
  return [Math.exp(lo), Math.exp(hi)];
}

/**
 * Tick values for the ratio axis, all inside it: on a narrow axis (less than 4x end to end) round
 * steps of 1, 2, 2.5 or 5 x 10^k, about six, which always include 1; on a wide one 1, 2 and 5 x 10^k
 * (and 1.5, 3, 7 when those are too few).
 */
export function ratioTicks([lo, hi]: readonly [number, number]): number[] {
  const inside = (ts: number[]) => ts.filter((t) => t > lo && t < hi);
  if (hi / lo < 4) {
    const raw = (hi - lo) / 8;
    const p = 10 ** Math.floor(Math.log10(raw));
    const step = [1, 2, 2.5, 5, 10].map((m) => m * p).find((s) => s >= raw)!;
    const decimals = Math.max(0, -Math.floor(Math.log10(step)) + 1);
    const ticks: number[] = [];
    for (let k = Math.ceil(lo / step); k * step < hi; k++) ticks.push(Number((k * step).toFixed(decimals)));
    return inside(ticks);
  }
  const decades = (mantissas: number[]) => {
    const ts: number[] = [];
    for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
      for (const m of mantissas) ts.push(Number((m * 10 ** e).toPrecision(3)));
    }
    return inside(ts);
  };
  const coarse = decades([1, 2, 5]);
  return coarse.length >= 4 ? coarse : decades([1, 1.5, 2, 3, 5, 7]);
}

const ROW_PX = 44;
/** What the legend takes beside the plot. */
const LEGEND_PX = 150;

export function forestSpec(r: CompareResult): TopLevelSpec {
  const values = forestRows(r);
  const domain = ratioDomain(values);
  const x = { type: "quantitative" as const, title: "B/A (log scale)", scale: { type: "log" as const, domain, nice: false },
    axis: { values: ratioTicks(domain), format: "~r", grid: true } };
  // The rows' y encoding is in the layers that have rows: the rule at 1 has none (it spans the plot).
  // Each row's label is set in full above its interval, from the plot's left edge (as axis labels,
  // Vega's server-side layout reserves 8 px a character for them and cuts or crowds the plot).
  const y = { field: "row", type: "nominal" as const, title: null, sort: null, axis: null, scale: { paddingOuter: 0.6 } };
  const color = { field: "verdict", type: "nominal" as const, title: "verdict",
    scale: { domain: ["slower", "faster", "no difference"], range: ["#c0392b", "#2e86c1", "#7f8c8d"] } };
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: { text: "Median ratio B/A with 95% bootstrap intervals (right of 1: B slower)", subtitle: `A: ${r.baseline}` },
    width: PAGE_WIDTH - LEGEND_PX,
    height: Math.max(90, ROW_PX * values.length),
    layer: [
      { data: { values: [{ one: 1 }] }, mark: { type: "rule", strokeDash: [4, 4], color: "black" }, encoding: { x: { ...x, field: "one" } } },
      { data: { values }, mark: { type: "rule", strokeWidth: 3 }, encoding: { y, x: { ...x, field: "lo" }, x2: { field: "hi" }, color } },
      { data: { values }, mark: { type: "text", align: "left", baseline: "bottom", dy: -7, fontSize: 11 }, encoding: { y, x: { value: 4 }, text: { field: "row" } } },
      { data: { values }, mark: { type: "point", filled: true, size: 70 }, encoding: { y, x: { ...x, field: "ratio" }, color,
        tooltip: [{ field: "row", title: "comparison" }, { field: "ratio", format: ".4~r", title: "B/A" }, { field: "lo", format: ".4~r" }, { field: "hi", format: ".4~r" }] } },
    ],
  };
}
