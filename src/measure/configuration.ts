// Changing a function's configuration and waiting for the change to land, as cold forcing and the
// memory sweep both do; and putting the original back afterwards, whatever happened in between.
import {
  GetFunctionConfigurationCommand, UpdateFunctionConfigurationCommand, waitUntilFunctionUpdated,
  type FunctionConfiguration, type LambdaClient, type UpdateFunctionConfigurationCommandInput,
} from "@aws-sdk/client-lambda";

export type ConfigChange = Omit<UpdateFunctionConfigurationCommandInput, "FunctionName">;

export interface WaitPolicy {
  /** Seconds between polls of LastUpdateStatus, and the most to wait in all. */
  minDelay: number;
  maxWait: number;
}

export const DEFAULT_WAIT: WaitPolicy = { minDelay: 1, maxWait: 300 };

export async function getConfiguration(client: LambdaClient, functionName: string): Promise<FunctionConfiguration> {
  return client.send(new GetFunctionConfigurationCommand({ FunctionName: functionName }));
}

/** Applies a change and resolves when Lambda reports LastUpdateStatus Successful. */
export async function updateAndWait(
  client: LambdaClient, functionName: string, change: ConfigChange, wait: WaitPolicy = DEFAULT_WAIT,
): Promise<void> {
  // A change is refused while another is in progress (ResourceConflictException): wait it out once.
  try {
    await client.send(new UpdateFunctionConfigurationCommand({ FunctionName: functionName, ...change }));
  } catch (err) {
    if ((err as Error).name !== "ResourceConflictException") throw err;
    await waitUpdated(client, functionName, wait);
    await client.send(new UpdateFunctionConfigurationCommand({ FunctionName: functionName, ...change }));
  }
  await waitUpdated(client, functionName, wait);
}

async function waitUpdated(client: LambdaClient, functionName: string, wait: WaitPolicy): Promise<void> {
  await waitUntilFunctionUpdated(
    { client, minDelay: wait.minDelay, maxDelay: Math.max(wait.minDelay, 10), maxWaitTime: wait.maxWait },
    { FunctionName: functionName },
  );
}

/** The configuration's environment as a change: what puts it back after a cold-start nonce. */
export function environmentOf(config: FunctionConfiguration): ConfigChange {
  return { Environment: { Variables: { ...(config.Environment?.Variables ?? {}) } } };
}

/** The environment variable whose new value forces a new execution environment (a cold start). */
export const COLD_NONCE_KEY = "LAMBDA_BENCH_COLD_NONCE";

/** A change that makes Lambda discard its warm environments: a fresh env nonce. */
export function coldChange(config: FunctionConfiguration, nonce: string): ConfigChange {
  return { Environment: { Variables: { ...(config.Environment?.Variables ?? {}), [COLD_NONCE_KEY]: nonce } } };
}
