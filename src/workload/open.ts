// The open loop (`--rate R`): R calls a second, whatever comes back, uniformly spaced (k6's
// constant-arrival-rate: call i at i/R) or as a Poisson process (exponential gaps of mean 1/R from
// a seeded generator). It ends after `count` calls or at `durationMs`, whichever comes first.
import type { Workload } from "./workload";
import { Rng } from "../rng";
import type { Schedule } from "./schedule";

export type Arrivals = "uniform" | "poisson";

export interface OpenLoop {
  rate: number;
  arrivals: Arrivals;
  seed: number;
  count?: number;
  durationMs?: number;
}

export class OpenSchedule implements Schedule {
  readonly workload: Workload;
  readonly burst = null;
  /** Exact for Poisson arrivals too: the seeded gaps are drawn once ahead to count them. */
  readonly total: number;
  private i = 0;
  private t = 0;
  private readonly gapMs: number;
  private readonly limit: number;
  private readonly end: number;
  private readonly rng: Rng | undefined;

  constructor(readonly spec: OpenLoop) {
    if (!(spec.rate > 0)) throw new Error(`rate must be above 0; got ${spec.rate}`);
    this.gapMs = 1000 / spec.rate;
    this.limit = spec.count ?? Infinity;
    this.end = spec.durationMs ?? Infinity;
    if (this.limit === Infinity && this.end === Infinity) throw new Error("an open loop needs a count or a duration");
    this.rng = spec.arrivals === "poisson" ? new Rng(spec.seed) : undefined;
    this.total = spec.arrivals === "uniform" ? Math.min(this.limit, Math.ceil((this.end * spec.rate) / 1000))
      : this.limit !== Infinity ? this.limit : countBefore(new Rng(spec.seed), this.gapMs, this.end);
    this.workload = openWorkload(spec);
  }

  next(): number {
    if (this.i >= this.limit) return Infinity;
    // Uniform times are computed from the index, not summed, so they carry no rounding drift.
    const t = this.rng ? (this.t += this.rng.exponential(this.gapMs)) : (this.i * 1000) / this.spec.rate;
    if (t >= this.end) {
      this.i = Infinity;
      return Infinity;
    }
    this.i++;
    return t;
  }
}

/** An open loop's descriptor (what every record carries), without building its schedule. */
export function openWorkload(spec: OpenLoop): Workload {
  return {
    shape: "open", rate: spec.rate, arrivals: spec.arrivals,
    ...(spec.arrivals === "poisson" ? { seed: spec.seed } : {}),
    ...(spec.count !== undefined ? { n: spec.count } : {}),
    ...(spec.durationMs !== undefined ? { durationMs: spec.durationMs } : {}),
  };
}

/** How many Poisson arrivals (gaps from `rng`) fall before `end`. */
function countBefore(rng: Rng, gapMs: number, end: number): number {
  let n = 0;
  for (let t = rng.exponential(gapMs); t < end; t += rng.exponential(gapMs)) n++;
  return n;
}
