// The manifest's `generator:` section resolved (issue 28): defaults applied, and the names the
// generator creates in AWS checked against their service's rule with the stack's namePrefix, each
// error at the section's position. The section's shape and ranges are schema.ts's GeneratorEntry.
import type { Issue, Path } from "./issues";
import { AUTONAME_SUFFIX, bucketLogicalName, bucketNameProblem, logGroupName, NAME_LIMITS } from "./names";
import { DRIVER_ARCHITECTURES, FUNCTION_NAME, GENERATOR_LIMITS, type GeneratorEntry } from "./schema";

/** Step Functions' rule for a state machine's name: 1-80 characters, and (for its logs) only these. */
export const STATE_MACHINE_NAME = /^[A-Za-z0-9_-]{1,80}$/;
export const STATE_MACHINE_NAME_MAX = 80;

/** The driver function's name in a stack. */
export const driverFunctionName = (namePrefix: string) => `${namePrefix}lambda-bench-driver`;
/** The state machine's name in a stack: one a stack (namePrefix keeps two stacks in a region apart). */
export const stateMachineName = (namePrefix: string) => `${namePrefix}lambda-bench-generator`;

/** The generator as the program deploys it. */
export interface GeneratorSpec {
  /** The driver's memory, MB. */
  memory: number;
  /** The most shards a run may ask for (the CLI reads it off the state machine's tags). */
  maxShards: number;
  /** Seconds one driver invocation sends. */
  windowSeconds: number;
  architecture: (typeof DRIVER_ARCHITECTURES)[number];
  /** `<namePrefix>lambda-bench-driver`. */
  driverName: string;
  /** stateMachineName(namePrefix). */
  stateMachineName: string;
}

const AT: Path = ["generator"];
/** Name problems are about the section as a whole: shown at its key. */
const at = { path: AT, onKey: true } as const;

/**
 * The section with defaults applied, or undefined when the manifest has none. Name problems are
 * pushed to `issues` at the section; `deployedFunctions` are the benchmarks' deployed names, which
 * must not take the driver's.
 */
export function resolveGenerator(
  entry: Partial<GeneratorEntry> | undefined, prefix: string, deployedFunctions: ReadonlyMap<string, Path>, issues: Issue[],
): GeneratorSpec | undefined {
  if (entry === undefined) return undefined;
  const spec: GeneratorSpec = {
    memory: entry.memory ?? GENERATOR_LIMITS.memory.default,
    maxShards: entry.maxShards ?? GENERATOR_LIMITS.maxShards.default,
    windowSeconds: entry.window ?? GENERATOR_LIMITS.window.default,
    architecture: entry.architecture ?? GENERATOR_LIMITS.architecture,
    driverName: driverFunctionName(prefix),
    stateMachineName: stateMachineName(prefix),
  };
  checkGeneratorNames(spec, prefix, deployedFunctions, issues);
  return spec;
}

function checkGeneratorNames(g: GeneratorSpec, prefix: string, deployedFunctions: ReadonlyMap<string, Path>, issues: Issue[]): void {
  const under = prefix ? ` under namePrefix "${prefix}"` : "";
  const room = (limit: number, name: string) => `a namePrefix may have at most ${limit - (name.length - prefix.length)} characters`;
  if (!FUNCTION_NAME.test(g.driverName)) {
    issues.push({
      ...at,
      message: g.driverName.length > NAME_LIMITS.lambda
        ? `the generator's driver function "${g.driverName}" is ${g.driverName.length} characters${under}; Lambda allows 64: ${room(NAME_LIMITS.lambda, g.driverName)}`
        : `the generator's driver function "${g.driverName}" is not a valid Lambda function name${under}: Lambda allows only letters, digits, '-' and '_'`,
    });
  }
  if (!STATE_MACHINE_NAME.test(g.stateMachineName)) {
    issues.push({
      ...at,
      message: g.stateMachineName.length > STATE_MACHINE_NAME_MAX
        ? `the generator's state machine "${g.stateMachineName}" is ${g.stateMachineName.length} characters${under}; Step Functions allows 80: ${room(STATE_MACHINE_NAME_MAX, g.stateMachineName)}`
        : `the generator's state machine "${g.stateMachineName}" is not a valid Step Functions name${under}: use only letters, digits, '-' and '_'`,
    });
  }
  const clash = deployedFunctions.get(g.driverName);
  if (clash) {
    issues.push({ path: clash, message: `function "${g.driverName}" is the name of the generator's driver function: give the benchmark another name or remove generator:` });
  }
  const group = logGroupName(g.driverName);
  if (group.length > NAME_LIMITS.logGroup) {
    issues.push({ ...at, message: `the generator's log group "${group}" is ${group.length} characters; CloudWatch Logs allows 512` });
  }
  // The generator always uses the stack's bucket: its name must pass S3's rules too.
  const bucket = `${bucketLogicalName(prefix)}-0000000`;
  const problem = bucketNameProblem(bucket);
  if (problem) {
    const most = NAME_LIMITS.bucket - bucketLogicalName("").length - AUTONAME_SUFFIX;
    issues.push({ ...at, message: `the generator's bucket is named "${bucketLogicalName(prefix)}-<7 hex>"${under}: ${problem}${prefix.length > most ? `; a namePrefix may have at most ${most} characters` : ""}` });
  }
}
