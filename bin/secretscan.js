#!/usr/bin/env node
// Launcher only: the CLI lives in dist/cli.js (built on install) and returns the exit code. A scan's
// detection worker is started first (dist/early.js), before the CLI loads. V8's flags are tuned only
// once it has loaded: after a flag changes, Node compiles each built-in module it loads from source,
// not from its code cache.
import { limitInlining, limitYoungGeneration, startEarly } from '../dist/early.js';

limitYoungGeneration();
startEarly(process.argv.slice(2));
const { run } = await import('../dist/cli.js');
limitInlining();
process.exitCode = await run(process.argv.slice(2));
