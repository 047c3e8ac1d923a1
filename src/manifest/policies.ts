// The policy catalogue: what each manifest policy name grants, as IAM statements with named
// resources. Pure functions of plain values, so the documents can be tested exactly and the
// component only has to wait for the account, region and bucket to fill them in.

/** Catalogue names usable bare (`- access_s3`). */
export const POLICY_NAMES = ["access_s3", "invoke_function"] as const;
/** Catalogue names usable scoped (`- access_s3: [bucket]`). */
export const SCOPED_POLICY_NAMES = ["access_s3", "invoke_function", "managed"] as const;

export type PolicyName = (typeof SCOPED_POLICY_NAMES)[number];
export interface PolicyRef { name: PolicyName; scope: string[] | undefined }

export interface PolicyContext {
  partition: string;
  region: string;
  accountId: string;
  /** The stack's data bucket, when any benchmark uses it. */
  dataBucket: string | undefined;
  /** The tag every function of the stack carries (bare `invoke_function` grants on it). */
  stackTag: { key: string; value: string };
  /** Maps a manifest function name to its deployed name (scoped `invoke_function`). */
  deployedName: (fn: string) => string;
}

export interface Statement {
  Sid: string;
  Effect: "Allow";
  Action: string[];
  Resource: string[];
  Condition?: Record<string, Record<string, string>>;
}

export interface PolicyDocument {
  Version: "2012-10-17";
  Statement: Statement[];
}

/** The key of the tag on every function, naming its stack: `<project>/<stack>`. */
export const STACK_TAG_KEY = "lambda-bench:stack";

/** AWS's managed policy for CloudWatch Logs, always attached; its ARN names the stack's partition. */
export function basicExecutionPolicyArn(partition: string): string {
  return `arn:${partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole`;
}
export const isBasicExecutionPolicy = (arn: string) => /^arn:[a-z-]+:iam::aws:policy\/service-role\/AWSLambdaBasicExecutionRole$/.test(arn);

/**
 * The logical name of a `managed` attachment: the owner (`aws` or the account) and the policy's
 * path and name, which together are unique, unlike the name alone. The old name (the ARN's last
 * segment) is kept as an alias so existing attachments are not replaced.
 */
export function managedAttachmentName(fn: string, arn: string): { name: string; oldName: string } {
  const m = /^arn:[^:]+:iam::([^:]+):policy\/(.+)$/.exec(arn);
  return { name: `${fn}-managed-${m ? `${m[1]}/${m[2]}` : arn}`, oldName: `${fn}-managed-${arn.split("/").pop()}` };
}

/** The trust policy that lets Lambda assume a benchmark's role. */
export const LAMBDA_TRUST_POLICY = {
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
} as const;

/** `arn:<partition>:lambda:<region>:<account>:function:<name>`. */
export const functionArn = (ctx: Pick<PolicyContext, "partition" | "region" | "accountId">, name: string) =>
  `arn:${ctx.partition}:lambda:${ctx.region}:${ctx.accountId}:function:${name}`;

/** Each function's ARN and its qualified forms (versions, aliases). */
export function functionArns(ctx: PolicyContext, deployedNames: readonly string[]): string[] {
  return deployedNames.flatMap((n) => {
    const arn = functionArn(ctx, n);
    return [arn, `${arn}:*`];
  });
}

/**
 * Bare `invoke_function`: every function of the stack, as one statement of constant size (Lambda's
 * attribute-based access control): any function, qualified or not, that carries the stack's tag.
 * Listing every function's ARNs instead grows with the stack and passes IAM's 10,240 characters
 * at about 80 functions.
 */
function stackInvokeStatement(ctx: PolicyContext): Statement {
  return stackFunctionsStatement(ctx, "InvokeStackFunctions", ["lambda:InvokeFunction"]);
}

/**
 * `actions` on every function of the stack, qualified or not: `function:*` under the condition that
 * the function carries the stack's tag (the generator's driver uses it too, generator-policies.ts).
 */
export function stackFunctionsStatement(
  ctx: Pick<PolicyContext, "partition" | "region" | "accountId" | "stackTag">, sid: string, actions: string[],
): Statement {
  return {
    Sid: sid, Effect: "Allow", Action: actions,
    Resource: [functionArn(ctx, "*")],
    Condition: { StringEquals: { [`aws:ResourceTag/${ctx.stackTag.key}`]: ctx.stackTag.value } },
  };
}

function s3Statements(ctx: PolicyContext, buckets: readonly string[], sid: string): Statement[] {
  const bucketArns = buckets.map((b) => `arn:${ctx.partition}:s3:::${b}`);
  return [
    { Sid: `${sid}Objects`, Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], Resource: bucketArns.map((a) => `${a}/*`) },
    { Sid: `${sid}List`, Effect: "Allow", Action: ["s3:ListBucket"], Resource: bucketArns },
  ];
}

/**
 * The inline policy document for a benchmark's catalogue entries, or undefined when they grant
 * nothing inline (only `managed`, or no policies). Identical entries are merged so a document
 * never repeats a statement.
 */
export function inlinePolicy(policies: readonly PolicyRef[], ctx: PolicyContext): PolicyDocument | undefined {
  const buckets = new Set<string>();
  const functions = new Set<string>();
  let wholeStack = false;
  for (const p of policies) {
    if (p.name === "access_s3") {
      if (p.scope) p.scope.forEach((b) => buckets.add(b));
      else if (ctx.dataBucket !== undefined) buckets.add(ctx.dataBucket);
      else throw new Error("access_s3 without a scope needs the stack's data bucket");
    } else if (p.name === "invoke_function") {
      if (p.scope) p.scope.map(ctx.deployedName).forEach((f) => functions.add(f));
      else wholeStack = true;
    }
  }
  const statements: Statement[] = [];
  if (buckets.size > 0) statements.push(...s3Statements(ctx, [...buckets].sort(), "AccessS3"));
  if (wholeStack) statements.push(stackInvokeStatement(ctx)); // it covers every scoped name too
  else if (functions.size > 0) {
    statements.push({ Sid: "InvokeFunction", Effect: "Allow", Action: ["lambda:InvokeFunction"], Resource: functionArns(ctx, [...functions].sort()) });
  }
  return statements.length > 0 ? { Version: "2012-10-17", Statement: statements } : undefined;
}

/** Managed policy ARNs named by `{managed: [...]}` entries, in manifest order, without repeats. */
export function managedPolicyArns(policies: readonly PolicyRef[]): string[] {
  return [...new Set(policies.filter((p) => p.name === "managed").flatMap((p) => p.scope ?? []))];
}

/** Whether the bare `access_s3` form asks for the stack's data bucket. */
export function needsDataBucket(policies: readonly PolicyRef[]): boolean {
  return policies.some((p) => p.name === "access_s3" && !p.scope);
}
