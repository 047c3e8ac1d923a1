// `measure ... --shards N [--generator local]` (issue 28): one open workload split into N shards
// (src/workload/segments.ts: together exactly the one-process schedule), each run by a worker
// process on this machine (src/generator/worker.ts, forked), all anchored at one start a margin
// from now, then merged into one run file sorted by scheduled time (src/generator/merge.ts), its
// summary the union's (exact percentiles), with the start skew across shards. The run goes through
// the one lifecycle: a signal (or the parent gone) stops the workers, which finish their calls in
// flight and keep their records; what they wrote is merged and the run marked interrupted. Shard
// files go to a temporary folder, removed once merged (kept, and named, if the merge fails).
import { fork, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Command } from "commander";
import { mergeShards, type MergeResult, type ShardFiles } from "../../generator/merge";
import { shardOutputs, shardSpecs, ShardSpecError, type ShardSpec } from "../../generator/spec";
import { descriptorOf } from "../../generator/plan";
import { formatSkew } from "../../generator/skew";
import { DRIVER_ENV, type WorkerReport } from "../../generator/worker";
import type { DriverEnv } from "../../generator/driver";
import { metaPathFor, provenanceOf } from "../../runs/provenance";
import type { Provenance } from "../../runs/provenance";
import type { RunLifecycle } from "../../measure/lifecycle";
import type { WorkloadPlan } from "../../workload/segments";
import { formatSummary } from "../../summary/summary";
import { scheduleOf as planSchedule } from "../../workload/segments";
import { UserError } from "../errors";
import type { Io } from "../io";
import { claimOut, lifecycleOf, prepare, type RunOptions } from "../run-support";
import { makeOutFolder } from "../out-file";
import { workloadPlanOf, type WorkloadOptions } from "../workload-options";

export const GENERATORS = ["local", "lambda"] as const;

export type ShardOptions = RunOptions & WorkloadOptions & {
  out?: string; force?: boolean; repeat: number; interleave?: string; shards: number; generator: string; startMargin?: number;
};

/** The worker's entry, beside this file's room in dist/src. */
const WORKER = path.resolve(__dirname, "../../generator/worker.js");

/** Time for N workers to start (Node, the SDK) and open their connections before the common start. */
export const startMarginFor = (shards: number) => 2000 + 100 * shards;

/** A sharded run's checks and preparation, whatever its generator: its plan, target and provenance. */
export async function prepareSharded(name: string, o: ShardOptions, cmd: Command) {
  if (o.interleave !== undefined) throw new UserError("--shards and --interleave do not combine: --interleave runs the closed loop", 2);
  if (o.cold > 0) throw new UserError("--shards changes no configuration, so it does not force cold starts: run --cold without --shards", 2);
  if (o.repeat > 1) throw new UserError("--shards runs the workload once: run it again for another repetition (--repeat is not built for --shards)", 2);
  if (o.warmup) throw new UserError("--warmup is not built for --shards: each shard opens its connections before the common start", 2);
  const n = cmd.getOptionValueSource("n") === "cli" ? o.n : undefined;
  const plan = workloadPlanOf(o, n, o.cold);
  if (!plan) throw new UserError("--shards splits an open workload (--rate, --ramp, --burst or --trace); the closed loop (-n/-c) keeps C calls in flight from one process and has no schedule to split", 2);
  const run = await prepare(name, o, undefined);
  const workload = descriptorOf(plan);
  const provenance = await provenanceOf(run, o, cmd, {
    workload, seed: typeof workload.seed === "number" ? workload.seed : null,
    plan: { shards: o.shards, generator: o.generator, maxInFlightPerShard: o.maxInFlight },
  });
  return { plan, run, provenance };
}

/** A run id fit for file names and S3 keys (spec.ts RUN_ID), from the provenance's. */
export const runIdOf = (provenance: Provenance) => provenance.runId.replace(/[^A-Za-z0-9_-]/g, "").slice(0, 64) || "run";

/** Refuses to overwrite --out, and makes its folder. */
export function claimShardedOut(o: ShardOptions): void {
  claimOut(o.out ? [o.out] : [], o.force);
  if (o.out) makeOutFolder(path.dirname(o.out));
}

/**
 * Merges the shards' files into `merged`. A whole run of a fixed schedule (not Poisson's
 * independent streams) is checked call for call against the one-process schedule as it is merged.
 * A merge that fails is one line naming `kept` (where the shards' files stay), after `onFail`.
 */
export async function mergeSharded(files: ShardFiles[], merged: string, plan: WorkloadPlan, whole: boolean, io: Io,
  kept: string, onFail: () => void): Promise<MergeResult> {
  const poisson = plan.shape === "open" && plan.open.arrivals === "poisson";
  const check = !poisson && whole;
  try {
    return await mergeShards(files, merged, { warn: (line) => io.err(`${line}\n`), ...(check ? { expected: planSchedule(plan) } : {}) });
  } catch (err) {
    onFail();
    throw new UserError(`merging the shards failed (their files are kept in ${kept}): ${(err as Error).message.split("\n")[0]}`);
  }
}

/** Prints a sharded run's summary (text or JSON, with `extra` in both) and leaves as its end says. */
export function endSharded(io: Io, o: ShardOptions, result: MergeResult, provenance: Provenance, life: RunLifecycle,
  lines: string[], extra: Record<string, unknown> = {}): void {
  const summary = result.summary;
  summary.interrupted = life.aborted;
  const json = summary.toJson();
  io.out(o.json ? `${JSON.stringify({ ...json, ...extra, provenance })}\n` : `${formatSummary(json)}\n${lines.map((l) => `${l}\n`).join("")}`);
  if (life.interrupted?.reason === "error") throw new UserError(life.interrupted.detail);
  if (life.aborted) {
    throw new UserError(`interrupted: ${json.invocations} invocations completed${o.out ? `, all in ${o.out}` : ""}`, life.exitCode ?? 130);
  }
}

export async function measureSharded(name: string, o: ShardOptions, io: Io, cmd: Command): Promise<void> {
  if (o.generator !== "local") throw new UserError(`--generator takes local or lambda; got ${JSON.stringify(o.generator)}`, 2);
  const { plan, run, provenance } = await prepareSharded(name, o, cmd);
  const one = planSchedule(plan);
  const startMarginMs = o.startMargin ?? startMarginFor(o.shards);
  provenance.generator = { kind: "local", shards: o.shards, startMarginMs, startSkew: null };
  claimShardedOut(o);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lambda-bench-shards-"));
  let specs: ShardSpec[];
  try {
    specs = shardSpecs(plan, o.shards, {
      runId: runIdOf(provenance),
      target: { function: run.target.functionName, qualifier: o.qualifier ?? null }, benchmark: run.target.benchmark,
      payload: { bytes: run.plan.payload }, startAtMs: Date.now() + startMarginMs, maxInFlight: o.maxInFlight,
      out: { kind: "local", dir },
    });
  } catch (err) {
    fs.rmSync(dir, { recursive: true, force: true });
    if (err instanceof ShardSpecError) throw new UserError(`--shards: ${err.message}`, 2);
    throw err;
  }
  const env: DriverEnv = {
    aws: { region: o.region, profile: o.profile, endpoint: o.endpoint },
    target: run.target,
    timeoutMs: run.timeoutMs,
    retries: o.retries,
  };
  const life = lifecycleOf(io, one.total, undefined, [provenance]);
  const merged = o.out ?? path.join(dir, "merged.jsonl");
  let result: MergeResult | undefined;
  let keep = false;
  try {
    await life.run(async () => {
      if (o.out) life.sidecar(metaPathFor(o.out), provenance);
      const reports = await runWorkers(specs, dir, env, life.signal, io);
      const failed = reports.find((r) => r.code !== 0);
      if (failed) life.fail("error", failed.line ?? `shard ${failed.shard}'s worker exited with ${failed.code}`);
      const files: ShardFiles[] = specs.map((s) => ({ shard: s.shard, ...shardOutputs(s) }))
        .filter((f) => fs.existsSync(f.records))
        .map((f) => (fs.existsSync(f.clock) ? f : { shard: f.shard, records: f.records }));
      if (files.length === 0) throw new UserError(`no shard wrote records${failed?.line ? `: ${failed.line}` : ""}`);
      result = await mergeSharded(files, merged, plan, !life.aborted && files.length === specs.length, io, dir, () => { keep = true; });
      life.done = result.records;
      provenance.generator!.startSkew = result.skew;
    });
  } finally {
    if (!keep) fs.rmSync(dir, { recursive: true, force: true });
  }
  endSharded(io, o, result!, provenance, life,
    [`${o.shards} local shards: ${result!.skew ? formatSkew(result!.skew) : "a shard wrote no clock file: no start skew"}`]);
}

interface WorkerEnd { shard: number; code: number | null; line?: string; report?: WorkerReport }

/** Forks one worker a shard and waits for all; a stop (signal, parent gone) is passed on to each. */
async function runWorkers(specs: ShardSpec[], dir: string, env: DriverEnv, signal: AbortSignal, io: Io): Promise<WorkerEnd[]> {
  const children: ChildProcess[] = [];
  const ends = specs.map((spec) => {
    const file = path.join(dir, `shard-${spec.shard}.spec.json`);
    fs.writeFileSync(file, JSON.stringify(spec));
    const child = fork(WORKER, [file], {
      env: { ...process.env, [DRIVER_ENV]: JSON.stringify(env) },
      stdio: ["ignore", "ignore", "pipe", "ipc"],
    });
    children.push(child);
    return new Promise<WorkerEnd>((resolve) => {
      const end: WorkerEnd = { shard: spec.shard, code: null };
      let err = "";
      child.stderr!.on("data", (d: Buffer) => { err += d.toString(); });
      child.on("message", (m) => { end.report = m as WorkerReport; });
      child.on("error", (e) => { end.line ??= `shard ${spec.shard}: ${e.message}`; });
      child.on("exit", (code, sig) => {
        end.code = code ?? (sig ? 128 : 1);
        const lines = err.split("\n").filter(Boolean);
        for (const l of lines) io.err(`${l}\n`);
        end.line ??= lines[lines.length - 1];
        resolve(end);
      });
    });
  });
  const stop = () => { for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGINT"); };
  signal.addEventListener("abort", stop, { once: true });
  try {
    return await Promise.all(ends);
  } finally {
    signal.removeEventListener("abort", stop);
  }
}
