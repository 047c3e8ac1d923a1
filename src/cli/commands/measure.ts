// `lambda-bench measure`: a workload against one benchmark, summarized, each record to --out and
// the run's provenance to <out>.meta.json. The closed loop (-n/-c) by default; --rate, --ramp,
// --burst or --trace for an open workload; --repeat R runs it R times, --interleave alternates two
// functions or memory sizes.
import type { Command } from "commander";
import { measure, type MeasureResult } from "../../measure/run";
import { provenanceOf } from "../../runs/provenance";
import { RunSummary, formatSummary } from "../../summary/summary";
import { closedWorkload } from "../../workload/closed";
import { UserError } from "../errors";
import type { Io } from "../io";
import { positiveInt } from "../options";
import { parseInterleave } from "../../measure/interleave";
import { measureInterleaved } from "./measure-interleave";
import { anySignal } from "../out-file";
import { finishRun, interruptible, nonceNotRemoved, openOut, prepare, progressOf, withRunOptions, type RunOptions } from "../run-support";
import { scheduleOf, withWorkloadOptions, type WorkloadOptions } from "../workload-options";
import { warmupCallsOf, warmupText } from "../../workload/warmup";

type MeasureOptions = RunOptions & WorkloadOptions & { out?: string; repeat: number; interleave?: string; interleaveSeed?: number };

export function registerMeasure(program: Command, io: Io): void {
  withWorkloadOptions(withRunOptions(program.command("measure")))
    .description("invoke a benchmark under a workload (N calls with at most C in flight, or --rate, --ramp, --burst, --trace) " +
      "and summarize latency, cold starts, billed duration, memory and cost")
    .option("--out <file.jsonl>", "write one JSON line per invocation as it completes (and its provenance to <file.jsonl>.meta.json)")
    .option("--repeat <R>", "run the whole workload R times, each record tagged with its repetition", positiveInt("--repeat"), 1)
    .option("--interleave <A,B>", "alternate each repetition between two memory sizes or two functions, in a seeded random order; records to <out>-A.jsonl and <out>-B.jsonl")
    .option("--interleave-seed <S>", "the seed of --interleave's order (default 14)", positiveInt("--interleave-seed", 0))
    .action(async (name: string, o: MeasureOptions, cmd: Command) => {
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
      const out = o.out ? openOut(o.out, io) : undefined;
      const stop = interruptible(() => out?.close());
      const perRepetition = first ? first.total ?? 0 : o.n;
      const progress = progressOf(io, run.benchmark, o.repeat * (warmupCallsOf(o.warmup, first) + perRepetition));
      // An open workload keeps a connection for every call in flight, up to --max-in-flight.
      const invoker = run.invoker(first ? Math.max(o.c, o.maxInFlight) : o.c);
      const all = new RunSummary();
      let result: MeasureResult | undefined;
      try {
        for (let repetition = 0; repetition < o.repeat && !stop.signal.aborted && !out?.error && !result?.fatal && !result?.restoreError; repetition++) {
          run.plan.schedule = repetition === 0 ? first : scheduleFor();
          result = await measure(run.client, invoker, run.target, run.plan, {
            retry: run.retry,
            signal: anySignal(stop.signal, out?.signal),
            configuration: run.configuration,
            // Every repetition folds into the one summary (each record once: it is the hot path),
            // tagged with its repetition first: the summary keeps each one's times and rates apart.
            summary: all,
            repetition,
            onRecord: (r) => {
              out?.write(r);
              progress.record(r);
            },
          });
        }
      } finally {
        finishRun({ invoker, out, progress, stop, provenance, outFile: o.out });
      }
      all.interrupted = stop.signal.aborted || out?.error !== undefined;
      const summary = all.toJson();
      // A run stopped before its first call has nothing to summarize: the error says it all.
      if (!(result?.fatal && summary.invocations === 0)) {
        io.out(o.json ? `${JSON.stringify({ ...summary, provenance })}\n` : `${formatSummary(summary)}\n`);
      }
      if (result?.restoreError) throw new UserError(nonceNotRemoved(run.target.functionName, run.describe(result.restoreError)));
      if (out?.error) throw out.cutShort(summary.invocations);
      if (result?.fatal) throw new UserError(`stopped after ${summary.invocations} invocations: ${run.describe(result.fatal.cause)}`);
      if (summary.interrupted) {
        throw new UserError(`interrupted: ${summary.invocations} invocations completed${o.out ? `, all in ${o.out}` : ""}`, 130);
      }
    });
}
