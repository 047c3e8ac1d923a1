// The Lambda client the CLI uses, configured the way the AWS CLI is: the SDK's default credential
// and region chain, `--profile`, `--region`, `--endpoint`, plus the seed scripts' variable names.
import * as http from "node:http";
import * as https from "node:https";
import { LambdaClient } from "@aws-sdk/client-lambda";
import { defaultProvider } from "@aws-sdk/credential-provider-node";

export interface AwsOptions {
  region?: string;
  profile?: string;
  /** A Lambda-compatible endpoint (an emulator, a test server). */
  endpoint?: string;
}

/**
 * The seed's scripts export AWS_ACCESS_KEY / AWS_SECRET_KEY; the SDK reads the _ID / _ACCESS_KEY
 * names. Copy them across when only the seed's names are set.
 */
export function applyCredentialAliases(env: NodeJS.ProcessEnv = process.env): void {
  if (!env.AWS_ACCESS_KEY_ID && env.AWS_ACCESS_KEY) env.AWS_ACCESS_KEY_ID = env.AWS_ACCESS_KEY;
  if (!env.AWS_SECRET_ACCESS_KEY && env.AWS_SECRET_KEY) env.AWS_SECRET_ACCESS_KEY = env.AWS_SECRET_KEY;
}

/** The region an emulator endpoint is addressed with when none is configured. */
export const EMULATOR_REGION = "us-east-1";

/**
 * The configuration every client of the CLI shares (Lambda's here; Step Functions', S3's and
 * STS's for the Lambda generator): region, profile, endpoint, credentials, kept-alive sockets.
 */
export function awsClientConfig(o: AwsOptions) {
  applyCredentialAliases();
  const chain = defaultProvider({ profile: o.profile });
  const agent = { keepAlive: true };
  const region = o.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  return {
    region: region ?? (o.endpoint ? EMULATOR_REGION : undefined),
    profile: o.profile,
    endpoint: o.endpoint,
    // An emulator does not check signatures; do not make its users invent credentials.
    credentials: o.endpoint
      ? async () => chain().catch(() => ({ accessKeyId: "emulator", secretAccessKey: "emulator" }))
      : chain,
    requestHandler: {
      httpAgent: new http.Agent(agent),
      httpsAgent: new https.Agent(agent),
    },
  };
}

export function lambdaClient(o: AwsOptions): LambdaClient {
  return new LambdaClient(awsClientConfig(o));
}

/** The region the client resolved (from options, environment or profile). */
export async function clientRegion(client: LambdaClient): Promise<string> {
  return client.config.region();
}

interface AwsishError {
  name?: string;
  message?: string;
  code?: string;
  $metadata?: { httpStatusCode?: number };
}

/** Errors that carry no AWS error type: the body was not an AWS error (the SDK's and InvokeHttpError's names). */
const UNTYPED = /^(HTTP\d{3}|SyntaxError|UnknownError|Error)$/;

/**
 * One line saying what failed and what to do, for errors of the SDK and the network. `suggestion`
 * (` (did you mean "x"?)`) is added when the function is not found.
 */
export function describeAwsError(
  err: unknown, context: { functionName?: string; region?: string; endpoint?: string; suggestion?: string },
): string {
  const e = (err ?? {}) as AwsishError;
  const where = context.endpoint ?? `Lambda in ${context.region ?? "the configured region"}`;
  if (e.name === "CredentialsProviderError" || /credentials/i.test(e.message ?? "") && /load|resolve|missing/i.test(e.message ?? "")) {
    return "no AWS credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or AWS_ACCESS_KEY and AWS_SECRET_KEY), or pass --profile";
  }
  if (/Region is missing/i.test(e.message ?? "")) return "no AWS region: pass --region or set AWS_REGION";
  if (e.name === "ResourceNotFoundException") {
    // The region is named even at an endpoint: the function may exist in another one.
    const at = context.endpoint ? `${context.endpoint}${context.region ? ` in ${context.region}` : ""}` : where;
    return `function ${context.functionName ?? ""} not found at ${at}${context.suggestion ?? ""}: check the name and --region, or deploy it with \`pulumi up\``;
  }
  // A 404 that is not an AWS error: no Invoke API at that path, as the runtime interface emulator
  // answers any function name but its own (`function`).
  if (context.endpoint && e.$metadata?.httpStatusCode === 404 && UNTYPED.test(e.name ?? "Error")) {
    return `not the Lambda Invoke API at ${context.endpoint}` +
      (context.functionName === "function" ? "" : "; for the runtime interface emulator add --function-name function");
  }
  if (e.code === "ECONNREFUSED") return `cannot connect to ${where}: is the endpoint running?`;
  if (e.name === "AccessDeniedException" || e.name === "UnrecognizedClientException" || e.name === "InvalidSignatureException") {
    return `${e.name}: ${e.message} (check the credentials and --profile)`;
  }
  const status = e.$metadata?.httpStatusCode ? ` (HTTP ${e.$metadata.httpStatusCode})` : "";
  return `${e.name ?? "Error"}${status}: ${(e.message ?? String(err)).split("\n")[0]}`;
}
