// A workload as data: measure's shapes with their parameters parsed, and the rules between the
// parameters. One definition for the two ways a workload is written: `measure`'s options
// (cli/workload-options.ts, cli/run-support.ts) and a study file's `workloads` (study/workload.ts).
// Messages name the inputs in the caller's words (`-n` on the command line, `n` in a study file).
import * as path from "node:path";
import { BurstSchedule, type Gaps } from "./burst";
import { OpenSchedule, type Arrivals } from "./open";
import { RampSchedule, type Stage } from "./ramp";
import type { Schedule } from "./schedule";
import { readTrace, TraceSchedule } from "./trace";
import type { WorkloadPlan } from "./segments";

/**
 * The most invocations one client keeps in flight. Lambda's default concurrency quota is 1,000 a
 * region; past this, one process runs out of sockets and CPU before Lambda does, and the figures
 * it takes measure the client.
 */
export const MAX_CONCURRENCY = 10_000;

export type WorkloadSpec =
  /** `n` calls in all (the `cold` forced cold starts among them), at most `c` in flight. */
  | { shape: "closed"; n: number; c: number; cold: number }
  | { shape: "open"; rate: number; durationMs?: number; n?: number; arrivals: Arrivals; seed: number }
  | { shape: "ramp"; stages: Stage[] }
  | { shape: "burst"; size: number; gaps: Gaps; bursts?: number; seed: number }
  /** `file` as it will be opened (relative to the process's folder, or absolute). */
  | { shape: "trace"; file: string; function?: string; row?: number; minutes?: [number, number]; speedup: number; arrivals: Arrivals; seed: number };

/** How the caller's user writes each input that a rule names. */
export interface InputNames { n: string; c: string; cold: string; rate: string; duration: string; traceFunction: string; traceRow: string }

export const CLI_NAMES: InputNames = {
  n: "-n", c: "-c", cold: "--cold", rate: "--rate", duration: "--duration", traceFunction: "--trace-function", traceRow: "--trace-row",
};

/** A broken rule: the input it is about (to point at) and the message. */
export interface SpecProblem { input: keyof InputNames; message: string }

/** The closed loop's rules: cold starts and the calls in flight both count within n. */
export function closedProblem(l: { n: number; c: number; cold: number }, w: InputNames): SpecProblem | undefined {
  if (l.cold > l.n) return { input: "cold", message: `${w.cold} ${l.cold} is more than ${w.n} ${l.n}: cold starts count within ${w.n}` };
  if (l.c > l.n) {
    return { input: "c", message: `${w.c} ${l.c} is more than ${w.n} ${l.n}: no more than ${w.n} invocations can be in flight; lower ${w.c} or raise ${w.n}` };
  }
  return undefined;
}

/** The first rule between a workload's parameters that it breaks, in the caller's words. */
export function specProblem(spec: WorkloadSpec, w: InputNames): SpecProblem | undefined {
  switch (spec.shape) {
    case "closed":
      return closedProblem(spec, w);
    case "open":
      return spec.n === undefined && spec.durationMs === undefined
        ? { input: "rate", message: `${w.rate} needs ${w.duration} or ${w.n}: how long, or how many calls` } : undefined;
    case "trace":
      return spec.function !== undefined && spec.row !== undefined
        ? { input: "traceRow", message: `${w.traceFunction} and ${w.traceRow} both pick a row: give one` } : undefined;
    default:
      return undefined;
  }
}

/**
 * The schedule of an open workload; undefined for the closed loop, which has no send times (the
 * engine's runClosed). A trace is read here: a bad file throws TraceError (`file:line: message`).
 */
export function scheduleOfSpec(spec: WorkloadSpec): Schedule | undefined {
  switch (spec.shape) {
    case "closed":
      return undefined;
    case "open":
      return new OpenSchedule({ rate: spec.rate, arrivals: spec.arrivals, seed: spec.seed, count: spec.n, durationMs: spec.durationMs });
    case "ramp":
      return new RampSchedule(spec.stages);
    case "burst":
      return new BurstSchedule({ size: spec.size, gaps: spec.gaps, count: spec.bursts, seed: spec.seed });
    case "trace": {
      const select = { function: spec.function, row: spec.row, minutes: spec.minutes };
      const trace = readTrace(spec.file, select);
      return new TraceSchedule({ file: path.resolve(spec.file), trace, arrivals: spec.arrivals, seed: spec.seed, speedup: spec.speedup, select });
    }
  }
}

/**
 * An open workload as the parameters a shard spec carries (src/workload/segments.ts, for
 * `--shards`); undefined for the closed loop. A trace is read here, as by scheduleOfSpec.
 */
export function planOfSpec(spec: WorkloadSpec): WorkloadPlan | undefined {
  switch (spec.shape) {
    case "closed":
      return undefined;
    case "open":
      return { shape: "open", open: { rate: spec.rate, arrivals: spec.arrivals, seed: spec.seed, count: spec.n, durationMs: spec.durationMs } };
    case "ramp":
      return { shape: "ramp", stages: spec.stages };
    case "burst":
      return { shape: "burst", burst: { size: spec.size, gaps: spec.gaps, count: spec.bursts, seed: spec.seed } };
    case "trace": {
      const select = { function: spec.function, row: spec.row, minutes: spec.minutes };
      const trace = readTrace(spec.file, select);
      return { shape: "trace", trace: { file: path.resolve(spec.file), trace, arrivals: spec.arrivals, seed: spec.seed, speedup: spec.speedup, select } };
    }
  }
}
