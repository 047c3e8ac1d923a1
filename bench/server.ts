// The benches' loopback Invoke server, run in a process of its own: every Invoke answered at once
// with a REPORT tail, as Lambda would shape it; configuration calls get a 404 (so `measure` takes
// the function as an emulator's). It prints its port on stdout.
import * as http from "node:http";
import { randomUUID } from "node:crypto";
import { reportLine } from "../src/standin/invoke-server";

export function serve(): void {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      if (req.url?.endsWith("/configuration")) {
        res.writeHead(404, { "x-amzn-ErrorType": "UnknownOperationException" });
        return void res.end("{}");
      }
      const id = randomUUID();
      const log = `START RequestId: ${id} Version: $LATEST\nEND RequestId: ${id}\n` +
        `${reportLine(id, { durationMs: 1.23, billedMs: 2, memoryMb: 128, maxMemoryMb: 40 })}\n`;
      res.writeHead(200, {
        "content-type": "application/json", "x-amzn-RequestId": id, "X-Amz-Executed-Version": "$LATEST",
        "X-Amz-Log-Result": Buffer.from(log).toString("base64"),
      });
      res.end('{"ok":true}');
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, "127.0.0.1", () => process.stdout.write(`${(server.address() as { port: number }).port}\n`));
}
