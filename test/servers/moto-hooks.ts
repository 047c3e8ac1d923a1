// Mocha hooks for a suite on moto_server (src/standin/moto.ts).
import { LambdaClient, type CreateFunctionCommandInput } from "@aws-sdk/client-lambda";
import { createFunction, startMoto, TEST_CREDENTIALS, TEST_REGION, type Moto } from "../../src/standin/moto";

/**
 * Mocha hooks for a suite on moto: starts it with one function created, points the process's
 * credentials and region at it, and undoes all of that after. Read `moto` and `lambda` in tests.
 */
export function withMotoFunction(name: string, config: Partial<CreateFunctionCommandInput>) {
  const ctx = {} as { moto: Moto; lambda: LambdaClient };
  const saved = { ...process.env };
  before(async () => {
    ctx.moto = await startMoto();
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey, AWS_REGION: TEST_REGION });
    delete process.env.AWS_PROFILE;
    await createFunction(ctx.moto.endpoint, name, config);
    ctx.lambda = new LambdaClient({ endpoint: ctx.moto.endpoint, region: TEST_REGION, credentials: TEST_CREDENTIALS });
  });
  after(async () => {
    ctx.lambda?.destroy();
    await ctx.moto?.stop();
    process.env = saved;
  });
  return ctx;
}
