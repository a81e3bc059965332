#!/usr/bin/env node
// Launcher only: the CLI lives in dist/cli.js (built on install) and returns the exit code.
import { run } from '../dist/cli.js';

process.exitCode = await run(process.argv.slice(2));
