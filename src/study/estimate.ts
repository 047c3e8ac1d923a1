// What a plan will take before it runs: calls (exact: the schedules' own counts), time and cost
// (estimates). Time: an open workload lasts until its last send time plus one call; a closed loop
// and every warm-up run ceil(calls / c) rounds of an assumed call time (warm-ups go one at a time
// outside the closed loop, as measure sends them); a forced cold start and a memory size set each
// wait an assumed update time. Cost: every call billed the assumed call time at the size it runs
// at and the benchmark's architecture, first-tier on-demand prices (aws/pricing.ts). The
// assumptions are printed beside the figures; a real run's own figures replace them.
import { invocationCost, pricesFor, type PriceChoice } from "../aws/pricing";
import { scheduleOfSpec } from "../workload/spec";
import { memoryUpdates, type Cell, type Plan } from "./plan";

export interface Assumptions {
  /** Round trip and billed duration of one call, ms. */
  callMs: number;
  /** An UpdateFunctionConfiguration and the wait until it is applied, ms. */
  updateMs: number;
}

export const DEFAULT_ASSUMPTIONS: Assumptions = { callMs: 100, updateMs: 2000 };

/** One repetition of a cell. */
export interface RunFigures {
  calls: number;
  ms: number;
  usd: number;
}

export interface Estimate extends RunFigures {
  runs: number;
  cells: number;
  memoryUpdates: number;
  prices: PriceChoice;
  assumptions: Assumptions;
}

export function runFigures(cell: Cell, prices: PriceChoice["prices"], a: Assumptions): RunFigures {
  const { spec, warmup } = cell.workload;
  const c = spec.shape === "closed" ? spec.c : 1;
  let calls = warmup;
  let ms = Math.ceil(warmup / c) * a.callMs;
  const schedule = scheduleOfSpec(spec);
  if (spec.shape === "closed" || !schedule) {
    const n = spec.shape === "closed" ? spec.n : 0;
    const cold = spec.shape === "closed" ? spec.cold : 0;
    calls += n;
    ms += cold * (a.updateMs + a.callMs) + Math.ceil((n - cold) / c) * a.callMs;
  } else {
    let last = 0;
    let sent = 0;
    for (let t = schedule.next(); t !== Infinity; t = schedule.next()) {
      last = t;
      sent++;
    }
    calls += sent;
    ms += sent > 0 ? last + a.callMs : 0;
  }
  const b = cell.benchmark;
  const usd = calls * invocationCost(prices, b.architecture, null, { billedMs: a.callMs, memoryMb: cell.memory ?? b.memory, ephemeralMb: b.ephemeralStorage });
  return { calls, ms, usd };
}

export function estimatePlan(plan: Plan, region = "us-east-1", a: Assumptions = DEFAULT_ASSUMPTIONS): Estimate {
  const prices = pricesFor(region);
  const perCell = new Map(plan.cells.map((cell) => [cell, runFigures(cell, prices.prices, a)]));
  const updates = memoryUpdates(plan.steps);
  const total = { calls: 0, ms: updates * a.updateMs, usd: 0 };
  for (const { cell } of plan.steps) {
    const f = perCell.get(cell)!;
    total.calls += f.calls;
    total.ms += f.ms;
    total.usd += f.usd;
  }
  return { ...total, runs: plan.steps.length, cells: plan.cells.length, memoryUpdates: updates, prices, assumptions: a };
}
