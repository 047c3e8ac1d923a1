// The shard driver (issue 28): runs one ShardSpec against Lambda with measure's own invoke path
// (HttpInvoker, measure/invokeMeasured, the engine), writing `shard-<i>.jsonl` (every record with
// `shard: i`) and `shard-<i>.clock.json` (skew.ts). The spec names the function, never a URL:
// where Lambda is (an --endpoint, the region, a profile) comes from the parent, as DriverEnv,
// together with what the parent resolved of the target (memory, architecture, prices).
// The schedule's time 0 is the spec's startAtMs (epoch ms), mapped once onto the process's
// monotonic clock; measure's start barrier sleeps until it, or drops what a late start missed.
import { lambdaClient, type AwsOptions } from "../aws/lambda";
import { HttpInvoker, type Invoker } from "../aws/invoke-http";
import { DEFAULT_RETRY, type Target } from "../measure/invoke";
import { measure } from "../measure/run";
import { JsonlWriter } from "../runs/jsonl";
import type { InvocationRecord } from "../runs/record";
import type { SummaryJson } from "../summary/summary";
import { RealClock, type Clock } from "../workload/clock";
import { shardOutputs, shardScheduleOf, type ShardSpec } from "./spec";
import { writeShardClock, type ShardClock } from "./skew";

/** What a shard takes from its parent, not from the spec: where Lambda is, and the resolved target. */
export interface DriverEnv {
  aws: AwsOptions;
  /** The target as the parent resolved it; its function and qualifier are the spec's. */
  target: Target;
  /** Give up on a call after this long (the function's timeout + 10 s, or --client-timeout). */
  timeoutMs: number;
  retries: number;
}

export interface ShardResult {
  summary: SummaryJson;
  clock: ShardClock;
  /** Set when the shard stopped early on an error no retry could fix (one line). */
  fatal?: string;
  /** The records file could not be written in full (one line). */
  writeError?: string;
}

/** A spec the local driver cannot run: one line. */
export class DriverError extends Error {}

export async function runShard(spec: ShardSpec, env: DriverEnv, opts: { signal?: AbortSignal; invoker?: Invoker; clock?: Clock } = {}): Promise<ShardResult> {
  if (spec.out.kind !== "local") throw new DriverError(`shard ${spec.shard}: the local driver writes to a local folder, not to S3`);
  if (!("base64" in spec.payload)) throw new DriverError(`shard ${spec.shard}: the local driver takes the payload inline, not from S3 (${spec.payload.s3Key})`);
  const payload = Buffer.from(spec.payload.base64, "base64");
  const target: Target = { ...env.target, functionName: spec.target.function, qualifier: spec.target.qualifier ?? undefined };
  const client = lambdaClient(env.aws);
  const invoker = opts.invoker ?? new HttpInvoker(client, spec.target.function,
    { maxSockets: spec.maxInFlight, timeoutMs: env.timeoutMs, qualifier: spec.target.qualifier ?? undefined });
  const files = shardOutputs(spec);
  const writer = new JsonlWriter(files.records);
  const clock = opts.clock ?? new RealClock();
  // Epoch ms of the clock's 0: the spec's start on this process's monotonic clock.
  const wall = Date.now() - clock.now();
  let firstSent = Infinity;
  let lastSent = -Infinity;
  const onRecord = (r: InvocationRecord) => {
    r.shard = spec.shard;
    if (r.sentAt !== null && !r.warmup) {
      if (r.sentAt < firstSent) firstSent = r.sentAt;
      if (r.sentAt > lastSent) lastSent = r.sentAt;
    }
    writer.write(r);
  };
  try {
    const result = await measure(client, invoker, target, {
      invocations: 0, concurrency: 1, cold: 0, payload, schedule: shardScheduleOf(spec), maxInFlight: spec.maxInFlight,
      startAt: spec.startAtMs - wall,
    }, { retry: { ...DEFAULT_RETRY, retries: env.retries }, signal: opts.signal, clock, onRecord });
    const shardClock: ShardClock = {
      shard: spec.shard,
      startAtMs: spec.startAtMs,
      startedMs: result.startedAt !== undefined ? wall + result.startedAt : Date.now(),
      firstSendMs: firstSent === Infinity ? null : spec.startAtMs + firstSent,
      lastSendMs: lastSent === -Infinity ? null : spec.startAtMs + lastSent,
    };
    writer.close();
    writeShardClock(files.clock, shardClock);
    return {
      summary: result.summary.toJson(), clock: shardClock,
      ...(result.fatal ? { fatal: result.fatal.message.split("\n")[0] } : {}),
      ...(writer.error ? { writeError: `${files.records}: ${writer.error.code ?? writer.error.message}` } : {}),
    };
  } finally {
    writer.close();
    invoker.close();
    client.destroy();
  }
}
