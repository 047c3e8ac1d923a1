// The tools the suite needs beside Node, looked up before any test runs (require-tools.ts), so a
// machine without them gets one line naming what is missing and how to install it, not dozens of
// spawn failures. Where they are (CI), nothing is printed.
import * as fs from "node:fs";
import * as path from "node:path";

export interface Tool {
  name: string;
  /** Where it is found: a name looked up on PATH, or an absolute path. */
  found: (env: NodeJS.ProcessEnv) => boolean;
  install: string;
}

const onPath = (name: string) => (env: NodeJS.ProcessEnv) =>
  (env.PATH ?? "").split(path.delimiter).some((dir) => {
    try {
      fs.accessSync(path.join(dir || ".", name), fs.constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });

export const TOOLS: readonly Tool[] = [
  { name: "moto_server", found: onPath("moto_server"), install: `pip install "moto[server]"` },
  {
    name: "chromium",
    found: (env) => fs.existsSync(env.CHROMIUM_PATH ?? "/usr/bin/chromium"),
    install: "apt-get install chromium, or set CHROMIUM_PATH",
  },
];

/** One line naming every missing tool and how to install each, or undefined when all are there. */
export function missingTools(env: NodeJS.ProcessEnv, tools: readonly Tool[] = TOOLS): string | undefined {
  const missing = tools.filter((t) => !t.found(env));
  if (missing.length === 0) return undefined;
  return `npm test needs ${missing.map((t) => `${t.name} (${t.install})`).join(" and ")}: ` +
    `${missing.length === 1 ? "it is" : "they are"} not found; install ${missing.length === 1 ? "it" : "them"} and run npm test again`;
}
