// A run's summary: a fold over its invocation records, so `measure` and `report` (which reads the
// records back from JSONL) summarize the same way, and nothing but counters and histograms is kept.
// Every figure is split by start kind; costs are rounded to 12 significant digits (no float tails),
// times are at the precision they were measured at (stats.ts).
import { MetricSet } from "../stats/metric";
import { rateOf } from "../stats/wilson";
import { pricesFor, provisionedConcurrencyCost, type Architecture } from "../aws/pricing";
import { summaryNotes } from "./summary-notes";
import { START_KINDS, type InvocationRecord, type StartKind } from "../runs/record";
import { WorkloadSummary } from "./workload-summary";

import type { KindCost, Stats, SummaryJson } from "./summary-json";

export type { KindCost, SummaryJson } from "./summary-json";

export class RunSummary {
  private first: InvocationRecord | undefined;
  private invocations = 0;
  private functionErrors = 0;
  private transportErrors = 0;
  private throttles = 0;
  private retries = 0;
  private noReport = 0;
  private costed = 0;
  private totalCost = 0;
  private successCost = 0;
  private warmupCalls = 0;
  private droppedCalls = 0;
  private forcedColdNotCold = 0;
  /** The run's wall time: first send to last response (ms since the epoch), over the counted calls. */
  private firstSend = Infinity;
  private lastEnd = -Infinity;
  private provisioned: number | null = null;
  private lastStart = "";
  private lastStartMs = NaN;
  /** Records with no REPORT (no start kind); with byKind's, every record's metrics. */
  private readonly noKind = new MetricSet();
  /** byKind and noKind merged, made when asked for and kept until the next record. */
  private all: MetricSet | undefined;
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
    // Calls of the same millisecond share one start string (invoke.ts): parse each once.
    if (r.start !== this.lastStart) {
      this.lastStart = r.start;
      this.lastStartMs = Date.parse(r.start);
    }
    const sent = this.lastStartMs;
    if (Number.isFinite(sent)) {
      this.firstSend = Math.min(this.firstSend, sent);
      this.lastEnd = Math.max(this.lastEnd, sent + r.clientMs);
    }
    if (r.provisionedConcurrency !== null) this.provisioned = Math.max(this.provisioned ?? 0, r.provisionedConcurrency);
    // A transport error (no Invoke response) is counted as one, whatever the function did.
    if (r.error !== null) this.transportErrors++;
    else if (r.functionError !== null) this.functionErrors++;
    this.throttles += r.throttles;
    this.retries += r.retries;
    // A failed call is billed (the run's total says what it cost) but is no sample: its duration
    // and cost per call are those of a crash, and a function that crashes fast would read as fast.
    if (r.costUsd !== null) this.totalCost += r.costUsd;
    if (r.error !== null || r.functionError !== null) return;
    if (r.costUsd !== null) {
      this.costed++;
      this.successCost += r.costUsd;
      if (r.startKind !== null) {
        this.kindCost[r.startKind].n++;
        this.kindCost[r.startKind].total += r.costUsd;
      }
    }
    // Into its start kind's metrics only: the figures of all calls are their merge (allMetrics).
    this.all = undefined;
    if (r.startKind !== null) this.byKind[r.startKind].add(r);
    else {
      this.noKind.add(r);
      this.noReport++;
    }
    if (r.forcedCold && r.startKind !== null && r.startKind !== "cold") this.forcedColdNotCold++;
  }

  get count(): number {
    return this.invocations;
  }

  /** The streaming metrics of all invocations, or of one start kind only (for plots). */
  metrics(group: "all" | StartKind = "all"): MetricSet {
    return group === "all" ? this.allMetrics() : this.byKind[group];
  }

  private allMetrics(): MetricSet {
    return (this.all ??= new MetricSet([...START_KINDS.map((k) => this.byKind[k]), this.noKind]));
  }

  toJson(): SummaryJson {
    const f = this.first;
    const stats = this.allMetrics().stats();
    const price = f ? pricesFor(f.region) : undefined;
    const split = Object.fromEntries(START_KINDS.map((k) => [k, this.byKind[k].stats()])) as Record<StartKind, Stats>;
    const memoryMb = f ? f.configMemoryMb ?? f.memoryMb : null;
    const wallMs = this.lastEnd > this.firstSend ? Math.round(this.lastEnd - this.firstSend) : 0;
    const pc = price && f && this.provisioned !== null && memoryMb !== null
      ? { concurrency: this.provisioned, wallMs, usd: tidy(provisionedConcurrencyCost(price.prices, f.architecture as Architecture, this.provisioned, memoryMb, wallMs)) }
      : null;
    const notes = summaryNotes({
      priceNote: price?.note, noReport: this.noReport, forcedColdNotCold: this.forcedColdNotCold,
      restores: this.byKind.restore.clientMs.count, all: stats, split, provisioned: pc !== null,
      open: f !== undefined && f.workload.shape !== "closed",
    });
    const per = this.costed ? this.successCost / this.costed : null;
    return {
      benchmark: f?.benchmark ?? null,
      function: f?.function ?? null,
      region: f?.region ?? null,
      architecture: f?.architecture ?? null,
      memoryMb,
      qualifier: f?.qualifier ?? null,
      invocations: this.invocations,
      errors: this.functionErrors + this.transportErrors,
      errorRates: {
        function: rateOf(this.functionErrors, this.invocations),
        transport: rateOf(this.transportErrors, this.invocations),
        failed: rateOf(this.functionErrors + this.transportErrors, this.invocations),
      },
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
        totalUsd: this.costed || this.totalCost ? tidy(this.totalCost) : null,
        perInvocationUsd: per === null ? null : tidy(per),
        per1MUsd: per === null ? null : tidy(per * 1e6),
        byKind: Object.fromEntries(START_KINDS.map((k) => {
          const c = this.kindCost[k];
          return [k, { n: c.n, totalUsd: c.n ? tidy(c.total) : null, per1MUsd: c.n ? tidy((c.total / c.n) * 1e6) : null }];
        })) as Record<StartKind, KindCost>,
        provisionedConcurrency: pc,
      },
      split,
      workload: this.workload.toJson(),
      pricing: price ? { region: price.region, source: price.prices.source, date: price.prices.date } : null,
      interrupted: this.interrupted,
      notes,
    };
  }
}

export { formatSummary } from "./summary-format";

/** A dollar amount without the float tail of a sum (0.21875009374999999 -> 0.21875009375). */
export const tidy = (usd: number): number => Number(usd.toPrecision(12));
