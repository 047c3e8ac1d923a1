// The driver function's entry (issue 28): the bundle (esbuild, src/generator/bundle.ts) takes this
// file's `handler`. The event is a MapItem and the answer the next MapItem (objects.ts); the
// bucket comes from the environment (DRIVER_BUCKET_ENV), the region from AWS_REGION, credentials
// from the execution role: nothing of where to read, write or invoke comes from the event.
// `makeHandler` takes those as WindowDeps so tests point the driver at loopback servers.
import { S3Client } from "@aws-sdk/client-s3";
import { version } from "../../package.json";
import { RealClock } from "../workload/clock";
import { DRIVER_BUCKET_ENV, type MapItem } from "./objects";
import { runWindow, type DriverContext, type WindowDeps } from "./window-driver";

export type { DriverContext } from "./window-driver";

export { DRIVER_BUCKET_ENV };

/** The handler over `deps` (made on the first invocation, when a function of the environment). */
export function makeHandler(deps: WindowDeps | (() => WindowDeps)): (event: MapItem, context: DriverContext) => Promise<MapItem> {
  let made: WindowDeps | undefined;
  return async (event, context) => {
    made ??= typeof deps === "function" ? deps() : deps;
    return runWindow(event, context, made);
  };
}

/** WindowDeps from Lambda's environment: the bucket variable, AWS_REGION, the function's memory (Lambda sets both). */
export function fromEnvironment(env: NodeJS.ProcessEnv = process.env): WindowDeps {
  const bucket = env[DRIVER_BUCKET_ENV];
  if (!bucket) throw new Error(`${DRIVER_BUCKET_ENV} is not set: the driver writes only to its stack's bucket`);
  const region = env.AWS_REGION;
  if (!region) throw new Error("AWS_REGION is not set: the driver invokes only its own region's Lambda");
  const memoryMb = Number(env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE);
  if (!Number.isInteger(memoryMb) || memoryMb <= 0) throw new Error("AWS_LAMBDA_FUNCTION_MEMORY_SIZE is not set: the driver runs on Lambda");
  return {
    bucket, region, memoryMb,
    // The SDK's retries (standard mode), a few more than its default 3: a part is the window's data.
    s3: new S3Client({ region, maxAttempts: 6 }),
    clock: new RealClock(),
    wallNow: Date.now,
    version,
    ...(env.AWS_LAMBDA_FUNCTION_NAME ? { selfName: env.AWS_LAMBDA_FUNCTION_NAME } : {}),
  };
}

export const handler = makeHandler(() => fromEnvironment());
