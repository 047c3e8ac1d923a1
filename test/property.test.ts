// Random edits of a valid manifest never crash the validator: it returns a manifest or positioned
// errors, never an exception.
import fc from "fast-check";
import { strict as assert } from "node:assert";
import * as path from "node:path";
import { parseManifest } from "../src/manifest/load";
import { workspace, yaml } from "./fixtures";

const VALID = yaml`
  defaults:
    platform: linux/arm64
    env: { IS_LAMBDA: "true" }
  benchmarks:
    - function: driver
      build: { context: app, dockerfile: docker/Dockerfile.Lambda, args: { target_arg: driver } }
      memory: 1024
      policies:
        - access_s3
        - invoke_function: [mapper]
      env:
        MAPPER: \${function:mapper}
        DATA: \${bucket}
    - function: mapper
      repo: team/mapper
      build: { context: app }
      timeout: 60
`;

// Characters that matter to YAML and to the manifest's own syntax.
const piece = fc.oneof(
  fc.constantFrom(":", "-", " ", "\n", "  ", "{", "}", "[", "]", ",", "'", '"', "#", "&a", "*a", "!!str", "${", "}", "|", ">", "\t", "?"),
  fc.constantFrom("function", "memory", "lots", "9999999", "-1", "null", "true", "build", "context", "policies", "env", "invoke_function", "${function:x}", "${bucket}"),
  fc.string({ maxLength: 6 }),
);
const edit = fc.oneof(
  fc.record({ kind: fc.constant("insert" as const), at: fc.nat(), text: piece }),
  fc.record({ kind: fc.constant("delete" as const), at: fc.nat(), len: fc.integer({ min: 1, max: 12 }) }),
  fc.record({ kind: fc.constant("dupLine" as const), at: fc.nat() }),
);

type Edit = { kind: "insert"; at: number; text: string } | { kind: "delete"; at: number; len: number } | { kind: "dupLine"; at: number };

function apply(text: string, edits: Edit[]): string {
  let t = text;
  for (const e of edits) {
    const at = e.at % (t.length + 1);
    if (e.kind === "insert") t = t.slice(0, at) + e.text + t.slice(at);
    else if (e.kind === "delete") t = t.slice(0, at) + t.slice(at + e.len);
    else {
      const lines = t.split("\n");
      const i = e.at % lines.length;
      lines.splice(i, 0, lines[i]);
      t = lines.join("\n");
    }
  }
  return t;
}

describe("manifest: property", () => {
  const file = path.join(workspace(), "benchmarks.yaml");

  it("the unedited manifest is valid", () => {
    assert.deepEqual(parseManifest(VALID, file).errors, []);
  });

  it("random edits give a manifest or positioned errors, never an exception", () => {
    const lines = (t: string) => t.split("\n").length + 1;
    fc.assert(fc.property(fc.array(edit, { minLength: 1, maxLength: 6 }), (edits) => {
      const text = apply(VALID, edits);
      const r = parseManifest(text, file);
      if (r.manifest) {
        assert.deepEqual(r.errors, []);
        assert.ok(r.manifest.benchmarks.length >= 1);
        return;
      }
      assert.ok(r.errors.length > 0, "no manifest and no error");
      for (const e of r.errors) {
        assert.equal(e.file, file);
        assert.ok(Number.isInteger(e.line) && e.line >= 1 && e.line <= lines(text), `line ${e.line}`);
        assert.ok(Number.isInteger(e.col) && e.col >= 1, `col ${e.col}`);
        assert.ok(typeof e.message === "string" && e.message.length > 0 && !e.message.includes("\n"), e.message);
      }
      const sorted = [...r.errors].sort((a, b) => a.line - b.line || a.col - b.col);
      assert.deepEqual(r.errors.map((e) => [e.line, e.col]), sorted.map((e) => [e.line, e.col]));
    }), { numRuns: 400, seed: 20261124 });
  });
});
