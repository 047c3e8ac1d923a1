// `lambda-bench idle`: the idle-time experiment (src/measure/idle.ts). Prints what the plan will
// take before it starts, writes every call to --out as it completes, and on Ctrl-C prints what
// completed and exits 130.
import { randomInt } from "node:crypto";
import { Option, type Command } from "commander";
import { DEFAULT_RETRY, invokeMeasured } from "../../measure/invoke";
import type { Workload } from "../../runs/record";
import { formatDuration, parseDurationList } from "../../workload/duration";
import { idlePlan, planDuration, runIdle, type IdleClock } from "../../measure/idle";
import { formatIdle, type IdleSummaryJson } from "../../summary/idle-summary";
import { UserError } from "../errors";
import type { Io } from "../io";
import { provenanceOf } from "../../runs/provenance";
import { durationMs, positiveInt, withAwsOptions } from "../options";
import type { RunOut } from "../out-file";
import type { Output } from "../../measure/lifecycle";
import { claimOut, FORCE_HELP, lifecycleOf, prepare, progressOf, type RunOptions } from "../run-support";

/** What one call is taken to cost in the estimate printed before the run (a cold start can take more). */
export const CALL_ESTIMATE_MS = 1000;

/** The real clock: monotonic time, and a wait that ends early on abort. */
export const REAL_CLOCK: IdleClock = { now: () => performance.now(), sleep: DEFAULT_RETRY.sleep };

interface IdleOptions extends Omit<RunOptions, "n" | "c" | "cold"> {
  after: number[];
  repeat: number;
  seed?: number;
  out?: string;
  force?: boolean;
}

/** The --json output: the experiment's rows and how the run went. */
export interface IdleJson extends IdleSummaryJson {
  benchmark: string;
  function: string;
  region: string;
  seed: number;
  planned: number;
  completed: number;
  skipped: number;
  interrupted: boolean;
}

const durations = (value: string): number[] => {
  try {
    return parseDurationList(value);
  } catch (err) {
    throw new UserError(`--after: ${(err as Error).message}`, 2);
  }
};

const seedOf = (value: string): number => {
  const n = positiveInt("--seed", 0)(value);
  if (n > 0xffffffff) throw new UserError(`--seed must be at most 4294967295; got ${value}`, 2);
  return n;
};

export function registerIdle(program: Command, io: Io, clock: IdleClock = REAL_CLOCK): void {
  withAwsOptions(program.command("idle"))
    .description("after how long idle is an instance reclaimed: warm it, wait, probe, for each idle time R times in a seeded random order")
    .argument("<benchmark>", "a benchmark of the manifest, or a function name or ARN")
    .requiredOption("--after <durations>", "idle times to probe, e.g. 1m,5m,10m,20m,30m (units ms, s, m, h)", durations)
    .option("--repeat <R>", "probes per idle time", positiveInt("--repeat"), 5)
    .option("--seed <S>", "seed of the probe order, 0..4294967295 (default: a random one, printed)", seedOf)
    .option("--payload <json|@file>", "the event, as JSON or @file (default: {})")
    .option("--out <file.jsonl>", "write every call (warming ones marked warmup) as it completes, and the run's provenance to <file.jsonl>.meta.json")
    .option("--force", FORCE_HELP)
    .option("--json", "print the result as one JSON object")
    .option("--retries <R>", "retries of a throttled, 5xx, reset or timed-out call", positiveInt("--retries", 0), DEFAULT_RETRY.retries)
    .addOption(new Option("--client-timeout <duration>", "give up on a call after this long: ms, or 30s, 2m (default: function timeout + 10 s)")
      .argParser(durationMs("--client-timeout")))
    .action(async (name: string, o: IdleOptions, cmd: Command) => {
      const seed = o.seed ?? randomInt(2 ** 31);
      const plan = idlePlan(o.after, o.repeat, seed);
      const run = await prepare(name, { ...o, n: 2 * plan.length, c: 1, cold: 0 }, undefined);
      const workload: Workload = { shape: "idle", after: o.after.map(formatDuration).join(","), repeat: o.repeat, seed };
      claimOut(o.out ? [o.out] : [], o.force);
      const est = planDuration(plan, CALL_ESTIMATE_MS);
      io.err(`idle: ${plan.length} probes (${o.after.length} idle times x ${o.repeat}, seed ${seed}) on ${run.target.functionName}: ` +
        `about ${formatDuration(est.totalMs)} (${formatDuration(est.waitMs)} idle + ${est.calls} calls at ~${formatDuration(CALL_ESTIMATE_MS)}), ` +
        `done about ${new Date(Date.now() + est.totalMs).toISOString().slice(0, 16).replace("T", " ")} UTC\n`);
      const provenance = await provenanceOf(run, o, cmd, { workload, seed, plan: { after: String(workload.after), repeat: o.repeat } });
      const life = lifecycleOf(io, 2 * plan.length, undefined, [provenance]);
      const progress = progressOf(io, `${run.benchmark} idle`, plan.length);
      const invoker = run.invoker();
      let out: Output | undefined;
      let result;
      try {
        result = await life.run(async () => {
          out = o.out ? life.output(o.out, provenance) : undefined;
          const r = await runIdle(plan, {
            call: () => invokeMeasured(invoker, run.target, run.plan.payload, { retry: run.retry, signal: life.signal }),
            clock,
            workload,
            signal: life.signal,
            onRecord: (r) => {
              // Whole lines, at once: a run of hours must not hold its records back.
              if (out) {
                out.record(r);
                out.sink.flush();
              } else {
                life.record(r);
              }
              if (!r.warmup) progress.record(r);
            },
          });
          if (r.fatal) life.fail("error", run.describe(r.fatal.cause));
          return r;
        });
      } finally {
        invoker.close();
        progress.finish();
      }
      const summary = result.summary.toJson();
      const json: IdleJson = {
        benchmark: run.benchmark, function: run.target.functionName, region: run.region, seed,
        planned: plan.length, completed: result.completed, skipped: result.skipped, interrupted: result.interrupted, ...summary,
      };
      io.out(o.json ? `${JSON.stringify({ ...json, provenance })}\n` : `${formatIdleRun(json)}\n`);
      if (out?.sink.error) throw (out.sink as RunOut).cutShort(result.completed, "the table above");
      if (result.fatal) throw new UserError(`stopped after ${result.completed} probes: ${run.describe(result.fatal.cause)}`);
      if (result.interrupted) {
        throw new UserError(`interrupted: ${result.completed} of ${plan.length} probes completed${o.out ? `, every completed call in ${o.out}` : ""}`, life.exitCode ?? 130);
      }
    });
}

function formatIdleRun(j: IdleJson): string {
  const head = `${j.benchmark} (${j.function}, ${j.region})  idle after ${String(j.workload?.after ?? "-")}, seed ${j.seed}` +
    (j.interrupted ? "  INTERRUPTED" : "");
  const counts = `probes ${j.completed} of ${j.planned}` + (j.skipped ? `  skipped ${j.skipped} (warming call failed)` : "");
  return [head, counts, formatIdle(j)].join("\n");
}
