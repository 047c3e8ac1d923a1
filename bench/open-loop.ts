// The open loop against a loopback Invoke server in its own process: 10 s at 1,000, 5,000, 10,000
// and 20,000 calls a second (`--quick`: 2 s each), each rate in a fresh client process running
// `lambda-bench measure --rate R --duration D --warmup 2000 -c K --max-in-flight K` (K = 64, as the
// bare loop's, BENCH_CONNECTIONS to change it) with every record written (to /dev/null). The
// warm-up at K in flight opens the K connections before the first scheduled send; a call due
// while K are in flight is dropped (k6's dropped_iterations), never queued. Per rate (CPU per call includes the warm-up's calls and the run's fixed costs):
// achieved/target, lag p50/p99/max, dropped, most in flight, client CPU per call and peak RSS.
// Beside them, the most calls a second a bare undici Pool.dispatch loop reaches against the same
// server (the limit). Targets (issue 13): achieved within 1% of target and lag p99 <= 2 ms at every
// rate up to min(10,000/s, 80% of the bare limit); a rate above that is reported as not holdable.
//   npm run bench:open-loop [-- --quick]
require("node:module").enableCompileCache?.();
import { spawn } from "node:child_process";
import { Pool } from "undici";
import { serve } from "./server";
import { verdict } from "./verdict";

const FN = "bench-fn";
const QUICK = process.argv.includes("--quick");
const SECONDS = QUICK ? 2 : 10;
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 64);
const RATES = (process.env.BENCH_RATES ?? "1000,5000,10000,20000").split(",").map(Number);

/** The limit: a bare closed loop on undici's Pool.dispatch with 64 in flight, for `seconds`. */
async function bare(endpoint: string, seconds: number): Promise<void> {
  const pool = new Pool(endpoint, { connections: 64, pipelining: 1 });
  const request = { method: "POST" as const, path: `/2015-03-31/functions/${FN}/invocations`, body: Buffer.from("{}"), headers: ["x-amz-log-type", "Tail"] };
  const one = () => new Promise<void>((resolve, reject) => {
    pool.dispatch(request, {
      onRequestStart() {}, onResponseStart() {}, onResponseData() {}, onResponseEnd: () => resolve(), onResponseError: (_c, err) => reject(err),
    });
  });
  const end = performance.now() + seconds * 1000;
  let n = 0;
  const t = performance.now();
  await Promise.all(Array.from({ length: 64 }, async () => {
    while (performance.now() < end) {
      await one();
      n++;
    }
  }));
  const ms = performance.now() - t;
  await pool.close();
  const cpu = process.cpuUsage();
  process.stdout.write(`${JSON.stringify({ perSecond: (n * 1000) / ms, cpuUsPerCall: (cpu.user + cpu.system) / n, maxRssKb: process.resourceUsage().maxRSS })}\n`);
}

interface RateFigures {
  target: number; achieved: number | null; lagP50: number | null; lagP99: number | null; lagMax: number | null;
  dropped: number; sent: number; maxInFlight: number | null; cpuUsPerCall: number; maxRssKb: number;
}

/** One rate through the CLI's own entry, every record written. */
async function open(endpoint: string, rate: number, seconds: number): Promise<void> {
  const { run } = await import("../src/cli/main");
  let stdout = "";
  const cpu0 = process.cpuUsage();
  // --warmup: 2,000 calls at K in flight first (left out of the figures), so the JIT, the signer
  // and the K connections are not what the first second of the schedule measures.
  const code = await run(["measure", FN, "--rate", String(rate), "--duration", `${seconds}s`, "--warmup", "2000",
    "-c", String(CONNECTIONS), "--max-in-flight", String(CONNECTIONS),
    "--endpoint", endpoint, "--region", "us-east-1", "--json", "--out", "/dev/null"], { out: (s) => { stdout += s; }, err: (s) => process.stderr.write(s) });
  const cpu = process.cpuUsage(cpu0);
  if (code !== 0) throw new Error(`measure exited ${code}`);
  const s = JSON.parse(stdout) as import("../src/summary/summary").SummaryJson;
  const w = s.workload!;
  const figures: RateFigures = {
    target: rate, achieved: w.achievedRate, lagP50: w.lagMs.p50, lagP99: w.lagMs.p99, lagMax: w.lagMs.max,
    dropped: w.dropped, sent: s.invocations, maxInFlight: w.maxInFlight, cpuUsPerCall: (cpu.user + cpu.system) / Math.max(1, s.invocations + s.warmup),
    maxRssKb: process.resourceUsage().maxRSS,
  };
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}

function child<T>(args: string[]): Promise<T> {
  return new Promise((resolve, reject) => {
    const c = spawn(process.execPath, [__filename, ...args], {
      stdio: ["ignore", "pipe", "inherit"],
      env: { ...process.env, AWS_ACCESS_KEY_ID: "x", AWS_SECRET_ACCESS_KEY: "x", AWS_REGION: "us-east-1" },
    });
    let out = "";
    c.stdout.on("data", (d) => { out += d; });
    c.on("exit", (code) => (code === 0 ? resolve(JSON.parse(out.trim().split("\n").pop()!) as T) : reject(new Error(`${args[0]} exited ${code}`))));
  });
}

const f = (x: number | null, d = 2) => (x === null ? "-" : x.toFixed(d));

async function main(): Promise<void> {
  const server = spawn(process.execPath, [__filename, "serve"], { stdio: ["ignore", "pipe", "inherit"] });
  const port = await new Promise<string>((resolve) => server.stdout.once("data", (d) => resolve(String(d).trim())));
  const endpoint = `http://127.0.0.1:${port}`;
  try {
    const limit = await child<{ perSecond: number; cpuUsPerCall: number }>(["bare", endpoint, String(Math.min(SECONDS, 5))]);
    const held = Math.min(10_000, 0.8 * limit.perSecond);
    console.log(`open loop, ${SECONDS} s a rate after 2,000 warm-up calls, --max-in-flight ${CONNECTIONS}, loopback server in its own process, ` +
      "records written to /dev/null");
    console.log(`bare undici Pool.dispatch loop (64 in flight): ${limit.perSecond.toFixed(0)} calls/s, ${limit.cpuUsPerCall.toFixed(1)} µs CPU a call ` +
      `(the limit); targets hold up to min(10000, 80% of it) = ${held.toFixed(0)}/s`);
    console.log("target/s   achieved/s  achieved/target  lag p50 ms  lag p99 ms  lag max ms  dropped  most in flight  CPU µs/call  peak RSS MB");
    const results: RateFigures[] = [];
    for (const rate of RATES) {
      const r = await child<RateFigures>(["open", endpoint, String(rate), String(SECONDS)]);
      results.push(r);
      console.log(`${String(rate).padStart(8)}  ${f(r.achieved, 1).padStart(10)}  ${f(r.achieved === null ? null : r.achieved / rate, 4).padStart(15)}  ` +
        `${f(r.lagP50, 3).padStart(10)}  ${f(r.lagP99, 3).padStart(10)}  ${f(r.lagMax, 1).padStart(10)}  ${String(r.dropped).padStart(7)}  ` +
        `${String(r.maxInFlight ?? "-").padStart(14)}  ${r.cpuUsPerCall.toFixed(1).padStart(11)}  ${(r.maxRssKb / 1024).toFixed(0).padStart(11)}`);
    }
    for (const r of results) {
      const ratio = r.achieved === null ? 0 : r.achieved / r.target;
      // The two targets; drops are within "achieved" (a dropped call is not sent), and said apart.
      const holds = ratio >= 0.99 && (r.lagP99 ?? Infinity) <= 2;
      const drops = r.dropped > 0 ? `, dropped ${r.dropped} (more than ${CONNECTIONS} in flight at their time)` : "";
      if (r.target <= held) {
        console.log(verdict(`${r.target}/s achieved/target`, ratio, 0.99, { higherIsBetter: true, digits: 4 }));
        console.log(verdict(`${r.target}/s lag p99`, r.lagP99 ?? Infinity, 2, { unit: " ms", digits: 3 }));
        if (!holds) console.log(`----  ${r.target}/s: lambda-bench CANNOT HOLD this rate here (achieved ${(100 * ratio).toFixed(1)}%, lag p99 ${f(r.lagP99, 1)} ms${drops})`);
        else if (drops) console.log(`----  ${r.target}/s: held${drops}`);
      } else {
        console.log(`----  ${r.target}/s is above min(10000/s, 80% of the bare limit ${limit.perSecond.toFixed(0)}/s): no target; ` +
          (holds ? `it held anyway${drops}` : `it CANNOT HOLD this rate here (achieved ${(100 * ratio).toFixed(1)}%, lag p99 ${f(r.lagP99, 1)} ms${drops})`));
      }
    }
  } finally {
    server.kill();
  }
}

const [mode, ...args] = process.argv.slice(2).filter((a) => a !== "--quick");
const fail = (err: unknown) => {
  console.error(err);
  process.exit(1);
};
if (mode === "serve") serve();
else if (mode === "bare") bare(args[0], Number(args[1])).catch(fail);
else if (mode === "open") open(args[0], Number(args[1]), Number(args[2])).catch(fail);
else main().catch(fail);
