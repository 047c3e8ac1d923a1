// Bursts (`--burst B --every T [--bursts K]`), as STeLLAR sends them: K bursts of B calls at once,
// T apart. T is one duration, a list stepped through in turn (`1s,10s,60s`), or `exp:MEAN` for
// exponential gaps from a seeded generator.
import type { Workload } from "./workload";
import { formatDuration, parseDuration } from "./duration";
import { Rng } from "../rng";
import type { Schedule } from "./schedule";

export type Gaps = { kind: "fixed"; ms: number[] } | { kind: "exp"; meanMs: number };

/** Parses --every: `10s`, `1s,5s,10s` or `exp:30s`. */
export function parseEvery(text: string): Gaps {
  const exp = /^\s*exp:(.+)$/.exec(text);
  if (exp) {
    const meanMs = parseDuration(exp[1], "--every exp:MEAN");
    if (meanMs <= 0) throw new Error("--every exp:MEAN must be above 0");
    return { kind: "exp", meanMs };
  }
  return { kind: "fixed", ms: text.split(",").map((t) => parseDuration(t, "--every")) };
}

export interface BurstSpec {
  size: number;
  gaps: Gaps;
  /** Bursts in all; default: one per listed gap plus the first, else 10. */
  count?: number;
  seed: number;
}

export const defaultBursts = (g: Gaps) => (g.kind === "fixed" && g.ms.length > 1 ? g.ms.length + 1 : 10);

export class BurstSchedule implements Schedule {
  readonly workload: Workload;
  burst: number | null = null;
  readonly total: number;
  private readonly count: number;
  private k = 0;
  private inBurst = 0;
  private at = 0;
  private readonly rng: Rng;

  constructor(private readonly spec: BurstSpec) {
    if (spec.size < 1) throw new Error("a burst needs at least one call");
    this.count = spec.count ?? defaultBursts(spec.gaps);
    this.total = this.count * spec.size;
    this.rng = new Rng(spec.seed);
    const g = spec.gaps;
    this.workload = {
      shape: "burst", burst: spec.size, bursts: this.count,
      every: g.kind === "exp" ? `exp:${formatDuration(g.meanMs)}` : g.ms.map(formatDuration).join(","),
      ...(g.kind === "exp" ? { seed: spec.seed } : {}),
    };
  }

  /** The gap before burst k (k >= 1). */
  private gap(k: number): number {
    const g = this.spec.gaps;
    return g.kind === "exp" ? this.rng.exponential(g.meanMs) : g.ms[(k - 1) % g.ms.length];
  }

  next(): number {
    if (this.inBurst === this.spec.size) {
      this.inBurst = 0;
      this.k++;
      if (this.k < this.count) this.at += this.gap(this.k);
    }
    if (this.k >= this.count) return Infinity;
    this.inBurst++;
    this.burst = this.k;
    return this.at;
  }
}
