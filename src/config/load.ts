/**
 * Configuration: found with cosmiconfig (module name `secretscan`, DESIGN §7), validated against
 * schema/config.schema.json, and resolved so that every path in it is relative to the config file.
 * Errors are one line that names the file and the key.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { validateConfig } from '../generated/schema-validators.js';
import { loadRuleSource, ruleFromObject } from '../rules/load.js';
import type { RuleSpec, Severity } from '../types.js';
import { firstLine } from '../util/quote.js';
import { describeSchemaErrors } from '../util/schema-errors.js';

export class ConfigError extends Error {}

/** The config file as written (after schema validation). */
export interface ConfigFile {
  rules?: (string | Record<string, unknown>)[];
  disableRules?: string[];
  allowlist?: AllowlistConfig & { byRule?: Record<string, AllowlistConfig> };
  exclude?: string[];
  maxFileSize?: number;
  failOn?: Severity | 'never';
  baseline?: string;
  jobs?: number;
  ci?: boolean;
}

export interface AllowlistConfig {
  paths?: string[];
  regexes?: string[];
  stopwords?: string[];
}

export interface ResolvedConfig {
  /** Absolute path of the file it came from; undefined when there is none. */
  filepath?: string;
  /** Folder that relative paths and globs in the config are resolved against. */
  baseDir: string;
  file: ConfigFile;
  /** Rules from `rules:` (files and inline objects), loaded and validated. */
  rules: RuleSpec[];
}

const MODULE = 'secretscan';
const SEARCH_PLACES = [
  'package.json',
  `.${MODULE}rc`,
  `.${MODULE}rc.json`,
  `.${MODULE}rc.yaml`,
  `.${MODULE}rc.yml`,
  `.${MODULE}rc.js`,
  `.${MODULE}rc.cjs`,
  `.${MODULE}rc.mjs`,
  `${MODULE}.config.js`,
  `${MODULE}.config.cjs`,
  `${MODULE}.config.mjs`,
];

/**
 * `explicitPath` (--config) wins. Otherwise search from `searchFrom` upwards to the root of the Git
 * repository holding it (or only `searchFrom` itself outside a repository), so that a scan never picks up
 * a config from an unrelated parent folder.
 */
export async function loadConfig(options: { explicitPath?: string; searchFrom: string }): Promise<ResolvedConfig> {
  const stop = gitRoot(options.searchFrom) ?? options.searchFrom;
  // Most repositories have no config: then cosmiconfig (~25 ms to load and search, a tenth of the
  // pre-commit hook's budget) is not loaded at all. When something may be a config, it decides.
  if (!options.explicitPath && !mayHoldConfig(options.searchFrom, stop)) return { baseDir: options.searchFrom, file: {}, rules: [] };
  // cosmiconfig is CommonJS: depending on the loader its exports arrive as named or under `default`.
  const module = (await import('cosmiconfig')) as typeof import('cosmiconfig') & { default?: typeof import('cosmiconfig') };
  const cosmiconfig = module.cosmiconfig ?? module.default!.cosmiconfig;
  const explorer = cosmiconfig(MODULE, { searchPlaces: SEARCH_PLACES, searchStrategy: 'none', cache: false });
  // A config found by searching belongs to the scanned tree, which may be anyone's (a pull request, a
  // cloned dependency): loading a JavaScript one would run its code. Only --config may name one.
  const refuseCode = (filepath: string) => {
    throw new ConfigError(
      `${filepath}: a JavaScript configuration runs code, so secretscan does not load one it finds in the scanned tree; pass --config ${filepath} if you trust it, or use a .secretscanrc (YAML or JSON)`,
    );
  };
  const searcher = cosmiconfig(MODULE, { searchPlaces: SEARCH_PLACES, searchStrategy: 'none', cache: false, loaders: { '.js': refuseCode, '.cjs': refuseCode, '.mjs': refuseCode } });
  let found: { config: unknown; filepath: string; isEmpty?: boolean } | null = null;
  if (options.explicitPath) {
    const path = resolve(options.explicitPath);
    if (!existsSync(path)) throw new ConfigError(`--config ${options.explicitPath}: file not found; give the path of a .secretscanrc file`);
    found = await readWith(() => explorer.load(path), path);
  } else {
    for (let dir = options.searchFrom; ; dir = dirname(dir)) {
      found = await readWith(() => searcher.search(dir), dir);
      if (found || dir === stop || dirname(dir) === dir) break;
    }
  }
  if (!found) return { baseDir: options.searchFrom, file: {}, rules: [] };

  const filepath = found.filepath;
  const config = found.isEmpty || found.config == null ? {} : found.config;
  checkExpansion(config, filepath);
  if (!validateConfig(config)) {
    throw new ConfigError(`${filepath}: ${describeSchemaErrors(validateConfig.errors)}; see .secretscanrc.example for the keys and their values`);
  }
  const file = config as ConfigFile;
  const baseDir = dirname(filepath);
  const rules: RuleSpec[] = [];
  for (const [index, entry] of (file.rules ?? []).entries()) {
    if (typeof entry === 'string') {
      rules.push(...(await loadRuleSource(isAbsolute(entry) ? entry : join(baseDir, entry), { builtin: false })));
    } else {
      rules.push(ruleFromObject(entry, `${filepath} (rules[${index}])`, false, index));
    }
  }
  return { filepath, baseDir, file, rules };
}

async function readWith<T>(load: () => Promise<T>, where: string): Promise<T> {
  try {
    return await load();
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    const path = (error as { filepath?: string }).filepath ?? where;
    throw new ConfigError(`${path}: cannot read the configuration: ${describeParseError(error)}`);
  }
}

/**
 * What is wrong with a configuration file, without quoting it: a config can hold an allowlisted secret,
 * and the parsers' messages carry excerpts (js-yaml a code frame, JSON.parse the text near the error).
 * The first line of cosmiconfig's message ("YAML Error in FILE:") said nothing at all.
 */
function describeParseError(error: unknown): string {
  const { message, reason, mark } = error as { message?: string; reason?: string; mark?: { line: number; column: number } };
  if (typeof reason === 'string' && mark) return `YAML syntax error at line ${mark.line + 1}, column ${mark.column + 1}: ${reason}; fix the file or run "secretscan init" for a fresh one`;
  const text = String(message ?? error);
  if (text.startsWith('JSON Error')) return 'not valid JSON (a missing or extra comma, quote or bracket?); fix the file or run "secretscan init" for a fresh one';
  return firstLine(text);
}

/** JavaScript configs are code: they can build anything, and whoever runs secretscan chose to run them. */
const CODE_CONFIG = /\.[cm]?js$/;

/**
 * A YAML config is data from the scanned repository, and aliases can make a small file expand to a huge
 * one (`byRule` entries that all alias one long `paths:` list: n × n globs from a file of size n), which
 * validation and the allowlist would then pay for. Written out, each value takes at least a character
 * of the file, so a config whose values outnumber its bytes (plus slack) is refused. Counting stops at
 * that bound, so the check itself is linear in the file.
 */
function checkExpansion(config: unknown, filepath: string): void {
  if (CODE_CONFIG.test(filepath)) return;
  let size: number;
  try {
    size = statSync(filepath).size;
  } catch {
    return;
  }
  const budget = size + 1024;
  let count = 0;
  const stack: unknown[] = [config];
  while (stack.length > 0) {
    const value = stack.pop();
    if (++count > budget) {
      throw new ConfigError(`${filepath}: YAML aliases expand this configuration far beyond its size; write the values out instead of repeating anchors`);
    }
    // One push per child: spreading a list of a million values would overflow the call stack.
    if (value !== null && typeof value === 'object') for (const child of Object.values(value)) stack.push(child);
  }
}

/**
 * Whether any folder from `start` up to `stop` has a file cosmiconfig would read: one of the config
 * names, or a package.json that mentions "secretscan" (one without the word cannot hold the key).
 */
function mayHoldConfig(start: string, stop: string): boolean {
  for (let dir = start; ; dir = dirname(dir)) {
    for (const name of SEARCH_PLACES) {
      const path = join(dir, name);
      if (!existsSync(path)) continue;
      if (name !== 'package.json') return true;
      try {
        if (readFileSync(path, 'utf8').includes('"secretscan"')) return true;
      } catch {
        return true; // unreadable: let cosmiconfig report it
      }
    }
    if (dir === stop || dirname(dir) === dir) return false;
  }
}

function gitRoot(start: string): string | undefined {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, '.git'))) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}
