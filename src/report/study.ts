// A study's folder (`run`'s --out/<experiment>: <benchmark>/<memory>/<workload>/rep-<k>.jsonl) as a
// study: its cells found by their rep files, a per-cell summary (repetitions, calls, errors), and
// the comparisons the matrix implies, each against the first: each memory size against the first
// size (same benchmark and workload), each benchmark against the first benchmark (same size and
// workload). Each side is a cell's k repetition files, pooled as clusters (compare/run.ts).
import * as fs from "node:fs";
import * as path from "node:path";
import { compareInputs, type CompareResult } from "../compare/run";
import { formatMetric } from "../compare/format";
import { runFiles } from "../runs/read";
import { loadRun } from "../summary/saved-runs";
import { textTable } from "../summary/text-table";

const REP = /^rep-(\d+)\.jsonl$/;

export interface StudyCell { dir: string; benchmark: string; memory: string; workload: string; reps: string[] }

/** The cells of an experiment folder, in name order; none when it is not a study's folder. */
export function studyCells(dir: string): StudyCell[] {
  const cells: StudyCell[] = [];
  const sub = (d: string) => (fs.statSync(d, { throwIfNoEntry: false })?.isDirectory() ? fs.readdirSync(d).sort() : []);
  for (const benchmark of sub(dir)) {
    for (const memory of sub(path.join(dir, benchmark))) {
      for (const workload of sub(path.join(dir, benchmark, memory))) {
        const cellDir = path.join(dir, benchmark, memory, workload);
        const reps = sub(cellDir).filter((f) => REP.test(f)).sort((a, b) => Number(REP.exec(a)![1]) - Number(REP.exec(b)![1]));
        if (reps.length > 0) cells.push({ dir: cellDir, benchmark, memory, workload, reps: reps.map((f) => path.join(cellDir, f)) });
      }
    }
  }
  return cells;
}

/** True when `dir` is a study's experiment folder (every file in it is some cell's rep file). */
export function isStudyFolder(dir: string): boolean {
  return studyCells(dir).length > 0;
}

/**
 * The experiment folders `report <input>` shows as studies: the input itself when it is one
 * (run's --out/<experiment>), or each experiment folder of a study's --out (it holds study.json).
 */
export function studyFolders(input: string): string[] {
  if (isStudyFolder(input)) return [input];
  if (!fs.existsSync(path.join(input, "study.json"))) return [];
  const studies = fs.readdirSync(input).sort().map((f) => path.join(input, f)).filter(isStudyFolder);
  // Other runs beside the study (measure --out runs/x.jsonl): the whole folder's report instead.
  const inStudies = new Set(studies.flatMap((d) => studyCells(d).flatMap((c) => c.reps)));
  return runFiles([input]).every((f) => inStudies.has(f)) ? studies : [];
}

const byNumber = (a: string, b: string) => (Number(a) - Number(b)) || a.localeCompare(b);

/** The pairs to compare: [baseline cell, other cell, what differs]. */
function pairsOf(cells: StudyCell[]): [StudyCell, StudyCell, "memory" | "benchmark"][] {
  const benchmarks = [...new Set(cells.map((c) => c.benchmark))];
  const memories = [...new Set(cells.map((c) => c.memory))].sort(byNumber);
  const workloads = [...new Set(cells.map((c) => c.workload))];
  const at = (b: string, m: string, w: string) => cells.find((c) => c.benchmark === b && c.memory === m && c.workload === w);
  const out: [StudyCell, StudyCell, "memory" | "benchmark"][] = [];
  for (const w of workloads) {
    for (const b of benchmarks) {
      for (const m of memories.slice(1)) {
        const [x, y] = [at(b, memories[0], w), at(b, m, w)];
        if (x && y) out.push([x, y, "memory"]);
      }
    }
    for (const m of memories) {
      for (const b of benchmarks.slice(1)) {
        const [x, y] = [at(benchmarks[0], m, w), at(b, m, w)];
        if (x && y) out.push([x, y, "benchmark"]);
      }
    }
  }
  return out;
}

export interface StudyReport { text: string; comparison: CompareResult }

/** The text of one experiment folder's study report, and its comparisons (for the HTML report). */
export async function studyReport(dir: string): Promise<StudyReport> {
  const cells = studyCells(dir);
  const rows = [["cell (benchmark/memory/workload)", "reps", "calls", "errors", "cold", "cut short"]];
  for (const c of cells) {
    let calls = 0;
    let errors = 0;
    let cold = 0;
    let cut = 0;
    for (const f of c.reps) {
      const run = await loadRun(f);
      const s = run.summary.toJson();
      calls += s.invocations;
      errors += s.errors;
      cold += s.cold;
      if (run.provenance?.interrupted) cut++;
    }
    rows.push([`${c.benchmark}/${c.memory}/${c.workload}`, String(c.reps.length), String(calls), String(errors), String(cold), cut ? String(cut) : ""]);
  }
  const lines = [`== study: ${dir} (${cells.length} cells)`, textTable(rows)];
  const comparison: CompareResult = { baseline: dir, pairs: [], unmatched: [] };
  for (const [a, b, what] of pairsOf(cells)) {
    const r = await compareInputs([a.dir, b.dir], ["duration", "client"], { allowDifferent: what === "benchmark" });
    const name = (c: StudyCell) => `${c.benchmark}/${c.memory}/${c.workload}`;
    lines.push(`-- ${what}: ${name(b)} against ${name(a)} (${b.reps.length} against ${a.reps.length} repetitions)`);
    for (const p of r.pairs) {
      p.a.key = name(a);
      p.b.key = name(b);
      comparison.pairs.push(p);
      lines.push(...p.metrics.map(formatMetric), `  errors: ${p.errors.text}`, ...p.partial.map((x) => `  note: ${x.file} is ${x.interruption}: a partial run`));
    }
  }
  return { text: `${lines.join("\n")}\n`, comparison };
}
