// The Invoke call `measure` makes, lean enough that the client's own CPU does not queue into the
// latency it measures. The SDK's InvokeCommand costs ~0.4 ms of CPU a call (DESIGN section 7),
// most of it middleware and per-request signing. Here the request goes through undici's
// connection pool at its lowest level (`dispatch`), which costs about half of what a node:http
// request through an Agent does, and its SigV4 signature comes from the SDK's signer once per
// second: the payload is the same for every call of a run, so every request within one X-Amz-Date
// second has the same signature. Credentials, region, endpoint resolution and hashing are the
// LambdaClient's own.
import { SignatureV4 } from "@smithy/signature-v4";
import type { LambdaClient } from "@aws-sdk/client-lambda";
import { Pool } from "undici";
import type { IncomingHttpHeaders } from "undici/types/header";

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
  /**
   * Readies the client before a workload's time zero without invoking: `connections` connections
   * open and the signature of the current second made. Resolves with the connections open.
   */
  warm?(connections: number, payload: Uint8Array): Promise<number>;
}

interface Target {
  url: URL;
  /** The path signed, its query apart, and the path sent (with the query). */
  path: string;
  query: Record<string, string>;
  requestPath: string;
  pool: Pool;
}

/** undici's timeouts, reported as the client timeout they are. */
const TIMEOUT_CODES = new Set(["UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT"]);

export class HttpInvoker implements Invoker {
  private target?: Promise<Target>;
  private resolved?: Target;
  /** The signature being made for a second, shared by the calls that start in it. */
  private signing?: { second: number; headers: Promise<string[]> };
  /** The signed headers of the current second, once made: most calls take them synchronously. */
  private signed?: { second: number; headers: string[] };
  private readonly signer: SignatureV4;

  constructor(
    private readonly client: LambdaClient, private readonly functionName: string,
    private readonly opts: { maxSockets: number; timeoutMs: number; qualifier?: string },
  ) {
    const config = client.config;
    this.signer = new SignatureV4({ credentials: config.credentials, region: config.region, service: "lambda", sha256: config.sha256 });
  }

  private resolveTarget(): Promise<Target> {
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
      const path = `${base}/2015-03-31/functions/${encodeURIComponent(this.functionName)}/invocations`;
      // A version or alias, as the API takes it (`?Qualifier=live`); signed as a query parameter.
      const q = this.opts.qualifier;
      return {
        url,
        path,
        query: q ? { Qualifier: q } : {} as Record<string, string>,
        requestPath: q ? `${path}?Qualifier=${encodeURIComponent(q)}` : path,
        // One keep-alive connection per call in flight. The client timeout is undici's wait for
        // the response headers (Lambda sends them when the function returns) and between body
        // chunks; a connection that times out is destroyed, not reused.
        pool: new Pool(url.origin, {
          connections: this.opts.maxSockets,
          pipelining: 1,
          headersTimeout: this.opts.timeoutMs,
          bodyTimeout: this.opts.timeoutMs,
        }),
      };
    })();
    return this.target;
  }

  /** The signed headers for a second, as undici's flat [name, value, ...] list. */
  private sign(payload: Uint8Array, target: Target, second: number): Promise<string[]> {
    if (this.signing?.second !== second) {
      const { url, path, query } = target;
      const headers = this.signer.sign({
        method: "POST", protocol: url.protocol, hostname: url.hostname, port: url.port ? Number(url.port) : undefined,
        path, query, body: payload,
        headers: { host: url.host, "content-type": "application/octet-stream", "x-amz-log-type": "Tail" },
      }, { signingDate: new Date(second * 1000) }).then((req) => {
        const flat = Object.entries(req.headers).flat();
        if (!this.signed || this.signed.second < second) this.signed = { second, headers: flat };
        return flat;
      });
      this.signing = { second, headers };
    }
    return this.signing.headers;
  }

  /**
   * Opens `connections` connections (TCP, and TLS against real Lambda) the way wrk2 connects before
   * its clock starts, with no Invoke and no API call: each carries one unsigned `GET /` to the
   * endpoint's origin, all at once, so the pool opens one connection per request. Lambda's front end
   * should answer an unsigned request itself (an error such as 403 or 404, not verified here: no
   * network) on the kept-alive connection; it names no account and no operation, so no control-plane
   * quota is spent, where a signed GetFunction would count against the account's. A server that
   * answers `connection: close` (moto, through the try-server's proxy) leaves none open: the count
   * returned says so. The current second's signature is made too.
   */
  async warm(connections: number, payload: Uint8Array): Promise<number> {
    let target: Target;
    try {
      target = this.resolved ??= await this.resolveTarget();
    } catch {
      return 0; // The first call meets the same error, and reports it as every call's would be.
    }
    // A signing error (no credentials, say) is the first call's to report too.
    const signing = this.sign(payload, target, Math.floor(Date.now() / 1000)).catch(() => undefined);
    const path = target.url.pathname || "/";
    const head = () => new Promise<void>((resolve) => {
      // Any answer (or none: a refused connection shows at the first call, as it would have) will
      // do. GET, not HEAD: undici closes a connection after a HEAD response.
      target.pool.dispatch({ method: "GET", path }, new ResponseReader(() => resolve(), () => resolve(), this.opts.timeoutMs));
    });
    await Promise.all(Array.from({ length: Math.max(0, Math.min(connections, this.opts.maxSockets)) }, head));
    await signing;
    return target.pool.stats.connected;
  }

  invoke(payload: Uint8Array): Promise<InvokeResult> {
    const second = Math.floor(Date.now() / 1000);
    if (this.resolved && this.signed?.second === second) return this.send(this.resolved, this.signed.headers, payload);
    return (async () => {
      this.resolved ??= await this.resolveTarget();
      return this.send(this.resolved, await this.sign(payload, this.resolved, second), payload);
    })();
  }

  private send({ pool, requestPath: path }: Target, headers: string[], payload: Uint8Array): Promise<InvokeResult> {
    return new Promise((resolve, reject) => {
      pool.dispatch({ method: "POST", path, headers, body: payload }, new ResponseReader(resolve, reject, this.opts.timeoutMs));
    });
  }

  close(): void {
    void this.target?.then((t) => t.pool.destroy());
  }
}

/** One response, read into an InvokeResult: one object a call, its methods undici's handler. */
class ResponseReader {
  private status = 0;
  private h: IncomingHttpHeaders = {};
  private body: Buffer | undefined;
  private chunks: Buffer[] | undefined;

  constructor(
    private readonly resolve: (r: InvokeResult) => void, private readonly reject: (err: unknown) => void,
    private readonly timeoutMs: number,
  ) {}

  onRequestStart(): void {}

  onResponseStart(_controller: unknown, statusCode: number, headers: IncomingHttpHeaders): void {
    this.status = statusCode;
    this.h = headers;
  }

  onResponseData(_controller: unknown, chunk: Buffer): void {
    if (!this.body) this.body = chunk;
    else (this.chunks ??= [this.body]).push(chunk);
  }

  onResponseEnd(): void {
    const { status, h } = this;
    const payload = this.chunks ? Buffer.concat(this.chunks) : this.body ?? Buffer.alloc(0);
    const requestId = one(h["x-amzn-requestid"]);
    if (status >= 400) return this.reject(httpError(status, h, payload, requestId));
    const log = one(h["x-amz-log-result"]);
    this.resolve({
      statusCode: status,
      requestId,
      functionError: one(h["x-amz-function-error"]),
      logTail: log ? Buffer.from(log, "base64").toString("utf8") : "",
      payload,
    });
  }

  onResponseError(_controller: unknown, err: Error): void {
    const code = (err as { code?: string }).code;
    this.reject(code && TIMEOUT_CODES.has(code) ? new InvokeHttpError("TimeoutError", `no response in ${this.timeoutMs} ms`, {}) : err);
  }
}

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

function formatEndpoint(e: { protocol: string; hostname: string; port?: number; path: string }): string {
  return `${e.protocol}//${e.hostname}${e.port ? `:${e.port}` : ""}${e.path}`;
}

/** The error as the SDK would name it: x-amzn-ErrorType (before any ':'), else the body's __type. */
function httpError(status: number, h: IncomingHttpHeaders, body: Buffer, requestId?: string): InvokeHttpError {
  let parsed: { message?: string; Message?: string; __type?: string } = {};
  try {
    parsed = JSON.parse(body.toString("utf8"));
  } catch { /* not JSON: the status says enough */ }
  const type = (one(h["x-amzn-errortype"]) ?? parsed.__type ?? `HTTP${status}`).split(":")[0].split("#").pop()!;
  return new InvokeHttpError(type, parsed.message ?? parsed.Message ?? `HTTP ${status}`, { httpStatusCode: status, requestId },
    one(h["retry-after"]));
}
