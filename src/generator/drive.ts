// The core every shard driver shares (issue 28): one ShardSpec's schedule (all of it, or one
// window of it) run with measure's own invoke path (HttpInvoker, measure/invokeMeasured, the
// engine), every record tagged with its `shard` and handed to a sink as it completes, and the
// shard's clock (skew.ts) measured. Where the records go is the caller's: a local JSONL file
// (driver.ts runShard, the local generator's worker) or S3 parts (window-driver.ts, the Lambda
// driver). The schedule's time 0 is the spec's startAtMs (epoch ms), mapped once onto the
// process's monotonic clock; measure's start barrier sleeps until it, or drops what a late start
// missed (late-start, never shifted).
import { lambdaClient, type AwsOptions } from "../aws/lambda";
import { HttpInvoker, type Invoker } from "../aws/invoke-http";
import { DEFAULT_RETRY, type RetryPolicy, type Target } from "../measure/invoke";
import { measure } from "../measure/run";
import type { InvocationRecord } from "../runs/record";
import type { SummaryJson } from "../summary/summary";
import { RealClock, type Clock } from "../workload/clock";
import type { Schedule } from "../workload/schedule";
import type { ShardSpec } from "./spec";
import type { ShardClock } from "./skew";

/** What a shard takes from its parent, not from the spec: where Lambda is, and the resolved target. */
export interface DriverEnv {
  aws: AwsOptions;
  /** The target as the parent resolved it; its function and qualifier are the spec's. */
  target: Target;
  /** Give up on a call after this long (the function's timeout + 10 s, or --client-timeout). */
  timeoutMs: number;
  retries: number;
}

export interface DriveOptions {
  signal?: AbortSignal;
  invoker?: Invoker;
  clock?: Clock;
  /** Epoch ms now (Date.now); tests pair it with a fake clock. */
  wallNow?: () => number;
  /** The retry policy (its `retries` is env.retries); tests put a sleepless one in. */
  retry?: RetryPolicy;
}

export interface Driven {
  summary: SummaryJson;
  clock: ShardClock;
  /** Set when the run stopped early on an error no retry could fix (one line). */
  fatal?: string;
}

/**
 * Runs `schedule` (the spec's shard schedule, or a window of it: times from the spec's start)
 * with `payload`, each record (with `shard`) to `sink`. `fromMs` is when the schedule can first
 * send (ms from the spec's start; a window's start): the clock's `startedMs` is never before it.
 */
export async function driveShard(spec: ShardSpec, env: DriverEnv, payload: Uint8Array, schedule: Schedule,
  sink: (r: InvocationRecord) => void, opts: DriveOptions = {}, fromMs = 0): Promise<Driven> {
  const target: Target = { ...env.target, functionName: spec.target.function, qualifier: spec.target.qualifier ?? undefined };
  const client = lambdaClient(env.aws);
  const invoker = opts.invoker ?? new HttpInvoker(client, spec.target.function,
    { maxSockets: spec.maxInFlight, timeoutMs: env.timeoutMs, qualifier: spec.target.qualifier ?? undefined });
  const clock = opts.clock ?? new RealClock();
  const wallNow = opts.wallNow ?? Date.now;
  // Epoch ms of the clock's 0: the spec's start on this process's monotonic clock.
  const wall = wallNow() - clock.now();
  let firstSent = Infinity;
  let lastSent = -Infinity;
  const onRecord = (r: InvocationRecord) => {
    r.shard = spec.shard;
    if (r.sentAt !== null && !r.warmup) {
      if (r.sentAt < firstSent) firstSent = r.sentAt;
      if (r.sentAt > lastSent) lastSent = r.sentAt;
    }
    sink(r);
  };
  try {
    const result = await measure(client, invoker, target, {
      invocations: 0, concurrency: 1, cold: 0, payload, schedule, maxInFlight: spec.maxInFlight,
      startAt: spec.startAtMs - wall,
    }, { retry: { ...(opts.retry ?? DEFAULT_RETRY), retries: env.retries }, signal: opts.signal, clock, onRecord });
    const started = result.startedAt !== undefined ? wall + result.startedAt : wallNow();
    const shardClock: ShardClock = {
      shard: spec.shard,
      startAtMs: spec.startAtMs,
      startedMs: Math.max(started, spec.startAtMs + fromMs),
      firstSendMs: firstSent === Infinity ? null : spec.startAtMs + firstSent,
      lastSendMs: lastSent === -Infinity ? null : spec.startAtMs + lastSent,
    };
    return {
      summary: result.summary.toJson(), clock: shardClock,
      ...(result.fatal ? { fatal: result.fatal.message.split("\n")[0] } : {}),
    };
  } finally {
    invoker.close();
    client.destroy();
  }
}
