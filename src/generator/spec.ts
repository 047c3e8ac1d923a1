// A shard spec (issue 28, DESIGN 5a): the small JSON document that tells one shard of a sharded run
// everything it needs, and nothing that lets it reach elsewhere: the run id, its index and the
// shard count, the workload (the descriptor every record carries, and the parameters that rebuild
// the exact schedule: src/workload/segments.ts) and its seed, the target function by name or ARN
// (never a URL: a spec cannot point a driver at another host), the payload inline or by S3 key
// under the run's prefix, the absolute start in epoch ms, the in-flight limit, and where to write.
// The same document drives a local worker process and a Lambda driver (a Distributed Map item).
import { isDeepStrictEqual } from "node:util";
import { z } from "zod";
import { Workload } from "../workload/workload";
import { checkShard, MAX_SHARDS, shardSchedule, type ShardSchedule, type WorkloadPlan } from "../workload/segments";
import { descriptorOf, paramsOf, planOf, ScheduleParams } from "./plan";
import { FUNCTION_NAME } from "../manifest/schema";

export const SPEC_VERSION = 1;
/** A run id: it names an S3 prefix and local files, so letters, digits, - and _ only. */
export const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
/** A Lambda function ARN without a qualifier (the qualifier is its own field). */
export const FUNCTION_ARN = /^arn:aws[a-z-]*:lambda:[a-z]{2}(-gov)?-[a-z]+-\d:\d{12}:function:[A-Za-z0-9_-]{1,64}$/;
/** Invoke's Qualifier: $LATEST, a version number or an alias. */
export const QUALIFIER = /^(\$LATEST|[A-Za-z0-9_-]{1,128})$/;
/** A payload larger than this goes to S3 and the spec names its key. */
export const PAYLOAD_INLINE_MAX = 64 * 1024;
/** Step Functions' 256 KiB payload limit: each spec is a Distributed Map item, a child's input. */
export const SPEC_MAX_BYTES = 256 * 1024;
/** Every object a run writes to S3 is under this prefix (the driver may write nowhere else). */
export const runPrefix = (runId: string) => `runs/${runId}/`;
export const shardPrefix = (runId: string, shard: number) => `${runPrefix(runId)}shard-${shard}/`;

const FunctionRef = z.string().superRefine((f, ctx) => {
  if (!FUNCTION_NAME.test(f) && !FUNCTION_ARN.test(f)) {
    ctx.addIssue({ code: "custom", message: `${JSON.stringify(f)} is not a Lambda function name or ARN (1 to 64 letters, digits, - or _; names only, never URLs)` });
  }
});

export const ShardSpec = z.object({
  version: z.literal(SPEC_VERSION),
  runId: z.string().regex(RUN_ID, "a run id is 1 to 64 letters, digits, - or _, starting with a letter or digit"),
  shard: z.number().int().nonnegative(),
  shards: z.number().int().min(1).max(MAX_SHARDS, `at most ${MAX_SHARDS} shards (Distributed Map's parallel children)`),
  /** The descriptor every record of the run carries (the one-process workload, not the shard's). */
  workload: Workload,
  schedule: ScheduleParams,
  seed: z.number().int().min(0).max(2 ** 32 - 1),
  target: z.object({ function: FunctionRef, qualifier: z.string().regex(QUALIFIER, "$LATEST, a version or an alias").nullable() }).strict(),
  /** The benchmark's name in the manifest, written on every record (the function's deployed name may carry a namePrefix). */
  benchmark: z.string().min(1).max(256).optional(),
  payload: z.union([
    z.object({ base64: z.string().regex(/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/, "not base64") }).strict(),
    z.object({ s3Key: z.string().min(1) }).strict(),
  ]),
  /** When the schedule's time 0 is, in epoch ms: every shard sleeps until then. */
  startAtMs: z.number().int().positive(),
  maxInFlight: z.number().int().positive(),
  out: z.discriminatedUnion("kind", [
    z.object({ kind: z.literal("local"), dir: z.string().min(1) }).strict(),
    z.object({ kind: z.literal("s3"), prefix: z.string() }).strict(),
  ]),
}).strict().superRefine((s, ctx) => {
  const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: "custom", path, message });
  if (s.shard >= s.shards) issue(["shard"], `${s.shard} is out of range: shards are 0 to ${s.shards - 1}`);
  if (s.out.kind === "s3" && s.out.prefix !== shardPrefix(s.runId, s.shard)) {
    issue(["out", "prefix"], `must be ${shardPrefix(s.runId, s.shard)}; got ${JSON.stringify(s.out.prefix)}`);
  }
  if ("s3Key" in s.payload && (!s.payload.s3Key.startsWith(runPrefix(s.runId)) || s.payload.s3Key.includes(".."))) {
    issue(["payload", "s3Key"], `must be under ${runPrefix(s.runId)}; got ${JSON.stringify(s.payload.s3Key)}`);
  }
  if ("base64" in s.payload && Buffer.byteLength(s.payload.base64, "base64") > PAYLOAD_INLINE_MAX) {
    issue(["payload", "base64"], `${Buffer.byteLength(s.payload.base64, "base64")} bytes; inline payloads are at most ${PAYLOAD_INLINE_MAX}: put it in S3 under ${runPrefix(s.runId)} and give its s3Key`);
  }
});
export type ShardSpec = z.infer<typeof ShardSpec>;

/** A spec that cannot be used: the message is one line naming the field. */
export class ShardSpecError extends Error {}

/** The first problem of a zod result as `field.path: message`. */
export function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  return `${issue.path.join(".") || "the spec"}: ${issue.message}`;
}

/** Parses a spec's JSON text; throws a ShardSpecError `source: field: message`. */
export function parseShardSpec(text: string, source = "shard spec"): ShardSpec {
  const bytes = Buffer.byteLength(text);
  if (bytes > SPEC_MAX_BYTES) throw new ShardSpecError(`${source}: ${bytes} bytes; a shard spec is at most ${SPEC_MAX_BYTES} (Step Functions' item limit)`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new ShardSpecError(`${source}: not JSON (${(err as Error).message})`);
  }
  return checkShardSpec(value, source);
}

/** Checks a parsed value as a spec (schema, then that its descriptor is the schedule's). */
export function checkShardSpec(value: unknown, source = "shard spec"): ShardSpec {
  const parsed = ShardSpec.safeParse(value);
  if (!parsed.success) throw new ShardSpecError(`${source}: ${firstIssue(parsed.error)}`);
  const spec = parsed.data;
  let expected: Workload;
  try {
    expected = descriptorOf(planOf(spec.schedule, spec.seed));
  } catch (err) {
    throw new ShardSpecError(`${source}: schedule: ${(err as Error).message}`);
  }
  if (!isDeepStrictEqual(sortKeys(spec.workload), sortKeys(expected))) {
    throw new ShardSpecError(`${source}: workload: ${JSON.stringify(spec.workload)} is not the schedule's descriptor ${JSON.stringify(expected)}`);
  }
  return spec;
}

const sortKeys = (w: Workload) => Object.fromEntries(Object.entries(w).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/** This shard's schedule: its stripe of the global one, at the global times (ms from startAtMs). */
export function shardScheduleOf(spec: ShardSpec): ShardSchedule {
  return shardSchedule(planOf(spec.schedule, spec.seed), spec.shard, spec.shards);
}

/** What every shard of a run shares. */
export interface SpecCommon {
  runId: string;
  target: { function: string; qualifier: string | null };
  /** The benchmark's manifest name, for the records. */
  benchmark?: string;
  /** The payload's bytes (inline, up to PAYLOAD_INLINE_MAX), or the S3 key it was put at. */
  payload: { bytes: Uint8Array } | { s3Key: string };
  startAtMs: number;
  maxInFlight: number;
  /** A local folder (each shard writes shard-<i>.jsonl there), or S3 (runs/<run id>/shard-<i>/). */
  out: { kind: "local"; dir: string } | { kind: "s3" };
}

/** The N specs of a run, each checked; throws a ShardSpecError naming the first problem. */
export function shardSpecs(plan: WorkloadPlan, shards: number, common: SpecCommon): ShardSpec[] {
  try {
    checkShard(0, shards);
  } catch (err) {
    throw new ShardSpecError((err as Error).message);
  }
  const { schedule, seed } = paramsOf(plan);
  const workload = descriptorOf(plan);
  const payload = "bytes" in common.payload ? { base64: Buffer.from(common.payload.bytes).toString("base64") } : common.payload;
  return Array.from({ length: shards }, (_, shard) => {
    const spec = checkShardSpec({
      version: SPEC_VERSION, runId: common.runId, shard, shards, workload, schedule, seed,
      target: common.target, ...(common.benchmark !== undefined ? { benchmark: common.benchmark } : {}), payload, startAtMs: common.startAtMs, maxInFlight: common.maxInFlight,
      out: common.out.kind === "local" ? { kind: "local", dir: common.out.dir } : { kind: "s3", prefix: shardPrefix(common.runId, shard) },
    }, `shard ${shard}`);
    const bytes = Buffer.byteLength(JSON.stringify(spec));
    if (bytes > SPEC_MAX_BYTES) throw new ShardSpecError(`shard ${shard}: the spec is ${bytes} bytes; at most ${SPEC_MAX_BYTES} (Step Functions' item limit): a trace of that many offsets cannot be sharded yet`);
    return spec;
  });
}

/**
 * Where a local shard writes: its records (JSONL) and its clock file (ShardClock, skew.ts). A shard
 * in S3 writes one set of objects per window (objects.ts: partKey, clockKey, endKey under its
 * prefix), not one file: asking for its outputs here is a mistake, and throws.
 */
export function shardOutputs(spec: Pick<ShardSpec, "shard" | "out">): { records: string; clock: string } {
  if (spec.out.kind === "s3") throw new Error(`shard ${spec.shard} writes to S3 (${spec.out.prefix}): its objects are per window (objects.ts partKey, clockKey, endKey), not one file`);
  const base = `${spec.out.dir.replace(/\/+$/, "")}/shard-${spec.shard}`;
  return { records: `${base}.jsonl`, clock: `${base}.clock.json` };
}
