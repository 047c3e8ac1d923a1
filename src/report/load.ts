// Loading saved runs: every JSONL file `measure --out` or `sweep --out` wrote, streamed line by
// line into the same summaries `measure` prints, so a report of a million invocations stays small.
import * as fs from "node:fs";
import * as path from "node:path";
import * as readline from "node:readline";
import { parseRecord, type InvocationRecord } from "../measure/record";
import { capLines } from "./line-cap";
import { RunSummary } from "../measure/summary";
import { choose, type SweepChoice, type SweepStep } from "../measure/sweep";

export interface Run {
  file: string;
  label: string;
  benchmark: string;
  function: string;
  memoryMb: number | null;
  summary: RunSummary;
}

export interface Sweep {
  benchmark: string;
  function: string;
  steps: (SweepStep & { run: Run })[];
  choice: SweepChoice | null;
}

/** A file or folder that cannot be read as runs: the message says which line and why. */
export class ReportInputError extends Error {}

/** The JSONL files named: files as given, folders by their *.jsonl files, in name order. */
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
      const inDir = fs.readdirSync(input).filter((f) => f.endsWith(".jsonl")).sort(byNumberAware).map((f) => path.join(input, f));
      if (inDir.length === 0) throw new ReportInputError(`${input} holds no .jsonl files: pass the folder \`sweep --out\` wrote, or run files`);
      files.push(...inDir);
    } else {
      files.push(input);
    }
  }
  return files;
}

const byNumberAware = (a: string, b: string) => a.localeCompare(b, "en", { numeric: true });

export async function loadRun(file: string): Promise<Run> {
  const summary = new RunSummary();
  const lines = readline.createInterface({ input: capLines(fs.createReadStream(file), file), crlfDelay: Infinity });
  let n = 0;
  let first: InvocationRecord | undefined;
  for await (const line of lines) {
    n++;
    if (line.trim() === "") continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (err) {
      throw new ReportInputError(`${file}:${n}: not JSON (${(err as Error).message}): pass files written by measure --out or sweep --out`);
    }
    const parsed = parseRecord(value);
    if (!parsed.ok) throw new ReportInputError(`${file}:${n}: not an invocation record: ${parsed.message}`);
    first ??= parsed.record;
    summary.add(parsed.record);
  }
  if (!first) throw new ReportInputError(`${file} holds no invocations`);
  const memoryMb = first.configMemoryMb ?? first.memoryMb;
  return { file, label: `${first.benchmark} ${memoryMb ?? "?"} MB`, benchmark: first.benchmark, function: first.function, memoryMb, summary };
}

export async function loadRuns(inputs: string[]): Promise<{ runs: Run[]; sweeps: Sweep[] }> {
  const runs: Run[] = [];
  for (const f of runFiles(inputs)) runs.push(await loadRun(f));
  // Two runs with the same label are told apart by their file names.
  const seen = new Map<string, number>();
  for (const r of runs) seen.set(r.label, (seen.get(r.label) ?? 0) + 1);
  for (const r of runs) if (seen.get(r.label)! > 1) r.label = `${r.label} (${path.basename(r.file, ".jsonl")})`;
  return { runs, sweeps: sweepsOf(runs) };
}

/** Runs of one function at two or more memory sizes form a sweep (one step per size: its last run). */
function sweepsOf(runs: Run[]): Sweep[] {
  const groups = new Map<string, Run[]>();
  for (const r of runs) {
    const key = `${r.benchmark}\u0000${r.function}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const sweeps: Sweep[] = [];
  for (const group of groups.values()) {
    const bySize = new Map<number, Run>();
    for (const r of group) if (r.memoryMb !== null) bySize.set(r.memoryMb, r);
    if (bySize.size < 2) continue;
    const steps = [...bySize.entries()].sort((a, b) => a[0] - b[0]).map(([memoryMb, run]) => ({ memoryMb, summary: run.summary.toJson(), run }));
    sweeps.push({ benchmark: group[0].benchmark, function: group[0].function, steps, choice: choose(steps) });
  }
  return sweeps;
}
