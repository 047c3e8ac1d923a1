// The Lambda generator's checks before anything is uploaded (issue 28): the shard count against
// the manifest's generator and Distributed Map, each shard's peak rate against what one driver
// sends, the account's unreserved concurrency against the drivers and the target, and the
// schedule's length against what one execution can wait through. Each refusal is one line.
import * as fs from "node:fs";
import { parse } from "yaml";
import { GENERATOR_LIMITS } from "../manifest/schema";
import type { Schedule } from "../workload/schedule";
import { MAX_SHARDS } from "../workload/segments";

/**
 * The calls a second one shard is given at one vCPU: half of what `npm run bench:shards` (README,
 * "Sharded runs") shows one local shard keeping (4,000/s within 1%, nothing dropped, 65-73 µs of
 * CPU a call, against a loopback server): a driver's calls are TLS to lambda.<region>, signed,
 * with tens of ms in flight each, none of which the loopback bench pays. A driver below 1,769 MB
 * (one vCPU) gets that share of a vCPU, so that share of the rate. Only real AWS can set it finer.
 */
export const SHARD_RATE_PER_VCPU = 2000;
/** Lambda gives a function one vCPU at 1,769 MB. */
export const ONE_VCPU_MB = 1769;
/**
 * The most shards when neither the state machine's tag nor the manifest names them: the manifest's
 * own default (schema.ts). A generator deployed by components/generator.ts always carries the tag.
 */
export const FALLBACK_MAX_SHARDS = GENERATOR_LIMITS.maxShards.default;
/** A Standard execution runs at most a year; a run's windows and their margin must fit in it. */
export const EXECUTION_MAX_MS = 365 * 24 * 3600 * 1000;
/** A schedule walked for its length and peak stops here (a run this large is refused, not walked). */
export const WALK_MAX_CALLS = 50_000_000;

/** The rate one driver holds at `memoryMb`. */
export const driverRate = (memoryMb: number) => Math.floor(SHARD_RATE_PER_VCPU * Math.min(1, memoryMb / ONE_VCPU_MB));

/** The most calls a shard may be given in any second, and the schedule's length. */
export interface ScheduleShape {
  calls: number;
  /** The last send time (ms from the start). */
  lastMs: number;
  /** The most calls in any whole second [k s, k+1 s) of the one-process schedule. */
  peakPerSecond: number;
}

/** Walks a schedule once: its calls, its last time, its busiest second. */
export function shapeOf(s: Schedule): ScheduleShape {
  let calls = 0;
  let lastMs = 0;
  let second = -1;
  let inSecond = 0;
  let peak = 0;
  for (let t = s.next(); t !== Infinity; t = s.next()) {
    if (++calls > WALK_MAX_CALLS) throw new Error(`the schedule holds more than ${WALK_MAX_CALLS.toLocaleString("en-US")} calls: split it into runs`);
    lastMs = t;
    const k = Math.floor(t / 1000);
    if (k !== second) {
      second = k;
      inSecond = 0;
    }
    if (++inSecond > peak) peak = inSecond;
  }
  return { calls, lastMs, peakPerSecond: peak };
}

/** The manifest's `generator.maxShards`, or the fallback when the manifest has none (or no manifest). */
export function maxShardsOf(manifest: string | undefined): { max: number; from: string } {
  const file = manifest ?? "benchmarks.yaml";
  if (!fs.existsSync(file)) return { max: FALLBACK_MAX_SHARDS, from: `the default (${file} not found)` };
  const doc = parse(fs.readFileSync(file, "utf8")) as { generator?: { maxShards?: unknown } } | null;
  const max = doc?.generator?.maxShards;
  if (typeof max === "number" && Number.isInteger(max) && max > 0) return { max: Math.min(max, MAX_SHARDS), from: `${file}'s generator.maxShards` };
  return { max: FALLBACK_MAX_SHARDS, from: `the default (${file} sets no generator.maxShards)` };
}

export interface CheckInput {
  shards: number;
  maxShards: { max: number; from: string };
  shape: ScheduleShape;
  driverMemoryMb: number;
  /** UnreservedConcurrentExecutions, or null when the endpoint does not serve GetAccountSettings. */
  unreserved: number | null;
  /** The run's first window starts this long after now; the last ends after the schedule. */
  startMarginMs: number;
}

/** The first problem, as one line (and its exit code), or null. */
export function checkLambdaRun(c: CheckInput): { line: string; code: number } | null {
  if (c.shards > c.maxShards.max) {
    return { line: `--shards ${c.shards} is more than the generator's ${c.maxShards.max} (${c.maxShards.from}): raise generator.maxShards and \`pulumi up\`, or use fewer shards`, code: 2 };
  }
  const perShard = Math.ceil(c.shape.peakPerSecond / c.shards);
  const holds = driverRate(c.driverMemoryMb);
  if (perShard > holds) {
    const need = Math.ceil(c.shape.peakPerSecond / holds);
    return {
      line: `${perShard} calls/s a shard (the busiest second's ${c.shape.peakPerSecond} over ${c.shards} shards) is more than one driver of ${c.driverMemoryMb} MB sends (${holds}/s: ${SHARD_RATE_PER_VCPU}/s a vCPU, bench:shards): use --shards ${need} or more`,
      code: 2,
    };
  }
  // The target's concurrency: rate x 1 s (a call a second per environment), not rate x its timeout,
  // which would refuse almost every run; a slower function needs more than this.
  const target = c.shape.peakPerSecond;
  const needs = c.shards + target;
  if (c.unreserved !== null && c.unreserved < needs) {
    return {
      line: `the account's unreserved concurrency is ${c.unreserved}; this run needs ${needs} (${c.shards} drivers + ${target} for the target at ${target} calls/s x 1 s): use fewer shards or a lower rate, or ask AWS for a higher limit`,
      code: 1,
    };
  }
  if (c.startMarginMs + c.shape.lastMs > EXECUTION_MAX_MS) {
    return { line: `the schedule runs ${Math.round(c.shape.lastMs / 86_400_000)} days; one Step Functions execution waits at most a year`, code: 2 };
  }
  return null;
}
