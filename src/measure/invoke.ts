// One measured invocation: Invoke with `LogType: Tail`, timed with process.hrtime, its REPORT read,
// and throttles, 5xx, connection resets and client timeouts retried with backoff and counted.
// A function error is a result like any other; only errors that every later call would repeat
// (no such function, access denied, a bad payload) end the run.
import type { Invoker } from "../aws/invoke-http";
import { parseReport, type ReportMetrics } from "../aws/report-line";
import { invocationCost, type Architecture, type Prices } from "../aws/pricing";
import { CLOSED_LOOP, type InvocationRecord, type StartKind } from "../runs/record";

export interface Target {
  benchmark: string;
  /** Name or ARN passed to Invoke. */
  functionName: string;
  region: string;
  /** The version or alias invoked (`--qualifier`), when one is. */
  qualifier?: string;
  /** True when the qualifier has provisioned concurrency (GetProvisionedConcurrencyConfig). */
  provisioned?: boolean;
  /** Its allocated provisioned concurrency, when read. */
  provisionedConcurrency?: number;
  /** The function's timeout: a timed-out call is billed at it. */
  timeoutMs?: number;
  architecture: Architecture;
  /** Configured memory, when known (GetFunctionConfiguration or the manifest). */
  memoryMb: number | null;
  ephemeralMb: number;
  prices: Prices;
}

export interface RetryPolicy {
  /** Retries after the first attempt. */
  retries: number;
  /** Full-jitter exponential backoff: a random delay up to base * 2^attempt, capped. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Waits between attempts; injectable so tests see the delays without waiting them out. */
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  random: () => number;
}

/** What a call's timeout adds to the function's own: time for the response to come back. */
export const CALL_TIMEOUT_SLACK_MS = 10_000;
/** Lambda's longest timeout, taken when the function's own is not known. */
const FUNCTION_TIMEOUT_MAX_MS = 900_000;

/** When a call is given up on: the function's timeout (Lambda's longest when unknown) + the slack. */
export const callTimeoutMs = (functionTimeoutMs: number | undefined): number => (functionTimeoutMs ?? FUNCTION_TIMEOUT_MAX_MS) + CALL_TIMEOUT_SLACK_MS;

export const DEFAULT_RETRY: RetryPolicy = {
  retries: 8,
  baseDelayMs: 50,
  maxDelayMs: 20_000,
  sleep: (ms, signal) => new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => { clearTimeout(timer); signal?.removeEventListener("abort", done); resolve(); };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  }),
  random: Math.random,
};

/** An error that every later invocation would hit too: the run stops with it. */
export class FatalInvokeError extends Error {
  constructor(readonly cause: unknown) {
    super((cause as Error)?.message ?? String(cause));
  }
}

interface SdkError {
  name?: string;
  code?: string;
  message?: string;
  retryAfterSeconds?: string;
  $metadata?: { httpStatusCode?: number; requestId?: string };
}

// Node's socket errors, and undici's for a connection closed under a request or not made in time.
const NETWORK_CODES = new Set([
  "ECONNRESET", "EPIPE", "ECONNABORTED", "ETIMEDOUT", "ECONNREFUSED", "EAI_AGAIN", "UND_ERR_SOCKET", "UND_ERR_CONNECT_TIMEOUT",
]);

/**
 * Local resource limits (too many open files, in the process or the system; no local port, buffer or
 * memory for a socket): neither Lambda's fault nor fixed by retrying at once. The call is dropped,
 * counted with its cause, and the run goes on (the summary names the limit and how to raise it).
 */
export const LOCAL_LIMIT_CODES = new Set(["EMFILE", "ENFILE", "EADDRNOTAVAIL", "ENOBUFS", "ENOMEM"]);

/** The local limit an error hit (its code, or its cause's), if it is one. */
export function localLimitOf(err: unknown): string | undefined {
  const e = err as { code?: unknown; cause?: { code?: unknown } } | undefined;
  const code = e?.code ?? e?.cause?.code;
  return typeof code === "string" && LOCAL_LIMIT_CODES.has(code) ? code : undefined;
}

type Kind = "throttle" | "retry" | "fatal";

function classify(e: SdkError): Kind {
  const status = e.$metadata?.httpStatusCode;
  if (status === 429 || e.name === "TooManyRequestsException" || e.name === "ThrottlingException") return "throttle";
  if (status !== undefined && status >= 500) return "retry";
  if (e.name === "TimeoutError" || e.name === "RequestTimeout" || (e.code && NETWORK_CODES.has(e.code))) return "retry";
  if (status === undefined && /socket hang up|ECONNRESET|aborted/i.test(e.message ?? "")) return "retry";
  return "fatal";
}

function retryAfterMs(e: SdkError): number | undefined {
  const seconds = e.retryAfterSeconds === undefined ? NaN : Number(e.retryAfterSeconds);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}

export function backoffMs(policy: RetryPolicy, attempt: number): number {
  return Math.floor(policy.random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt));
}

/** A record with nothing measured yet. */
export function blank(target: Target, start: string, forcedCold = false): InvocationRecord {
  return {
    benchmark: target.benchmark,
    function: target.functionName,
    region: target.region,
    architecture: target.architecture,
    qualifier: target.qualifier ?? null,
    provisionedConcurrency: target.provisionedConcurrency ?? null,
    configMemoryMb: target.memoryMb,
    requestId: null,
    start,
    clientMs: 0,
    status: 0,
    functionError: null,
    error: null,
    retries: 0,
    throttles: 0,
    forcedCold,
    cold: null,
    startKind: null,
    durationMs: null,
    billedMs: null,
    memoryMb: null,
    maxMemoryMb: null,
    initMs: null,
    restoreMs: null,
    billedRestoreMs: null,
    reportStatus: null,
    errorType: null,
    costUsd: null,
    workload: CLOSED_LOOP,
    scheduledAt: null,
    sentAt: null,
    lagMs: null,
    latencyMs: null,
    burst: null,
    idleMs: null,
    warmup: false,
    repetition: 0,
    shard: null,
  };
}

/**
 * The start kind a REPORT shows (record.ts says how each is told apart). An init that failed and
 * was retried on the call's path (INIT_REPORT lines, no Init Duration in the REPORT) is cold too.
 */
export function startKindOf(report: ReportMetrics, target: Pick<Target, "provisioned">): StartKind {
  if (report.initMs !== undefined || (report.initReports?.length ?? 0) > 0) return "cold";
  if (report.restoreMs !== undefined) return "restore";
  return target.provisioned ? "provisioned" : "warm";
}

/** Fills a record's REPORT fields in place (the hot path: no intermediate objects). */
function applyReport(r: InvocationRecord, report: ReportMetrics, target: Target): void {
  const startKind = startKindOf(report, target);
  // A retried init has no Init Duration in the REPORT: its INIT_REPORTs' durations stand in.
  const initMs = report.initMs ?? report.initReports?.reduce((sum, x) => sum + x.durationMs, 0);
  r.cold = startKind === "cold";
  r.startKind = startKind;
  r.durationMs = report.durationMs;
  r.billedMs = report.billedMs;
  r.memoryMb = report.memoryMb;
  r.maxMemoryMb = report.maxMemoryMb;
  r.initMs = initMs === undefined ? null : Math.round(initMs * 100) / 100;
  r.restoreMs = report.restoreMs ?? null;
  r.billedRestoreMs = report.billedRestoreMs ?? null;
  r.reportStatus = report.status ?? null;
  r.errorType = report.errorType ?? null;
  r.costUsd = invocationCost(target.prices, target.architecture, startKind, {
    billedMs: report.billedMs, memoryMb: report.memoryMb, billedRestoreMs: report.billedRestoreMs, ephemeralMb: target.ephemeralMb,
  });
}

/** The ISO time now, made once per millisecond: at thousands of calls a second most share it. */
let isoAt = -1;
let isoText = "";
function nowIso(): string {
  const ms = Date.now();
  if (ms !== isoAt) {
    isoAt = ms;
    isoText = new Date(ms).toISOString();
  }
  return isoText;
}

/**
 * Invokes once (retrying as the policy allows) and returns the record of the final attempt.
 * Throws FatalInvokeError for errors no retry can fix.
 */
export async function invokeMeasured(
  invoker: Invoker, target: Target, payload: Uint8Array,
  opts: { retry: RetryPolicy; forcedCold?: boolean; signal?: AbortSignal },
): Promise<InvocationRecord> {
  const start = nowIso();
  let retries = 0;
  let throttles = 0;
  for (let attempt = 0; ; attempt++) {
    const t0 = process.hrtime.bigint();
    try {
      const res = await invoker.invoke(payload);
      const clientMs = Number(process.hrtime.bigint() - t0) / 1e6;
      const r = blank(target, start, opts.forcedCold);
      r.requestId = res.requestId ?? null;
      r.clientMs = clientMs;
      r.status = res.statusCode;
      r.functionError = res.functionError ?? null;
      r.retries = retries;
      r.throttles = throttles;
      const report = parseReport(res.logTail, res.requestId, { timeoutMs: target.timeoutMs });
      if (report) applyReport(r, report, target);
      return r;
    } catch (err) {
      const clientMs = Number(process.hrtime.bigint() - t0) / 1e6;
      const e = err as SdkError;
      const limit = localLimitOf(err);
      if (limit) {
        // Never sent: a dropped call (status "dropped"), its error naming the limit.
        return { ...blank(target, start, opts.forcedCold), status: "dropped", error: `${limit}: ${(e.message ?? "").split("\n")[0]}`, retries, throttles };
      }
      const kind = classify(e);
      if (kind === "fatal") throw new FatalInvokeError(err);
      if (kind === "throttle") throttles++;
      const gaveUp = attempt >= opts.retry.retries || opts.signal?.aborted;
      if (!gaveUp) {
        await opts.retry.sleep(retryAfterMs(e) ?? backoffMs(opts.retry, attempt), opts.signal);
        if (!opts.signal?.aborted) {
          retries++;
          continue;
        }
      }
      return {
        ...blank(target, start, opts.forcedCold),
        requestId: e.$metadata?.requestId ?? null,
        clientMs,
        status: e.$metadata?.httpStatusCode ?? 0,
        error: `${e.name ?? e.code ?? "Error"}: ${(e.message ?? "").split("\n")[0]}${opts.signal?.aborted ? " (interrupted before retrying)" : ""}`,
        retries,
        throttles,
      };
    }
  }
}
