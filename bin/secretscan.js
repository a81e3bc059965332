#!/usr/bin/env node
// Launcher only: the CLI lives in dist/cli.js (built on install) and returns the exit code. A scan's
// detection worker is started first, and the heap and the optimizer kept small (dist/early.js), before
// the CLI loads.
import { limitInlining, limitYoungGeneration, startEarly } from '../dist/early.js';

limitYoungGeneration();
limitInlining();
startEarly(process.argv.slice(2));
const { run } = await import('../dist/cli.js');
process.exitCode = await run(process.argv.slice(2));
