/**
 * `npm run bench:accuracy`: recall and precision of `secretscan scan` on a generated, realistic corpus.
 *
 * 1. Generates a corpus in a temp folder (bench/accuracy/corpus.ts): fake secrets of every built-in rule,
 *    drawn from each rule's own examples and written in 80+ kinds of file (env, YAML, JSON, TOML, INI,
 *    XML, properties, Terraform, Dockerfile, shell, Python, JS/TS, Go, Java, C#, Ruby, PHP, ..., docs,
 *    credentials files, logs, key files), and look-alike negatives (placeholders, published examples,
 *    public-by-design values, identifiers, hashes, encoded and encrypted values, references, code), with a
 *    ground truth of where each one is.
 * 2. Runs the built CLI on it: `node bin/secretscan.js scan <corpus> --format json --show-secrets --no-progress`.
 * 3. Matches findings to the ground truth (bench/accuracy/score.ts) and prints recall per credential type,
 *    rule, value class, file kind and template, false positives per negative kind, and overall precision
 *    and recall against the targets (recall >= 98 %, precision >= 99 %).
 *
 *   npx tsx bench/accuracy.ts [--seed N] [--per-rule N] [--per-negative N] [--keep] [--json] [--check]
 *
 * The same seed (and the same rules) gives the same corpus, byte for byte.
 */
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { builtinRulesDir, loadRuleSource } from '../src/rules/load.js';
import { generateCorpus } from './accuracy/corpus.js';
import { renderText, score, TARGETS, toJson, type ReportFinding } from './accuracy/score.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(ROOT, 'bin', 'secretscan.js');

const HELP = `usage: npx tsx bench/accuracy.ts [options]   (after npm run build; or npm run bench:accuracy -- [options])
  --seed N          PRNG seed: the same seed writes the same corpus (default 1)
  --per-rule N      placements of each rule's secrets (default 12; generic rules get twice as many)
  --per-negative N  instances of each look-alike kind (default: as many look-alikes in all as planted secrets)
  --keep            keep the corpus folder, with truth.json and report.json, and print its path
  --json            print the results as JSON
  --check           exit 1 when a target (recall >= ${100 * TARGETS.recall} %, precision >= ${100 * TARGETS.precision} %) is not met`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      seed: { type: 'string', default: '1' },
      'per-rule': { type: 'string', default: '12' },
      'per-negative': { type: 'string' },
      keep: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      check: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const seed = integer('--seed', values.seed, 0);
  const perRule = integer('--per-rule', values['per-rule'], 1);
  const perNegative = values['per-negative'] === undefined ? undefined : integer('--per-negative', values['per-negative'], 1);
  if (!existsSync(join(ROOT, 'dist', 'cli.js'))) throw new Error('dist/cli.js not found; run `npm run build` first (npm run bench:accuracy does)');

  const started = performance.now();
  const log = (line: string) => {
    if (!values.json) process.stderr.write(`${line}\n`);
  };
  const work = await mkdtemp(join(tmpdir(), 'secretscan-accuracy-'));
  const corpusDir = join(work, 'corpus');
  const cleanup = () => rm(work, { recursive: true, force: true });
  const onSignal = () => void cleanup().finally(() => process.exit(130));
  if (!values.keep) process.once('SIGINT', onSignal);
  try {
    // The rules in rules/*.yml give the examples; the built CLI (dist/) is what runs. They differ only when
    // dist/ is stale (npm run bench:accuracy builds first); rules the CLI lacks are not planted, and listed.
    const yamlRules = await loadRuleSource(builtinRulesDir(), { builtin: true });
    const inForce = await builtRuleIds();
    const rules = yamlRules.filter((rule) => inForce.has(rule.id));
    const notBuilt = yamlRules.filter((rule) => !inForce.has(rule.id)).map((rule) => rule.id);
    if (notBuilt.length > 0) log(`warning: ${notBuilt.length} rules in rules/ are not in the built CLI (run npm run build): ${notBuilt.join(', ')}`);
    log(`generating the corpus for ${rules.length} built-in rules in ${corpusDir} ...`);
    const generateStart = performance.now();
    const corpus = generateCorpus(corpusDir, rules, { seed, perRule, ...(perNegative === undefined ? {} : { perNegative }) });
    const generateMs = performance.now() - generateStart;

    log(`scanning ${corpus.files} files ...`);
    const scanStart = performance.now();
    const { exitCode, stdout, stderr } = await runCli(['scan', corpusDir, '--format', 'json', '--show-secrets', '--no-progress']);
    const scanMs = performance.now() - scanStart;
    if (exitCode !== 0 && exitCode !== 1) throw new Error(`secretscan exited ${exitCode}: ${stderr.trim()}`);
    let report: { findings: ReportFinding[]; errors?: unknown[] };
    try {
      report = JSON.parse(stdout) as typeof report;
    } catch {
      throw new Error(`secretscan printed no JSON report (exit ${exitCode}): ${stderr.trim().slice(0, 500)}`);
    }

    const matchStart = performance.now();
    const outcome = score(corpus, report.findings);
    const matchMs = performance.now() - matchStart;
    const timings = { generateMs, scanMs, matchMs, totalMs: performance.now() - started };
    const result = { seed, corpus, outcome, timings, exitCode, notBuilt, ...(values.keep ? { corpusDir } : {}) };

    if (values.keep) {
      writeFileSync(join(work, 'truth.json'), `${JSON.stringify({ secrets: corpus.secrets, negatives: corpus.negatives }, null, 2)}\n`);
      writeFileSync(join(work, 'report.json'), stdout);
      writeFileSync(join(work, 'accuracy.json'), `${JSON.stringify(toJson(result), null, 2)}\n`);
    }
    console.log(values.json ? JSON.stringify(toJson(result), null, 2) : renderText(result));
    if (values.keep) log(`\nkept ${work} (corpus/, truth.json, report.json, accuracy.json)`);
    const met = outcome.recall >= TARGETS.recall && outcome.precision >= TARGETS.precision;
    return values.check && !met ? 1 : 0;
  } finally {
    if (!values.keep) await cleanup();
  }
}

/** Ids of the rules the built CLI runs (`secretscan rules --format json`). */
async function builtRuleIds(): Promise<Set<string>> {
  const { exitCode, stdout, stderr } = await runCli(['rules', '--format', 'json']);
  if (exitCode !== 0) throw new Error(`secretscan rules exited ${exitCode}: ${stderr.trim()}`);
  const parsed = JSON.parse(stdout) as { rules?: { id: string }[] } | { id: string }[];
  const list = Array.isArray(parsed) ? parsed : (parsed.rules ?? []);
  return new Set(list.map((rule) => rule.id));
}

function runCli(args: string[]): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ exitCode: code ?? 2, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
  });
}

function integer(option: string, text: string, min: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min) throw new Error(`${option} needs an integer >= ${min}, got "${text}"`);
  return value;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`bench:accuracy: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  },
);
