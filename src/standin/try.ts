// A local stand-in for Lambda, to try `invoke`, `measure`, `sweep` and `report` without an AWS
// account (src/standin/standin.ts): `npm run try-server` in one terminal, the commands in another.
// It listens on 127.0.0.1:9001 (PORT to change), so examples can name a fixed endpoint. It starts
// from the built dist/ (npm ci builds it), Node alone, and prints a line starting "ready:" once it listens.
// `npm run try-server -- --evict-after 2s` reclaims an instance left idle that long (for `idle`).
import { startStandin } from "./standin";
import { readDuration } from "../workload/duration";

async function main(): Promise<void> {
  const port = Number(process.env.PORT ?? 9001);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number; got ${process.env.PORT}`);
  Object.assign(process.env, { AWS_ACCESS_KEY_ID: "testing", AWS_SECRET_ACCESS_KEY: "testing" });
  const evict = process.argv.indexOf("--evict-after");
  let evictAfterMs: number | undefined;
  if (evict >= 0) {
    const d = readDuration(process.argv[evict + 1] ?? "");
    if (!d.ok) throw new Error(`--evict-after: ${d.message}`);
    evictAfterMs = d.ms;
  }
  const standin = await startStandin({ port, evictAfterMs }).catch((err: NodeJS.ErrnoException) => {
    throw err.code === "EADDRINUSE" ? new Error(`127.0.0.1:${port} is in use: is a try-server already running? Set PORT to use another port`) : err;
  });
  const names = standin.functions.map((f) => f.name).join(", ");
  console.log(`ready: Lambda stand-in on ${standin.endpoint} (functions: ${names}; region us-east-1; any credentials). Ctrl-C stops it.`);
  if (evictAfterMs !== undefined) console.log(`instances left idle ${process.argv[evict + 1]} are reclaimed`);
  console.log(`try, in a second terminal: npx lambda-bench measure aes -n 200 -c 4 --cold 3 --endpoint ${standin.endpoint}`);
  const stop = async () => {
    await standin.stop();
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((err) => {
  console.error(`try-server: ${(err as Error).message}`);
  process.exit(1);
});
