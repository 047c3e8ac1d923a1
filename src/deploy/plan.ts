// `lambda-bench plan`: what `pulumi up` would create for a manifest, found by running the real
// program under Pulumi's mocks in preview mode, offline.
import { loadManifest, type LoadOptions } from "../manifest/load";
import { runUnderMocks, UNKNOWN, type Registered } from "./mocks";
import type { PolicyDocument } from "../manifest/policies";
import { defineStack, type StackOptions } from "./program";

export interface PlanOptions extends LoadOptions, StackOptions {
  region?: string;
}

export async function plan(manifestFile: string, opts: PlanOptions = {}): Promise<Registered[]> {
  // Validation comes first and throws: an invalid manifest registers nothing.
  const manifest = loadManifest(manifestFile, opts);
  return runUnderMocks(() => defineStack(manifest, opts.namePrefix ?? "", { buildOnPreview: opts.buildOnPreview }), { region: opts.region });
}

/** The JSON `plan --json` prints: values known only after deploy are "(known after deploy)". */
export function planJson(resources: readonly Registered[]): { resources: { type: string; name: string; parent: string | null; inputs: Record<string, unknown> }[] } {
  return { resources: resources.map(({ type, name, parent, inputs }) => ({ type, name, parent, inputs })) };
}

/** A tree of what would be created, one resource a line, children under their component. */
export function planText(resources: readonly Registered[]): string {
  const lines = resources.flatMap((r) => {
    const indent = r.parent ? "    " : "";
    const detail = describe(r);
    return [`${indent}+ ${r.type}  ${r.name}${detail ? `  (${detail})` : ""}`, ...statements(r).map((s) => `${indent}      ${s}`)];
  });
  const counts = new Map<string, number>();
  for (const r of resources) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
  const summary = [...counts].map(([t, n]) => `${n} ${t.slice(t.lastIndexOf(":") + 1)}`).join(", ");
  return [...lines, "", `${resources.length} resources to create: ${summary}`].join("\n");
}

/** A name, marked when the provider picks it. */
function named(r: Registered, field: string): string {
  const value = String(r.inputs[field]);
  return r.autonamed === field ? `${value} (autonamed)` : value;
}

function describe(r: Registered): string {
  const i = r.inputs as Record<string, any>;
  switch (r.type) {
    case "aws:lambda/function:Function":
      return [
        i.name, i.architectures?.join(","), `${i.memorySize} MB`, `${i.timeout} s`, `/tmp ${i.ephemeralStorage?.size} MB`,
        `logs ${i.loggingConfig?.logFormat}`,
        ...(i.reservedConcurrentExecutions !== undefined ? [`reserved ${i.reservedConcurrentExecutions}`] : []),
        ...(i.publish ? ["publishes versions"] : []),
      ].join(", ");
    case "aws:ecr/repository:Repository":
      return String(i.name);
    case "aws:ecr/lifecyclePolicy:LifecyclePolicy":
      return "untagged images expire after 7 days";
    case "docker-build:index:Image": {
      const tags = i.tags === UNKNOWN ? UNKNOWN : `${i.tags.length} tag(s)`;
      return `${i.platforms?.join(",")}, ${i.dockerfile?.location}${i.target ? `, target ${i.target}` : ""}, ${tags}${i.buildOnPreview === false ? ", not built on preview" : ""}`;
    }
    case "aws:iam/role:Role":
    case "aws:iam/rolePolicy:RolePolicy":
      return named(r, "name");
    case "aws:s3/bucket:Bucket":
      return named(r, "bucket");
    case "aws:iam/rolePolicyAttachment:RolePolicyAttachment":
      return String(i.policyArn);
    case "aws:cloudwatch/logGroup:LogGroup":
      return `${i.name}, ${i.retentionInDays === 0 ? "kept forever" : `${i.retentionInDays} days`}`;
    case "aws:lambda/alias:Alias":
      return `${i.name} -> version ${i.functionVersion}`;
    case "aws:lambda/provisionedConcurrencyConfig:ProvisionedConcurrencyConfig":
      return `${i.provisionedConcurrentExecutions} instances on ${i.qualifier}`;
    default:
      return "";
  }
}

/** A RolePolicy's statements, one line each: what a reviewer checks before `pulumi up`. */
function statements(r: Registered): string[] {
  if (r.type !== "aws:iam/rolePolicy:RolePolicy") return [];
  if (typeof r.inputs.policy !== "string" || r.inputs.policy === UNKNOWN) return [`policy ${UNKNOWN}`];
  const doc = JSON.parse(r.inputs.policy) as PolicyDocument;
  return doc.Statement.map((s) => {
    const conditions = Object.entries(s.Condition ?? {}).flatMap(([op, kv]) =>
      Object.entries(kv).map(([k, v]) => `${k} ${op === "StringEquals" ? "=" : op} ${v}`));
    return `${s.Effect} ${s.Action.join(",")} on ${s.Resource.join(", ")}${conditions.length ? ` if ${conditions.join(" and ")}` : ""}`;
  });
}
