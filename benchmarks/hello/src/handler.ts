// hello: returns at once. The baseline for platform overhead and cold starts: whatever a
// measurement of this function shows is Lambda's cost, not the workload's.
const initializedAt = Date.now();
let invocations = 0;

export interface HelloEvent {
  name?: string;
}

export interface HelloResult {
  message: string;
  /** True on the first invocation of this execution environment. */
  coldStart: boolean;
  /** Milliseconds since this environment's module was loaded. */
  sinceInitMs: number;
}

export async function handler(event: HelloEvent | null | undefined): Promise<HelloResult> {
  invocations += 1;
  return {
    message: `hello, ${event?.name ?? "world"}`,
    coldStart: invocations === 1,
    sinceInitMs: Date.now() - initializedAt,
  };
}
