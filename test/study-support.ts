// Study files on disk for tests: written into a temp folder and checked against the repo's
// manifest (benchmarks.yaml: hello, hello-x86, aes, mr-driver, mr-mapper, mr-reducer).
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { loadManifest } from "../src/manifest/load";
import { parseStudy, type Study } from "../src/study/load";

export const ROOT = path.resolve(__dirname, "..", "..");
export const MANIFEST = loadManifest(path.join(ROOT, "benchmarks.yaml"));

/** A fresh folder with `files` (name -> text) in it. */
export function folder(files: Record<string, string> = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lambda-bench-study-"));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

/** Validates `text` as study.yaml in `dir`; the errors as `line:col: message`. */
export function studyErrors(text: string, dir = folder()): string[] {
  const file = path.join(dir, "study.yaml");
  fs.writeFileSync(file, text);
  return parseStudy(text, file, MANIFEST).errors.map((e) => `${e.line}:${e.col}: ${e.message}`);
}

export function studyOf(text: string, dir = folder()): Study {
  const file = path.join(dir, "study.yaml");
  fs.writeFileSync(file, text);
  const r = parseStudy(text, file, MANIFEST);
  if (!r.study) throw new Error(`expected a valid study, got:\n${r.errors.map((e) => `${e.line}:${e.col}: ${e.message}`).join("\n")}`);
  return r.study;
}
