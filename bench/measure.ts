// lambda-bench measure against one fast loopback Invoke server, beside the two comparators
// and two more, the same N invocations at the same concurrency in one run:
//   raw     an unsigned keep-alive node:http loop (the limit: no signing, no parsing, no records)
//   signed  the same loop signing every request with the SDK's SigV4 signer (what real AWS needs)
//   undici  an unsigned loop on the transport measure itself uses (undici's Pool.dispatch): what
//           the records, REPORT parsing, statistics and signing cost over the bare transport
//   undici-signed  the same loop sending the very bytes measure sends (SigV4 headers signed once):
//           the bare transport for the same HTTP exchange; the server parses ~500 more header bytes
//   boto3   the seed's client, a thread pool of boto3 invoke calls
// Each client is its own process (the server is another), timed around its loop and from spawn
// to exit, with its peak RSS. Then a long run shows the summary's memory does not grow with N.
//   node dist/bench/measure.js            (BENCH_N, BENCH_C, BENCH_ROUNDS, BENCH_LONG_N to scale)
// As bin/lambda-bench.js does; here every Node way (ours and the raw loops) gets it alike.
require("node:module").enableCompileCache?.();
import { spawn } from "node:child_process";
import * as http from "node:http";
import { LambdaClient } from "@aws-sdk/client-lambda";
import { SignatureV4 } from "@smithy/signature-v4";
import { Pool } from "undici";
import { serve } from "./server";
import { verdict } from "./verdict";

// 100,000 calls: a run's fixed CPU (loading the CLI's commands, the manifest, the SDK's client,
// provenance: ~110 ms) is ~1 µs a call here, where at 20,000 it was ~5 µs of the per-call figure.
const N = Number(process.env.BENCH_N ?? 100_000);
const C = Number(process.env.BENCH_C ?? 16);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const LONG_N = Number(process.env.BENCH_LONG_N ?? 1_000_000);
const FN = "bench-fn";

/** Runs `one` n times with at most c in flight: the raw loops' shared driver. */
async function inFlight(n: number, c: number, one: () => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: c }, async () => {
    while (next < n) {
      next++;
      await one();
    }
  }));
}

/** The limit: a keep-alive loop that reads each body and nothing else; with `sign`, signs each request. */
async function raw(endpoint: string, n: number, c: number, sign = false): Promise<void> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: c });
  const url = new URL(`${endpoint}/2015-03-31/functions/${FN}/invocations`);
  const body = Buffer.from("{}");
  const send = (headers: http.OutgoingHttpHeaders) => new Promise<void>((resolve, reject) => {
    const req = http.request({ hostname: url.hostname, port: url.port, path: url.pathname, method: "POST", agent, headers }, (res) => {
      res.on("data", () => {});
      res.on("end", resolve);
    });
    req.on("error", reject);
    req.end(body);
  });
  const client = new LambdaClient({ region: "us-east-1" });
  const signer = new SignatureV4({ credentials: client.config.credentials, region: "us-east-1", service: "lambda", sha256: client.config.sha256 });
  const signed = async () => ({
    ...(await signer.sign({
      method: "POST", protocol: "http:", hostname: url.hostname, port: Number(url.port), path: url.pathname, query: {}, body,
      headers: { host: url.host, "content-type": "application/octet-stream", "x-amz-log-type": "Tail" },
    })).headers,
    "content-length": body.length,
  });
  const fixed = { "content-length": body.length, "x-amz-log-type": "Tail" };
  const one = sign ? async () => send(await signed()) : () => send(fixed);
  await inFlight(n, c, one);
  agent.destroy();
}

/**
 * The same loop on undici's Pool.dispatch, reading each body and nothing else. Unsigned; with
 * `signed`, every request carries the headers measure sends (a SigV4 signature made once, so the
 * same bytes go over the wire and the server parses the same request, with no signing work).
 */
async function rawUndici(endpoint: string, n: number, c: number, signed = false): Promise<void> {
  const pool = new Pool(endpoint, { connections: c, pipelining: 1 });
  const url = new URL(endpoint);
  const path = `/2015-03-31/functions/${FN}/invocations`;
  const body = Buffer.from("{}");
  let headers = ["x-amz-log-type", "Tail"];
  if (signed) {
    const client = new LambdaClient({ region: "us-east-1" });
    const signer = new SignatureV4({ credentials: client.config.credentials, region: "us-east-1", service: "lambda", sha256: client.config.sha256 });
    headers = Object.entries((await signer.sign({
      method: "POST", protocol: url.protocol, hostname: url.hostname, port: Number(url.port), path, query: {}, body,
      headers: { host: url.host, "content-type": "application/octet-stream", "x-amz-log-type": "Tail" },
    })).headers).flat();
  }
  const request = { method: "POST" as const, path, body, headers };
  const one = () => new Promise<void>((resolve, reject) => {
    pool.dispatch(request, {
      onRequestStart() {}, onResponseStart() {}, onResponseData() {}, onResponseEnd: () => resolve(), onResponseError: (_c, err) => reject(err),
    });
  });
  await inFlight(n, c, one);
  await pool.close();
}

async function lambdaBench(run: typeof import("../src/cli/main").run, endpoint: string, n: number, c: number, out: string): Promise<void> {
  let stdout = "";
  const code = await run(["measure", FN, "-n", String(n), "-c", String(c), "--endpoint", endpoint, "--json", "--out", out],
    { out: (s) => { stdout += s; }, err: (s) => process.stderr.write(s) });
  const summary = JSON.parse(stdout) as { invocations: number; errors: number };
  if (code !== 0 || summary.invocations !== n || summary.errors !== 0) throw new Error(`measure failed: ${code} ${stdout}`);
}

const BOTO3 = `
import sys, time, resource, boto3, botocore.config, concurrent.futures as cf
ep, n, c = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
cl = boto3.client("lambda", endpoint_url=ep, region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x",
  config=botocore.config.Config(max_pool_connections=c, retries={"max_attempts": 0}))
def one(_):
  r = cl.invoke(FunctionName="${FN}", Payload=b"{}", LogType="Tail"); r["Payload"].read()
t = time.perf_counter()
with cf.ThreadPoolExecutor(c) as ex: list(ex.map(one, range(n)))
print('{"loopMs": %f, "maxRssKb": %d}' % ((time.perf_counter() - t) * 1000, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))
`;

/** A client mode, in this process: time the loop, report it with the peak RSS on stdout. */
async function client(mode: string, endpoint: string, n: number, c: number, out: string): Promise<void> {
  // The CLI's own entry, loaded before the clock starts (its load time is in spawn-to-exit).
  const { run } = mode === "lambda-bench" ? await import("../src/cli/main") : { run: undefined };
  const t = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  if (mode === "undici" || mode === "undici-signed") await rawUndici(endpoint, n, c, mode === "undici-signed");
  else if (!run) await raw(endpoint, n, c, mode === "signed");
  else await lambdaBench(run, endpoint, n, c, out);
  const loopMs = Number(process.hrtime.bigint() - t) / 1e6;
  const cpu = process.cpuUsage(cpu0);
  process.stdout.write(`${JSON.stringify({ loopMs, cpuUsPerCall: (cpu.user + cpu.system) / n, maxRssKb: process.resourceUsage().maxRSS })}\n`);
}

interface Figures { loopMs: number; totalMs: number; maxRssKb: number; cpuUsPerCall: number }

function runChild(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<Figures> {
  return new Promise((resolve, reject) => {
    const t = process.hrtime.bigint();
    const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "inherit"], env: { ...process.env, ...env } });
    let out = "";
    child.stdout.on("data", (d) => { out += d; });
    child.on("exit", (code) => {
      const totalMs = Number(process.hrtime.bigint() - t) / 1e6;
      if (code !== 0) return reject(new Error(`${cmd} ${args.join(" ")} exited ${code}`));
      const last = JSON.parse(out.trim().split("\n").pop()!) as { loopMs: number; maxRssKb: number; cpuUsPerCall: number };
      resolve({ ...last, totalMs });
    });
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const server = spawn(process.execPath, [__filename, "serve"], { stdio: ["ignore", "pipe", "inherit"] });
  const port = await new Promise<string>((resolve) => server.stdout.once("data", (d) => resolve(String(d).trim())));
  const endpoint = `http://127.0.0.1:${port}`;
  const env = { AWS_ACCESS_KEY_ID: "x", AWS_SECRET_ACCESS_KEY: "x", AWS_REGION: "us-east-1" };
  const all: Record<string, () => Promise<Figures>> = {
    "lambda-bench": () => runChild(process.execPath, [__filename, "client", "lambda-bench", endpoint, String(N), String(C), "/dev/null"], env),
    raw: () => runChild(process.execPath, [__filename, "client", "raw", endpoint, String(N), String(C), "/dev/null"], env),
    signed: () => runChild(process.execPath, [__filename, "client", "signed", endpoint, String(N), String(C), "/dev/null"], env),
    undici: () => runChild(process.execPath, [__filename, "client", "undici", endpoint, String(N), String(C), "/dev/null"], env),
    "undici-signed": () => runChild(process.execPath, [__filename, "client", "undici-signed", endpoint, String(N), String(C), "/dev/null"], env),
    boto3: () => runChild("python3", ["-c", BOTO3, endpoint, String(N), String(C)]),
  };
  // BENCH_WAYS=lambda-bench,undici for the closed loop against its bare transport only.
  const only = process.env.BENCH_WAYS?.split(",");
  const ways = Object.fromEntries(Object.entries(all).filter(([k]) => !only || only.includes(k)));
  const results: Record<string, Figures[]> = Object.fromEntries(Object.keys(ways).map((k) => [k, []]));
  // Interleaved rounds, so drift on the machine touches every way alike.
  for (let r = 0; r < ROUNDS; r++) {
    for (const [name, go] of Object.entries(ways)) results[name].push(await go());
  }
  const m = Object.fromEntries(Object.entries(results).map(([k, v]) => [k, {
    loopMs: median(v.map((x) => x.loopMs)), totalMs: median(v.map((x) => x.totalMs)), maxRssKb: median(v.map((x) => x.maxRssKb)),
    cpuUsPerCall: median(v.map((x) => x.cpuUsPerCall ?? NaN)),
  }])) as Record<string, Figures>;
  console.log(`N=${N} invocations, C=${C} in flight, ${ROUNDS} interleaved rounds (medians), loopback server in its own process`);
  console.log("way            loop ms   spawn-to-exit ms   peak RSS MB   CPU µs/call (user+sys, loop only)");
  for (const [k, v] of Object.entries(m)) {
    console.log(`${k.padEnd(13)} ${v.loopMs.toFixed(0).padStart(8)} ${v.totalMs.toFixed(0).padStart(18)} ${(v.maxRssKb / 1024).toFixed(0).padStart(13)}` +
      `   ${Number.isNaN(v.cpuUsPerCall) ? "-" : v.cpuUsPerCall.toFixed(1)}`);
  }
  const lb = m["lambda-bench"];
  if (lb && m.undici) {
    // Issue 13: the closed loop, one workload of the engine, against its bare transport, records written.
    console.log(verdict("closed loop / bare undici Pool.dispatch loop, loop time", lb.loopMs / m.undici.loopMs, 1.25));
    console.log(verdict("closed loop / bare undici Pool.dispatch loop, CPU per call", lb.cpuUsPerCall / m.undici.cpuUsPerCall, 1.25));
    // Each round's pair, side by side: how far single rounds wander from the medians above.
    const paired = (k: "loopMs" | "cpuUsPerCall") => results["lambda-bench"].map((x, i) => (x[k] / results.undici[i][k]).toFixed(2)).join(" ");
    console.log(`  round by round: loop time ${paired("loopMs")}; CPU per call ${paired("cpuUsPerCall")}`);
  }
  const same = m["undici-signed"];
  if (lb && same) {
    console.log(`  beside the undici loop sending the same signed bytes: ${(lb.loopMs / same.loopMs).toFixed(2)}x loop time, ` +
      `${(lb.cpuUsPerCall / same.cpuUsPerCall).toFixed(2)}x CPU per call (the targets above are against the unsigned loop)`);
  }
  if (!lb || !m.raw || !m.signed || !m.undici || !m.boto3) {
    server.kill();
    return;
  }
  console.log(`lambda-bench / raw loop: ${(lb.loopMs / m.raw.loopMs).toFixed(2)}x loop, ${(lb.totalMs / m.raw.totalMs).toFixed(2)}x spawn-to-exit (target <= 1.05x)`);
  console.log(`lambda-bench / signed raw loop: ${(lb.loopMs / m.signed.loopMs).toFixed(2)}x loop, ${(lb.totalMs / m.signed.totalMs).toFixed(2)}x spawn-to-exit`);
  console.log(`lambda-bench / undici loop: ${(lb.loopMs / m.undici.loopMs).toFixed(2)}x loop, ${(lb.totalMs / m.undici.totalMs).toFixed(2)}x spawn-to-exit (the same transport, bare)`);
  console.log(`boto3 / lambda-bench:    ${(m.boto3.loopMs / lb.loopMs).toFixed(2)}x loop, ${(m.boto3.totalMs / lb.totalMs).toFixed(2)}x spawn-to-exit (target >= 5x)`);
  if (LONG_N > 0) {
    const long = await runChild(process.execPath, [__filename, "client", "lambda-bench", endpoint, String(LONG_N), String(C), "/dev/null"], env);
    console.log(`long run: ${LONG_N} invocations summarized (JSONL to /dev/null) in ${(long.loopMs / 1000).toFixed(1)} s, ` +
      `peak RSS ${(long.maxRssKb / 1024).toFixed(0)} MB (target < 200 MB)`);
  }
  server.kill();
}

const [mode, ...args] = process.argv.slice(2);
if (mode === "serve") serve();
else if (mode === "client") {
  client(args[0], args[1], Number(args[2]), Number(args[3]), args[4]).catch((err) => {
    console.error(err);
    process.exit(1);
  });
} else {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
