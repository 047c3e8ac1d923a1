// A study's resume state (issue 29): `study.json` in the study's --out folder names the hash of
// the study file's experiments (normalised: comments, whitespace and key order do not count), each
// cell's identity hash and the repetitions completed. Given the state and a new plan it decides,
// run by run: skip (complete), rerun (cut short: its partial file is discarded and it runs whole)
// or run; and it refuses a resume that would keep data the file no longer describes.
//
// Refusal rule: a resume is refused (unless --fresh) when a completed repetition would be kept
// under a different definition: its cell's identity changed (same folder, other payload, workload
// parameters, warm-up, generator...), its cell is gone from the file, or its repetition is past
// the new `repeat`. Anything else (new cells, more repetitions, another order) resumes.
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { readJsonIfThere, writeJsonAtomically } from "./json-file";
import { metaPathFor } from "../runs/provenance";
import type { Study } from "./load";
import type { Cell, Plan, Step } from "./plan";

export const STATE_FILE = "study.json";

export interface CellState {
  id: string;
  hash: string;
  repeat: number;
  /** Completed repetitions (1-based), ascending. */
  done: number[];
  complete: boolean;
}

export interface StudyState {
  version: 1;
  /** The study file as it was named. */
  file: string;
  studyHash: string;
  cells: CellState[];
}

/** JSON with every object's keys sorted, so equal data has one text. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (v !== null && typeof v === "object") {
    return `{${Object.keys(v).sort().filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(",")}}`;
  }
  return JSON.stringify(v);
}

const sha256 = (data: string | Uint8Array) => createHash("sha256").update(data).digest("hex");

/** What defines one cell's measurements; trace files relative to the study file's folder. */
function cellDefinition(cell: Cell, studyDir: string) {
  const { spec, warmup, maxInFlight } = cell.workload;
  return {
    experiment: cell.experiment.name,
    benchmark: cell.benchmark.function,
    memory: cell.memory ?? null,
    workload: spec.shape === "trace" ? { ...spec, file: path.relative(studyDir, spec.file) } : spec,
    warmup,
    maxInFlight,
    payload: sha256(cell.experiment.payload.bytes),
    generator: cell.experiment.generator ?? null,
  };
}

export function cellHash(cell: Cell, studyFile: string): string {
  return sha256(canonical(cellDefinition(cell, path.dirname(studyFile))));
}

/** The hash of the study's experiments as parsed (defaults applied), not of the file's text. */
export function studyHash(study: Study): string {
  const dir = path.dirname(study.file);
  return sha256(canonical(study.experiments.map((e) => ({
    name: e.name, benchmarks: e.benchmarks.map((b) => b.function), memory: e.memory ?? null,
    payload: sha256(e.payload.bytes), repeat: e.repeat, order: e.order, generator: e.generator ?? null,
    workloads: e.workloads.map((w) => ({ ...w, spec: w.spec.shape === "trace" ? { ...w.spec, file: path.relative(dir, w.spec.file) } : w.spec })),
  }))));
}

/** The state of a plan with nothing done yet, or carrying over `prev`'s completed repetitions that still hold. */
export function stateOf(study: Study, plan: Plan, prev?: StudyState): StudyState {
  const old = new Map(prev?.cells.map((c) => [c.id, c]));
  return {
    version: 1,
    file: study.file,
    studyHash: studyHash(study),
    cells: plan.cells.map((cell) => {
      const hash = cellHash(cell, study.file);
      const repeat = cell.experiment.repeat;
      const was = old.get(cell.id);
      const done = was && was.hash === hash ? was.done.filter((r) => r <= repeat) : [];
      return { id: cell.id, hash, repeat, done, complete: done.length === repeat };
    }),
  };
}

/** `state` with repetition `rep` of cell `id` complete (a new object; call after its file is closed). */
export function markDone(state: StudyState, id: string, rep: number): StudyState {
  return {
    ...state,
    cells: state.cells.map((c) => {
      if (c.id !== id || c.done.includes(rep)) return c;
      const done = [...c.done, rep].sort((a, b) => a - b);
      return { ...c, done, complete: done.length === c.repeat };
    }),
  };
}

export type Action = "skip" | "run" | "rerun";

export interface Resume {
  /** Every step of the plan in its order, with what to do. */
  steps: { step: Step; action: Action }[];
  /** Cells whose completed repetitions would be kept under another definition: why each. */
  conflicts: string[];
}

/**
 * What to do with each step given the previous state (none: a fresh study) and which files exist
 * (`exists(relative file)`). A repetition is complete when the state lists it and its file exists;
 * a file that exists without being listed was cut short (rerun, discarded first).
 */
export function resumeOf(prev: StudyState | undefined, study: Study, plan: Plan, exists: (file: string) => boolean): Resume {
  const old = new Map(prev?.cells.map((c) => [c.id, c]));
  const conflicts: string[] = [];
  const inPlan = new Set(plan.cells.map((c) => c.id));
  for (const c of prev?.cells ?? []) {
    if (c.done.length > 0 && !inPlan.has(c.id)) conflicts.push(`${c.id}: no longer in the file (${c.done.length} repetition${c.done.length === 1 ? "" : "s"} done)`);
  }
  const hashes = new Map(plan.cells.map((cell) => [cell, cellHash(cell, study.file)]));
  for (const cell of plan.cells) {
    const was = old.get(cell.id);
    if (!was || was.done.length === 0) continue;
    if (was.hash !== hashes.get(cell)) conflicts.push(`${cell.id}: its definition changed (payload, workload parameters, warm-up or generator)`);
    else {
      const past = was.done.filter((r) => r > cell.experiment.repeat);
      if (past.length > 0) conflicts.push(`${cell.id}: repetition ${past.join(", ")} done, past repeat ${cell.experiment.repeat}`);
    }
  }
  const steps = plan.steps.map((step) => {
    const was = old.get(step.cell.id);
    const listed = was !== undefined && was.hash === hashes.get(step.cell) && was.done.includes(step.rep);
    const onDisk = exists(step.file);
    const action: Action = listed && onDisk ? "skip" : onDisk || listed ? "rerun" : "run";
    return { step, action };
  });
  return { steps, conflicts };
}

/** The state in `outDir`, or undefined when there is none; throws on a file that is not one. */
export function readState(outDir: string): StudyState | undefined {
  const file = path.join(outDir, STATE_FILE);
  const state = readJsonIfThere(file) as StudyState | undefined;
  if (state === undefined) return undefined;
  if (state?.version !== 1 || !Array.isArray(state.cells)) throw new Error(`${file} is not a lambda-bench study state (version 1)`);
  return state;
}

/** Writes the state atomically: a temporary file beside it, then a rename over the old one. */
export function writeState(outDir: string, state: StudyState): void {
  writeJsonAtomically(path.join(outDir, STATE_FILE), state);
}

/** Removes a cut-short repetition's run file and its provenance, so it reruns whole. */
export function discardPartial(outDir: string, step: Step): void {
  for (const f of [step.file, metaPathFor(step.file)]) fs.rmSync(path.join(outDir, f), { force: true });
}

/** `exists` for resumeOf: a file under `outDir`. */
export const existsUnder = (outDir: string) => (file: string) => fs.existsSync(path.join(outDir, file));
