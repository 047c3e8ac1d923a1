// Loading saved runs: every JSONL file `measure`, `idle` or `sweep` wrote, streamed line by line into
// the same summaries `measure` prints, so a report of a million invocations stays small. `report`
// and `compare` both read runs through it.
import * as fs from "node:fs";
import * as path from "node:path";
import * as readline from "node:readline";
import { parseRecord, type InvocationRecord } from "../measure/record";
import { readProvenance, type Provenance } from "../measure/provenance";
import { groupBy } from "../group-by";
import { capLines } from "./line-cap";
import { RunSummary } from "../measure/summary";
import { choose, StepSampler, type StepSamples, type SweepChoice, type SweepStep } from "../measure/sweep";
import { IdleSummary } from "../measure/idle-summary";

export interface Run {
  file: string;
  label: string;
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
}

/** A file or folder that cannot be read as runs: the message says which line and why. */
export class ReportInputError extends Error {}

/** The JSONL files named: files as given, folders by their *.jsonl files (sub-folders too), in name order. */
export function runFiles(inputs: string[]): string[] {
  const files: string[] = [];
  for (const input of inputs) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(input);
    } catch {
      throw new ReportInputError(`${input} not found: pass a run's .jsonl file or a folder of them`);
    }
    if (stat.isDirectory()) {
      const inDir = jsonlUnder(input);
      if (inDir.length === 0) throw new ReportInputError(`${input} holds no .jsonl files: pass the folder \`sweep --out\` wrote, or run files`);
      files.push(...inDir);
    } else {
      files.push(input);
    }
  }
  return files;
}

/** The .jsonl files in a folder and its sub-folders: a folder's own files first, then each sub-folder's. */
function jsonlUnder(dir: string): string[] {
  const entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => byNumberAware(a.name, b.name));
  const own = entries.filter((e) => e.isFile() && e.name.endsWith(".jsonl")).map((e) => path.join(dir, e.name));
  const sub = entries.filter((e) => e.isDirectory()).flatMap((e) => jsonlUnder(path.join(dir, e.name)));
  return [...own, ...sub];
}

const byNumberAware = (a: string, b: string) => a.localeCompare(b, "en", { numeric: true });

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
  const lines = readline.createInterface({ input: capLines(fs.createReadStream(file), file), crlfDelay: Infinity });
  let n = 0;
  let first: InvocationRecord | undefined;
  // A line that is not JSON is an error unless it is the last one: a run cut short (power lost, disk
  // full) leaves its last line unfinished, and every line before it is still good.
  let cut: { line: number; message: string } | undefined;
  for await (const line of lines) {
    n++;
    if (line.trim() === "") continue;
    if (cut) throw new ReportInputError(`${file}:${cut.line}: not JSON (${cut.message}): pass files written by measure --out or sweep --out`);
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (err) {
      cut = { line: n, message: (err as Error).message };
      continue;
    }
    const parsed = parseRecord(value);
    if (!parsed.ok) throw new ReportInputError(`${file}:${n}: not an invocation record: ${parsed.message}`);
    first ??= parsed.record;
    summary.add(parsed.record);
    idle.add(parsed.record);
    samples?.add(parsed.record);
    o.onRecord?.(parsed.record);
  }
  if (cut) o.warn?.(`${file}:${cut.line}: the last line is cut short (not JSON); skipped it and read the ${n - 1} lines before it`);
  if (!first) throw new ReportInputError(`${file} holds no invocations`);
  const memoryMb = first.configMemoryMb ?? first.memoryMb;
  return {
    file, label: `${first.benchmark} ${memoryMb ?? "?"} MB`, benchmark: first.benchmark, function: first.function, memoryMb, summary, idle,
    provenance: readProvenance(file), samples: samples?.build(),
  };
}

export async function loadRuns(inputs: string[], o: Pick<LoadOptions, "warn"> = {}): Promise<{ runs: Run[]; sweeps: Sweep[] }> {
  const runs: (Run & { samples?: StepSamples })[] = [];
  const files = runFiles(inputs);
  // Only a folder of two or more runs can hold a sweep: only its runs keep warm samples (4 bytes a
  // call) for the sweep's choice on intervals; a lone run is summarized from histograms alone.
  const perDir = new Map<string, number>();
  for (const f of files) perDir.set(path.dirname(f), (perDir.get(path.dirname(f)) ?? 0) + 1);
  for (const f of files) runs.push(await loadRun(f, { ...o, sweepSamples: perDir.get(path.dirname(f))! > 1 }));
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
 */
function sweepsOf(runs: (Run & { samples?: StepSamples })[]): Sweep[] {
  const groups = groupBy(runs.filter((r) => r.memoryMb !== null), (r) => `${path.dirname(r.file)}\u0000${r.benchmark}\u0000${r.function}`);
  const sweeps: Sweep[] = [];
  for (const group of groups.values()) {
    const sizes = new Set(group.map((r) => r.memoryMb));
    if (sizes.size < 2 || sizes.size !== group.length) continue;
    const steps = [...group].sort((a, b) => a.memoryMb! - b.memoryMb!)
      .map((run) => ({ memoryMb: run.memoryMb!, summary: run.summary.toJson(), samples: run.samples, run }));
    sweeps.push({ benchmark: group[0].benchmark, function: group[0].function, folder: path.dirname(group[0].file), steps, choice: choose(steps) });
  }
  return sweeps;
}
