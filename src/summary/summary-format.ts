// The human summary: a header, the counts per start kind, one row per time for all calls and for
// each start kind present, the cost in one notation (USD per 1M calls, two decimals; run totals to
// six decimals), and the notes.
import type { Stat } from "../stats/metric";
import type { Rate } from "../stats/wilson";
import { START_KINDS } from "../runs/record";
import { groupsShown, ROW_METRICS } from "./summary-notes";
import type { SummaryJson } from "./summary-json";
import { textTable } from "./text-table";
import { formatWorkload } from "./workload-summary";

/** A figure at the precision it was measured at: whole numbers bare, others with two decimals. */
function fmt(x: number | null, integer: boolean): string {
  if (x === null) return "-";
  return integer ? String(Math.round(x)) : x.toFixed(2);
}

/** A percentage: one decimal, or two significant digits below 0.1% so a small rate is not shown as 0. */
export function percent(x: number): string {
  return x > 0 && x < 0.001 ? `${Number((100 * x).toPrecision(2))}%` : `${(100 * x).toFixed(1)}%`;
}

/** "2 of 400 (0.5% [0.1%, 1.8%])": a count, its share and the share's Wilson 95% interval. */
export function formatRate(r: Rate): string {
  if (r.rate === null || r.ci95 === null) return `${r.count} of ${r.n}`;
  return `${r.count} of ${r.n} (${percent(r.rate)} [${percent(r.ci95[0])}, ${percent(r.ci95[1])}])`;
}

const per1M = (x: number | null) => (x === null ? "-" : `$${x.toFixed(2)}`);
const total = (x: number | null) => (x === null ? "-" : `$${x.toFixed(6)}`);

function row(label: string, s: Stat, integer: boolean): string[] {
  const f = (x: number | null) => fmt(x, integer);
  const ci = s.p50Ci95 ? `[${f(s.p50Ci95[0])}, ${f(s.p50Ci95[1])}]` : "-";
  // The mean is not an observed value: two decimals even for whole-number times.
  return [label, String(s.n), fmt(s.mean, false), f(s.p50), ci, f(s.p90), f(s.p99), f(s.max)];
}

export function formatSummary(s: SummaryJson): string {
  const head = `${s.benchmark ?? "?"} (${s.function ?? "?"}${s.qualifier ? `:${s.qualifier}` : ""}, ${s.region ?? "?"}, ` +
    `${s.architecture ?? "?"}, ${s.memoryMb ?? "?"} MB)` + (s.interrupted ? "  INTERRUPTED" : "");
  const kinds = START_KINDS.filter((k) => k === "cold" || k === "warm" || s.kinds[k] > 0).map((k) => `${k} ${s.kinds[k]}`).join("  ");
  const counts = `invocations ${s.invocations}  errors ${s.errors}  throttles ${s.throttles}  retries ${s.retries}  ${kinds}` +
    (s.forcedColdNotCold > 0 ? `  forced-cold-but-warm ${s.forcedColdNotCold}` : "");
  const rows = [["", "n", "mean", "p50", "p50 95% CI", "p90", "p99", "max"]];
  // A closed loop's latency is its client time plus the loop's own microseconds: not a row of its own.
  const open = s.workload !== null && s.workload.workload.shape !== "closed";
  for (const [prefix, g] of groupsShown(s, s.split)) {
    for (const [key, label] of ROW_METRICS) {
      if (key === "latencyMs" && !open) continue;
      const always = key === "clientMs" || key === "durationMs" || key === "billedMs" || key === "maxMemoryMb";
      if (!always && g[key].n === 0) continue;
      rows.push(row(`${prefix}${label}`, g[key], key === "billedMs" || key === "maxMemoryMb"));
    }
  }
  const byKind = START_KINDS.filter((k) => s.cost.byKind[k].n > 0);
  const cost = `cost per 1M calls ${per1M(s.cost.per1MUsd)}` +
    (byKind.length > 1 ? ` (${byKind.map((k) => `${k} ${per1M(s.cost.byKind[k].per1MUsd)}`).join(", ")})` : "") +
    `  run total ${total(s.cost.totalUsd)}` +
    (s.cost.provisionedConcurrency
      ? `  + provisioned concurrency ${total(s.cost.provisionedConcurrency.usd)} (${s.cost.provisionedConcurrency.concurrency} x ` +
        `${(s.cost.provisionedConcurrency.wallMs / 1000).toFixed(1)} s)`
      : "") +
    (s.pricing ? `  (${s.pricing.region} prices, ${s.pricing.source}, ${s.pricing.date})` : "");
  const rates = `errors: function ${formatRate(s.errorRates.function)}, transport ${formatRate(s.errorRates.transport)}; ` +
    `times and cost per call are of the ${s.invocations - s.errors} successful calls`;
  return [head, counts, rates, textTable(rows), ...formatWorkload(s.workload), cost, ...s.notes.map((n) => `note: ${n}`)].join("\n");
}
