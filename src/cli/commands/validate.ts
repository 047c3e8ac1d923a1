// `lambda-bench validate`: a manifest checked offline, every error at once, file:line:col.
import type { Command } from "commander";
import { loadManifest } from "../../manifest/load";
import type { Io } from "../io";
import { DEFAULT_MANIFEST } from "../target";

export function registerValidate(program: Command, io: Io): void {
  program.command("validate")
    .description("check a manifest offline: every error, file:line:col")
    .argument("[manifest]", "the manifest", DEFAULT_MANIFEST)
    .option("--name-prefix <prefix>", "the stack's lambda-bench:namePrefix", "")
    .action((file: string, o: { namePrefix: string }) => {
      const m = loadManifest(file, { namePrefix: o.namePrefix });
      const fns = m.benchmarks.length;
      io.out(`${file}: valid, ${fns} benchmark${fns === 1 ? "" : "s"} (${nameList(m.benchmarks.map((b) => b.function))})\n`);
    });
}

/** The names, or the first few of them: the summary stays one readable line on a large suite. */
function nameList(names: readonly string[], shown = 8): string {
  return names.length <= shown ? names.join(", ") : `${names.slice(0, shown).join(", ")} and ${names.length - shown} more`;
}
