// The local generator's worker process (issue 28): `measure --shards N` forks this file N times
// (child_process.fork, an IPC channel to the parent). argv: the shard spec's file; the environment
// variable LAMBDA_BENCH_DRIVER: the DriverEnv (where Lambda is, the resolved target) as JSON, so
// the spec itself never says where to send. SIGINT, SIGTERM or SIGHUP (a terminal's Ctrl-C reaches
// the whole process group; the parent forwards its own), or the parent's channel closing (the
// parent gone), stop the shard: no new call is sent, those in flight finish, every record is kept
// and the clock file written. Exit 0 when the shard ran (all of it, or until stopped), 1 with one
// line on stderr when it could not, 3 when it stopped on an error no retry could fix.
import * as fs from "node:fs";
import { parseShardSpec } from "./spec";
import { runShard, type DriverEnv } from "./driver";

export const DRIVER_ENV = "LAMBDA_BENCH_DRIVER";

/** What a worker tells its parent at the end (IPC). */
export interface WorkerReport {
  shard: number;
  calls: number;
  stopped: boolean;
  fatal?: string;
  writeError?: string;
}

async function main(): Promise<number> {
  const file = process.argv[2];
  const stop = new AbortController();
  for (const s of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(s, () => stop.abort());
  process.on("disconnect", () => stop.abort());
  let shard = "?";
  try {
    if (!file) throw new Error("usage: worker.js <shard spec file> (with LAMBDA_BENCH_DRIVER set)");
    const spec = parseShardSpec(fs.readFileSync(file, "utf8"), file);
    shard = String(spec.shard);
    const raw = process.env[DRIVER_ENV];
    if (!raw) throw new Error(`${DRIVER_ENV} is not set: the worker takes where Lambda is from its parent`);
    const env = JSON.parse(raw) as DriverEnv;
    const result = await runShard(spec, env, { signal: stop.signal });
    const report: WorkerReport = {
      shard: spec.shard, calls: result.summary.invocations + (result.summary.workload?.dropped ?? 0), stopped: stop.signal.aborted,
      ...(result.fatal ? { fatal: result.fatal } : {}), ...(result.writeError ? { writeError: result.writeError } : {}),
    };
    if (process.connected) await new Promise<void>((resolve) => process.send!(report, () => resolve()));
    if (result.fatal) {
      process.stderr.write(`shard ${shard}: ${result.fatal}\n`);
      return 3;
    }
    return result.writeError ? 1 : 0;
  } catch (err) {
    process.stderr.write(`shard ${shard}: ${(err as Error).message.split("\n")[0]}\n`);
    return 1;
  }
}

if (require.main === module) {
  main().then((code) => {
    process.exitCode = code;
    if (process.connected) process.disconnect();
  });
}
