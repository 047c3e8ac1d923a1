// `lambda-bench run` without --plan: the study's benchmarks resolved (target, configuration) before
// anything is changed, one run lifecycle around the whole study, execution (study/execute.ts),
// then the study's report and one error line for whatever cut it short.
import type { Command } from "commander";
import { clientRegion, describeAwsError, lambdaClient } from "../aws/lambda";
import { HttpInvoker } from "../aws/invoke-http";
import { callTimeoutMs, DEFAULT_RETRY } from "../measure/invoke";
import { collectProvenance, commandLine } from "../runs/provenance";
import { DEFAULT_SEED } from "../rng";
import { runFigures, type Estimate } from "../study/estimate";
import { executeStudy, type StudyBenchmark } from "../study/execute";
import type { Study } from "../study/load";
import type { Plan } from "../study/plan";
import { stateOf, type Resume, type StudyState } from "../study/state";
import { UserError } from "./errors";
import type { Io } from "./io";
import type { CommonOptions } from "./options";
import { lifecycleOf } from "./run-support";
import { resolveTarget } from "./target";

export interface StudyRunOptions extends CommonOptions { out: string }

export interface StudyRunResult { ran: number; skipped: number }

/**
 * Runs the study. `prev` is study.json's cells of the experiments run (none: a fresh start);
 * `others` its other experiments' cells (--only), written back unchanged with each update.
 */
export async function runStudy(study: Study, plan: Plan, resume: Resume, prev: StudyState | undefined, others: StudyState["cells"],
  est: Estimate, o: StudyRunOptions, io: Io, cmd: Command): Promise<StudyRunResult> {
  const todo = resume.steps.filter((s) => s.action !== "skip");
  const client = lambdaClient(o);
  const region = await clientRegion(client).catch((err) => { throw new UserError(describeAwsError(err, o)); });
  const benchmarks = new Map<string, StudyBenchmark>();
  // Every benchmark of the plan, even with nothing left to run: a killed run may have left its memory changed.
  for (const b of new Set(plan.cells.map((c) => c.benchmark))) {
    if (benchmarks.has(b.function)) continue;
    const named = { benchmark: b.function, functionName: b.deployedName, entry: b };
    const { target, configuration } = await resolveTarget(client, named, region, o);
    const needs = todo.some((s) => s.step.cell.benchmark.function === b.function && s.step.cell.memory !== undefined) ? "memory sizes"
      : todo.some((s) => s.step.cell.benchmark.function === b.function && s.step.cell.workload.spec.shape === "closed" && s.step.cell.workload.spec.cold > 0)
        ? "cold starts" : undefined;
    if (needs && !configuration) {
      throw new UserError(`the study's ${needs} for ${b.function} need GetFunctionConfiguration and UpdateFunctionConfiguration, which ${o.endpoint} does not serve`, 2);
    }
    const timeoutMs = callTimeoutMs(target.timeoutMs);
    benchmarks.set(b.function, {
      client, target, configuration,
      invoker: (maxSockets) => new HttpInvoker(client, target.functionName, { maxSockets, timeoutMs }),
      provenance: (step, workload, p) => collectProvenance({
        lambda: client, endpoint: o.endpoint, region, benchmark: b.function, functionName: target.functionName, configuration,
        payload: p.payload, workload, seed: typeof workload.seed === "number" ? workload.seed : DEFAULT_SEED,
        plan: { invocations: p.invocations, concurrency: p.concurrency, cold: p.cold, study: step.cell.id, repetition: step.rep, warmup: step.cell.workload.warmup },
        command: commandLine(cmd), startedAt: new Date(),
      }),
    });
  }
  const calls = new Map(plan.cells.map((c) => [c, runFigures(c, est.prices.prices, est.assumptions).calls]));
  const planned = todo.reduce((n, s) => n + calls.get(s.step.cell)!, 0);
  const life = lifecycleOf(io, planned, undefined, []);
  const describe = (err: unknown) => describeAwsError(err, { region, endpoint: o.endpoint });
  const r = await life.run(() => executeStudy({
    outDir: o.out, resume, state: stateOf(study, plan, prev), otherCells: others, benchmarks, life, retry: DEFAULT_RETRY,
    plannedCalls: (step) => calls.get(step.cell)!, say: (line) => io.out(`${line}\n`),
  }).catch((err) => {
    if (err instanceof UserError) throw err;
    throw new UserError(`the study stopped: ${describe(err)}`);
  }));
  const restored = r.restoreErrors.length === 0 ? "" : `; ${r.restoreErrors.map((e) => e.describe(describe)).join("; ")}`;
  if (r.failed) {
    throw new UserError(`the study stopped at ${r.failed.step.file}: ${describe(r.failed.error)}; ${r.ran.length} runs done, ${r.left} left: ` +
      `run the same command again to resume${restored}`);
  }
  if (restored) throw new UserError(restored.slice(2));
  if (life.aborted) {
    const memory = todo.some((s) => s.step.cell.memory !== undefined) ? "memory put back; " : "";
    throw new UserError(`interrupted: ${r.ran.length} runs done, ${r.left} left (a run cut short is discarded and run again on resume); ` +
      `${memory}run the same command again to resume`, life.exitCode ?? 130);
  }
  return { ran: r.ran.length, skipped: r.skipped };
}
