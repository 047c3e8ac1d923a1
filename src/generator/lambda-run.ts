// A Lambda generator run on AWS (issue 28), the calls the CLI makes in order: upload the payload
// (when too large to go inline), the shard specs, then the Map's items (objects.ts); start the
// execution (named by the run id); watch it (DescribeExecution, and the shards' states from
// ListMapRuns + DescribeMapRun's itemCounts, never from ResultWriter); stop it on a signal; then
// list what the drivers wrote under runs/<id>/ and bring each shard's parts down into one local
// file per shard, in (window, part) order, with window 0's clock and every window's end.
import * as fs from "node:fs";
import * as path from "node:path";
import { DescribeExecutionCommand, DescribeMapRunCommand, ListMapRunsCommand, StartExecutionCommand, StopExecutionCommand } from "@aws-sdk/client-sfn";
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from "@aws-sdk/client-s3";
import type { GeneratorClients } from "./lambda-find";
import { itemsKey, OBJECT_KEY, stopKey, WindowEnd, type MapItem } from "./objects";
import { runPrefix, type ShardSpec } from "./spec";
import type { ShardFiles } from "./merge";
import type { ExecutionInput } from "./state-machine";

/** The cause StopExecution records. */
export const STOP_CAUSE = "interrupted by lambda-bench";
/** How often the execution and its Map run are read while they run. */
export const POLL_MS = 2000;

/** S3 requests the CLI made (for the generator's cost). */
export interface Requests { put: number; get: number; list: number }

/** One PutObject, counted. */
async function putObject(c: GeneratorClients, bucket: string, Key: string, body: string | Uint8Array, requests: Requests): Promise<void> {
  // A length given: the SDK warns of "a Stream of unknown length" on stderr without one.
  const bytes = typeof body === "string" ? Buffer.from(body) : body;
  await c.s3.send(new PutObjectCommand({ Bucket: bucket, Key, Body: bytes, ContentLength: bytes.byteLength }));
  requests.put++;
}

/** Every object the drivers wrote under runs/<id>/ (objects.ts OBJECT_KEY), page by page, each listing counted. */
async function* runObjects(c: GeneratorClients, bucket: string, runId: string, requests: Requests): AsyncGenerator<{ key: string; m: RegExpExecArray }> {
  let token: string | undefined;
  do {
    const page = await c.s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: runPrefix(runId), ContinuationToken: token }));
    requests.list++;
    for (const o of page.Contents ?? []) {
      const m = OBJECT_KEY.exec(o.Key ?? "");
      if (m && m[1] === runId) yield { key: o.Key!, m };
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
}

/** Uploads the payload (if given), the specs, then the items; the items last, so a Map that reads them finds every spec. */
export async function uploadRun(c: GeneratorClients, bucket: string, specs: readonly ShardSpec[], items: readonly MapItem[],
  payload: { key: string; bytes: Uint8Array } | undefined, requests: Requests): Promise<void> {
  const put = (key: string, body: string | Uint8Array) => putObject(c, bucket, key, body, requests);
  if (payload) await put(payload.key, payload.bytes);
  for (const spec of specs) await put(items[spec.shard].specKey, JSON.stringify(spec));
  await put(itemsKey(specs[0].runId), JSON.stringify(items));
}

/** Starts the execution named by the run id; resolves with its ARN. */
export async function startRun(c: GeneratorClients, stateMachineArn: string, runId: string): Promise<string> {
  const input: ExecutionInput = { itemsKey: itemsKey(runId) };
  const out = await c.sfn.send(new StartExecutionCommand({ stateMachineArn, name: runId, input: JSON.stringify(input) }));
  return out.executionArn!;
}

/** Stops a run: the stop object first (for drivers already running), then the execution. */
export async function stopRun(c: GeneratorClients, bucket: string, runId: string, executionArn: string, requests: Requests, now = Date.now()): Promise<void> {
  await putObject(c, bucket, stopKey(runId), JSON.stringify({ stoppedAtMs: now }), requests);
  await c.sfn.send(new StopExecutionCommand({ executionArn, cause: STOP_CAUSE }));
}

/**
 * After a stop: waits (polling the run's prefix) until every shard has written window `window`'s
 * end, or until `deadlineMs`, or `signal`; resolves with how many ends are missing.
 */
export async function awaitEnds(c: GeneratorClients, bucket: string, runId: string, window: number, shards: number,
  o: { deadlineMs: number; signal?: AbortSignal; now?: () => number; pollMs?: number; requests: Requests }): Promise<number> {
  const now = o.now ?? Date.now;
  const signal = o.signal ?? new AbortController().signal;
  for (;;) {
    const ends = new Set<number>();
    for await (const { m } of runObjects(c, bucket, runId, o.requests)) if (m[5] === "end" && Number(m[3]) === window) ends.add(Number(m[2]));
    const missing = shards - ends.size;
    if (missing <= 0 || now() >= o.deadlineMs || signal.aborted) return Math.max(0, missing);
    await sleep(Math.min(o.pollMs ?? POLL_MS, Math.max(0, o.deadlineMs - now())), signal);
  }
}

/** The shards' states: before the start, a running child is still waiting for its window. */
export interface ShardCounts { waiting: number; running: number; done: number; failed: number }

export const formatCounts = (n: ShardCounts) =>
  `shards: ${n.waiting} waiting, ${n.running} running, ${n.done} done, ${n.failed} failed`;

/** The Map run's item counts as shard states; null before the Map run exists. */
export async function shardCounts(c: GeneratorClients, executionArn: string, shards: number, beforeStart: boolean): Promise<ShardCounts | null> {
  const runs = await c.sfn.send(new ListMapRunsCommand({ executionArn }));
  const arn = runs.mapRuns?.[0]?.mapRunArn;
  if (!arn) return null;
  const run = await c.sfn.send(new DescribeMapRunCommand({ mapRunArn: arn }));
  const k = run.itemCounts;
  if (!k) return null;
  const failed = (k.failed ?? 0) + (k.timedOut ?? 0) + (k.aborted ?? 0);
  const active = (k.running ?? 0) + (k.pending ?? 0);
  // Items not yet read count as waiting: every shard is named from the start.
  const unseen = Math.max(0, shards - (k.total ?? 0));
  return beforeStart
    ? { waiting: active + unseen, running: 0, done: k.succeeded ?? 0, failed }
    : { waiting: (k.pending ?? 0) + unseen, running: k.running ?? 0, done: k.succeeded ?? 0, failed };
}

export interface WatchOptions {
  signal: AbortSignal;
  startAtMs: number;
  shards: number;
  onCounts?: (n: ShardCounts) => void;
  now?: () => number;
  pollMs?: number;
}

/** Waits for the execution to end: its status (SUCCEEDED, FAILED, ...) with its error and cause, or "STOPPING" on a signal. */
export async function watchRun(c: GeneratorClients, executionArn: string, o: WatchOptions): Promise<{ status: string; detail?: string }> {
  const now = o.now ?? Date.now;
  for (;;) {
    if (o.signal.aborted) return { status: "STOPPING" };
    const ex = await c.sfn.send(new DescribeExecutionCommand({ executionArn }));
    if (o.onCounts) {
      const counts = await shardCounts(c, executionArn, o.shards, now() < o.startAtMs).catch(() => null);
      if (counts) o.onCounts(counts);
    }
    if (ex.status !== "RUNNING") {
      const detail = [ex.error, ex.cause].filter(Boolean).join(": ").split("\n")[0];
      return { status: ex.status ?? "UNKNOWN", ...(detail ? { detail } : {}) };
    }
    await sleep(o.pollMs ?? POLL_MS, o.signal);
  }
}

const sleep = (ms: number, signal: AbortSignal) => new Promise<void>((resolve) => {
  const t = setTimeout(done, ms);
  function done() {
    clearTimeout(t);
    signal.removeEventListener("abort", done);
    resolve();
  }
  signal.addEventListener("abort", done, { once: true });
});

/** What the drivers left under runs/<id>/, brought down. */
export interface Collected {
  /** One per shard that wrote records (its parts concatenated), with window 0's clock when written. */
  files: ShardFiles[];
  /** Every window's end the drivers wrote. */
  ends: WindowEnd[];
  /** Objects the drivers wrote (parts, clocks, ends). */
  objects: number;
}

interface Found { window: number; part: number; key: string }

/** Lists runs/<id>/ and writes shard-<i>.jsonl (and shard-<i>.clock.json) into `dir`. */
export async function collectRun(c: GeneratorClients, bucket: string, runId: string, dir: string, requests: Requests): Promise<Collected> {
  const parts = new Map<number, Found[]>();
  const clocks = new Map<number, string>();
  const endKeys: string[] = [];
  let objects = 0;
  for await (const { key, m } of runObjects(c, bucket, runId, requests)) {
    objects++;
    const [shard, window] = [Number(m[2]), Number(m[3])];
    if (m[4] !== undefined) {
      if (!parts.has(shard)) parts.set(shard, []);
      parts.get(shard)!.push({ window, part: Number(m[4]), key });
    }
    else if (m[5] === "clock" && window === 0) clocks.set(shard, key);
    else if (m[5] === "end") endKeys.push(key);
  }
  const get = async (Key: string): Promise<string> => {
    const out = await c.s3.send(new GetObjectCommand({ Bucket: bucket, Key }));
    requests.get++;
    return out.Body!.transformToString();
  };
  const files: ShardFiles[] = [];
  for (const shard of [...parts.keys()].sort((a, b) => a - b)) {
    const records = path.join(dir, `shard-${shard}.jsonl`);
    const fd = fs.openSync(records, "w");
    try {
      for (const p of parts.get(shard)!.sort((a, b) => a.window - b.window || a.part - b.part)) {
        const text = await get(p.key);
        fs.writeSync(fd, text.length && !text.endsWith("\n") ? `${text}\n` : text);
      }
    } finally {
      fs.closeSync(fd);
    }
    const clockKey = clocks.get(shard);
    let clock: string | undefined;
    if (clockKey) {
      clock = path.join(dir, `shard-${shard}.clock.json`);
      fs.writeFileSync(clock, await get(clockKey));
    }
    files.push({ shard, records, ...(clock ? { clock } : {}) });
  }
  const ends: WindowEnd[] = [];
  for (const key of endKeys) {
    let value: unknown;
    try {
      value = JSON.parse(await get(key));
    } catch {
      continue; // a window's end cut short says nothing; its parts are still merged
    }
    const parsed = WindowEnd.safeParse(value);
    if (parsed.success) ends.push(parsed.data);
  }
  ends.sort((a, b) => a.shard - b.shard || a.window - b.window);
  return { files, ends, objects };
}
