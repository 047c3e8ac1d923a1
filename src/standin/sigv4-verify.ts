// The stand-in's check of a request's SigV4 signature, recomputed from what arrived on the wire with
// the known secret, as AWS would: a test server that refuses a badly signed request proves the
// client's signing, not just its headers.
import type * as http from "node:http";
import { createHash, createHmac, type Hash, type Hmac } from "node:crypto";
import { SignatureV4 } from "@smithy/signature-v4";

const bytes = (d: string | ArrayBuffer | ArrayBufferView): string | Uint8Array =>
  typeof d === "string" ? d : ArrayBuffer.isView(d) ? new Uint8Array(d.buffer, d.byteOffset, d.byteLength) : new Uint8Array(d);

/** SHA-256 and HMAC-SHA256 from node:crypto, in the shape the signer takes. */
class NodeSha256 {
  private readonly h: Hash | Hmac;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.h = secret ? createHmac("sha256", bytes(secret)) : createHash("sha256");
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.h.update(bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.h.digest());
  }
}

/** Recomputes the request's SigV4 signature from what arrived on the wire, with the known secret. */
export async function verifySignature(req: http.IncomingMessage, body: Buffer, secret: string): Promise<boolean> {
  const m = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/
    .exec(req.headers.authorization ?? "");
  const date = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(String(req.headers["x-amz-date"] ?? ""));
  if (!m || !date) return false;
  const [, accessKeyId, , region, service, signedHeaders, signature] = m;
  const headers: Record<string, string> = {};
  for (const h of signedHeaders.split(";")) headers[h] = String(req.headers[h] ?? "");
  const [path, qs = ""] = (req.url ?? "").split("?");
  const query = Object.fromEntries(new URLSearchParams(qs));
  const signer = new SignatureV4({ credentials: { accessKeyId, secretAccessKey: secret }, region, service, sha256: NodeSha256 });
  const signed = await signer.sign(
    { method: req.method ?? "POST", protocol: "http:", hostname: "127.0.0.1", path, query, headers, body },
    { signingDate: new Date(Date.UTC(+date[1], +date[2] - 1, +date[3], +date[4], +date[5], +date[6])) },
  );
  return signed.headers.authorization?.endsWith(`Signature=${signature}`) === true;
}
