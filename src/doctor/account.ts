// `doctor` reads the account (lambda:GetAccountSettings) before a deploy fails half-way: its
// concurrency limit against what the manifest reserves (AWS keeps 100 unreserved; new accounts
// start at 10), and the memory ceiling against every benchmark's memory. The API does not report
// the memory ceiling: new accounts have "reduced concurrency and memory quotas" (Lambda quotas
// page), so a concurrency limit below the default 1,000 is read as such an account, where memory
// may be capped at 3,008 MB.
import { GetAccountSettingsCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { defaultProvider } from "@aws-sdk/credential-provider-node";
import type { AccountNeeds, CheckResult, DoctorContext } from "./context";

export type { AccountNeeds } from "./context";

/** Lambda keeps this much of the limit unreserved; a reservation that leaves less is refused. */
export const UNRESERVED_MINIMUM = 100;
/** The default concurrency limit; below it, an account has a new account's reduced quotas. */
export const DEFAULT_CONCURRENCY = 1000;
/** A new account's memory ceiling (MB). */
export const NEW_ACCOUNT_MEMORY_MB = 3008;

const MB = (n: number) => `${n.toLocaleString("en-US")} MB`;

/** A benchmark's share of the limit: its reserved concurrency, or its provisioned where larger (that comes out of the reservation). */
const reserves = (b: AccountNeeds) => Math.max(b.reservedConcurrency ?? 0, b.provisionedConcurrency ?? 0);

/** The two lines, from the account's limit (pure: the tests give it numbers). */
export function accountLines(limit: number, benchmarks: readonly AccountNeeds[] | undefined): CheckResult[] {
  const reduced = limit < DEFAULT_CONCURRENCY;
  if (benchmarks === undefined) {
    return [{ ok: true, line: `account concurrency: limit ${limit}${reduced ? " (below the default 1,000: a new account's reduced quotas)" : ""}; no manifest read, so nothing to check against it` }];
  }
  const holding = benchmarks.filter((b) => reserves(b) > 0);
  const total = holding.reduce((s, b) => s + reserves(b), 0);
  const room = limit - total;
  const what = holding.length ? holding.map((b) => `${b.function} ${reserves(b)}`).join(", ") : "none";
  const concurrency: CheckResult = room >= UNRESERVED_MINIMUM
    ? { ok: true, line: `account concurrency: limit ${limit}; the manifest reserves ${total} (${what}), leaving ${room} unreserved (AWS keeps at least ${UNRESERVED_MINIMUM})` }
    : total === 0
      ? { ok: true, line: `account concurrency: limit ${limit} (a new account's; the default is 1,000); the manifest reserves none, but more than ${limit} calls in flight will be throttled` }
      : {
        ok: false,
        line: `account concurrency: limit ${limit}; the manifest reserves ${total} (${what}), leaving ${room} unreserved, and AWS keeps at least ${UNRESERVED_MINIMUM}: the deploy would fail`,
        fix: `ask for a concurrency limit of at least ${total + UNRESERVED_MINIMUM} (Service Quotas, AWS Lambda, "Concurrent executions"), or lower reservedConcurrency / provisionedConcurrency`,
      };
  const largest = [...benchmarks].sort((a, b) => b.memory - a.memory)[0];
  const over = benchmarks.filter((b) => b.memory > NEW_ACCOUNT_MEMORY_MB);
  let memory: CheckResult;
  if (!largest) memory = { ok: true, line: "memory: no benchmark to check" };
  else if (!reduced) {
    memory = { ok: true, line: `memory: largest ${largest.function} ${MB(largest.memory)}; the API does not report the ceiling, and a limit of ${limit} is not a new account's (those may be capped at ${MB(NEW_ACCOUNT_MEMORY_MB)})` };
  } else if (over.length === 0) {
    memory = { ok: true, line: `memory: largest ${largest.function} ${MB(largest.memory)}, within ${MB(NEW_ACCOUNT_MEMORY_MB)}, a new account's ceiling` };
  } else {
    memory = {
      ok: false,
      line: `memory: ${over.map((b) => `${b.function} ${MB(b.memory)}`).join(", ")} above ${MB(NEW_ACCOUNT_MEMORY_MB)}, where a new account (concurrency limit ${limit}) may be capped; the API does not report the ceiling`,
      fix: `ask AWS Support to raise the account's Lambda quotas, or set memory to ${NEW_ACCOUNT_MEMORY_MB} or less`,
    };
  }
  return [concurrency, memory];
}

/** The account's limits, read with the deploy's credentials and region; a failure to read is one line. */
export async function checkAccount(ctx: DoctorContext, region: string): Promise<CheckResult[]> {
  const client = new LambdaClient({ region, endpoint: ctx.endpoint, credentials: defaultProvider({ profile: ctx.profile }), maxAttempts: 1 });
  try {
    const s = await client.send(new GetAccountSettingsCommand({}), { abortSignal: AbortSignal.timeout(5000) });
    const limit = s.AccountLimit?.ConcurrentExecutions;
    if (limit === undefined) return [{ ok: false, line: "account: GetAccountSettings gave no concurrency limit" }];
    return accountLines(limit, ctx.benchmarks);
  } catch (err) {
    const e = err as Error & { $metadata?: { httpStatusCode?: number } };
    // An emulator (moto) that does not serve the call: nothing to read, which is not the account's fault.
    if (ctx.endpoint && [404, 405, 501].includes(e.$metadata?.httpStatusCode ?? 0) && !/Exception$/.test(e.name)) {
      return [{ ok: true, line: `account: not read (${ctx.endpoint} does not serve GetAccountSettings)` }];
    }
    return [{
      ok: false,
      line: `account: lambda:GetAccountSettings failed in ${region}: ${(e.message || e.name).split("\n")[0]}`,
      fix: "allow lambda:GetAccountSettings to these credentials, or read the limits in Service Quotas (AWS Lambda)",
    }];
  } finally {
    client.destroy();
  }
}
