// Mocha hooks for a suite on the project's stand-in (src/standin/standin.ts), as moto-hooks.ts is
// for moto: started before the suite, stopped after it. Read `standin` (and `control`, a Lambda
// client on its control plane, when asked for) in tests.
import { LambdaClient } from "@aws-sdk/client-lambda";
import { startStandin, type Standin } from "../../src/standin/standin";

export interface StandinHooks {
  /** Remove every AWS_* variable for the suite (a newcomer's shell), and put them back after. */
  clearAws?: boolean;
  /** Also make `control`, a Lambda client of the stand-in's control plane. */
  control?: boolean;
}

export function withStandin(o: StandinHooks = {}) {
  const ctx = {} as { standin: Standin; control: LambdaClient };
  const saved = { ...process.env };
  before(async () => {
    if (o.clearAws) for (const k of Object.keys(process.env)) if (k.startsWith("AWS_")) delete process.env[k];
    ctx.standin = await startStandin();
    if (o.control) {
      ctx.control = new LambdaClient({ endpoint: ctx.standin.endpoint, region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" } });
    }
  });
  after(async () => {
    ctx.control?.destroy();
    await ctx.standin?.stop();
    if (o.clearAws) process.env = saved;
  });
  return ctx;
}
