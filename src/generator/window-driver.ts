// One Lambda driver invocation (issue 28): one window of one shard. The Map item names the shard's
// spec in the stack's bucket; the driver reads it (and the payload, when it is in S3) from its
// run's prefix only, resolves the target with GetFunctionConfiguration, runs the schedule's times
// in [w*windowMs, (w+1)*windowMs) anchored at the spec's start (a driver woken late drops what its
// window missed: late-start), streams the records to S3 as parts (part-sink.ts), then writes the
// window's clock and, last, its WindowEnd, and answers the next item (objects.ts).
// Time: the invocation ends at now + context.getRemainingTimeInMillis(). A call may take at most
// min(the function's timeout + 10 s, what is left after the window less WRITE_RESERVE_MS); if the
// invocation would end before the window does, sending stops early enough for the calls in flight
// to end, and the window ends with `fatal` (what was recorded is kept). An S3 part that fails
// after the SDK's retries stops sending too (fatal); the parts before it stay. A run stopped by the
// CLI (Ctrl-C: StopExecution does not end a running invocation) writes stopKey: the driver looks
// for it every STOP_POLL_MS, stops sending when it appears, keeps what it recorded, and answers
// `done` so its child ends.
import type { S3Client } from "@aws-sdk/client-s3";
import { lambdaClient } from "../aws/lambda";
import { callTimeoutMs, DEFAULT_RETRY, type RetryPolicy } from "../measure/invoke";
import type { Clock } from "../workload/clock";
import { windowed } from "../workload/window";
import { driveShard, type DriverEnv } from "./drive";
import { driverTarget } from "./driver-target";
import { clockKey, endKey, MapItem, nextItem, partKey, payloadKey, specKey, stopKey, WRITE_RESERVE_MS, WindowEnd } from "./objects";
import { PartSink } from "./part-sink";
import { DriverRefusal, RunBucket } from "./run-bucket";
import { firstIssue, parseShardSpec, shardScheduleOf, ShardSpecError, type ShardSpec } from "./spec";
import { ShardClock } from "./skew";

/** What the driver takes from where it runs, never from the event. */
export interface WindowDeps {
  /** The stack's bucket. */
  bucket: string;
  /** The region: its Lambda is the only one the driver invokes. */
  region: string;
  s3: S3Client;
  /** A Lambda endpoint other than the region's (tests: the stand-in). */
  lambdaEndpoint?: string;
  /** The monotonic clock the schedule runs on, and epoch ms now. */
  clock: Clock;
  wallNow: () => number;
  /** The driver's version and memory (MB), for WindowEnd. */
  version: string;
  memoryMb: number;
  /** Part limits (part-sink.ts defaults: 8 MB, 30 s). */
  partMaxBytes?: number;
  partMaxAgeMs?: number;
  retry?: RetryPolicy;
  /** The driver's own function name (AWS_LAMBDA_FUNCTION_NAME): a spec naming it is refused. */
  selfName?: string;
}

/** The part of Lambda's context the driver uses. */
export interface DriverContext {
  getRemainingTimeInMillis(): number;
}

/** The shortest call timeout the driver sets, even when the invocation has less time after the window. */
export const MIN_CALL_TIMEOUT_MS = 1_000;

/** How often the driver looks for the run's stop object (one HeadObject: $0.0004 a 1,000). */
export const STOP_POLL_MS = 2_000;

/** The event as a MapItem, or a one-line refusal. */
export function checkItem(event: unknown): MapItem {
  const parsed = MapItem.safeParse(event);
  if (!parsed.success) throw new DriverRefusal(`the event is not a Map item: ${firstIssue(parsed.error)}`);
  const item = parsed.data;
  if (item.window >= item.windows) throw new DriverRefusal(`window ${item.window} is out of range: the run has ${item.windows}`);
  if (item.specKey !== specKey(item.runId, item.shard)) {
    throw new DriverRefusal(`specKey ${JSON.stringify(item.specKey)} is not ${specKey(item.runId, item.shard)}: the driver reads only its run's shard specs`);
  }
  return item;
}

/** Reads and checks the item's spec: an S3 spec of this run and shard. */
async function readSpec(bucket: RunBucket, item: MapItem): Promise<ShardSpec> {
  const where = bucket.url(item.specKey);
  let spec: ShardSpec;
  try {
    spec = parseShardSpec(await bucket.getText(item.specKey), where);
  } catch (err) {
    if (err instanceof ShardSpecError) throw new DriverRefusal(err.message);
    throw err;
  }
  if (spec.runId !== item.runId || spec.shard !== item.shard) {
    throw new DriverRefusal(`${where}: the spec is run ${spec.runId} shard ${spec.shard}, not the item's run ${item.runId} shard ${item.shard}`);
  }
  if (spec.out.kind !== "s3") throw new DriverRefusal(`${where}: out: the Lambda driver writes to S3 (kind "s3"), not to a local folder`);
  if ("s3Key" in spec.payload && spec.payload.s3Key !== payloadKey(item.runId)) {
    throw new DriverRefusal(`${where}: payload.s3Key must be ${payloadKey(item.runId)}; got ${JSON.stringify(spec.payload.s3Key)}`);
  }
  return spec;
}

export async function runWindow(event: unknown, context: DriverContext, deps: WindowDeps): Promise<MapItem> {
  const item = checkItem(event);
  const bucket = new RunBucket(deps.s3, deps.bucket, item.runId);
  const spec = await readSpec(bucket, item);
  if (deps.selfName !== undefined && spec.target.function.split(":").pop() === deps.selfName) {
    throw new DriverRefusal(`the spec's target ${spec.target.function} is the driver itself: a driver invokes benchmarks, never drivers`);
  }
  const payload = "base64" in spec.payload ? Buffer.from(spec.payload.base64, "base64") : await bucket.getBytes(spec.payload.s3Key);
  const aws = { region: deps.region, ...(deps.lambdaEndpoint ? { endpoint: deps.lambdaEndpoint } : {}) };
  const control = lambdaClient(aws);
  const target = await driverTarget(control, spec, deps.region).finally(() => control.destroy());

  // The window, in ms from the spec's start, and the invocation's end, in epoch ms.
  const fromMs = item.window * item.windowMs;
  const toMs = fromMs + item.windowMs;
  const windowEndMs = spec.startAtMs + toMs;
  const deadlineMs = deps.wallNow() + context.getRemainingTimeInMillis();
  const timeoutMs = Math.min(callTimeoutMs(target.timeoutMs),
    Math.max(MIN_CALL_TIMEOUT_MS, deadlineMs - windowEndMs - WRITE_RESERVE_MS));
  // The last moment a call may leave and still end (or time out) before the write reserve.
  const stopSendingMs = deadlineMs - WRITE_RESERVE_MS - timeoutMs;

  const stop = new AbortController();
  let fatal: string | undefined;
  const fail = (message: string) => {
    fatal ??= message;
    stop.abort();
  };
  const sink = new PartSink((part, body) => bucket.put(partKey(item.runId, item.shard, item.window, part), body, "application/x-ndjson"), {
    clock: deps.clock, maxBytes: deps.partMaxBytes, maxAgeMs: deps.partMaxAgeMs,
    onError: (message) => fail(`S3 upload failed: ${message}`),
  });
  const clockAtStop = stopSendingMs < windowEndMs
    ? deps.clock.at(deps.clock.now() + (stopSendingMs - deps.wallNow()), () => fail(
      `out of time: the invocation ends ${Math.round(windowEndMs + WRITE_RESERVE_MS + timeoutMs - deadlineMs)} ms too early for its window; stopped sending at ${Math.round(stopSendingMs - spec.startAtMs)} ms of the schedule`))
    : undefined;
  // The run's stop object, looked for while the window runs (a failed look is tried again next time).
  let stopped = false;
  let stopPoll: unknown;
  const poll = () => {
    stopPoll = deps.clock.at(deps.clock.now() + STOP_POLL_MS, () => {
      stopPoll = undefined;
      bucket.exists(stopKey(item.runId)).then((there) => {
        if (there) {
          stopped = true;
          stop.abort();
        } else if (!stop.signal.aborted) poll();
      }, () => { if (!stop.signal.aborted) poll(); });
    });
  };
  // Armed at the first record (a drop or a call's end), not before: the driver's start-up is not
  // slowed by a look, and the first look comes STOP_POLL_MS into the window's work.
  let polling = false;
  const write = (r: Parameters<PartSink["write"]>[0]) => {
    if (!polling) {
      polling = true;
      poll();
    }
    sink.write(r);
  };
  const env: DriverEnv = { aws, target, timeoutMs, retries: (deps.retry ?? DEFAULT_RETRY).retries };
  let driven: Awaited<ReturnType<typeof driveShard>> | undefined;
  let failure: unknown;
  try {
    driven = await driveShard(spec, env, payload, windowed(shardScheduleOf(spec), fromMs, toMs), write,
      { signal: stop.signal, clock: deps.clock, wallNow: deps.wallNow, retry: deps.retry }, fromMs);
  } catch (err) {
    // Not an invoke error (those are `fatal`): a bug or the runtime. What was recorded is still
    // uploaded and the end written with it; then the invocation fails (the Map child with it).
    failure = err;
    fail(`the driver failed: ${((err as Error)?.message ?? String(err)).split("\n")[0]}`);
  } finally {
    if (clockAtStop !== undefined) deps.clock.cancel(clockAtStop);
    if (stopPoll !== undefined) deps.clock.cancel(stopPoll);
    stopPoll = undefined;
    stop.abort();
  }
  const written = await sink.close();
  if (driven?.fatal) fatal ??= driven.fatal;
  if (written.error) fatal ??= `S3 upload failed: ${written.error}`;
  if (driven) await bucket.putJson(clockKey(item.runId, item.shard, item.window), ShardClock.parse(driven.clock));
  const end: WindowEnd = WindowEnd.parse({
    shard: item.shard, window: item.window, parts: written.parts, records: written.records,
    ...(fatal ? { fatal } : {}), ...(stopped ? { stopped } : {}), version: deps.version, memoryMb: deps.memoryMb,
  });
  await bucket.putJson(endKey(item.runId, item.shard, item.window), end);
  if (failure !== undefined) throw failure;
  return stopped ? { ...item, done: true } : nextItem(item, spec.startAtMs);
}
