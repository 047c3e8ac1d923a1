// What `measure`, `sweep` and the other workloads share: their options, the preparation checked
// before anything is changed, the refusal to overwrite a run, progress, and the lifecycle
// (src/measure/lifecycle.ts: files, provenance, signals, the end) with the CLI's files and stderr.
import { Command, Option } from "commander";
import { clientRegion, describeAwsError, lambdaClient } from "../aws/lambda";
import { HttpInvoker } from "../aws/invoke-http";
import { callTimeoutMs, DEFAULT_RETRY } from "../measure/invoke";
import type { MeasurePlan } from "../measure/run";
import { CLI_NAMES, closedProblem } from "../workload/spec";
import type { InvocationRecord } from "../runs/record";
import { UserError } from "./errors";
import type { Io } from "./io";
import { claimFiles, claimFolder } from "../runs/claim";
import { RunLifecycle, type RunProgress } from "../measure/lifecycle";
import type { Provenance } from "../runs/provenance";
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
  const timeoutMs = o.clientTimeout ?? callTimeoutMs(target.timeoutMs);
  const invoker = (maxSockets = o.c) => new HttpInvoker(client, target.functionName, { maxSockets, timeoutMs, qualifier: o.qualifier });
  const plan: MeasurePlan = { invocations: o.n, concurrency: o.c, cold: o.cold, payload };
  const retry = { ...DEFAULT_RETRY, retries: o.retries };
  const describe = (err: unknown) => describeAwsError(err, { region, functionName: target.functionName, endpoint: o.endpoint, suggestion: named.suggestion });
  return { client, region, target, configuration, timeoutMs, invoker, plan, retry, describe, benchmark: named.benchmark };
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

/** `--out <file>`: see out-file.ts; with `io`, a write failure is printed the moment it happens. */
export function openOut(file: string, io?: Io, stop?: AbortController): RunOut {
  return RunOut.open(file, io, stop);
}

/** A run's lifecycle (src/measure/lifecycle.ts) as the CLI runs it: RunOut files, stderr, the bar. */
export function lifecycleOf(io: Io, planned: number | null, progress?: RunProgress, provenance?: Provenance[]): RunLifecycle {
  return new RunLifecycle({ open: (f) => openOut(f, io), planned, progress, provenance, warn: (line) => io.err(`${line}\n`) });
}

/** `--force`, on every command that writes runs. */
export const FORCE_HELP = "replace the run files (and their .meta.json) --out names if they exist; without it an existing run is never overwritten";

/** Refuses, before anything is changed or invoked, to write over a run (see runs/claim.ts). */
export function claimOut(files: readonly string[], force: boolean | undefined, flag = "--out"): void {
  const claim = claimFiles(files, force === true);
  if (claim) throw new UserError(`${flag} ${claim.taken} already exists: pass --force to replace it, or write to ${claim.suggestion}`);
}

/** `sweep --out <dir>`: a folder that already holds runs is refused unless --force. */
export function claimOutFolder(dir: string, files: readonly string[], force: boolean | undefined): void {
  const claim = claimFolder(dir, files, force === true);
  if (claim) {
    throw new UserError(`--out ${claim.taken} already holds runs: pass --force to replace this sweep's files in it, or write to ${claim.suggestion}`);
  }
}
