// `measure`'s workload options (issue 13): which shape runs, with what parameters, checked before
// anything is sent. No workload option: the closed loop (-n/-c) as before.
import { Command, Option } from "commander";
import { UserError } from "./errors";
import { positiveInt } from "./options";
import { parseDuration, readDuration } from "../workload/duration";
import type { WarmupSpec } from "../workload/warmup";
import type { Arrivals } from "../workload/open";
import { parseRamp } from "../workload/ramp";
import { parseEvery } from "../workload/burst";
import { parseMinutes, TraceError } from "../workload/trace";
import { DEFAULT_SEED } from "../rng";
import type { Schedule } from "../workload/schedule";
import { DEFAULT_MAX_IN_FLIGHT } from "../measure/run";
import { CLI_NAMES, planOfSpec, scheduleOfSpec, specProblem, type WorkloadSpec } from "../workload/spec";
import type { WorkloadPlan } from "../workload/segments";

export interface WorkloadOptions {
  rate?: number;
  duration?: number;
  arrivals: Arrivals;
  seed: number;
  maxInFlight: number;
  ramp?: string;
  burst?: number;
  every?: string;
  bursts?: number;
  trace?: string;
  traceFunction?: string;
  traceRow?: number;
  minutes?: string;
  speedup: number;
  warmup?: WarmupSpec;
}

/** A usage error from a parser's Error, naming the option. */
const usage = <T>(what: string, f: (v: string) => T) => (v: string): T => {
  try {
    return f(v);
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw new UserError(`${what}: ${(err as Error).message}`, 2);
  }
};

const positiveNumber = (what: string) => usage(what, (v) => {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`must be a number above 0; got ${JSON.stringify(v)}`);
  return n;
});

export function withWorkloadOptions(cmd: Command): Command {
  return cmd
    .option("--rate <R>", "open loop: R calls a second whatever comes back (with --duration or -n)", positiveNumber("--rate"))
    .option("--duration <d>", "how long the open loop runs: 500ms, 30s, 1m", usage("--duration", (v) => parseDuration(v)))
    .addOption(new Option("--arrivals <kind>", "open loop and trace: spacing of the calls").choices(["uniform", "poisson"]).default("uniform"))
    .option("--seed <S>", "seed of the Poisson, exp: and trace arrivals", positiveInt("--seed", 0), DEFAULT_SEED)
    .option("--max-in-flight <M>", "open workloads: a call due while M are in flight is dropped, never queued", positiveInt("--max-in-flight"), DEFAULT_MAX_IN_FLIGHT)
    .option("--ramp <stages>", "k6-style ramp of the rate: 30s:10,60s:200 (reach 10/s over 30 s, then 200/s over 60 s)")
    .option("--burst <B>", "bursts of B calls at once (with --every)", positiveInt("--burst"))
    .option("--every <T>", "gap between bursts: 10s, a list stepped through (1s,10s,60s), or exp:MEAN")
    .option("--bursts <K>", "bursts in all (default: 10, or one per gap of a list plus one)", positiveInt("--bursts"))
    .option("--trace <file>", "replay an Azure Functions 2019 per-minute trace, or a one-column CSV of send offsets in ms")
    .option("--trace-function <hash>", "the trace row of this HashFunction (default: every row summed)")
    .option("--trace-row <N>", "the trace's Nth data row (1-based)", positiveInt("--trace-row"))
    .option("--minutes <A-B>", "the trace's minutes A to B (1-based, inclusive)")
    .option("--speedup <X>", "play the trace X times faster", positiveNumber("--speedup"), 1)
    .option("--warmup <K|d>", "warm up first, recorded with warmup: true and left out of the summary: K calls or a duration (5s); " +
      "an open loop (--rate) warms up at its own rate and flows into the measured schedule, the others send K calls at -c",
    usage("--warmup", parseWarmup));
}

/** `--warmup`: a whole count of calls (0: none) or a duration. */
export function parseWarmup(v: string): WarmupSpec | undefined {
  if (/^\d+$/.test(v.trim())) {
    const calls = Number(v);
    if (!Number.isSafeInteger(calls)) throw new Error(`must be a count of calls or a duration (5s); got ${JSON.stringify(v)}`);
    return calls === 0 ? undefined : { calls };
  }
  const d = readDuration(v);
  if (!d.ok) throw new Error(`must be a count of calls or a duration (5s); got ${JSON.stringify(v)}`);
  return d.ms === 0 ? undefined : { ms: d.ms };
}

/**
 * The open schedule the options ask for, or undefined for the closed loop. `n` is -n when it was
 * given on the command line (not its default).
 */
export function scheduleOf(o: WorkloadOptions, n: number | undefined, cold: number): Schedule | undefined {
  return fromOptions(o, n, cold, scheduleOfSpec);
}

/** The open workload's plan (what `--shards` splits: src/workload/segments.ts); undefined for the closed loop. */
export function workloadPlanOf(o: WorkloadOptions, n: number | undefined, cold: number): WorkloadPlan | undefined {
  return fromOptions(o, n, cold, planOfSpec);
}

function fromOptions<T>(o: WorkloadOptions, n: number | undefined, cold: number, build: (spec: WorkloadSpec) => T | undefined): T | undefined {
  const shapes = (["rate", "ramp", "burst", "trace"] as const).filter((k) => o[k] !== undefined);
  if (shapes.length > 1) throw new UserError(`--${shapes.join(" and --")} are different workloads: pick one`, 2);
  const shape = shapes[0];
  const misplaced = (opts: [keyof WorkloadOptions, string][], need: string) => {
    for (const [k, flag] of opts) if (o[k] !== undefined) throw new UserError(`${flag} applies to ${need}`, 2);
  };
  if (shape !== "rate") misplaced([["duration", "--duration"]], "--rate");
  if (shape !== "burst") misplaced([["every", "--every"], ["bursts", "--bursts"]], "--burst");
  if (shape !== "trace") misplaced([["traceFunction", "--trace-function"], ["traceRow", "--trace-row"], ["minutes", "--minutes"]], "--trace");
  if (shape !== "trace" && o.speedup !== 1) throw new UserError("--speedup applies to --trace", 2);
  if (o.warmup && "ms" in o.warmup && shape !== "rate") {
    throw new UserError(`--warmup as a duration applies to --rate (its warm-up runs at the rate); give a count of calls for ${shape === undefined ? "the closed loop" : `--${shape}`}`, 2);
  }
  if (shape === undefined) {
    return undefined;
  }
  if (cold > 0) throw new UserError(`--cold applies to the closed loop (-n/-c), not to --${shape}`, 2);
  if (shape !== "rate" && n !== undefined) throw new UserError(`-n applies to the closed loop and --rate, not to --${shape}`, 2);
  try {
    let spec: WorkloadSpec;
    switch (shape) {
      case "rate":
        spec = { shape: "open", rate: o.rate!, arrivals: o.arrivals, seed: o.seed, n, durationMs: o.duration };
        break;
      case "ramp":
        spec = { shape: "ramp", stages: parseRamp(o.ramp!) };
        break;
      case "burst":
        if (o.every === undefined) throw new UserError("--burst needs --every: the time between bursts", 2);
        spec = { shape: "burst", size: o.burst!, gaps: parseEvery(o.every), bursts: o.bursts, seed: o.seed };
        break;
      case "trace":
        spec = {
          shape: "trace", file: o.trace!, function: o.traceFunction, row: o.traceRow,
          minutes: o.minutes ? parseMinutes(o.minutes) : undefined, speedup: o.speedup, arrivals: o.arrivals, seed: o.seed,
        };
        break;
    }
    const problem = specProblem(spec, CLI_NAMES);
    if (problem) throw new UserError(problem.message, 2);
    return build(spec);
  } catch (err) {
    if (err instanceof UserError) throw err;
    if (err instanceof TraceError) throw new UserError(err.message, 2);
    throw new UserError(`--${shape}: ${(err as Error).message}`, 2);
  }
}
