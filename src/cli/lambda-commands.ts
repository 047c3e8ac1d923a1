// The commands that talk to Lambda: `invoke`, `measure` and `sweep`. Shared options pick the function
// (manifest + name prefix), the region, the credentials and the endpoint.
import * as fs from "node:fs";
import * as path from "node:path";
import { InvokeCommand } from "@aws-sdk/client-lambda";
import { Command, Option } from "commander";
import { clientRegion, describeAwsError, lambdaClient, type AwsOptions } from "../aws/lambda";
import { HttpInvoker } from "../aws/invoke-http";
import { DEFAULT_RETRY } from "../measure/invoke";
import { JsonlWriter } from "../measure/jsonl";
import { measure, type MeasurePlan, type MeasureResult } from "../measure/run";
import { choose, formatSweep, sweep, type SweepResult } from "../measure/sweep";
import type { InvocationRecord } from "../measure/record";
import { LIMITS } from "../manifest/schema";
import { formatSummary } from "../measure/summary";
import { UserError } from "./errors";
import { progressBar } from "./progress";
import { resolveName, resolveTarget, type TargetOptions } from "./target";
import type { Io } from "./main";

export interface CommonOptions extends AwsOptions, TargetOptions {}

/** --manifest, --name-prefix, --region, --profile, --endpoint: on every command that calls AWS. */
export function withAwsOptions(cmd: Command): Command {
  return cmd
    .option("--manifest <file>", "the manifest that names the benchmarks (default: ./benchmarks.yaml)")
    .option("--name-prefix <prefix>", "the stack's lambda-bench:namePrefix", "")
    .option("--region <region>", "AWS region (default: the SDK's chain: AWS_REGION, the profile)")
    .option("--profile <name>", "a profile of ~/.aws/config and ~/.aws/credentials")
    .option("--endpoint <url>", "a Lambda-compatible endpoint, e.g. http://localhost:9000 for the runtime interface emulator")
    .option("--function-name <name>", "call this function instead of the benchmark's deployed name (the emulator's is `function`)");
}

export const positiveInt = (what: string, min = 1) => (value: string): number => {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min) throw new UserError(`${what} must be a whole number >= ${min}; got ${JSON.stringify(value)}`, 2);
  return n;
};

/** `--payload JSON|@file`, checked to be JSON before anything is sent. */
export function readPayload(arg: string | undefined): Uint8Array {
  if (arg === undefined) return Buffer.from("{}");
  let text = arg;
  if (arg.startsWith("@")) {
    try {
      text = fs.readFileSync(arg.slice(1), "utf8");
    } catch (err) {
      throw new UserError(`cannot read payload file ${arg.slice(1)}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, 2);
    }
  }
  try {
    JSON.parse(text);
  } catch (err) {
    throw new UserError(`--payload is not JSON (${(err as Error).message}); pass a JSON document or @file.json`, 2);
  }
  return Buffer.from(text);
}

export function registerInvoke(program: Command, io: Io): void {
  withAwsOptions(program.command("invoke"))
    .description("invoke a deployed benchmark once and print its response")
    .argument("<benchmark>", "a benchmark of the manifest, or a function name or ARN")
    .option("--payload <json|@file>", "the event, as JSON or @file (default: {})")
    .option("--log", "also print the decoded log tail (to stderr, or in --json)")
    .option("--json", "print {statusCode, functionError, executedVersion, requestId, payload, log}")
    .action(async (name: string, o: CommonOptions & { payload?: string; log?: boolean; json?: boolean }) => {
      const payload = readPayload(o.payload);
      const named = resolveName(name, o);
      const client = lambdaClient(o);
      const region = await clientRegion(client).catch((err) => { throw new UserError(describeAwsError(err, o)); });
      const res = await client
        .send(new InvokeCommand({ FunctionName: named.functionName, Payload: payload, LogType: o.log ? "Tail" : "None" }))
        .catch((err) => { throw new UserError(describeAwsError(err, { ...o, region, functionName: named.functionName })); });
      const text = res.Payload ? Buffer.from(res.Payload).toString("utf8") : "";
      const log = res.LogResult ? Buffer.from(res.LogResult, "base64").toString("utf8") : undefined;
      if (o.json) {
        let parsed: unknown = text;
        try { parsed = JSON.parse(text); } catch { /* not JSON: keep the text */ }
        io.out(`${JSON.stringify({
          statusCode: res.StatusCode, functionError: res.FunctionError ?? null, executedVersion: res.ExecutedVersion ?? null,
          requestId: res.$metadata.requestId ?? null, payload: parsed, ...(o.log ? { log: log ?? null } : {}),
        })}\n`);
      } else {
        io.out(text.endsWith("\n") || text === "" ? text : `${text}\n`);
        if (o.log && log !== undefined) io.err(log.endsWith("\n") ? log : `${log}\n`);
      }
      if (res.FunctionError) {
        let detail = text;
        try {
          const e = JSON.parse(text) as { errorType?: string; errorMessage?: string };
          detail = `${e.errorType ?? res.FunctionError}: ${e.errorMessage ?? ""}`;
        } catch { /* keep the raw payload */ }
        throw new UserError(`${named.functionName} failed (${res.FunctionError}): ${detail.split("\n")[0]}`);
      }
    });
}

interface RunOptions extends CommonOptions {
  n: number;
  c: number;
  cold: number;
  payload?: string;
  json?: boolean;
  retries: number;
  clientTimeout?: number;
}

/** The options `measure` and `sweep` share. */
function withRunOptions(cmd: Command): Command {
  return withAwsOptions(cmd)
    .argument("<benchmark>", "a benchmark of the manifest, or a function name or ARN")
    .option("-n <N>", "invocations in all, cold ones included", positiveInt("-n"), 100)
    .option("-c <C>", "invocations in flight at most", positiveInt("-c"), 1)
    .option("--cold <K>", "force K cold starts first (an env nonce change each), one at a time", positiveInt("--cold", 0), 0)
    .option("--payload <json|@file>", "the event, as JSON or @file (default: {})")
    .option("--json", "print the summary as one JSON object")
    .option("--retries <R>", "retries of a throttled, 5xx, reset or timed-out call", positiveInt("--retries", 0), DEFAULT_RETRY.retries)
    .addOption(new Option("--client-timeout <ms>", "give up on a call after this long (default: function timeout + 10 s)")
      .argParser(positiveInt("--client-timeout")));
}

/** Everything a run needs before its first invocation, checked before anything is changed. */
async function prepare(name: string, o: RunOptions, needsConfiguration: string | undefined) {
  if (o.cold > o.n) throw new UserError(`--cold ${o.cold} is more than -n ${o.n}: cold starts count within -n`, 2);
  const payload = readPayload(o.payload);
  const named = resolveName(name, o);
  const client = lambdaClient(o);
  const region = await clientRegion(client).catch((err) => { throw new UserError(describeAwsError(err, o)); });
  const { target, configuration } = await resolveTarget(client, named, region, o);
  const why = o.cold > 0 ? "--cold" : needsConfiguration;
  if (why && !configuration) {
    throw new UserError(`${why} needs GetFunctionConfiguration and UpdateFunctionConfiguration, which ${o.endpoint} does not serve`, 2);
  }
  const timeoutMs = o.clientTimeout ?? ((configuration?.Timeout ?? 900) * 1000 + 10_000);
  const invoker = () => new HttpInvoker(client, target.functionName, { maxSockets: o.c, timeoutMs });
  const plan: MeasurePlan = { invocations: o.n, concurrency: o.c, cold: o.cold, payload };
  const retry = { ...DEFAULT_RETRY, retries: o.retries };
  const describe = (err: unknown) => describeAwsError(err, { region, functionName: target.functionName, endpoint: o.endpoint });
  return { client, region, target, configuration, invoker, plan, retry, describe, benchmark: named.benchmark };
}

/**
 * Ctrl-C (and SIGTERM) handling for a run: the first stops starting invocations and lets those in
 * flight finish; a second leaves at once, after `flush` (every completed line is still on disk).
 */
function interruptible(flush: () => void) {
  const ac = new AbortController();
  const onSignal = () => {
    if (ac.signal.aborted) {
      flush();
      process.exit(130);
    }
    ac.abort();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  return {
    signal: ac.signal,
    dispose: () => {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    },
  };
}

/** Progress for a run: the bar, fed by each record. */
function progressOf(io: Io, label: string, total: number) {
  const bar = progressBar(io.errStream ?? { write: () => true }, label, total);
  let done = 0;
  let errors = 0;
  return {
    record: (r: InvocationRecord) => {
      if (r.error !== null || r.functionError !== null) errors++;
      bar.update(++done, errors);
    },
    finish: () => bar.finish(),
  };
}

export function registerMeasure(program: Command, io: Io): void {
  withRunOptions(program.command("measure"))
    .description("invoke a benchmark N times with at most C in flight and summarize latency, cold starts, billed duration, memory and cost")
    .option("--out <file.jsonl>", "write one JSON line per invocation as it completes")
    .action(async (name: string, o: RunOptions & { out?: string }) => {
      const run = await prepare(name, o, undefined);
      const out = o.out ? openOut(o.out) : undefined;
      const stop = interruptible(() => out?.close());
      const progress = progressOf(io, run.benchmark, o.n);
      const invoker = run.invoker();
      let result: MeasureResult;
      try {
        result = await measure(run.client, invoker, run.target, run.plan, {
          retry: run.retry,
          signal: stop.signal,
          configuration: run.configuration,
          onRecord: (r) => {
            out?.write(r);
            progress.record(r);
          },
        });
      } finally {
        invoker.close();
        out?.close();
        progress.finish();
        stop.dispose();
      }
      const summary = result.summary.toJson();
      io.out(o.json ? `${JSON.stringify(summary)}\n` : `${formatSummary(summary)}\n`);
      if (result.restoreError) throw new UserError(nonceNotRemoved(run.target.functionName, run.describe(result.restoreError)));
      if (result.fatal) throw new UserError(`stopped after ${summary.invocations} invocations: ${run.describe(result.fatal.cause)}`);
      if (summary.interrupted) {
        throw new UserError(`interrupted: ${summary.invocations} invocations completed${o.out ? `, all in ${o.out}` : ""}`, 130);
      }
    });
}

const nonceNotRemoved = (fn: string, why: string) =>
  `could not put ${fn}'s configuration back: ${why}; run \`pulumi up\` to restore it`;

/** `--memory 128,256,...`: Lambda's sizes, in MB. */
export function memorySizes(value: string): number[] {
  const sizes = value.split(",").map((v) => v.trim());
  for (const v of sizes) {
    const n = Number(v);
    if (!/^\d+$/.test(v) || n < LIMITS.memory.min || n > LIMITS.memory.max) {
      throw new UserError(`--memory takes sizes in MB from ${LIMITS.memory.min} to ${LIMITS.memory.max}, comma-separated; got ${JSON.stringify(v)}`, 2);
    }
  }
  if (new Set(sizes).size !== sizes.length) throw new UserError(`--memory lists a size twice: ${value}`, 2);
  return sizes.map(Number);
}

export function registerSweep(program: Command, io: Io): void {
  withRunOptions(program.command("sweep"))
    .description("measure at each memory size, name the cheapest, fastest and balanced, and restore the original memory")
    .requiredOption("--memory <sizes>", "memory sizes in MB, comma-separated, e.g. 128,256,512,1024,2048", memorySizes)
    .option("--out <dir>", "write <benchmark>-<memory>mb.jsonl per size into this folder")
    .action(async (name: string, o: RunOptions & { memory: number[]; out?: string }) => {
      const run = await prepare(name, o, "sweep");
      if (o.out) fs.mkdirSync(o.out, { recursive: true });
      let out: JsonlWriter | undefined;
      const stop = interruptible(() => out?.close());
      let progress: ReturnType<typeof progressOf> | undefined;
      let result: SweepResult;
      try {
        result = await sweep(run.client, run.target, o.memory, run.plan, {
          retry: run.retry,
          signal: stop.signal,
          configuration: run.configuration!,
          invoker: run.invoker,
          onSize: (memoryMb) => {
            out = o.out ? openOut(path.join(o.out, `${run.benchmark}-${memoryMb}mb.jsonl`)) : undefined;
            progress = progressOf(io, `${run.benchmark} ${memoryMb} MB`, o.n);
            return (r) => {
              out?.write(r);
              progress?.record(r);
            };
          },
          onSizeDone: () => {
            out?.close();
            out = undefined;
            progress?.finish();
          },
        });
      } finally {
        stop.dispose();
      }
      const choice = choose(result.steps);
      const original = run.configuration!.MemorySize;
      if (o.json) {
        io.out(`${JSON.stringify({
          benchmark: run.benchmark, function: run.target.functionName, region: run.region, architecture: run.target.architecture,
          originalMemoryMb: original ?? null, steps: result.steps, choice, interrupted: result.interrupted,
        })}\n`);
      } else {
        io.out(`${run.benchmark} (${run.target.functionName}, ${run.region}, ${run.target.architecture}), memory restored to ${original} MB\n` +
          `${formatSweep(result.steps, choice)}\n`);
      }
      if (result.restoreError) throw new UserError(nonceNotRemoved(run.target.functionName, run.describe(result.restoreError)));
      if (result.failed) {
        throw new UserError(`stopped at ${result.failed.memoryMb} MB: ${run.describe(result.failed.error)}; memory restored to ${original} MB`);
      }
      if (result.fatal) throw new UserError(`stopped: ${run.describe(result.fatal.cause)}; memory restored to ${original} MB`);
      if (result.interrupted) throw new UserError(`interrupted after ${result.steps.length} of ${o.memory.length} sizes; memory restored to ${original} MB`, 130);
    });
}

function openOut(file: string): JsonlWriter {
  try {
    return new JsonlWriter(file);
  } catch (err) {
    throw new UserError(`cannot write ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}
