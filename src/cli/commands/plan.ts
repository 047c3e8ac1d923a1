// `lambda-bench plan`: the resources `pulumi up` would create, from the real program under mocks.
import type { Command } from "commander";
import type { Io } from "../io";
import { DEFAULT_MANIFEST } from "../target";

export function registerPlan(program: Command, io: Io): void {
  program.command("plan")
    .description("show the resources `pulumi up` would create, offline (the program under Pulumi mocks)")
    .argument("[manifest]", "the manifest", DEFAULT_MANIFEST)
    .option("--json", "print {\"resources\":[{type,name,parent,inputs}]}")
    .option("--name-prefix <prefix>", "the stack's lambda-bench:namePrefix", "")
    .option("--region <region>", "the stack's aws:region, for ARNs in policies", "us-east-1")
    .option("--no-build-on-preview", "as lambda-bench:buildOnPreview false: Images are not built by `pulumi preview`")
    .action(async (file: string, o: { json?: boolean; namePrefix: string; region: string; buildOnPreview: boolean }) => {
      // Loaded here: the Pulumi SDK costs ~100 MB and a second to load, and only `plan` needs it.
      const { plan, planJson, planText } = await import("../../deploy/plan");
      const resources = await plan(file, { namePrefix: o.namePrefix, region: o.region, buildOnPreview: o.buildOnPreview ? undefined : false });
      io.out(o.json ? `${JSON.stringify(planJson(resources), null, 2)}\n` : `${planText(resources)}\n`);
    });
}
