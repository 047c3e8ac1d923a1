// wrk2 (giltene/wrk2: C, constant throughput, latency from each request's scheduled time) against
// the bench's loopback Invoke server, for bench:open-loop's side by side. Not fetched or built
// here: give a built binary with WRK2=/path/to/wrk (git clone https://github.com/giltene/wrk2 &&
// make). Its CPU is the user + sys time bash's `times` reports for it as a child.
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export interface Wrk2Figures {
  rate: number;
  requests: number;
  perSecond: number;
  p50Ms: number | null;
  p99Ms: number | null;
  maxMs: number | null;
  cpuUsPerCall: number;
}

/** The binary to run, from WRK2 or --wrk2=PATH; undefined when not given. */
export function wrk2Binary(argv: string[]): string | undefined {
  const flag = argv.find((a) => a.startsWith("--wrk2="));
  return flag ? flag.slice("--wrk2=".length) : process.env.WRK2 || undefined;
}

/** The Lua script that makes wrk2's requests the Invoke the bench server answers (it accepts them unsigned). */
function script(fn: string): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "wrk2-")), "invoke.lua");
  fs.writeFileSync(file, `wrk.method = "POST"\nwrk.path = "/2015-03-31/functions/${fn}/invocations"\nwrk.body = "{}"\n` +
    `wrk.headers["Content-Type"] = "application/octet-stream"\nwrk.headers["X-Amz-Log-Type"] = "Tail"\n`);
  return file;
}

/** "2.30ms", "850.00us", "1.02s" in ms. */
function ms(text: string): number {
  const m = /^([\d.]+)(us|ms|s|m)$/.exec(text);
  if (!m) return NaN;
  return Number(m[1]) * { us: 0.001, ms: 1, s: 1000, m: 60_000 }[m[2] as "us" | "ms" | "s" | "m"];
}

/** Reads wrk2's --latency output and bash's `times` line for it. */
export function parseWrk2(out: string, rate: number): Wrk2Figures {
  const pct = (p: string) => {
    const m = new RegExp(`^\\s*${p.replace(".", "\\.")}%\\s+(\\S+)`, "m").exec(out);
    return m ? ms(m[1]) : null;
  };
  const requests = Number(/(\d+) requests in/.exec(out)?.[1] ?? NaN);
  const perSecond = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? NaN);
  const max = /Latency\s+\S+\s+\S+\s+(\S+)/.exec(out);
  // `times`: the shell's own user/sys, then its children's (wrk2): "0m1.234s 0m0.567s".
  const times = [...out.matchAll(/(\d+)m([\d.]+)s\s+(\d+)m([\d.]+)s/g)].pop();
  const cpuS = times ? Number(times[1]) * 60 + Number(times[2]) + Number(times[3]) * 60 + Number(times[4]) : NaN;
  return { rate, requests, perSecond, p50Ms: pct("50.000"), p99Ms: pct("99.000"), maxMs: max ? ms(max[1]) : null, cpuUsPerCall: (cpuS * 1e6) / requests };
}

/** One wrk2 run: one thread, `connections` connections, `rate` requests a second for `seconds`. */
export function runWrk2(bin: string, endpoint: string, fn: string, rate: number, seconds: number, connections: number): Promise<Wrk2Figures> {
  const args = ["-t1", `-c${connections}`, `-d${seconds}s`, `-R${rate}`, "--latency", "-s", script(fn), endpoint];
  const quoted = [bin, ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(" ");
  return new Promise((resolve, reject) => {
    const c = spawn("bash", ["-c", `${quoted} && times`], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    c.stdout.on("data", (d) => { out += d; });
    c.on("exit", (code) => (code === 0 ? resolve(parseWrk2(out, rate)) : reject(new Error(`wrk2 exited ${code}:\n${out}`))));
  });
}
