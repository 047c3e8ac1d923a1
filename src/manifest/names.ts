// The physical names the stack creates, and the rule of the AWS service each one must pass. Each
// name is checked with the manifest position of the field it comes from and with the namePrefix
// it carries, so `validate` refuses what CreateFunction, CreateRepository, CreateRole,
// CreateBucket or CreateLogGroup would refuse halfway through a deploy.
import { createHash } from "node:crypto";
import type { Issue, Path } from "./issues";
import { FUNCTION_NAME, REPO_NAME } from "./schema";

export const NAME_LIMITS = { lambda: 64, ecr: 256, role: 64, bucket: 63, logGroup: 512 } as const;
/** What Pulumi's autonamer appends to a logical name: `-` and 7 hex characters. */
export const AUTONAME_SUFFIX = 8;
/** The data bucket's logical name; its physical name is this plus the autoname suffix. */
export const bucketLogicalName = (prefix: string) => `${prefix}lambda-bench-data`.toLowerCase();
export const logGroupName = (deployedName: string) => `/aws/lambda/${deployedName}`;

const IAM_NAME = /^[\w+=,.@-]+$/;
const LOG_GROUP_NAME = /^[.\-_/#A-Za-z0-9]+$/;

/** A short stable hash: 7 hex characters of SHA-256, as long as an autoname's. */
export function shortHash(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 7);
}

/**
 * The explicit name of a function's role, when its autoname (`<function>-<7 hex>`) would pass IAM's
 * 64 characters: the deployed name cut to fit, `-`, and a hash of the stack and deployed name
 * (roles are global to the account, so two regions' stacks must not pick the same one).
 * Undefined when the autoname fits.
 */
export function explicitRoleName(fn: string, deployedName: string, stackId: string): string | undefined {
  if (fn.length + AUTONAME_SUFFIX <= NAME_LIMITS.role) return undefined;
  return `${deployedName.slice(0, NAME_LIMITS.role - AUTONAME_SUFFIX)}-${shortHash(`${stackId}/${deployedName}`)}`;
}

/** Why an S3 general purpose bucket name is refused, or undefined. */
export function bucketNameProblem(name: string): string | undefined {
  if (name.length < 3 || name.length > NAME_LIMITS.bucket) return `${name.length} characters; S3 allows 3 to 63`;
  if (!/^[a-z0-9.-]+$/.test(name)) return "S3 allows only lower-case letters, digits, '.' and '-'";
  if (!/^[a-z0-9]/.test(name) || !/[a-z0-9]$/.test(name)) return "S3 names begin and end with a letter or digit";
  if (/\.\.|\.-|-\./.test(name)) return "S3 names have no '..', '.-' or '-.'";
  if (/^(xn--|sthree-|amzn-s3-demo-)/.test(name)) return "S3 refuses names beginning xn--, sthree- or amzn-s3-demo-";
  if (/^\d+\.\d+\.\d+\.\d+$/.test(name)) return "S3 refuses names formatted as an IP address";
  return undefined;
}

/** One benchmark's names and where in the manifest each comes from. */
export interface Named {
  fn: string;
  deployedName: string;
  deployedRepo: string;
  at: { function: Path; repo: Path; bucket: Path | undefined };
}

/** Every name rule, for every benchmark; a problem of the prefix itself is reported once. */
export function checkNames(items: readonly Named[], prefix: string, issues: Issue[]): void {
  const prefixNote = prefix ? ` under namePrefix "${prefix}"` : "";
  const once = new Set<string>();
  const prefixIssue = (kind: string, path: Path, message: string) => {
    if (!once.has(kind)) issues.push({ path, message });
    once.add(kind);
  };
  for (const { fn, deployedName, deployedRepo, at } of items) {
    if (prefix && !/^[A-Za-z0-9_-]*$/.test(prefix)) {
      prefixIssue("lambda", at.function, `namePrefix "${prefix}" cannot begin a Lambda function name ("${deployedName}"): Lambda allows only letters, digits, '-' and '_'`);
    } else if (deployedName.length > NAME_LIMITS.lambda) {
      const left = NAME_LIMITS.lambda - prefix.length;
      issues.push({
        path: at.function,
        message: left > 0
          ? `function "${fn}" deploys as "${deployedName}", ${deployedName.length} characters; Lambda allows 64: ${left} characters are left for the function${prefixNote}`
          : `namePrefix "${prefix}" is ${prefix.length} characters and leaves none of Lambda's 64 for the function name`,
      });
    } else if (!FUNCTION_NAME.test(deployedName)) {
      issues.push({ path: at.function, message: `function "${deployedName}" is not a valid Lambda function name: use 1 to 64 letters, digits, '-' or '_'` });
    }
    // A repo name that is wrong by itself is already reported; here, what the prefix does to it.
    if (!REPO_NAME.test(deployedRepo) && REPO_NAME.test(deployedRepo.slice(prefix.length))) {
      if (deployedRepo.length > NAME_LIMITS.ecr) {
        issues.push({ path: at.repo, message: `repository "${deployedRepo}" is ${deployedRepo.length} characters; ECR allows 256: ${NAME_LIMITS.ecr - prefix.length} characters are left for the repo${prefixNote}` });
      } else {
        prefixIssue("ecr", at.repo, `namePrefix "${prefix}" cannot begin an ECR repository name ("${deployedRepo}"): ECR allows lower-case letters and digits, separated by '.', '_', '-' or '/'`);
      }
    }
    const role = explicitRoleName(fn, deployedName, "") ?? `${fn}-0000000`;
    if (role.length > NAME_LIMITS.role || !IAM_NAME.test(role)) {
      issues.push({ path: at.function, message: `the role name "${role}" is not a valid IAM role name: at most 64 of letters, digits and +=,.@_-` });
    }
    const group = logGroupName(deployedName);
    if (group.length > NAME_LIMITS.logGroup || !LOG_GROUP_NAME.test(group)) {
      issues.push({ path: at.function, message: `the log group "${group}" is not a valid CloudWatch log group name: at most 512 of letters, digits and ._-/#` });
    }
    if (at.bucket) {
      const bucket = `${bucketLogicalName(prefix)}-0000000`;
      const problem = bucketNameProblem(bucket);
      if (problem) {
        const room = NAME_LIMITS.bucket - bucketLogicalName("").length - AUTONAME_SUFFIX;
        prefixIssue("bucket", at.bucket, `the data bucket this uses is named "${bucketLogicalName(prefix)}-<7 hex>"${prefixNote}: ${problem}${prefix.length > room ? `; a namePrefix may have at most ${room} characters` : ""}`);
      }
    }
  }
}
