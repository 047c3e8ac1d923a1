// The driver function's entry (issue 28): a stub until the driver is built. Contract: the bundle
// (esbuild, src/generator/bundle.ts) takes this file's `handler`; the event is a MapItem and the
// answer the next MapItem (objects.ts); the bucket comes from the environment (DRIVER_BUCKET_ENV).
import type { MapItem } from "./objects";

/** The driver's environment variable naming the stack's bucket (set by components/generator.ts). */
export const DRIVER_BUCKET_ENV = "LAMBDA_BENCH_BUCKET";

/** The part of Lambda's context the driver uses. */
export interface DriverContext {
  getRemainingTimeInMillis(): number;
}

export async function handler(_event: MapItem, _context: DriverContext): Promise<MapItem> {
  throw new Error("the Lambda driver is not built yet");
}
