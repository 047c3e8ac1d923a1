// What `compare` can compare, and which calls each metric takes its samples from. Forced cold
// starts are the tool's doing: every metric but `init` is taken from calls that did not start cold.
import type { InvocationRecord } from "../runs/record";
import { ClusteredBuilder, type Sample } from "../stats/samples";

export const COMPARE_METRICS = ["latency", "client", "duration", "billed", "init", "cost"] as const;
export type CompareMetric = (typeof COMPARE_METRICS)[number];

export const METRIC_INFO: Record<CompareMetric, { label: string; unit: string; calls: string }> = {
  latency: { label: "latency", unit: "ms", calls: "calls that did not start cold; closed-loop runs: the client round trip" },
  client: { label: "client round trip", unit: "ms", calls: "calls that did not start cold" },
  duration: { label: "duration", unit: "ms", calls: "calls that did not start cold" },
  billed: { label: "billed duration", unit: "ms", calls: "calls that did not start cold" },
  init: { label: "init duration", unit: "ms", calls: "cold starts" },
  cost: { label: "cost per 1M calls", unit: "USD", calls: "calls that did not start cold" },
};

/** The record's value of a metric, or null when the record does not count for it. */
export function valueOf(metric: CompareMetric, r: InvocationRecord): number | null {
  if (r.warmup || r.status === "dropped" || r.error !== null) return null;
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
    this.builders = new Map(metrics.map((m) => [m, new ClusteredBuilder()]));
  }

  add(r: InvocationRecord): void {
    for (const [m, b] of this.builders) {
      const v = valueOf(m, r);
      if (v !== null) b.push(r.repetition, v);
    }
  }

  build(): Map<CompareMetric, Sample> {
    return new Map([...this.builders].map(([m, b]) => [m, b.build()]));
  }
}
