// Per-second figures of an open workload for the report's time charts: calls sent, cold starts,
// and latency quantiles from an HDR histogram a second (hdr-histogram-js, as Metric uses: packed
// counts at 2 significant digits, so a second costs what its distinct latencies do, and an hour at
// 10,000 calls a second still costs a few MB, not a record each).
import * as hdr from "hdr-histogram-js";
import { quantileRank } from "../stats/rank";

/** Latencies are recorded in whole µs, up to an hour. */
const SCALE = 1000;
const HIGHEST_US = 3_600_000_000;

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
  private hist: hdr.JsHistogram | undefined;

  record(latencyMs: number): void {
    this.hist ??= hdr.build({ bitBucketSize: "packed", numberOfSignificantValueDigits: 2, highestTrackableValue: HIGHEST_US }) as hdr.JsHistogram;
    this.hist.recordValue(Math.min(HIGHEST_US, Math.max(0, Math.round(latencyMs * SCALE))));
    this.n++;
  }

  /** The nearest-rank q-quantile (rank in integers), as the lowest value of its histogram bucket, in ms. */
  quantile(q: number): number | null {
    if (this.n === 0 || !this.hist) return null;
    const rank = quantileRank(q, this.n);
    let seen = 0;
    let index = -1;
    while (seen < rank) seen += this.hist.getCountAtIndex(++index);
    const us = Math.min(this.hist.maxValue, this.hist.valueFromIndex(index));
    return Number((us / SCALE).toFixed(3));
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
    if (latencyMs !== null) s.record(latencyMs);
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
