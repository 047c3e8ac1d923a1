#!/usr/bin/env node
"use strict";
// The compiled CLI (built by `npm ci` through the prepare script). Node 22.12+ is needed by
// @pulumi/pulumi and commander; say so in one line rather than fail somewhere inside them.
const [major, minor] = process.versions.node.split(".").map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  process.stderr.write(`lambda-bench: needs Node.js 22.12 or later, this is ${process.version}: run it through npx (the project pins Node 22) or install Node 22\n`);
  process.exit(1);
}
require("../dist/src/cli/main.js").main();
