// The commands that talk to Lambda: `invoke` and `measure`. Shared options pick the function
// (manifest + name prefix), the region, the credentials and the endpoint.
import * as fs from "node:fs";
import { InvokeCommand } from "@aws-sdk/client-lambda";
import { Command, Option } from "commander";
import { clientRegion, describeAwsError, lambdaClient, type AwsOptions } from "../aws/lambda";
import { HttpInvoker } from "../aws/invoke-http";
import { DEFAULT_RETRY } from "../measure/invoke";
import { JsonlWriter } from "../measure/jsonl";
import { measure, type MeasureResult } from "../measure/run";
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

interface MeasureOptions extends CommonOptions {
  n: number;
  c: number;
  cold: number;
  payload?: string;
  out?: string;
  json?: boolean;
  retries: number;
  clientTimeout?: number;
}

export function registerMeasure(program: Command, io: Io): void {
  withAwsOptions(program.command("measure"))
    .description("invoke a benchmark N times with at most C in flight and summarize latency, cold starts, billed duration, memory and cost")
    .argument("<benchmark>", "a benchmark of the manifest, or a function name or ARN")
    .option("-n <N>", "invocations in all, cold ones included", positiveInt("-n"), 100)
    .option("-c <C>", "invocations in flight at most", positiveInt("-c"), 1)
    .option("--cold <K>", "force K cold starts first (an env nonce change each), one at a time", positiveInt("--cold", 0), 0)
    .option("--payload <json|@file>", "the event, as JSON or @file (default: {})")
    .option("--out <file.jsonl>", "write one JSON line per invocation as it completes")
    .option("--json", "print the summary as one JSON object")
    .option("--retries <R>", "retries of a throttled, 5xx, reset or timed-out call", positiveInt("--retries", 0), DEFAULT_RETRY.retries)
    .addOption(new Option("--client-timeout <ms>", "give up on a call after this long (default: function timeout + 10 s)")
      .argParser(positiveInt("--client-timeout")))
    .action(async (name: string, o: MeasureOptions) => {
      await runMeasure(name, o, io);
    });
}

async function runMeasure(name: string, o: MeasureOptions, io: Io): Promise<void> {
  if (o.cold > o.n) throw new UserError(`--cold ${o.cold} is more than -n ${o.n}: cold starts count within -n`, 2);
  const payload = readPayload(o.payload);
  const named = resolveName(name, o);
  const probe = lambdaClient(o);
  const region = await clientRegion(probe).catch((err) => { throw new UserError(describeAwsError(err, o)); });
  const { target, configuration } = await resolveTarget(probe, named, region, o);
  if (o.cold > 0 && !configuration) {
    throw new UserError(`--cold needs GetFunctionConfiguration and UpdateFunctionConfiguration, which ${o.endpoint} does not serve`, 2);
  }
  const timeoutMs = o.clientTimeout ?? ((configuration?.Timeout ?? 900) * 1000 + 10_000);
  const invoker = new HttpInvoker(probe, target.functionName, { maxSockets: o.c, timeoutMs });

  const out = o.out ? openOut(o.out) : undefined;
  const ac = new AbortController();
  // First Ctrl-C: stop starting invocations and let those in flight finish. A second one leaves
  // at once, still with every completed line on disk.
  const onSignal = () => {
    if (ac.signal.aborted) {
      out?.close();
      process.exit(130);
    }
    ac.abort();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  const bar = progressBar(io.errStream ?? { write: () => true }, named.benchmark, o.n);
  let done = 0;
  let errors = 0;
  let result: MeasureResult;
  try {
    result = await measure(probe, invoker, target, { invocations: o.n, concurrency: o.c, cold: o.cold, payload }, {
      retry: { ...DEFAULT_RETRY, retries: o.retries },
      signal: ac.signal,
      configuration,
      onRecord: (r) => {
        out?.write(r);
        if (r.error !== null || r.functionError !== null) errors++;
        bar.update(++done, errors);
      },
    });
  } finally {
    invoker.close();
    out?.close();
    bar.finish();
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
  const summary = result.summary.toJson();
  io.out(o.json ? `${JSON.stringify(summary)}\n` : `${formatSummary(summary)}\n`);
  if (result.restoreError) {
    throw new UserError(`could not remove the cold-start nonce from ${target.functionName}'s environment: ` +
      `${describeAwsError(result.restoreError, { region, functionName: target.functionName, endpoint: o.endpoint })}; run \`pulumi up\` to restore it`);
  }
  if (result.fatal) {
    throw new UserError(`stopped after ${summary.invocations} invocations: ` +
      describeAwsError(result.fatal.cause, { region, functionName: target.functionName, endpoint: o.endpoint }));
  }
  if (summary.interrupted) {
    throw new UserError(`interrupted: ${summary.invocations} invocations completed${o.out ? `, all in ${o.out}` : ""}`, 130);
  }
}

function openOut(file: string): JsonlWriter {
  try {
    return new JsonlWriter(file);
  } catch (err) {
    throw new UserError(`cannot write ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}
