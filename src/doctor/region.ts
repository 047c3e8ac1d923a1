// Where `doctor` finds the deploy's region, and says so: --region; the selected stack's aws:region
// (`pulumi config get`); else the stack's config file, Pulumi.<stack>.yaml beside Pulumi.yaml (the
// only one, or the one PULUMI_STACK names), read without the Pulumi CLI; else AWS_REGION.
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import type { DoctorContext } from "./context";
import { run } from "./run-tool";

export interface FoundRegion {
  region: string | undefined;
  /** Where it came from, as the doctor's line says it; or, with no region, what was looked at. */
  from: string;
}

/** aws:region of a stack config file, or undefined when it has none (or is not YAML). */
export function stackFileRegion(file: string): string | undefined {
  try {
    const doc = parse(fs.readFileSync(file, "utf8")) as { config?: Record<string, unknown> } | null;
    const r = doc?.config?.["aws:region"];
    return typeof r === "string" && r ? r : undefined;
  } catch {
    return undefined;
  }
}

/** The stack config files of the project in `dir` (Pulumi.<stack>.yaml, not Pulumi.yaml itself). */
export function stackFiles(dir: string): string[] {
  try {
    return fs.readdirSync(dir).filter((f) => /^Pulumi\.[^.]+\.ya?ml$/.test(f)).sort();
  } catch {
    return [];
  }
}

export async function resolveRegion(ctx: DoctorContext): Promise<FoundRegion> {
  if (ctx.region) return { region: ctx.region, from: "--region" };
  const r = await run("pulumi", ["config", "get", "aws:region"], ctx.env);
  if (r.code === 0 && r.stdout) return { region: r.stdout, from: "the stack's aws:region" };
  const dir = ctx.projectDir ?? process.cwd();
  const files = stackFiles(dir);
  const named = ctx.env.PULUMI_STACK ? files.find((f) => f.replace(/^Pulumi\.|\.ya?ml$/g, "") === ctx.env.PULUMI_STACK) : undefined;
  const file = named ?? (files.length === 1 ? files[0] : undefined);
  const region = file ? stackFileRegion(path.join(dir, file)) : undefined;
  if (file && region) return { region, from: `${file}'s aws:region` };
  for (const name of ["AWS_REGION", "AWS_DEFAULT_REGION"]) if (ctx.env[name]) return { region: ctx.env[name], from: name };
  if (files.length > 1) return { region: undefined, from: `${files.join(", ")}: several stacks and none selected (pulumi stack select, or PULUMI_STACK)` };
  return { region: undefined, from: file ? `${file} sets no aws:region` : "" };
}
