// Which runs `compare` sets against each other: two files are a pair; folders are matched run by
// run, on benchmark and memory size together, else on memory size (two sweeps of different
// functions), else on benchmark (two suites at different sizes). Runs of one key on one side are
// pooled, each file a repetition.
import { groupBy } from "../group-by";
import { byNumberAware } from "../runs/read";
import type { Run } from "../summary/saved-runs";
import type { Sample } from "../stats/samples";
import type { CompareMetric } from "./metrics";
import type { ErrorCounts } from "./errors";

export interface LoadedRun {
  run: Run;
  samples: Map<CompareMetric, Sample>;
  /** Its calls and how many failed (compare/errors.ts). */
  errors: ErrorCounts;
}

export interface Pair {
  /** What the runs were matched on ("" for two single runs). */
  key: string;
  a: LoadedRun[];
  b: LoadedRun[];
}

type KeyOf = (r: Run) => string;

const KEYS: { name: string; of: KeyOf }[] = [
  { name: "benchmark and memory", of: (r) => `${r.benchmark} ${r.memoryMb ?? "?"} MB` },
  { name: "memory", of: (r) => `${r.memoryMb ?? "?"} MB` },
  { name: "benchmark", of: (r) => r.benchmark },
];


/** The pairs to compare, and the runs of either side left without a match. */
export function matchRuns(a: LoadedRun[], b: LoadedRun[]): { pairs: Pair[]; matchedOn: string; unmatched: string[] } {
  if (a.length === 1 && b.length === 1) return { pairs: [{ key: "", a, b }], matchedOn: "", unmatched: [] };
  for (const { name, of } of KEYS) {
    const ga = groupBy(a, (r) => of(r.run));
    const gb = groupBy(b, (r) => of(r.run));
    const common = [...ga.keys()].filter((k) => gb.has(k)).sort(byNumberAware);
    if (common.length === 0) continue;
    const unmatched = [
      ...[...ga.keys()].filter((k) => !gb.has(k)).map((k) => `A: ${k}`),
      ...[...gb.keys()].filter((k) => !ga.has(k)).map((k) => `B: ${k}`),
    ];
    return { pairs: common.map((k) => ({ key: k, a: ga.get(k)!, b: gb.get(k)! })), matchedOn: name, unmatched };
  }
  return { pairs: [], matchedOn: "", unmatched: [...a.map((r) => `A: ${r.run.label}`), ...b.map((r) => `B: ${r.run.label}`)] };
}
