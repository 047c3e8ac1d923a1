// The memory sizes a study found its benchmarks at, kept in --out while it changes them
// (`memory-originals.json`): written before the first change, removed once every size is put back.
// A run killed outright (SIGKILL, a crash, a power cut) cannot put them back; the next run of the
// study finds the file, puts each size back first (printing what it does) and takes the recorded
// sizes, not the ones it finds, as the originals to restore at its end.
import * as fs from "node:fs";
import * as path from "node:path";
import { readJsonIfThere, writeJsonAtomically } from "./json-file";

export const ORIGINALS_FILE = "memory-originals.json";

/** Function name -> memory size in MB. */
export type Originals = Record<string, number>;

export function readOriginals(outDir: string): Originals | undefined {
  const file = path.join(outDir, ORIGINALS_FILE);
  const o = readJsonIfThere(file) as { memoryMb?: Originals } | undefined;
  if (o === undefined) return undefined;
  if (!o || typeof o.memoryMb !== "object") throw new Error(`${file} is not a lambda-bench memory record`);
  return o.memoryMb;
}

/** Written atomically (a temporary file, then a rename). */
export function writeOriginals(outDir: string, memoryMb: Originals): void {
  writeJsonAtomically(path.join(outDir, ORIGINALS_FILE), { memoryMb });
}

export function removeOriginals(outDir: string): void {
  fs.rmSync(path.join(outDir, ORIGINALS_FILE), { force: true });
}
