// Reads a study file (issue 29) as benchmarks.yaml is read: parsed with positions, checked by the
// schema, then the rules that need the whole file, the manifest or the disk (unique names,
// benchmarks of the manifest, payload files, trace files, the rules between a workload's
// parameters); every error at once, `file:line:col`, sorted.
import * as path from "node:path";
import { payloadBytes, PayloadError } from "../aws/payload";
import { didYouMean, fromZod, salvage, type Issue, type Path } from "../manifest/issues";
import type { Manifest } from "../manifest/load";
import type { Benchmark } from "../manifest/schema";
import { FileInvalid, parseYaml, readYamlText, type PositionedError } from "../manifest/yaml-file";
import { scheduleOfSpec, specProblem } from "../workload/spec";
import { TraceError } from "../workload/trace";
import { Experiment, StudyFile, type ExperimentEntry, type Order } from "./schema";
import { STUDY_NAMES, studyWorkload, WorkloadItem, type StudyWorkload } from "./workload";

export interface ExperimentDef {
  name: string;
  benchmarks: Benchmark[];
  /** Sizes to set, in the file's order; undefined: each benchmark at its deployed size. */
  memory: number[] | undefined;
  /** The payload as written (`{}` when not given) and the bytes every call sends. */
  payload: { source: string; bytes: Uint8Array };
  workloads: StudyWorkload[];
  repeat: number;
  order: Order;
  generator: { shards: number } | undefined;
}

export interface Study {
  /** The file as it was named to us. */
  file: string;
  experiments: ExperimentDef[];
}

/** Thrown by loadStudy: every error of the file, sorted by position. */
export class StudyInvalid extends FileInvalid {
  constructor(errors: PositionedError[]) {
    super(errors);
    this.name = "StudyInvalid";
  }
}

/** The closed loop's keys written in another shape (the only place they are unknown), as the CLI says it. */
const MISPLACED_KEYS: Record<string, string> = {
  cold: "cold applies to the closed loop, not to this workload",
  c: "c applies to the closed loop; an open workload caps the calls in flight with maxInFlight",
};

/** Loads and validates a study file against a manifest; throws StudyInvalid with every error. */
export function loadStudy(file: string, manifest: Manifest): Study {
  const read = readYamlText(file, "study file");
  if ("errors" in read) throw new StudyInvalid(read.errors);
  const r = parseStudy(read.text, file, manifest);
  if (!r.study) throw new StudyInvalid(r.errors);
  return r.study;
}

/** Validates study text; `file` names it in errors and anchors `@payload` and trace paths (its folder). */
export function parseStudy(text: string, file: string, manifest: Manifest): { study?: Study; errors: PositionedError[] } {
  const { source, errors: syntax } = parseYaml(text, file);
  if (!source) return { errors: syntax };
  const issues: Issue[] = [];
  const parsed = StudyFile.safeParse(source.data);
  if (!parsed.success) issues.push(...fromZod(parsed.error.issues, StudyFile, MISPLACED_KEYS));

  const raw = (source.data ?? {}) as { experiments?: unknown };
  const list = Array.isArray(raw.experiments) ? raw.experiments : [];
  const baseDir = path.dirname(file);
  const byName = new Map(manifest.benchmarks.map((b) => [b.function, b]));
  const names = new Map<string, Path>();
  const experiments: ExperimentDef[] = [];
  list.forEach((value, i) => {
    // Whole-file rules run on the well-formed fields, beside the schema's errors.
    const e = salvage(Experiment, value) as Partial<ExperimentEntry> | undefined;
    if (!e) return;
    const at = (...rest: PropertyKey[]): Path => ["experiments", i, ...rest];
    if (typeof e.name === "string") {
      const first = names.get(e.name);
      if (first) issues.push({ path: at("name"), message: `experiment "${e.name}" is already defined at ${source.where(first)}: names must be unique (each is a folder)` });
      else names.set(e.name, at("name"));
    }
    const benchmarks = checkBenchmarks(e.benchmarks ?? [], byName, manifest.file, at, issues);
    checkUnique(e.memory ?? [], (j, k) => ({ path: at("memory", j), message: `memory ${e.memory![j]} is listed twice (also item ${k + 1})` }), issues);
    const payload = checkPayload(e.payload, baseDir, at("payload"), issues);
    const rawWorkloads = (value as { workloads?: unknown } | null)?.workloads;
    const workloads = checkWorkloads(Array.isArray(rawWorkloads) ? rawWorkloads : [], baseDir, at, issues);
    if (parsed.success) {
      experiments.push({
        name: e.name!, benchmarks, memory: e.memory, payload: payload!, workloads: workloads as StudyWorkload[],
        repeat: e.repeat!, order: e.order!, generator: e.generator,
      });
    }
  });
  const errors = source.errorsOf(issues);
  return errors.length > 0 ? { errors } : { study: { file, experiments }, errors: [] };
}

function checkBenchmarks(
  listed: readonly (string | undefined)[], byName: ReadonlyMap<string, Benchmark>, manifestFile: string,
  at: (...rest: PropertyKey[]) => Path, issues: Issue[],
): Benchmark[] {
  const out: Benchmark[] = [];
  listed.forEach((name, j) => { // sparse where items were invalid: forEach skips those
    const b = byName.get(name!);
    if (!b) {
      issues.push({ path: at("benchmarks", j), message: `benchmark "${name}" is not in ${manifestFile}${didYouMean(name!, [...byName.keys()])}` });
    } else out.push(b);
  });
  checkUnique(listed, (j, k) => ({ path: at("benchmarks", j), message: `benchmark "${listed[j]}" is listed twice (also item ${k + 1})` }), issues);
  return out;
}

/** An issue at each item equal to an earlier one (`k` the earlier's index). */
function checkUnique<T>(items: readonly T[], issue: (j: number, k: number) => Issue, issues: Issue[]): void {
  items.forEach((v, j) => {
    const k = items.findIndex((w) => w === v);
    if (v !== undefined && k < j) issues.push(issue(j, k));
  });
}

function checkPayload(payload: string | undefined, baseDir: string, at: Path, issues: Issue[]): ExperimentDef["payload"] | undefined {
  const source = payload ?? "{}";
  try {
    return { source, bytes: payloadBytes(source, "payload", baseDir) };
  } catch (err) {
    if (!(err instanceof PayloadError)) throw err;
    issues.push({ path: at, message: err.message });
    return undefined;
  }
}

/** The workloads that pass the schema whole, checked further; the others' errors are the schema's. */
function checkWorkloads(items: readonly unknown[], baseDir: string, at: (...rest: PropertyKey[]) => Path, issues: Issue[]): (StudyWorkload | undefined)[] {
  const slugs = new Map<string, number>();
  return items.map((raw, j) => {
    const item = WorkloadItem.safeParse(raw);
    const w = item.success ? studyWorkload(item.data, (f) => path.resolve(baseDir, f)) : undefined;
    if (!w) return undefined;
    const kind = w.spec.shape;
    const problem = specProblem(w.spec, STUDY_NAMES);
    if (problem) issues.push({ path: at("workloads", j, kind, STUDY_NAMES[problem.input]), message: `${kind}: ${problem.message}` });
    else if (kind === "trace") {
      try {
        scheduleOfSpec(w.spec); // reads and checks the trace file
      } catch (err) {
        if (!(err instanceof TraceError)) throw err;
        issues.push({ path: at("workloads", j, kind, "file"), message: `trace ${err.message} (file is relative to the study file's folder)` });
      }
    }
    const k = slugs.get(w.slug);
    if (k !== undefined) issues.push({ path: at("workloads", j), message: `workload ${j + 1} is the same as workload ${k + 1} (${w.slug}): each writes its own folder` });
    else slugs.set(w.slug, j);
    return w;
  });
}
