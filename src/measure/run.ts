// A measurement run: K forced cold starts, then the rest of N invocations with at most C in flight.
// Each record goes to the sink and the summary the moment it completes; an abort (Ctrl-C) stops
// new invocations, lets those in flight finish, and still puts the configuration back.
import type { FunctionConfiguration, LambdaClient } from "@aws-sdk/client-lambda";
import type { Invoker } from "../aws/invoke-http";
import { FatalInvokeError, invokeMeasured, type RetryPolicy, type Target } from "./invoke";
import { coldChange, environmentOf, updateAndWait, type WaitPolicy } from "./configuration";
import { RunSummary } from "./summary";
import type { InvocationRecord } from "./record";

export interface MeasurePlan {
  invocations: number;
  concurrency: number;
  /** Forced cold starts, counted within `invocations`, run first and one at a time. */
  cold: number;
  payload: Uint8Array;
}

export interface MeasureHooks {
  retry: RetryPolicy;
  wait?: WaitPolicy;
  signal?: AbortSignal;
  /** Called with each record as it completes (the JSONL writer). */
  onRecord?: (r: InvocationRecord) => void;
  /** The configuration to derive cold-forcing changes from; required when `cold` > 0. */
  configuration?: FunctionConfiguration;
}

export interface MeasureResult {
  summary: RunSummary;
  /** Set when the run stopped early on an error no retry could fix. */
  fatal?: FatalInvokeError;
  /** Set when putting the configuration back failed: the function is left changed. */
  restoreError?: unknown;
}

export async function measure(client: LambdaClient, invoker: Invoker, target: Target, plan: MeasurePlan, hooks: MeasureHooks): Promise<MeasureResult> {
  const summary = new RunSummary();
  const result: MeasureResult = { summary };
  const signal = hooks.signal;
  const take = (r: InvocationRecord) => {
    summary.add(r);
    hooks.onRecord?.(r);
  };
  const once = (forcedCold: boolean) =>
    invokeMeasured(invoker, target, plan.payload, { retry: hooks.retry, forcedCold, signal });

  const config = hooks.configuration;
  if (plan.cold > 0 && !config) throw new Error("cold starts need the function's configuration");
  try {
    const runId = Date.now().toString(36);
    for (let i = 0; i < plan.cold && !signal?.aborted; i++) {
      await updateAndWait(client, target.functionName, coldChange(config!, `${runId}-${i}`), hooks.wait);
      take(await once(true));
    }
    let next = plan.cold;
    const worker = async () => {
      while (next < plan.invocations && !signal?.aborted && !result.fatal) {
        next++;
        take(await once(false));
      }
    };
    await Promise.all(Array.from({ length: Math.min(plan.concurrency, plan.invocations - plan.cold) }, () =>
      worker().catch((err) => {
        if (!(err instanceof FatalInvokeError)) throw err;
        result.fatal ??= err;
      })));
  } catch (err) {
    if (!(err instanceof FatalInvokeError)) throw err;
    result.fatal ??= err;
  } finally {
    // The nonce is removed at the very end (removing it is itself a change, so the warm phase
    // would otherwise start cold), leaving the deployed configuration as Pulumi made it.
    if (plan.cold > 0) {
      try {
        await updateAndWait(client, target.functionName, environmentOf(config!), hooks.wait);
      } catch (err) {
        result.restoreError = err;
      }
    }
  }
  summary.interrupted = signal?.aborted === true;
  return result;
}
