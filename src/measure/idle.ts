// The idle-time experiment (issue 13; SeBS's eviction model): after how long idle does Lambda
// reclaim an instance? For each (idle time, repetition) of the plan: one call to warm an instance,
// wait the idle time, one probe call, and the probe's start kind says whether the instance survived.
// The plan is in blocks, one a repetition, each block every idle time once in a seeded random
// order: drift over the hours (time of day, a placement change) falls on every idle time alike
// instead of looking like an effect of one. Pure and clock-injected: the tests run hours of waits
// on a fake clock in milliseconds.
import { FatalInvokeError } from "./invoke";
import type { InvocationRecord, Workload } from "../runs/record";
import { IdleSummary } from "../summary/idle-summary";
import { Rng } from "../rng";

export interface IdleStep {
  /** 0-based position in the plan. */
  index: number;
  idleMs: number;
  /** 0-based repetition (the block the step is in). */
  repetition: number;
}

/** `repeat` blocks, each every idle time once in an order shuffled (Fisher-Yates) from the seed. */
export function idlePlan(afterMs: readonly number[], repeat: number, seed: number): IdleStep[] {
  const rng = new Rng(seed);
  const random = () => rng.next();
  const steps: IdleStep[] = [];
  for (let repetition = 0; repetition < repeat; repetition++) {
    const order = [...afterMs];
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    for (const idleMs of order) steps.push({ index: steps.length, idleMs, repetition });
  }
  return steps;
}

/** What a plan will take: its waits, and its calls (two a step) at `callMs` each. */
export function planDuration(plan: readonly IdleStep[], callMs: number): { waitMs: number; calls: number; totalMs: number } {
  const waitMs = plan.reduce((a, s) => a + s.idleMs, 0);
  const calls = 2 * plan.length;
  return { waitMs, calls, totalMs: waitMs + calls * callMs };
}

export interface IdleClock {
  /** Monotonic milliseconds. */
  now(): number;
  /** Resolves after `ms`, or at once when the signal aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export interface IdleHooks {
  /** One measured invocation (invokeMeasured, bound to the target); throws FatalInvokeError. */
  call: () => Promise<InvocationRecord>;
  clock: IdleClock;
  /** The workload every record carries (shape "idle", after, repeat, seed). */
  workload: Workload;
  signal?: AbortSignal;
  /** Each record, warming and probe, the moment it completes (the JSONL writer). */
  onRecord?: (r: InvocationRecord, step: IdleStep) => void;
}

export interface IdleResult {
  summary: IdleSummary;
  /** Steps whose probe completed. */
  completed: number;
  /** Steps left without a probe because their warming call got no response (nothing was warm). */
  skipped: number;
  interrupted: boolean;
  /** Set when the run stopped on an error no retry could fix. */
  fatal?: FatalInvokeError;
}

/**
 * Runs the plan in order. The idle time counts from the warming call's response to the probe's
 * send. Records carry `sentAt` (ms from the run's start); warming calls are `warmup: true`, so
 * summaries skip them; probes carry `idleMs`. An abort ends the wait at once and stops the run;
 * only completed probes count.
 */
export async function runIdle(plan: readonly IdleStep[], hooks: IdleHooks): Promise<IdleResult> {
  const { clock, signal } = hooks;
  const result: IdleResult = { summary: new IdleSummary(), completed: 0, skipped: 0, interrupted: false };
  const t0 = clock.now();
  const send = async (step: IdleStep, extra: Partial<InvocationRecord>) => {
    const sentAt = clock.now() - t0;
    const r: InvocationRecord = { ...(await hooks.call()), ...extra, workload: hooks.workload, repetition: step.repetition, sentAt };
    hooks.onRecord?.(r, step);
    return r;
  };
  try {
    for (const step of plan) {
      if (signal?.aborted) break;
      const warm = await send(step, { warmup: true });
      if (warm.error !== null) {
        result.skipped++;
        continue;
      }
      await clock.sleep(step.idleMs, signal);
      if (signal?.aborted) break;
      const probe = await send(step, { idleMs: step.idleMs });
      result.summary.add(probe);
      result.completed++;
    }
  } catch (err) {
    if (!(err instanceof FatalInvokeError)) throw err;
    result.fatal = err;
  }
  result.interrupted = signal?.aborted === true;
  return result;
}
