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

/**
 * Every record of a run file, in order, to `onRecord`; the first one is returned. `warn` hears of a
 * last line cut short.
 */
export async function readRunFile(file: string, onRecord: (r: InvocationRecord) => void, warn?: (message: string) => void): Promise<InvocationRecord> {
  const lines = readline.createInterface({ input: capLines(fs.createReadStream(file), file), crlfDelay: Infinity });
  let n = 0;
  let first: InvocationRecord | undefined;
  // A line that is not JSON is an error unless it is the last one: a run cut short (power lost, disk
  // full) leaves its last line unfinished, and every line before it is still good.
  let cut: { line: number; message: string } | undefined;
  for await (const line of lines) {
    n++;
    if (line.trim() === "") continue;
    if (cut) throw new ReportInputError(`${file}:${cut.line}: not JSON (${cut.message}): pass files written by measure --out or sweep --out`);
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (err) {
      cut = { line: n, message: (err as Error).message };
      continue;
    }
    const parsed = parseRecord(value);
    if (!parsed.ok) throw new ReportInputError(`${file}:${n}: not an invocation record: ${parsed.message}`);
    first ??= parsed.record;
    onRecord(parsed.record);
  }
  if (cut) warn?.(`${file}:${cut.line}: the last line is cut short (not JSON); skipped it and read the ${n - 1} lines before it`);
  if (!first) throw new ReportInputError(`${file} holds no invocations`);
  return first;
}
