// `lambda-bench demo`: the whole tool offline, Node alone. Starts the stand-in (the loopback Lambda
// with its own control plane, on a free loopback port), runs each step of steps.ts through the CLI's own `run()`, stops
// the stand-in at the end, after a failed step, and on Ctrl-C.
import * as fs from "node:fs";
import * as path from "node:path";
import { startStandin, type Standin } from "../../standin/standin";
import type { Io } from "../io";
import { UserError } from "../errors";
import { DEMO_STEPS, reportFile, type DemoContext, type DemoStep } from "./steps";

/** The package's root manifest: this file is dist/src/cli/demo/demo.js (or src/cli/demo/demo.ts). */
const ROOT = path.resolve(__dirname, "..", "..", "..", __dirname.split(path.sep).includes("dist") ? ".." : "");

type Run = (argv: string[], io: Io) => Promise<number>;

const shown = (p: string) => {
  const rel = path.relative(process.cwd(), p);
  return rel && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel : p;
};

export async function demo(run: Run, io: Io, o: { outDir: string; steps?: readonly DemoStep[] }): Promise<void> {
  const steps = o.steps ?? DEMO_STEPS;
  try {
    fs.mkdirSync(o.outDir, { recursive: true });
  } catch (err) {
    throw new UserError(`cannot create --out-dir ${o.outDir}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  const t0 = process.hrtime.bigint();
  io.out("Starting the local stand-in: a loopback Lambda (Invoke and the control plane) serving hello and aes ...\n");
  let standin: Standin;
  try {
    standin = await startStandin();
  } catch (err) {
    throw new UserError(`cannot start the stand-in: ${(err as Error).message}`);
  }
  // Ctrl-C: a step that invokes has its own handler (the run lifecycle): it stops sending and puts
  // the configuration back, through the stand-in, and returns 130. So the demo only notes the
  // signal, lets that step finish, and stops the stand-ins after it (in `finally`); it never
  // stops them under a step that still needs them.
  let caught: NodeJS.Signals | undefined;
  const onSignal = (name: NodeJS.Signals) => {
    caught ??= name;
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  const ctx: DemoContext = { endpoint: standin.endpoint, manifest: shown(path.join(ROOT, "benchmarks.yaml")), outDir: shown(o.outDir) };
  io.out(`Lambda stand-in on ${ctx.endpoint}; ` +
    `the commands below call it with --endpoint ${ctx.endpoint} --region us-east-1.\n`);
  try {
    for (const [i, step] of steps.entries()) {
      const args = step.args(ctx);
      io.out(`\n[${i + 1}/${steps.length}] ${step.title}\n$ lambda-bench ${args.join(" ")}\n`);
      let out = "";
      // The out-dir is the demo's own: a second demo replaces its runs (--force, not shown).
      const code = await run([...args, ...(step.calls ? ["--endpoint", ctx.endpoint, "--region", "us-east-1", ...(step.fresh ? [] : ["--force"])] : [])], {
        out: (s) => { out += s; },
        err: io.err,
        errStream: io.errStream,
      });
      io.out(step.shorten && code === 0 ? step.shorten(out) : out);
      if (caught) throw new UserError(`the demo was interrupted at step ${i + 1}; the stand-ins are stopped`, caught === "SIGTERM" ? 143 : 130);
      if (code !== 0) throw new UserError(`the demo stopped at step ${i + 1} (lambda-bench ${args[0]} exited with ${code})`, code);
    }
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    await standin.stop();
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  io.out(`\nDone in ${seconds.toFixed(0)} s; the stand-in is stopped. The report: ${path.resolve(reportFile(ctx))}\n`);
}
