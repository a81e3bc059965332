/**
 * What dist/cli.cjs holds (scripts/build.mjs): the CLI and the launcher's start-up helpers in one
 * script, which src/launch.ts compiles with V8's cached code for it. The same modules are also built as
 * ES modules (dist/cli.js, dist/early.js), for when no cached code fits the running Node.
 */
export { run } from './cli.js';
export { limitInlining, limitYoungGeneration, startEarly } from './early.js';
