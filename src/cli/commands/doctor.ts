// `lambda-bench doctor [manifest]`: what a real deploy needs (pulumi, Docker and buildx, binfmt
// for foreign platforms, AWS credentials and a region, the account's concurrency limit and memory
// ceiling against the manifest), one line per check with the fix.
import type { Command } from "commander";
import * as fs from "node:fs";
import * as path from "node:path";
import { doctor, formatCheck } from "../../doctor/checks";
import { loadManifest } from "../../manifest/load";
import { UserError } from "../errors";
import type { Io } from "../io";
import { DEFAULT_MANIFEST } from "../target";

export function registerDoctor(program: Command, io: Io): void {
  program.command("doctor")
    .description("check what `pulumi up` needs: pulumi, Docker with buildx, binfmt for the manifest's platforms, AWS credentials and region, the account's limits")
    .argument("[manifest]", "the manifest whose platforms to check", DEFAULT_MANIFEST)
    .option("--region <region>", "AWS region (default: the stack's aws:region, from pulumi or Pulumi.<stack>.yaml, then AWS_REGION)")
    .option("--profile <name>", "a profile of ~/.aws/config and ~/.aws/credentials")
    .option("--endpoint <url>", "an STS-compatible endpoint (a local emulator)")
    .action(async (file: string, o: { region?: string; profile?: string; endpoint?: string }) => {
      // The default manifest is optional here: without one, there is no platform to check.
      const benchmarks = file === DEFAULT_MANIFEST && !fs.existsSync(file) ? undefined : loadManifest(file).benchmarks;
      const results = await doctor({
        env: process.env, platforms: benchmarks?.map((b) => b.platform), benchmarks, projectDir: path.dirname(path.resolve(file)),
        region: o.region, profile: o.profile, endpoint: o.endpoint,
      });
      io.out(`${results.map(formatCheck).join("\n")}\n`);
      const failed = results.filter((r) => !r.ok).length;
      if (failed > 0) throw new UserError(`${failed} check${failed === 1 ? "" : "s"} failed: fix ${failed === 1 ? "it" : "them"} as shown, then run doctor again`, 1);
    });
}
