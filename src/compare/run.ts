// `compare` from inputs to results: load each input's runs with the samples of the chosen metrics,
// match them against the first input's, and compare every matched pair on every metric.
import { ReportInputError, runFiles } from "../runs/read";
import { loadRun, type Run } from "../summary/saved-runs";
import { interruptionOf, provenanceDifferences, type Provenance } from "../runs/provenance";
import { sampleOf, type Sample } from "../stats/samples";
import { compareMetric, type CompareOptions, type MetricComparison } from "./compare";
import { addCounts, compareErrors, type ErrorComparison } from "./errors";
import { matchRuns, type LoadedRun } from "./match";
import { METRIC_INFO, RunSampler, type CompareMetric } from "./metrics";

export interface PairResult {
  a: { input: string; key: string; files: string[]; provenance: Provenance | null };
  b: { input: string; key: string; files: string[]; provenance: Provenance | null };
  /** Why the comparison may not be like for like (from the provenance), and runs cut short. */
  notes: string[];
  /** How often each side's calls failed, and whether B fails more often. */
  errors: ErrorComparison;
  /** The pair's runs that were cut short (their provenance's `interrupted`), each with how. */
  partial: { file: string; interruption: string }[];
  metrics: MetricComparison[];
}

export interface CompareResult {
  baseline: string;
  pairs: PairResult[];
  /** Runs without a counterpart, per compared input. */
  unmatched: { input: string; runs: string[] }[];
}

/** Every run of an input, each with its samples of the metrics. */
export async function loadSide(input: string, metrics: readonly CompareMetric[], warn?: (m: string) => void): Promise<LoadedRun[]> {
  const out: LoadedRun[] = [];
  for (const file of runFiles([input])) {
    const sampler = new RunSampler(metrics);
    const run: Run = await loadRun(file, { onRecord: (r) => sampler.add(r), warn });
    out.push({ run, samples: sampler.build(), errors: sampler.errors });
  }
  return out;
}

/** Two sides of one `measure --interleave` run (its repetitions are paired). */
function interleaved(a: Provenance | null, b: Provenance | null): boolean {
  const id = a?.plan?.interleaveId;
  return typeof id === "string" && id === b?.plan?.interleaveId;
}

/** Runs of one key pooled: each file's repetitions become clusters of their own. */
function pooled(runs: LoadedRun[], metric: CompareMetric): Sample {
  if (runs.length === 1) return runs[0].samples.get(metric)!;
  return sampleOf(runs.flatMap((r) => r.samples.get(metric)!.clusters.map((c) => c.slice())), METRIC_INFO[metric].scale);
}

/** True when every run of a pair is of one benchmark. */
const oneBenchmark = (p: { a: LoadedRun[]; b: LoadedRun[] }) => new Set([...p.a, ...p.b].map((r) => r.run.benchmark)).size === 1;

/** `compare` of runs of different functions or benchmarks, refused unless `--allow-different`. */
export class UnlikeRunsError extends ReportInputError {}

/** "aes (function aes)" for the runs of one side. */
const whatRan = (runs: LoadedRun[]) => [...new Set(runs.map((r) => `${r.run.benchmark} (function ${r.run.function ?? "?"})`))].join(", ");

/** Different functions or benchmarks on the two sides of a pair: the one-line refusal, else undefined. */
function unlike(p: { a: LoadedRun[]; b: LoadedRun[] }, a: string, b: string): string | undefined {
  const names = (runs: LoadedRun[]) => runs.map((r) => `${r.run.benchmark}\0${r.run.function}`);
  if (new Set([...names(p.a), ...names(p.b)]).size === 1) return undefined;
  return `${a} is ${whatRan(p.a)} and ${b} is ${whatRan(p.b)}: compare refuses runs of different functions; ` +
    `pass --allow-different to compare them anyway`;
}

/**
 * A "faster" B that fails more often than A is no verdict: its successful calls may be the fast
 * ones of a function that crashes on the slow path.
 */
function withErrors(c: MetricComparison, e: ErrorComparison): MetricComparison {
  if (e.verdict !== "more errors" || c.verdict !== "faster") return c;
  return { ...c, verdict: "not comparable", text: `not comparable: ${c.text.replace(/^B is /, "B's successful calls are ")}, but B fails more often (see errors)` };
}

/**
 * Each later input against the first. With `sameBenchmark` (what `report` asks for: it compares
 * whatever it is given, so it keeps only like with like), pairs of different benchmarks are left out.
 */
export async function compareInputs(
  inputs: string[], metrics: readonly CompareMetric[], o: CompareInputsOptions & { warn?: (m: string) => void } = {},
): Promise<CompareResult> {
  const sides: Side[] = [];
  for (const input of inputs) sides.push({ input, runs: await loadSide(input, metrics, o.warn) });
  return compareSides(sides, metrics, o);
}

export interface CompareInputsOptions extends CompareOptions {
  sameBenchmark?: boolean;
  allowDifferent?: boolean;
}

/** One input's runs, each with its samples. */
export interface Side {
  input: string;
  runs: LoadedRun[];
}

/**
 * The sides of runs already read (`report` reads each file once, for its summaries and these
 * samples alike): each input's files, in `runFiles` order, with the samplers fed while reading.
 */
export function sidesOf(inputs: string[], runs: readonly Run[], samplers: ReadonlyMap<string, RunSampler>): Side[] {
  const byFile = new Map(runs.map((r) => [r.file, r]));
  return inputs.map((input) => ({
    input,
    runs: runFiles([input]).map((file) => {
      const s = samplers.get(file)!;
      // Named as `compare` names it: report's file-name suffix (two runs of one label) is its own.
      const run = byFile.get(file)!;
      return { run: { ...run, label: run.name }, samples: s.build(), errors: s.errors };
    }),
  }));
}

/** Each later side against the first. */
export function compareSides(sides: Side[], metrics: readonly CompareMetric[], o: CompareInputsOptions = {}): CompareResult {
  const [{ input: first, runs: base }, ...rest] = sides;
  const result: CompareResult = { baseline: first, pairs: [], unmatched: [] };
  for (const { input, runs: other } of rest) {
    const { pairs, unmatched } = matchRuns(base, other);
    if (unmatched.length && !o.sameBenchmark) result.unmatched.push({ input, runs: unmatched });
    for (const p of pairs) {
      if (o.sameBenchmark && !oneBenchmark(p)) continue;
      const refusal = o.allowDifferent ? undefined : unlike(p, first, input);
      if (refusal) throw new UnlikeRunsError(refusal);
      const label = (runs: LoadedRun[]) => p.key || runs[0].run.label;
      const errors = compareErrors(addCounts(p.a.map((r) => r.errors)), addCounts(p.b.map((r) => r.errors)));
      const prov = (runs: LoadedRun[]) => runs[0].run.provenance;
      const partial = [...p.a, ...p.b].flatMap(({ run }) => {
        const cut = interruptionOf(run.provenance);
        return cut ? [{ file: run.file, interruption: cut }] : [];
      });
      result.pairs.push({
        a: { input: first, key: label(p.a), files: p.a.map((r) => r.run.file), provenance: prov(p.a) },
        b: { input, key: label(p.b), files: p.b.map((r) => r.run.file), provenance: prov(p.b) },
        notes: [...(unlike(p, first, input) ? [`different functions: A is ${whatRan(p.a)}, B is ${whatRan(p.b)} (--allow-different)`] : []),
          ...provenanceDifferences(prov(p.a), prov(p.b)), ...partial.map((x) => `${x.file} is ${x.interruption}: a partial run`)],
        errors,
        partial,
        metrics: metrics.map((m) => withErrors(compareMetric(m, { label: label(p.a), sample: pooled(p.a, m) }, { label: label(p.b), sample: pooled(p.b, m) },
          { ...o, paired: interleaved(prov(p.a), prov(p.b)) }), errors)),
      });
    }
  }
  return result;
}
