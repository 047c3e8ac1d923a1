// A loopback server (the tests' and `lambda-bench demo`'s stand-in for Lambda) that speaks Lambda's Invoke REST API with what moto does not
// emulate: the `X-Amz-Log-Result` REPORT tail, cold starts after a configuration change, throttles
// (429 TooManyRequestsException with Retry-After), 5xx, dropped connections and calls that never
// answer. Everything else (GetFunctionConfiguration, UpdateFunctionConfiguration) goes to the
// stand-in's own control plane when one is set (control-plane.ts: `demo`, try-server), else to a
// moto_server when one is given (the tests), so control-plane calls meet the real API.
import * as http from "node:http";
import type * as net from "node:net";
import { randomUUID } from "node:crypto";
import { verifySignature } from "./sigv4-verify";
import type { ReportMetrics } from "../aws/report-line";
import type { ControlPlane } from "./control-plane";

export interface Call {
  /** 0-based, in arrival order over the server's life. */
  n: number;
  functionName: string;
  body: Buffer;
  requestId: string;
  /**
   * True on the first invocation of a function, and the first after its configuration changed.
   * With `scaleOut` on, true whenever no idle environment was left (one environment per call in
   * flight, as Lambda scales out); never true for a call a provisioned environment serves.
   */
  cold: boolean;
  /** The `Qualifier` query parameter (a version or alias), if any. */
  qualifier?: string;
  /** True when one of the qualifier's provisioned environments (setProvisionedConcurrency) serves the call. */
  provisioned: boolean;
  /** The function's memory size as last set through UpdateFunctionConfiguration, if it was. */
  memoryMb?: number;
}

export type Reply =
  | { kind: "ok"; payload?: string; log?: string; functionError?: string }
  | { kind: "throttle"; retryAfter?: number }
  | { kind: "status"; status: number; errorType: string; message?: string }
  | { kind: "reset" }
  | { kind: "hang" };

export type Script = (call: Call) => Reply | Promise<Reply>;

/** The figures a REPORT line carries: the parser's own fields (report-line.ts), so the two cannot drift. */
export type ReportValues = Pick<ReportMetrics, "durationMs" | "billedMs" | "memoryMb" | "maxMemoryMb" | "initMs" | "restoreMs" | "billedRestoreMs">;

/** A text-format REPORT line, as the Lambda docs show it (tab-separated, trailing tab). */
export function reportLine(requestId: string, r: ReportValues): string {
  return `REPORT RequestId: ${requestId}\tDuration: ${r.durationMs.toFixed(2)} ms\tBilled Duration: ${r.billedMs} ms\t` +
    `Memory Size: ${r.memoryMb} MB\tMax Memory Used: ${r.maxMemoryMb} MB\t` +
    (r.initMs !== undefined ? `Init Duration: ${r.initMs.toFixed(2)} ms\t` : "") +
    (r.restoreMs !== undefined ? `Restore Duration: ${r.restoreMs.toFixed(2)} ms\t` : "") +
    (r.billedRestoreMs !== undefined ? `Billed Restore Duration: ${r.billedRestoreMs} ms\t` : "");
}

/** A complete log tail: START, some application output, END, REPORT. */
export function logTail(requestId: string, r: ReportValues, appOutput = "hello from the handler"): string {
  return `START RequestId: ${requestId} Version: $LATEST\n` +
    `2026-11-24T10:00:00.000Z\t${requestId}\tINFO\t${appOutput}\n` +
    `END RequestId: ${requestId}\n${reportLine(requestId, r)}\n`;
}

const INVOKE = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;
const CONFIG = /^\/2015-03-31\/functions\/([^/]+)\/configuration$/;
const PROVISIONED = /^\/2019-09-30\/functions\/([^/]+)\/provisioned-concurrency$/;

export class InvokeServer {
  /** Invoke requests received, and Invoke responses completed with 200. */
  received = 0;
  served = 0;
  readonly calls: { functionName: string; status: number; requestId: string }[] = [];
  /** Called after each completed 200 response. */
  onServed?: (served: number) => void;
  /** UpdateFunctionConfiguration bodies seen, in order; a reply from `onConfig` replaces moto's. */
  readonly configUpdates: { functionName: string; body: Record<string, unknown> }[] = [];
  onConfig?: (functionName: string, body: Record<string, unknown>) => Reply | undefined;
  private readonly memory = new Map<string, number>();
  /** Access key ids seen in the SigV4 Authorization headers. */
  readonly accessKeys = new Set<string>();
  /** With a secret, every request's SigV4 signature is checked as AWS would, and a bad one is a 403. */
  secret?: string;
  badSignatures = 0;
  private readonly warm = new Set<string>();
  /**
   * When set, a warm instance left idle this long (from its last completed call, on `clock`) is
   * reclaimed: the next call is cold. Off by default. `evictions` counts the reclaimed ones.
   */
  evictAfterMs?: number;
  clock: () => number = () => performance.now();
  evictions = 0;
  private readonly lastDone = new Map<string, number>();
  /**
   * Opt-in: one execution environment per call in flight, so a call that finds none idle is a
   * scale-out cold start. Off by default: then only a function's first call (after a change) is cold.
   */
  scaleOut = false;
  private readonly idle = new Map<string, number>();
  /** Provisioned concurrency per `function:qualifier`, and how many of those environments are busy. */
  private readonly provisionedConfigs = new Map<string, number>();
  private readonly provisionedBusy = new Map<string, number>();
  /** GetProvisionedConcurrencyConfig requests seen (moto 5 does not serve that API; this server does). */
  readonly provisionedLookups: { functionName: string; qualifier: string | null }[] = [];
  private readonly sockets = new Set<net.Socket>();
  /** The stand-in's own control plane: it answers what it serves, before any proxy. */
  control?: ControlPlane;

  private constructor(private readonly server: http.Server, readonly endpoint: string) {}

  /** Gives `functionName:qualifier` `n` provisioned environments, ready (as PutProvisionedConcurrencyConfig would). */
  setProvisionedConcurrency(functionName: string, qualifier: string, n: number): void {
    this.provisionedConfigs.set(`${functionName}:${qualifier}`, n);
  }

  /** The environment that serves a call: provisioned, an idle one (warm), or a new one (cold). */
  private acquire(functionName: string, qualifier: string | undefined): { cold: boolean; provisioned: boolean; release: () => void } {
    const key = qualifier === undefined ? functionName : `${functionName}:${qualifier}`;
    const configured = this.provisionedConfigs.get(key) ?? 0;
    const busy = this.provisionedBusy.get(key) ?? 0;
    if (busy < configured) {
      this.provisionedBusy.set(key, busy + 1);
      return { cold: false, provisioned: true, release: () => this.provisionedBusy.set(key, (this.provisionedBusy.get(key) ?? 1) - 1) };
    }
    if (!this.scaleOut) return { cold: !this.warm.has(functionName), provisioned: false, release: () => {} };
    const idle = this.idle.get(key) ?? 0;
    if (idle > 0) this.idle.set(key, idle - 1);
    return { cold: idle === 0, provisioned: false, release: () => this.idle.set(key, (this.idle.get(key) ?? 0) + 1) };
  }

  /** Listens on 127.0.0.1, on `port` when given (else a free one). */
  static async start(script: Script, proxyTo?: string, secret?: string, port = 0): Promise<InvokeServer> {
    let self!: InvokeServer;
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        self.handle(req, res, Buffer.concat(chunks), script, proxyTo).catch((err) => {
          res.writeHead(500, { "x-amzn-ErrorType": "ServiceException" });
          res.end(JSON.stringify({ message: String(err) }));
        });
      });
    });
    server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", resolve);
    });
    self = new InvokeServer(server, `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`);
    self.secret = secret;
    server.on("connection", (s) => {
      self.sockets.add(s);
      s.on("close", () => self.sockets.delete(s));
    });
    return self;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse, body: Buffer, script: Script, proxyTo?: string) {
    const path = decodeURIComponent((req.url ?? "").split("?")[0]);
    const key = /Credential=([^/]+)\//.exec(req.headers.authorization ?? "");
    if (key) this.accessKeys.add(key[1]);
    if (this.secret !== undefined && !(await verifySignature(req, body, this.secret))) {
      this.badSignatures++;
      res.writeHead(403, { "x-amzn-ErrorType": "InvalidSignatureException" });
      return void res.end(JSON.stringify({ message: "The request signature we calculated does not match the signature you provided." }));
    }
    const invoke = INVOKE.exec(path);
    const provisioned = PROVISIONED.exec(path);
    if (provisioned && req.method === "GET") return this.provisionedConfig(res, provisioned[1], req.url ?? "");
    if (!invoke) {
      const config = CONFIG.exec(path);
      if (config && req.method === "PUT") {
        const update = JSON.parse(body.toString("utf8") || "{}") as Record<string, unknown>;
        this.configUpdates.push({ functionName: config[1], body: update });
        const reply = this.onConfig?.(config[1], update);
        if (reply?.kind === "status") {
          res.writeHead(reply.status, { "content-type": "application/json", "x-amzn-ErrorType": reply.errorType });
          return void res.end(JSON.stringify({ message: `${reply.errorType} from the test server` }));
        }
        const answered = this.control?.answer("PUT", path, new URLSearchParams(), body);
        if (!answered || answered.status === 200) {
          this.warm.delete(config[1]);
          for (const key of this.idle.keys()) if (key === config[1] || key.startsWith(`${config[1]}:`)) this.idle.delete(key);
          if (typeof update.MemorySize === "number") this.memory.set(config[1], update.MemorySize);
        }
        if (answered) return void res.writeHead(answered.status, answered.headers).end(answered.body);
      }
      const answered = this.control?.answer(req.method ?? "GET", path, new URLSearchParams((req.url ?? "").split("?")[1] ?? ""), body);
      if (answered) return void res.writeHead(answered.status, answered.headers).end(answered.body);
      if (!proxyTo) {
        res.writeHead(404, { "x-amzn-ErrorType": "UnknownOperationException" });
        return void res.end(JSON.stringify({ message: "not served here" }));
      }
      return this.proxy(req, res, body, proxyTo);
    }
    const functionName = invoke[1];
    const requestId = randomUUID();
    if (this.evictAfterMs !== undefined && this.warm.has(functionName) &&
      this.clock() - (this.lastDone.get(functionName) ?? -Infinity) >= this.evictAfterMs) {
      this.warm.delete(functionName);
      this.evictions++;
    }
    const qualifier = new URLSearchParams((req.url ?? "").split("?")[1] ?? "").get("Qualifier") ?? undefined;
    const env = this.acquire(functionName, qualifier);
    let reply: Reply;
    try {
      reply = await script({
        n: this.received++, functionName, body, requestId, cold: env.cold, qualifier, provisioned: env.provisioned,
        memoryMb: this.memory.get(functionName),
      });
    } finally {
      env.release();
    }
    switch (reply.kind) {
      case "ok": {
        this.warm.add(functionName);
        this.lastDone.set(functionName, this.clock());
        const headers: Record<string, string> = {
          "content-type": "application/json",
          "x-amzn-RequestId": requestId,
          "X-Amz-Executed-Version": "$LATEST",
        };
        if (reply.log !== undefined) headers["X-Amz-Log-Result"] = Buffer.from(reply.log).toString("base64");
        if (reply.functionError) headers["X-Amz-Function-Error"] = reply.functionError;
        res.writeHead(200, headers);
        res.end(reply.payload ?? "null", () => {
          this.served++;
          this.calls.push({ functionName, status: 200, requestId });
          this.onServed?.(this.served);
        });
        return;
      }
      case "throttle":
        this.calls.push({ functionName, status: 429, requestId });
        res.writeHead(429, {
          "content-type": "application/json",
          "x-amzn-RequestId": requestId,
          "x-amzn-ErrorType": "TooManyRequestsException",
          ...(reply.retryAfter !== undefined ? { "Retry-After": String(reply.retryAfter) } : {}),
        });
        return void res.end(JSON.stringify({ message: "Rate Exceeded.", Reason: "ConcurrentInvocationLimitExceeded", Type: "User" }));
      case "status":
        this.calls.push({ functionName, status: reply.status, requestId });
        res.writeHead(reply.status, { "content-type": "application/json", "x-amzn-RequestId": requestId, "x-amzn-ErrorType": reply.errorType });
        return void res.end(JSON.stringify({ message: reply.message ?? `${reply.errorType} from the test server` }));
      case "reset":
        this.calls.push({ functionName, status: 0, requestId });
        return void req.socket.destroy();
      case "hang":
        this.calls.push({ functionName, status: -1, requestId });
        return;
    }
  }

  /** GetProvisionedConcurrencyConfig, answered as Lambda does (404 when the qualifier has none). */
  private provisionedConfig(res: http.ServerResponse, functionName: string, url: string): void {
    const qualifier = new URLSearchParams(url.split("?")[1] ?? "").get("Qualifier");
    this.provisionedLookups.push({ functionName, qualifier });
    const n = qualifier === null ? undefined : this.provisionedConfigs.get(`${functionName}:${qualifier}`);
    if (n === undefined) {
      res.writeHead(404, { "content-type": "application/json", "x-amzn-ErrorType": "ProvisionedConcurrencyConfigNotFoundException" });
      return void res.end(JSON.stringify({ Type: "User", message: `No Provisioned Concurrency Config found for this function` }));
    }
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({
      RequestedProvisionedConcurrentExecutions: n, AllocatedProvisionedConcurrentExecutions: n,
      AvailableProvisionedConcurrentExecutions: n, Status: "READY", LastModified: "2026-11-24T10:00:00.000+0000",
    }));
  }

  private proxy(req: http.IncomingMessage, res: http.ServerResponse, body: Buffer, target: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const up = http.request(`${target}${req.url}`, { method: req.method, headers: req.headers }, (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
        r.on("end", resolve);
      });
      up.on("error", reject);
      up.end(body);
    });
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
