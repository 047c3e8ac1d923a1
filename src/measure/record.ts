// One invocation's result, as written to a run's JSONL file (one object per line, DESIGN section 5).
// The schema is the single definition: `measure` writes it, `report` reads it back with it.
import { z } from "zod";

export const InvocationRecord = z.object({
  benchmark: z.string(),
  function: z.string(),
  region: z.string(),
  architecture: z.enum(["x86_64", "arm64"]),
  /** The memory size configured when the invocation ran (a sweep changes it). */
  configMemoryMb: z.number().nullable(),
  requestId: z.string().nullable(),
  /** ISO time the (first attempt of the) invocation was sent. */
  start: z.string(),
  /** Client round trip of the attempt that produced the result, from process.hrtime. */
  clientMs: z.number(),
  /** HTTP status of the final attempt; 0 when no response arrived. */
  status: z.number().int(),
  /** X-Amz-Function-Error (`Unhandled`, ...) when the function failed; the run goes on. */
  functionError: z.string().nullable(),
  /** The error type or message when no successful Invoke response was obtained. */
  error: z.string().nullable(),
  /** Attempts that were retried, and how many of them were throttled (429). */
  retries: z.number().int(),
  throttles: z.number().int(),
  /** True when `--cold` forced a new execution environment before this invocation. */
  forcedCold: z.boolean(),
  /** From the REPORT record: Init Duration present. Null when there was no REPORT. */
  cold: z.boolean().nullable(),
  durationMs: z.number().nullable(),
  billedMs: z.number().nullable(),
  memoryMb: z.number().nullable(),
  maxMemoryMb: z.number().nullable(),
  initMs: z.number().nullable(),
  restoreMs: z.number().nullable(),
  /** REPORT `Status` (`timeout`, `error`) and `Error Type`, when present. */
  reportStatus: z.string().nullable(),
  errorType: z.string().nullable(),
  /** Billed cost in USD; null without a REPORT. */
  costUsd: z.number().nullable(),
});
export type InvocationRecord = z.infer<typeof InvocationRecord>;
