// Lambda's end-of-invocation REPORT record, read from the `LogResult` tail (the last 4 KB of the
// log). Both log formats are read: text (`REPORT RequestId: ...` with tab-separated fields) and
// JSON (a `platform.report` record). The platform writes REPORT last (only an X-Ray line may
// follow), so only the final record is taken: a function that prints something REPORT-like
// earlier, or a REPORT for another request, is never mistaken for it.

export interface ReportMetrics {
  requestId: string;
  durationMs: number;
  billedMs: number;
  memoryMb: number;
  maxMemoryMb: number;
  /** Present only on a cold start. Since 2025-08 it is also inside Billed Duration. */
  initMs?: number;
  /** SnapStart restores. */
  restoreMs?: number;
  /** `timeout` or `error` when the platform says so; absent on success. */
  status?: string;
  errorType?: string;
}

const TEXT_PREFIX = "REPORT RequestId: ";

/** Field name in the text format -> how to store it. */
const TEXT_FIELDS: Record<string, (m: Partial<ReportMetrics>, v: string) => boolean> = {
  "Duration": (m, v) => num(v, "ms", (x) => { m.durationMs = x; }),
  "Billed Duration": (m, v) => num(v, "ms", (x) => { m.billedMs = x; }),
  "Memory Size": (m, v) => num(v, "MB", (x) => { m.memoryMb = x; }),
  "Max Memory Used": (m, v) => num(v, "MB", (x) => { m.maxMemoryMb = x; }),
  "Init Duration": (m, v) => num(v, "ms", (x) => { m.initMs = x; }),
  "Restore Duration": (m, v) => num(v, "ms", (x) => { m.restoreMs = x; }),
  "Status": (m, v) => { m.status = v; return v.length > 0; },
  "Error Type": (m, v) => { m.errorType = v; return v.length > 0; },
};

function num(text: string, unit: string, set: (x: number) => void): boolean {
  const match = /^(\d+(?:\.\d+)?) ?(\w+)$/.exec(text);
  if (!match || match[2] !== unit) return false;
  set(Number(match[1]));
  return true;
}

function complete(m: Partial<ReportMetrics>): m is ReportMetrics {
  return m.requestId !== undefined && m.durationMs !== undefined && m.billedMs !== undefined &&
    m.memoryMb !== undefined && m.maxMemoryMb !== undefined;
}

function parseText(line: string): ReportMetrics | undefined {
  const fields = line.slice(TEXT_PREFIX.length).split("\t").map((f) => f.trim()).filter((f) => f);
  const m: Partial<ReportMetrics> = { requestId: fields.shift() };
  for (const field of fields) {
    const colon = field.indexOf(": ");
    if (colon < 0) return undefined;
    const store = TEXT_FIELDS[field.slice(0, colon)];
    // Fields we do not know (e.g. `Billed Restore Duration`) are skipped, so a new one never
    // hides the rest; a known field with a malformed value makes the line not a REPORT.
    if (store && !store(m, field.slice(colon + 2).trim())) return undefined;
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

/**
 * The REPORT metrics of a decoded log tail, or undefined when the tail does not end with one.
 * With `requestId`, a REPORT for any other request is rejected as well.
 */
export function parseReport(tail: string, requestId?: string): ReportMetrics | undefined {
  const lines = tail.split("\n");
  let i = lines.length - 1;
  while (i >= 0 && trailing(lines[i].replace(/\r$/, ""))) i--;
  if (i < 0) return undefined;
  const last = lines[i].replace(/\r$/, "");
  const report = last.startsWith(TEXT_PREFIX) ? parseText(last) : last.startsWith("{") ? parseJson(last) : undefined;
  if (report && requestId !== undefined && report.requestId !== requestId) return undefined;
  return report;
}
