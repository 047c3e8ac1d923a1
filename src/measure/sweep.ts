// A memory sweep: for each size, set the function's memory, wait for the update, measure as
// `measure` does, and finally put the original memory back, also after an error or Ctrl-C.
import type { FunctionConfiguration, LambdaClient } from "@aws-sdk/client-lambda";
import type { Invoker } from "../aws/invoke-http";
import { updateAndWait, type WaitPolicy } from "./configuration";
import { measure, type MeasurePlan, type MeasureResult } from "./run";
import type { RetryPolicy, Target } from "./invoke";
import type { InvocationRecord } from "./record";
import type { SummaryJson } from "./summary";

export interface SweepHooks {
  retry: RetryPolicy;
  wait?: WaitPolicy;
  signal?: AbortSignal;
  configuration: FunctionConfiguration;
  /** A fresh invoker per size (its connections then meet the new configuration). */
  invoker: () => Invoker;
  /** Called when a size starts; returns where that size's records go. */
  onSize?: (memoryMb: number) => ((r: InvocationRecord) => void) | undefined;
  onSizeDone?: (memoryMb: number) => void;
}

export interface SweepStep {
  memoryMb: number;
  summary: SummaryJson;
}

export interface SweepResult {
  steps: SweepStep[];
  /** The size whose change or run failed, and why; the sweep stopped there. */
  failed?: { memoryMb: number; error: unknown };
  fatal?: MeasureResult["fatal"];
  restoreError?: unknown;
  interrupted: boolean;
}

export async function sweep(
  client: LambdaClient, target: Target, sizes: number[], plan: MeasurePlan, hooks: SweepHooks,
): Promise<SweepResult> {
  const result: SweepResult = { steps: [], interrupted: false };
  const original = hooks.configuration.MemorySize;
  try {
    for (const memoryMb of sizes) {
      if (hooks.signal?.aborted) break;
      try {
        await updateAndWait(client, target.functionName, { MemorySize: memoryMb }, hooks.wait);
      } catch (error) {
        result.failed = { memoryMb, error };
        break;
      }
      const onRecord = hooks.onSize?.(memoryMb);
      const invoker = hooks.invoker();
      try {
        const r = await measure(client, invoker, { ...target, memoryMb }, plan, {
          retry: hooks.retry, wait: hooks.wait, signal: hooks.signal, configuration: hooks.configuration, onRecord,
        });
        result.steps.push({ memoryMb, summary: r.summary.toJson() });
        if (r.restoreError) result.restoreError = r.restoreError;
        if (r.fatal) {
          result.fatal = r.fatal;
          break;
        }
      } catch (error) {
        result.failed = { memoryMb, error };
        break;
      } finally {
        invoker.close();
        hooks.onSizeDone?.(memoryMb);
      }
    }
  } finally {
    if (original !== undefined) {
      try {
        await updateAndWait(client, target.functionName, { MemorySize: original }, hooks.wait);
      } catch (err) {
        result.restoreError = err;
      }
    }
    result.interrupted = hooks.signal?.aborted === true;
  }
  return result;
}

/** Weight of cost in the balanced choice; duration gets the rest (aws-lambda-power-tuning's formula). */
export const BALANCED_COST_WEIGHT = 0.5;

export interface SweepChoice {
  cheapest: number;
  fastest: number;
  balanced: number;
  weight: number;
}

/** The duration a size is judged by: warm p50 when there are warm invocations, else all. */
export function typicalDuration(s: SummaryJson): number | null {
  return s.split.warm.durationMs.p50 ?? s.durationMs.p50;
}

/**
 * Cheapest: lowest cost per 1M invocations. Fastest: lowest typical duration. Balanced: lowest
 * w*cost/maxCost + (1-w)*duration/maxDuration, with w = BALANCED_COST_WEIGHT. Null when no size
 * has both figures. Ties go to the smaller memory size.
 */
export function choose(steps: SweepStep[], weight = BALANCED_COST_WEIGHT): SweepChoice | null {
  const rows = steps
    .map((s) => ({ memoryMb: s.memoryMb, cost: s.summary.cost.per1MUsd, duration: typicalDuration(s.summary) }))
    .filter((r): r is { memoryMb: number; cost: number; duration: number } => r.cost !== null && r.duration !== null)
    .sort((a, b) => a.memoryMb - b.memoryMb);
  if (rows.length === 0) return null;
  const maxCost = Math.max(...rows.map((r) => r.cost));
  const maxDuration = Math.max(...rows.map((r) => r.duration));
  const best = (score: (r: (typeof rows)[number]) => number) =>
    rows.reduce((a, b) => (score(b) < score(a) ? b : a)).memoryMb;
  return {
    cheapest: best((r) => r.cost),
    fastest: best((r) => r.duration),
    balanced: best((r) => weight * (r.cost / maxCost) + (1 - weight) * (r.duration / maxDuration)),
    weight,
  };
}

const fmt = (x: number | null, d = 2) => (x === null ? "-" : x.toFixed(d));

/** The sweep table: one row per size, then the three choices. */
export function formatSweep(steps: SweepStep[], choice: SweepChoice | null): string {
  const rows = [["memory MB", "n", "errors", "cold", "p50 duration ms", "p90 duration ms", "p50 cold init ms", "cost per 1M"]];
  for (const s of steps) {
    const sum = s.summary;
    rows.push([String(s.memoryMb), String(sum.invocations), String(sum.errors), String(sum.cold), fmt(typicalDuration(sum)),
      fmt(sum.split.warm.durationMs.p90 ?? sum.durationMs.p90), fmt(sum.initMs.p50),
      sum.cost.per1MUsd === null ? "-" : `$${sum.cost.per1MUsd.toFixed(2)}`]);
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const table = rows.map((r) => r.map((c, i) => c.padStart(widths[i])).join("  ")).join("\n");
  if (!choice) return `${table}\nno size has both a duration and a cost: nothing to choose`;
  return `${table}\ncheapest ${choice.cheapest} MB  fastest ${choice.fastest} MB  balanced ${choice.balanced} MB ` +
    `(${choice.weight}*cost/max cost + ${1 - choice.weight}*duration/max duration; durations are warm p50s)`;
}
