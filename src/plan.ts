// `lambda-bench plan`: what `pulumi up` would create for a manifest, found by running the real
// program under Pulumi's mocks in preview mode, offline.
import { loadManifest, type LoadOptions } from "./manifest/load";
import { runUnderMocks, type Registered } from "./mocks";
import { defineStack } from "./program";

export interface PlanOptions extends LoadOptions {
  region?: string;
}

export async function plan(manifestFile: string, opts: PlanOptions = {}): Promise<Registered[]> {
  // Validation comes first and throws: an invalid manifest registers nothing.
  const manifest = loadManifest(manifestFile, opts);
  return runUnderMocks(() => defineStack(manifest, opts.namePrefix ?? ""), { region: opts.region });
}

/** The JSON `plan --json` prints. */
export function planJson(resources: readonly Registered[]): { resources: { type: string; name: string; parent: string | null; inputs: Record<string, unknown> }[] } {
  return { resources: resources.map(({ type, name, parent, inputs }) => ({ type, name, parent, inputs })) };
}

/** A tree of what would be created, one resource a line, children under their component. */
export function planText(resources: readonly Registered[]): string {
  const lines = resources.map((r) => {
    const detail = describe(r);
    return `${r.parent ? "    " : ""}+ ${r.type}  ${r.name}${detail ? `  (${detail})` : ""}`;
  });
  const counts = new Map<string, number>();
  for (const r of resources) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
  const summary = [...counts].map(([t, n]) => `${n} ${t.slice(t.lastIndexOf(":") + 1)}`).join(", ");
  return [...lines, "", `${resources.length} resources to create: ${summary}`].join("\n");
}

function describe(r: Registered): string {
  const i = r.inputs as Record<string, any>;
  switch (r.type) {
    case "aws:lambda/function:Function":
      return `${i.name}, ${i.architectures?.join(",")}, ${i.memorySize} MB, ${i.timeout} s`;
    case "aws:ecr/repository:Repository":
      return String(i.name);
    case "docker-build:index:Image":
      return `${i.platforms?.join(",")}, ${i.dockerfile?.location}${i.target ? `, target ${i.target}` : ""}, ${i.tags === null ? "?" : i.tags.length} tag(s)`;
    case "aws:iam/rolePolicyAttachment:RolePolicyAttachment":
      return String(i.policyArn);
    default:
      return "";
  }
}
