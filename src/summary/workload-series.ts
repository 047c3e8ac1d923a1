// Per-second figures of an open workload for the report's time charts: calls sent, cold starts,
// and latency quantiles from a small log-bucket histogram (5% buckets, 1.6 KB a second), so an
// hour at 10,000 calls a second still costs a few MB, not a record each.
import { quantileRank } from "../stats/rank";

const BUCKETS = 400;
const FLOOR_MS = 0.01;
const GROWTH = Math.log(1.05);

const bucketOf = (ms: number) => Math.min(BUCKETS - 1, Math.max(0, Math.floor(Math.log(Math.max(ms, FLOOR_MS) / FLOOR_MS) / GROWTH)));
/** A bucket's value: its geometric middle (within 2.5% of every value in it). */
const valueOf = (b: number) => FLOOR_MS * Math.exp((b + 0.5) * GROWTH);

export interface SecondPoint {
  /** The second of the run's clock (from its start). */
  second: number;
  /** Calls sent in the second, and the calls scheduled in it that were cold / dropped. */
  sent: number;
  cold: number;
  dropped: number;
  p50LatencyMs: number | null;
  p99LatencyMs: number | null;
}

class Second {
  sent = 0;
  cold = 0;
  dropped = 0;
  n = 0;
  readonly hist = new Uint32Array(BUCKETS);

  quantile(q: number): number | null {
    if (this.n === 0) return null;
    const rank = quantileRank(q, this.n);
    let seen = 0;
    for (let b = 0; b < BUCKETS; b++) {
      seen += this.hist[b];
      if (seen >= rank) return Math.round(valueOf(b) * 1000) / 1000;
    }
    return null;
  }
}

export class SecondSeries {
  private readonly seconds: Second[] = [];
  private at(ms: number): Second {
    const i = Math.max(0, Math.floor(ms / 1000));
    while (this.seconds.length <= i) this.seconds.push(new Second());
    return this.seconds[i];
  }

  sent(sentAt: number, scheduledAt: number, latencyMs: number | null, cold: boolean): void {
    this.at(sentAt).sent++;
    const s = this.at(scheduledAt);
    if (cold) s.cold++;
    if (latencyMs !== null) {
      s.n++;
      s.hist[bucketOf(latencyMs)]++;
    }
  }

  dropped(scheduledAt: number): void {
    this.at(scheduledAt).dropped++;
  }

  /** One point a second, from the first second with a call (seconds of the run's clock). */
  points(): SecondPoint[] {
    const first = this.seconds.findIndex((s) => s.sent + s.dropped + s.n > 0);
    return this.seconds.slice(Math.max(0, first)).map((s, i) => ({
      second: first + i, sent: s.sent, cold: s.cold, dropped: s.dropped, p50LatencyMs: s.quantile(0.5), p99LatencyMs: s.quantile(0.99),
    }));
  }
}
