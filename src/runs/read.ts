// Reading saved run files: the JSONL files `measure`, `idle` or `sweep` wrote, named as files or
// folders, streamed line by line as records. A last line cut short (power lost, a full disk) is
// skipped with a warning; any other bad line is an error naming the file and line. What the
// records are folded into (summaries, sweeps) is src/summary/saved-runs.ts.
import * as fs from "node:fs";
import * as path from "node:path";
import * as readline from "node:readline";
import { parseRecord, type InvocationRecord } from "./record";
import { capLines } from "./line-cap";

/** A file or folder that cannot be read as runs: the message says which line and why. */
export class ReportInputError extends Error {}

/** The JSONL files named: files as given, folders by their *.jsonl files (sub-folders too), in name order. */
export function runFiles(inputs: string[]): string[] {
  const files: string[] = [];
  for (const input of inputs) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(input);
    } catch {
      throw new ReportInputError(`${input} not found: pass a run's .jsonl file or a folder of them`);
    }
    if (stat.isDirectory()) {
      const inDir = jsonlUnder(input);
      if (inDir.length === 0) throw new ReportInputError(`${input} holds no .jsonl files: pass the folder \`sweep --out\` wrote, or run files`);
      files.push(...inDir);
    } else {
      files.push(input);
    }
  }
  return files;
}

/** The .jsonl files in a folder and its sub-folders: a folder's own files first, then each sub-folder's. */
function jsonlUnder(dir: string): string[] {
  const entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => byNumberAware(a.name, b.name));
  const own = entries.filter((e) => e.isFile() && e.name.endsWith(".jsonl")).map((e) => path.join(dir, e.name));
  const sub = entries.filter((e) => e.isDirectory()).flatMap((e) => jsonlUnder(path.join(dir, e.name)));
  return [...own, ...sub];
}

/** File and key order as people count: run-2 before run-10. */
export const byNumberAware = (a: string, b: string) => a.localeCompare(b, "en", { numeric: true });

/** A run file's lines, capped (line-cap.ts): for `for await`, or pulled one at a time (a merge). */
export function runFileLines(file: string): readline.Interface {
  return readline.createInterface({ input: capLines(fs.createReadStream(file), file), crlfDelay: Infinity });
}

/**
 * The rules of a run file's lines, fed one line at a time: a record per line, blank lines skipped.
 * A line that is not JSON is an error unless it is the last one: a run cut short (power lost, disk
 * full) leaves its last line unfinished, and every line before it is still good.
 */
export class RunFileParser {
  /** Lines seen, and records returned. */
  lines = 0;
  records = 0;
  private cut: { line: number; message: string } | undefined;

  constructor(readonly file: string) {}

  /** The record on the next line, or undefined for a blank line or one that may be the cut last line. */
  line(text: string): InvocationRecord | undefined {
    const n = ++this.lines;
    if (text.trim() === "") return undefined;
    if (this.cut) throw new ReportInputError(`${this.file}:${this.cut.line}: not JSON (${this.cut.message}): pass files written by measure --out or sweep --out`);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      this.cut = { line: n, message: (err as Error).message };
      return undefined;
    }
    const parsed = parseRecord(value);
    if (!parsed.ok) throw new ReportInputError(`${this.file}:${n}: not an invocation record: ${parsed.message}`);
    this.records++;
    return parsed.record;
  }

  /** After the last line: `warn` hears of a last line cut short; a file without records is an error. */
  end(warn?: (message: string) => void): void {
    if (this.cut) warn?.(`${this.file}:${this.cut.line}: the last line is cut short (not JSON); skipped it and read the ${this.lines - 1} lines before it`);
    if (this.records === 0) throw new ReportInputError(`${this.file} holds no invocations`);
  }
}

/**
 * Every record of a run file, in order, to `onRecord`; the first one is returned. `warn` hears of a
 * last line cut short.
 */
export async function readRunFile(file: string, onRecord: (r: InvocationRecord) => void, warn?: (message: string) => void): Promise<InvocationRecord> {
  const parser = new RunFileParser(file);
  let first: InvocationRecord | undefined;
  for await (const line of runFileLines(file)) {
    const r = parser.line(line);
    if (r === undefined) continue;
    first ??= r;
    onRecord(r);
  }
  parser.end(warn);
  return first!;
}
