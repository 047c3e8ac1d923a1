// `compare`'s text: per pair, each metric's p50 and p99 for A, B and B/A with 95% intervals, the
// verdict in hyperfine's words, and what makes the pair not like for like.
import type { Interval } from "../stats/bootstrap";
import { describeProvenance } from "../runs/provenance";
import { textTable } from "../summary/text-table";
import { formatRatio, type MetricComparison } from "./compare";
import { METRIC_INFO, type CompareMetric } from "./metrics";
import { decimalsOf } from "../stats/samples";
import type { ErrorComparison } from "./errors";
import { formatRate } from "../summary/summary-format";
import type { CompareResult, PairResult } from "./run";

/**
 * Decimals for a value and its interval alike: as the metric is measured (0.01 ms for REPORT
 * durations, whole billed ms), so each printed value is one recorded, whatever its size; client
 * times (kept to the µs, in --json) at 0.01 ms; cost per 1M calls (derived, not measured) in cents.
 */
const digitsFor = (metric: CompareMetric) => (METRIC_INFO[metric].unit === "USD" ? 2 : Math.min(2, decimalsOf(METRIC_INFO[metric].scale)));

function value(i: Interval | null, metric: CompareMetric): string {
  if (!i) return "-";
  const d = digitsFor(metric);
  return Number.isNaN(i.lo) ? i.estimate.toFixed(d) : `${i.estimate.toFixed(d)} [${i.lo.toFixed(d)}, ${i.hi.toFixed(d)}]`;
}

function ratio(i: Interval | null): string {
  if (!i) return "-";
  const f = formatRatio(i);
  return `${f.x}x [${f.lo}, ${f.hi}]`;
}

export function formatMetric(c: MetricComparison): string {
  const unit = c.unit === "USD" ? "USD" : c.unit;
  const head = `${METRIC_INFO[c.metric].label} (${unit}; ${METRIC_INFO[c.metric].calls})` +
    (c.method ? `, ${c.method}` : "");
  const rows = [
    ["", `A (n=${c.a.n})`, `B (n=${c.b.n})`, "B/A"],
    ["p50", value(c.a.p50, c.metric), value(c.b.p50, c.metric), ratio(c.ratio.p50)],
    ["p99", value(c.a.p99, c.metric), value(c.b.p99, c.metric), ratio(c.ratio.p99)],
  ];
  return [head, textTable(rows, "   ").replace(/^/gm, "  "), `  ${c.text}`, ...c.notes.map((n) => `  note: ${n}`)].join("\n");
}

/** The errors line: each side's failures by kind, and the verdict on B's failure rate. */
export function formatErrors(e: ErrorComparison): string {
  const side = (x: ErrorComparison["a"]) => `function ${formatRate(x.function)}, transport ${formatRate(x.transport)}`;
  return `errors (every call; a failed call is no sample above): A ${side(e.a)}; B ${side(e.b)}\n  ${e.text}`;
}

export function formatPair(p: PairResult): string {
  const files = (fs: string[]) => (fs.length === 1 ? fs[0] : `${fs.length} files: ${fs.join(", ")}`);
  const prov = (x: PairResult["a"]) => (x.provenance ? [`   ${describeProvenance(x.provenance)}`] : []);
  return [
    `A: ${p.a.key}  (${files(p.a.files)})`,
    ...prov(p.a),
    `B: ${p.b.key}  (${files(p.b.files)})`,
    ...prov(p.b),
    ...p.notes.map((n) => `note: ${n}`),
    ...p.metrics.map(formatMetric),
    formatErrors(p.errors),
  ].join("\n");
}

export function formatCompare(r: CompareResult): string {
  const parts = r.pairs.map(formatPair);
  for (const u of r.unmatched) parts.push(`not matched in ${r.baseline} vs ${u.input}: ${u.runs.join("; ")}`);
  if (r.pairs.length === 0) parts.push("no runs matched: nothing compared");
  return `${parts.join("\n\n")}\n`;
}
