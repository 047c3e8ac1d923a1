// The study's own small JSON files in --out (study.json, memory-originals.json): read when there,
// written atomically (a temporary file beside it, then a rename over the old one), so a run killed
// mid-write leaves the old file whole.
import * as fs from "node:fs";
import * as path from "node:path";

/** The file's JSON, or undefined when there is no such file; other read errors are thrown. */
export function readJsonIfThere(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
  return JSON.parse(text);
}

export function writeJsonAtomically(file: string, value: unknown): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(value, null, 2)}\n`);
  fs.renameSync(tmp, file);
}
