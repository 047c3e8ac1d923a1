// A measurement run: K forced cold starts, K' warm-up calls, then the workload on the engine
// (src/workload/engine.ts): the closed loop (N invocations with at most C in flight) or an open
// schedule (rate, ramp, bursts, trace). Each record goes to the sink and the summary the moment
// it completes; an abort (Ctrl-C) stops new invocations, lets those in flight finish, and still
// puts the configuration back.
import type { FunctionConfiguration, LambdaClient } from "@aws-sdk/client-lambda";
import type { Invoker } from "../aws/invoke-http";
import { blank, FatalInvokeError, invokeMeasured, type RetryPolicy, type Target } from "./invoke";
import { coldChange, environmentOf, type ConfigChange, type WaitPolicy } from "./configuration";
import { RestoreError, withTemporaryConfiguration } from "./restore";
import { RunSummary } from "../summary/summary";
import type { InvocationRecord, Workload } from "../runs/record";
import { RealClock, type Clock } from "../workload/clock";
import { closedWorkload } from "../workload/closed";
import { Engine } from "../workload/engine";
import type { Schedule } from "../workload/schedule";
import { Chained, connectionsFor, openWarmup, type WarmupSpec } from "../workload/warmup";
import { LATE_START, SkipMissed, sleepUntil } from "../workload/late";

export interface MeasurePlan {
  /** The closed loop's calls (cold ones included) and its concurrency; C is also the warm-up's. */
  invocations: number;
  concurrency: number;
  /** Forced cold starts, counted within `invocations`, run first and one at a time (closed loop only). */
  cold: number;
  payload: Uint8Array;
  /** An open workload's schedule; absent for the closed loop. */
  schedule?: Schedule;
  /** Open workloads: calls in flight at most before a due call is dropped. */
  maxInFlight?: number;
  /**
   * The warm-up, recorded with `warmup: true`: for an open loop (--rate) the same workload at its
   * rate flowing into the measured schedule; for the others, calls at the run's concurrency first.
   */
  warmup?: WarmupSpec;
  /**
   * An open workload's time 0 on the run's clock, when it is fixed in advance (a shard's start
   * barrier, issue 28): the run sleeps until then after opening its connections; if it is ready
   * only later, the calls due before it was ready are recorded as dropped (`late-start`), never shifted.
   */
  startAt?: number;
}

export const DEFAULT_MAX_IN_FLIGHT = 10_000;

export interface MeasureHooks {
  retry: RetryPolicy;
  wait?: WaitPolicy;
  signal?: AbortSignal;
  /** Called with each record as it completes (the JSONL writer). */
  onRecord?: (r: InvocationRecord) => void;
  /** The configuration to derive cold-forcing changes from; required when `cold` > 0. */
  configuration?: FunctionConfiguration;
  /** The run's clock (ms from its start); a fake one in tests. */
  clock?: Clock;
  /**
   * The summary to fold the records into (its peak in flight kept as the most of every run folded
   * in); by default a new one. A caller that summarizes several runs together passes its own, so
   * each record is folded once.
   */
  summary?: RunSummary;
  /** The 0-based repetition (`--repeat`) every record of this run is tagged with before it is summarized. */
  repetition?: number;
}

export interface MeasureResult {
  summary: RunSummary;
  /** Set when the run stopped early on an error no retry could fix. */
  fatal?: FatalInvokeError;
  /** Set when putting the configuration back failed: the function is left changed. */
  restoreError?: RestoreError;
  /** With `startAt`: the clock's time when the schedule was anchored (woken at the barrier, or ready late). */
  startedAt?: number;
}

/** Times in records are kept to the microsecond. */
const us = (ms: number) => Math.round(ms * 1000) / 1000;

export async function measure(client: LambdaClient, invoker: Invoker, target: Target, plan: MeasurePlan, hooks: MeasureHooks): Promise<MeasureResult> {
  const summary = hooks.summary ?? new RunSummary();
  const result: MeasureResult = { summary };
  const signal = hooks.signal;
  const clock = hooks.clock ?? new RealClock();
  const wallOrigin = Date.now() - clock.now();
  const workload: Workload = plan.schedule?.workload ?? closedWorkload(plan);
  const repetition = hooks.repetition ?? 0;
  const take = (r: InvocationRecord) => {
    r.repetition = repetition;
    summary.add(r);
    hooks.onRecord?.(r);
  };
  const retry = { retry: hooks.retry, signal };
  /**
   * The clock time the records' times count from: the clock's origin (the run's start) for the
   * closed loop; for an open workload its schedule's time zero, so a warm-up before it has
   * negative times and each repetition's times are from its own start.
   */
  let zero = 0;
  /** One call, its record given the workload's times; `warmup` and `forcedCold` as named. */
  const call = (scheduledAt: number, sentAt: number, burst: number | null, warmup = false, forcedCold = false) =>
    invokeMeasured(invoker, target, plan.payload, forcedCold ? { ...retry, forcedCold } : retry).then((r) => {
      r.workload = workload;
      r.scheduledAt = us(scheduledAt - zero);
      r.burst = burst;
      r.warmup = warmup;
      // A call dropped at a local limit (EMFILE, ...) never left: no send time, lag or latency.
      if (r.status !== "dropped") {
        r.latencyMs = us(clock.now() - scheduledAt);
        r.sentAt = us(sentAt - zero);
        r.lagMs = us(r.sentAt - r.scheduledAt);
      }
      take(r);
    });
  const drop = (scheduledAt: number, burst: number | null, error: string | null = null) => {
    const r = blank(target, new Date(wallOrigin + scheduledAt).toISOString());
    r.status = "dropped";
    r.error = error;
    r.workload = workload;
    r.scheduledAt = us(scheduledAt - zero);
    r.burst = burst;
    r.warmup = scheduledAt < zero;
    take(r);
  };
  const runEngine = async (engine: Engine, go: (e: Engine) => Promise<void>) => {
    await go(engine);
    if (engine.error !== undefined) throw engine.error;
  };

  const config = hooks.configuration;
  if (plan.cold > 0 && !config) throw new Error("cold starts need the function's configuration");
  const phases = async (set?: (c: ConfigChange) => Promise<void>) => {
    const runId = Date.now().toString(36);
    for (let i = 0; i < plan.cold && !signal?.aborted; i++) {
      await set!(coldChange(config!, `${runId}-${i}`));
      const now = clock.now();
      await call(now, now, null, false, true);
    }
    const flowing = plan.schedule && plan.warmup ? openWarmup(plan.schedule, plan.warmup) : undefined;
    if (plan.schedule && !signal?.aborted) {
      // Before time zero: the connections the workload will need, open, with no Invoke (wrk2
      // connects before it starts its clock); the time it took is in the summary.
      const t0 = clock.now();
      const want = connectionsFor(plan.schedule.workload, plan.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT);
      const opened = invoker.warm ? await invoker.warm(want, plan.payload) : 0;
      summary.workload.warmup = { connections: opened, connectMs: us(clock.now() - t0), ms: flowing?.offsetMs ?? 0 };
    }
    const warmupCalls = plan.warmup && "calls" in plan.warmup ? plan.warmup.calls : 0;
    if (warmupCalls > 0 && !flowing && !signal?.aborted) {
      const warm = new Engine(clock, (s, t, b) => call(s, t, b, true), { maxInFlight: Infinity, signal });
      const t0 = clock.now();
      await runEngine(warm, (e) => e.runClosed(warmupCalls, plan.concurrency));
      if (summary.workload.warmup) summary.workload.warmup.ms = us(clock.now() - t0);
    }
    // A fixed start (a shard's barrier): sleep until it; ready after it, by how much.
    let readyLate = 0;
    if (plan.schedule && plan.startAt !== undefined && !signal?.aborted) {
      const ready = clock.now();
      const woke = await sleepUntil(clock, plan.startAt, signal);
      readyLate = Math.max(0, ready - plan.startAt);
      result.startedAt = readyLate > 0 ? ready : woke;
    }
    if (!signal?.aborted) {
      const engine = new Engine(clock, (s, t, b) => call(s, t, b, s < zero), {
        maxInFlight: plan.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT, onDrop: drop, signal,
      });
      try {
        if (plan.schedule) {
          // The warm-up (if any) and the measured schedule on one timeline: no pause between them.
          const start = plan.startAt ?? clock.now();
          zero = start + (flowing?.offsetMs ?? 0);
          const chained = flowing ? new Chained(flowing.schedule, plan.schedule, flowing.offsetMs) : plan.schedule;
          const late = `${LATE_START}: ready ${us(readyLate)} ms after the run's start`;
          const schedule = readyLate > 0 ? new SkipMissed(chained, readyLate, (t, b) => drop(start + t, b, late)) : chained;
          await runEngine(engine, (e) => e.runOpen(schedule, start));
        } else await runEngine(engine, (e) => e.runClosed(plan.invocations - plan.cold, plan.concurrency));
      } finally {
        summary.workload.maxInFlight = Math.max(summary.workload.maxInFlight ?? 0, engine.peakInFlight);
      }
    }
  };
  try {
    // The nonce is removed at the very end (removing it is itself a change, so the warm phase
    // would otherwise start cold), leaving the deployed configuration as Pulumi made it.
    if (plan.cold > 0) {
      const restored = await withTemporaryConfiguration(client, target.functionName,
        { what: "environment", restore: environmentOf(config!), original: "its deployed variables" }, phases, hooks.wait);
      result.restoreError = restored.restoreError;
    } else {
      await phases();
    }
  } catch (err) {
    if (err instanceof RestoreError) {
      result.restoreError = err;
      if (err.during instanceof FatalInvokeError) result.fatal ??= err.during;
      else if (err.during !== undefined) throw err;
    } else if (err instanceof FatalInvokeError) result.fatal ??= err;
    else throw err;
  }
  summary.interrupted = signal?.aborted === true;
  return result;
}
