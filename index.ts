// The Pulumi program: `pulumi up` in a stack per region deploys every benchmark of the manifest.
import * as pulumi from "@pulumi/pulumi";
import { loadManifest, ManifestInvalid } from "./src/manifest/load";
import { defineStack } from "./src/program";

const config = new pulumi.Config("lambda-bench");
const namePrefix = config.get("namePrefix") ?? "";

function load() {
  try {
    return loadManifest(config.get("manifest") ?? "benchmarks.yaml", { namePrefix });
  } catch (err) {
    // Nothing is registered: every error of the manifest, positioned, without a stack trace.
    if (err instanceof ManifestInvalid) throw new pulumi.RunError(`the manifest is not valid:\n${err.message}`);
    throw err;
  }
}

const stack = defineStack(load(), namePrefix);
export const functions = stack.functions;
export const dataBucket = stack.dataBucket;
