// The driver function's code (issue 28): lambda-handler.ts and everything it imports, this
// checkout's own engine and AWS SDK included, bundled by esbuild into one CommonJS file that
// components/generator.ts deploys as `index.js`. Nothing is external: the SDK v3 inside Lambda's
// Node runtime is another version than the one the engine was tested with.
import * as fs from "node:fs";
import * as path from "node:path";
import { buildSync } from "esbuild";
import { PACKAGE_ROOT } from "../package-info";

/**
 * The entry: the TypeScript source when it is there (`pulumi up` runs index.ts with ts-node from
 * src/), else the compiled file beside this one (dist/, the CLI's `plan` and the tests).
 */
export function driverEntry(dir = __dirname): string {
  const ts = path.join(dir, "lambda-handler.ts");
  return fs.existsSync(ts) ? ts : path.join(dir, "lambda-handler.js");
}

let cached: { entry: string; code: string } | undefined;

/** The bundle's text, built once per process (and entry): the program and `plan` ask for it. */
export function driverBundle(entry = driverEntry()): string {
  if (cached?.entry !== entry) cached = { entry, code: buildDriverBundle(entry) };
  return cached.code;
}

/**
 * Bundles `entry`. Deterministic: the same sources give the same bytes, from any working
 * directory (paths in the bundle are relative to the package root).
 */
export function buildDriverBundle(entry: string): string {
  const result = buildSync({
    entryPoints: [entry],
    absWorkingDir: PACKAGE_ROOT,
    // node_modules may be a link to another checkout's (a worktree): its path, not the link's
    // target, keeps the bundle's path comments, so its bytes, the same wherever the target is.
    preserveSymlinks: true,
    bundle: true,
    platform: "node",
    target: "node22",
    format: "cjs",
    write: false,
    minify: false,
    legalComments: "none",
    logLevel: "silent",
  });
  return result.outputFiles[0].text;
}
