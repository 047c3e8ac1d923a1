// `lambda-bench measure`: a workload against one benchmark, summarized, each record to --out.
// The closed loop (-n/-c) by default; --rate, --ramp, --burst or --trace for an open workload.
import type { Command } from "commander";
import { measure, type MeasureResult } from "../../measure/run";
import { formatSummary } from "../../measure/summary";
import { UserError } from "../errors";
import type { Io } from "../io";
import { interruptible, nonceNotRemoved, openOut, prepare, progressOf, withRunOptions, type RunOptions } from "../run-support";
import { scheduleOf, withWorkloadOptions, type WorkloadOptions } from "../workload-options";

export function registerMeasure(program: Command, io: Io): void {
  withWorkloadOptions(withRunOptions(program.command("measure")))
    .description("invoke a benchmark under a workload (N calls with at most C in flight, or --rate, --ramp, --burst, --trace) " +
      "and summarize latency, cold starts, billed duration, memory and cost")
    .option("--out <file.jsonl>", "write one JSON line per invocation as it completes")
    .action(async (name: string, o: RunOptions & WorkloadOptions & { out?: string }, cmd: Command) => {
      const schedule = scheduleOf(o, cmd.getOptionValueSource("n") === "cli" ? o.n : undefined, o.cold);
      const run = await prepare(name, o, undefined);
      run.plan.schedule = schedule;
      run.plan.maxInFlight = o.maxInFlight;
      run.plan.warmup = o.warmup;
      const out = o.out ? openOut(o.out) : undefined;
      const stop = interruptible(() => out?.close());
      const progress = progressOf(io, run.benchmark, o.warmup + (schedule ? schedule.total ?? 0 : o.n));
      // An open workload keeps a connection for every call in flight, up to --max-in-flight.
      const invoker = run.invoker(schedule ? Math.max(o.c, o.maxInFlight) : o.c);
      let result: MeasureResult;
      try {
        result = await measure(run.client, invoker, run.target, run.plan, {
          retry: run.retry,
          signal: stop.signal,
          configuration: run.configuration,
          onRecord: (r) => {
            out?.write(r);
            progress.record(r);
          },
        });
      } finally {
        invoker.close();
        out?.close();
        progress.finish();
        stop.dispose();
      }
      const summary = result.summary.toJson();
      // A run stopped before its first call has nothing to summarize: the error says it all.
      if (!(result.fatal && summary.invocations === 0)) io.out(o.json ? `${JSON.stringify(summary)}\n` : `${formatSummary(summary)}\n`);
      if (result.restoreError) throw new UserError(nonceNotRemoved(run.target.functionName, run.describe(result.restoreError)));
      if (result.fatal) throw new UserError(`stopped after ${summary.invocations} invocations: ${run.describe(result.fatal.cause)}`);
      if (summary.interrupted) {
        throw new UserError(`interrupted: ${summary.invocations} invocations completed${o.out ? `, all in ${o.out}` : ""}`, 130);
      }
    });
}
