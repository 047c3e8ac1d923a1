// moto_server (Python moto 5, on the machine image) as a real AWS API on loopback: started on a
// free port of 127.0.0.1, told not to run Lambda code in Docker, stopped when its user is done.
// The tests and `lambda-bench demo` (the offline stand-in for Lambda's control plane) use it.
import { spawn, type ChildProcess } from "node:child_process";
import * as http from "node:http";
import * as net from "node:net";
import { CreateRoleCommand, IAMClient } from "@aws-sdk/client-iam";
import { CreateFunctionCommand, LambdaClient, type CreateFunctionCommandInput } from "@aws-sdk/client-lambda";

export const TEST_CREDENTIALS = { accessKeyId: "testing", secretAccessKey: "testing" };
export const TEST_REGION = "us-east-1";

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function request(url: string, method: string, body?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers: body ? { "content-type": "application/json" } : {} }, (res) => {
      let data = "";
      res.on("data", (c) => { data += c; });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: data }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

export interface Moto {
  endpoint: string;
  stop(): Promise<void>;
}

export async function startMoto(): Promise<Moto> {
  const port = await freePort();
  // In a process group of its own: a terminal's Ctrl-C (sent to the whole foreground group) must
  // not stop the control plane while the run it interrupted is still putting the configuration
  // back through it; whoever started it stops it, and at the latest when this process exits.
  const proc: ChildProcess = spawn("moto_server", ["-H", "127.0.0.1", "-p", String(port)], { stdio: ["ignore", "ignore", "pipe"], detached: true });
  const killOnExit = () => proc.kill("SIGTERM");
  process.on("exit", killOnExit);
  proc.once("exit", () => process.off("exit", killOnExit));
  let stderr = "";
  proc.stderr?.on("data", (c) => { stderr += c; });
  const exited = new Promise<never>((_, reject) =>
    proc.once("exit", (code) => reject(new Error(`moto_server exited with ${code}: ${stderr.slice(-500)}`))));
  const endpoint = `http://127.0.0.1:${port}`;
  // Ready when it answers; connection refusals until then are expected.
  const ready = (async () => {
    for (;;) {
      try {
        return await request(`${endpoint}/moto-api/config`, "POST", JSON.stringify({ lambda: { use_docker: false } }));
      } catch {
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  })();
  const res = await Promise.race([ready, exited]);
  if (res.status < 200 || res.status > 299) throw new Error(`moto_server config failed: ${res.status} ${res.body}`);
  return {
    endpoint,
    stop: () => new Promise((resolve) => {
      if (proc.exitCode !== null) return resolve();
      exited.catch(() => resolve());
      proc.kill("SIGTERM");
    }),
  };
}

/** A Lambda function in moto, image-packaged like ours, with a role it can assume. */
export async function createFunction(
  endpoint: string, name: string, extra: Partial<CreateFunctionCommandInput> = {},
): Promise<void> {
  const cfg = { endpoint, region: TEST_REGION, credentials: TEST_CREDENTIALS };
  const iam = new IAMClient(cfg);
  const role = await iam.send(new CreateRoleCommand({
    RoleName: `${name}-role`,
    AssumeRolePolicyDocument: JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
    }),
  }));
  const lambda = new LambdaClient(cfg);
  await lambda.send(new CreateFunctionCommand({
    FunctionName: name,
    Role: role.Role!.Arn!,
    PackageType: "Image",
    Code: { ImageUri: `123456789012.dkr.ecr.us-east-1.amazonaws.com/${name}@sha256:${"a".repeat(64)}` },
    ...extra,
  }));
  iam.destroy();
  lambda.destroy();
}
