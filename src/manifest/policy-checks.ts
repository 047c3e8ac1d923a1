// The rules of a benchmark's `policies`: what each scope may name, and the size of the inline
// policy they make. IAM limits the inline policies of a role to 10,240 characters together,
// whitespace not counted.
// The document's size is only known at deploy (account, region, bucket name), so it is sized here
// at its largest: the longest partition and region, a 12-digit account, a 63-character bucket and
// a 256-character stack tag value. A manifest that passes here cannot fail PutRolePolicy on size.
import { inlinePolicy, isBasicExecutionPolicy, STACK_TAG_KEY, type PolicyRef } from "./policies";
import { didYouMean, type Issue, type Path } from "./issues";
import { BUCKET_NAME, LIMITS, POLICY_ARN, type Policy } from "./schema";

const WORST = {
  partition: "aws-iso-b".padEnd(10, "x"),
  region: "ap-southeast-7".padEnd(16, "x"),
  accountId: "123456789012",
  dataBucket: "b".repeat(63),
  stackTag: { key: STACK_TAG_KEY, value: "v".repeat(256) },
};

/** The largest size the inline policy of these policies can reach, in characters; 0 when none. */
export function worstInlinePolicySize(policies: readonly PolicyRef[], deployedName: (fn: string) => string): number {
  const doc = inlinePolicy(policies, { ...WORST, deployedName });
  return doc ? JSON.stringify(doc).length : 0;
}

/** The error for a role whose inline policy can pass IAM's limit, or undefined. */
export function inlinePolicyProblem(fn: string, size: number): string | undefined {
  if (size <= LIMITS.inlinePolicyChars) return undefined;
  return `the inline policy of "${fn}" can reach ${size.toLocaleString("en-US")} characters; IAM allows ${LIMITS.inlinePolicyChars.toLocaleString("en-US")} for a role's inline policies: scope fewer functions or buckets, or grant bare invoke_function (one statement for the whole stack)`;
}

/** Each name of a scoped policy: a function of this manifest, a bucket name, a managed policy ARN. */
export function checkPolicy(p: Policy, at: Path, functions: ReadonlySet<string>, issues: Issue[]): void {
  (p.scope ?? []).forEach((name, k) => {
    const itemPath = [...at, k];
    if (p.name === "invoke_function" && !functions.has(name)) {
      issues.push({ path: itemPath, message: `invoke_function names "${name}", which is not a function of this manifest${didYouMean(name, [...functions])}` });
    } else if (p.name === "access_s3" && !BUCKET_NAME.test(name)) {
      issues.push({ path: itemPath, message: `access_s3 names "${name}", which is not a valid S3 bucket name: 3 to 63 lower-case letters, digits, '.' or '-'` });
    } else if (p.name === "managed" && !POLICY_ARN.test(name)) {
      issues.push({ path: itemPath, message: `managed names "${name}", which is not an IAM policy ARN (arn:aws:iam::aws:policy/NAME or arn:aws:iam::ACCOUNT:policy/NAME)` });
    } else if (p.name === "managed" && isBasicExecutionPolicy(name)) {
      issues.push({ path: itemPath, message: `managed names AWSLambdaBasicExecutionRole, which every benchmark's role always has: remove it` });
    }
  });
}
