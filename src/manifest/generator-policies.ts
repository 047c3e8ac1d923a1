// The Lambda generator's IAM documents (issue 28): the driver's and the state machine's, and the
// state machine's trust. Pure functions of plain values, like policies.ts, so each statement can
// be tested exactly and shown by `plan`. Nothing is granted on "*" where a resource can be named.
import { stackFunctionsStatement, type PolicyDocument, type Statement } from "./policies";

export { functionArn } from "./policies";

/** The only prefix of the stack's bucket the generator reads or writes (objects.ts). */
export const RUNS_PREFIX = "runs/";

export interface GeneratorPolicyContext {
  partition: string;
  region: string;
  accountId: string;
  /** The stack's bucket. */
  bucket: string;
  /** The tag every function of the stack carries (policies.ts STACK_TAG_KEY, `<project>/<stack>`). */
  stackTag: { key: string; value: string };
}

const runObjects = (ctx: Pick<GeneratorPolicyContext, "partition" | "bucket">) => `arn:${ctx.partition}:s3:::${ctx.bucket}/${RUNS_PREFIX}*`;

/** `arn:<partition>:states:<region>:<account>:stateMachine:<name>`: known from the name, before the machine exists. */
export const stateMachineArn = (ctx: Pick<GeneratorPolicyContext, "partition" | "region" | "accountId">, name: string) =>
  `arn:${ctx.partition}:states:${ctx.region}:${ctx.accountId}:stateMachine:${name}`;

/**
 * The driver's inline policy: invoke (and read the configuration of) only this stack's functions,
 * by their tag, which Lambda evaluates for both actions on the function resource (ABAC); read its
 * spec and payload and write its records only under `runs/` of the stack's bucket.
 */
export function driverPolicy(ctx: GeneratorPolicyContext): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      stackFunctionsStatement(ctx, "InvokeStackFunctions", ["lambda:InvokeFunction", "lambda:GetFunctionConfiguration"]),
      { Sid: "RunObjects", Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject"], Resource: [runObjects(ctx)] },
    ],
  };
}

export interface StateMachinePolicyContext extends Omit<GeneratorPolicyContext, "stackTag"> {
  /** The driver's unqualified ARN. */
  driverArn: string;
  /** The state machine's name (its ARN is built from it: the role exists before the machine). */
  stateMachineName: string;
}

/**
 * The state machine's inline policy: invoke only the driver; read only `runs/` (the Map's items);
 * and what a Distributed Map needs to run its children, which are executions of this machine
 * (AWS's "IAM policies for using Distributed Map states"): StartExecution on the machine,
 * DescribeExecution and StopExecution on its executions.
 */
export function stateMachinePolicy(ctx: StateMachinePolicyContext): PolicyDocument {
  const machine = stateMachineArn(ctx, ctx.stateMachineName);
  const executions = `arn:${ctx.partition}:states:${ctx.region}:${ctx.accountId}:execution:${ctx.stateMachineName}/*`;
  const statements: Statement[] = [
    { Sid: "InvokeDriver", Effect: "Allow", Action: ["lambda:InvokeFunction"], Resource: [ctx.driverArn, `${ctx.driverArn}:*`] },
    { Sid: "ReadRunItems", Effect: "Allow", Action: ["s3:GetObject"], Resource: [runObjects(ctx)] },
    { Sid: "StartMapChildren", Effect: "Allow", Action: ["states:StartExecution"], Resource: [machine] },
    { Sid: "ManageMapChildren", Effect: "Allow", Action: ["states:DescribeExecution", "states:StopExecution"], Resource: [executions] },
  ];
  return { Version: "2012-10-17", Statement: statements };
}

/** Lets Step Functions assume the state machine's role, for this account's machines only. */
export function statesTrustPolicy(accountId: string) {
  return {
    Version: "2012-10-17",
    Statement: [{
      Effect: "Allow",
      Principal: { Service: "states.amazonaws.com" },
      Action: "sts:AssumeRole",
      Condition: { StringEquals: { "aws:SourceAccount": accountId } },
    }],
  } as const;
}
