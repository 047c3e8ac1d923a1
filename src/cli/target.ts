// What `<benchmark>` names on the command line: a benchmark of the manifest (resolved to the
// function name it is deployed under), or else a function name or ARN, as the AWS CLI takes it.
import * as fs from "node:fs";
import {
  GetFunctionConfigurationCommand, GetProvisionedConcurrencyConfigCommand, type FunctionConfiguration, type LambdaClient,
} from "@aws-sdk/client-lambda";
import { loadManifest } from "../manifest/load";
import { didYouMean } from "../manifest/issues";
import type { Benchmark } from "../manifest/schema";
import { getConfiguration } from "../measure/configuration";
import { pricesFor, type Architecture } from "../aws/pricing";
import type { Target } from "../measure/invoke";
import { describeAwsError } from "../aws/lambda";
import { UserError } from "./errors";

export interface TargetOptions {
  manifest?: string;
  namePrefix: string;
  endpoint?: string;
  /** Overrides the deployed name, keeping the benchmark's manifest entry (memory, architecture). */
  functionName?: string;
  /** A version or alias to invoke (`--qualifier`), as the AWS CLI takes it. */
  qualifier?: string;
}

export const DEFAULT_MANIFEST = "benchmarks.yaml";

export interface Named {
  benchmark: string;
  functionName: string;
  entry?: Benchmark;
  /** For a name that is not a benchmark: ` (did you mean "x"?)` naming the nearest one, or "". */
  suggestion?: string;
}

export function resolveName(name: string, o: TargetOptions): Named {
  const named = lookUp(name, o);
  return o.functionName ? { ...named, functionName: o.functionName } : named;
}

function lookUp(name: string, o: TargetOptions): Named {
  const file = o.manifest ?? DEFAULT_MANIFEST;
  // Without an explicit --manifest, a missing default manifest just means "not a benchmark".
  if (o.manifest === undefined && !fs.existsSync(file)) return { benchmark: name, functionName: name };
  if (!fs.existsSync(file)) throw new UserError(`manifest ${file} not found: pass --manifest with an existing file`);
  const benchmarks = loadManifest(file, { namePrefix: o.namePrefix }).benchmarks;
  const entry = benchmarks.find((b) => b.function === name);
  if (entry) return { benchmark: name, functionName: entry.deployedName, entry };
  const suggestion = didYouMean(name, benchmarks.map((b) => b.function));
  return { benchmark: name, functionName: name, suggestion };
}

/**
 * The measurement target with memory and architecture from GetFunctionConfiguration. An emulator
 * endpoint (the runtime interface emulator) serves Invoke only: there the manifest's values are
 * used, and the configuration is reported as absent.
 */
export async function resolveTarget(
  client: LambdaClient, named: Named, region: string, o: TargetOptions,
): Promise<{ target: Target; configuration?: FunctionConfiguration }> {
  let configuration: FunctionConfiguration | undefined;
  const shown = o.qualifier ? `${named.functionName}:${o.qualifier}` : named.functionName;
  try {
    configuration = o.qualifier
      ? await client.send(new GetFunctionConfigurationCommand({ FunctionName: named.functionName, Qualifier: o.qualifier }))
      : await getConfiguration(client, named.functionName);
  } catch (err) {
    if (!unserved(err, o)) throw new UserError(describeAwsError(err, { functionName: shown, region, endpoint: o.endpoint, suggestion: named.suggestion }));
  }
  const provisionedConcurrency = o.qualifier ? await readProvisioned(client, named.functionName, o.qualifier, o, region) : undefined;
  const architecture = (configuration?.Architectures?.[0] ?? named.entry?.architecture ?? "x86_64") as Architecture;
  return {
    configuration,
    target: {
      benchmark: named.benchmark,
      functionName: named.functionName,
      region,
      ...(o.qualifier ? { qualifier: o.qualifier } : {}),
      ...(provisionedConcurrency ? { provisioned: true, provisionedConcurrency } : {}),
      ...(configuration?.Timeout ? { timeoutMs: configuration.Timeout * 1000 } : {}),
      architecture,
      memoryMb: configuration?.MemorySize ?? named.entry?.memory ?? null,
      ephemeralMb: configuration?.EphemeralStorage?.Size ?? named.entry?.ephemeralStorage ?? 512,
      prices: pricesFor(region).prices,
    },
  };
}

/** An emulator endpoint that does not serve a control-plane call (not a missing function). */
function unserved(err: unknown, o: TargetOptions): boolean {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  return o.endpoint !== undefined && e.name !== "ResourceNotFoundException" && [404, 405, 501].includes(e.$metadata?.httpStatusCode ?? 0);
}

/**
 * The qualifier's allocated provisioned concurrency at the start of the run
 * (GetProvisionedConcurrencyConfig); undefined when it has none, or the endpoint does not serve it.
 */
async function readProvisioned(
  client: LambdaClient, functionName: string, qualifier: string, o: TargetOptions, region: string,
): Promise<number | undefined> {
  try {
    const c = await client.send(new GetProvisionedConcurrencyConfigCommand({ FunctionName: functionName, Qualifier: qualifier }));
    const n = c.AllocatedProvisionedConcurrentExecutions ?? 0;
    return n > 0 ? n : undefined;
  } catch (err) {
    const name = (err as { name?: string }).name;
    if (name === "ProvisionedConcurrencyConfigNotFoundException" || unserved(err, o)) return undefined;
    throw new UserError(describeAwsError(err, { functionName: `${functionName}:${qualifier}`, region, endpoint: o.endpoint }));
  }
}
