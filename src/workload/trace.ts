// Trace replay (`--trace FILE`). Two formats:
//  - the Azure Functions 2019 per-minute counts (`HashOwner,HashApp,HashFunction,Trigger,1,..,1440`),
//    one function a row: `--trace-function HASH` or `--trace-row N` picks one, else every row is
//    summed; each minute's calls are spread inside it uniformly or as Poisson arrivals (sorted
//    uniform points, which is what a Poisson process is given its count);
//  - a one-column CSV of send offsets in ms (an optional header line).
// `--minutes A-B` keeps minutes A..B (1-based) of the Azure format; `--speedup X` plays X times faster.
// A malformed file is a TraceError `file:line: message`.
import * as fs from "node:fs";
import * as path from "node:path";
import type { Workload } from "./workload";
import type { Arrivals } from "./open";
import { Rng } from "../rng";
import type { Schedule } from "./schedule";

export class TraceError extends Error {}

export interface TraceSelect {
  function?: string;
  /** 1-based data row (the header is not counted). */
  row?: number;
  /** 1-based, inclusive. */
  minutes?: [number, number];
}

export type Trace = { kind: "minutes"; counts: number[]; rows: number } | { kind: "offsets"; offsetsMs: Float64Array };

const AZURE_HEAD = ["HashOwner", "HashApp", "HashFunction", "Trigger"];

/** Parses `A-B` (or `A`) for --minutes. */
export function parseMinutes(text: string): [number, number] {
  const m = /^\s*(\d+)\s*(?:-\s*(\d+))?\s*$/.exec(text);
  const a = m ? Number(m[1]) : NaN;
  const b = m ? Number(m[2] ?? m[1]) : NaN;
  if (!m || a < 1 || b < a) throw new Error(`--minutes must be A-B with 1 <= A <= B; got ${JSON.stringify(text)}`);
  return [a, b];
}

/** Reads and parses a trace; throws TraceError with `file:line: message`. */
export function readTrace(file: string, select: TraceSelect = {}): Trace {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (err) {
    throw new TraceError(`${file}: cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  return parseTrace(text, file, select);
}

export function parseTrace(text: string, file: string, select: TraceSelect = {}): Trace {
  const lines = text.split(/\r?\n/);
  const fail = (line: number, message: string): never => {
    throw new TraceError(`${file}:${line}: ${message}`);
  };
  const head = lines[0]?.split(",").map((c) => c.trim()) ?? [];
  if (head.length > 4 && AZURE_HEAD.every((h, i) => head[i] === h)) return azure(lines, head, select, fail, file);
  if (select.function !== undefined || select.row !== undefined || select.minutes !== undefined) {
    fail(1, "--trace-function, --trace-row and --minutes apply to the Azure per-minute format (a header HashOwner,HashApp,HashFunction,Trigger,1,...)");
  }
  const offsets: number[] = [];
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    if (line.includes(",")) fail(i + 1, `expected one column of send offsets in ms, got ${line.split(",").length} columns`);
    const v = Number(line);
    if (line === "" || !Number.isFinite(v)) {
      if (i === 0 && offsets.length === 0 && /^[A-Za-z_]/.test(line)) return; // a header
      fail(i + 1, `not a number of ms: ${JSON.stringify(line)}`);
    }
    if (v < 0) fail(i + 1, `a send offset cannot be negative: ${v}`);
    offsets.push(v);
  });
  if (offsets.length === 0) fail(1, "no send offsets in the file");
  return { kind: "offsets", offsetsMs: Float64Array.from(offsets).sort() };
}

function azure(lines: string[], head: string[], select: TraceSelect, fail: (line: number, m: string) => never, file: string): Trace {
  const minutes = head.length - 4;
  head.slice(4).forEach((h, i) => {
    if (h !== String(i + 1)) fail(1, `minute column ${i + 1} is named ${JSON.stringify(h)}; expected ${i + 1}`);
  });
  const counts = new Array<number>(minutes).fill(0);
  let rows = 0;
  let dataRow = 0;
  let found = false;
  for (let i = 1; i < lines.length; i++) {
    if (lines[i].trim() === "") continue;
    dataRow++;
    const cells = lines[i].split(",");
    if (cells.length !== head.length) fail(i + 1, `${cells.length} columns; the header has ${head.length}`);
    const chosen = select.row !== undefined ? dataRow === select.row
      : select.function !== undefined ? cells[2].trim() === select.function : true;
    // Only a chosen row's 1,440 counts are read: a day file of the real dataset has ~50,000 rows.
    if (!chosen) continue;
    for (let m = 0; m < minutes; m++) {
      const c = cells[m + 4];
      const v = Number(c);
      if (c.trim() === "" || !Number.isInteger(v) || v < 0) fail(i + 1, `minute ${m + 1}: ${JSON.stringify(c)} is not a count (a whole number >= 0)`);
      counts[m] += v;
    }
    found = true;
    rows++;
  }
  if (select.row !== undefined && !found) fail(lines.length, `--trace-row ${select.row}: the file has ${dataRow} data rows`);
  if (select.function !== undefined && !found) fail(lines.length, `--trace-function ${select.function}: no row has that HashFunction`);
  if (rows === 0) fail(1, `no data rows in ${path.basename(file)}`);
  let kept = counts;
  if (select.minutes) {
    const [a, b] = select.minutes;
    if (b > minutes) fail(1, `--minutes ${a}-${b}: the file has ${minutes} minutes`);
    kept = counts.slice(a - 1, b);
  }
  return { kind: "minutes", counts: kept, rows };
}

export interface TraceSpec {
  file: string;
  trace: Trace;
  arrivals: Arrivals;
  seed: number;
  speedup: number;
  select: TraceSelect;
}

/** A trace as a schedule: minute by minute (one minute's times in memory at once), or the offsets. */
export class TraceSchedule implements Schedule {
  readonly workload: Workload;
  readonly burst = null;
  readonly total: number;
  private minute = 0;
  private inMinute: Float64Array = new Float64Array(0);
  private j = 0;
  private readonly rng: Rng;
  private readonly minuteMs: number;

  constructor(private readonly spec: TraceSpec) {
    if (!(spec.speedup > 0)) throw new Error(`--speedup must be above 0; got ${spec.speedup}`);
    const t = spec.trace;
    this.rng = new Rng(spec.seed);
    this.minuteMs = 60_000 / spec.speedup;
    this.total = t.kind === "offsets" ? t.offsetsMs.length : t.counts.reduce((a, b) => a + b, 0);
    const s = spec.select;
    this.workload = {
      shape: "trace", trace: path.basename(spec.file), format: t.kind === "offsets" ? "offsets-ms" : "azure-2019",
      speedup: spec.speedup,
      ...(t.kind === "minutes" ? { arrivals: spec.arrivals, seed: spec.seed } : {}),
      ...(s.function !== undefined ? { traceFunction: s.function } : {}),
      ...(s.row !== undefined ? { traceRow: s.row } : {}),
      ...(s.minutes ? { minutes: `${s.minutes[0]}-${s.minutes[1]}` } : {}),
    };
  }

  next(): number {
    const t = this.spec.trace;
    if (t.kind === "offsets") return this.j < t.offsetsMs.length ? t.offsetsMs[this.j++] / this.spec.speedup : Infinity;
    while (this.j >= this.inMinute.length) {
      if (this.minute >= t.counts.length) return Infinity;
      this.fill(t.counts[this.minute++]);
    }
    return (this.minute - 1) * this.minuteMs + this.inMinute[this.j++];
  }

  /** One minute's offsets within it: c uniform spacings, or c sorted uniform points (Poisson given c). */
  private fill(c: number): void {
    const a = new Float64Array(c);
    for (let i = 0; i < c; i++) a[i] = this.spec.arrivals === "uniform" ? (i * this.minuteMs) / c : this.rng.next() * this.minuteMs;
    if (this.spec.arrivals === "poisson") a.sort();
    this.inMinute = a;
    this.j = 0;
  }
}
