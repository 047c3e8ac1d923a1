// `measure --repeat R --interleave A,B`: R repetitions of the workload on each of two sides (two
// memory sizes of one function, or two functions), in a seeded random order per repetition. Each
// side's records go to their own file (`<out>-<side>.jsonl`, with its `.meta.json`), tagged with
// their repetition, ready for `compare`, which resamples whole repetitions.
import { randomUUID } from "node:crypto";
import type { Command } from "commander";
import { updateAndWait } from "../../measure/configuration";
import { interleaveOrder, sideFile, type Interleave } from "../../measure/interleave";
import { anySignal, type RunOut } from "../out-file";
import { metaPathFor, provenanceOf, writeProvenance, type Provenance } from "../../runs/provenance";
import { measure, type MeasureResult } from "../../measure/run";
import { formatSummary, RunSummary } from "../../summary/summary";
import { DEFAULT_SEED } from "../../rng";
import { UserError } from "../errors";
import type { Io } from "../io";
import { interruptible, nonceNotRemoved, openOut, prepare, progressOf, type RunOptions } from "../run-support";

export interface InterleaveOptions extends RunOptions {
  out?: string;
  repeat: number;
  seed?: number;
}

export async function measureInterleaved(name: string, il: Interleave, o: InterleaveOptions, io: Io, cmd: Command): Promise<void> {
  const seed = o.seed ?? DEFAULT_SEED;
  const memory = il.kind === "memory";
  const base = memory ? await prepare(name, o, "--interleave of memory sizes") : undefined;
  const runs = memory ? [base!, base!] : [await prepare(il.sides[0], o, undefined), await prepare(il.sides[1], o, undefined)];
  const labels = il.sides.map(String);
  // One id on both sides' provenance: `compare` then pairs their repetitions.
  const plan = { repeat: o.repeat, interleave: labels.join(","), seed, interleaveId: randomUUID() };
  const provenance: Provenance[] = [];
  for (const [i, run] of runs.entries()) {
    const p = await provenanceOf(run, o, cmd, { seed, plan: { ...plan, side: labels[i] } });
    if (memory) p.function.memoryMb = il.sides[i] as number;
    provenance.push(p);
  }
  const files = o.out ? il.sides.map((s) => sideFile(o.out!, s)) : [];
  const outs: (RunOut | undefined)[] = files.map((f) => openOut(f, io));
  const stop = interruptible(() => outs.forEach((w) => w?.close()));
  const progress = progressOf(io, `${labels.join(" / ")}`, o.n * o.repeat * 2);
  const summaries = [new RunSummary(), new RunSummary()];
  const order = interleaveOrder(o.repeat, seed);
  const original = base?.configuration?.MemorySize;
  let result: MeasureResult | undefined;
  let restoreError: unknown;
  const failed = () => outs.find((w) => w?.error);
  try {
    for (let repetition = 0; repetition < o.repeat; repetition++) {
      for (const side of order[repetition]) {
        if (stop.signal.aborted || failed() || result?.fatal || result?.restoreError) break;
        const run = runs[side];
        let target = run.target;
        if (memory) {
          const memoryMb = il.sides[side] as number;
          await updateAndWait(run.client, run.target.functionName, { MemorySize: memoryMb });
          target = { ...target, memoryMb };
        }
        const invoker = run.invoker();
        try {
          result = await measure(run.client, invoker, target, run.plan, {
            retry: run.retry, signal: anySignal(stop.signal, ...outs.map((w) => w?.signal)), configuration: run.configuration,
            onRecord: (r) => {
              r.repetition = repetition;
              summaries[side].add(r);
              outs[side]?.write(r);
              progress.record(r);
            },
          });
        } finally {
          invoker.close();
        }
      }
    }
  } finally {
    if (memory && original !== undefined) {
      await updateAndWait(base!.client, base!.target.functionName, { MemorySize: original }).catch((err) => { restoreError = err; });
    }
    outs.forEach((w) => w?.close());
    progress.finish();
    stop.dispose();
    for (const [i, p] of provenance.entries()) {
      p.endedAt = new Date().toISOString();
      if (files[i]) writeProvenance(metaPathFor(files[i]), p);
    }
  }
  for (const s of summaries) s.interrupted = stop.signal.aborted || failed() !== undefined;
  const json = summaries.map((s, i) => ({ side: labels[i], file: files[i] ?? null, summary: s.toJson(), provenance: provenance[i] }));
  io.out(o.json
    ? `${JSON.stringify({ interleave: { kind: il.kind, sides: il.sides, seed, order }, sides: json })}\n`
    : `${json.map((j) => `== ${j.side}${j.file ? `  (${j.file})` : ""}\n${formatSummary(j.summary)}`).join("\n\n")}\n` +
      `order (seed ${seed}): ${order.map((pair) => pair.map((i) => labels[i]).join(" ")).join(" | ")}\n`);
  const describe = runs[0].describe;
  if (restoreError) throw new UserError(`could not put ${base!.target.functionName}'s memory back to ${original} MB: ${describe(restoreError)}`);
  if (result?.restoreError) throw new UserError(nonceNotRemoved(runs[0].target.functionName, describe(result.restoreError)));
  const cut = failed();
  if (cut) throw cut.cutShort(summaries.reduce((n, x) => n + x.count, 0), "the summaries above");
  if (result?.fatal) throw new UserError(`stopped: ${describe(result.fatal.cause)}`);
  if (stop.signal.aborted) throw new UserError("interrupted", 130);
}
