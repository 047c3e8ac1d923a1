// A YAML file read for validation (the manifest, a study file): parsed with positions, syntax errors
// as `file:line:col`, and every issue of the checks turned into one sorted, deduplicated list.
import { LineCounter, parseDocument, type Document } from "yaml";
import { readCapped } from "../read-capped";
import * as fs from "node:fs";
import * as path from "node:path";
import { didYouMean, offsetOf, type Issue, type Path } from "./issues";

export interface PositionedError {
  file: string;
  line: number;
  col: number;
  message: string;
}

export function formatError(e: PositionedError): string {
  return `${e.file}:${e.line}:${e.col}: ${e.message}`;
}

/** Every error of a file, sorted by position; the CLI prints them one a line and a count. */
export class FileInvalid extends Error {
  constructor(readonly errors: PositionedError[]) {
    super(errors.map(formatError).join("\n"));
    this.name = "FileInvalid";
  }
}

/** The text of a file to validate, capped (16 MB) so /dev/zero or a FIFO is not read without end. */
export function readYamlText(file: string, what: string): { text: string } | { errors: PositionedError[] } {
  try {
    return { text: readCapped(file, 16 * 1024 * 1024).toString("utf8") };
  } catch (err) {
    const reason = (err as Error).message; // ReadCappedError: "no such file", "it is a folder, not a file", ...
    const hint = fs.existsSync(file) ? "" : nearbyYaml(file);
    return { errors: [{ file, line: 1, col: 1, message: `cannot read the ${what}: ${reason}${hint}` }] };
  }
}

/** ` (did you mean "benchmarks.yaml"?)` for a missing file whose folder holds a YAML file of a near name, else "". */
function nearbyYaml(file: string): string {
  const dir = path.dirname(file);
  let names: string[];
  try {
    names = fs.readdirSync(dir).filter((n) => /\.ya?ml$/.test(n));
  } catch {
    return "";
  }
  const hint = didYouMean(path.basename(file), names);
  return hint && dir !== "." ? hint.replace(/"([^"]+)"/, (_, n: string) => `"${path.join(dir, n)}"`) : hint;
}

export interface YamlSource {
  doc: Document;
  /** The document as plain data. */
  data: unknown;
  /** `line:col` of the node a path names, for messages that point at a second place. */
  where(path: Path): string;
  /** The issues as errors at their nodes' positions, deduplicated and sorted. */
  errorsOf(issues: readonly Issue[]): PositionedError[];
}

/** Parses YAML text with positions; a syntax error is reported at its line (the first per line). */
export function parseYaml(text: string, file: string): { source: YamlSource; errors: [] } | { source?: undefined; errors: PositionedError[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const at = (offset: number, message: string): PositionedError => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, col, message };
  };
  if (doc.errors.length > 0) {
    // After the first error on a line the parser's further complaints there are its own confusion.
    const firstPerLine = new Map<number, PositionedError>();
    for (const e of doc.errors) {
      const err = at(e.pos[0], `YAML syntax: ${e.message.split("\n")[0]}`);
      if (!firstPerLine.has(err.line)) firstPerLine.set(err.line, err);
    }
    return { errors: sortErrors([...firstPerLine.values()]) };
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 1000 });
  } catch (err) {
    return { errors: [at(0, `YAML: ${(err as Error).message}`)] };
  }
  return {
    errors: [],
    source: {
      doc,
      data,
      where: (p) => { const { line, col } = lineCounter.linePos(offsetOf(doc, { path: p })); return `${line}:${col}`; },
      errorsOf: (issues) => sortErrors(dedupe(issues.map((iss) => at(offsetOf(doc, iss), iss.message)))),
    },
  };
}

function sortErrors(errors: PositionedError[]): PositionedError[] {
  return errors.sort((a, b) => a.line - b.line || a.col - b.col || a.message.localeCompare(b.message));
}

function dedupe(errors: PositionedError[]): PositionedError[] {
  const seen = new Set<string>();
  return errors.filter((e) => !seen.has(formatError(e)) && seen.add(formatError(e)) !== undefined);
}
