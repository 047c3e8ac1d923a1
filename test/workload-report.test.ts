// The workload's summary and report charts from saved records: per-second rate, latency and cold
// marks for an open run; per-burst latencies and cold counts for a burst run; old records unchanged.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { blank, type Target } from "../src/measure/invoke";
import { pricesFor } from "../src/aws/pricing";
import type { InvocationRecord, Workload } from "../src/runs/record";
import { formatSummary, RunSummary } from "../src/summary/summary";
import { loadRuns } from "../src/summary/saved-runs";
import { burstSpec, timeSeriesSpec } from "../src/report/charts-workload";
import { reportHtml } from "../src/report/html";
import { renderSvg } from "../src/report/charts";
import { Rng } from "../src/rng";
import { nearestRank } from "./percentile";

const target: Target = { benchmark: "b", functionName: "f", region: "us-east-1", architecture: "arm64", memoryMb: 128, ephemeralMb: 512, prices: pricesFor("us-east-1").prices };

function rec(workload: Workload, scheduledAt: number, latencyMs: number, opts: { cold?: boolean; burst?: number; dropped?: boolean; lag?: number } = {}): InvocationRecord {
  const r = blank(target, new Date(1_700_000_000_000 + scheduledAt).toISOString());
  Object.assign(r, { workload, scheduledAt, burst: opts.burst ?? null });
  if (opts.dropped) return Object.assign(r, { status: "dropped" as const });
  const lag = opts.lag ?? 0.1;
  return Object.assign(r, {
    status: 200, sentAt: scheduledAt + lag, lagMs: lag, latencyMs, clientMs: latencyMs - lag, cold: !!opts.cold, startKind: opts.cold ? "cold" : "warm",
    durationMs: 1, billedMs: 1, memoryMb: 128, maxMemoryMb: 40, initMs: opts.cold ? 100 : null,
  });
}

describe("workload summary and report", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lb-wlr-"));
  const write = (name: string, records: InvocationRecord[]) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, records.map((r) => JSON.stringify(r)).join("\n") + "\n");
    return file;
  };

  it("an open run: rates, drops, lag and per-second figures from its records", async () => {
    const w: Workload = { shape: "open", rate: 20, arrivals: "uniform" };
    const rng = new Rng(4);
    const records: InvocationRecord[] = [];
    // Second 0: 10 sent; second 1: 20 sent, 3 cold, 2 dropped; second 2: 5 sent.
    for (let i = 0; i < 10; i++) records.push(rec(w, 1000 + i * 100, 10 + rng.next() * 5));
    for (let i = 0; i < 22; i++) records.push(rec(w, 2000 + i * 45, 20 + rng.next() * 50, { cold: i < 3, dropped: i >= 20, lag: i / 10 }));
    for (let i = 0; i < 5; i++) records.push(rec(w, 3000 + i * 150, 5));
    const file = write("open.jsonl", records);
    const { runs } = await loadRuns([file]);
    const s = runs[0].summary.toJson();
    assert.equal(s.invocations, 35);
    assert.equal(s.dropped, 2);
    assert.equal(s.workload!.scheduled, 37);
    assert.equal(s.workload!.dropped, 2);
    const sent = records.filter((r) => r.status !== "dropped");
    assert.equal(s.workload!.lagMs.max, Math.max(...sent.map((r) => r.lagMs!)));
    assert.equal(s.workload!.lagMs.p99, nearestRank(sent.map((r) => r.lagMs!), 99));
    // 35 sends from 1000.1 ms to 3600.1 ms: 34 gaps in 2.6 s, 13.077 calls a second, to 0.001 as
    // --json prints it (no float tail); the schedule's 37 calls from 1000 to 3600 ms: 13.846/s.
    assert.equal(s.workload!.achievedRate, 13.077);
    assert.equal(s.workload!.targetRate, 13.846);
    assert.match(JSON.stringify(s.workload), /"achievedRate":\d+(\.\d{1,3})?,/);
    const text = formatSummary(s);
    assert.match(text, /^scheduled 37 {2}dropped 2/m);
    assert.match(text, /^latency ms +35 /m);

    const spec = timeSeriesSpec(runs[0]) as unknown as { vconcat: { layer?: { data: { values: Record<string, unknown>[] } }[]; data?: { values: Record<string, unknown>[] } }[] };
    const rate = spec.vconcat[1].data!.values;
    assert.deepEqual(rate.filter((v) => v.series === "achieved (sent)").map((v) => [v.second, v.perSecond]), [[1, 10], [2, 20], [3, 5]]);
    assert.deepEqual(rate.filter((v) => v.series === "scheduled").map((v) => v.perSecond), [10, 22, 5]);
    const cold = spec.vconcat[0].layer![1].data.values;
    assert.deepEqual(cold.map((v) => [v.second, v.cold]), [[2, 3]]);
    const p50s = spec.vconcat[0].layer![0].data.values.filter((v) => v.stat === "p50");
    // Per-second quantiles come from 5% buckets: within 2.5% of the exact nearest rank.
    const exact = nearestRank(records.slice(10, 30).map((r) => r.latencyMs!), 50);
    assert.ok(Math.abs((p50s[1].ms as number) - exact) / exact < 0.026, `${p50s[1].ms} vs ${exact}`);
    const svg = await renderSvg(timeSeriesSpec(runs[0]));
    assert.match(svg, /^<svg/);
    // Every line is drawn with a colour: the rate panel's series (achieved, scheduled) have a colour
    // scale of their own; under the latency panel's domain (p50, p99, cold starts) they would be
    // unmapped, drawn without a stroke, and so invisible.
    const lines = svg.split('class="mark-line role-mark').slice(1).map((g) => /<path[^>]*>/.exec(g)![0]);
    assert.equal(lines.length, 4, "p50, p99, achieved, scheduled");
    for (const l of lines) assert.match(l, /stroke="#[0-9a-f]{6}"/, l);
    for (const series of ["achieved (sent)", "scheduled", "p50", "p99"]) assert.ok(svg.includes(`>${series}</text>`), `legend entry ${series}`);
  });

  it("a steady open run's rates are the rate it was built with; its CDF is of latency from the scheduled time", async () => {
    const w: Workload = { shape: "open", rate: 20, arrivals: "uniform" };
    // 41 calls every 50 ms, each sent 0.3 ms late: 20 a second, scheduled and sent.
    const records = Array.from({ length: 41 }, (_, i) => rec(w, i * 50, 30 + (i % 7), { lag: 0.3 }));
    const { runs } = await loadRuns([write("steady.jsonl", records)]);
    const s = runs[0].summary.toJson();
    assert.equal(s.workload!.targetRate, 20);
    assert.equal(s.workload!.achievedRate, 20);
    const { cdfSpec } = await import("../src/report/charts");
    const values = (cdfSpec(runs) as unknown as { data: { values: { metric: string; ms: number; fraction: number }[] } }).data.values;
    assert.deepEqual([...new Set(values.map((v) => v.metric))], ["latency", "duration"]);
    // latencyMs runs 30..36 ms (clientMs 0.3 ms less): the CDF's top is the latency's max.
    assert.equal(Math.max(...values.filter((v) => v.metric === "latency").map((v) => v.ms)), 36);
  });

  it("a burst run: each burst's cold starts and latency tail, charted", async () => {
    const w: Workload = { shape: "burst", burst: 5, bursts: 3, every: "1s" };
    const lat = [[100, 110, 120, 130, 140], [10, 11, 12, 13, 50], [90, 10, 10, 10, 10]];
    const records = lat.flatMap((ls, b) => ls.map((ms, i) => rec(w, b * 1000, ms, { burst: b, cold: ms >= 90 && i < 5 })));
    const { runs } = await loadRuns([write("burst.jsonl", records)]);
    const s = runs[0].summary.toJson();
    assert.deepEqual(s.workload!.bursts.map((b) => [b.burst, b.n, b.cold, b.p50LatencyMs, b.p99LatencyMs]),
      lat.map((ls, b) => [b, 5, ls.filter((x) => x >= 90).length, nearestRank(ls, 50), nearestRank(ls, 99)]));
    assert.match(formatSummary(s), /^ {4}1 {4}5 {5}0 {8}12\.00 {8}50\.00$/m);
    const spec = burstSpec(runs[0]) as unknown as { vconcat: { data: { values: Record<string, number>[] } }[] };
    assert.equal(spec.vconcat[0].data.values.length, 15);
    assert.deepEqual(spec.vconcat[1].data.values.map((v) => v.cold), [5, 0, 1]);
    const html = await reportHtml(runs, []);
    assert.match(html, /<figure data-chart="workload-bursts-0"><svg/);
  });

  it("a closed-loop run's text summary is as before: no workload lines", () => {
    const s = new RunSummary();
    for (let i = 0; i < 10; i++) s.add({ ...rec({ shape: "closed", n: 10, c: 1 }, i * 10, 10), lagMs: 0 });
    const text = formatSummary(s.toJson());
    assert.doesNotMatch(text, /workload|scheduled|lag ms|latencyMs/);
  });
});
