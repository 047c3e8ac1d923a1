// A study file's `workloads` items: each one of measure's shapes as a one-key map
// (`closed: {n: 200, c: 4}`), parsed with measure's own parsers (durations, ramp stages, --every,
// --minutes) into a WorkloadSpec (workload/spec.ts, which holds the rules between the
// parameters), and its folder name: a readable slug of the parameters, defaults left out.
import { z } from "zod";
import { count, describe, int } from "../manifest/schema";
import { DEFAULT_MAX_IN_FLIGHT } from "../measure/run";
import { MAX_CONCURRENCY, type InputNames, type WorkloadSpec } from "../workload/spec";
import { defaultBursts, parseEvery } from "../workload/burst";
import { formatDuration, readDuration } from "../workload/duration";
import { parseRamp } from "../workload/ramp";
import { DEFAULT_SEED } from "../rng";
import { parseMinutes } from "../workload/trace";

export const WORKLOAD_KINDS = ["closed", "open", "ramp", "burst", "trace"] as const;

/** A rule's inputs as a study file writes them (keys of the workload's map). */
export const STUDY_NAMES: InputNames = { n: "n", c: "c", cold: "cold", rate: "rate", duration: "duration", traceFunction: "function", traceRow: "row" };

/** A parser of measure's (it throws an Error saying what is wrong) applied to a string field. */
const parsed = <T>(what: string, example: string, parse: (v: string) => T, kind = "a string") =>
  z.string({ error: (iss) => `${what} must be ${kind} like ${example}; got ${describe(iss.input)}` })
    .transform((v, ctx) => {
      try {
        return parse(v);
      } catch (err) {
        ctx.addIssue({ code: "custom", message: `${what}: ${(err as Error).message}` });
        return z.NEVER;
      }
    });

const duration = (what: string) => parsed(what, "500ms, 30s, 1m or 2h", (v) => {
  const d = readDuration(v);
  if (!d.ok) throw new Error(d.message);
  return d.ms;
}, "a number with a unit");

const positive = (what: string) =>
  z.number({ error: (iss) => `${what} must be a number above 0; got ${describe(iss.input)}` })
    .positive({ error: (iss) => `${what} must be a number above 0; got ${describe(iss.input)}` });

const arrivals = z.enum(["uniform", "poisson"], { error: (iss) => `arrivals must be uniform or poisson; got ${describe(iss.input)}` }).default("uniform");
const seed = count("seed", 0).default(DEFAULT_SEED);
/** What every shape takes: warm-up calls first (left out of summaries). */
const warmup = { warmup: count("warmup", 0).default(0) };
/** What the open shapes take: the cap on calls in flight (a call due past it is dropped). */
const open = { ...warmup, maxInFlight: count("maxInFlight", 1).default(DEFAULT_MAX_IN_FLIGHT) };

const shapes = {
  closed: z.strictObject({
    n: count("n", 1).default(100),
    c: int("c", 1, MAX_CONCURRENCY, "calls in flight").default(1),
    cold: count("cold", 0).default(0),
    ...warmup,
  }),
  open: z.strictObject({ rate: positive("rate"), duration: duration("duration").optional(), n: count("n", 1).optional(), arrivals, seed, ...open }),
  ramp: z.strictObject({ stages: parsed("stages", "30s:10,60s:200", parseRamp), ...open }),
  burst: z.strictObject({ size: count("size", 1), every: parsed("every", "30s, 1s,10s or exp:30s", parseEvery, "a duration or a list"), bursts: count("bursts", 1).optional(), seed, ...open }),
  trace: z.strictObject({
    file: z.string({ error: (iss) => `file must be a path; got ${describe(iss.input)}` }).min(1, { error: "file must not be empty" }),
    function: z.string({ error: (iss) => `function must be a HashFunction; got ${describe(iss.input)}` }).optional(),
    row: count("row", 1).optional(),
    minutes: parsed("minutes", "1-60", parseMinutes).optional(),
    speedup: positive("speedup").default(1),
    arrivals, seed, ...open,
  }),
};

export const WorkloadItem = z.strictObject({
  closed: shapes.closed.optional(),
  open: shapes.open.optional(),
  ramp: shapes.ramp.optional(),
  burst: shapes.burst.optional(),
  trace: shapes.trace.optional(),
}, { error: (iss) => `a workload is a map with one of ${WORKLOAD_KINDS.join(", ")}, e.g. {closed: {n: 100, c: 4}}; got ${describe(iss.input)}` })
  .superRefine((item, ctx) => {
    const kinds = WORKLOAD_KINDS.filter((k) => item[k] !== undefined);
    if (kinds.length !== 1) ctx.addIssue({ code: "custom", message: `a workload is exactly one of ${WORKLOAD_KINDS.join(", ")}; got ${kinds.length ? kinds.join(" and ") : "none"}` });
  });
export type WorkloadItem = z.output<typeof WorkloadItem>;

/** A workload of a study: the spec, its warm-up and cap, and the folder name. */
export interface StudyWorkload {
  spec: WorkloadSpec;
  warmup: number;
  /** The open shapes' cap on calls in flight; the closed loop's is its c. */
  maxInFlight: number;
  slug: string;
}

/** The item's spec (a trace's file resolved by `resolveFile`), or undefined when it is not exactly one shape. */
export function studyWorkload(item: WorkloadItem, resolveFile: (f: string) => string): StudyWorkload | undefined {
  const kinds = WORKLOAD_KINDS.filter((k) => item[k] !== undefined);
  if (kinds.length !== 1) return undefined;
  let spec: WorkloadSpec;
  let w: { warmup: number; maxInFlight?: number };
  if (item.closed) {
    const { n, c, cold } = (w = item.closed);
    spec = { shape: "closed", n, c, cold };
  } else if (item.open) {
    const { rate, duration: durationMs, n, arrivals: a, seed: s } = (w = item.open);
    spec = { shape: "open", rate, durationMs, n, arrivals: a, seed: s };
  } else if (item.ramp) {
    spec = { shape: "ramp", stages: (w = item.ramp).stages };
  } else if (item.burst) {
    const { size, every, bursts, seed: s } = (w = item.burst);
    spec = { shape: "burst", size, gaps: every, bursts, seed: s };
  } else {
    const t = (w = item.trace!);
    spec = { shape: "trace", file: resolveFile(t.file), function: t.function, row: t.row, minutes: t.minutes, speedup: t.speedup, arrivals: t.arrivals, seed: t.seed };
  }
  const maxInFlight = spec.shape === "closed" ? spec.c : w.maxInFlight!;
  return { spec, warmup: w.warmup, maxInFlight, slug: workloadSlug(spec, w.warmup, maxInFlight, item.trace?.file) };
}

/**
 * The folder name of a workload: its shape and the parameters that differ from their defaults,
 * `_`-joined, in a fixed order: `closed_n200_c4_cold5_warmup10`, `open_rate50_60s`,
 * `burst_20x5_every30s`, `trace_azure-day1_x60`. Characters outside [A-Za-z0-9.-] become `-`.
 */
export function workloadSlug(spec: WorkloadSpec, warmup: number, maxInFlight: number, traceFile?: string): string {
  const parts: (string | false | undefined)[] = [spec.shape];
  const seedOf = (s: number) => s !== DEFAULT_SEED && `seed${s}`;
  switch (spec.shape) {
    case "closed":
      parts.push(`n${spec.n}`, spec.c !== 1 && `c${spec.c}`, spec.cold > 0 && `cold${spec.cold}`);
      break;
    case "open":
      parts.push(`rate${spec.rate}`, spec.durationMs !== undefined && formatDuration(spec.durationMs), spec.n !== undefined && `n${spec.n}`,
        spec.arrivals !== "uniform" && spec.arrivals, spec.arrivals !== "uniform" && seedOf(spec.seed));
      break;
    case "ramp":
      parts.push(spec.stages.map((s) => `${formatDuration(s.durationMs)}-${s.target}`).join("-to-"));
      break;
    case "burst": {
      const g = spec.gaps;
      parts.push(`${spec.size}x${spec.bursts ?? defaultBursts(g)}`, `every${g.kind === "exp" ? `exp${formatDuration(g.meanMs)}` : g.ms.map(formatDuration).join("-")}`,
        g.kind === "exp" && seedOf(spec.seed));
      break;
    }
    case "trace":
      parts.push((traceFile ?? spec.file).replace(/^.*[\\/]/, "").replace(/\.[^.]*$/, ""), spec.function !== undefined && `fn${spec.function}`,
        spec.row !== undefined && `row${spec.row}`, spec.minutes && `min${spec.minutes[0]}-${spec.minutes[1]}`, spec.speedup !== 1 && `x${spec.speedup}`,
        spec.arrivals !== "uniform" && spec.arrivals, seedOf(spec.seed));
      break;
  }
  parts.push(warmup > 0 && `warmup${warmup}`, spec.shape !== "closed" && maxInFlight !== DEFAULT_MAX_IN_FLIGHT && `max${maxInFlight}`);
  return parts.filter((p): p is string => typeof p === "string").map((p) => p.replace(/[^A-Za-z0-9.-]+/g, "-")).join("_");
}
