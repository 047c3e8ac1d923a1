// sts:GetCallerIdentity through the SDK's STS client: who the credentials are. `doctor` reports it;
// a run's provenance records the account id (null, never an error, when STS does not answer).
import { GetCallerIdentityCommand, STSClient, type STSClientConfig } from "@aws-sdk/client-sts";

export interface CallerIdentity {
  account: string | null;
  arn: string | null;
}

/** The caller's identity; rejects with the SDK's error when STS refuses or cannot be reached. */
export async function callerIdentity(config: STSClientConfig, timeoutMs = 5000): Promise<CallerIdentity> {
  const client = new STSClient({ maxAttempts: 1, ...config });
  try {
    const id = await client.send(new GetCallerIdentityCommand({}), { abortSignal: AbortSignal.timeout(timeoutMs) });
    return { account: id.Account ?? null, arn: id.Arn ?? null };
  } finally {
    client.destroy();
  }
}

/** The account id of the credentials, or null when STS cannot be reached or refuses (never throws). */
export async function callerAccount(config: STSClientConfig): Promise<string | null> {
  return callerIdentity(config).then((id) => id.account, () => null);
}
