// Never overwrite a result: before a run changes or invokes anything, the files it will write are
// checked. A run file (or its .meta.json) that exists, or a sweep folder that already holds runs,
// is refused, with a free name suggested; with `force` the run replaces exactly the files it would
// write and their sidecars, and nothing else (as `aws s3 cp` and k6's `--out` replace the object or
// file they name, not the folder around it). Other runs in a sweep folder stay; `report` tells two
// sweeps in one folder apart by their provenance's run id.
import * as fs from "node:fs";
import * as path from "node:path";
import { metaPathFor } from "./provenance";

export type Claim =
  /** What is in the way, and a free name for the same output. */
  | { taken: string; suggestion: string }
  | null;

const exists = (f: string) => fs.existsSync(f);
/** A device (`--out /dev/null`, `/dev/stdout`) is not a result: only a regular file is in the way. */
const isFile = (f: string) => {
  try {
    return fs.statSync(f).isFile();
  } catch {
    return false;
  }
};
const holdsResult = (f: string) => isFile(f) || (!exists(f) && isFile(metaPathFor(f)));

/** `runs/hello.jsonl` -> `runs/hello-2.jsonl` (then -3, ...), the first whose file and sidecar are free. */
export function freeFile(file: string): string {
  const ext = file.endsWith(".jsonl") ? ".jsonl" : path.extname(file);
  const stem = file.slice(0, file.length - ext.length);
  for (let i = 2; ; i++) {
    const candidate = `${stem}-${i}${ext}`;
    if (!exists(candidate) && !exists(metaPathFor(candidate))) return candidate;
  }
}

/** A folder that holds no run file (`*.jsonl`) yet: `runs/aes-sweep` -> `runs/aes-sweep-2`. */
export function freeFolder(dir: string): string {
  for (let i = 2; ; i++) {
    const candidate = `${dir.replace(/[\\/]+$/, "")}-${i}`;
    if (!holdsRuns(candidate)) return candidate;
  }
}

/** A folder holding a run file (a regular `*.jsonl`; a device or folder of that name is not one). */
function holdsRuns(dir: string): boolean {
  try {
    return fs.readdirSync(dir).some((f) => f.endsWith(".jsonl") && isFile(path.join(dir, f)));
  } catch {
    return false;
  }
}

const removeIfThere = (f: string) => fs.rmSync(f, { force: true });

/**
 * Run files (measure, idle, interleave's two sides): refused when any of them or its sidecar
 * exists; with `force`, those are removed. The suggestion renames the first one taken (for
 * interleave, the stem both sides are made from is the caller's to suggest).
 */
export function claimFiles(files: readonly string[], force: boolean): Claim {
  const taken = files.find(holdsResult);
  if (!taken) return null;
  if (!force) return { taken: exists(taken) ? taken : metaPathFor(taken), suggestion: freeFile(taken) };
  for (const f of files.filter(holdsResult)) {
    removeIfThere(f);
    removeIfThere(metaPathFor(f));
  }
  return null;
}

/**
 * A sweep's folder: refused when it already holds a run file; with `force`, only the files this
 * sweep writes (`files`, their sidecars and the folder's meta.json) are removed.
 */
export function claimFolder(dir: string, files: readonly string[], force: boolean): Claim {
  if (!holdsRuns(dir) && !isFile(path.join(dir, "meta.json"))) return null;
  if (!force) return { taken: dir, suggestion: freeFolder(dir) };
  for (const f of [...files, ...files.map(metaPathFor), path.join(dir, "meta.json")]) if (isFile(f)) removeIfThere(f);
  return null;
}
