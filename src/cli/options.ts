// Options and argument parsers shared by the commands that call AWS. Each parser refuses a bad
// value with one line naming the option and the value (a usage error, exit 2), so nothing odd a
// user types reaches the SDK, the network or a timer.
import { Command, Option } from "commander";
import type { AwsOptions } from "../aws/lambda";
import { formatDuration, readDuration } from "../workload/duration";
import { UserError } from "./errors";
import type { TargetOptions } from "./target";

export interface CommonOptions extends AwsOptions, TargetOptions {}

/** --manifest, --name-prefix, --region, --profile, --endpoint: on every command that calls AWS. */
export function withAwsOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option("--manifest <file>", "the manifest that names the benchmarks (default: ./benchmarks.yaml)").argParser(nonEmpty("--manifest")))
    .addOption(new Option("--name-prefix <prefix>", "the stack's lambda-bench:namePrefix").default("").argParser(namePrefix))
    .addOption(new Option("--region <region>", "AWS region (default: the SDK's chain: AWS_REGION, the profile)").argParser(regionName))
    .addOption(new Option("--profile <name>", "a profile of ~/.aws/config and ~/.aws/credentials").argParser(nonEmpty("--profile")))
    .addOption(new Option("--endpoint <url>", "a Lambda-compatible endpoint, e.g. http://localhost:9000 for the runtime interface emulator")
      .argParser(endpointUrl))
    .addOption(new Option("--function-name <name>", "call this function instead of the benchmark's deployed name (the emulator's is `function`)")
      .argParser(functionName("--function-name")));
}

export const positiveInt = (what: string, min = 1, max = Number.MAX_SAFE_INTEGER) => (value: string): number => {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `from ${min} to ${max}`;
    throw new UserError(`${what} must be a whole number ${range}; got ${JSON.stringify(value)}`, 2);
  }
  return n;
};

export { MAX_CONCURRENCY } from "../workload/spec";

/** `--endpoint`: an http:// or https:// URL with a host; anything else would fail deep in the SDK. */
export function endpointUrl(value: string): string {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch { /* reported below */ }
  if (!url || (url.protocol !== "http:" && url.protocol !== "https:") || url.hostname === "") {
    throw new UserError(`--endpoint takes an http:// or https:// URL, e.g. http://localhost:9000; got ${JSON.stringify(value)}`, 2);
  }
  return value;
}

/** `--region`: a region name, which the SDK puts into a host name (us-east-1, eu-central-2, ...). */
export function regionName(value: string): string {
  if (!/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(value)) {
    throw new UserError(`--region takes a region name such as us-east-1; got ${JSON.stringify(value)}`, 2);
  }
  return value;
}

export const nonEmpty = (what: string) => (value: string): string => {
  if (value.trim() === "") throw new UserError(`${what} needs a value; got an empty string`, 2);
  return value;
};

/**
 * Invoke's FunctionName as the Lambda API reference gives its pattern: a name, a name:qualifier,
 * a partial ARN (123456789012:function:name) or a full ARN; 1..170 characters. A benchmark of the
 * manifest has a function name, which matches too. Anything else (empty, spaces, `../x`) would
 * become a wrong URL path rather than a clear error.
 */
const FUNCTION_NAME = /^(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\d{1}:)?(\d{12}:)?(function:)?([a-zA-Z0-9-_.]+)(:(\$LATEST|[a-zA-Z0-9-_]+))?$/;

export const functionName = (what: string) => (value: string): string => {
  if (value.length > 170 || !FUNCTION_NAME.test(value)) {
    throw new UserError(`${what} takes a function name, name:qualifier or ARN (letters, digits, - and _); got ${JSON.stringify(value)}`, 2);
  }
  return value;
};

/** `--name-prefix`: it starts every deployed function name, so it takes their characters only. */
export function namePrefix(value: string): string {
  if (!/^[A-Za-z0-9_-]{0,63}$/.test(value)) {
    throw new UserError(`--name-prefix takes letters, digits, - and _ (it starts every function name); got ${JSON.stringify(value)}`, 2);
  }
  return value;
}

/**
 * A duration option: `250` (milliseconds), or a number with a unit, `250ms`, `1.5s`, `2m`, `1h`.
 * Negative, empty, non-finite and out-of-range values are refused. Resolves to whole milliseconds.
 */
export const durationMs = (what: string, min = 1, max = 3_600_000) => (value: string): number => {
  const d = readDuration(value, { bareUnit: "ms" });
  const ms = d.ok ? Math.round(d.ms) : NaN;
  if (!Number.isFinite(ms) || ms < min || ms > max) {
    throw new UserError(`${what} takes a duration from ${formatDuration(min)} to ${formatDuration(max)}, e.g. 500ms, 30s or 2m; got ${JSON.stringify(value)}`, 2);
  }
  return ms;
};
