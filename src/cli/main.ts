// The `lambda-bench` command line. Errors are one line and an exit code, never a stack trace:
// 1 for a failed command, 2 for a usage error.
import { Command, CommanderError } from "commander";
import { formatError, loadManifest, ManifestInvalid } from "../manifest/load";
import { UserError } from "./errors";
import { registerInvoke, registerMeasure, registerSweep } from "./lambda-commands";
import { registerReport } from "./report-command";
import { DEFAULT_MANIFEST } from "./target";
import type { ProgressStream } from "./progress";

export interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
  /** Where a progress bar may go (it draws only when this is a terminal). */
  errStream?: ProgressStream;
}

export function buildProgram(io: Io): Command {
  const program = new Command("lambda-bench")
    .description("Deploy serverless benchmark suites to AWS Lambda with Pulumi, and measure them")
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err });

  program.command("validate")
    .description("check a manifest offline: every error, file:line:col")
    .argument("[manifest]", "the manifest", DEFAULT_MANIFEST)
    .option("--name-prefix <prefix>", "the stack's lambda-bench:namePrefix", "")
    .action((file: string, o: { namePrefix: string }) => {
      const m = loadManifest(file, { namePrefix: o.namePrefix });
      const fns = m.benchmarks.length;
      io.out(`${file}: valid, ${fns} benchmark${fns === 1 ? "" : "s"} (${nameList(m.benchmarks.map((b) => b.function))})\n`);
    });

  program.command("plan")
    .description("show the resources `pulumi up` would create, offline (the program under Pulumi mocks)")
    .argument("[manifest]", "the manifest", DEFAULT_MANIFEST)
    .option("--json", "print {\"resources\":[{type,name,parent,inputs}]}")
    .option("--name-prefix <prefix>", "the stack's lambda-bench:namePrefix", "")
    .option("--region <region>", "the stack's aws:region, for ARNs in policies", "us-east-1")
    .action(async (file: string, o: { json?: boolean; namePrefix: string; region: string }) => {
      // Loaded here: the Pulumi SDK costs ~100 MB and a second to load, and only `plan` needs it.
      const { plan, planJson, planText } = await import("../plan");
      const resources = await plan(file, { namePrefix: o.namePrefix, region: o.region });
      io.out(o.json ? `${JSON.stringify(planJson(resources), null, 2)}\n` : `${planText(resources)}\n`);
    });

  registerInvoke(program, io);
  registerMeasure(program, io);
  registerSweep(program, io);
  registerReport(program, io);
  return program;
}

/** Runs the CLI; resolves to the exit code. */
export async function run(argv: string[], io: Io): Promise<number> {
  try {
    await buildProgram(io).parseAsync(argv, { from: "user" });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Commander has already printed its one-line message; help and version are not failures.
      return err.exitCode === 0 ? 0 : 2;
    }
    if (err instanceof ManifestInvalid) {
      io.err(`${err.errors.map(formatError).join("\n")}\n${err.errors.length} error${err.errors.length === 1 ? "" : "s"}\n`);
      return 1;
    }
    if (err instanceof UserError) {
      io.err(`lambda-bench: ${err.message}\n`);
      return err.exitCode;
    }
    io.err(`lambda-bench: ${(err as Error).message ?? String(err)}\n`);
    return 1;
  }
}

/** The names, or the first few of them: the summary stays one readable line on a large suite. */
function nameList(names: readonly string[], shown = 8): string {
  return names.length <= shown ? names.join(", ") : `${names.slice(0, shown).join(", ")} and ${names.length - shown} more`;
}

export function main(): void {
  run(process.argv.slice(2), {
    out: (s) => process.stdout.write(s),
    err: (s) => process.stderr.write(s),
    errStream: process.stderr,
  })
    .then((code) => { process.exitCode = code; });
}
