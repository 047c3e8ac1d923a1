// The Lambda driver's target (issue 28): the spec names a function (name or ARN, never a URL) and
// the region's Lambda is the only endpoint; memory, architecture and timeout come from
// GetFunctionConfiguration (the driver's role may call it on the stack's tagged functions), the
// prices from the region's row of the price table, as the CLI's resolveTarget fills them.
import { GetFunctionConfigurationCommand, type LambdaClient } from "@aws-sdk/client-lambda";
import { describeAwsError } from "../aws/lambda";
import { pricesFor, type Architecture } from "../aws/pricing";
import type { Target } from "../measure/invoke";
import { DriverRefusal } from "./run-bucket";
import type { ShardSpec } from "./spec";

/** A function ARN's name, or the name itself. */
export const functionNameOf = (ref: string) => ref.slice(ref.lastIndexOf(":") + 1);

export async function driverTarget(client: LambdaClient, spec: ShardSpec, region: string): Promise<Target> {
  const { function: fn, qualifier } = spec.target;
  let c;
  try {
    c = await client.send(new GetFunctionConfigurationCommand({ FunctionName: fn, ...(qualifier ? { Qualifier: qualifier } : {}) }));
  } catch (err) {
    throw new DriverRefusal(`shard ${spec.shard}: ${describeAwsError(err, { functionName: qualifier ? `${fn}:${qualifier}` : fn, region })}`);
  }
  return {
    benchmark: spec.benchmark ?? functionNameOf(fn),
    functionName: fn,
    region,
    ...(qualifier ? { qualifier } : {}),
    ...(c.Timeout ? { timeoutMs: c.Timeout * 1000 } : {}),
    architecture: (c.Architectures?.[0] ?? "x86_64") as Architecture,
    memoryMb: c.MemorySize ?? null,
    ephemeralMb: c.EphemeralStorage?.Size ?? 512,
    prices: pricesFor(region).prices,
  };
}
