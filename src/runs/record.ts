// One invocation's result, as written to a run's JSONL file (one object per line, DESIGN section 5).
// The schema is the single definition: every workload writes it, `report` and `compare` read it
// back with it. Fields added after the first release have defaults, so older run files still load:
// a record without `startKind` gets it from `cold`, one without `workload` was a closed loop.
import { z } from "zod";
import { START_KINDS } from "../aws/start-kind";
import { CLOSED_LOOP, Workload } from "../workload/workload";

/** How the environment that served a call was started (src/aws/start-kind.ts). */
export { START_KINDS } from "../aws/start-kind";
export const StartKind = z.enum(START_KINDS);
export type StartKind = z.infer<typeof StartKind>;

// Every record carries its workload's descriptor, defined with the shapes.
export { CLOSED_LOOP, Workload, WORKLOAD_SHAPES } from "../workload/workload";

const nullableNumber = z.number().nullable().default(null);

export const InvocationRecord = z.object({
  benchmark: z.string(),
  function: z.string(),
  region: z.string(),
  architecture: z.enum(["x86_64", "arm64"]),
  /** The version or alias invoked (`--qualifier`); null for the unqualified function ($LATEST). */
  qualifier: z.string().nullable().default(null),
  /**
   * The qualifier's allocated provisioned concurrency, read at the start of the run
   * (GetProvisionedConcurrencyConfig); null without one. The summary prices the environments with it.
   */
  provisionedConcurrency: z.number().int().nullable().default(null),
  /** The memory size configured when the invocation ran (a sweep changes it). */
  configMemoryMb: z.number().nullable(),
  requestId: z.string().nullable(),
  /** ISO time the (first attempt of the) invocation was sent; for a dropped call, when it was due. */
  start: z.string(),
  /** Client round trip of the attempt that produced the result, from process.hrtime. */
  clientMs: z.number(),
  /**
   * HTTP status of the final attempt; 0 when no response arrived; "dropped" when the call was
   * never sent because the workload's in-flight limit was reached at its scheduled time.
   */
  status: z.union([z.number().int(), z.literal("dropped")]),
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
  /**
   * cold: Init Duration present; restore: Restore Duration present (SnapStart); provisioned: the
   * qualifier has provisioned concurrency and the REPORT has no init; warm: anything else with a
   * REPORT. Null when there was no REPORT.
   */
  startKind: StartKind.nullable().optional(),
  durationMs: z.number().nullable(),
  billedMs: z.number().nullable(),
  memoryMb: z.number().nullable(),
  maxMemoryMb: z.number().nullable(),
  initMs: z.number().nullable(),
  restoreMs: z.number().nullable(),
  /** SnapStart's `Billed Restore Duration`, billed on top of Billed Duration. */
  billedRestoreMs: nullableNumber,
  /** REPORT `Status` (`timeout`, `error`) and `Error Type`, when present. */
  reportStatus: z.string().nullable(),
  errorType: z.string().nullable(),
  /** Billed cost in USD at the rate of the record's start kind; null without a REPORT. */
  costUsd: z.number().nullable(),

  // The workload (issue 13). Times are milliseconds from the monotonic clock, so they can be
  // subtracted exactly: for an open workload from its schedule's time zero in the record's own
  // repetition (a warm-up before it has negative times; issue 25), for the closed loop from the
  // start of its repetition's run.
  workload: Workload.default(CLOSED_LOOP),
  /** When the schedule meant the call to leave. A closed loop schedules a call when a slot frees. */
  scheduledAt: nullableNumber,
  /** When its first attempt left; null for a dropped call. */
  sentAt: nullableNumber,
  /** sentAt - scheduledAt: how late the sender was. */
  lagMs: nullableNumber,
  /**
   * Response minus scheduled time, all attempts and backoff included: what a caller on that
   * schedule waited (wrk2's correction for coordinated omission). Null for a dropped call.
   */
  latencyMs: nullableNumber,
  /** 0-based index of the burst the call belongs to (burst workloads). */
  burst: nullableNumber,
  /** Idle experiment: how long the function was left idle before this probe call. */
  idleMs: nullableNumber,

  // Runs and their repetitions (issues 14, 15).
  /** A warm-up call (`--warmup`): kept in the file, left out of every summary. */
  warmup: z.boolean().default(false),
  /** 0-based repetition of the workload (`--repeat`); compare resamples whole repetitions. */
  repetition: z.number().int().default(0),

  // Sharded runs (issue 28).
  /** The 0-based shard that sent the call in a sharded run (src/generator/); null for one process. */
  shard: z.number().int().nonnegative().nullable().default(null),
});

/** A record as every reader sees it: `startKind` always filled in. */
export type InvocationRecord = Omit<z.infer<typeof InvocationRecord>, "startKind"> & { startKind: StartKind | null };
/** A record as a writer may build it, before the defaults. */
export type InvocationRecordInput = z.input<typeof InvocationRecord>;

/** The start kind of an old record that has none: from `cold` and `restoreMs`. */
export function inferStartKind(r: { cold: boolean | null; restoreMs: number | null; startKind?: StartKind | null }): StartKind | null {
  if (r.startKind !== undefined) return r.startKind;
  if (r.cold === null) return null;
  if (r.cold) return "cold";
  return r.restoreMs !== null ? "restore" : "warm";
}

/** Parses one JSONL value into a record, or says why it is not one. */
export function parseRecord(value: unknown): { ok: true; record: InvocationRecord } | { ok: false; message: string } {
  const parsed = InvocationRecord.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, message: `${issue.path.join(".") || "the line"}: ${issue.message}` };
  }
  const d = parsed.data;
  return { ok: true, record: { ...d, startKind: inferStartKind(d) } };
}

/** True for a call the workload never sent (its in-flight limit was reached when it was due). */
export const isDropped = (r: Pick<InvocationRecord, "status">): boolean => r.status === "dropped";

/** A full record from a writer's fields, the defaults filled in (throws on a malformed one). */
export function completeRecord(input: InvocationRecordInput): InvocationRecord {
  const d = InvocationRecord.parse(input);
  return { ...d, startKind: inferStartKind(d) };
}
