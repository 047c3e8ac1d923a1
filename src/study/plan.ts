// A study's plan (issue 29): its cells (experiment x benchmark x memory x workload) and their
// repetitions in the order they run, each with the run file it writes, and an estimate of calls,
// time and cost before anything is sent.
//
// Order. Each experiment's cells are laid out memory-major (memory, then benchmark, then workload,
// in the file's order), and experiments run one after another, in the file's order.
//  - sequential: each cell's repetitions together: cell 1 rep 1..R, cell 2 rep 1..R, ...
//  - interleaved: every cell of repetition k before any of repetition k+1; repetition k (0-based)
//    starts at cell k mod C and wraps, so each cell runs one place earlier than in the repetition
//    before and drift in the platform does not fall on one position. A rotation of a memory-major
//    list keeps each memory size's cells together except the group the wrap splits: a repetition
//    sets each benchmark's memory at most M + 1 times for M sizes (memoryUpdates counts them).
import type { Benchmark } from "../manifest/schema";
import type { ExperimentDef, Study } from "./load";
import type { StudyWorkload } from "./workload";

export interface Cell {
  experiment: ExperimentDef;
  benchmark: Benchmark;
  /** The size the study sets; undefined: the benchmark as deployed. */
  memory: number | undefined;
  workload: StudyWorkload;
  /** `<experiment>/<benchmark>/<memory or default>/<workload slug>`: its folder under --out. */
  id: string;
}

export interface Step {
  cell: Cell;
  /** 1-based. */
  rep: number;
  /** `<cell id>/rep-<k>.jsonl`, relative to --out. */
  file: string;
}

export function cellsOf(e: ExperimentDef): Cell[] {
  const cells: Cell[] = [];
  for (const memory of e.memory ?? [undefined]) {
    for (const benchmark of e.benchmarks) {
      for (const workload of e.workloads) {
        cells.push({ experiment: e, benchmark, memory, workload, id: [e.name, benchmark.function, memory ?? "default", workload.slug].join("/") });
      }
    }
  }
  return cells;
}

export const repFile = (cellId: string, rep: number) => `${cellId}/rep-${rep}.jsonl`;

/** One experiment's steps in its order (see the head of this file). */
export function stepsOf(e: ExperimentDef, cells = cellsOf(e)): Step[] {
  const steps: Step[] = [];
  const step = (cell: Cell, rep: number) => steps.push({ cell, rep, file: repFile(cell.id, rep) });
  if (e.order === "sequential") {
    for (const cell of cells) for (let rep = 1; rep <= e.repeat; rep++) step(cell, rep);
  } else {
    const C = cells.length;
    for (let k = 0; k < e.repeat; k++) for (let i = 0; i < C; i++) step(cells[(k + i) % C], k + 1);
  }
  return steps;
}

export interface Plan {
  cells: Cell[];
  steps: Step[];
}

export function planStudy(study: Study): Plan {
  const plan: Plan = { cells: [], steps: [] };
  for (const e of study.experiments) {
    const cells = cellsOf(e);
    plan.cells.push(...cells);
    plan.steps.push(...stepsOf(e, cells));
  }
  return plan;
}

/**
 * The memory updates the steps need: each time a benchmark is to run at a size other than the one
 * it was last set to (its deployed size at the start), and once more for each benchmark left at
 * another size at the end (put back).
 */
export function memoryUpdates(steps: readonly Step[]): number {
  const current = new Map<string, number>();
  let updates = 0;
  for (const { cell } of steps) {
    const fn = cell.benchmark.function;
    const want = cell.memory ?? cell.benchmark.memory;
    if ((current.get(fn) ?? cell.benchmark.memory) !== want) updates++;
    current.set(fn, want);
  }
  for (const { cell } of steps) {
    const fn = cell.benchmark.function;
    if (current.get(fn) !== cell.benchmark.memory) {
      updates++;
      current.set(fn, cell.benchmark.memory);
    }
  }
  return updates;
}
