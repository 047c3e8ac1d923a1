// What `compare` can compare, and which calls each metric takes its samples from. Forced cold
// starts are the tool's doing: every metric but `init` is taken from calls that did not start cold.
import type { InvocationRecord } from "../runs/record";
import { ClusteredBuilder, type Sample } from "../stats/samples";
import { countErrors, noErrors } from "./errors";

export const COMPARE_METRICS = ["latency", "client", "duration", "billed", "init", "cost"] as const;
export type CompareMetric = (typeof COMPARE_METRICS)[number];

/**
 * Each metric's label, unit, the calls it is taken from, and the scale its samples are stored at
 * (whole 1/scale units, as Metric keeps them: µs for client times, 1/100 ms for REPORT durations,
 * whole ms billed, and cost per 1M calls to 1/100 of a cent).
 */
export const METRIC_INFO: Record<CompareMetric, { label: string; unit: string; calls: string; scale: number }> = {
  latency: { label: "latency", unit: "ms", calls: "calls that did not start cold; closed-loop runs: the client round trip", scale: 1000 },
  client: { label: "client round trip", unit: "ms", calls: "calls that did not start cold", scale: 1000 },
  duration: { label: "duration", unit: "ms", calls: "calls that did not start cold", scale: 100 },
  billed: { label: "billed duration", unit: "ms", calls: "calls that did not start cold", scale: 1 },
  init: { label: "init duration", unit: "ms", calls: "cold starts", scale: 100 },
  cost: { label: "cost per 1M calls", unit: "USD", calls: "calls that did not start cold", scale: 10_000 },
};

/** A call that failed: no response (`error`) or the function's own error (`functionError`). */
export const failed = (r: InvocationRecord): boolean => r.error !== null || r.functionError !== null;

/**
 * The record's value of a metric, or null when the record does not count for it. A failed call is
 * never a sample: a function that crashes in 1 ms would otherwise read as fast.
 */
export function valueOf(metric: CompareMetric, r: InvocationRecord): number | null {
  if (r.warmup || r.status === "dropped" || failed(r)) return null;
  if (metric === "init") return r.initMs;
  if (r.startKind === "cold" || r.startKind === "restore") return null;
  switch (metric) {
    case "latency": return r.latencyMs ?? r.clientMs;
    case "client": return r.clientMs;
    case "duration": return r.durationMs;
    case "billed": return r.billedMs;
    case "cost": return r.costUsd === null ? null : r.costUsd * 1e6;
  }
}

/** One run file's samples of the chosen metrics, clustered by repetition. */
export class RunSampler {
  private readonly builders: Map<CompareMetric, ClusteredBuilder>;

  constructor(readonly metrics: readonly CompareMetric[]) {
    this.builders = new Map(metrics.map((m) => [m, new ClusteredBuilder(METRIC_INFO[m].scale)]));
  }

  /** The run's calls and failures (errors.ts). */
  readonly errors = noErrors();

  add(r: InvocationRecord): void {
    countErrors(this.errors, r);
    for (const [m, b] of this.builders) {
      const v = valueOf(m, r);
      if (v !== null) b.push(r.repetition, v);
    }
  }

  build(): Map<CompareMetric, Sample> {
    return new Map([...this.builders].map(([m, b]) => [m, b.build()]));
  }
}
