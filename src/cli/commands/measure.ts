// `lambda-bench measure`: a workload against one benchmark, summarized, each record to --out and
// the run's provenance to <out>.meta.json. The closed loop (-n/-c) by default; --rate, --ramp,
// --burst or --trace for an open workload; --repeat R runs it R times, --interleave alternates two
// functions or memory sizes.
import { Option, type Command } from "commander";
import { measure, type MeasureResult } from "../../measure/run";
import { provenanceOf } from "../../runs/provenance";
import { RunSummary, formatSummary } from "../../summary/summary";
import { closedWorkload } from "../../workload/closed";
import { UserError } from "../errors";
import type { Io } from "../io";
import { positiveInt } from "../options";
import { parseInterleave } from "../../measure/interleave";
import { measureInterleaved } from "./measure-interleave";
import { measureSharded, type ShardOptions } from "./measure-shards";
import { measureLambda, type LambdaShardOptions } from "./measure-lambda";
import { durationMs, endpointUrl } from "../options";
import { MAX_SHARDS } from "../../workload/segments";
import type { RunOut } from "../out-file";
import type { Output } from "../../measure/lifecycle";
import type { InvocationRecord } from "../../runs/record";
import { claimOut, FORCE_HELP, lifecycleOf, prepare, progressOf, withRunOptions, type RunOptions } from "../run-support";
import { scheduleOf, withWorkloadOptions, type WorkloadOptions } from "../workload-options";
import { warmupCallsOf, warmupText } from "../../workload/warmup";

type MeasureOptions = RunOptions & WorkloadOptions & {
  out?: string; force?: boolean; repeat: number; interleave?: string; interleaveSeed?: number;
  shards?: number; generator?: string; startMargin?: number; generatorEndpoint?: string;
};

export function registerMeasure(program: Command, io: Io): void {
  withWorkloadOptions(withRunOptions(program.command("measure")))
    .description("invoke a benchmark under a workload (N calls with at most C in flight, or --rate, --ramp, --burst, --trace) " +
      "and summarize latency, cold starts, billed duration, memory and cost")
    .option("--out <file.jsonl>", "write one JSON line per invocation as it completes (and its provenance to <file.jsonl>.meta.json)")
    .option("--force", FORCE_HELP)
    .option("--repeat <R>", "run the whole workload R times, each record tagged with its repetition", positiveInt("--repeat"), 1)
    .option("--interleave <A,B>", "alternate each repetition between two memory sizes or two functions, in a seeded random order; records each side to its own file: <out>-1024mb.jsonl and <out>-2048mb.jsonl for --interleave 1024,2048, <out>-<function>.jsonl for two functions")
    .option("--interleave-seed <S>", "the seed of --interleave's order (default 14)", positiveInt("--interleave-seed", 0))
    .option("--shards <N>", "split an open workload into N shards that together send exactly its schedule, each from its own worker process, merged into one run", positiveInt("--shards", 1, MAX_SHARDS))
    .option("--generator <local|lambda>", "where --shards run: local (worker processes on this machine; the default) or lambda (drivers in the region, started by the stack's state machine: add `generator:` to the manifest)")
    .option("--start-margin <duration>", "with --shards: the common start this long after now, for the workers to start and connect (default 2 s + 0.1 s a shard; lambda: 60 s + 10 ms a shard, at least 35 s)", durationMs("--start-margin", 100, 600_000))
    .addOption(new Option("--generator-endpoint <url>", "with --generator lambda: the endpoint of Step Functions, S3 and STS (default: --endpoint), e.g. moto_server's while --endpoint is the stand-in's").argParser(endpointUrl))
    .action(async (name: string, o: MeasureOptions, cmd: Command) => {
      if (o.shards !== undefined && o.generator === "lambda") return measureLambda(name, { ...o, shards: o.shards, generator: "lambda" } as LambdaShardOptions, io, cmd);
      if (o.generatorEndpoint !== undefined && o.generator !== "lambda") throw new UserError("--generator-endpoint applies to --shards with --generator lambda", 2);
      if (o.shards !== undefined) return measureSharded(name, { ...o, shards: o.shards, generator: o.generator ?? "local" } as ShardOptions, io, cmd);
      if (o.generator !== undefined || o.startMargin !== undefined) throw new UserError(`${o.generator !== undefined ? "--generator" : "--start-margin"} applies to --shards`, 2);
      const n = cmd.getOptionValueSource("n") === "cli" ? o.n : undefined;
      // Each repetition replays the same schedule from its start (a seeded one draws the same times).
      const scheduleFor = () => scheduleOf(o, n, o.cold);
      const first = scheduleFor();
      if (o.interleave !== undefined) {
        if (first) throw new UserError("--interleave runs the closed loop (-n/-c); it does not take --rate, --ramp, --burst or --trace", 2);
        const il = parseInterleave(o.interleave);
        if (typeof il === "string") throw new UserError(il, 2);
        return measureInterleaved(name, il, { ...o, seed: o.interleaveSeed }, io, cmd);
      }
      const run = await prepare(name, o, undefined);
      run.plan.maxInFlight = o.maxInFlight;
      run.plan.warmup = o.warmup;
      const provenance = await provenanceOf(run, o, cmd, {
        workload: first?.workload ?? closedWorkload(run.plan),
        seed: typeof first?.workload.seed === "number" ? first.workload.seed : null,
        plan: { repeat: o.repeat, warmup: warmupText(o.warmup) },
      });
      claimOut(o.out ? [o.out] : [], o.force);
      const perRepetition = first ? first.total ?? 0 : o.n;
      const total = o.repeat * (warmupCallsOf(o.warmup, first) + perRepetition);
      const planned = first && first.total === null ? null : total;
      const life = lifecycleOf(io, planned, progressOf(io, run.benchmark, total), [provenance]);
      // An open workload keeps a connection for every call in flight, up to --max-in-flight.
      const invoker = run.invoker(first ? Math.max(o.c, o.maxInFlight) : o.c);
      const all = new RunSummary();
      let result: MeasureResult | undefined;
      let out: Output | undefined;
      try {
        await life.run(async () => {
          out = o.out ? life.output(o.out, provenance) : undefined;
          const sink = out?.record ?? ((r: InvocationRecord) => life.record(r));
          let repetition = 0;
          for (; repetition < o.repeat && !life.aborted && !result?.fatal && !result?.restoreError; repetition++) {
            run.plan.schedule = repetition === 0 ? first : scheduleFor();
            result = await measure(run.client, invoker, run.target, run.plan, {
              retry: run.retry,
              signal: life.signal,
              configuration: run.configuration,
              // Every repetition folds into the one summary (each record once: it is the hot path).
              // tagged with its repetition first: the summary keeps each one's times and rates apart.
              summary: all,
              repetition,
              onRecord: sink,
            });
          }
          // A configuration left changed is the error's to say; it cuts the run short only when
          // it stopped repetitions that were still to run.
          if (result?.fatal) life.fail("error", run.describe(result.fatal.cause));
          else if (result?.restoreError && repetition < o.repeat) life.fail("error", result.restoreError.describe(run.describe));
        });
      } finally {
        invoker.close();
      }
      all.interrupted = life.aborted;
      const summary = all.toJson();
      // A run stopped before its first call has nothing to summarize: the error says it all.
      if (!(result?.fatal && summary.invocations === 0)) {
        io.out(o.json ? `${JSON.stringify({ ...summary, provenance })}\n` : `${formatSummary(summary)}\n`);
      }
      if (result?.restoreError) throw new UserError(result.restoreError.describe(run.describe));
      if (out?.sink.error) throw (out.sink as RunOut).cutShort(summary.invocations);
      if (result?.fatal) throw new UserError(`stopped after ${summary.invocations} invocations: ${run.describe(result.fatal.cause)}`);
      if (summary.interrupted) {
        throw new UserError(`interrupted: ${summary.invocations} invocations completed${o.out ? `, all in ${o.out}` : ""}`, life.exitCode ?? 130);
      }
    });
}
