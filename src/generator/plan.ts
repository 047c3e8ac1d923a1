// A sharded workload as data (issue 28): the parameters that rebuild a WorkloadPlan's exact
// schedule (src/workload/segments.ts), in the form a shard spec carries them as JSON, and the
// conversions both ways. The seed travels beside them (the spec's `seed`).
import * as path from "node:path";
import { z } from "zod";
import type { Workload } from "../workload/workload";
import { openWorkload } from "../workload/open";
import { defaultBursts } from "../workload/burst";
import { DEFAULT_SEED } from "../rng";
import { scheduleOf, type WorkloadPlan } from "../workload/segments";

const positive = z.number().finite().positive();
const nonNegative = z.number().finite().nonnegative();
const count = z.number().int().nonnegative();
const Arrivals = z.enum(["uniform", "poisson"]);

const Gaps = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("fixed"), ms: z.array(nonNegative).min(1) }).strict(),
  z.object({ kind: z.literal("exp"), meanMs: positive }).strict(),
]);

const TraceData = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("minutes"), counts: z.array(count).min(1), rows: z.number().int().positive() }).strict(),
  z.object({ kind: z.literal("offsets"), offsetsMs: z.array(nonNegative).min(1) }).strict()
    .refine((t) => t.offsetsMs.every((x, i) => i === 0 || x >= t.offsetsMs[i - 1]), "offsets must be in ascending order"),
]);

/** The parameters that rebuild the exact schedule (the seed is the spec's own `seed`). */
export const ScheduleParams = z.discriminatedUnion("shape", [
  z.object({ shape: z.literal("open"), rate: positive, arrivals: Arrivals, count: count.optional(), durationMs: positive.optional() }).strict()
    .refine((o) => o.count !== undefined || o.durationMs !== undefined, "an open loop needs a count or a duration"),
  z.object({ shape: z.literal("ramp"), stages: z.array(z.object({ durationMs: positive, target: nonNegative }).strict()).min(1) }).strict(),
  z.object({ shape: z.literal("burst"), size: z.number().int().positive(), count: z.number().int().positive(), gaps: Gaps }).strict(),
  z.object({
    shape: z.literal("trace"),
    /** The trace file's base name (the descriptor's `trace`); the counts or offsets are here. */
    file: z.string().min(1).regex(/^[^/\\]+$/, "a base name, not a path"),
    trace: TraceData, arrivals: Arrivals, speedup: positive,
    select: z.object({
      function: z.string().optional(), row: z.number().int().positive().optional(),
      minutes: z.tuple([z.number().int().positive(), z.number().int().positive()]).optional(),
    }).strict(),
  }).strict(),
]);
export type ScheduleParams = z.infer<typeof ScheduleParams>;

/** A plan as spec data: its schedule parameters and its seed. */
export function paramsOf(plan: WorkloadPlan): { schedule: ScheduleParams; seed: number } {
  switch (plan.shape) {
    case "open": {
      const { rate, arrivals, count: n, durationMs, seed } = plan.open;
      return { schedule: { shape: "open", rate, arrivals, ...(n !== undefined ? { count: n } : {}), ...(durationMs !== undefined ? { durationMs } : {}) }, seed };
    }
    case "ramp":
      return { schedule: { shape: "ramp", stages: plan.stages.map(({ durationMs, target }) => ({ durationMs, target })) }, seed: DEFAULT_SEED };
    case "burst": {
      const b = plan.burst;
      return { schedule: { shape: "burst", size: b.size, count: b.count ?? defaultBursts(b.gaps), gaps: b.gaps }, seed: b.seed };
    }
    case "trace": {
      const t = plan.trace;
      const trace = t.trace.kind === "minutes" ? { kind: "minutes" as const, counts: [...t.trace.counts], rows: t.trace.rows }
        : { kind: "offsets" as const, offsetsMs: Array.from(t.trace.offsetsMs) };
      const select = {
        ...(t.select.function !== undefined ? { function: t.select.function } : {}),
        ...(t.select.row !== undefined ? { row: t.select.row } : {}),
        ...(t.select.minutes !== undefined ? { minutes: t.select.minutes } : {}),
      };
      return { schedule: { shape: "trace", file: path.basename(t.file), trace, arrivals: t.arrivals, speedup: t.speedup, select }, seed: t.seed };
    }
  }
}

/** The plan a spec's parameters and seed rebuild. */
export function planOf(schedule: ScheduleParams, seed: number): WorkloadPlan {
  switch (schedule.shape) {
    case "open":
      return { shape: "open", open: { rate: schedule.rate, arrivals: schedule.arrivals, seed, count: schedule.count, durationMs: schedule.durationMs } };
    case "ramp":
      return { shape: "ramp", stages: schedule.stages };
    case "burst":
      return { shape: "burst", burst: { size: schedule.size, count: schedule.count, gaps: schedule.gaps, seed } };
    case "trace": {
      const t = schedule.trace;
      const trace = t.kind === "minutes" ? t : { kind: "offsets" as const, offsetsMs: Float64Array.from(t.offsetsMs) };
      return { shape: "trace", trace: { file: schedule.file, trace, arrivals: schedule.arrivals, seed, speedup: schedule.speedup, select: schedule.select } };
    }
  }
}

/** The descriptor a plan's records carry, without walking its schedule (a Poisson count is not drawn). */
export function descriptorOf(plan: WorkloadPlan): Workload {
  return plan.shape === "open" ? openWorkload(plan.open) : scheduleOf(plan).workload;
}
