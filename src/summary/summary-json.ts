// The summary's JSON shape (what `measure --json` prints and `report` rebuilds), apart from the
// fold that makes it, so formatters and readers depend on the shape alone.
import type { MetricSet } from "../stats/metric";
import type { Rate } from "../stats/wilson";
import type { StartKind } from "../runs/record";
import type { WorkloadSummaryJson } from "./workload-summary";

export type Stats = ReturnType<MetricSet["stats"]>;

export interface SummaryJson extends Stats {
  benchmark: string | null;
  function: string | null;
  region: string | null;
  architecture: string | null;
  memoryMb: number | null;
  qualifier: string | null;
  /** Calls sent and answered or failed; warm-up and dropped calls are not among them. */
  invocations: number;
  /** Failed calls: function errors (X-Amz-Function-Error) and transport errors (no Invoke response). */
  errors: number;
  /**
   * Each kind of failure, and both together, as a share of `invocations` with its Wilson 95%
   * interval. Failed calls give no time or cost-per-call sample: every figure below is of the
   * successful calls (the run's total cost excepted, which is what was billed).
   */
  errorRates: { function: Rate; transport: Rate; failed: Rate };
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
    /**
     * The provisioned environments' own charge for the run's wall time (concurrency x GB x seconds
     * at the provisioned-concurrency rate), apart from the calls' cost; null without provisioned concurrency.
     */
    provisionedConcurrency: { concurrency: number; wallMs: number; usd: number } | null;
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
