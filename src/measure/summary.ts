// A run's summary: a fold over its invocation records, so `measure` and `report` (which reads the
// records back from JSONL) summarize the same way, and nothing but counters and histograms is kept.
import { MetricSet, ciWarning, type Stat } from "./stats";
import { pricesFor, PRICE_DATE, PRICE_SOURCE } from "./pricing";
import { START_KINDS, type InvocationRecord, type StartKind } from "./record";
import { formatWorkload, WorkloadSummary, type WorkloadSummaryJson } from "./workload-summary";

type Stats = ReturnType<MetricSet["stats"]>;

export interface SummaryJson extends Stats {
  benchmark: string | null;
  function: string | null;
  region: string | null;
  architecture: string | null;
  memoryMb: number | null;
  qualifier: string | null;
  /** Calls sent and answered or failed; warm-up and dropped calls are not among them. */
  invocations: number;
  errors: number;
  throttles: number;
  retries: number;
  /** Warm-up calls (`--warmup`): in the run file, left out of every figure here. */
  warmup: number;
  /** Calls the workload never sent (its in-flight limit was reached when they were due). */
  dropped: number;
  /** Invocations per start kind (record.ts), and `cold`/`warm` as before for old readers. */
  kinds: Record<StartKind, number>;
  cold: number;
  warm: number;
  /** Forced cold starts (`--cold`) whose REPORT had no Init Duration: the forcing did not work. */
  forcedColdNotCold: number;
  cost: {
    totalUsd: number | null;
    perInvocationUsd: number | null;
    per1MUsd: number | null;
    /** The same, per start kind: a sweep chooses on warm cost, with cold cost and share beside it. */
    byKind: Record<StartKind, KindCost>;
  };
  /** The same times, split by start kind. */
  split: Record<StartKind, Stats>;
  /** The workload's figures (rates, lag, drops, bursts); null for records with no schedule. */
  workload: WorkloadSummaryJson | null;
  pricing: { region: string; source: string; date: string } | null;
  interrupted: boolean;
  notes: string[];
}

export interface KindCost {
  n: number;
  totalUsd: number | null;
  per1MUsd: number | null;
}

export class RunSummary {
  private first: InvocationRecord | undefined;
  private invocations = 0;
  private errors = 0;
  private throttles = 0;
  private retries = 0;
  private noReport = 0;
  private costed = 0;
  private totalCost = 0;
  private warmupCalls = 0;
  private droppedCalls = 0;
  private forcedColdNotCold = 0;
  private readonly all = new MetricSet();
  private readonly kindCost = Object.fromEntries(START_KINDS.map((k) => [k, { n: 0, total: 0 }])) as Record<StartKind, { n: number; total: number }>;
  private readonly byKind = Object.fromEntries(START_KINDS.map((k) => [k, new MetricSet()])) as Record<StartKind, MetricSet>;
  readonly workload = new WorkloadSummary();
  interrupted = false;

  add(r: InvocationRecord): void {
    this.first ??= r;
    if (r.warmup) {
      this.warmupCalls++;
      return;
    }
    this.workload.add(r);
    if (r.status === "dropped") {
      this.droppedCalls++;
      return;
    }
    this.invocations++;
    if (r.functionError !== null || r.error !== null) this.errors++;
    this.throttles += r.throttles;
    this.retries += r.retries;
    if (r.costUsd !== null) {
      this.costed++;
      this.totalCost += r.costUsd;
      if (r.startKind !== null) {
        this.kindCost[r.startKind].n++;
        this.kindCost[r.startKind].total += r.costUsd;
      }
    }
    // Records that never reached the function have no times of the function to contribute.
    if (r.error !== null) return;
    this.all.add(r);
    if (r.startKind !== null) this.byKind[r.startKind].add(r);
    else this.noReport++;
    if (r.forcedCold && r.startKind !== null && r.startKind !== "cold") this.forcedColdNotCold++;
  }

  get count(): number {
    return this.invocations;
  }

  /** The streaming metrics of all invocations, or of one start kind only (for plots). */
  metrics(group: "all" | StartKind = "all"): MetricSet {
    return group === "all" ? this.all : this.byKind[group];
  }

  toJson(): SummaryJson {
    const f = this.first;
    const stats = this.all.stats();
    const notes: string[] = [];
    const price = f ? pricesFor(f.region) : undefined;
    if (price?.note) notes.push(price.note);
    if (this.noReport > 0) {
      notes.push(`${this.noReport} invocation${this.noReport === 1 ? "" : "s"} returned no REPORT log tail; ` +
        "their duration, memory and cost are not counted (an emulator, or a log format we do not know)");
    }
    if (this.forcedColdNotCold > 0) {
      notes.push(`${this.forcedColdNotCold} forced cold start${this.forcedColdNotCold === 1 ? " was" : "s were"} not cold ` +
        "(no Init Duration in the REPORT): the forcing did not work, so the cold figures are short of them");
    }
    for (const [name, s] of Object.entries(stats) as [string, Stat][]) {
      // A closed loop's latencyMs is its clientMs plus the loop's own microseconds: one note is enough.
      const warning = name === "initMs" || (name === "latencyMs" && f?.workload.shape === "closed") ? undefined : ciWarning(name, s);
      if (warning) notes.push(warning);
    }
    const per = this.costed ? this.totalCost / this.costed : null;
    return {
      benchmark: f?.benchmark ?? null,
      function: f?.function ?? null,
      region: f?.region ?? null,
      architecture: f?.architecture ?? null,
      memoryMb: f ? f.configMemoryMb ?? f.memoryMb : null,
      qualifier: f?.qualifier ?? null,
      invocations: this.invocations,
      errors: this.errors,
      throttles: this.throttles,
      retries: this.retries,
      warmup: this.warmupCalls,
      dropped: this.droppedCalls,
      kinds: Object.fromEntries(START_KINDS.map((k) => [k, this.byKind[k].clientMs.count])) as Record<StartKind, number>,
      cold: this.byKind.cold.clientMs.count,
      warm: this.byKind.warm.clientMs.count,
      forcedColdNotCold: this.forcedColdNotCold,
      ...stats,
      cost: {
        totalUsd: this.costed ? this.totalCost : null,
        perInvocationUsd: per,
        per1MUsd: per === null ? null : per * 1e6,
        byKind: Object.fromEntries(START_KINDS.map((k) => {
          const c = this.kindCost[k];
          return [k, { n: c.n, totalUsd: c.n ? c.total : null, per1MUsd: c.n ? (c.total / c.n) * 1e6 : null }];
        })) as Record<StartKind, KindCost>,
      },
      split: Object.fromEntries(START_KINDS.map((k) => [k, this.byKind[k].stats()])) as Record<StartKind, Stats>,
      workload: this.workload.toJson(),
      pricing: price ? { region: price.region, source: PRICE_SOURCE, date: PRICE_DATE } : null,
      interrupted: this.interrupted,
      notes,
    };
  }
}

const fmt = (x: number | null, digits = 2) => (x === null ? "-" : x.toFixed(digits));
const usd = (x: number | null) => (x === null ? "-" : `$${x < 0.01 ? x.toPrecision(3) : x.toFixed(2)}`);

function row(label: string, s: Stat): string[] {
  const ci = s.p50Ci95 ? `[${fmt(s.p50Ci95[0])}, ${fmt(s.p50Ci95[1])}]` : "-";
  return [label, String(s.n), fmt(s.mean), fmt(s.p50), ci, fmt(s.p90), fmt(s.p99), fmt(s.max)];
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ").trimEnd()).join("\n");
}

/** The human summary: a header, one row per time, cold and warm apart, cost, notes. */
export function formatSummary(s: SummaryJson): string {
  const head = `${s.benchmark ?? "?"} (${s.function ?? "?"}, ${s.region ?? "?"}, ${s.architecture ?? "?"}, ${s.memoryMb ?? "?"} MB)` +
    (s.interrupted ? "  INTERRUPTED" : "");
  const counts = `invocations ${s.invocations}  errors ${s.errors}  throttles ${s.throttles}  retries ${s.retries}  cold ${s.cold}  warm ${s.warm}`;
  const rows = [["", "n", "mean", "p50", "p50 95% CI", "p90", "p99", "max"]];
  const groups: [string, Stats][] = s.cold > 0 && s.warm > 0
    ? [["", s], ["cold ", s.split.cold], ["warm ", s.split.warm]]
    : [["", s]];
  for (const [prefix, g] of groups) {
    rows.push(row(`${prefix}client ms`, g.clientMs), row(`${prefix}duration ms`, g.durationMs),
      row(`${prefix}billed ms`, g.billedMs));
    if (g.initMs.n > 0) rows.push(row(`${prefix}init ms`, g.initMs));
    rows.push(row(`${prefix}max memory MB`, g.maxMemoryMb));
  }
  const cost = `cost  total ${usd(s.cost.totalUsd)}  per invocation ${usd(s.cost.perInvocationUsd)}  per 1M ${usd(s.cost.per1MUsd)}` +
    (s.pricing ? `  (${s.pricing.region} prices, ${s.pricing.source}, ${s.pricing.date})` : "");
  return [head, counts, table(rows), ...formatWorkload(s.workload, s), cost, ...s.notes.map((n) => `note: ${n}`)].join("\n");
}
