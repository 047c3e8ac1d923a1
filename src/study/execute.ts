// A study's execution (issue 29): the plan's runs in order, each repetition one run file
// (`<cell>/rep-<k>.jsonl`) with its provenance, through one run lifecycle (measure/lifecycle.ts:
// signals, parent watch, sidecars). Resume: complete runs are skipped, a cut-short run's file is
// discarded and the run made whole again, and study.json is rewritten (atomically) after each run
// that completes, so a run counts as done only once its file is closed. Memory: each benchmark's
// size is set with the update-and-wait code `sweep` uses (withTemporaryConfiguration), only when it
// changes, and every original is put back at the end, on an error and on Ctrl-C; the originals are
// kept in --out meanwhile (originals.ts) so a run killed outright is repaired by the next one.
import type { FunctionConfiguration, LambdaClient } from "@aws-sdk/client-lambda";
import type { Invoker } from "../aws/invoke-http";
import type { RetryPolicy, Target } from "../measure/invoke";
import type { RunLifecycle } from "../measure/lifecycle";
import { updateAndWait, type ConfigChange, type WaitPolicy } from "../measure/configuration";
import { RestoreError, withTemporaryConfiguration } from "../measure/restore";
import { measure, type MeasurePlan } from "../measure/run";
import type { Provenance } from "../runs/provenance";
import type { Workload } from "../runs/record";
import type { SummaryJson } from "../summary/summary";
import { closedWorkload } from "../workload/closed";
import { scheduleOfSpec } from "../workload/spec";
import * as path from "node:path";
import type { Step } from "./plan";
import { readOriginals, removeOriginals, writeOriginals, type Originals } from "./originals";
import { discardPartial, markDone, writeState, type Resume, type StudyState } from "./state";

/** What the CLI resolved for one benchmark of the study, before anything is changed. */
export interface StudyBenchmark {
  client: LambdaClient;
  target: Target;
  configuration?: FunctionConfiguration;
  invoker(maxSockets: number): Invoker;
  /** The provenance of one repetition, collected before its first call. */
  provenance(step: Step, workload: Workload, plan: MeasurePlan): Promise<Provenance>;
}

export interface ExecuteOptions {
  outDir: string;
  resume: Resume;
  /** The state to start from (stateOf(study, plan, prev)); updated after each completed run. */
  state: StudyState;
  /** Cells of study.json this run leaves alone (other experiments than --only's), written back with it. */
  otherCells?: StudyState["cells"];
  /** By the benchmark's manifest name. */
  benchmarks: ReadonlyMap<string, StudyBenchmark>;
  life: RunLifecycle;
  retry: RetryPolicy;
  wait?: WaitPolicy;
  /** Calls planned for a step (warm-up included), for its sidecar. */
  plannedCalls(step: Step): number | null;
  /** A line for the user: progress, memory put back. */
  say(line: string): void;
}

export interface StepDone { step: Step; summary: SummaryJson }

export interface ExecuteResult {
  ran: StepDone[];
  skipped: number;
  /** Runs that did not complete (cut short, or never started after a stop). */
  left: number;
  /** The step whose memory change or run failed, and why; the study stopped there. */
  failed?: { step: Step; error: unknown };
  restoreErrors: RestoreError[];
  state: StudyState;
}

/** The measure plan of a step: the cell's workload spec, its warm-up and cap, the payload. */
export function measurePlanOf(step: Step): MeasurePlan {
  const { spec, warmup, maxInFlight } = step.cell.workload;
  const closed = spec.shape === "closed" ? spec : undefined;
  return {
    invocations: closed?.n ?? 0, concurrency: closed?.c ?? 1, cold: closed?.cold ?? 0, payload: step.cell.experiment.payload.bytes,
    schedule: scheduleOfSpec(spec), maxInFlight, warmup: warmup > 0 ? { calls: warmup } : undefined,
  };
}

export async function executeStudy(o: ExecuteOptions): Promise<ExecuteResult> {
  const result: ExecuteResult = { ran: [], skipped: 0, left: 0, restoreErrors: [], state: o.state };
  const todo = o.resume.steps.filter((s) => s.action !== "skip");
  result.skipped = o.resume.steps.length - todo.length;
  // The benchmarks whose memory the remaining runs set, and what each is to be put back to.
  const sized = [...new Set(todo.filter((s) => s.step.cell.memory !== undefined).map((s) => s.step.cell.benchmark.function))];
  const left = readOriginals(o.outDir) ?? {};
  const originals: Originals = {};
  for (const name of sized) {
    const b = o.benchmarks.get(name)!;
    const fn = b.target.functionName;
    const found = b.configuration?.MemorySize;
    if (found === undefined) throw new Error(`${fn}'s memory size is not known: GetFunctionConfiguration is needed to change it`);
    originals[fn] = left[fn] ?? found;
  }
  // Sizes a killed run left changed go back first, before anything else is measured or recorded.
  // One of a benchmark this run does not reach (--only another experiment) stays recorded.
  const unreached: Originals = {};
  for (const [fn, mb] of Object.entries(left)) {
    const b = [...o.benchmarks.values()].find((x) => x.target.functionName === fn);
    if (!b) {
      unreached[fn] = mb;
      o.say(`${fn}'s memory may still be as a killed run of this study left it (not ${mb} MB): this run does not reach it; ` +
        "run the whole study to put it back");
      continue;
    }
    if (b.configuration?.MemorySize === mb) continue;
    o.say(`${fn}'s memory is ${b.configuration?.MemorySize} MB, left so by a run of this study that was killed before it could put it back: putting it back to ${mb} MB first`);
    await updateAndWait(b.client, fn, { MemorySize: mb }, o.wait);
    if (b.configuration) b.configuration.MemorySize = mb;
    b.target.memoryMb = mb;
  }
  const settle = () => (Object.keys(unreached).length > 0 ? writeOriginals(o.outDir, unreached) : removeOriginals(o.outDir));
  if (Object.keys(left).length > 0 && sized.length === 0) settle();
  if (sized.length > 0) writeOriginals(o.outDir, { ...unreached, ...originals });

  const setters = new Map<string, (c: ConfigChange) => Promise<void>>();
  const current = new Map<string, number>(Object.entries(originals));
  const total = o.resume.steps.length;
  const index = new Map(o.resume.steps.map((s, i) => [s.step, i + 1]));
  const runAll = async () => {
    for (const { step, action } of todo) {
      if (o.life.aborted) break;
      const b = o.benchmarks.get(step.cell.benchmark.function)!;
      const fn = b.target.functionName;
      const memory = step.cell.memory;
      try {
        if (memory !== undefined && current.get(fn) !== memory) {
          await setters.get(fn)!({ MemorySize: memory });
          current.set(fn, memory);
        }
      } catch (error) {
        result.failed = { step, error };
        break;
      }
      if (o.life.aborted) break;
      if (action === "rerun") discardPartial(o.outDir, step);
      const plan = measurePlanOf(step);
      const workload = plan.schedule?.workload ?? closedWorkload(plan);
      const provenance = await b.provenance(step, workload, plan);
      if (provenance.function && memory !== undefined) provenance.function.memoryMb = memory;
      const out = o.life.output(path.join(o.outDir, step.file), provenance, o.plannedCalls(step));
      const invoker = b.invoker(plan.schedule ? plan.maxInFlight! : plan.concurrency);
      try {
        const r = await measure(b.client, invoker, { ...b.target, memoryMb: memory ?? b.target.memoryMb }, plan, {
          retry: o.retry, wait: o.wait, signal: o.life.signal, configuration: b.configuration, onRecord: out.record,
        });
        if (r.restoreError) result.restoreErrors.push(r.restoreError);
        if (r.fatal) {
          result.failed = { step, error: r.fatal.cause };
          break;
        }
        // A run stopped part way stays the lifecycle's: its sidecar says how, and a resume redoes it.
        if (o.life.aborted || r.restoreError || !o.life.complete(out)) break;
        result.state = markDone(result.state, step.cell.id, step.rep);
        writeState(o.outDir, { ...result.state, cells: [...result.state.cells, ...(o.otherCells ?? [])] });
        const summary = r.summary.toJson();
        result.ran.push({ step, summary });
        o.say(`[${index.get(step)}/${total}] ${step.file}: ${summary.invocations} calls${summary.warmup ? ` (+${summary.warmup} warm-up)` : ""}, ${summary.errors} errors` +
          `${action === "rerun" ? " (cut short before: discarded and run again)" : ""}`);
      } catch (error) {
        result.failed = { step, error };
        break;
      } finally {
        invoker.close();
      }
    }
  };
  // One withTemporaryConfiguration per benchmark whose memory changes, nested: each puts its original back.
  const nest = async (i: number): Promise<void> => {
    if (i === sized.length) return runAll();
    const b = o.benchmarks.get(sized[i])!;
    const fn = b.target.functionName;
    const original = originals[fn];
    try {
      const r = await withTemporaryConfiguration(b.client, fn, { what: "memory", restore: { MemorySize: original }, original: `${original} MB` },
        (set) => {
          setters.set(fn, set);
          return nest(i + 1);
        }, o.wait);
      if (r.restoreError) result.restoreErrors.push(r.restoreError);
    } catch (err) {
      if (!(err instanceof RestoreError)) throw err;
      result.restoreErrors.push(err);
      if (err.during !== undefined && !(err.during instanceof RestoreError)) throw err.during;
    }
  };
  try {
    await nest(0);
  } finally {
    if (sized.length > 0 && result.restoreErrors.length === 0) settle();
    result.left = todo.length - result.ran.length;
  }
  return result;
}
