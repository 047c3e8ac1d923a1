// A local stand-in for Lambda, to try `invoke` and `measure` without an AWS account:
// moto_server for the control plane, and the tests' Invoke server in front of it answering each
// call after a made-up duration (aes's falls with memory, like CPU-bound code's) with a REPORT
// tail (the first call, and the first after a configuration change, is a cold start).
// `npm run try-server`, then use the endpoint it prints. `npm run try-server -- --evict-after 2s`
// reclaims an instance left idle that long (for `lambda-bench idle`).
import { createFunction, startMoto } from "./moto";
import { parseDuration } from "../workload/idle-durations";
import { InvokeServer, logTail } from "./invoke-server";
import { rng } from "../../benchmarks/map-reduce/src/corpus";

async function main(): Promise<void> {
  Object.assign(process.env, { AWS_ACCESS_KEY_ID: "testing", AWS_SECRET_ACCESS_KEY: "testing" });
  const moto = await startMoto();
  for (const [name, memory, arch] of [["hello", 128, "arm64"], ["aes", 1024, "arm64"]] as const) {
    await createFunction(moto.endpoint, name, { MemorySize: memory, Architectures: [arch], Timeout: 60 });
  }
  const random = rng(42);
  const memory = { hello: 128, aes: 1024 } as Record<string, number>;
  const server = await InvokeServer.start(async (call) => {
    const memoryMb = call.memoryMb ?? memory[call.functionName] ?? 128;
    // CPU-bound aes gets faster with memory (its CPU share) up to one vCPU at 1769 MB.
    const base = call.functionName === "aes" ? 38 * 1024 / Math.min(memoryMb, 1769) : 1.2;
    const durationMs = Math.round(base * (1 + 0.2 * random() + (random() < 0.05 ? 1 : 0)) * 100) / 100;
    const initMs = call.cold ? Math.round((160 + 40 * random()) * 100) / 100 : undefined;
    await new Promise((r) => setTimeout(r, durationMs + (initMs ?? 0) + 8));
    const report = { durationMs, billedMs: Math.ceil(durationMs + (initMs ?? 0)), memoryMb,
      maxMemoryMb: 70 + Math.floor(10 * random()), ...(initMs !== undefined ? { initMs } : {}) };
    return { kind: "ok", payload: JSON.stringify({ message: "hello, world" }), log: logTail(call.requestId, report) };
  }, moto.endpoint);
  const evict = process.argv.indexOf("--evict-after");
  if (evict >= 0) {
    const d = parseDuration(process.argv[evict + 1] ?? "");
    if (!d.ok) throw new Error(`--evict-after: ${d.message}`);
    server.evictAfterMs = d.ms;
    console.log(`instances left idle ${process.argv[evict + 1]} are reclaimed`);
  }
  console.log(`Lambda stand-in on ${server.endpoint} (functions: hello, aes; region us-east-1; any credentials)`);
  console.log(`try: AWS_ACCESS_KEY_ID=x AWS_SECRET_ACCESS_KEY=x npx lambda-bench measure aes -n 200 -c 4 --cold 3 --endpoint ${server.endpoint} --region us-east-1`);
  const stop = async () => {
    await server.close();
    await moto.stop();
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
