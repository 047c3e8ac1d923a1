// The idle experiment's figures: per idle time, how many probes found a new instance, that share
// with its 95% Wilson interval, and their init durations. A fold over probe records (those with
// `idleMs`), so the `idle` command and `report` (reading the JSONL back) agree.
import type { InvocationRecord, Workload } from "../runs/record";
import { wilson } from "../stats/wilson";
import { nearestRankValue } from "../stats/rank";
import { formatDuration } from "../workload/duration";
import { textTable } from "./text-table";

export interface IdleRow {
  /** The idle time as written (`5m`), and in ms. */
  after: string;
  idleMs: number;
  /** Probes whose start kind is known (they had a REPORT). */
  n: number;
  /** Probes that found no instance: a cold start, or a SnapStart restore. */
  cold: number;
  coldShare: number | null;
  /** 95% Wilson score interval of the cold share; null when n is 0. */
  coldShareCi95: [number, number] | null;
  /** Init (or restore) durations of the cold probes: nearest-rank median and range. */
  initMs: { n: number; p50: number | null; min: number | null; max: number | null };
  /** Probes that failed or had no REPORT: not in n. */
  unknown: number;
}

export interface IdleSummaryJson {
  workload: Workload | null;
  probes: number;
  rows: IdleRow[];
}

interface Tally { n: number; cold: number; unknown: number; inits: number[] }

/** A new environment served the call: it had to be created (cold) or restored from a snapshot. */
const foundNoInstance = (r: InvocationRecord) => r.startKind === "cold" || r.startKind === "restore";

export class IdleSummary {
  private workload: Workload | null = null;
  private probes = 0;
  // One entry per idle time: the experiment has a handful, each probed tens of times.
  private readonly byIdle = new Map<number, Tally>();

  /** Takes any record; only probes (not warm-up, with `idleMs`) count. */
  add(r: InvocationRecord): void {
    if (r.warmup || r.idleMs === null || r.status === "dropped") return;
    this.workload ??= r.workload;
    this.probes++;
    let t = this.byIdle.get(r.idleMs);
    if (!t) this.byIdle.set(r.idleMs, (t = { n: 0, cold: 0, unknown: 0, inits: [] }));
    if (r.error !== null || r.startKind === null) {
      t.unknown++;
      return;
    }
    t.n++;
    if (foundNoInstance(r)) {
      t.cold++;
      const init = r.initMs ?? r.restoreMs;
      if (init !== null) t.inits.push(init);
    }
  }

  get count(): number {
    return this.probes;
  }

  toJson(): IdleSummaryJson {
    const rows = [...this.byIdle.entries()].sort((a, b) => a[0] - b[0]).map(([idleMs, t]): IdleRow => {
      const inits = [...t.inits].sort((a, b) => a - b);
      return {
        after: formatDuration(idleMs),
        idleMs,
        n: t.n,
        cold: t.cold,
        coldShare: t.n ? t.cold / t.n : null,
        coldShareCi95: wilson(t.cold, t.n),
        initMs: {
          n: inits.length,
          p50: nearestRankValue(inits, 0.5) ?? null,
          min: inits.length ? inits[0] : null,
          max: inits.length ? inits[inits.length - 1] : null,
        },
        unknown: t.unknown,
      };
    });
    return { workload: this.workload, probes: this.probes, rows };
  }
}

const fixed = (x: number | null, d: number) => (x === null ? "-" : x.toFixed(d));

/** The table: one row per idle time. */
export function formatIdle(s: IdleSummaryJson): string {
  const rows = [["after", "n", "cold", "cold share", "95% CI", "init p50 ms", "init range ms"]];
  for (const r of s.rows) {
    rows.push([
      r.after, String(r.n), String(r.cold), fixed(r.coldShare, 2),
      r.coldShareCi95 ? `[${fixed(r.coldShareCi95[0], 2)}, ${fixed(r.coldShareCi95[1], 2)}]` : "-",
      fixed(r.initMs.p50, 1), r.initMs.n ? `${fixed(r.initMs.min, 1)}-${fixed(r.initMs.max, 1)}` : "-",
    ]);
  }
  const lines = [textTable(rows)];
  const unknown = s.rows.reduce((a, r) => a + r.unknown, 0);
  if (unknown) lines.push(`note: ${unknown} probe${unknown === 1 ? "" : "s"} failed or had no REPORT; not counted`);
  return lines.join("\n");
}
