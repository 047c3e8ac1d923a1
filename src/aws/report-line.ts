// Lambda's end-of-invocation REPORT record, read from the `LogResult` tail (the last 4 KB of the
// log). Both log formats are read: text (`REPORT RequestId: ...` with tab-separated fields) and
// JSON (a `platform.report` record). The platform writes REPORT last (only an X-Ray line may
// follow), so only the final record is taken: a function that prints something REPORT-like
// earlier, or a REPORT for another request, is never mistaken for it.
// Edge cases, each with the line it comes from in test/report-line.test.ts:
// - SnapStart: `Restore Duration` and `Billed Restore Duration` (JSON: `restoreDurationMs`,
//   `billedRestoreDurationMs`); the billed restore is charged on top of Billed Duration.
// - `Status: timeout`: Lambda bills the function's timeout; with the timeout known, billedMs is it.
// - An init that failed (or timed out) and was retried on this call's path: the platform writes
//   `INIT_REPORT Init Duration: ... Phase: init|invoke Status: error|timeout` lines before the
//   REPORT, and the REPORT itself has no `Init Duration` (the retried init is inside Duration).
//   Those lines are read into `initReports`: the call met a new environment, so it was cold.

export interface ReportMetrics {
  requestId: string;
  durationMs: number;
  billedMs: number;
  memoryMb: number;
  maxMemoryMb: number;
  /** Present only on a cold start. Since 2025-08 it is also inside Billed Duration. */
  initMs?: number;
  /** SnapStart restores: Restore Duration, and the part of it that is billed. */
  restoreMs?: number;
  billedRestoreMs?: number;
  /** INIT_REPORT records in the tail (an init that failed or timed out, retried on this call). */
  initReports?: InitReport[];
  /** `timeout` or `error` when the platform says so; absent on success. */
  status?: string;
  errorType?: string;
}

export interface InitReport {
  durationMs: number;
  /** `init` (the first attempt) or `invoke` (retried on an invocation's path). */
  phase: string | null;
  status: string | null;
  errorType: string | null;
}

const TEXT_PREFIX = "REPORT RequestId: ";
const INIT_PREFIX = "INIT_REPORT ";

/**
 * Field name in the text format -> how to store its value, which is `line` from `a` to `b` (trimmed).
 * False for a malformed value.
 */
const TEXT_FIELDS: [name: string, store: (m: Partial<ReportMetrics>, line: string, a: number, b: number) => boolean][] = [
  ["Duration", (m, line, a, b) => (m.durationMs = numAt(line, a, b, "ms")) !== undefined],
  ["Billed Duration", (m, line, a, b) => (m.billedMs = numAt(line, a, b, "ms")) !== undefined],
  ["Memory Size", (m, line, a, b) => (m.memoryMb = numAt(line, a, b, "MB")) !== undefined],
  ["Max Memory Used", (m, line, a, b) => (m.maxMemoryMb = numAt(line, a, b, "MB")) !== undefined],
  ["Init Duration", (m, line, a, b) => (m.initMs = numAt(line, a, b, "ms")) !== undefined],
  ["Restore Duration", (m, line, a, b) => (m.restoreMs = numAt(line, a, b, "ms")) !== undefined],
  ["Billed Restore Duration", (m, line, a, b) => (m.billedRestoreMs = numAt(line, a, b, "ms")) !== undefined],
  ["Status", (m, line, a, b) => { m.status = line.slice(a, b); return b > a; }],
  ["Error Type", (m, line, a, b) => { m.errorType = line.slice(a, b); return b > a; }],
];

/** The store for the field name `line` holds from `a` to `b`, found without copying the name. */
function storeOf(line: string, a: number, b: number): ((m: Partial<ReportMetrics>, line: string, a: number, b: number) => boolean) | undefined {
  for (const [name, store] of TEXT_FIELDS) if (name.length === b - a && line.startsWith(name, a)) return store;
  return undefined;
}

const isDigit = (c: number) => c >= 48 && c <= 57;
/** 10^0 .. 10^15, each exact. */
const POW10 = Array.from({ length: 16 }, (_, k) => Number(`1e${k}`));

/** What String.prototype.trim strips (WhiteSpace and LineTerminator: exactly /\s/). */
const SPACE = /\s/;
const isSpace = (c: number) => (c < 128 ? c === 32 || (c >= 9 && c <= 13) : SPACE.test(String.fromCharCode(c)));

/**
 * `12.34 ms` (or `12.34ms`) with the given unit, read from `text` between `from` and `to`: what
 * /^(\d+(?:\.\d+)?) ?(\w+)$/ with that unit accepts, without a regular expression or a copy of
 * the field (five fields a call). The number is the longest digits[.digits] prefix; the unit must
 * be all the rest, after at most one space. Undefined when it does not match.
 */
function numAt(text: string, from: number, to: number, unit: string): number | undefined {
  // The digits as one integer and the count after the point: `12.34` is 1234 / 10^2.
  let i = from;
  let digits = 0;
  let c: number;
  while (i < to && isDigit((c = text.charCodeAt(i)))) {
    digits = digits * 10 + (c - 48);
    i++;
  }
  if (i === from) return undefined;
  let decimals = 0;
  if (i + 1 < to && text.charCodeAt(i) === 46 && isDigit(text.charCodeAt(i + 1))) {
    i++;
    while (i < to && isDigit((c = text.charCodeAt(i)))) {
      digits = digits * 10 + (c - 48);
      decimals++;
      i++;
    }
  }
  const end = i;
  if (i < to && text.charCodeAt(i) === 32) i++;
  if (to - i !== unit.length || !text.startsWith(unit, i)) return undefined;
  // With at most 15 digits the integer is exact (under 2^53), and so is the power of ten: one
  // correctly rounded division, the double nearest the decimal, as Number() gives. Longer
  // numbers go to Number().
  const count = end - from - (decimals > 0 ? 1 : 0);
  return count <= 15 ? digits / POW10[decimals] : Number(text.slice(from, end));
}

function complete(m: Partial<ReportMetrics>): m is ReportMetrics {
  return m.requestId !== undefined && m.durationMs !== undefined && m.billedMs !== undefined &&
    m.memoryMb !== undefined && m.maxMemoryMb !== undefined;
}

/**
 * The text REPORT line: tab-separated fields, each trimmed, empty ones skipped; the first is the
 * request id. Walked in place by index, no field copied but the ones kept: this runs once a call.
 * test/report-line.test.ts holds it to the plain split-and-trim reading on arbitrary lines.
 */
function parseText(line: string): ReportMetrics | undefined {
  const m: Partial<ReportMetrics> = { requestId: undefined };
  let first = true;
  for (let pos = TEXT_PREFIX.length; pos <= line.length;) {
    let tab = line.indexOf("\t", pos);
    if (tab < 0) tab = line.length;
    let a = pos;
    let b = tab;
    pos = tab + 1;
    while (a < b && isSpace(line.charCodeAt(a))) a++;
    while (b > a && isSpace(line.charCodeAt(b - 1))) b--;
    if (a === b) continue;
    if (first) {
      m.requestId = line.slice(a, b);
      first = false;
      continue;
    }
    const colon = line.indexOf(": ", a);
    if (colon < 0 || colon + 2 > b) return undefined;
    const store = storeOf(line, a, colon);
    let v = colon + 2;
    while (v < b && isSpace(line.charCodeAt(v))) v++;
    // Fields we do not know are skipped, so a new one never
    // hides the rest; a known field with a malformed value makes the line not a REPORT.
    if (store && !store(m, line, v, b)) return undefined;
  }
  return complete(m) ? m : undefined;
}

interface JsonReport {
  type?: unknown;
  record?: {
    requestId?: unknown;
    status?: unknown;
    errorType?: unknown;
    metrics?: Record<string, unknown>;
  };
}

function parseJson(line: string): ReportMetrics | undefined {
  let rec: JsonReport;
  try {
    rec = JSON.parse(line) as JsonReport;
  } catch {
    return undefined;
  }
  if (rec?.type !== "platform.report" || typeof rec.record !== "object" || rec.record === null) return undefined;
  const metrics = rec.record.metrics ?? {};
  const n = (k: string) => (typeof metrics[k] === "number" ? (metrics[k] as number) : undefined);
  const m: Partial<ReportMetrics> = {
    requestId: typeof rec.record.requestId === "string" ? rec.record.requestId : undefined,
    durationMs: n("durationMs"),
    billedMs: n("billedDurationMs"),
    memoryMb: n("memorySizeMB"),
    maxMemoryMb: n("maxMemoryUsedMB"),
  };
  const init = n("initDurationMs");
  if (init !== undefined) m.initMs = init;
  const restore = n("restoreDurationMs");
  if (restore !== undefined) m.restoreMs = restore;
  const billedRestore = n("billedRestoreDurationMs");
  if (billedRestore !== undefined) m.billedRestoreMs = billedRestore;
  if (typeof rec.record.status === "string" && rec.record.status !== "success") m.status = rec.record.status;
  if (typeof rec.record.errorType === "string") m.errorType = rec.record.errorType;
  return complete(m) ? m : undefined;
}

/** True for lines the platform may write after REPORT. */
function trailing(line: string): boolean {
  if (line === "" || line.startsWith("XRAY ")) return true;
  if (!line.startsWith("{")) return false;
  try {
    const t = (JSON.parse(line) as { type?: unknown }).type;
    return typeof t === "string" && t.startsWith("platform.") && t !== "platform.report";
  } catch {
    return false;
  }
}

/** An INIT_REPORT line of either format, or undefined. */
function parseInitReport(line: string): InitReport | undefined {
  if (line.startsWith(INIT_PREFIX)) {
    const r: InitReport = { durationMs: NaN, phase: null, status: null, errorType: null };
    for (const field of line.slice(INIT_PREFIX.length).split("\t").map((f) => f.trim()).filter((f) => f)) {
      const colon = field.indexOf(": ");
      if (colon < 0) return undefined;
      const [key, value] = [field.slice(0, colon), field.slice(colon + 2).trim()];
      if (key === "Init Duration") {
        const ms = numAt(value, 0, value.length, "ms");
        if (ms === undefined) return undefined;
        r.durationMs = ms;
      }
      if (key === "Phase") r.phase = value;
      if (key === "Status") r.status = value;
      if (key === "Error Type") r.errorType = value;
    }
    return Number.isNaN(r.durationMs) ? undefined : r;
  }
  if (!line.startsWith("{")) return undefined;
  try {
    const rec = JSON.parse(line) as { type?: unknown; record?: Record<string, unknown> };
    if (rec?.type !== "platform.initReport" || typeof rec.record !== "object" || rec.record === null) return undefined;
    const metrics = (rec.record.metrics ?? {}) as Record<string, unknown>;
    if (typeof metrics.durationMs !== "number") return undefined;
    const str = (v: unknown) => (typeof v === "string" ? v : null);
    return { durationMs: metrics.durationMs, phase: str(rec.record.phase), status: str(rec.record.status), errorType: str(rec.record.errorType) };
  } catch {
    return undefined;
  }
}

export interface ParseOptions {
  /** The function's timeout: a `Status: timeout` REPORT is billed at it. */
  timeoutMs?: number;
}

/**
 * The REPORT metrics of a decoded log tail, or undefined when the tail does not end with one.
 * With `requestId`, a REPORT for any other request is rejected as well.
 */
export function parseReport(tail: string, requestId?: string, opts: ParseOptions = {}): ReportMetrics | undefined {
  // The common tail, read without splitting it into lines: the text REPORT is the last line (only
  // a final newline after it), no \r in it, and no line of the tail starts an INIT_REPORT or a JSON
  // record. Anything else takes the full reading below, which gives the same answer on this case.
  const at = tail.lastIndexOf(TEXT_PREFIX);
  if (at >= 0 && (at === 0 || tail.charCodeAt(at - 1) === 10)) {
    const nl = tail.indexOf("\n", at);
    const end = nl < 0 ? tail.length : nl;
    if ((nl < 0 || nl === tail.length - 1) && tail.indexOf("\r", at) < 0 && !tail.startsWith("{") && !tail.includes("\n{") &&
      !tail.startsWith(INIT_PREFIX) && !tail.includes("\nINIT_REPORT ")) {
      const report = parseText(tail.slice(at, end));
      if (!report || (requestId !== undefined && report.requestId !== requestId)) return undefined;
      if (report.status === "timeout" && opts.timeoutMs !== undefined) report.billedMs = opts.timeoutMs;
      return report;
    }
  }
  return parseReportLines(tail, requestId, opts);
}

/** parseReport's full reading, line by line (exported for the test that holds the fast path to it). */
export function parseReportLines(tail: string, requestId?: string, opts: ParseOptions = {}): ReportMetrics | undefined {
  const lines = tail.split("\n").map((l) => l.replace(/\r$/, ""));
  let i = lines.length - 1;
  while (i >= 0 && trailing(lines[i])) i--;
  if (i < 0) return undefined;
  const last = lines[i];
  const report = last.startsWith(TEXT_PREFIX) ? parseText(last) : last.startsWith("{") ? parseJson(last) : undefined;
  if (!report || (requestId !== undefined && report.requestId !== requestId)) return undefined;
  // INIT_REPORTs of an init that failed and was retried: from the previous REPORT (another
  // request's, if the tail reaches back that far) to this one.
  const inits: InitReport[] = [];
  for (let j = i - 1; j >= 0; j--) {
    if (lines[j].startsWith(TEXT_PREFIX) || /"type"\s*:\s*"platform\.report"/.test(lines[j])) break;
    const init = parseInitReport(lines[j]);
    if (init) inits.unshift(init);
  }
  if (inits.length > 0) report.initReports = inits;
  if (report.status === "timeout" && opts.timeoutMs !== undefined) report.billedMs = opts.timeoutMs;
  return report;
}
