// A benchmark's env as it will deploy: the defaults', then the entry's, key by key, each value
// remembering the line it was written on; `${function:NAME}` expanded to that function's deployed
// name; `${bucket}` left for the program, which knows the bucket's name; and its size checked as
// Lambda counts it.
import { isScalar, type Document } from "yaml";
import { didYouMean, type Issue, type Path } from "./issues";
import { LIMITS } from "./schema";

/** The longest name S3 gives a bucket: what `${bucket}` may grow to when sizing env. */
const MAX_BUCKET_NAME = 63;
const REF = /\$\{([^}]*)\}/g;

type EnvMap = Record<string, string | number | boolean>;

export interface EnvContext {
  doc: Document;
  /** Every function the file names, for `${function:NAME}`. */
  allFunctions: ReadonlySet<string>;
  /** `lambda-bench:namePrefix`, which deployed names start with. */
  prefix: string;
  issues: Issue[];
}

export interface ResolvedEnv {
  env: Record<string, string>;
  /** Where the first value using `${bucket}` is written, when one does. */
  bucketFrom: Path | undefined;
}

/** The env of benchmark `i` (function `fn`) from its own map and the defaults'. */
export function resolveEnv(fn: string, i: number, own: EnvMap | undefined, defaults: EnvMap | undefined, ctx: EnvContext): ResolvedEnv {
  const { doc, allFunctions, prefix, issues } = ctx;
  const env: Record<string, string> = {};
  const envFrom: Record<string, Path> = {};
  for (const [src, map] of [["defaults", defaults], ["entry", own]] as const) {
    for (const [k, v] of Object.entries(map ?? {})) {
      const p: Path = src === "defaults" ? ["defaults", "env", k] : ["benchmarks", i, "env", k];
      env[k] = scalarText(doc, p, v);
      envFrom[k] = p;
    }
  }
  let bucketFrom: Path | undefined;
  // What Lambda will count: references as they will expand, `${bucket}` at its longest.
  const sized: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) {
    sized[k] = v;
    env[k] = v.replace(REF, (whole, ref: string) => {
      if (ref === "bucket") {
        bucketFrom ??= envFrom[k];
        sized[k] = sized[k].replace(whole, "b".repeat(MAX_BUCKET_NAME));
        return whole; // filled in by the program once the bucket has a name
      }
      const m = /^function:(.*)$/.exec(ref);
      if (m && allFunctions.has(m[1])) {
        sized[k] = sized[k].replace(whole, prefix + m[1]);
        return prefix + m[1];
      }
      issues.push({
        path: envFrom[k],
        message: m
          ? `env ${k}: \${function:${m[1]}} names no function of this manifest${didYouMean(m[1], [...allFunctions])}`
          : `env ${k}: unknown reference "${whole}": use \${function:NAME} or \${bucket}`,
      });
      return whole;
    });
  }
  const envBytes = Buffer.byteLength(JSON.stringify(sized));
  if (envBytes > LIMITS.envBytes) {
    issues.push({
      path: own !== undefined ? ["benchmarks", i, "env"] : ["defaults", "env"],
      message: `env of "${fn}" is ${envBytes} bytes as Lambda counts it (JSON of all keys and values, \${bucket} as ${MAX_BUCKET_NAME} characters); the limit is ${LIMITS.envBytes}: shorten or drop values`,
    });
  }
  return { env, bucketFrom };
}

/**
 * A scalar as Lambda and Docker will see it. Numbers keep their source text (`1.10` stays "1.10",
 * not "1.1"); booleans become "true"/"false".
 */
export function scalarText(doc: Document, p: Path, value: string | number | boolean): string {
  if (typeof value === "number") {
    const node = doc.getIn(p as unknown[], true);
    if (isScalar(node) && typeof node.source === "string") return node.source;
  }
  return String(value);
}
