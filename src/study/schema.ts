// A study file's shape (issue 29), as one zod schema: experiments, each a matrix of benchmarks x
// memory sizes x workloads, repeated. The rules that need the whole file, the manifest or the disk
// live in load.ts, reported in the same positioned form.
import { z } from "zod";
import { count, describe, int, LIMITS } from "../manifest/schema";
import { WorkloadItem } from "./workload";

/** An experiment's name is a folder name: letters, digits, '.', '_', '-', not starting with '.'. */
export const EXPERIMENT_NAME = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,63}$/;
export const ORDERS = ["interleaved", "sequential"] as const;
export type Order = (typeof ORDERS)[number];
export const MAX_SHARDS = 10_000;

export const Experiment = z.strictObject({
  name: z.string({ error: (iss) => `name must be a string; got ${describe(iss.input)}` })
    .regex(EXPERIMENT_NAME, { error: (iss) => `name ${describe(iss.input)} is not a folder name: use 1 to 64 letters, digits, '.', '_' or '-', not starting with '.'` }),
  benchmarks: z.array(
    z.string({ error: (iss) => `a benchmark is a name from the manifest; got ${describe(iss.input)}` }),
    { error: (iss) => `benchmarks must be a list of names from the manifest; got ${describe(iss.input)}` },
  ).min(1, { error: "benchmarks must list at least one benchmark" }),
  memory: z.array(int("memory", LIMITS.memory.min, LIMITS.memory.max, "MB"), { error: (iss) => `memory must be a list of sizes in MB; got ${describe(iss.input)}` })
    .min(1, { error: "memory must list at least one size, or be left out (the deployed size)" }).optional(),
  payload: z.string({ error: (iss) => `payload must be a JSON string or @file; got ${describe(iss.input)}` }).optional(),
  workloads: z.array(WorkloadItem, { error: (iss) => `workloads must be a list of workloads; got ${describe(iss.input)}` })
    .min(1, { error: "workloads must list at least one workload" }),
  repeat: count("repeat", 1).default(1),
  order: z.enum(ORDERS, { error: (iss) => `order must be interleaved or sequential; got ${describe(iss.input)}` }).default("interleaved"),
  generator: z.strictObject({
    shards: count("generator.shards", 1).max(MAX_SHARDS, { error: (iss) => `generator.shards must be at most ${MAX_SHARDS}; got ${describe(iss.input)}` }),
  }, {
    error: (iss) => `generator must be a map like {shards: 4}; got ${describe(iss.input)}`,
  }).optional(),
}, { error: (iss) => `each experiment must be a map with name, benchmarks and workloads; got ${describe(iss.input)}` });
export type ExperimentEntry = z.output<typeof Experiment>;

export const StudyFile = z.strictObject({
  experiments: z.array(Experiment, { error: (iss) => `experiments must be a list of experiments; got ${describe(iss.input)}` })
    .min(1, { error: "experiments must list at least one experiment" }),
}, { error: (iss) => `a study file is a map with experiments; got ${describe(iss.input)}` });
