// The local stand-in for Lambda, in-process and Node alone: the loopback Invoke server serving the
// catalogue's functions with REPORT tails, and its own control plane (control-plane.ts:
// GetFunctionConfiguration, UpdateFunctionConfiguration, GetFunction, GetAccountSettings, STS), so
// `--cold`, `sweep`, `idle`, provenance and `doctor` meet the API's shapes. `npm run try-server`
// and `lambda-bench demo` start it. (The tests' moto_server is a second, independent server: a
// test that wants it starts it, moto.ts, and passes it to InvokeServer.start.)
import { InvokeServer } from "./invoke-server";
import { ControlPlane } from "./control-plane";
import { STANDIN_FUNCTIONS, standinScript, type StandinFunction } from "./functions";
import { rng } from "../../benchmarks/map-reduce/src/corpus";

export interface Standin {
  /** The Lambda (and STS) endpoint to pass as --endpoint. */
  endpoint: string;
  functions: readonly StandinFunction[];
  /** The Invoke server itself: its call log is the truth tests compare the client's figures with. */
  server: InvokeServer;
  /** Invocations served so far (the truth a test of stopping compares a run's records with). */
  served(): number;
  stop(): Promise<void>;
}

export interface StandinOptions {
  port?: number;
  seed?: number;
  functions?: readonly StandinFunction[];
  evictAfterMs?: number;
  /** How long an UpdateFunctionConfiguration stays InProgress (default 0). */
  updateMs?: number;
}

/** Starts the Invoke server, with its control plane, on 127.0.0.1 (on `port`, or a free one). */
export async function startStandin(opts: StandinOptions = {}): Promise<Standin> {
  const functions = opts.functions ?? STANDIN_FUNCTIONS;
  const server = await InvokeServer.start(standinScript(functions, rng(opts.seed ?? 42)), undefined, undefined, opts.port ?? 0);
  server.evictAfterMs = opts.evictAfterMs;
  server.control = new ControlPlane(functions, { updateMs: opts.updateMs });
  let stopped: Promise<void> | undefined;
  return {
    endpoint: server.endpoint,
    functions,
    server,
    served: () => server.served,
    stop: () => (stopped ??= server.close()),
  };
}
