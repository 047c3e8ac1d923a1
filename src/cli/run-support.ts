// What `measure`, `sweep` and the other workloads share: their options, the preparation checked
// before anything is changed, Ctrl-C handling, progress and the JSONL output.
import { Command, Option } from "commander";
import { clientRegion, describeAwsError, lambdaClient } from "../aws/lambda";
import { HttpInvoker } from "../aws/invoke-http";
import { DEFAULT_RETRY } from "../measure/invoke";
import type { MeasurePlan } from "../measure/run";
import { CLI_NAMES, closedProblem } from "../measure/workload-spec";
import type { InvocationRecord } from "../runs/record";
import { UserError } from "./errors";
import type { Io } from "./io";
import { metaPathFor, writeProvenance, type Provenance } from "../runs/provenance";
import { RunOut } from "./out-file";
import { durationMs, functionName, MAX_CONCURRENCY, positiveInt, withAwsOptions, type CommonOptions } from "./options";
import { readPayload } from "./payload";
import { progressBar } from "./progress";
import { resolveName, resolveTarget } from "./target";

export interface RunOptions extends CommonOptions {
  n: number;
  c: number;
  cold: number;
  payload?: string;
  json?: boolean;
  retries: number;
  clientTimeout?: number;
}

/** The options `measure` and `sweep` share. */
export function withRunOptions(cmd: Command): Command {
  return withAwsOptions(cmd)
    .argument("<benchmark>", "a benchmark of the manifest, or a function name or ARN", functionName("<benchmark>"))
    .option("-n <N>", "invocations in all, cold ones included", positiveInt("-n"), 100)
    .option("-c <C>", "invocations in flight at most, up to -n", positiveInt("-c", 1, MAX_CONCURRENCY), 1)
    .option("--cold <K>", "force K cold starts first (an env nonce change each), one at a time", positiveInt("--cold", 0), 0)
    .option("--payload <json|@file>", "the event, as JSON or @file (default: {})")
    .option("--json", "print the summary as one JSON object")
    .option("--qualifier <version|alias>", "invoke this version or alias (e.g. live); its provisioned concurrency is read at the start")
    .option("--retries <R>", "retries of a throttled, 5xx, reset or timed-out call", positiveInt("--retries", 0), DEFAULT_RETRY.retries)
    .addOption(new Option("--client-timeout <duration>", "give up on a call after this long: ms, or 30s, 2m (default: function timeout + 10 s)")
      .argParser(durationMs("--client-timeout")));
}

/** Everything a run needs before its first invocation, checked before anything is changed. */
export async function prepare(name: string, o: RunOptions, needsConfiguration: string | undefined) {
  const loop = closedProblem(o, CLI_NAMES);
  if (loop) throw new UserError(loop.message, 2);
  // What changes the function's configuration on this run (and so needs the control plane).
  const changes = o.cold > 0 ? "--cold" : needsConfiguration;
  if (changes && o.qualifier !== undefined && o.qualifier !== "$LATEST") {
    throw new UserError(`${changes} changes $LATEST's configuration, which --qualifier ${o.qualifier} does not run: drop one of them`, 2);
  }
  const payload = readPayload(o.payload);
  const named = resolveName(name, o);
  const client = lambdaClient(o);
  const region = await clientRegion(client).catch((err) => { throw new UserError(describeAwsError(err, o)); });
  const { target, configuration } = await resolveTarget(client, named, region, o);
  if (changes && !configuration) {
    throw new UserError(`${changes} needs GetFunctionConfiguration and UpdateFunctionConfiguration, which ${o.endpoint} does not serve`, 2);
  }
  const timeoutMs = o.clientTimeout ?? ((configuration?.Timeout ?? 900) * 1000 + 10_000);
  const invoker = (maxSockets = o.c) => new HttpInvoker(client, target.functionName, { maxSockets, timeoutMs, qualifier: o.qualifier });
  const plan: MeasurePlan = { invocations: o.n, concurrency: o.c, cold: o.cold, payload };
  const retry = { ...DEFAULT_RETRY, retries: o.retries };
  const describe = (err: unknown) => describeAwsError(err, { region, functionName: target.functionName, endpoint: o.endpoint, suggestion: named.suggestion });
  return { client, region, target, configuration, invoker, plan, retry, describe, benchmark: named.benchmark };
}

/**
 * Ctrl-C (and SIGTERM) handling for a run: the first stops starting invocations and lets those in
 * flight finish; a second leaves at once, after `flush` (every completed line is still on disk).
 */
export function interruptible(flush: () => void) {
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
export function progressOf(io: Io, label: string, total: number) {
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

export const nonceNotRemoved = (fn: string, why: string) =>
  `could not put ${fn}'s configuration back: ${why}; run \`pulumi up\` to restore it`;

/** `--out <file>`: see out-file.ts; with `io`, a write failure is printed the moment it happens. */
export function openOut(file: string, io?: Io, stop?: AbortController): RunOut {
  return RunOut.open(file, io, stop);
}

/**
 * The end of a run, whatever ended it: connections closed, every record on disk, the progress bar
 * finished, Ctrl-C handed back, and the provenance (with its end time) beside the records.
 */
export function finishRun(r: {
  invoker: { close(): void }; out?: RunOut; progress: { finish(): void }; stop: { dispose(): void };
  provenance: Provenance; outFile?: string;
}): void {
  r.invoker.close();
  r.out?.close();
  r.progress.finish();
  r.stop.dispose();
  r.provenance.endedAt = new Date().toISOString();
  if (r.outFile) writeProvenance(metaPathFor(r.outFile), r.provenance);
}
