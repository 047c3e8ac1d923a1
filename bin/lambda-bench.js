#!/usr/bin/env node
"use strict";
// The compiled CLI (built by `npm ci` through the prepare script). Node 22.19+ is needed by
// @pulumi/pulumi, commander and undici; say so in one line rather than fail somewhere inside them.
const [major, minor] = process.versions.node.split(".").map(Number);
if (major < 22 || (major === 22 && minor < 19)) {
  process.stderr.write(`lambda-bench: needs Node.js 22.19 or later, this is ${process.version}: run it through npx (the project pins Node 22) or install Node 22\n`);
  process.exit(1);
}
// Node's on-disk cache of compiled modules (in the OS temp folder): the SDKs this CLI loads take
// a fifth less time to start on every run after the first.
require("node:module").enableCompileCache?.();
require("../dist/src/cli/main.js").main();
