#!/usr/bin/env node
// Launcher only: dist/launch.js loads the CLI (built on install; with V8's cached code for it when
// there is some for this Node) and returns the exit code.
import { main } from '../dist/launch.js';

process.exitCode = await main(process.argv.slice(2));
