// IAM limits the inline policies of a role to 10,240 characters together, whitespace not counted.
// The document's size is only known at deploy (account, region, bucket name), so it is sized here
// at its largest: the longest partition and region, a 12-digit account, a 63-character bucket and
// a 256-character stack tag value. A manifest that passes here cannot fail PutRolePolicy on size.
import { inlinePolicy, STACK_TAG_KEY, type PolicyRef } from "../policies";
import { LIMITS } from "./schema";

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
