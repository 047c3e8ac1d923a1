// Run files written for compare and report tests: records as `measure` writes them, durations
// seeded lognormal at 0.01 ms.
import * as fs from "node:fs";
import * as path from "node:path";
import type { InvocationRecordInput } from "../src/runs/record";
import { Rng } from "../src/rng";

export function record(benchmark: string, memoryMb: number, durationMs: number, i: number, repetition = 0): InvocationRecordInput {
  const cold = i === 0;
  return {
    benchmark, function: benchmark, region: "us-east-1", architecture: "arm64", configMemoryMb: memoryMb,
    requestId: `${benchmark}-${i}`, start: "2026-11-25T10:00:00.000Z", clientMs: durationMs + 20, status: 200,
    functionError: null, error: null, retries: 0, throttles: 0, forcedCold: cold, cold, durationMs,
    billedMs: Math.ceil(durationMs), memoryMb, maxMemoryMb: 70, initMs: cold ? 150 : null, restoreMs: null,
    reportStatus: null, errorType: null, costUsd: (Math.ceil(durationMs) / 1000) * (memoryMb / 1024) * 0.0000133334 + 2e-7, repetition,
  };
}

/** n calls, the first cold, durations lognormal around `median` (seeded). */
export function writeRun(file: string, benchmark: string, memoryMb: number, median: number, seed: number, n = 300): void {
  const rng = new Rng(seed);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, Array.from({ length: n }, (_, i) =>
    `${JSON.stringify(record(benchmark, memoryMb, Math.round(median * Math.exp(0.1 * rng.normal()) * 100) / 100, i))}\n`).join(""));
}

