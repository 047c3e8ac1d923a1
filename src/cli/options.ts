// Options and argument parsers shared by the commands that call AWS.
import { Command } from "commander";
import type { AwsOptions } from "../aws/lambda";
import { UserError } from "./errors";
import type { TargetOptions } from "./target";

export interface CommonOptions extends AwsOptions, TargetOptions {}

/** --manifest, --name-prefix, --region, --profile, --endpoint: on every command that calls AWS. */
export function withAwsOptions(cmd: Command): Command {
  return cmd
    .option("--manifest <file>", "the manifest that names the benchmarks (default: ./benchmarks.yaml)")
    .option("--name-prefix <prefix>", "the stack's lambda-bench:namePrefix", "")
    .option("--region <region>", "AWS region (default: the SDK's chain: AWS_REGION, the profile)")
    .option("--profile <name>", "a profile of ~/.aws/config and ~/.aws/credentials")
    .option("--endpoint <url>", "a Lambda-compatible endpoint, e.g. http://localhost:9000 for the runtime interface emulator")
    .option("--function-name <name>", "call this function instead of the benchmark's deployed name (the emulator's is `function`)");
}

export const positiveInt = (what: string, min = 1) => (value: string): number => {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min) throw new UserError(`${what} must be a whole number >= ${min}; got ${JSON.stringify(value)}`, 2);
  return n;
};
