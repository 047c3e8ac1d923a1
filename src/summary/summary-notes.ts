// The notes under a summary: what it could not count, and which rows' medians cannot support a
// comparison. Rows that share a problem get one note that names them, not one note each.
import { ciProblem, MIN_CI_SAMPLES, type Stat } from "../stats/metric";
import { START_KINDS, type StartKind } from "../runs/record";

type Stats = Record<"clientMs" | "durationMs" | "billedMs" | "initMs" | "maxMemoryMb" | "latencyMs", Stat>;

/** The times a row of the table shows, with their labels (formatSummary prints the same). */
export const ROW_METRICS = [
  ["clientMs", "client ms"], ["latencyMs", "latency ms"], ["durationMs", "duration ms"], ["billedMs", "billed ms"],
  ["initMs", "init ms"], ["maxMemoryMb", "max memory MB"],
] as const;

/** The groups the table shows: all calls, and each start kind present when more than one is. */
export function groupsShown(all: Stats, split: Record<StartKind, Stats>): [string, Stats][] {
  const present = START_KINDS.filter((k) => split[k].clientMs.n > 0);
  return present.length > 1 ? [["", all], ...present.map((k): [string, Stats] => [`${k} `, split[k]])] : [["", all]];
}

export interface NoteInput {
  priceNote?: string;
  noReport: number;
  forcedColdNotCold: number;
  restores: number;
  provisioned: boolean;
  /** Open workloads (rate, ramp, burst, trace) show latency beside client time; closed loops do not. */
  open: boolean;
  all: Stats;
  split: Record<StartKind, Stats>;
}

export function summaryNotes(x: NoteInput): string[] {
  const notes: string[] = [];
  if (x.priceNote) notes.push(x.priceNote);
  if (x.noReport > 0) {
    notes.push(`${x.noReport} invocation${x.noReport === 1 ? "" : "s"} returned no REPORT log tail; ` +
      "their duration, memory and cost are not counted (an emulator, or a log format we do not know)");
  }
  if (x.forcedColdNotCold > 0) {
    notes.push(`${x.forcedColdNotCold} forced cold start${x.forcedColdNotCold === 1 ? " was" : "s were"} not cold ` +
      "(no Init Duration in the REPORT): the forcing did not work, so the cold figures are short of them");
  }
  if (x.restores > 0) {
    notes.push("SnapStart's snapshot cache is billed per GB-second for as long as the version exists, " +
      "whatever is invoked: not measurable from the client, so not in these costs");
  }
  if (x.provisioned) {
    notes.push("the provisioned environments are billed from when they are configured until they are removed " +
      "(rounded up to 5 minutes); the charge shown covers only this run's wall time");
  }
  const few: string[] = [];
  const wide: string[] = [];
  for (const [prefix, g] of groupsShown(x.all, x.split)) {
    const group = prefix.trim() || "all";
    // A group's rows share one n (init ms aside): name the group once, with its n.
    const n = g.clientMs.n;
    if (ciProblem(g.clientMs) === "few") few.push(`${group} (n = ${n})`);
    for (const [key, label] of ROW_METRICS) {
      const s = g[key];
      if (key === "initMs" || (key === "latencyMs" && !x.open) || ciProblem(s) !== "wide") continue;
      const [lo, hi] = s.p50Ci95!;
      wide.push(`${prefix}${label} [${lo}, ${hi}] (${Math.round((100 * (hi - lo)) / s.p50!)}%)`);
    }
  }
  if (few.length > 0) {
    notes.push(`too few samples for a 95% interval of the median (${MIN_CI_SAMPLES} or more needed): ${few.join(", ")}`);
  }
  if (wide.length > 0) {
    notes.push(`the median's 95% interval is wider than 10% of the median in ${wide.join(", ")}; run more invocations before comparing`);
  }
  return notes;
}
