// `lambda-bench invoke`: one call, its response, and with --log its log tail.
import { InvokeCommand } from "@aws-sdk/client-lambda";
import type { Command } from "commander";
import { clientRegion, describeAwsError, lambdaClient } from "../../aws/lambda";
import { UserError } from "../errors";
import type { Io } from "../io";
import { functionName, withAwsOptions, type CommonOptions } from "../options";
import { readPayload } from "../payload";
import { resolveName } from "../target";

export function registerInvoke(program: Command, io: Io): void {
  withAwsOptions(program.command("invoke"))
    .description("invoke a deployed benchmark once and print its response")
    .argument("<benchmark>", "a benchmark of the manifest, or a function name or ARN", functionName("<benchmark>"))
    .option("--payload <json|@file>", "the event, as JSON or @file (default: {})")
    .option("--qualifier <version|alias>", "invoke this version or alias (e.g. live)")
    .option("--log", "also print the decoded log tail (to stderr, or in --json)")
    .option("--json", "print {statusCode, functionError, executedVersion, requestId, payload, log}")
    .action(async (name: string, o: CommonOptions & { payload?: string; log?: boolean; json?: boolean; qualifier?: string }) => {
      const payload = readPayload(o.payload);
      const named = resolveName(name, o);
      const client = lambdaClient(o);
      const region = await clientRegion(client).catch((err) => { throw new UserError(describeAwsError(err, o)); });
      const res = await client
        .send(new InvokeCommand({ FunctionName: named.functionName, Qualifier: o.qualifier, Payload: payload, LogType: o.log ? "Tail" : "None" }))
        .catch((err) => { throw new UserError(describeAwsError(err, { ...o, region, functionName: o.qualifier ? `${named.functionName}:${o.qualifier}` : named.functionName, suggestion: named.suggestion })); });
      const text = res.Payload ? Buffer.from(res.Payload).toString("utf8") : "";
      const log = res.LogResult ? Buffer.from(res.LogResult, "base64").toString("utf8") : undefined;
      if (o.json) {
        let parsed: unknown = text;
        try { parsed = JSON.parse(text); } catch { /* not JSON: keep the text */ }
        io.out(`${JSON.stringify({
          statusCode: res.StatusCode, functionError: res.FunctionError ?? null, executedVersion: res.ExecutedVersion ?? null,
          requestId: res.$metadata.requestId ?? null, payload: parsed, ...(o.log ? { log: log ?? null } : {}),
        })}\n`);
      } else {
        io.out(text.endsWith("\n") || text === "" ? text : `${text}\n`);
        if (o.log && log !== undefined) io.err(log.endsWith("\n") ? log : `${log}\n`);
      }
      if (res.FunctionError) {
        let detail = text;
        try {
          const e = JSON.parse(text) as { errorType?: string; errorMessage?: string };
          detail = `${e.errorType ?? res.FunctionError}: ${e.errorMessage ?? ""}`;
        } catch { /* keep the raw payload */ }
        throw new UserError(`${named.functionName} failed (${res.FunctionError}): ${detail.split("\n")[0]}`);
      }
    });
}

