// Saved runs folded: each run file read (src/runs/read.ts) into the same summaries `measure` prints,
// so a report of a million invocations stays small; runs of one function at several memory sizes
// in one folder form a sweep. `report` and `compare` both read runs through it.
import * as path from "node:path";
import type { InvocationRecord } from "../runs/record";
import { readProvenance, type Provenance } from "../runs/provenance";
import { readRunFile, runFiles } from "../runs/read";
import { groupBy } from "../group-by";
import { RunSummary } from "./summary";
import { choose, StepSampler, type StepSamples, type SweepChoice, type SweepStep } from "./sweep-choice";
import { IdleSummary } from "./idle-summary";

export interface Run {
  file: string;
  /** How the run is named: benchmark and memory, with its file's name where two runs share that. */
  label: string;
  /** Benchmark and memory alone, as `compare` names a run it reads by itself. */
  name: string;
  benchmark: string;
  function: string;
  memoryMb: number | null;
  summary: RunSummary;
  /** The idle experiment's probes (`lambda-bench idle`); empty for other runs. */
  idle: IdleSummary;
  /** The run's `<file>.meta.json`, when it was written (null for older runs). */
  provenance: Provenance | null;
}

export interface Sweep {
  benchmark: string;
  function: string;
  /** The folder the sweep's files are in. */
  folder: string;
  steps: (SweepStep & { run: Run })[];
  choice: SweepChoice | null;
  /** Its provenance's run id, named when one folder holds two sweeps of the function (else null). */
  runId: string | null;
}

export interface LoadOptions {
  /** Each record of the run, as read (compare collects its samples here). */
  onRecord?: (r: InvocationRecord) => void;
  /** A warning for the user (a cut last line), one line. */
  warn?: (message: string) => void;
  /** Sweep steps get warm duration and cost samples, so the sweep's choice has intervals. */
  sweepSamples?: boolean;
}

export async function loadRun(file: string, o: LoadOptions = {}): Promise<Run & { samples?: StepSamples }> {
  const summary = new RunSummary();
  const idle = new IdleSummary();
  const samples = o.sweepSamples ? new StepSampler() : undefined;
  const first = await readRunFile(file, (r) => {
    summary.add(r);
    idle.add(r);
    samples?.add(r);
    o.onRecord?.(r);
  }, o.warn);
  const memoryMb = first.configMemoryMb ?? first.memoryMb;
  return {
    file, label: `${first.benchmark} ${memoryMb ?? "?"} MB`, name: `${first.benchmark} ${memoryMb ?? "?"} MB`, benchmark: first.benchmark, function: first.function, memoryMb, summary, idle,
    provenance: readProvenance(file), samples: samples?.build(),
  };
}

/**
 * Every run of the inputs, summarized, and the sweeps among them. `onFile` may return a sink for a
 * file's records (report collects compare's samples in the same read).
 */
export async function loadRuns(
  inputs: string[], o: Pick<LoadOptions, "warn"> & { onFile?: (file: string) => ((r: InvocationRecord) => void) | undefined } = {},
): Promise<{ runs: Run[]; sweeps: Sweep[] }> {
  const runs: (Run & { samples?: StepSamples })[] = [];
  const files = runFiles(inputs);
  // Only a folder of two or more runs can hold a sweep: only its runs keep warm samples (4 bytes a
  // call) for the sweep's choice on intervals; a lone run is summarized from histograms alone.
  const perDir = new Map<string, number>();
  for (const f of files) perDir.set(path.dirname(f), (perDir.get(path.dirname(f)) ?? 0) + 1);
  for (const f of files) runs.push(await loadRun(f, { warn: o.warn, onRecord: o.onFile?.(f), sweepSamples: perDir.get(path.dirname(f))! > 1 }));
  // Two runs with the same label are told apart by their file names.
  const seen = new Map<string, number>();
  for (const r of runs) seen.set(r.label, (seen.get(r.label) ?? 0) + 1);
  for (const r of runs) if (seen.get(r.label)! > 1) r.label = `${r.label} (${path.basename(r.file, ".jsonl")})`;
  return { runs, sweeps: sweepsOf(runs) };
}

/**
 * Runs of one function at two or more memory sizes in one folder form a sweep. Every run is kept:
 * runs from other folders (a `measure` run at a size the sweep also has) never replace a step, and
 * a folder with two runs at one size forms no sweep (which one would be the step is not known).
 * Two sweeps in one folder (a `sweep --force` that wrote other sizes beside an earlier one's) are
 * told apart by their provenance's run id, and each is shown with it; runs without provenance
 * (older ones) group as before.
 */
export function sweepsOf(runs: (Run & { samples?: StepSamples })[]): Sweep[] {
  const where = (r: Run) => `${path.dirname(r.file)}\u0000${r.benchmark}\u0000${r.function}`;
  const groups = groupBy(runs.filter((r) => r.memoryMb !== null), (r) => `${where(r)}\u0000${r.provenance?.runId ?? ""}`);
  const sweeps: Sweep[] = [];
  for (const group of groups.values()) {
    const sizes = new Set(group.map((r) => r.memoryMb));
    if (sizes.size < 2 || sizes.size !== group.length) continue;
    const steps = [...group].sort((a, b) => a.memoryMb! - b.memoryMb!)
      .map((run) => ({ memoryMb: run.memoryMb!, summary: run.summary.toJson(), samples: run.samples, run }));
    sweeps.push({ benchmark: group[0].benchmark, function: group[0].function, folder: path.dirname(group[0].file), steps, choice: choose(steps),
      runId: group[0].provenance?.runId ?? null });
  }
  // The run id is shown only where one folder holds two sweeps of the function.
  const perPlace = groupBy(sweeps, (s) => where(s.steps[0].run));
  for (const s of sweeps) if (perPlace.get(where(s.steps[0].run))!.length < 2) s.runId = null;
  return sweeps;
}
