// The Lambda generator's contract (issue 28, DESIGN 5a): what the CLI, the Step Functions state
// machine (state-machine.ts) and the driver function (lambda-handler.ts) exchange, and where each
// object lives in the stack's bucket. Everything a run writes is under `runs/<run id>/`, the only
// prefix the driver may write to:
//   runs/<id>/items.json                 the Distributed Map's items (ItemReader, a JSON array of MapItem)
//   runs/<id>/stop.json                  written by the CLI when the run is stopped (stopKey)
//   runs/<id>/payload                    the payload, when it is too large to go inline in the specs
//   runs/<id>/shard-<i>/spec.json        shard i's ShardSpec (spec.ts), out: { kind: "s3", prefix: shard-<i>/ }
//   runs/<id>/shard-<i>/w<w>-p<k>.jsonl  records of window w, part k (0, 1, ...): each part a whole JSONL file
//   runs/<id>/shard-<i>/w<w>.clock.json  window w's ShardClock (skew.ts); window 0's gives the start skew
//   runs/<id>/shard-<i>/w<w>.end.json    window w's WindowEnd: what the driver did, written last
// A long run is cut into windows of at most WINDOW_MAX_MS: each is one driver invocation, so one
// Lambda invocation (at most 900 s) holds the lead, the window and the drain. A Map child runs one
// shard: it waits (a Standard Wait costs nothing) until its window's wakeAt, invokes the driver,
// and loops while the driver answers `done: false` with the next window's item.
import { z } from "zod";
import { runPrefix, shardPrefix } from "./spec";

/** Lambda's hard limit on one invocation. */
export const LAMBDA_MAX_MS = 900_000;
/** The longest window: 900 s less the lead and the drain the driver needs around it. */
export const WINDOW_MAX_MS = 840_000;
/** How long before its window a driver is woken (cold start, spec and payload read, connections). */
export const LEAD_MS = 30_000;
/** What the driver keeps back at the end of an invocation to write its last part, clock and end. */
export const WRITE_RESERVE_MS = 5_000;

/** The state machine's name (the manifest's names: src/manifest/generator.ts). */
export { stateMachineName } from "../manifest/generator";
/** The driver's environment variable naming the stack's bucket (set by components/generator.ts). */
export const DRIVER_BUCKET_ENV = "LAMBDA_BENCH_BUCKET";
/** Tags the CLI reads off the state machine to find the rest of the generator. */
export const GENERATOR_TAGS = {
  bucket: "lambda-bench:bucket",
  driver: "lambda-bench:driver",
  driverMemory: "lambda-bench:driver-memory",
  driverArchitecture: "lambda-bench:driver-architecture",
  windowSeconds: "lambda-bench:window-seconds",
  /** The manifest's generator.maxShards: the most shards a run may ask of this stack. */
  maxShards: "lambda-bench:max-shards",
  version: "lambda-bench:version",
} as const;

export const itemsKey = (runId: string) => `${runPrefix(runId)}items.json`;
/**
 * Written by the CLI when a run is stopped (Ctrl-C), before StopExecution: StopExecution ends the
 * Map's children but not a driver invocation already running, so a driver that sees this object
 * (HeadObject between sends, and before its window starts) stops sending, drains, and writes its
 * last part, clock and end at once. Its body is {"stoppedAtMs": epoch ms}.
 */
export const stopKey = (runId: string) => `${runPrefix(runId)}stop.json`;
export const payloadKey = (runId: string) => `${runPrefix(runId)}payload`;
export const specKey = (runId: string, shard: number) => `${shardPrefix(runId, shard)}spec.json`;
export const partKey = (runId: string, shard: number, window: number, part: number) => `${shardPrefix(runId, shard)}w${window}-p${part}.jsonl`;
export const clockKey = (runId: string, shard: number, window: number) => `${shardPrefix(runId, shard)}w${window}.clock.json`;
export const endKey = (runId: string, shard: number, window: number) => `${shardPrefix(runId, shard)}w${window}.end.json`;
/** Reads a key written by partKey/clockKey/endKey back: shard, window, and part or kind. */
export const OBJECT_KEY = /^runs\/([A-Za-z0-9_-]+)\/shard-(\d+)\/w(\d+)(?:-p(\d+)\.jsonl|\.(clock|end)\.json)$/;

/**
 * One Distributed Map item, and the input and output of each driver invocation: the driver answers
 * with the next window's item (`done: true` after the last). Small: a spec can be 256 KiB, an item
 * only names it.
 */
export const MapItem = z.object({
  runId: z.string(),
  shard: z.number().int().nonnegative(),
  /** The shard's spec in the stack's bucket (specKey). */
  specKey: z.string(),
  /** This window (0-based) and how many the run has; window w covers schedule times [w*windowMs, (w+1)*windowMs). */
  window: z.number().int().nonnegative(),
  windows: z.number().int().positive(),
  windowMs: z.number().int().positive().max(WINDOW_MAX_MS),
  /** When the child wakes the driver for this window: ISO 8601 (the Wait state's TimestampPath). */
  wakeAt: z.string(),
  /** True once every window has run: the child's Choice ends it. */
  done: z.boolean(),
}).strict();
export type MapItem = z.infer<typeof MapItem>;

/** Window w's start in epoch ms. */
export const windowStartMs = (startAtMs: number, windowMs: number, window: number) => startAtMs + window * windowMs;

/** The wake time of window w: LEAD_MS before it, as the Wait state reads it. */
export const wakeAtOf = (startAtMs: number, windowMs: number, window: number) =>
  new Date(windowStartMs(startAtMs, windowMs, window) - LEAD_MS).toISOString();

/** How many windows a schedule of `durationMs` needs (at least one). */
export const windowsFor = (durationMs: number, windowMs: number) => Math.max(1, Math.ceil(durationMs / windowMs));

/** The first item of each shard: window 0. */
export function firstItems(runId: string, shards: number, startAtMs: number, durationMs: number, windowMs: number): MapItem[] {
  const windows = windowsFor(durationMs, windowMs);
  return Array.from({ length: shards }, (_, shard) => ({
    runId, shard, specKey: specKey(runId, shard), window: 0, windows, windowMs,
    wakeAt: wakeAtOf(startAtMs, windowMs, 0), done: false,
  }));
}

/** The item that follows `item` (what the driver returns): the next window, or done. */
export function nextItem(item: MapItem, startAtMs: number): MapItem {
  const window = item.window + 1;
  return window >= item.windows
    ? { ...item, done: true }
    : { ...item, window, wakeAt: wakeAtOf(startAtMs, item.windowMs, window), done: false };
}

/** What a driver invocation did with its window (endKey), written after its last part. */
export const WindowEnd = z.object({
  shard: z.number().int().nonnegative(),
  window: z.number().int().nonnegative(),
  /** Record parts written (w<w>-p0 .. p<parts-1>). */
  parts: z.number().int().nonnegative(),
  /** Records written: sent calls and dropped ones. */
  records: z.number().int().nonnegative(),
  /** Set when the driver stopped early on an error no retry could fix, or ran out of time (one line). */
  fatal: z.string().optional(),
  /** True when the driver stopped sending because the run was stopped (stopKey appeared). */
  stopped: z.boolean().optional(),
  /** The driver's own version (package.json) and memory, for the provenance. */
  version: z.string(),
  memoryMb: z.number().int().positive(),
}).strict();
export type WindowEnd = z.infer<typeof WindowEnd>;
