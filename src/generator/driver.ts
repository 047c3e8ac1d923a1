// The local shard driver (issue 28): runs one ShardSpec (drive.ts, the core it shares with the
// Lambda driver) writing `shard-<i>.jsonl` (every record with `shard: i`) and `shard-<i>.clock.json`
// (skew.ts). The spec names the function, never a URL: where Lambda is (an --endpoint, the region,
// a profile) comes from the parent, as DriverEnv, together with what the parent resolved of the
// target (memory, architecture, prices).
import type { Invoker } from "../aws/invoke-http";
import { JsonlWriter } from "../runs/jsonl";
import type { SummaryJson } from "../summary/summary";
import type { Clock } from "../workload/clock";
import { shardOutputs, shardScheduleOf, type ShardSpec } from "./spec";
import { writeShardClock, type ShardClock } from "./skew";
import { driveShard, type DriverEnv } from "./drive";

export type { DriverEnv } from "./drive";

export interface ShardResult {
  summary: SummaryJson;
  clock: ShardClock;
  /** Set when the shard stopped early on an error no retry could fix (one line). */
  fatal?: string;
  /** The records file could not be written in full (one line). */
  writeError?: string;
}

/** A spec a driver cannot run: one line. */
export class DriverError extends Error {}

export async function runShard(spec: ShardSpec, env: DriverEnv, opts: { signal?: AbortSignal; invoker?: Invoker; clock?: Clock } = {}): Promise<ShardResult> {
  if (spec.out.kind !== "local") throw new DriverError(`shard ${spec.shard}: the local driver writes to a local folder, not to S3`);
  if (!("base64" in spec.payload)) throw new DriverError(`shard ${spec.shard}: the local driver takes the payload inline, not from S3 (${spec.payload.s3Key})`);
  const payload = Buffer.from(spec.payload.base64, "base64");
  const files = shardOutputs(spec);
  const writer = new JsonlWriter(files.records);
  try {
    const driven = await driveShard(spec, env, payload, shardScheduleOf(spec), (r) => writer.write(r), opts);
    writer.close();
    writeShardClock(files.clock, driven.clock);
    return {
      ...driven,
      ...(writer.error ? { writeError: `${files.records}: ${writer.error.code ?? writer.error.message}` } : {}),
    };
  } finally {
    writer.close();
  }
}
