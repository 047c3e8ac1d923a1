// compare's memory and time on large runs: 10 million samples (5 million a side, 10 repetitions
// each) through the same sampler `compare` fills from run files, then the comparison itself (p50
// and p99, 10,000 cluster-bootstrap resamples each). Each case runs in a fresh process so its peak
// RSS is its own. A third case times the JSONL path (parse + schema + sampler) on 200,000 lines.
//   node dist/bench/compare.js            (BENCH_SAMPLES, BENCH_LINES to scale)
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { compareMetric } from "../src/compare/compare";
import { RunSampler } from "../src/compare/metrics";
import { loadSide } from "../src/compare/run";
import { completeRecord } from "../src/runs/record";
import { Rng } from "../src/rng";
import { verdict } from "./verdict";

const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 10_000_000);
const LINES = Number(process.env.BENCH_LINES ?? 200_000);
const REPETITIONS = 10;

const base = completeRecord({
  benchmark: "aes", function: "aes", region: "us-east-1", architecture: "arm64", configMemoryMb: 1024, requestId: null,
  start: "2026-11-25T00:00:00.000Z", clientMs: 0, status: 200, functionError: null, error: null, retries: 0, throttles: 0,
  forcedCold: false, cold: false, durationMs: 0, billedMs: 0, memoryMb: 1024, maxMemoryMb: 60, initMs: null, restoreMs: null,
  reportStatus: null, errorType: null, costUsd: 1e-6,
});

/** A side of n records' durations, lognormal around `median`, through compare's sampler. */
function side(n: number, median: number, seed: number) {
  const rng = new Rng(seed);
  const sampler = new RunSampler(["duration"]);
  const r = { ...base };
  for (let i = 0; i < n; i++) {
    r.repetition = i % REPETITIONS;
    r.durationMs = Math.round(median * Math.exp(0.3 * rng.normal()) * 100) / 100;
    sampler.add(r);
  }
  return sampler.build().get("duration")!;
}

function child(kind: string): void {
  const t0 = process.hrtime.bigint();
  let result: string;
  if (kind === "samples") {
    const a = side(SAMPLES / 2, 100, 1);
    const b = side(SAMPLES / 2, 103, 2);
    const t1 = process.hrtime.bigint();
    const c = compareMetric("duration", { label: "A", sample: a }, { label: "B", sample: b });
    const t2 = process.hrtime.bigint();
    result = JSON.stringify({ fillS: Number(t1 - t0) / 1e9, compareS: Number(t2 - t1) / 1e9, text: c.text, method: c.method });
  } else {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-compare-"));
    const file = path.join(dir, "run.jsonl");
    const rng = new Rng(3);
    const fd = fs.openSync(file, "w");
    for (let i = 0; i < LINES; i += 10_000) {
      let chunk = "";
      for (let j = i; j < Math.min(LINES, i + 10_000); j++) chunk += `${JSON.stringify({ ...base, durationMs: Math.round(100 * Math.exp(0.3 * rng.normal())) / 100 })}\n`;
      fs.writeSync(fd, chunk);
    }
    fs.closeSync(fd);
    const t1 = process.hrtime.bigint();
    void loadSide(file, ["duration"]).then(() => {
      const t2 = process.hrtime.bigint();
      fs.rmSync(dir, { recursive: true });
      process.stdout.write(JSON.stringify({ loadS: Number(t2 - t1) / 1e9, writeS: Number(t1 - t0) / 1e9, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
    });
    return;
  }
  process.stdout.write(JSON.stringify({ ...JSON.parse(result), maxRssMb: process.resourceUsage().maxRSS / 1024 }));
}

function run(kind: string): Record<string, number | string> {
  const r = spawnSync(process.execPath, [__filename, kind], { encoding: "utf8", maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`${kind} failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

if (process.argv[2]) {
  child(process.argv[2]);
} else {
  const s = run("samples");
  console.log(`${SAMPLES.toLocaleString("en")} samples (${REPETITIONS} repetitions a side): filled in ${(+s.fillS).toFixed(1)} s, ` +
    `compared (p50 and p99, ${s.method}) in ${(+s.compareS).toFixed(1)} s: ${s.text}`);
  console.log(verdict(`peak RSS for ${SAMPLES.toLocaleString("en")} samples`, +s.maxRssMb, 300, { unit: " MB", digits: 0 }));
  const l = run("lines");
  console.log(`JSONL: ${LINES.toLocaleString("en")} lines read into samples in ${(+l.loadS).toFixed(1)} s ` +
    `(${Math.round(LINES / +l.loadS).toLocaleString("en")} lines/s), peak RSS ${(+l.maxRssMb).toFixed(0)} MB`);
}
