#!/usr/bin/env node
"use strict";
// `npm run try-server`: the local stand-in from the built dist/ (npm ci builds it), with no compile
// step, so it is ready in about a second. Without dist/ it says how to build it, in one line.
const fs = require("node:fs");
const path = require("node:path");
const built = path.join(__dirname, "..", "dist", "src", "standin", "try.js");
if (!fs.existsSync(built)) {
  process.stderr.write("try-server: the CLI is not built: run npm ci (or npm run build) first\n");
  process.exit(1);
}
require("node:module").enableCompileCache?.();
require(built);
