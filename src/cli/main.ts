// The `lambda-bench` command line. Each command lives in its own file under commands/; this file
// only registers them and turns errors into one line and an exit code, never a stack trace:
// 1 for a failed command, 2 for a usage error.
import { Command, CommanderError } from "commander";
import { FileInvalid, formatError } from "../manifest/yaml-file";
import { UserError } from "./errors";
import type { Io } from "./io";
import { registerIdle } from "./commands/idle";
import { registerDemo } from "./commands/demo";
import { registerDoctor } from "./commands/doctor";
import { registerCompare } from "./commands/compare";
import { registerInvoke } from "./commands/invoke";
import { registerMeasure } from "./commands/measure";
import { registerPlan } from "./commands/plan";
import { registerReport } from "./commands/report";
import { registerRun } from "./commands/run";
import { registerSweep } from "./commands/sweep";
import { registerValidate } from "./commands/validate";
import { versionText } from "./version";

export type { Io } from "./io";

export function buildProgram(io: Io): Command {
  const program = new Command("lambda-bench")
    .description("Deploy serverless benchmark suites to AWS Lambda with Pulumi, and measure them")
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .version(versionText(), "-V, --version", "print the version (and the git commit, in a checkout)");
  for (const register of [
    registerValidate, registerPlan, registerInvoke, registerMeasure, registerIdle, registerSweep, registerReport, registerCompare, registerRun,
    (p: Command, i: Io) => registerDemo(p, i, run), registerDoctor,
  ]) {
    register(program, io);
  }
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
    if (err instanceof FileInvalid) {
      io.err(`${err.errors.map(formatError).join("\n")}\n${err.errors.length} error${err.errors.length === 1 ? "" : "s"}\n`);
      return 1;
    }
    if (err instanceof UserError) {
      io.err(`lambda-bench: ${err.message}\n`);
      return err.exitCode;
    }
    io.err(`lambda-bench: ${oneLine(err)}\n`);
    return 1;
  }
}

/** An error as one line: its message's first line, whatever was thrown (even null). */
function oneLine(err: unknown): string {
  const m = (err as { message?: unknown } | null)?.message;
  const message = typeof m === "string" ? m : String(err);
  return message.split("\n")[0] || (err as Error)?.name || "unknown error";
}

export function main(): void {
  // Last resort: an error no command caught (an emitter's 'error', a stray rejection) is still one line.
  const crash = (err: unknown) => {
    process.stderr.write(`lambda-bench: internal error: ${oneLine(err)}\n`);
    process.exit(1);
  };
  process.on("uncaughtException", crash);
  process.on("unhandledRejection", crash);
  run(process.argv.slice(2), {
    out: (s) => process.stdout.write(s),
    err: (s) => process.stderr.write(s),
    errStream: process.stderr,
  })
    .then((code) => { process.exitCode = code; });
}
