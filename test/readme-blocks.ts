// The README's runnable examples: its `sh` blocks, and the `$ ` commands of its output blocks, in
// order, with the line each starts on. A block whose fence has `<!-- readme-test: skip -->` on the
// line before (it needs real AWS, Docker or the Pulumi CLI) is left out. In an output block,
// `$ echo $?` followed by a number sets the exit code expected of the command before it.
export const SKIP_MARKER = "<!-- readme-test: skip -->";

export interface Example {
  /** 1-based line of the fence. */
  line: number;
  /** A whole `sh` block (run as one script), or one `$ ` command of an output block. */
  kind: "sh" | "command";
  script: string;
  /** The exit code the example's output shows (see expectedCode). */
  expectCode: number;
}

export function readmeExamples(text: string): Example[] {
  const lines = text.split("\n");
  const examples: Example[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\w*)\s*$/.exec(lines[i]);
    if (!open) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !/^```\s*$/.test(lines[i]); i++) body.push(lines[i]);
    let before = start - 1;
    while (before >= 0 && lines[before].trim() === "") before--;
    if (before >= 0 && lines[before].trim() === SKIP_MARKER) continue;
    const lang = open[1];
    if (lang === "sh" || lang === "bash" || lang === "shell") {
      examples.push({ line: start + 1, kind: "sh", script: body.join("\n"), expectCode: 0 });
    } else if ((lang === "" || lang === "console") && body[0]?.startsWith("$ ")) {
      const expectCode = expectedCode(body);
      let previous: Example | undefined;
      for (let j = 0; j < body.length; j++) {
        const l = body[j];
        if (!l.startsWith("$ ")) continue;
        // `$ echo $?` then a number shows the exit code of the command before it: that is its
        // expected code, and the echo itself is not run (it would only see its own shell's).
        const shown = /^\d+$/.exec(body[j + 1] ?? "");
        if (l.trim() === "$ echo $?" && previous && shown) {
          previous.expectCode = Number(shown[0]);
          continue;
        }
        previous = { line: start + 1, kind: "command", script: l.slice(2), expectCode };
        examples.push(previous);
      }
    }
  }
  return examples;
}

/**
 * The exit code an output shows: 2 for a usage error (`error: ...`), 1 for an error count
 * (`3 errors`) or a one-line failure (`lambda-bench: ...`), else 0.
 */
export function expectedCode(output: readonly string[]): number {
  if (output.some((l) => l.startsWith("error: "))) return 2;
  return output.some((l) => /^\d+ errors?$/.test(l) || l.startsWith("lambda-bench: ")) ? 1 : 0;
}
