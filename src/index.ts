/**
 * The library API: scan(options) -> ScanResult, plus what the build and tests need to load rules.
 * Secrets in a ScanResult are in clear; use toReport() to redact them before showing them to anyone.
 */
export { scan, prepareScan, type ScanOptions, type ScanSetup, type GitScanOptions } from './scan.js';
export { GitError } from './sources/git.js';
export { loadRuleSource, loadBuiltinRules, compileRules, ruleFromObject, RuleLoadError } from './rules/load.js';
export { toReport, redactSecret, type Report, type ReportFinding } from './report/redact.js';
export { renderJson } from './report/json.js';
export { run } from './cli.js';
export { builtinAutomatonImages } from './detect/detector.js';
export type * from './types.js';
