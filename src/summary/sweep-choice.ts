// The sweep's choice: each size's warm samples, and the cheapest, fastest and balanced sizes with
// the sizes that cannot be told apart from them; and the sweep table. A fold over records, shared by
// `sweep` (as it runs) and `report` (from saved runs).
import type { InvocationRecord } from "../runs/record";
import { quantileRatio } from "../stats/ratio";
import { ClusteredBuilder, quantileSorted, type Sample } from "../stats/samples";
import type { SummaryJson } from "./summary";
import { textTable } from "./text-table";
import { percent } from "./summary-format";

export interface SweepStep {
  memoryMb: number;
  summary: SummaryJson;
  /** The step's warm samples, for choices on intervals (not part of the JSON output). */
  samples?: StepSamples;
}

/** Weight of cost in the balanced choice; duration gets the rest (aws-lambda-power-tuning's formula). */
export const BALANCED_COST_WEIGHT = 0.5;

/** A size's warm calls as samples (grouped by repetition): duration in ms and cost per call in USD. */
export interface StepSamples {
  duration: Sample;
  cost: Sample;
}

/** Collects a step's warm samples from its records (warm-up, dropped and failed calls left out). */
export class StepSampler {
  private readonly duration = new ClusteredBuilder(100);
  /** Cost per 1M calls (USD), to 1/100 of a cent. */
  private readonly cost = new ClusteredBuilder(10_000);

  add(r: InvocationRecord): void {
    // A failed call (no response, or the function's error) is no sample: a size that crashes fast
    // would read as fast and cheap.
    if (r.warmup || r.status === "dropped" || r.error !== null || r.functionError !== null || r.startKind !== "warm") return;
    if (r.durationMs !== null) this.duration.push(r.repetition, r.durationMs);
    if (r.costUsd !== null) this.cost.push(r.repetition, r.costUsd * 1e6);
  }

  build(): StepSamples {
    return { duration: this.duration.build(), cost: this.cost.build() };
  }
}

export interface SweepChoice {
  cheapest: number;
  fastest: number;
  balanced: number;
  weight: number;
  /**
   * The sizes not shown slower (costlier) than the fastest (cheapest) point estimate: their warm
   * median's ratio to it has a 95% interval reaching 1. The choice is the smallest of them.
   * Without samples (old callers), only the point estimates decide and these hold the choice alone.
   */
  indistinguishable: { fastest: number[]; cheapest: number[] };
  /**
   * Sizes left out of every choice because more of their calls failed than at the size that
   * failed least (observed rates; strict on purpose: a failure is worse than any slowdown).
   */
  excluded: number[];
}

/** The duration a size is judged by: warm p50 when there are warm invocations, else all. */
export function typicalDuration(s: SummaryJson): number | null {
  return s.split.warm.durationMs.p50 ?? s.durationMs.p50;
}

/** Cost per 1M warm invocations (forced cold starts are the tool's doing), else of all. */
export function warmCostPer1M(s: SummaryJson): number | null {
  return s.cost.byKind.warm.per1MUsd ?? s.cost.per1MUsd;
}

export interface ChoiceOptions {
  resamples?: number;
  seed?: number;
}

interface Row {
  memoryMb: number;
  point: number;
  sample?: Sample;
}

/**
 * The smallest size not shown worse than the best point estimate: for each size, the interval of
 * (its warm median) / (the best's), by compare's method for the repetitions (stats/ratio.ts); "shown worse" when the whole interval is above 1.
 * The k-1 intervals are simultaneous at 95% (Bonferroni: each at 1 - 0.05/(k-1)), since the
 * sweep claims all of them at once, and the best is itself picked from noisy estimates.
 */
function smallestNotWorse(rows: Row[], o: ChoiceOptions): { choice: number; same: number[] } {
  const best = rows.reduce((a, b) => (b.point < a.point ? b : a));
  const level = 1 - 0.05 / Math.max(1, rows.length - 1);
  const same = rows.filter((r) => {
    if (r === best) return true;
    if (!r.sample?.sorted.length || !best.sample?.sorted.length) return r.point === best.point;
    return quantileRatio(best.sample, r.sample, 0.5, { resamples: o.resamples, seed: o.seed, level }).ratio.lo <= 1;
  }).map((r) => r.memoryMb);
  return { choice: same[0], same };
}

/**
 * Fastest: the smallest size whose warm median duration is not shown slower than the fastest
 * size's. Cheapest: the same rule on the warm median cost per call. Balanced: lowest
 * w*cost/maxCost + (1-w)*duration/maxDuration on warm figures (w = BALANCED_COST_WEIGHT). Null
 * when no size has both figures.
 */
export function choose(steps: (SweepStep & { samples?: StepSamples })[], weight = BALANCED_COST_WEIGHT, o: ChoiceOptions = {}): SweepChoice | null {
  const failRate = (s: SweepStep) => s.summary.errorRates?.failed.rate ?? 0;
  const measured = steps.filter((s) => warmCostPer1M(s.summary) !== null && typicalDuration(s.summary) !== null);
  const leastFailing = Math.min(...measured.map(failRate));
  const excluded = measured.filter((s) => failRate(s) > leastFailing).map((s) => s.memoryMb).sort((a, b) => a - b);
  const rows = measured.filter((s) => failRate(s) === leastFailing)
    .map((s) => ({ memoryMb: s.memoryMb, cost: warmCostPer1M(s.summary)!, duration: typicalDuration(s.summary)!, samples: s.samples }))
    .sort((a, b) => a.memoryMb - b.memoryMb);
  if (rows.length === 0) return null;
  const maxCost = Math.max(...rows.map((r) => r.cost));
  const maxDuration = Math.max(...rows.map((r) => r.duration));
  const best = (score: (r: (typeof rows)[number]) => number) =>
    rows.reduce((a, b) => (score(b) < score(a) ? b : a)).memoryMb;
  const withSamples = rows.every((r) => r.samples);
  const cheapest = smallestNotWorse(rows.map((r) => ({ memoryMb: r.memoryMb, point: withSamples ? quantileSorted(r.samples!.cost.sorted, 0.5) : r.cost, sample: r.samples?.cost })), o);
  const fastest = smallestNotWorse(rows.map((r) => ({ memoryMb: r.memoryMb, point: r.duration, sample: r.samples?.duration })), o);
  return {
    cheapest: cheapest.choice,
    fastest: fastest.choice,
    balanced: best((r) => weight * (r.cost / maxCost) + (1 - weight) * (r.duration / maxDuration)),
    weight,
    indistinguishable: { fastest: fastest.same, cheapest: cheapest.same },
    excluded,
  };
}

const fmt = (x: number | null, d = 2) => (x === null ? "-" : x.toFixed(d));
const money = (x: number | null) => (x === null ? "-" : `$${x.toFixed(2)}`);
const sizes = (xs: number[]) => `${xs.join(", ")} MB`;

/** The sweep table: one row per size, then the choices and which sizes cannot be told apart. */
export function formatSweep(steps: SweepStep[], choice: SweepChoice | null): string {
  const rows = [["memory MB", "n", "errors", "error rate [95% CI]", "cold", "p50 duration ms", "p90 duration ms", "p50 cold init ms", "warm cost per 1M", "cold cost per 1M", "cold share"]];
  for (const s of steps) {
    const sum = s.summary;
    const rate = sum.errorRates?.failed;
    rows.push([String(s.memoryMb), String(sum.invocations), String(sum.errors),
      rate?.rate != null && rate.ci95 ? `${percent(rate.rate)} [${percent(rate.ci95[0])}, ${percent(rate.ci95[1])}]` : "-", String(sum.cold), fmt(typicalDuration(sum)),
      fmt(sum.split.warm.durationMs.p90 ?? sum.durationMs.p90), fmt(sum.initMs.p50),
      money(warmCostPer1M(sum)), money(sum.cost.byKind.cold.per1MUsd),
      sum.invocations ? `${((100 * sum.kinds.cold) / sum.invocations).toFixed(1)}%` : "-"]);
  }
  const table = textTable(rows, "  ", "figure");
  if (!choice) return `${table}\nno size has both a duration and a cost: nothing to choose`;
  const same = (what: string, xs: number[], chosen: number) => xs.length > 1
    ? `${what}: ${sizes(xs)} cannot be told apart (simultaneous 95% intervals of the warm median ratio reach 1); the smallest, ${chosen} MB, is named`
    : `${what}: ${chosen} MB is shown better than every other size`;
  return `${table}\ncheapest ${choice.cheapest} MB  fastest ${choice.fastest} MB  balanced ${choice.balanced} MB ` +
    `(${choice.weight}*cost/max cost + ${1 - choice.weight}*duration/max duration; durations are warm p50s)\n` +
    `${same("fastest", choice.indistinguishable.fastest, choice.fastest)}\n${same("cheapest", choice.indistinguishable.cheapest, choice.cheapest)}` +
    (choice.excluded.length ? `\nnot chosen: ${sizes(choice.excluded)} failed more often than the size that failed least (error rate ${percent(Math.min(...steps.map((s) => s.summary.errorRates?.failed.rate ?? 0)))})` : "");
}
