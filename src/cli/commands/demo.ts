// `lambda-bench demo`: the whole tool in one command, offline, on the embedded stand-ins.
import type { Command } from "commander";
import type { Io } from "../io";

/** The CLI's own entry point, passed in by main.ts (which registers this command): each step runs through it. */
export type RunCli = (argv: string[], io: Io) => Promise<number>;

export function registerDemo(program: Command, io: Io, run: RunCli): void {
  program.command("demo")
    .description("the whole tool offline in one command: plan, measure, sweep and an HTML report, against local stand-ins for Lambda (needs moto_server)")
    .option("--out-dir <dir>", "where the run files and demo-report.html go", "demo")
    .action(async (o: { outDir: string }) => {
      // Loaded when run: each step goes through the CLI's own run(), as typed by a user.
      const { demo } = await import("../demo/demo");
      await demo(run, io, { outDir: o.outDir });
    });
}
