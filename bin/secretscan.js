#!/usr/bin/env node
// Launcher only: dist/launch.cjs loads the CLI (built on install; with V8's cached code for it when
// there is some for this Node) and returns the exit code. CommonJS (bin/package.json): Node starts a
// CommonJS entry without its ES module loader.
require('../dist/launch.cjs')
  .main(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  });
