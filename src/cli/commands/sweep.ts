// `lambda-bench sweep`: measure at each memory size, choose, and put the original memory back.
import * as path from "node:path";
import type { Command } from "commander";
import { LIMITS } from "../../manifest/schema";
import { sweep, type SweepResult } from "../../measure/sweep";
import { choose, formatSweep } from "../../summary/sweep-choice";
import { provenanceOf } from "../../runs/provenance";
import type { Output } from "../../measure/lifecycle";
import type { InvocationRecord } from "../../runs/record";
import { UserError } from "../errors";
import type { Io } from "../io";
import { makeOutFolder, type RunOut } from "../out-file";
import { claimOutFolder, lifecycleOf, prepare, progressOf, withRunOptions, type RunOptions } from "../run-support";

/** `--memory 128,256,...`: Lambda's sizes, in MB. */
export function memorySizes(value: string): number[] {
  const sizes = value.split(",").map((v) => v.trim());
  for (const v of sizes) {
    const n = Number(v);
    if (!/^\d+$/.test(v) || n < LIMITS.memory.min || n > LIMITS.memory.max) {
      throw new UserError(`--memory takes sizes in MB from ${LIMITS.memory.min} to ${LIMITS.memory.max}, comma-separated; got ${JSON.stringify(v)}`, 2);
    }
  }
  if (new Set(sizes).size !== sizes.length) throw new UserError(`--memory lists a size twice: ${value}`, 2);
  return sizes.map(Number);
}

export function registerSweep(program: Command, io: Io): void {
  withRunOptions(program.command("sweep"))
    .description("measure at each memory size, name the cheapest, fastest and balanced, and restore the original memory")
    .requiredOption("--memory <sizes>", "memory sizes in MB, comma-separated, e.g. 128,256,512,1024,2048", memorySizes)
    .option("--out <dir>", "write <benchmark>-<memory>mb.jsonl per size into this folder, and the provenance to meta.json")
    .option("--force", "replace this sweep's files (<benchmark>-<memory>mb.jsonl, their .meta.json and meta.json) in an --out folder that " +
      "already holds runs; other files there are kept. Without it such a folder is refused")
    .action(async (name: string, o: RunOptions & { memory: number[]; out?: string; force?: boolean }, cmd: Command) => {
      const run = await prepare(name, o, "sweep");
      const provenance = await provenanceOf(run, o, cmd, { plan: { memory: o.memory.join(",") } });
      const fileOf = (memoryMb: number) => path.join(o.out!, `${run.benchmark}-${memoryMb}mb.jsonl`);
      if (o.out) {
        claimOutFolder(o.out, o.memory.map(fileOf), o.force);
        makeOutFolder(o.out);
      }
      let out: Output | undefined;
      let failedOut: { out: RunOut; memoryMb: number } | undefined;
      let openFailed: UserError | undefined;
      let progress: ReturnType<typeof progressOf> | undefined;
      const life = lifecycleOf(io, o.n * o.memory.length, undefined, [provenance]);
      // The folder's meta.json counts every call; each size's sidecar has that size's memory and calls.
      if (o.out) life.sidecar(path.join(o.out, "meta.json"), provenance);
      const result: SweepResult = await life.run(async () => {
        const r = await sweep(run.client, run.target, o.memory, run.plan, {
          retry: run.retry,
          signal: life.signal,
          configuration: run.configuration!,
          invoker: run.invoker,
          onSize: (memoryMb) => {
            try {
              out = o.out ? life.output(fileOf(memoryMb), { ...provenance, function: { ...provenance.function, memoryMb } }, o.n) : undefined;
            } catch (err) {
              openFailed = err as UserError; // a one-line UserError naming the file; stop before this size's calls
              life.fail("write-failed", openFailed.message);
            }
            progress = progressOf(io, `${run.benchmark} ${memoryMb} MB`, o.n);
            const sink = out?.record ?? ((r: InvocationRecord) => life.record(r));
            return (r) => {
              sink(r);
              progress?.record(r);
            };
          },
          onSizeDone: (memoryMb) => {
            if (out?.sink.error) failedOut = { out: out.sink as RunOut, memoryMb };
            out?.sink.close();
            out = undefined;
            progress?.finish();
          },
        });
        if (r.failed) life.fail("error", `at ${r.failed.memoryMb} MB: ${run.describe(r.failed.error)}`);
        else if (r.fatal) life.fail("error", run.describe(r.fatal.cause));
        return r;
      });
      const choice = choose(result.steps);
      const original = run.configuration!.MemorySize;
      if (o.json) {
        io.out(`${JSON.stringify({
          benchmark: run.benchmark, function: run.target.functionName, region: run.region, architecture: run.target.architecture,
          originalMemoryMb: original ?? null, steps: result.steps.map(({ samples: _, ...step }) => step), choice, interrupted: result.interrupted,
          provenance,
        })}\n`);
      } else {
        io.out(`${run.benchmark} (${run.target.functionName}, ${run.region}, ${run.target.architecture}), memory restored to ${original} MB\n` +
          `${formatSweep(result.steps, choice)}\n`);
      }
      if (result.restoreError) throw new UserError(result.restoreError.describe(run.describe));
      if (failedOut) {
        const { out: f, memoryMb } = failedOut;
        const completed = result.steps.find((s) => s.memoryMb === memoryMb)?.summary.invocations ?? 0;
        throw new UserError(`${f.cutShort(completed, `the ${memoryMb} MB row`).message}; memory restored to ${original} MB`);
      }
      if (openFailed) throw new UserError(`${openFailed.message}; the sweep stopped there; memory restored to ${original} MB`);
      if (result.failed) {
        throw new UserError(`stopped at ${result.failed.memoryMb} MB: ${run.describe(result.failed.error)}; memory restored to ${original} MB`);
      }
      if (result.fatal) throw new UserError(`stopped: ${run.describe(result.fatal.cause)}; memory restored to ${original} MB`);
      if (result.interrupted) {
        throw new UserError(`interrupted after ${result.steps.length} of ${o.memory.length} sizes; memory restored to ${original} MB`, life.exitCode ?? 130);
      }
    });
}

