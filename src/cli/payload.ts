// `--payload JSON|@file`: the event every invocation of a command sends, checked before any call.
import * as fs from "node:fs";
import { UserError } from "./errors";

/** `--payload JSON|@file`, checked to be JSON before anything is sent. */
export function readPayload(arg: string | undefined): Uint8Array {
  if (arg === undefined) return Buffer.from("{}");
  let text = arg;
  if (arg.startsWith("@")) {
    try {
      text = fs.readFileSync(arg.slice(1), "utf8");
    } catch (err) {
      throw new UserError(`cannot read payload file ${arg.slice(1)}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, 2);
    }
  }
  try {
    JSON.parse(text);
  } catch (err) {
    throw new UserError(`--payload is not JSON (${(err as Error).message}); pass a JSON document or @file.json`, 2);
  }
  return Buffer.from(text);
}
