/**
 * How bin/secretscan.js starts the CLI. Start-up is most of what the pre-commit hook costs: a hook run
 * spends longer loading the CLI's code than looking at a staged change. V8 caches compiled code only
 * for scripts on Node 20 (not ES modules), so the build bundles the CLI a second time as one script,
 * dist/cli.cjs, runs it once on a staged change and a file scan, and saves V8's code for it
 * (scripts/code-cache.mjs): dist/cli-<V8 version>-<arch>.cache. Loading that skips parsing and
 * compiling every function those runs used. With no cache file for the running Node (a different V8,
 * a package built elsewhere) the ES modules load as before, the detection worker started ahead of them.
 *
 * V8 checks the cached code against the script's length and the V8 flags, so no flag may be set before
 * the script is compiled (the launcher tunes them after), and the build writes the cache with flags
 * left untouched. Set SECRETSCAN_CODE_CACHE=0 to load the ES modules instead.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Script } from 'node:vm';
import { startStagedDiff } from './sources/git-spawn.js';
import { isStagedRun } from './command-line.js';

export type CliBundle = typeof import('./cli-bundle.js');

// Built as CommonJS (dist/launch.cjs), like bin/secretscan.js: Node starts a CommonJS entry without
// its ES module loader, ~2.5 ms sooner.
const dist = __dirname;

export async function main(args: string[]): Promise<number> {
  const cachedData = process.env.SECRETSCAN_CODE_CACHE === '0' ? undefined : readIfPresent(codeCacheFile(dist));
  if (cachedData) {
    // The hook's diff first: Git works on it while the CLI compiles.
    const stagedDiff = isStagedRun(args) ? startStagedDiff(process.cwd()) : undefined;
    const cli = compileBundle(dist, cachedData).exports;
    cli.limitYoungGeneration();
    cli.startEarly(args, process.cwd(), stagedDiff);
    cli.limitInlining();
    return cli.run(args);
  }
  // The worker starts before the CLI's modules load (~40-60 ms), which it then overlaps.
  const early = (await import(pathToFileURL(join(dist, 'early.js')).href)) as typeof import('./early.js');
  early.limitYoungGeneration();
  early.startEarly(args);
  const { run } = (await import(pathToFileURL(join(dist, 'cli.js')).href)) as typeof import('./cli.js');
  early.limitInlining();
  return run(args);
}

/** Where the cached code for this Node's V8 is kept. */
export function codeCacheFile(distDir: string): string {
  return join(distDir, `cli-${process.versions.v8}-${process.arch}.cache`);
}

/**
 * dist/cli.cjs compiled (with `cachedData` when given) and run: its exports, and the script, whose
 * cachedDataRejected says whether V8 took the cached code, and which can produce it.
 */
export function compileBundle(distDir: string, cachedData?: Buffer): { exports: CliBundle; script: Script } {
  const filename = join(distDir, 'cli.cjs');
  // ASCII (the build checks): read as Latin-1, V8 gets it without UTF-8 decoding.
  const source = readFileSync(filename, 'latin1');
  const script = new Script(`(function (exports, require, module, __filename, __dirname, __import) {${source}\n})`, { filename, cachedData });
  const module = { exports: {} as CliBundle };
  const body = script.runInThisContext() as (...parameters: unknown[]) => void;
  body.call(module.exports, module.exports, createRequire(filename), module, filename, distDir, dynamicImport);
  return { exports: module.exports, script };
}

/**
 * The bundle's `import()` calls (a JavaScript config file, through cosmiconfig) go through this: a
 * script compiled by node:vm cannot import on Node 20 without an experimental flag.
 */
function dynamicImport(specifier: string): Promise<unknown> {
  return import(specifier);
}

function readIfPresent(path: string): Buffer | undefined {
  try {
    return readFileSync(path);
  } catch {
    return undefined;
  }
}
