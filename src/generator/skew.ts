// A shard's clock file and the start skew across shards (issue 28). Beside its records every shard
// writes `shard-<i>.clock.json` (spec.ts shardOutputs; a Lambda driver one per window, objects.ts clockKey):
// the spec's start, and its own wall clock (epoch ms) when it anchored its schedule, at its first
// send and at its last. Not `.meta.json`: readProvenance takes `<run>.meta.json` for a run's
// provenance. The times are each shard's host clock, so the skew includes the hosts' clock offset
// (NTP-synchronised hosts: about a millisecond) as well as how late each shard started.
import * as fs from "node:fs";
import { z } from "zod";
import { firstIssue } from "./spec";

export const ShardClock = z.object({
  shard: z.number().int().nonnegative(),
  /** The spec's start (epoch ms): time 0 of the schedule. */
  startAtMs: z.number().int().positive(),
  /** When the shard anchored its schedule (epoch ms): after the start barrier, or late. */
  startedMs: z.number().finite(),
  /** Its first and last send (epoch ms); null when it sent nothing (every call dropped). */
  firstSendMs: z.number().finite().nullable(),
  lastSendMs: z.number().finite().nullable(),
}).strict();
export type ShardClock = z.infer<typeof ShardClock>;

export interface StartSkew {
  shards: number;
  /** Latest minus earliest start across shards, and the same of their first and last sends. */
  startSkewMs: number;
  firstSendSkewMs: number | null;
  lastSendSkewMs: number | null;
  /** The shard that started latest after the spec's start, and by how much (0 if none was late). */
  latest: { shard: number; lateMs: number };
}

/** Reads a clock file; throws an Error `file: field: message` (one line). */
export function readShardClock(file: string): ShardClock {
  let value: unknown;
  try {
    value = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (err) {
    throw new Error(`${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  const parsed = ShardClock.safeParse(value);
  if (!parsed.success) throw new Error(`${file}: ${firstIssue(parsed.error)}`);
  return parsed.data;
}

export function writeShardClock(file: string, clock: ShardClock): void {
  fs.writeFileSync(file, `${JSON.stringify(ShardClock.parse(clock), null, 2)}\n`);
}

const spread = (xs: number[]) => (xs.length ? Math.max(...xs) - Math.min(...xs) : null);

/** The skew across shards' clocks (at least one). */
export function startSkew(clocks: readonly ShardClock[]): StartSkew {
  if (clocks.length === 0) throw new Error("no shard clocks to compare");
  let latest = { shard: clocks[0].shard, lateMs: -Infinity };
  for (const c of clocks) {
    const late = c.startedMs - c.startAtMs;
    if (late > latest.lateMs) latest = { shard: c.shard, lateMs: late };
  }
  const sends = (k: "firstSendMs" | "lastSendMs") => clocks.map((c) => c[k]).filter((x): x is number => x !== null);
  return {
    shards: clocks.length,
    startSkewMs: spread(clocks.map((c) => c.startedMs))!,
    firstSendSkewMs: spread(sends("firstSendMs")),
    lastSendSkewMs: spread(sends("lastSendMs")),
    latest: { shard: latest.shard, lateMs: Math.max(0, latest.lateMs) },
  };
}

const ms = (x: number) => `${Math.round(x * 100) / 100} ms`;

/** One line: how far apart the shards started and sent, and the latest shard's lateness. */
export function formatSkew(s: StartSkew): string {
  const sends = [
    s.firstSendSkewMs !== null ? `first sends ${ms(s.firstSendSkewMs)} apart` : null,
    s.lastSendSkewMs !== null ? `last sends ${ms(s.lastSendSkewMs)} apart` : null,
  ].filter(Boolean).join(", ");
  const late = s.latest.lateMs > 0 ? `shard ${s.latest.shard} started ${ms(s.latest.lateMs)} after the start` : "no shard started late";
  return `start skew ${ms(s.startSkewMs)} across ${s.shards} shards (${late})${sends ? `; ${sends}` : ""}`;
}
