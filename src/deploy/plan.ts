// `lambda-bench plan`: what `pulumi up` would create for a manifest, found by running the real
// program under Pulumi's mocks in preview mode, offline.
import { loadManifest, type LoadOptions } from "../manifest/load";
import { runUnderMocks, UNKNOWN, type Registered } from "./mocks";
import type { PolicyDocument, Statement } from "../manifest/policies";
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
        ...(i.packageType === "Image" ? [] : [`${i.runtime} zip${zipFiles(i.code)}`]),
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
    case "aws:sfn/stateMachine:StateMachine":
      return `${i.name}, ${i.type}`;
    case "aws:lambda/alias:Alias":
      return `${i.name} -> version ${i.functionVersion}`;
    case "aws:lambda/provisionedConcurrencyConfig:ProvisionedConcurrencyConfig":
      return `${i.provisionedConcurrentExecutions} instances on ${i.qualifier}`;
    default:
      return "";
  }
}

/** A code archive's files as the mocks describe them (mocks.ts describeAssets): ` index.js 1,234 bytes`. */
function zipFiles(code: unknown): string {
  const files = (code as { archive?: Record<string, { bytes?: number }> } | undefined)?.archive;
  if (!files || typeof files !== "object") return "";
  return Object.entries(files).map(([f, a]) => ` ${f} ${a.bytes?.toLocaleString("en-US")} bytes`).join(",");
}

/**
 * Every statement of a RolePolicy, a Role's trust, and what a state machine's definition invokes,
 * one line each: what a reviewer checks before `pulumi up`.
 */
function statements(r: Registered): string[] {
  switch (r.type) {
    case "aws:iam/rolePolicy:RolePolicy":
      return documentLines(r.inputs.policy, (s) => `${s.Effect} ${s.Action.join(",")} on ${s.Resource.join(", ")}`);
    case "aws:iam/role:Role":
      return documentLines(r.inputs.assumeRolePolicy, (s) => {
        const t = s as unknown as { Principal: { Service?: string | string[] }; Action: string | string[] };
        return `Trust ${[t.Principal.Service ?? JSON.stringify(t.Principal)].flat().join(",")} to ${[t.Action].flat().join(",")}`;
      });
    case "aws:sfn/stateMachine:StateMachine":
      return definitionLines(r.inputs.definition);
    default:
      return [];
  }
}

function documentLines(policy: unknown, head: (s: Statement) => string): string[] {
  if (typeof policy !== "string" || policy === UNKNOWN) return [`policy ${UNKNOWN}`];
  const doc = JSON.parse(policy) as PolicyDocument;
  return doc.Statement.map((s) => {
    const conditions = Object.entries(s.Condition ?? {}).flatMap(([op, kv]) =>
      Object.entries(kv).map(([k, v]) => `${k} ${op === "StringEquals" ? "=" : op} ${v}`));
    return `${head(s)}${conditions.length ? ` if ${conditions.join(" and ")}` : ""}`;
  });
}

/** The Task states of an ASL definition (at any depth: a Map's ItemProcessor too) and what each calls. */
function definitionLines(definition: unknown): string[] {
  if (typeof definition !== "string" || definition === UNKNOWN) return [`definition ${UNKNOWN}`];
  const lines: string[] = [];
  const walk = (states: Record<string, any>) => {
    for (const [name, st] of Object.entries(states)) {
      if (st.ItemReader) lines.push(`${name}: ${st.ItemProcessor?.ProcessorConfig?.Mode ?? "INLINE"} Map, items from ${st.ItemReader.Resource} ${JSON.stringify(st.ItemReader.Parameters ?? {})}`);
      if (st.Type === "Task") lines.push(`${name}: ${st.Resource} ${JSON.stringify(st.Parameters ?? {})}`);
      if (st.ItemProcessor?.States) walk(st.ItemProcessor.States);
    }
  };
  walk((JSON.parse(definition) as { States: Record<string, unknown> }).States);
  return lines;
}
