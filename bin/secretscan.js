#!/usr/bin/env node
// Launcher only: the CLI lives in dist/cli.js (built on install) and returns the exit code. A scan's
// detection worker is started first (dist/early.js), so that it boots while the CLI loads.
import { startEarly } from '../dist/early.js';

startEarly(process.argv.slice(2));
const { run } = await import('../dist/cli.js');
process.exitCode = await run(process.argv.slice(2));
