// Where this package is on disk and its version, for code that runs from src/ (ts-node: `pulumi up`)
// or from dist/ (the compiled CLI and tests) alike.
import * as fs from "node:fs";
import * as path from "node:path";

/** The package root: this file is src/package-info.ts, or dist/src/package-info.js when compiled. */
export const PACKAGE_ROOT = path.resolve(__dirname, "..", __dirname.split(path.sep).includes("dist") ? ".." : "");

/** package.json's name and version. */
export function packageJson(root = PACKAGE_ROOT): { name: string; version: string } {
  const { name, version } = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { name: string; version: string };
  return { name, version };
}
