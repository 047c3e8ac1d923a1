// One workload split into N shards that together send exactly the schedule one process would send
// (issue 28). Every shape but Poisson arrivals of the open loop is a fixed sequence of calls, and
// shard i of N takes calls i, i+N, i+2N ... of it: k6's striped offsets (lib/execution_segment.go)
// for N equal segments 1/N, where its striping algorithm gives segment i exactly the offset i
// every N calls. So a burst's calls are dealt across shards (sizes differ by at most 1, and which
// shards get the extra one moves on with each burst), a trace minute's count is split exactly,
// and a ramp's or a uniform rate's calls alternate. Each shard walks the one global schedule and
// keeps its stripe, so its times are the global times bit for bit (the seeded burst gaps and
// trace arrivals come from the same seed in every shard); the walk costs the global rate's
// arithmetic, not the shard's (a few ns a call).
// Poisson arrivals of the open loop are different: a superposition of independent Poisson
// processes is Poisson, so each shard runs its own seeded stream at rate/N (a seed derived from
// the run's seed and the shard index); the union is a Poisson process at the rate, not the one
// process's sequence, so these calls have no global index.
import type { Workload } from "./workload";
import { OpenSchedule, openWorkload, type OpenLoop } from "./open";
import { RampSchedule, type Stage } from "./ramp";
import { BurstSchedule, type BurstSpec } from "./burst";
import { TraceSchedule, type TraceSpec } from "./trace";
import type { Schedule } from "./schedule";

/** What builds an open workload's schedule: the shape and the parameters its class takes. */
export type WorkloadPlan =
  | { shape: "open"; open: OpenLoop }
  | { shape: "ramp"; stages: Stage[] }
  | { shape: "burst"; burst: BurstSpec }
  | { shape: "trace"; trace: TraceSpec };

/** The most shards a workload splits into (Step Functions Distributed Map's parallel children). */
export const MAX_SHARDS = 10_000;

/** One shard's part of a schedule: the global times (ms from the common start), in order. */
export interface ShardSchedule extends Schedule {
  readonly shard: number;
  readonly shards: number;
  /**
   * The 0-based index in the one-process schedule of the time `next` last returned; null for
   * Poisson arrivals of the open loop (independent streams: there is no global sequence).
   */
  readonly index: number | null;
}

/** The schedule one process sends. */
export function scheduleOf(plan: WorkloadPlan): Schedule {
  switch (plan.shape) {
    case "open": return new OpenSchedule(plan.open);
    case "ramp": return new RampSchedule(plan.stages);
    case "burst": return new BurstSchedule(plan.burst);
    case "trace": return new TraceSchedule(plan.trace);
  }
}

/** Throws unless 1 <= shards <= MAX_SHARDS and 0 <= shard < shards, all integers. */
export function checkShard(shard: number, shards: number): void {
  if (!Number.isInteger(shards) || shards < 1 || shards > MAX_SHARDS) throw new Error(`shards must be a whole number from 1 to ${MAX_SHARDS}; got ${shards}`);
  if (!Number.isInteger(shard) || shard < 0 || shard >= shards) throw new Error(`shard index must be a whole number from 0 to ${shards - 1}; got ${shard}`);
}

/** Shard `shard` of `shards`: its stripe of the global schedule, or its own Poisson stream. */
export function shardSchedule(plan: WorkloadPlan, shard: number, shards: number): ShardSchedule {
  checkShard(shard, shards);
  if (plan.shape === "open" && plan.open.arrivals === "poisson") return new PoissonShard(plan.open, shard, shards);
  return new StripedSchedule(scheduleOf(plan), shard, shards);
}

/** Every shard's schedule (tests and the local generator's planning). */
export function shardSchedules(plan: WorkloadPlan, shards: number): ShardSchedule[] {
  return Array.from({ length: shards }, (_, i) => shardSchedule(plan, i, shards));
}

/** How many of `total` striped calls shard `shard` of `shards` takes: indices shard, shard+N, ... below total. */
export function shareOf(total: number, shard: number, shards: number): number {
  return total > shard ? Math.floor((total - 1 - shard) / shards) + 1 : 0;
}

/** fmix32, MurmurHash3's finalizer: a bijection of 32-bit integers that mixes every bit. */
function fmix32(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * The seed of shard `shard`'s Poisson stream: the run's seed itself for one shard (so one shard
 * sends what one process sends), else a mix of the seed, the shard count and the index. Distinct
 * for the shards of one run: fmix32 is a bijection, applied to distinct base + shard.
 */
export function shardSeed(seed: number, shard: number, shards: number): number {
  if (shards === 1) return seed;
  const base = fmix32((seed ^ Math.imul(shards, 0x9e3779b9)) >>> 0);
  return fmix32((base + shard) >>> 0);
}

/** Calls shard, shard+N, shard+2N ... of the global schedule, at their global times. */
class StripedSchedule implements ShardSchedule {
  readonly workload: Workload;
  readonly total: number | null;
  burst: number | null = null;
  index: number | null = null;
  /** The global index of the inner schedule's next call. */
  private k = 0;

  constructor(private readonly inner: Schedule, readonly shard: number, readonly shards: number) {
    this.workload = inner.workload;
    this.total = inner.total === null ? null : shareOf(inner.total, shard, shards);
  }

  next(): number {
    for (;;) {
      const t = this.inner.next();
      if (t === Infinity) return Infinity;
      const k = this.k++;
      if (k % this.shards === this.shard) {
        this.index = k;
        this.burst = this.inner.burst;
        return t;
      }
    }
  }
}

/**
 * Poisson arrivals at rate/N from the shard's own seed, for the same duration; a count is split
 * as a stripe would split it (the first count mod N shards send one more).
 */
class PoissonShard implements ShardSchedule {
  readonly workload: Workload;
  readonly total: number;
  readonly burst = null;
  readonly index = null;
  private readonly inner: OpenSchedule;

  constructor(spec: OpenLoop, readonly shard: number, readonly shards: number) {
    this.workload = openWorkload(spec);
    this.inner = new OpenSchedule({
      rate: spec.rate / shards, arrivals: "poisson", seed: shardSeed(spec.seed, shard, shards),
      count: spec.count === undefined ? undefined : shareOf(spec.count, shard, shards), durationMs: spec.durationMs,
    });
    this.total = this.inner.total;
  }

  next(): number {
    return this.inner.next();
  }
}
