// `lambda-bench measure`: a workload against one benchmark, summarized, each record to --out.
import type { Command } from "commander";
import { measure, type MeasureResult } from "../../measure/run";
import { formatSummary } from "../../measure/summary";
import { UserError } from "../errors";
import type { Io } from "../io";
import { anySignal } from "../out-file";
import { interruptible, nonceNotRemoved, openOut, prepare, progressOf, withRunOptions, type RunOptions } from "../run-support";

export function registerMeasure(program: Command, io: Io): void {
  withRunOptions(program.command("measure"))
    .description("invoke a benchmark N times with at most C in flight and summarize latency, cold starts, billed duration, memory and cost")
    .option("--out <file.jsonl>", "write one JSON line per invocation as it completes")
    .action(async (name: string, o: RunOptions & { out?: string }) => {
      const run = await prepare(name, o, undefined);
      const out = o.out ? openOut(o.out, io) : undefined;
      const stop = interruptible(() => out?.close());
      const progress = progressOf(io, run.benchmark, o.n);
      const invoker = run.invoker();
      let result: MeasureResult;
      try {
        result = await measure(run.client, invoker, run.target, run.plan, {
          retry: run.retry,
          signal: anySignal(stop.signal, out?.signal),
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
      io.out(o.json ? `${JSON.stringify(summary)}\n` : `${formatSummary(summary)}\n`);
      if (result.restoreError) throw new UserError(nonceNotRemoved(run.target.functionName, run.describe(result.restoreError)));
      if (out?.error) throw out.cutShort(summary.invocations);
      if (result.fatal) throw new UserError(`stopped after ${summary.invocations} invocations: ${run.describe(result.fatal.cause)}`);
      if (summary.interrupted) {
        throw new UserError(`interrupted: ${summary.invocations} invocations completed${o.out ? `, all in ${o.out}` : ""}`, 130);
      }
    });
}

