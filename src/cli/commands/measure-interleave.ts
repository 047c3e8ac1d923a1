// `measure --repeat R --interleave A,B`: R repetitions of the workload on each of two sides (two
// memory sizes of one function, or two functions), in a seeded random order per repetition. Each
// side's records go to their own file (`<out>-<side>.jsonl`, with its `.meta.json`), tagged with
// their repetition, ready for `compare`, which resamples whole repetitions.
import { randomUUID } from "node:crypto";
import type { Command } from "commander";
import { updateAndWait, type ConfigChange } from "../../measure/configuration";
import { RestoreError, withTemporaryConfiguration } from "../../measure/restore";
import type { Output } from "../../measure/lifecycle";
import { claimFiles } from "../../runs/claim";
import type { InvocationRecord } from "../../runs/record";
import { interleaveOrder, sideFile, type Interleave } from "../../measure/interleave";
import type { RunOut } from "../out-file";
import { provenanceOf, type Provenance } from "../../runs/provenance";
import { measure, type MeasureResult } from "../../measure/run";
import { formatSummary, RunSummary } from "../../summary/summary";
import { DEFAULT_SEED } from "../../rng";
import { UserError } from "../errors";
import type { Io } from "../io";
import { claimOut, lifecycleOf, prepare, progressOf, type RunOptions } from "../run-support";

export interface InterleaveOptions extends RunOptions {
  out?: string;
  force?: boolean;
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
  claimSides(o.out, il, o.force);
  const summaries = [new RunSummary(), new RunSummary()];
  const order = interleaveOrder(o.repeat, seed);
  const original = base?.configuration?.MemorySize;
  const life = lifecycleOf(io, o.n * o.repeat * 2, progressOf(io, `${labels.join(" / ")}`, o.n * o.repeat * 2), provenance);
  let result: MeasureResult | undefined;
  let restoreError: RestoreError | undefined;
  const outs: (Output | undefined)[] = [];
  const describe = runs[0].describe;
  const sides = async (set?: (c: ConfigChange) => Promise<void>) => {
    for (const [i, f] of files.entries()) outs[i] = life.output(f, provenance[i], o.n * o.repeat);
    for (let repetition = 0; repetition < o.repeat; repetition++) {
      for (const side of order[repetition]) {
        if (life.aborted || result?.fatal || result?.restoreError) break;
        const run = runs[side];
        let target = run.target;
        if (set) {
          const memoryMb = il.sides[side] as number;
          await set({ MemorySize: memoryMb });
          target = { ...target, memoryMb };
        }
        const sink = outs[side]?.record ?? ((r: InvocationRecord) => life.record(r));
        const invoker = run.invoker();
        try {
          result = await measure(run.client, invoker, target, run.plan, {
            retry: run.retry, signal: life.signal, configuration: run.configuration,
            onRecord: (r) => {
              r.repetition = repetition;
              summaries[side].add(r);
              sink(r);
            },
          });
        } finally {
          invoker.close();
        }
      }
    }
  };
  await life.run(async () => {
    try {
      if (memory && original !== undefined) {
        restoreError = (await withTemporaryConfiguration(base!.client, base!.target.functionName,
          { what: "memory", restore: { MemorySize: original }, original: `${original} MB` }, sides)).restoreError;
      } else {
        await sides(memory ? (c) => updateAndWait(base!.client, base!.target.functionName, c) : undefined);
      }
    } catch (err) {
      if (!(err instanceof RestoreError)) throw err;
      restoreError = err;
    }
    if (result?.fatal) life.fail("error", describe(result.fatal.cause));
    else if (result?.restoreError && summaries.reduce((n, x) => n + x.count, 0) < 2 * o.n * o.repeat) {
      life.fail("error", result.restoreError.describe(describe)); // a --cold nonce left: the sides stopped there
    }
  });
  for (const s of summaries) s.interrupted = life.aborted;
  const json = summaries.map((s, i) => ({ side: labels[i], file: files[i] ?? null, summary: s.toJson(), provenance: provenance[i] }));
  io.out(o.json
    ? `${JSON.stringify({ interleave: { kind: il.kind, sides: il.sides, seed, order }, sides: json })}\n`
    : `${json.map((j) => `== ${j.side}${j.file ? `  (${j.file})` : ""}\n${formatSummary(j.summary)}`).join("\n\n")}\n` +
      `order (seed ${seed}): ${order.map((pair) => pair.map((i) => labels[i]).join(" ")).join(" | ")}\n`);
  if (restoreError) throw new UserError(restoreError.describe(describe));
  if (result?.restoreError) throw new UserError(result.restoreError.describe(describe));
  const cut = outs.find((w) => w?.sink.error)?.sink as RunOut | undefined;
  if (cut) throw cut.cutShort(summaries.reduce((n, x) => n + x.count, 0), "the summaries above");
  if (result?.fatal) throw new UserError(`stopped: ${describe(result.fatal.cause)}`);
  if (life.aborted) throw new UserError("interrupted", life.exitCode ?? 130);
}

/** Both sides' files free (or --force); the suggestion is a free --out for both. */
function claimSides(out: string | undefined, il: Interleave, force: boolean | undefined): void {
  if (!out) return;
  try {
    claimOut(il.sides.map((s) => sideFile(out, s)), force);
  } catch (err) {
    const stem = out.replace(/\.jsonl$/, "");
    let i = 2;
    while (claimFiles(il.sides.map((s) => sideFile(`${stem}-${i}.jsonl`, s)), false)) i++;
    throw new UserError(`${(err as Error).message.replace(/, or write to .*$/, "")}, or pass --out ${stem}-${i}.jsonl`);
  }
}
