// `measure ... --shards N --generator lambda` (issue 28): the shards run as Lambda drivers in the
// region, started by the stack's state machine (src/generator/state-machine.ts), instead of as
// worker processes here. The CLI finds the generator (lambda-find.ts), checks the run against it
// and the account (lambda-checks.ts) before anything is uploaded, uploads the specs and the Map's
// items, starts the execution, shows the shards' states on a terminal, and at the end (or on a
// signal, after StopExecution) brings down what the drivers wrote and merges it exactly as the
// local generator's files are merged (measure-shards.ts). The drivers' objects stay in the bucket
// under runs/<run id>/: a run is data (`aws s3 rm --recursive` removes it).
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Command } from "commander";
import { GetAccountSettingsCommand, type LambdaClient } from "@aws-sdk/client-lambda";
import { findGenerator, GeneratorError, generatorClients, type GeneratorAws, type GeneratorClients } from "../../generator/lambda-find";
import { checkLambdaRun, maxShardsOf, shapeOf } from "../../generator/lambda-checks";
import { awaitEnds, collectRun, formatCounts, startRun, stopRun, uploadRun, watchRun, type Requests, type ShardCounts } from "../../generator/lambda-run";
import { formatGeneratorCost, generatorCost, type GeneratorCost } from "../../generator/lambda-cost";
import { firstItems, GENERATOR_TAGS, LEAD_MS, payloadKey, WRITE_RESERVE_MS, type MapItem } from "../../generator/objects";
import { PAYLOAD_INLINE_MAX, runPrefix, shardSpecs, ShardSpecError, type ShardSpec } from "../../generator/spec";
import { formatSkew } from "../../generator/skew";
import type { MergeResult } from "../../generator/merge";
import type { RunLifecycle } from "../../measure/lifecycle";
import { metaPathFor, type LambdaGenerator } from "../../runs/provenance";
import { scheduleOf as planSchedule } from "../../workload/segments";
import { UserError } from "../errors";
import type { Io } from "../io";
import { lifecycleOf } from "../run-support";
import { claimShardedOut, endSharded, mergeSharded, prepareSharded, runIdOf, type ShardOptions } from "./measure-shards";

export type LambdaShardOptions = ShardOptions & { generatorEndpoint?: string };

/** Time for the Map to start, each child to start, and the driver's lead (LEAD_MS) before the common start. */
export const lambdaStartMarginFor = (shards: number) => 60_000 + 10 * shards;
/** A margin below this wakes the drivers after their window began. */
export const MIN_LAMBDA_MARGIN_MS = LEAD_MS + 5000;

/** UnreservedConcurrentExecutions, or null (with a line) when an emulator endpoint does not serve GetAccountSettings. */
async function unreservedOf(client: LambdaClient, endpoint: string | undefined, io: Io): Promise<number | null> {
  try {
    const s = await client.send(new GetAccountSettingsCommand({}), { abortSignal: AbortSignal.timeout(10_000) });
    return s.AccountLimit?.UnreservedConcurrentExecutions ?? null;
  } catch (err) {
    if (endpoint === undefined) throw new UserError(`lambda:GetAccountSettings failed: ${((err as Error).message || (err as Error).name).split("\n")[0]} (the run needs it to check the account's concurrency)`);
    io.err(`lambda-bench: ${endpoint} does not serve GetAccountSettings: the account's concurrency is not checked\n`);
    return null;
  }
}

/**
 * Stops the run (the stop object, then StopExecution) and, when drivers may be running (their
 * window's wake time has passed), waits for each to write the window's end: until the window's
 * end plus a call's timeout and the write reserve at most. A second Ctrl-C leaves at once (the
 * lifecycle's), and what the drivers write later stays in the bucket.
 */
async function stopAndWait(io: Io, clients: GeneratorClients, r: {
  bucket: string; runId: string; executionArn: string; objects: string; startAtMs: number; item: MapItem; shards: number; lastMs: number; callTimeoutMs: number; requests: Requests;
}): Promise<void> {
  const stoppedAt = Date.now();
  await stopRun(clients, r.bucket, r.runId, r.executionArn, r.requests, stoppedAt);
  const { windows, windowMs } = r.item;
  const woken = Math.floor((stoppedAt - r.startAtMs + LEAD_MS) / windowMs);
  if (woken < 0) return;
  const window = Math.min(windows - 1, woken);
  const deadlineMs = r.startAtMs + Math.min((window + 1) * windowMs, r.lastMs + 1) + r.callTimeoutMs + WRITE_RESERVE_MS;
  io.err(`lambda-bench: stopped the execution; waiting for the drivers of window ${window} to write their last records (until ${new Date(deadlineMs).toISOString()} at most; Ctrl-C again leaves now: what they write stays in ${r.objects})\n`);
  const missing = await awaitEnds(clients, r.bucket, r.runId, window, r.shards, { deadlineMs, requests: r.requests });
  if (missing > 0) io.err(`lambda-bench: ${missing} drivers wrote no end of window ${window} by then: what they write later stays in ${r.objects}\n`);
}

export async function measureLambda(name: string, o: LambdaShardOptions, io: Io, cmd: Command): Promise<void> {
  const startMarginMs = o.startMargin ?? lambdaStartMarginFor(o.shards);
  if (startMarginMs < MIN_LAMBDA_MARGIN_MS) {
    throw new UserError(`--start-margin ${startMarginMs} ms is too short for --generator lambda: at least ${MIN_LAMBDA_MARGIN_MS} ms (the drivers are woken ${LEAD_MS / 1000} s before the start)`, 2);
  }
  const { plan, run, provenance } = await prepareSharded(name, o, cmd);
  const aws: GeneratorAws = { region: o.region ?? run.region, profile: o.profile, endpoint: o.generatorEndpoint ?? o.endpoint };
  const clients = generatorClients(aws);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lambda-bench-lambda-"));
  let keep = false;
  let result: MergeResult | undefined;
  let cost: GeneratorCost | undefined;
  let lines: string[] = [];
  let life: RunLifecycle | undefined;
  try {
    const gen = await findGenerator(clients, o.namePrefix ?? "").catch((err) => {
      throw err instanceof GeneratorError ? new UserError(err.message) : err;
    });
    const shape = shapeOf(planSchedule(plan));
    const problem = checkLambdaRun({
      shards: o.shards, shape,
      maxShards: gen.maxShards !== null ? { max: gen.maxShards, from: `the stack's generator.maxShards (tag ${GENERATOR_TAGS.maxShards})` } : maxShardsOf(o.manifest), driverMemoryMb: gen.memoryMb,
      unreserved: await unreservedOf(run.client, o.endpoint, io), startMarginMs,
    });
    if (problem) throw new UserError(problem.line, problem.code);
    claimShardedOut(o);
    const runId = runIdOf(provenance);
    const bytes = run.plan.payload;
    const payload = bytes.length > PAYLOAD_INLINE_MAX ? { key: payloadKey(runId), bytes } : undefined;
    const startAtMs = Date.now() + startMarginMs;
    let specs: ShardSpec[];
    try {
      specs = shardSpecs(plan, o.shards, {
        runId, target: { function: run.target.functionName, qualifier: o.qualifier ?? null }, benchmark: run.target.benchmark,
        payload: payload ? { s3Key: payload.key } : { bytes }, startAtMs, maxInFlight: o.maxInFlight, out: { kind: "s3" },
      });
    } catch (err) {
      if (err instanceof ShardSpecError) throw new UserError(`--shards: ${err.message}`, 2);
      throw err;
    }
    const items = firstItems(runId, o.shards, startAtMs, shape.lastMs + 1, gen.windowMs);
    const objects = `s3://${gen.bucket}/${runPrefix(runId)}`;
    const generator: LambdaGenerator = {
      kind: "lambda", shards: o.shards, startMarginMs, startSkew: null,
      driver: { memoryMb: gen.memoryMb, architecture: gen.architecture, version: gen.version },
      region: gen.region, stateMachineArn: gen.stateMachineArn, executionArn: null, objects,
    };
    provenance.generator = generator;
    const requests: Requests = { put: 0, get: 0, list: 0 };
    life = lifecycleOf(io, shape.calls, undefined, [provenance]);
    await life.run(async (life) => {
      if (o.out) life.sidecar(metaPathFor(o.out), provenance);
      await uploadRun(clients, gen.bucket, specs, items, payload, requests);
      if (life.aborted) throw new UserError(`interrupted before the execution started: nothing ran (the specs are in ${objects})`, life.exitCode ?? 130);
      const executionArn = await startRun(clients, gen.stateMachineArn, runId).catch((err: Error) => {
        throw new UserError(`states:StartExecution ${gen.stateMachineArn}: ${(err.message || err.name).split("\n")[0]}`);
      });
      generator.executionArn = executionArn;
      const tty = io.errStream?.isTTY === true;
      let shown = false;
      let last: ShardCounts | undefined;
      const end = await watchRun(clients, executionArn, {
        signal: life.signal, startAtMs, shards: o.shards,
        onCounts: (n) => {
          last = n;
          if (tty) {
            io.errStream!.write(`\r${formatCounts(n)}  `);
            shown = true;
          }
        },
      }).catch((err: Error) => {
        throw new UserError(`watching ${executionArn} failed: ${(err.message || err.name).split("\n")[0]}; the execution goes on: \`aws stepfunctions stop-execution --execution-arn ${executionArn}\` stops it`);
      });
      if (shown) io.errStream!.write("\n");
      if (last && last.failed > 0) io.err(`lambda-bench: ${formatCounts(last)}\n`);
      if (end.status === "STOPPING") {
        await stopAndWait(io, clients, { bucket: gen.bucket, runId, executionArn, objects, startAtMs, item: items[0], shards: o.shards, lastMs: shape.lastMs, callTimeoutMs: run.timeoutMs, requests });
      } else if (end.status !== "SUCCEEDED") life.fail("error", `the execution ${executionArn} ended ${end.status}${end.detail ? `: ${end.detail}` : ""}`);
      const got = await collectRun(clients, gen.bucket, runId, dir, requests).catch((err: Error) => {
        throw new UserError(`reading ${objects} failed: ${(err.message || err.name).split("\n")[0]} (the objects stay there)`, life.exitCode ?? 1);
      });
      for (const e of got.ends) if (e.fatal) io.err(`shard ${e.shard} window ${e.window}: ${e.fatal}\n`);
      const driverEnd = got.ends[0];
      if (driverEnd) generator.driver = { ...generator.driver, memoryMb: driverEnd.memoryMb, version: driverEnd.version };
      cost = generatorCost({
        shards: o.shards, windows: items[0].windows, windowMs: gen.windowMs, lastMs: shape.lastMs,
        memoryMb: generator.driver.memoryMb, architecture: gen.architecture, region: gen.region,
        cli: requests, driverObjects: got.objects, payloadInS3: payload !== undefined,
      });
      if (got.files.length === 0) throw new UserError(`no shard wrote records under ${objects}${life.interrupted ? ` (${life.interrupted.detail})` : ""}`, life.exitCode ?? 1);
      const whole = !life.aborted && end.status === "SUCCEEDED" && got.files.length === o.shards;
      result = await mergeSharded(got.files, o.out ?? path.join(dir, "merged.jsonl"), plan, whole, io, dir, () => { keep = true; });
      life.done = result.records;
      generator.startSkew = result.skew;
      lines = [
        `${o.shards} Lambda shards: ${result.skew ? formatSkew(result.skew) : "a shard wrote no clock: no start skew"}`,
        formatGeneratorCost(cost),
        `the drivers' objects stay in ${objects} (\`aws s3 rm --recursive ${objects}\` removes them)`,
      ];
    });
  } finally {
    clients.destroy();
    run.client.destroy();
    if (!keep) fs.rmSync(dir, { recursive: true, force: true });
  }
  endSharded(io, o, result!, provenance, life!, lines, { generatorCost: cost ?? null });
}
