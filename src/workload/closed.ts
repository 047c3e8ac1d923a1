// The closed loop (`-n N -c C`): N calls with C in flight, the next leaving when one returns. It has
// no send times of its own: the engine schedules each call when a slot frees (engine.ts runClosed).
import type { Workload } from "./workload";

export interface ClosedLoop {
  invocations: number;
  concurrency: number;
}

export function closedWorkload(loop: ClosedLoop): Workload {
  return { shape: "closed", n: loop.invocations, c: loop.concurrency };
}
