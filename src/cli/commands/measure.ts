// `lambda-bench measure`: a workload against one benchmark, summarized, each record to --out.
import type { Command } from "commander";
import { measure, type MeasureResult } from "../../measure/run";
import { metaPathFor, provenanceOf, writeProvenance } from "../../measure/provenance";
import { RunSummary, formatSummary } from "../../measure/summary";
import { UserError } from "../errors";
import type { Io } from "../io";
import { positiveInt } from "../options";
import { parseInterleave } from "../../measure/interleave";
import { measureInterleaved } from "./measure-interleave";
import { interruptible, nonceNotRemoved, openOut, prepare, progressOf, withRunOptions, type RunOptions } from "../run-support";

export function registerMeasure(program: Command, io: Io): void {
  withRunOptions(program.command("measure"))
    .description("invoke a benchmark N times with at most C in flight and summarize latency, cold starts, billed duration, memory and cost")
    .option("--out <file.jsonl>", "write one JSON line per invocation as it completes (and its provenance to <file.jsonl>.meta.json)")
    .option("--repeat <R>", "run the whole workload R times, each record tagged with its repetition", positiveInt("--repeat"), 1)
    .option("--interleave <A,B>", "alternate each repetition between two memory sizes or two functions, in a seeded random order; records to <out>-A.jsonl and <out>-B.jsonl")
    .option("--interleave-seed <S>", "the seed of --interleave's order (default 14)", positiveInt("--interleave-seed", 0))
    .action(async (name: string, o: RunOptions & { out?: string; repeat: number; interleave?: string; interleaveSeed?: number }, cmd: Command) => {
      if (o.interleave !== undefined) {
        const il = parseInterleave(o.interleave);
        if (typeof il === "string") throw new UserError(il, 2);
        return measureInterleaved(name, il, { ...o, seed: o.interleaveSeed }, io, cmd);
      }
      const run = await prepare(name, o, undefined);
      const provenance = await provenanceOf(run, o, cmd, { plan: { repeat: o.repeat } });
      const out = o.out ? openOut(o.out) : undefined;
      const stop = interruptible(() => out?.close());
      const progress = progressOf(io, run.benchmark, o.n * o.repeat);
      const invoker = run.invoker();
      const all = new RunSummary();
      let result!: MeasureResult;
      try {
        for (let repetition = 0; repetition < o.repeat && !stop.signal.aborted && !result?.fatal && !result?.restoreError; repetition++) {
          result = await measure(run.client, invoker, run.target, run.plan, {
            retry: run.retry,
            signal: stop.signal,
            configuration: run.configuration,
            onRecord: (r) => {
              r.repetition = repetition;
              all.add(r);
              out?.write(r);
              progress.record(r);
            },
          });
        }
      } finally {
        invoker.close();
        out?.close();
        progress.finish();
        stop.dispose();
        provenance.endedAt = new Date().toISOString();
        if (o.out) writeProvenance(metaPathFor(o.out), provenance);
      }
      all.interrupted = stop.signal.aborted;
      const summary = all.toJson();
      io.out(o.json ? `${JSON.stringify({ ...summary, provenance })}\n` : `${formatSummary(summary)}\n`);
      if (result.restoreError) throw new UserError(nonceNotRemoved(run.target.functionName, run.describe(result.restoreError)));
      if (result.fatal) throw new UserError(`stopped after ${summary.invocations} invocations: ${run.describe(result.fatal.cause)}`);
      if (summary.interrupted) {
        throw new UserError(`interrupted: ${summary.invocations} invocations completed${o.out ? `, all in ${o.out}` : ""}`, 130);
      }
    });
}
