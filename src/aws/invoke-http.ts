// The Invoke call `measure` makes, lean enough that the client's own CPU does not queue into the
// latency it measures. The SDK's InvokeCommand costs ~0.4 ms of CPU a call (DESIGN section 7),
// most of it middleware and per-request signing; here the request is a keep-alive node:http call,
// and its SigV4 signature comes from the SDK's signer once per second: the payload is the same for
// every call of a run, so every request within one X-Amz-Date second has the same signature.
// Credentials, region, endpoint resolution and hashing are the LambdaClient's own.
import * as http from "node:http";
import * as https from "node:https";
import { SignatureV4 } from "@smithy/signature-v4";
import type { LambdaClient } from "@aws-sdk/client-lambda";

export interface InvokeResult {
  statusCode: number;
  requestId: string | undefined;
  functionError: string | undefined;
  /** The decoded log tail (LogType Tail). */
  logTail: string;
  payload: Buffer;
}

/** An Invoke error in the SDK's shape (name, $metadata), so retry rules read both alike. */
export class InvokeHttpError extends Error {
  constructor(
    readonly name: string, message: string,
    readonly $metadata: { httpStatusCode?: number; requestId?: string },
    readonly retryAfterSeconds?: string,
  ) {
    super(message);
  }
}

export interface Invoker {
  invoke(payload: Uint8Array): Promise<InvokeResult>;
  close(): void;
}

export class HttpInvoker implements Invoker {
  private signed?: { second: number; headers: Promise<Record<string, string | number>> };
  private target?: Promise<{ url: URL; path: string; agent: http.Agent }>;
  private resolved?: { url: URL; path: string; agent: http.Agent };
  private readonly inFlight = new Map<http.ClientRequest, number>();
  private watchdog?: NodeJS.Timeout;
  private readonly signer: SignatureV4;

  constructor(
    private readonly client: LambdaClient, private readonly functionName: string,
    private readonly opts: { maxSockets: number; timeoutMs: number },
  ) {
    const config = client.config;
    this.signer = new SignatureV4({ credentials: config.credentials, region: config.region, service: "lambda", sha256: config.sha256 });
  }

  private resolveTarget() {
    this.target ??= (async () => {
      const c = this.client.config;
      const endpoint = c.endpointProvider({
        Region: await c.region(),
        UseFIPS: await c.useFipsEndpoint(),
        UseDualStack: await c.useDualstackEndpoint(),
        Endpoint: c.endpoint ? formatEndpoint(await c.endpoint()) : undefined,
      });
      const url = new URL(endpoint.url.toString());
      const base = url.pathname.replace(/\/$/, "");
      const options = { keepAlive: true, maxSockets: this.opts.maxSockets };
      return {
        url,
        path: `${base}/2015-03-31/functions/${encodeURIComponent(this.functionName)}/invocations`,
        agent: url.protocol === "https:" ? new https.Agent(options) : new http.Agent(options),
      };
    })();
    return this.target;
  }

  /** The signed headers for this second, content-length included: built once, sent many times. */
  private headers(payload: Uint8Array, target: { url: URL; path: string }): Promise<Record<string, string | number>> {
    const second = Math.floor(Date.now() / 1000);
    if (!this.signed || this.signed.second !== second) {
      const { url, path } = target;
      this.signed = {
        second,
        headers: this.signer.sign({
          method: "POST", protocol: url.protocol, hostname: url.hostname, port: url.port ? Number(url.port) : undefined,
          path, query: {}, body: payload,
          headers: { host: url.host, "content-type": "application/octet-stream", "x-amz-log-type": "Tail" },
        }, { signingDate: new Date(second * 1000) }).then((req) => ({ ...req.headers, "content-length": payload.byteLength })),
      };
    }
    return this.signed.headers;
  }

  async invoke(payload: Uint8Array): Promise<InvokeResult> {
    this.resolved ??= await this.resolveTarget();
    const { url, path, agent } = this.resolved;
    const headers = await this.headers(payload, this.resolved);
    const transport = url.protocol === "https:" ? https : http;
    return new Promise((resolve, reject) => {
      const req = transport.request({ method: "POST", hostname: url.hostname, port: url.port, path, agent, headers }, (res) => {
        let body: Buffer | undefined;
        let chunks: Buffer[] | undefined;
        res.on("data", (c: Buffer) => {
          if (!body) body = c;
          else (chunks ??= [body]).push(c);
        });
        res.on("error", reject);
        res.on("end", () => {
          this.inFlight.delete(req);
          const payload = chunks ? Buffer.concat(chunks) : body ?? Buffer.alloc(0);
          const status = res.statusCode ?? 0;
          const h = res.headers;
          const requestId = one(h["x-amzn-requestid"]);
          if (status >= 400) return reject(httpError(status, h, payload, requestId));
          const log = one(h["x-amz-log-result"]);
          resolve({
            statusCode: status,
            requestId,
            functionError: one(h["x-amz-function-error"]),
            logTail: log ? Buffer.from(log, "base64").toString("utf8") : "",
            payload,
          });
        });
      });
      req.on("error", (err) => {
        this.inFlight.delete(req);
        reject(err);
      });
      this.inFlight.set(req, Date.now() + this.opts.timeoutMs);
      this.watch();
      req.end(payload);
    });
  }

  /**
   * Client timeouts: one timer sweeps the calls in flight, instead of a socket timer armed and
   * disarmed on every call (which costs more than the rest of the call's bookkeeping).
   */
  private watch(): void {
    if (this.watchdog) return;
    const period = Math.max(10, Math.min(1000, this.opts.timeoutMs / 4));
    this.watchdog = setInterval(() => {
      const now = Date.now();
      for (const [req, deadline] of this.inFlight) {
        if (now < deadline) continue;
        this.inFlight.delete(req);
        req.destroy(new InvokeHttpError("TimeoutError", `no response in ${this.opts.timeoutMs} ms`, {}));
      }
    }, period);
    this.watchdog.unref();
  }

  close(): void {
    if (this.watchdog) clearInterval(this.watchdog);
    void this.target?.then((t) => t.agent.destroy());
  }
}

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

function formatEndpoint(e: { protocol: string; hostname: string; port?: number; path: string }): string {
  return `${e.protocol}//${e.hostname}${e.port ? `:${e.port}` : ""}${e.path}`;
}

/** The error as the SDK would name it: x-amzn-ErrorType (before any ':'), else the body's __type. */
function httpError(status: number, h: http.IncomingHttpHeaders, body: Buffer, requestId?: string): InvokeHttpError {
  let parsed: { message?: string; Message?: string; __type?: string } = {};
  try {
    parsed = JSON.parse(body.toString("utf8"));
  } catch { /* not JSON: the status says enough */ }
  const type = (one(h["x-amzn-errortype"]) ?? parsed.__type ?? `HTTP${status}`).split(":")[0].split("#").pop()!;
  return new InvokeHttpError(type, parsed.message ?? parsed.Message ?? `HTTP ${status}`, { httpStatusCode: status, requestId },
    one(h["retry-after"]));
}
