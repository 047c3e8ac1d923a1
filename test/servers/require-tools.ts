// `npm test`'s first step (mocha --require): stop before the first test, with one line, when a tool
// the suite needs is missing (tools.ts).
import { missingTools } from "./tools";

const line = missingTools(process.env);
if (line) {
  process.stderr.write(`${line}\n`);
  process.exit(1);
}
