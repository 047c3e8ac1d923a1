// The functions the local Lambda stand-in serves (`npm run try-server`, `lambda-bench demo`): each
// answers as our own benchmark's handler does and writes its own log line, after a
// made-up duration (aes's falls with memory, as CPU-bound code's does). Any other name is answered
// as Lambda answers it: 404 ResourceNotFoundException.
import type { HelloEvent, HelloResult } from "../../benchmarks/hello/src/handler";
import { handler as aesHandler } from "../../benchmarks/aes/src/handler";
import { logTail, type Call, type Reply, type Script } from "./invoke-server";

export interface StandinFunction {
  name: string;
  memoryMb: number;
  architecture: "arm64" | "x86_64";
  timeoutS: number;
  /** A made-up Duration at a memory size, before noise. */
  baseMs(memoryMb: number): number;
  /** The handler's response and the line it logs. A thrown error is the function's error. */
  handle(event: unknown, call: Call): Promise<{ response: unknown; log: string }>;
}

export const STANDIN_FUNCTIONS: readonly StandinFunction[] = [
  {
    name: "hello", memoryMb: 128, architecture: "arm64", timeoutS: 60,
    baseMs: () => 1.2,
    // hello's response, with the stand-in's instances: a new one on each cold start. (Its real
    // handler counts invocations per process, which the stand-in's process is not.)
    async handle(event, call) {
      const r: HelloResult = { message: `hello, ${(event as HelloEvent | null)?.name ?? "world"}`, coldStart: call.cold, sinceInitMs: 0 };
      return { response: r, log: `hello: ${r.message}` };
    },
  },
  {
    name: "aes", memoryMb: 1024, architecture: "arm64", timeoutS: 60,
    // CPU-bound: faster with memory (its CPU share), up to one vCPU at 1769 MB.
    baseMs: (memoryMb) => 38 * 1024 / Math.min(memoryMb, 1769),
    // aes's real handler: the same digest as on Lambda.
    async handle(event) {
      const r = await aesHandler(event as Parameters<typeof aesHandler>[0]);
      return { response: r, log: `aes: ${r.rounds} rounds of aes-256-${r.mode} over ${r.length} bytes, digest ${r.digest.slice(0, 12)}` };
    },
  },
];

const ARN = (name: string) => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;

/** The Invoke server's script for these functions, with noise from `random` (seeded by the caller). */
export function standinScript(functions: readonly StandinFunction[], random: () => number): Script {
  const byName = new Map(functions.map((f) => [f.name, f]));
  return async (call): Promise<Reply> => {
    // A function is named as Lambda takes it: its name, or an ARN ending in it.
    const fn = byName.get(call.functionName.replace(/^arn:aws:lambda:[^:]*:\d+:function:/, ""));
    if (!fn) {
      return { kind: "status", status: 404, errorType: "ResourceNotFoundException", message: `Function not found: ${ARN(call.functionName)}` };
    }
    const memoryMb = call.memoryMb ?? fn.memoryMb;
    const durationMs = Math.round(fn.baseMs(memoryMb) * (1 + 0.2 * random() + (random() < 0.05 ? 1 : 0)) * 100) / 100;
    const initMs = call.cold ? Math.round((160 + 40 * random()) * 100) / 100 : undefined;
    let event: unknown = {};
    let result: { response: unknown; log: string; functionError?: string };
    try {
      event = call.body.length ? JSON.parse(call.body.toString("utf8")) : {};
      result = await fn.handle(event, call);
    } catch (err) {
      const e = err as Error;
      result = { response: { errorType: e.name, errorMessage: e.message }, log: `ERROR ${e.name}: ${e.message}`, functionError: "Unhandled" };
    }
    await new Promise((r) => setTimeout(r, durationMs + (initMs ?? 0) + 8));
    const report = {
      durationMs, billedMs: Math.ceil(durationMs + (initMs ?? 0)), memoryMb,
      maxMemoryMb: 70 + Math.floor(10 * random()), ...(initMs !== undefined ? { initMs } : {}),
    };
    return {
      kind: "ok", payload: JSON.stringify(result.response), log: logTail(call.requestId, report, result.log),
      ...(result.functionError ? { functionError: result.functionError } : {}),
    };
  };
}
