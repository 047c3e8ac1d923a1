// The local stand-in for Lambda, in-process: moto_server for the control plane (the functions are
// created there, so GetFunctionConfiguration, UpdateFunctionConfiguration, `--cold` and `sweep`
// meet the real API) and the loopback Invoke server in front of it, serving the catalogue's
// functions with REPORT tails. `npm run try-server` and `lambda-bench demo` start it.
import { createFunction, startMoto } from "./moto";
import { InvokeServer } from "./invoke-server";
import { STANDIN_FUNCTIONS, standinScript, type StandinFunction } from "./functions";
import { rng } from "../../benchmarks/map-reduce/src/corpus";

export interface Standin {
  /** The Lambda endpoint to pass as --endpoint. */
  endpoint: string;
  /** moto_server's endpoint, where the control-plane calls end up. */
  controlEndpoint: string;
  functions: readonly StandinFunction[];
  /** Invocations served so far (the truth a test of stopping compares a run's records with). */
  served(): number;
  stop(): Promise<void>;
}

/** Starts moto and the Invoke server on 127.0.0.1 (the server on `port`, or a free one). */
export async function startStandin(opts: { port?: number; seed?: number; functions?: readonly StandinFunction[]; evictAfterMs?: number } = {}): Promise<Standin> {
  const functions = opts.functions ?? STANDIN_FUNCTIONS;
  const moto = await startMoto();
  let server: InvokeServer | undefined;
  try {
    for (const f of functions) {
      await createFunction(moto.endpoint, f.name, { MemorySize: f.memoryMb, Architectures: [f.architecture], Timeout: f.timeoutS });
    }
    server = await InvokeServer.start(standinScript(functions, rng(opts.seed ?? 42)), moto.endpoint, undefined, opts.port ?? 0);
    server.evictAfterMs = opts.evictAfterMs;
  } catch (err) {
    await moto.stop();
    throw err;
  }
  const invoke = server;
  let stopped: Promise<void> | undefined;
  return {
    endpoint: invoke.endpoint,
    controlEndpoint: moto.endpoint,
    functions,
    served: () => invoke.served,
    stop: () => (stopped ??= (async () => {
      await invoke.close();
      await moto.stop();
    })()),
  };
}
