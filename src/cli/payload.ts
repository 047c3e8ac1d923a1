// `--payload JSON|@file`: the event every invocation of a command sends, checked before any call.
// Lambda's synchronous Invoke takes any JSON document (an object, an array, a string, a number,
// true/false/null), as the AWS CLI sends it, so any JSON is accepted; what Lambda would refuse
// on every call (not JSON, not UTF-8, more than 6 MB) is refused here once, before anything is sent.
import * as fs from "node:fs";
import { readCapped, ReadCappedError } from "../read-capped";
import { UserError } from "./errors";

/** Lambda's limit on a synchronous invocation's request payload: 6 MB (6,291,456 bytes). */
export const MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** `--payload JSON|@file`, checked to be JSON of at most 6 MB before anything is sent. */
export function readPayload(arg: string | undefined): Uint8Array {
  if (arg === undefined) return Buffer.from("{}");
  const fromFile = arg.startsWith("@");
  const file = arg.slice(1);
  const what = fromFile ? `--payload @${file}` : "--payload";
  if (fromFile && file === "") throw new UserError("--payload @ names no file: pass @path/to/event.json, or the JSON itself", 2);
  let bytes: Buffer;
  if (fromFile) {
    try {
      bytes = readCapped(file, MAX_PAYLOAD_BYTES);
    } catch (err) {
      if (!(err instanceof ReadCappedError)) throw err;
      if (err.reason === "too-large") throw tooLarge(what, err.size);
      throw new UserError(`cannot read payload file ${file}: ${err.message}`, 2);
    }
  } else {
    bytes = Buffer.from(arg, "utf8");
    if (bytes.length > MAX_PAYLOAD_BYTES) throw tooLarge(what, bytes.length);
  }
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw new UserError(`${what} is not UTF-8 text; Lambda takes a JSON event in UTF-8`, 2);
  }
  if (text.charCodeAt(0) === 0xfeff) {
    throw new UserError(`${what} starts with a byte order mark, which JSON does not allow; save it as UTF-8 without one`, 2);
  }
  try {
    JSON.parse(text);
  } catch (err) {
    const why = (err as Error).message.split("\n")[0];
    // A file's path given without its `@`: say so, rather than only that the path is not JSON.
    if (!fromFile && isFile(arg)) throw new UserError(`--payload ${arg} is not JSON, but a file of that name exists: pass @${arg} to send its contents`, 2);
    throw new UserError(`${what} is not JSON (${why}); pass a JSON document or @file.json`, 2);
  }
  return bytes;
}

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

function tooLarge(what: string, size: number | undefined): UserError {
  const got = size === undefined ? "more than 6 MB" : `${size} bytes`;
  return new UserError(
    `${what} is ${got}; Lambda's synchronous invoke takes at most 6 MB (${MAX_PAYLOAD_BYTES} bytes) of payload`, 2);
}
