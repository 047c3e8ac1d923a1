// A memory sweep: for each size, set the function's memory, wait for the update, measure as
// `measure` does, and finally put the original memory back, also after an error or Ctrl-C.
import type { FunctionConfiguration, LambdaClient } from "@aws-sdk/client-lambda";
import type { Invoker } from "../aws/invoke-http";
import { updateAndWait, type WaitPolicy } from "./configuration";
import { RestoreError, withTemporaryConfiguration } from "./restore";
import { measure, type MeasurePlan, type MeasureResult } from "./run";
import type { RetryPolicy, Target } from "./invoke";
import type { InvocationRecord } from "../runs/record";
import { StepSampler, type SweepStep } from "../summary/sweep-choice";

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

export interface SweepResult {
  steps: SweepStep[];
  /** The size whose change or run failed, and why; the sweep stopped there. */
  failed?: { memoryMb: number; error: unknown };
  fatal?: MeasureResult["fatal"];
  /** The environment (a --cold nonce) or the memory left changed. */
  restoreError?: RestoreError;
  interrupted: boolean;
}

export async function sweep(
  client: LambdaClient, target: Target, sizes: number[], plan: MeasurePlan, hooks: SweepHooks,
): Promise<SweepResult> {
  const result: SweepResult = { steps: [], interrupted: false };
  const original = hooks.configuration.MemorySize;
  const sizesLoop = async (set: (c: { MemorySize: number }) => Promise<void>) => {
    for (const memoryMb of sizes) {
      if (hooks.signal?.aborted) break;
      try {
        await set({ MemorySize: memoryMb });
      } catch (error) {
        result.failed = { memoryMb, error };
        break;
      }
      const sink = hooks.onSize?.(memoryMb);
      const sampler = new StepSampler();
      const onRecord = (r: InvocationRecord) => {
        sampler.add(r);
        sink?.(r);
      };
      const invoker = hooks.invoker();
      try {
        const r = await measure(client, invoker, { ...target, memoryMb }, plan, {
          retry: hooks.retry, wait: hooks.wait, signal: hooks.signal, configuration: hooks.configuration, onRecord,
        });
        result.steps.push({ memoryMb, summary: r.summary.toJson(), samples: sampler.build() });
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
  };
  try {
    if (original === undefined) {
      await sizesLoop((c) => updateAndWait(client, target.functionName, c, hooks.wait));
    } else {
      const restored = await withTemporaryConfiguration(client, target.functionName,
        { what: "memory", restore: { MemorySize: original }, original: `${original} MB` }, sizesLoop, hooks.wait);
      result.restoreError = restored.restoreError ?? result.restoreError;
    }
  } catch (err) {
    if (!(err instanceof RestoreError)) throw err;
    result.restoreError = err;
  } finally {
    result.interrupted = hooks.signal?.aborted === true;
  }
  return result;
}
