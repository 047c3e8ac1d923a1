// The Pulumi program: `pulumi up` in a stack per region deploys every benchmark of the manifest.
// It exports a function, Pulumi's async entrypoint: the engine awaits it and makes the object it
// returns the stack outputs (`functions`, `dataBucket`, `generator`).
import * as pulumi from "@pulumi/pulumi";
import { loadManifest, ManifestInvalid } from "./src/manifest/load";
import { defineStack } from "./src/deploy/program";

function load(config: pulumi.Config, namePrefix: string) {
  try {
    return loadManifest(config.get("manifest") ?? "benchmarks.yaml", { namePrefix });
  } catch (err) {
    // Nothing is registered: every error of the manifest, positioned, without a stack trace.
    if (err instanceof ManifestInvalid) throw new pulumi.RunError(`the manifest is not valid:\n${err.message}`);
    throw err;
  }
}

export = async () => {
  const config = new pulumi.Config("lambda-bench");
  const namePrefix = config.get("namePrefix") ?? "";
  // Unset: docker-build's own default (it builds on preview).
  const stack = await defineStack(load(config, namePrefix), namePrefix, { buildOnPreview: config.getBoolean("buildOnPreview") });
  return {
    functions: stack.functions,
    ...(stack.dataBucket ? { dataBucket: stack.dataBucket } : {}),
    ...(stack.generator ? { generator: stack.generator } : {}),
  };
};
