/**
 * Loading rules: YAML rule files (DESIGN §5) and rule objects from the config become validated
 * RuleSpecs; compileRules turns them into what the detector runs. Built-in and user rules go through
 * the same code; every error names the file and the rule id.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileRule, RuleCompileError, type CompiledRule } from '../detect/detector.js';
import { compilePathRule, PathRules } from '../detect/path-rules.js';
import { loadLinearEngine } from '../detect/regex.js';
import { KeywordMatcher, usePrebuiltMatcher } from '../detect/prefilter.js';
import { useKnownStarts } from '../detect/starts.js';
import { validateRule, validateRuleFile } from '../generated/schema-validators.js';
import type { RuleSpec } from '../types.js';
import { firstLine } from '../util/quote.js';
import { describeSchemaErrors } from '../util/schema-errors.js';

export class RuleLoadError extends Error {}

export interface RuleSourceOptions {
  /** Built-in rules are vetted and run on V8; user rules run on the linear-time engine. */
  builtin: boolean;
}

const RULE_FILE_EXTENSIONS = new Set(['.yml', '.yaml', '.json']);

/** A rule file, or every rule file in a folder (sorted by name, not recursive). */
export async function loadRuleSource(path: string, options: RuleSourceOptions): Promise<RuleSpec[]> {
  let info;
  try {
    info = await stat(path);
  } catch {
    throw new RuleLoadError(`${path}: rule file or folder not found; check the --rules path or the config's "rules" entry`);
  }
  if (!info.isDirectory()) return loadRuleFile(path, options);
  const names = (await readdir(path)).filter((name) => RULE_FILE_EXTENSIONS.has(extname(name))).sort();
  const rules: RuleSpec[] = [];
  for (const name of names) rules.push(...(await loadRuleFile(join(path, name), options)));
  return rules;
}

export async function loadRuleFile(path: string, options: RuleSourceOptions): Promise<RuleSpec[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new RuleLoadError(`${path}: cannot read rule file (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  let document: unknown;
  try {
    // yaml is loaded only when a YAML rule file is read: built-in rules come precompiled as JSON.
    document = path.endsWith('.json') ? JSON.parse(text) : (await loadYamlParser())(text);
  } catch (error) {
    throw new RuleLoadError(`${path}: not valid ${path.endsWith('.json') ? 'JSON' : 'YAML'}: ${firstLine(String((error as Error).message))}`);
  }
  if (!validateRuleFile(document)) {
    throw new RuleLoadError(`${path}: a rule file needs a top-level "rules:" list (${describeSchemaErrors(validateRuleFile.errors)})`);
  }
  const raws = (document as { rules: unknown[] }).rules;
  const seen = new Set<string>();
  return raws.map((raw, index) => {
    const rule = ruleFromObject(raw, path, options.builtin, index);
    if (seen.has(rule.id)) throw new RuleLoadError(`${path}: rule "${rule.id}" is defined twice in this file`);
    seen.add(rule.id);
    return rule;
  });
}

/** yaml is CommonJS in the bundle: its exports arrive as named or under `default` depending on the loader. */
async function loadYamlParser(): Promise<(text: string) => unknown> {
  const module = (await import('yaml')) as typeof import('yaml') & { default?: typeof import('yaml') };
  return module.parse ?? module.default!.parse;
}

/** A rule object (from a file or the config) to a RuleSpec with defaults filled in. */
export function ruleFromObject(raw: unknown, origin: string, builtin: boolean, index = 0): RuleSpec {
  if (!validateRule(raw)) {
    const id = typeof raw === 'object' && raw !== null && typeof (raw as { id?: unknown }).id === 'string' ? (raw as { id: string }).id : `#${index + 1}`;
    throw new RuleLoadError(`${origin}: rule "${id}": ${describeSchemaErrors(validateRule.errors)}`);
  }
  const rule = raw as Partial<RuleSpec> & { id: string };
  if (rule.path !== undefined) {
    // A path rule judges a file by its name: content settings would be silently ignored, so say so.
    const contentOnly = (['pattern', 'keywords', 'secretGroup', 'entropy', 'validators', 'multiline'] as const).find((key) => rule[key] !== undefined);
    if (contentOnly) throw new RuleLoadError(`${origin}: rule "${rule.id}": a path rule matches file names; "${contentOnly}" applies to content rules only`);
  }
  const pattern = rule.pattern ?? '';
  return {
    id: rule.id,
    name: rule.name ?? rule.id,
    provider: rule.provider ?? 'custom',
    credentialType: rule.credentialType ?? 'generic-secret',
    privilege: rule.privilege ?? 'unknown',
    lifetime: rule.lifetime ?? 'unknown',
    keywords: (rule.keywords ?? []).map((keyword) => keyword.toLowerCase()),
    pattern,
    secretGroup: rule.secretGroup ?? (/\((?!\?)/.test(pattern) ? 1 : 0),
    ...(rule.entropy !== undefined ? { entropy: rule.entropy } : {}),
    validators: rule.validators ?? [],
    stopwords: rule.stopwords ?? [],
    multiline: rule.multiline ?? false,
    ...(rule.path !== undefined ? { path: rule.path } : {}),
    ...(rule.generality !== undefined ? { generality: rule.generality } : {}),
    ...(rule.startsNearKeyword !== undefined ? { startsNearKeyword: rule.startsNearKeyword } : {}),
    remediation: rule.remediation ?? 'Revoke this credential where it was issued, rotate it, and move the new one to a secret store.',
    references: rule.references ?? [],
    examples: rule.examples ?? [],
    negativeExamples: rule.negativeExamples ?? [],
    origin,
    builtin,
  };
}

/**
 * Later rules replace earlier ones with the same id, so a user rule can override a built-in one.
 * Compile errors carry the rule's file and id.
 */
export async function compileRules(specs: readonly RuleSpec[]): Promise<CompiledRule[]> {
  if (specs.some((spec) => !spec.builtin)) await loadLinearEngine();
  const byId = new Map<string, RuleSpec>();
  for (const spec of specs) byId.set(spec.id, spec);
  // Path rules are compiled by compilePathRules: they never reach the content detector.
  return [...byId.values()].filter((spec) => spec.path === undefined).map((spec) => {
    try {
      return compileRule(spec, vettedSpecs.has(spec));
    } catch (error) {
      if (error instanceof RuleCompileError) throw new RuleLoadError(error.message);
      throw error;
    }
  });
}

/** The path rules among `specs` (later ones replacing earlier ones with the same id), compiled. */
export async function compilePathRules(specs: readonly RuleSpec[]): Promise<PathRules> {
  const byId = new Map<string, RuleSpec>();
  for (const spec of specs) byId.set(spec.id, spec);
  const pathSpecs = [...byId.values()].filter((spec) => spec.path !== undefined);
  if (pathSpecs.some((spec) => !spec.builtin)) await loadLinearEngine();
  try {
    return new PathRules(pathSpecs.map((spec) => compilePathRule(spec)));
  } catch (error) {
    if (error instanceof RuleCompileError) throw new RuleLoadError(error.message);
    throw error;
  }
}

let builtinCache: RuleSpec[] | undefined;
/** Rules read from dist/rules.json: the build compiled and checked each of them already. */
const vettedSpecs = new WeakSet<RuleSpec>();

/** Whether the build already compiled and checked this spec (it came from dist/rules.json). */
export function isVetted(spec: RuleSpec): boolean {
  return vettedSpecs.has(spec);
}

/**
 * Trusts specs another thread vetted: a worker gets structured-cloned copies, which the checks would
 * otherwise repeat (counting groups compiles every pattern: ~60 ms of a worker's start-up).
 */
export function markVetted(specs: readonly RuleSpec[]): void {
  for (const spec of specs) vettedSpecs.add(spec);
}

/**
 * The built-in rules' keyword automaton, built with them (dist/prefilter.bin), for detectors to use
 * instead of building it; a missing or unreadable image only costs the time to build one.
 */
export async function loadPrebuiltMatcher(): Promise<void> {
  try {
    usePrebuiltMatcher(KeywordMatcher.fromImage(await readFile(new URL('./prefilter.bin', import.meta.url))));
  } catch {
    // built at first use instead
  }
  try {
    // And the anchored rules' literal starts (detect/starts.ts), worked out with them, and their automaton.
    useKnownStarts(JSON.parse(await readFile(new URL('./starts.json', import.meta.url), 'utf8')) as Record<string, string[] | null>);
    KeywordMatcher.remember(KeywordMatcher.fromImage(await readFile(new URL('./starts.bin', import.meta.url))));
  } catch {
    // worked out at first use instead
  }
}

/**
 * The built-in rules: dist/rules.json when running from the bundle (written by the build), otherwise
 * the YAML files in rules/ (running from source, as the tests do).
 */
export async function loadBuiltinRules(): Promise<RuleSpec[]> {
  if (builtinCache) return builtinCache;
  const compiled = new URL('./rules.json', import.meta.url);
  try {
    builtinCache = JSON.parse(await readFile(compiled, 'utf8')) as RuleSpec[];
    for (const spec of builtinCache) vettedSpecs.add(spec);
    await loadPrebuiltMatcher();
  } catch {
    builtinCache = await loadRuleSource(builtinRulesDir(), { builtin: true });
  }
  return builtinCache;
}

export function builtinRulesDir(): string {
  const here = fileURLToPath(import.meta.url);
  // src/rules/load.ts and dist/<chunk>.js are two and one levels below the package root.
  return here.includes(`${join('src', 'rules')}`) ? join(here, '..', '..', '..', 'rules') : join(here, '..', '..', 'rules');
}
