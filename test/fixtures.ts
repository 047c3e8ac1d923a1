// Manifests on disk for tests: a temp folder with build contexts and Dockerfiles, so the disk
// rules pass unless a test breaks them on purpose.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseManifest, type LoadOptions, type ManifestError } from "../src/manifest/load";

export function workspace(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lambda-bench-test-"));
  for (const ctx of ["app", "other"]) {
    fs.mkdirSync(path.join(dir, ctx, "docker"), { recursive: true });
    fs.writeFileSync(path.join(dir, ctx, "docker", "Dockerfile.Lambda"), "FROM public.ecr.aws/lambda/nodejs:22\n");
    fs.writeFileSync(path.join(dir, ctx, "Dockerfile"), "FROM public.ecr.aws/lambda/nodejs:22\n");
  }
  return dir;
}

/** Writes `text` as benchmarks.yaml in a fresh workspace; returns its path. */
export function manifestFile(text: string, dir = workspace()): string {
  const file = path.join(dir, "benchmarks.yaml");
  fs.writeFileSync(file, text);
  return file;
}

/** Validates text in a fresh workspace; returns the errors as `line:col: message`. */
export function errorsOf(text: string, opts: LoadOptions = {}): string[] {
  const file = manifestFile(text);
  return parseManifest(text, file, opts).errors.map((e: ManifestError) => `${e.line}:${e.col}: ${e.message}`);
}

export function validOf(text: string, opts: LoadOptions = {}) {
  const file = manifestFile(text);
  const r = parseManifest(text, file, opts);
  if (!r.manifest) throw new Error(`expected a valid manifest, got:\n${r.errors.map((e) => `${e.line}:${e.col}: ${e.message}`).join("\n")}`);
  return r.manifest;
}

/** Drops the common indentation so manifests can be written inline. */
export function yaml(strings: TemplateStringsArray, ...values: unknown[]): string {
  const text = strings.reduce((acc, s, i) => acc + s + (i < values.length ? String(values[i]) : ""), "");
  const lines = text.replace(/^\n/, "").split("\n");
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => l.length - l.trimStart().length));
  return lines.map((l) => l.slice(indent)).join("\n");
}
