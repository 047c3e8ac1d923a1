// A bench's measurement in a process of its own: `script` run again with `args`, with test
// credentials, its last stdout line read as JSON (the figures); stderr passes through.
import { spawn } from "node:child_process";

export function child<T>(script: string, args: string[]): Promise<T> {
  return new Promise((resolve, reject) => {
    const c = spawn(process.execPath, [script, ...args], {
      stdio: ["ignore", "pipe", "inherit"],
      env: { ...process.env, AWS_ACCESS_KEY_ID: "x", AWS_SECRET_ACCESS_KEY: "x", AWS_REGION: "us-east-1" },
    });
    let out = "";
    c.stdout.on("data", (d) => { out += d; });
    c.on("exit", (code) => (code === 0 ? resolve(JSON.parse(out.trim().split("\n").pop()!) as T) : reject(new Error(`${args[0]} exited ${code}`))));
  });
}
